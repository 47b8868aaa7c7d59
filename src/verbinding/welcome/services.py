"""Writes of the welcome app: registering someone on their behalf (with recorded consent),
personal QR cards (issue, revoke, reissue), the host's "welcomed" tick, and the audit rows the
host panel leaves behind.

Every write is one transaction: nothing is half-written when a rule is broken. A card's token
never leaves the database through here: not in audit details, not in return values that views
log, never in a URL.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verbinding.accounts.services import audit, audit_reads_once_a_day
from verbinding.activities.models import Session
from verbinding.attendance.checkin import check_in
from verbinding.attendance.models import CheckIn
from verbinding.core.errors import DomainError, register_messages
from verbinding.core.models import AuditEntry, Initiative
from verbinding.people.models import ConsentRecord, MemberCard, Person
from verbinding.people.services import set_languages, site_language
from verbinding.people.vocab import Interest, Talent
from verbinding.welcome import selectors

register_messages({
    "welcome_profile_consent_required": _(
        "Without their agreement to keep a profile we cannot register them. They can still "
        "come in: count them as a guest."
    ),
    "welcome_contact_consent_required": _(
        "You gave an email or phone number: tick that they agree to be contacted, or leave the "
        "contact empty."
    ),
    "welcome_name_exists": _(
        "Someone with this name is already registered here. If this is a different person, "
        "tick the box to confirm; otherwise find them in the list instead."
    ),
    "welcome_card_consent_required": _("Tick that they agree to a personal card first."),
    "welcome_card_exists": _("This person already has a card. Reissue it if it was lost."),
    "welcome_no_card": _("This person has no card that works, so there is none to stop or replace."),
    "welcome_session_not_today": _("Choose one of today's sessions."),
})

P = ConsentRecord.Purpose
PANEL_VIEW = "welcome:panel"


def _only(values: Iterable[str], allowed: Iterable[str]) -> list[str]:
    chosen = set(values)
    return [value for value in allowed if value in chosen]  # vocabulary order, no duplicates


def _record_consents(*, person: Person, by, purposes: Iterable[str], view: str) -> None:
    now = timezone.now()
    for purpose in purposes:
        ConsentRecord.objects.create(person=person, purpose=purpose, given_at=now, recorded_by=by)
        audit(initiative=person.initiative, action=AuditEntry.Action.CONSENT, by=by,
              subject_person_id=person.pk, view=view,
              detail={"purpose": str(purpose), "change": "given", "on_behalf": True})


# --- Registering someone on their behalf ----------------------------------------------------

@transaction.atomic
def register_person(*, initiative: Initiative, by, display_name: str, preferred_language: str,
                    speaks: Mapping[str, str] | None = None, interests: Iterable[str] = (),
                    talents: Iterable[str] = (), email: str = "", phone: str = "",
                    consents: Iterable[str], check_in_session: Session | None = None,
                    confirm_new_name: bool = False) -> Person:
    """A person without a login (user=None), registered by staff `by` with the consents the
    person gave: PROFILE is required; CARD issues a card at once; CONTACT is recorded only
    with an email or phone, and required when one is given. Optionally checks them in to one
    of today's sessions. All or nothing."""
    consents = set(consents)
    email, phone = email.strip(), phone.strip()
    if P.PROFILE not in consents:
        raise DomainError("welcome_profile_consent_required")
    has_contact = bool(email or phone)
    if has_contact and P.CONTACT not in consents:
        raise DomainError("welcome_contact_consent_required")
    if not has_contact:
        consents.discard(P.CONTACT)
    consents &= {P.PROFILE, P.CARD, P.CONTACT}
    name = display_name.strip()
    if not confirm_new_name and selectors.display_name_taken(initiative=initiative,
                                                             display_name=name):
        raise DomainError("welcome_name_exists")
    if check_in_session is not None and not selectors.list_sessions_today(
        initiative=initiative
    ).filter(pk=check_in_session.pk).exists():
        raise DomainError("welcome_session_not_today")
    person = Person.objects.create(
        initiative=initiative, user=None, display_name=name, email=email, phone=phone,
        talents=_only(talents, Talent.values), interests=_only(interests, Interest.values),
        preferred_language=site_language(preferred_language), last_active_at=timezone.now(),
    )
    if speaks:
        set_languages(person=person, by=by, speaks=speaks, wants=())
    # Purposes in a fixed order, so the audit log reads the same way every time.
    _record_consents(person=person, by=by, view="welcome:register",
                     purposes=[p for p in (P.PROFILE, P.CARD, P.CONTACT) if p in consents])
    if P.CARD in consents:
        _issue(person=person, by=by, view="welcome:register")
    if check_in_session is not None:
        check_in(session=check_in_session, person=person, method=CheckIn.Method.NAME, by=by)
    return person


# --- Cards ----------------------------------------------------------------------------------

def _lock(person: Person) -> None:
    """Serialise card writes for one person (two staff pressing at once)."""
    list(Person.objects.select_for_update().filter(pk=person.pk).values_list("pk"))


def _issue(*, person: Person, by, view: str, change: str = "card_issued") -> MemberCard:
    card = MemberCard.objects.create(initiative_id=person.initiative_id, person=person,
                                     issued_by=by if getattr(by, "is_authenticated", False)
                                     else None)
    # The token is never written to the audit log; the card's number is enough to follow it.
    audit(initiative=person.initiative, action=AuditEntry.Action.CONSENT, by=by,
          subject_person_id=person.pk, view=view,
          detail={"purpose": P.CARD.value, "change": change, "card": card.pk})
    return card


def _revoke(*, card: MemberCard, by, view: str) -> None:
    card.revoked_at = timezone.now()
    card.revoked_by = by if getattr(by, "is_authenticated", False) else None
    card.save(update_fields=["revoked_at", "revoked_by"])
    audit(initiative=card.person.initiative, action=AuditEntry.Action.CONSENT, by=by,
          subject_person_id=card.person_id, view=view,
          detail={"purpose": P.CARD.value, "change": "card_revoked", "card": card.pk})


@transaction.atomic
def issue_card(*, person: Person, by, consent: bool = False) -> MemberCard:
    """A first card (or a new one after a revoke). Needs the person's live CARD consent, or
    `consent=True` to record it now. A person with a live card gets DomainError
    "welcome_card_exists" (use `reissue_card` for a lost card)."""
    _lock(person)
    if selectors.get_live_card(person=person) is not None:
        raise DomainError("welcome_card_exists")
    if not selectors.has_live_consent(person=person, purpose=P.CARD):
        if not consent:
            raise DomainError("welcome_card_consent_required")
        _record_consents(person=person, by=by, purposes=[P.CARD], view="welcome:card")
    try:
        with transaction.atomic():
            return _issue(person=person, by=by, view="welcome:card")
    except IntegrityError:  # the one-live-card constraint: someone else issued it just now
        raise DomainError("welcome_card_exists") from None


@transaction.atomic
def reissue_card(*, person: Person, by) -> MemberCard:
    """A lost card: revoke the live one and issue a new one, in one transaction. The old token
    stops resolving the moment this commits; there is never a moment with two live cards."""
    _lock(person)
    live = selectors.get_live_card(person=person)
    if live is None:
        raise DomainError("welcome_no_card")
    live.person = person
    _revoke(card=live, by=by, view="welcome:card-reissue")
    return _issue(person=person, by=by, view="welcome:card-reissue", change="card_reissued")


@transaction.atomic
def revoke_card(*, person: Person, by) -> MemberCard:
    _lock(person)
    live = selectors.get_live_card(person=person)
    if live is None:
        raise DomainError("welcome_no_card")
    live.person = person
    _revoke(card=live, by=by, view="welcome:card-revoke")
    return live


# --- The host panel -------------------------------------------------------------------------

@transaction.atomic
def mark_welcomed(*, checkin: CheckIn, by) -> CheckIn:
    """The host greeted this person: a tick with who and when, never a note. Idempotent: the
    first host's tick stays."""
    changed = CheckIn.objects.filter(pk=checkin.pk, welcomed_at__isnull=True).update(
        welcomed_at=timezone.now(),
        welcomed_by=by if getattr(by, "is_authenticated", False) else None,
    )
    if changed:
        checkin.refresh_from_db(fields=["welcomed_at", "welcomed_by"])
    return checkin


def record_panel_views(*, initiative: Initiative, by, person_ids: Iterable[int]) -> int:
    """The panel shows personal data, so it leaves PROFILE_VIEW rows like every staff read —
    but one per (staff user, person, day), not one per 5-second poll."""
    return audit_reads_once_a_day(initiative=initiative, by=by, person_ids=person_ids,
                                  view=PANEL_VIEW)


def delete_cards_before_erase(person: Person) -> None:
    """Hook for `people.services.erase_person` (inside its transaction): the person's cards go,
    live or revoked, so no token is left that leads back to them."""
    MemberCard.objects.filter(person=person).delete()
