"""Reads of the people app, scoped to one initiative (except `list_inactive_people`, which the
nightly anonymise_inactive job runs over every initiative) and explicitly ordered."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404
from django.utils import timezone

from verbinding.accounts.models import Role
from verbinding.core.models import AuditEntry, Initiative
from verbinding.people.models import PartnerOrganisation, Person, PersonLanguage


def get_own_person(*, user, initiative: Initiative) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Person.objects.select_related("initiative", "referred_by_person", "referred_by_partner")
        .filter(initiative=initiative, user=user, anonymised_at__isnull=True).first()
    )


def list_people(*, initiative: Initiative, query: str = "") -> QuerySet[Person]:
    """Members for the coordinator's list: names, roles, languages — never group or gender."""
    people = (
        Person.objects.filter(initiative=initiative, anonymised_at__isnull=True)
        .prefetch_related(
            Prefetch("languages", queryset=PersonLanguage.objects.order_by("kind", "language", "id")),
            Prefetch("user__roles", queryset=Role.objects.filter(initiative=initiative)
                     .order_by("name", "id")),
        )
        .select_related("user")
        .order_by("display_name", "id")
    )
    if query.strip():
        people = people.filter(display_name__icontains=query.strip())
    return people


def get_person_for_staff(*, initiative: Initiative, pk: int) -> Person:
    """One person of this initiative (404 otherwise), with what the detail page shows."""
    person = (
        Person.objects.filter(initiative=initiative, pk=pk, anonymised_at__isnull=True)
        .select_related("user", "initiative", "referred_by_person", "referred_by_partner",
                        "self_description")
        .prefetch_related(
            Prefetch("languages", queryset=PersonLanguage.objects.order_by("kind", "language", "id")),
            Prefetch("user__roles", queryset=Role.objects.filter(initiative=initiative)
                     .order_by("name", "id")),
        )
        .first()
    )
    if person is None:
        raise Http404
    return person


def history_cutoff(*, now: dt.datetime | None = None) -> dt.datetime:
    """Per-person history older than this is not shown to staff (privacy rule 6)."""
    now = now or timezone.now()
    months = settings.VERBINDING_HISTORY_MONTHS
    return now - dt.timedelta(days=round(months * 30.44))


# --- Inactive people (privacy rule 6) ---------------------------------------------------------

STAFF_ROLES = (Role.Name.COORDINATOR, Role.Name.ORGANISER, Role.Name.HOST)


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same wall-clock moment `months` calendar months earlier (31 March − 1 → 28/29 Feb)."""
    index = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    next_month = dt.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month - dt.timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def inactive_cutoff(*, now: dt.datetime | None = None) -> dt.datetime:
    """A person whose last activity is older than this is anonymised (privacy rule 6)."""
    return months_before(now or timezone.now(), settings.VERBINDING_INACTIVE_MONTHS)


def _newest(related_name: str, field: str) -> Subquery:
    """MAX(`field`) over the person's rows of a reverse relation of an app above people
    (registrations, check-ins), as a correlated subquery: people may not import those apps,
    and one subquery per relation avoids the row explosion of joining two of them at once."""
    model = Person._meta.get_field(related_name).related_model
    return Subquery(
        model.objects.filter(person_id=OuterRef("pk")).order_by().values("person_id")
        .annotate(newest=Max(field)).values("newest")[:1]
    )


def list_inactive_people(*, cutoff: dt.datetime, now: dt.datetime) -> QuerySet[Person]:
    """Not-yet-anonymised people of every initiative whose last activity is before `cutoff`,
    in one query.

    Last activity is the latest of: last_active_at, created_at, the login's last_login, the
    newest sign-up (Registration.created_at) and the newest check-in (CheckIn.at). Each row
    carries `last_activity` and `kept`: true for staff (coordinator, organiser, host here)
    and for organisers of a published activity that is still to come — they stay.
    """
    joined = F("created_at")
    last_activity = Greatest(
        joined,
        Coalesce("last_active_at", joined),
        Coalesce("user__last_login", joined),
        Coalesce(_newest("registrations", "created_at"), joined),
        Coalesce(_newest("checkins", "at"), joined),
    )
    is_staff = Exists(Role.objects.filter(
        user_id=OuterRef("user_id"), initiative_id=OuterRef("initiative_id"),
        name__in=STAFF_ROLES,
    ))
    # Activities sit above people: reach them through the organisers' link table. "published"
    # and "planned" are Activity.Status.PUBLISHED and Session.Status.PLANNED.
    organising = Person.organised_activities.through.objects.filter(
        person_id=OuterRef("pk"), activity__status="published",
    ).filter(
        Q(activity__first_start__gt=now)
        | Q(activity__sessions__start__gt=now, activity__sessions__status="planned")
    )
    return (
        Person.objects.filter(anonymised_at__isnull=True)
        .annotate(last_activity=last_activity)
        .filter(last_activity__lt=cutoff)
        .annotate(kept=ExpressionWrapper(is_staff | Exists(organising),
                                         output_field=BooleanField()))
        .select_related("initiative", "user")
        .order_by("initiative_id", "id")
    )


def list_recent_registrations(*, person: Person, since: dt.datetime):
    # Reverse relation of the attendance app (people may not import it).
    return (
        person.registrations.filter(created_at__gte=since)
        .select_related("activity", "activity__initiative", "session")
        .order_by("-created_at", "-id")
    )


def count_recent_checkins(*, person: Person, since: dt.datetime) -> int:
    return person.checkins.filter(at__gte=since).count()


def list_partners(*, initiative: Initiative, active_only: bool = False
                  ) -> QuerySet[PartnerOrganisation]:
    partners = PartnerOrganisation.objects.filter(initiative=initiative)
    if active_only:
        partners = partners.filter(active=True)
    return partners.order_by("name", "id")


def get_partner(*, initiative: Initiative, pk: int) -> PartnerOrganisation:
    partner = PartnerOrganisation.objects.filter(initiative=initiative, pk=pk).first()
    if partner is None:
        raise Http404
    return partner


def list_audit(*, initiative: Initiative) -> QuerySet[AuditEntry]:
    return (
        AuditEntry.objects.filter(initiative=initiative).select_related("actor")
        .order_by("-at", "-id")
    )


def list_coordinator_user_ids(*, initiative: Initiative) -> set[int]:
    return set(
        Role.objects.filter(initiative=initiative, name=Role.Name.COORDINATOR)
        .values_list("user_id", flat=True)
    )


def list_partner_logins(*, initiative: Initiative) -> list[Role]:
    """The partner roles here (one per partner login), oldest first, with who granted each."""
    return list(Role.objects.filter(initiative=initiative, name=Role.Name.PARTNER)
                .select_related("user", "granted_by").order_by("granted_at", "id"))
