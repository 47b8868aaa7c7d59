"""Reads for the staff pages that manage activities (views_manage): the activity list with its
next session and counts, an activity's sessions with their sign-up counts, and the gentle
organiser-mix hint.

Every function takes the initiative and filters on it. Counts of sign-ups and check-ins go
through the reverse relations owned by the attendance app (which may not be imported here).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from verbinding.accounts.access import can_coordinate
from verbinding.activities.models import Activity, Session
from verbinding.core.models import Initiative
from verbinding.people.models import Person, SelfDescription

CONFIRMED = "confirmed"
WAITLISTED = "waitlisted"
PAST_SESSIONS_SHOWN = 10


def person_for(user, initiative: Initiative) -> Person | None:
    return Person.objects.filter(initiative=initiative, user=user).first()


def list_managed_activities(initiative: Initiative, user, *, now: dt.datetime | None = None) -> QuerySet:
    """All activities a coordinator may manage (drafts and archived included); for an organiser,
    the ones they organise. Each with `next_start`, `upcoming_count` and `signup_count`."""
    now = now or timezone.now()
    qs = Activity.objects.filter(initiative=initiative)
    if not can_coordinate(user, initiative):
        qs = qs.filter(organisers__user=user)
    upcoming = Session.objects.filter(activity=OuterRef("pk"), start__gte=now).exclude(
        status=Session.Status.CANCELLED
    )
    upcoming_count = (
        upcoming.order_by().values("activity").annotate(n=Count("pk")).values("n")
    )
    return (
        qs.select_related("initiative")
        .prefetch_related("organisers")
        .annotate(
            next_start=Subquery(upcoming.order_by("start", "pk").values("start")[:1]),
            upcoming_count=Coalesce(Subquery(upcoming_count, output_field=IntegerField()), Value(0)),
            signup_count=Count(
                "registrations",
                filter=Q(registrations__status=CONFIRMED)
                & (Q(registrations__session__isnull=True) | Q(registrations__session__start__gte=now)),
                distinct=True,
            ),
        )
        .order_by("status", "next_start", "pk")
    )


def get_managed_activity(initiative: Initiative, pk: int) -> Activity:
    """The activity, in this initiative (else 404). Who may manage it is checked by the view."""
    try:
        return (Activity.objects.select_related("initiative").prefetch_related("organisers")
                .get(initiative=initiative, pk=pk))
    except Activity.DoesNotExist as exc:
        raise Http404 from exc


def get_managed_session(initiative: Initiative, pk: int) -> Session:
    try:
        return (Session.objects.select_related("activity", "activity__initiative")
                .get(initiative=initiative, pk=pk))
    except Session.DoesNotExist as exc:
        raise Http404 from exc


def may_manage(user, activity: Activity) -> bool:
    """Coordinators manage every activity; organisers only the ones they organise."""
    if can_coordinate(user, activity.initiative):
        return True
    return activity.organisers.filter(user=user).exists()


def list_sessions_for_manage(activity: Activity, *, now: dt.datetime | None = None):
    """(upcoming, recent past) sessions of `activity`, each with `confirmed_count`,
    `waitlist_count` and `checkin_count`."""
    now = now or timezone.now()
    qs = Session.objects.filter(initiative_id=activity.initiative_id, activity=activity).annotate(
        confirmed_count=Count("registrations", filter=Q(registrations__status=CONFIRMED),
                              distinct=True),
        waitlist_count=Count("registrations", filter=Q(registrations__status=WAITLISTED),
                             distinct=True),
        checkin_count=Count("checkins", distinct=True),
    )
    upcoming = list(qs.filter(end__gte=now).order_by("start", "pk"))
    past = list(qs.filter(end__lt=now).order_by("-start", "-pk")[:PAST_SESSIONS_SHOWN])
    for session in (*upcoming, *past):
        session.activity = activity  # effective_capacity reads it; no query per row
    return upcoming, past


def count_project_enrolments(activity: Activity) -> dict[str, int]:
    """Whole-project enrolments (registrations without a session) by status."""
    rows = (activity.registrations.filter(session__isnull=True).order_by()
            .values("status").annotate(n=Count("pk")))
    return {row["status"]: row["n"] for row in rows}


def organiser_mix_hint(activity: Activity) -> bool:
    """True when the activity would benefit from a co-organiser of the other group: it has one
    organiser, or all its organisers described themselves as the same group.

    Only coordinators and organisers see the resulting hint, and it never names a group or a
    person: self-descriptions are read here and reduced to one yes/no.
    """
    organiser_ids = [p.pk for p in activity.organisers.all()]
    if not organiser_ids:
        return False
    if len(organiser_ids) == 1:
        return True
    groups = list(
        SelfDescription.objects.filter(person_id__in=organiser_ids).values_list("group", flat=True)
    )
    return (len(groups) == len(organiser_ids) and len(set(groups)) == 1
            and groups[0] != SelfDescription.Group.UNSPECIFIED)
