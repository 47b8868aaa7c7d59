"""Reads of the attendance app: a member's own sign-ups, counts of places, the lists organisers
see, and the sessions of a member's private calendar feed.

Every function is scoped: by the person (whose initiative is fixed) or by an initiative passed
in explicitly. Queries are explicitly ordered and fetch what their templates show.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from verbinding.activities.models import Activity, Session
from verbinding.attendance.models import Registration, SessionMessage
from verbinding.core.models import Initiative
from verbinding.people.models import Person

S = Registration.Status
LIVE = (S.CONFIRMED, S.WAITLISTED)
PAST_SHOWN = 20
FEED_HISTORY_DAYS = 90
MESSAGES_DAYS = 30
MESSAGES_SHOWN = 20


# --- scoped lookups -------------------------------------------------------------------


def get_session(*, initiative: Initiative, pk: int) -> Session:
    """A session of this initiative (404 otherwise), with its activity."""
    return get_object_or_404(get_session_queryset(initiative=initiative), pk=pk)


def get_session_queryset(*, initiative: Initiative) -> QuerySet[Session]:
    return Session.objects.filter(initiative=initiative).select_related(
        "activity", "activity__initiative"
    )


def get_activity(*, initiative: Initiative, pk: int) -> Activity:
    return get_object_or_404(
        Activity.objects.select_related("initiative"), initiative=initiative, pk=pk
    )


def get_member_person(*, initiative: Initiative, user) -> Person | None:
    """The logged-in user's person here, or None (kiosk and partner accounts have none)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Person.objects.filter(initiative=initiative, user=user, anonymised_at__isnull=True)
        .select_related("initiative")
        .first()
    )


def get_person_by_calendar_token(*, initiative: Initiative, token: str) -> Person | None:
    if not token or len(token) > 64:
        return None
    return Person.objects.filter(
        initiative=initiative, calendar_token=token, anonymised_at__isnull=True
    ).first()


# --- counts -----------------------------------------------------------------------------


def count_confirmed(session: Session) -> int:
    return Registration.objects.filter(session=session, status=S.CONFIRMED).count()


def count_waitlisted(session: Session) -> int:
    return Registration.objects.filter(session=session, status=S.WAITLISTED).count()


def count_enrolled(activity: Activity) -> int:
    return Registration.objects.filter(
        activity=activity, session__isnull=True, status=S.CONFIRMED
    ).count()


def count_confirmed_by_session(session_ids: Iterable[int]) -> dict[int, int]:
    """{session id: confirmed sign-ups} for many sessions in one query (missing = 0)."""
    ids = list(session_ids)
    if not ids:
        return {}
    rows = (
        Registration.objects.filter(session_id__in=ids, status=S.CONFIRMED)
        .order_by()
        .values("session_id")
        .annotate(n=Count("id"))
    )
    return {row["session_id"]: row["n"] for row in rows}


def count_confirmed_for_activity(activity_id: int) -> dict[int, int]:
    """{session id: confirmed sign-ups} for every session of one activity, in one query."""
    rows = (
        Registration.objects.filter(session__activity_id=activity_id, status=S.CONFIRMED)
        .order_by()
        .values("session_id")
        .annotate(n=Count("id"))
    )
    return {row["session_id"]: row["n"] for row in rows}


def count_enrolled_by_activity(activity_ids: Iterable[int]) -> dict[int, int]:
    ids = list(activity_ids)
    if not ids:
        return {}
    rows = (
        Registration.objects.filter(activity_id__in=ids, session__isnull=True, status=S.CONFIRMED)
        .order_by()
        .values("activity_id")
        .annotate(n=Count("id"))
    )
    return {row["activity_id"]: row["n"] for row in rows}


def with_confirmed_count(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """Annotate `confirmed_count` on a session queryset (what the sign-up partial reads)."""
    return sessions.annotate(
        confirmed_count=Count("registrations", filter=Q(registrations__status=S.CONFIRMED))
    )


# --- the viewer's own registrations (for the sign-up partials) -------------------------


def _waitlist_position_annotation():
    """Subquery: how many waitlisted registrations are ahead of this one, plus one."""
    ahead = Q(created_at__lt=OuterRef("created_at")) | Q(
        created_at=OuterRef("created_at"), id__lt=OuterRef("id")
    )
    base = Registration.objects.filter(ahead, status=S.WAITLISTED, activity=OuterRef("activity"))
    in_session = (
        base.filter(session=OuterRef("session")).order_by().values("activity")
        .annotate(n=Count("id")).values("n")
    )
    in_project = (
        base.filter(session__isnull=True).order_by().values("activity")
        .annotate(n=Count("id")).values("n")
    )
    return in_session, in_project


def with_waitlist_position(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    in_session, in_project = _waitlist_position_annotation()
    return registrations.annotate(
        _ahead_in_session=Coalesce(Subquery(in_session, output_field=IntegerField()), 0),
        _ahead_in_project=Coalesce(Subquery(in_project, output_field=IntegerField()), 0),
    )


def _set_position(registration: Registration) -> Registration:
    if registration.status != S.WAITLISTED:
        registration.waitlist_position = None
    elif registration.session_id is None:
        registration.waitlist_position = registration._ahead_in_project + 1
    else:
        registration.waitlist_position = registration._ahead_in_session + 1
    return registration


@dataclass(frozen=True)
class ViewerRegistrations:
    """The viewer's live registrations in one initiative, keyed for cheap template lookups."""

    by_session: dict[int, Registration] = field(default_factory=dict)
    by_project: dict[int, Registration] = field(default_factory=dict)


def get_viewer_registrations(*, person: Person | None) -> ViewerRegistrations:
    """All live sign-ups of `person` for sessions not yet over, and live project enrolments,
    with waitlist positions — one query, whatever the number of sessions on a page."""
    if person is None:
        return ViewerRegistrations()
    now = timezone.now()
    rows = with_waitlist_position(
        Registration.objects.filter(person=person, status__in=LIVE).filter(
            Q(session__isnull=True) | Q(session__end__gte=now)
        )
    ).order_by("created_at", "id")
    by_session: dict[int, Registration] = {}
    by_project: dict[int, Registration] = {}
    for reg in rows:
        _set_position(reg)
        if reg.session_id is None:
            by_project[reg.activity_id] = reg
        else:
            by_session[reg.session_id] = reg
    return ViewerRegistrations(by_session=by_session, by_project=by_project)


# --- "my sign-ups" ----------------------------------------------------------------------


@dataclass(frozen=True)
class MyRegistrations:
    upcoming: list[Registration]
    enrolments: list[Registration]
    past: list[Registration]
    promoted_unseen: list[Registration]


def list_my_registrations(person: Person, *, now: dt.datetime | None = None) -> MyRegistrations:
    """The person's upcoming sign-ups (with waitlist positions), their project enrolments (with
    the project's coming sessions), the most recent past sign-ups, and the places they got
    from the waiting list but have not been told about yet on this page. Three queries."""
    now = now or timezone.now()
    coming_sessions = Prefetch(
        "activity__sessions",
        queryset=Session.objects.filter(end__gte=now).order_by("start", "id"),
        to_attr="upcoming_sessions",
    )
    live = list(
        with_waitlist_position(
            Registration.objects.filter(person=person, status__in=LIVE).filter(
                Q(session__isnull=True) | Q(session__end__gte=now)
            )
        )
        .select_related("session", "activity", "activity__initiative")
        .prefetch_related(coming_sessions)
        .order_by("created_at", "id")
    )
    for reg in live:
        _set_position(reg)
    upcoming = sorted(
        (r for r in live if r.session_id is not None), key=lambda r: (r.session.start, r.pk)
    )
    enrolments = [
        r for r in live if r.session_id is None and r.activity.upcoming_sessions
    ]
    past = list(
        Registration.objects.filter(person=person, status=S.CONFIRMED, session__end__lt=now)
        .select_related("session", "activity", "activity__initiative")
        .order_by("-session__start", "-id")[:PAST_SHOWN]
    )
    promoted_unseen = [
        r for r in live
        if r.status == S.CONFIRMED and r.promoted_at is not None and r.promotion_seen_at is None
    ]
    return MyRegistrations(
        upcoming=upcoming, enrolments=enrolments, past=past, promoted_unseen=promoted_unseen
    )


def list_my_messages(person: Person, *, now: dt.datetime | None = None) -> list[SessionMessage]:
    """Messages from organisers and cancellation notices of the sessions the person is signed
    up for (or of the sessions of the projects they take part in), sent in the last
    MESSAGES_DAYS days, newest first. One query."""
    now = now or timezone.now()
    live = Registration.objects.filter(person=person, status__in=LIVE)
    return list(
        SessionMessage.objects.filter(
            initiative_id=person.initiative_id, sent_at__gte=now - dt.timedelta(days=MESSAGES_DAYS),
        ).filter(
            Q(session__in=Subquery(live.filter(session__isnull=False).values("session_id")))
            | Q(session__activity__in=Subquery(live.filter(session__isnull=True).values("activity_id")),
                session__activity__kind=Activity.Kind.PROJECT)
        )
        .select_related("session", "session__activity", "session__activity__initiative")
        .order_by("-sent_at", "-id")[:MESSAGES_SHOWN]
    )


# --- organisers -----------------------------------------------------------------------


@dataclass(frozen=True)
class SessionRegistrations:
    confirmed: list[Registration]
    waitlisted: list[Registration]


def get_session_registrations(session: Session) -> SessionRegistrations:
    """Who is coming to `session` and who waits, in sign-up order. For a project session these
    are the project's enrolments. Display names only: the templates show nothing else."""
    if session.activity.is_project:
        regs = Registration.objects.filter(activity_id=session.activity_id, session__isnull=True)
    else:
        regs = Registration.objects.filter(session=session)
    rows = list(
        regs.filter(status__in=LIVE)
        .select_related("person")
        .only("id", "status", "created_at", "person__id", "person__display_name")
        .order_by("created_at", "id")
    )
    return SessionRegistrations(
        confirmed=[r for r in rows if r.status == S.CONFIRMED],
        waitlisted=[r for r in rows if r.status == S.WAITLISTED],
    )


def list_organised_activity_ids(*, person: Person | None) -> frozenset[int]:
    if person is None:
        return frozenset()
    return frozenset(person.organised_activities.values_list("pk", flat=True))


def is_organiser_of(person: Person | None, activity: Activity) -> bool:
    if person is None:
        return False
    return activity.organisers.filter(pk=person.pk).exists()


# --- the private calendar feed --------------------------------------------------------


def list_feed_sessions(person: Person, *, now: dt.datetime | None = None) -> list[Session]:
    """Sessions for the person's private iCal feed: those they are confirmed for, and every
    session of the projects they are enrolled in; from a few months back onwards."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=FEED_HISTORY_DAYS)
    confirmed = Registration.objects.filter(person=person, status=S.CONFIRMED)
    signed_up = confirmed.filter(session__isnull=False).values("session_id")
    enrolled = confirmed.filter(session__isnull=True).values("activity_id")
    return list(
        Session.objects.filter(initiative_id=person.initiative_id, end__gte=since)
        .filter(Q(pk__in=Subquery(signed_up)) | Q(
            activity__in=Subquery(enrolled), activity__kind=Activity.Kind.PROJECT
        ))
        .select_related("activity", "activity__initiative")
        .order_by("start", "id")
    )
