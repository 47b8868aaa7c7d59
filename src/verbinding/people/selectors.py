"""Reads of the people app, always scoped to one initiative and explicitly ordered."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Prefetch, QuerySet
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
