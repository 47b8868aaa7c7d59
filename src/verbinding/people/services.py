"""Writes of the people app: joining, the profile, languages, the optional self-description
with its consent, export and erasure of one's own data, roles, partner organisations and the
audit rows staff reads leave behind.

Every function is one transaction; nothing is half-written when a rule is broken.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from verbinding.accounts.models import Role, User
from verbinding.accounts.services import audit
from verbinding.core.errors import DomainError
from verbinding.core.models import AuditEntry, Initiative
from verbinding.core.services import bump_content_version
from verbinding.people import hooks, selectors
from verbinding.people.models import (
    ConsentRecord,
    PartnerOrganisation,
    Person,
    PersonLanguage,
    SelfDescription,
)
from verbinding.people.vocab import AVAILABILITY_SLOTS, Interest, Language, LanguageLevel, Talent

ERASED_NAME = "—"
ASSIGNABLE_ROLES = (
    Role.Name.COORDINATOR, Role.Name.ORGANISER, Role.Name.HOST, Role.Name.VOLUNTEER,
    Role.Name.KIOSK, Role.Name.MEMBER,
)


# --- Referral ("who brought you") ------------------------------------------------------------

def resolve_referral(*, initiative: Initiative, brought_by: str, member_login: str = "",
                     exclude_person: Person | None = None
                     ) -> tuple[Person | None, PartnerOrganisation | None]:
    """Turn the join/profile choice into (referring person, referring partner).

    `brought_by` is "", "self", "member" or "partner-<id>". A member is matched by login name
    within this initiative only; an unknown login name is simply not recorded (no error, so the
    form cannot be used to probe which login names exist).
    """
    if brought_by.startswith("partner-"):
        partner = PartnerOrganisation.objects.filter(
            initiative=initiative, active=True, pk=int(brought_by.removeprefix("partner-"))
        ).first()
        return None, partner
    if brought_by == "member" and member_login.strip():
        person = Person.objects.filter(
            initiative=initiative, user__username__iexact=member_login.strip(),
            anonymised_at__isnull=True,
        ).first()
        if exclude_person is not None and person == exclude_person:
            person = None
        return person, None
    return None, None


# --- Joining and the profile -------------------------------------------------------------------

def site_language(code: str | None) -> str:
    """`code` if it is one of the site's languages (a regional variant counts: "ar-eg" → "ar"),
    else "" (no preference)."""
    codes = {lang for lang, _label in settings.LANGUAGES}
    code = (code or "").strip().lower()
    if code in codes:
        return code
    base = code.split("-")[0]
    return base if base in codes else ""


@transaction.atomic
def join(*, initiative: Initiative, display_name: str, username: str, password: str,
         email: str = "", phone: str = "", brought_by: str = "", member_login: str = "",
         preferred_language: str = "", consent: bool) -> Person:
    """A new member: User + Person + role member + consent to keep the profile, all or nothing.

    `preferred_language` is usually the language the person joined in; anything that is not a
    site language is stored as "" (no preference)."""
    if not consent:
        raise DomainError("consent_required")
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError("username_taken")
    user = User(username=username, email="")
    validate_password(password, user)
    user.set_password(password)
    user.save()
    Role.objects.create(initiative=initiative, user=user, name=Role.Name.MEMBER)
    referrer, partner = resolve_referral(
        initiative=initiative, brought_by=brought_by, member_login=member_login
    )
    now = timezone.now()
    person = Person.objects.create(
        initiative=initiative, user=user, display_name=display_name.strip(), email=email,
        phone=phone, referred_by_person=referrer, referred_by_partner=partner, last_active_at=now,
        preferred_language=site_language(preferred_language),
    )
    ConsentRecord.objects.create(
        person=person, purpose=ConsentRecord.Purpose.PROFILE, given_at=now, recorded_by=user
    )
    return person


def _only(values: Iterable[str], allowed: Iterable[str]) -> list[str]:
    allowed = list(allowed)
    chosen = set(values)
    return [value for value in allowed if value in chosen]  # vocabulary order, no duplicates


@transaction.atomic
def update_profile(*, person: Person, by, display_name: str, email: str, phone: str,
                   talents: Iterable[str], interests: Iterable[str],
                   availability: Iterable[str], brought_by: str | None = None,
                   member_login: str = "", preferred_language: str | None = None) -> Person:
    """Save the profile form. `brought_by` and `preferred_language` left as None stay as they
    are."""
    if display_name.strip() != person.display_name:
        # Members see organisers' names on activity pages (cached per viewer): refresh them.
        bump_content_version(person.initiative_id)
    person.display_name = display_name.strip()
    person.email = email
    person.phone = phone
    person.talents = _only(talents, Talent.values)
    person.interests = _only(interests, Interest.values)
    person.availability = _only(availability, AVAILABILITY_SLOTS)
    if preferred_language is not None:
        person.preferred_language = site_language(preferred_language)
    if brought_by is not None:
        person.referred_by_person, person.referred_by_partner = resolve_referral(
            initiative=person.initiative, brought_by=brought_by, member_login=member_login,
            exclude_person=person,
        )
    person.last_active_at = timezone.now()
    person.save()
    return person


@transaction.atomic
def set_languages(*, person: Person, by, speaks: Mapping[str, str], wants: Iterable[str]) -> None:
    """Replace the person's languages: `speaks` maps language → level; `wants` lists languages."""
    PersonLanguage.objects.filter(person=person).delete()
    rows = [
        PersonLanguage(person=person, language=code, kind=PersonLanguage.Kind.SPEAKS, level=level)
        for code, level in speaks.items()
        if code in Language.values and level in LanguageLevel.values
    ]
    rows += [
        PersonLanguage(person=person, language=code, kind=PersonLanguage.Kind.WANTS,
                       level=LanguageLevel.BASIC)
        for code in _only(wants, Language.values)
    ]
    PersonLanguage.objects.bulk_create(rows)


# --- Self-description (group and gender) -------------------------------------------------------

@transaction.atomic
def set_self_description(*, person: Person, by, group: str, gender: str,
                         consent: bool) -> SelfDescription:
    if not consent:
        raise DomainError("consent_required")
    now = timezone.now()
    described, _created = SelfDescription.objects.update_or_create(
        person=person, defaults={"group": group, "gender": gender, "consented_at": now},
    )
    live = ConsentRecord.objects.filter(
        person=person, purpose=ConsentRecord.Purpose.SELF_DESCRIPTION, withdrawn_at__isnull=True
    ).exists()
    if not live:
        ConsentRecord.objects.create(
            person=person, purpose=ConsentRecord.Purpose.SELF_DESCRIPTION, given_at=now,
            recorded_by=by,
        )
        audit(initiative=person.initiative, action=AuditEntry.Action.CONSENT, by=by,
              subject_person_id=person.pk, view="people:self-description",
              detail={"purpose": ConsentRecord.Purpose.SELF_DESCRIPTION, "change": "given"})
    return described


@transaction.atomic
def withdraw_self_description(*, person: Person, by) -> None:
    """Withdrawing consent deletes group and gender; the consent record says when."""
    SelfDescription.objects.filter(person=person).delete()
    changed = ConsentRecord.objects.filter(
        person=person, purpose=ConsentRecord.Purpose.SELF_DESCRIPTION, withdrawn_at__isnull=True
    ).update(withdrawn_at=timezone.now())
    if changed:
        audit(initiative=person.initiative, action=AuditEntry.Action.CONSENT, by=by,
              subject_person_id=person.pk, view="people:self-description",
              detail={"purpose": ConsentRecord.Purpose.SELF_DESCRIPTION, "change": "withdrawn"})


# --- Export and erasure --------------------------------------------------------------------------

def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


@transaction.atomic
def export_person(*, person: Person, by, fmt: str) -> dict:
    """Everything stored about `person` (and only them), as plain data. Writes an audit row."""
    described = SelfDescription.objects.filter(person=person).first()
    data = {
        "initiative": person.initiative.name,
        "profile": {
            "login_name": person.user.username if person.user_id else None,
            "display_name": person.display_name,
            "email": person.email,
            "phone": person.phone,
            "talents": list(person.talents),
            "interests": list(person.interests),
            "availability": list(person.availability),
            "brought_by_member": (
                person.referred_by_person.display_name if person.referred_by_person else None
            ),
            "brought_by_organisation": (
                person.referred_by_partner.name if person.referred_by_partner else None
            ),
            "preferred_language": person.preferred_language,
            "joined_at": _iso(person.created_at),
            "last_active_at": _iso(person.last_active_at),
        },
        "roles": sorted(
            Role.objects.filter(user_id=person.user_id, initiative=person.initiative)
            .values_list("name", flat=True)
        ) if person.user_id else [],
        "languages": [
            {"language": row.language, "kind": row.kind, "level": row.level}
            for row in person.languages.order_by("kind", "language", "id")
        ],
        "self_description": (
            {"group": described.group, "gender": described.gender,
             "consented_at": _iso(described.consented_at)}
            if described else None
        ),
        "consents": [
            {"purpose": row.purpose, "given_at": _iso(row.given_at),
             "withdrawn_at": _iso(row.withdrawn_at)}
            for row in person.consents.order_by("given_at", "id")
        ],
        # Reverse relations of the attendance app (people may not import it).
        "registrations": [
            {"activity": str(row.activity), "session_start": _iso(row.session.start)
             if row.session_id else None, "status": row.status,
             "signed_up_at": _iso(row.created_at)}
            for row in person.registrations.select_related("activity", "activity__initiative",
                                                           "session").order_by("created_at", "id")
        ],
        "check_ins": [
            {"session_start": _iso(row.session.start), "at": _iso(row.at)}
            for row in person.checkins.select_related("session").order_by("at", "id")
        ],
    }
    # What the apps above people store about the person (teams, exchange, proposals, surveys).
    data.update(hooks.run_export(person))
    audit(initiative=person.initiative, action=AuditEntry.Action.EXPORT, by=by,
          subject_person_id=person.pk, view=f"people:export-{fmt}", detail={"format": fmt})
    return data


@transaction.atomic
def erase_person(*, person: Person, by, view: str = "people:erase") -> None:
    """Erase a person's data (privacy rule 5) and keep only what cannot be linked back.

    Choice (documented in people/README.md): the Person row stays as an empty shell named "—"
    so that sign-up and check-in counts, organiser links and team histories keep adding up;
    everything that describes the person is cleared or deleted, the calendar token is
    replaced (the old private feed stops working), and the login (User) is deleted.

    First the `hooks.before_erase` functions run (attendance cancels the person's future
    sign-ups there, so the waiting list moves up); they see the person as they still are.
    `view` names the caller in the audit row.
    """
    hooks.run_before_erase(person)
    bump_content_version(person.initiative_id)  # an organiser's name leaves members' pages
    user = person.user
    person.display_name = ERASED_NAME
    person.email = ""
    person.phone = ""
    person.talents = []
    person.interests = []
    person.availability = []
    person.preferred_language = ""
    person.referred_by_person = None
    person.referred_by_partner = None
    person.user = None
    person.calendar_token = secrets.token_urlsafe(24)
    person.last_active_at = None
    person.anonymised_at = timezone.now()
    person.save()
    PersonLanguage.objects.filter(person=person).delete()
    SelfDescription.objects.filter(person=person).delete()
    ConsentRecord.objects.filter(person=person).delete()
    # Nobody keeps a pointer to the erased person as "who brought me".
    Person.objects.filter(referred_by_person=person).update(referred_by_person=None)
    audit(initiative=person.initiative, action=AuditEntry.Action.ERASE, by=by,
          subject_person_id=person.pk, view=view)
    if user is not None:
        Role.objects.filter(user=user, initiative=person.initiative).delete()
        # A login shared with another meeting place stays for that place only.
        if not Person.objects.filter(user=user).exists() and not user.roles.exists():
            user.delete()


@dataclass(frozen=True)
class InactiveResult:
    anonymised: int  # erased (or, in a dry run, would be)
    skipped: int  # inactive but kept: staff, or organising a published activity to come


def anonymise_inactive(*, now: dt.datetime | None = None, dry_run: bool = False) -> InactiveResult:
    """Erase every person whose last activity is older than VERBINDING_INACTIVE_MONTHS
    (privacy rule 6), through `erase_person`, so the same rules and hooks apply. Audit rows
    have no actor and view "anonymise_inactive".

    One query finds them all; each erasure is its own transaction and first re-checks, with
    the person's row locked, that they are still inactive (they may have logged in meanwhile).
    A second run finds nobody new.
    """
    now = now or timezone.now()
    cutoff = selectors.inactive_cutoff(now=now)
    candidates = list(selectors.list_inactive_people(cutoff=cutoff, now=now))
    skipped = sum(1 for person in candidates if person.kept)
    to_erase = [person for person in candidates if not person.kept]
    if dry_run:
        return InactiveResult(anonymised=len(to_erase), skipped=skipped)
    anonymised = 0
    for candidate in to_erase:
        with transaction.atomic():
            list(Person.objects.select_for_update().filter(pk=candidate.pk).values_list("pk"))
            still = selectors.list_inactive_people(cutoff=cutoff, now=now).filter(
                pk=candidate.pk, kept=False
            ).first()
            if still is None:  # active again, or just made staff: not this time
                continue
            erase_person(person=still, by=None, view="anonymise_inactive")
            anonymised += 1
    return InactiveResult(anonymised=anonymised, skipped=skipped)


# --- Staff: reads that leave a trace, roles, partners -------------------------------------------

def record_profile_view(*, person: Person, by, view: str) -> None:
    audit(initiative=person.initiative, action=AuditEntry.Action.PROFILE_VIEW, by=by,
          subject_person_id=person.pk, view=view)


@transaction.atomic
def change_roles(*, person: Person, by, roles: Iterable[str]) -> tuple[set[str], set[str]]:
    """Make the person's roles here exactly `roles`; returns (granted, revoked). Audited."""
    if person.user_id is None:
        raise DomainError("no_login")
    wanted = set(roles)
    if wanted - set(ASSIGNABLE_ROLES):
        raise DomainError("role_unknown")
    initiative = person.initiative
    current = set(
        Role.objects.select_for_update()
        .filter(initiative=initiative, user_id=person.user_id).values_list("name", flat=True)
    )
    # Partner is not assignable here, so a partner role is left as it is.
    granted = wanted - current
    revoked = (current & set(ASSIGNABLE_ROLES)) - wanted
    if Role.Name.COORDINATOR in revoked:
        others = (
            Role.objects.select_for_update()
            .filter(initiative=initiative, name=Role.Name.COORDINATOR)
            .exclude(user_id=person.user_id).count()
        )
        if others == 0:
            raise DomainError("last_coordinator")
    for name in sorted(granted):
        Role.objects.create(initiative=initiative, user_id=person.user_id, name=name, granted_by=by)
        audit(initiative=initiative, action=AuditEntry.Action.ROLE_CHANGE, by=by,
              subject_person_id=person.pk, view="people:manage-roles",
              detail={"role": name, "change": "granted"})
    for name in sorted(revoked):
        Role.objects.filter(initiative=initiative, user_id=person.user_id, name=name).delete()
        audit(initiative=initiative, action=AuditEntry.Action.ROLE_CHANGE, by=by,
              subject_person_id=person.pk, view="people:manage-roles",
              detail={"role": name, "change": "revoked"})
    return granted, revoked


@transaction.atomic
def add_partner(*, initiative: Initiative, by, name: str, kind: str) -> PartnerOrganisation:
    name = name.strip()
    if PartnerOrganisation.objects.filter(initiative=initiative, name__iexact=name).exists():
        raise DomainError("partner_exists")
    return PartnerOrganisation.objects.create(initiative=initiative, name=name, kind=kind)


@transaction.atomic
def toggle_partner(*, partner: PartnerOrganisation, by) -> PartnerOrganisation:
    partner.active = not partner.active
    partner.save(update_fields=["active"])
    return partner
