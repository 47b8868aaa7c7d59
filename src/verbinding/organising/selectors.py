"""Reads of the organising app: the sessions an organiser runs, one session's registrations and
attendance with who is new, the member search for "was there but did not sign up", and the
people a message or cancellation notice goes to.

Every function is scoped to one initiative (passed in, or fixed by the session) and explicitly
ordered. Only display names leave this module: no group, gender, contact or profile data is
loaded for the pages (emails are read only by the services that send them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from verbinding.accounts.access import can_coordinate
from verbinding.activities.models import Activity, Session
from verbinding.attendance.models import CheckIn, GuestTally, Registration, SessionMessage
from verbinding.core.models import Initiative
from verbinding.people.models import Person

S = Registration.Status
LIVE = (S.CONFIRMED, S.WAITLISTED)
UPCOMING_SHOWN = 30
RECENT_SHOWN = 30
RECENT_DAYS = 60
SEARCH_MIN = 2
SEARCH_SHOWN = 20
MESSAGES_SHOWN = 10


# --- who may see what ---------------------------------------------------------------------


def person_for(user, initiative: Initiative) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(
        initiative=initiative, user=user, anonymised_at__isnull=True
    ).first()


def organised_activities(user, initiative: Initiative) -> QuerySet[Activity]:
    """What `user` may organise here: every activity for a coordinator, else the ones whose
    organisers include their person."""
    activities = Activity.objects.filter(initiative=initiative)
    if can_coordinate(user, initiative):
        return activities
    return activities.filter(organisers__user=user, organisers__anonymised_at__isnull=True)


def get_session_for(user, initiative: Initiative, pk: int) -> Session:
    """The session, in this initiative (else 404), if `user` coordinates here or organises its
    activity (else 403: the session exists here, the user just does not run it)."""
    session = (
        Session.objects.filter(initiative=initiative, pk=pk)
        .select_related("activity", "activity__initiative").first()
    )
    if session is None:
        raise Http404
    if not organised_activities(user, initiative).filter(pk=session.activity_id).exists():
        raise PermissionDenied
    return session


def history_cutoff(*, now: dt.datetime | None = None) -> dt.datetime:
    """Per-person history older than this is not shown to staff (privacy rule 6)."""
    now = now or timezone.now()
    return now - dt.timedelta(days=round(settings.VERBINDING_HISTORY_MONTHS * 30.44))


def is_beyond_history(session: Session, *, now: dt.datetime | None = None) -> bool:
    return session.start < history_cutoff(now=now)


# --- the list of sessions ------------------------------------------------------------------


@dataclass(frozen=True)
class SessionList:
    upcoming: list[Session]
    recent: list[Session]


def _count(qs, group: str) -> Subquery:
    return Coalesce(
        Subquery(qs.order_by().values(group).annotate(n=Count("pk")).values("n")[:1],
                 output_field=IntegerField()),
        0,
    )


def _earlier_checkin():
    """Subquery: an earlier check-in of the same person in the same initiative (the rule of
    `attendance.checkin.is_first_visit`)."""
    return CheckIn.objects.filter(
        initiative_id=OuterRef("initiative_id"), person_id=OuterRef("person_id"),
        at__lt=OuterRef("at"),
    ).exclude(pk=OuterRef("pk"))


def list_sessions(*, user, initiative: Initiative, now: dt.datetime | None = None) -> SessionList:
    """Upcoming and recent sessions of the activities `user` organises (all for a coordinator),
    each with `signed_up`, `waiting`, `present`, `guests` and `new` counts. Recent means the
    last RECENT_DAYS days and never before the history cutoff. Three queries."""
    now = now or timezone.now()
    since = max(now - dt.timedelta(days=RECENT_DAYS), history_cutoff(now=now))
    activity_ids = organised_activities(user, initiative).values("pk")
    session_regs = Registration.objects.filter(session=OuterRef("pk"))
    project_regs = Registration.objects.filter(activity=OuterRef("activity"), session__isnull=True)
    guests = (GuestTally.objects.filter(session=OuterRef("pk")).order_by().values("session")
              .annotate(t=Sum("count")).values("t")[:1])
    base = (
        Session.objects.filter(initiative=initiative, activity__in=activity_ids)
        .select_related("activity", "activity__initiative")
        .annotate(
            session_confirmed=_count(session_regs.filter(status=S.CONFIRMED), "session"),
            session_waiting=_count(session_regs.filter(status=S.WAITLISTED), "session"),
            project_confirmed=_count(project_regs.filter(status=S.CONFIRMED), "activity"),
            project_waiting=_count(project_regs.filter(status=S.WAITLISTED), "activity"),
            present=_count(CheckIn.objects.filter(session=OuterRef("pk")), "session"),
            guests=Coalesce(Subquery(guests, output_field=IntegerField()), 0),
        )
    )
    upcoming = list(base.filter(end__gte=now).order_by("start", "pk")[:UPCOMING_SHOWN])
    recent = list(base.filter(end__lt=now, start__gte=since).order_by("-start", "-pk")[:RECENT_SHOWN])
    sessions = [*upcoming, *recent]
    new = count_new_by_session([s.pk for s in sessions])
    for s in sessions:
        project = s.activity.kind == Activity.Kind.PROJECT
        s.signed_up = s.project_confirmed if project else s.session_confirmed
        s.waiting = s.project_waiting if project else s.session_waiting
        s.new = new.get(s.pk, 0)
    return SessionList(upcoming=upcoming, recent=recent)


def count_new_by_session(session_ids: list[int]) -> dict[int, int]:
    """{session id: check-ins that were the person's first visit to the meeting place}."""
    if not session_ids:
        return {}
    rows = (
        CheckIn.objects.filter(session_id__in=session_ids, person__isnull=False)
        .annotate(earlier=Exists(_earlier_checkin())).filter(earlier=False)
        .order_by().values("session_id").annotate(n=Count("pk"))
    )
    return {row["session_id"]: row["n"] for row in rows}


# --- one session -------------------------------------------------------------------------


@dataclass(frozen=True)
class Attendance:
    """One session as its organiser sees it. `present` rows carry `first_visit` (first time at
    the meeting place), `first_at_activity` (first time at this activity) and `signed_up`."""

    confirmed: list[Registration] = field(default_factory=list)
    waitlisted: list[Registration] = field(default_factory=list)
    present: list[CheckIn] = field(default_factory=list)
    not_yet_marked: list[Registration] = field(default_factory=list)
    guests_by_group: dict[str, int] = field(default_factory=dict)
    guests: int = 0
    new_here: int = 0
    new_at_activity: int = 0

    def person_ids(self) -> set[int]:
        ids = {r.person_id for r in (*self.confirmed, *self.waitlisted)}
        return ids | {c.person_id for c in self.present if c.person_id is not None}


def registrations_of(session: Session) -> QuerySet[Registration]:
    """The live registrations that count for `session`: its own sign-ups, or for a project
    session the project's enrolments."""
    if session.activity.kind == Activity.Kind.PROJECT:
        regs = Registration.objects.filter(activity_id=session.activity_id, session__isnull=True)
    else:
        regs = Registration.objects.filter(session=session)
    return regs.filter(initiative_id=session.initiative_id, status__in=LIVE,
                       person__anonymised_at__isnull=True)


def get_attendance(session: Session) -> Attendance:
    """Registrations (confirmed, waiting), who was present with who is new, and the guest
    tallies of `session`. Display names only. Three queries."""
    rows = list(
        registrations_of(session).select_related("person")
        .only("id", "status", "created_at", "person_id", "person__id", "person__display_name")
        .order_by("created_at", "id")
    )
    earlier_here = _earlier_checkin()
    earlier_at_activity = earlier_here.filter(session__activity_id=session.activity_id)
    present = list(
        CheckIn.objects.filter(session=session, person__isnull=False)
        .select_related("person")
        .only("id", "at", "method", "session_id", "initiative_id", "person_id",
              "person__id", "person__display_name")
        .annotate(has_earlier=Exists(earlier_here), has_earlier_here=Exists(earlier_at_activity))
        .order_by("person__display_name", "id")
    )
    registered = {r.person_id for r in rows}
    for c in present:
        c.first_visit = not c.has_earlier
        c.first_at_activity = not c.has_earlier_here
        c.signed_up = c.person_id in registered
    present_ids = {c.person_id for c in present}
    guests_by_group = {
        row["group"]: row["n"]
        for row in GuestTally.objects.filter(session=session).order_by("group")
        .values("group").annotate(n=Sum("count"))
    }
    confirmed = [r for r in rows if r.status == S.CONFIRMED]
    waitlisted = [r for r in rows if r.status == S.WAITLISTED]
    return Attendance(
        confirmed=confirmed, waitlisted=waitlisted, present=present,
        not_yet_marked=[r for r in (*confirmed, *waitlisted) if r.person_id not in present_ids],
        guests_by_group=guests_by_group, guests=sum(guests_by_group.values()),
        new_here=sum(1 for c in present if c.first_visit),
        new_at_activity=sum(1 for c in present if c.first_at_activity and not c.first_visit),
    )


@dataclass(frozen=True)
class Totals:
    """Counts only, for a session older than the history window (privacy rule 6)."""

    signed_up: int
    present: int
    guests: int


def get_totals(session: Session) -> Totals:
    return Totals(
        signed_up=registrations_of(session).filter(status=S.CONFIRMED).count(),
        present=CheckIn.objects.filter(session=session).count(),
        guests=GuestTally.objects.filter(session=session).aggregate(t=Sum("count"))["t"] or 0,
    )


def search_members(*, session: Session, query: str) -> list[Person]:
    """People of the session's initiative whose display name contains `query` and who are not
    marked present yet (display names only). Nothing for fewer than SEARCH_MIN characters."""
    query = (query or "").strip()
    if len(query) < SEARCH_MIN or len(query) > 60:
        return []
    present = CheckIn.objects.filter(session=session, person__isnull=False).values("person_id")
    return list(
        Person.objects.filter(initiative_id=session.initiative_id, anonymised_at__isnull=True,
                              display_name__icontains=query)
        .exclude(pk__in=present).only("id", "display_name")
        .order_by("display_name", "id")[:SEARCH_SHOWN]
    )


def list_messages(session: Session) -> list[SessionMessage]:
    return list(SessionMessage.objects.filter(session=session).order_by("-sent_at", "-id")
                [:MESSAGES_SHOWN])


# --- recipients ----------------------------------------------------------------------------


def list_recipients(session: Session) -> list[Person]:
    """Everyone with a live registration for `session` (sign-up or project enrolment), once,
    with what sending needs: email and preferred language."""
    person_ids = registrations_of(session).values("person_id")
    return list(
        Person.objects.filter(initiative_id=session.initiative_id, pk__in=person_ids,
                              anonymised_at__isnull=True)
        .only("id", "display_name", "email", "preferred_language", "initiative_id")
        .order_by("id")
    )
