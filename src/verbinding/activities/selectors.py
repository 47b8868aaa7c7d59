"""Reads of activities and sessions for the public calendar, activity pages and iCal feeds.

Every selector takes the initiative first and filters on it, so an object of another
initiative is never returned (a 404 in the views). Visibility: only published activities;
members-only activities only for members of the initiative. Cancelled sessions are returned
(the calendar shows them struck through) rather than hidden.

Sign-up counts are annotated through the reverse relation `registrations` (owned by the
attendance app, which sits above activities and may not be imported here).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import dateformat, formats, timezone

from verbinding.accounts.access import is_member
from verbinding.activities.models import Activity, Session
from verbinding.activities.templatetags.calendar_tags import money
from verbinding.core.i18n import localized, localized_lang
from verbinding.core.models import Initiative

CONFIRMED = "confirmed"


@dataclass(frozen=True)
class CalendarFilters:
    """What a visitor narrowed the calendar to. Empty strings mean "any"."""

    no_dutch: bool = False
    free: bool = False
    women_only: bool = False
    kind: str = ""
    format: str = ""

    @property
    def active(self) -> bool:
        return bool(self.no_dutch or self.free or self.women_only or self.kind or self.format)


NO_FILTERS = CalendarFilters()


def _visible_activities_q(initiative: Initiative, viewer, *, prefix: str = "") -> Q:
    q = Q(**{f"{prefix}initiative": initiative, f"{prefix}status": Activity.Status.PUBLISHED})
    if not is_member(viewer, initiative):
        q &= ~Q(**{f"{prefix}audience": Activity.Audience.MEMBERS})
    return q


def _apply_filters(qs: QuerySet, filters: CalendarFilters) -> QuerySet:
    if filters.no_dutch:
        qs = qs.filter(activity__language_needed=Activity.LanguageNeeded.NONE)
    if filters.free:
        qs = qs.filter(activity__cost=Activity.Cost.FREE)
    if filters.women_only:
        qs = qs.filter(activity__audience=Activity.Audience.WOMEN)
    if filters.kind:
        qs = qs.filter(activity__kind=filters.kind)
    if filters.format:
        qs = qs.filter(activity__format=filters.format)
    return qs


def _session_queryset(initiative: Initiative, viewer) -> QuerySet:
    """Sessions of visible activities, each with `confirmed_count` (confirmed sign-ups)."""
    return (
        Session.objects.filter(initiative=initiative)
        .filter(_visible_activities_q(initiative, viewer, prefix="activity__"))
        .select_related("activity")
        .annotate(
            confirmed_count=Count("registrations", filter=Q(registrations__status=CONFIRMED))
        )
        .order_by("start", "id")
    )


def _finish(
    sessions: list[Session], initiative: Initiative, *, known: Activity | None = None
) -> list[Session]:
    """Share one Activity object per activity (and the initiative: no query per title
    fallback) and compute places left.

    For a project people enrol once for the series, so its places come from the enrolments
    (registrations without a session): one extra query for all projects shown, and one for
    their coming sessions (`coming_sessions`, which the enrol controls read).
    """
    activities: dict[int, Activity] = {known.pk: known} if known is not None else {}
    for s in sessions:
        s.activity = activities.setdefault(s.activity_id, s.activity)
        s.activity.initiative = initiative
    load_project_state(
        initiative, [a for a in activities.values() if a.kind == Activity.Kind.PROJECT]
    )
    for s in sessions:
        activity = s.activity
        capacity = s.effective_capacity
        taken = activity.enrolled_count if activity.kind == Activity.Kind.PROJECT else s.confirmed_count
        s.places_left = None if capacity is None else max(capacity - taken, 0)
        s.is_cancelled = s.status == Session.Status.CANCELLED
        s.is_full = s.places_left == 0
    return sessions


def load_project_state(initiative: Initiative, projects: Iterable[Activity]) -> None:
    """Set `enrolled_count` (confirmed enrolments) and `coming_sessions` (planned sessions still
    to come, which decide whether enrolment is open) on each project, in two queries."""
    projects = {a.pk: a for a in projects}
    if not projects:
        return
    enrolled = dict(
        Activity.objects.filter(initiative=initiative, pk__in=projects)
        .annotate(
            enrolled=Count(
                "registrations",
                filter=Q(registrations__session__isnull=True, registrations__status=CONFIRMED),
            )
        )
        .values_list("pk", "enrolled")
    )
    coming: dict[int, list[Session]] = {pk: [] for pk in projects}
    for session in (
        Session.objects.filter(
            initiative=initiative, activity_id__in=projects,
            status=Session.Status.PLANNED, start__gt=timezone.now(),
        )
        .only("id", "activity_id", "start", "end", "status")
        .order_by("start", "id")
    ):
        coming[session.activity_id].append(session)
    for pk, activity in projects.items():
        activity.enrolled_count = enrolled.get(pk, 0)
        activity.coming_sessions = coming[pk]


def list_public_sessions(
    initiative: Initiative,
    *,
    start: dt.datetime,
    end: dt.datetime,
    filters: CalendarFilters = NO_FILTERS,
    viewer=None,
    activity: Activity | None = None,
    limit: int | None = None,
) -> list[Session]:
    """Sessions starting in [start, end) that `viewer` may see, ordered by start.

    Each session carries `confirmed_count`, `places_left` (None = no limit), `is_full` and
    `is_cancelled`; a project activity also carries `enrolled_count` and `coming_sessions`.
    Pass `activity` to restrict to one activity (it must already be visible to the viewer).
    """
    qs = _session_queryset(initiative, viewer).filter(start__gte=start, start__lt=end)
    qs = _apply_filters(qs, filters)
    if activity is not None:
        qs = qs.filter(activity=activity)
    if limit is not None:
        qs = qs[:limit]
    return _finish(list(qs), initiative, known=activity)


def list_activity_sessions(
    initiative: Initiative, activity: Activity, *, viewer=None, start: dt.datetime | None = None,
    limit: int = 200,
) -> list[Session]:
    """The sessions of one (visible) activity from `start` on (all of them when None)."""
    qs = _session_queryset(initiative, viewer).filter(activity=activity)
    if start is not None:
        qs = qs.filter(start__gte=start)
    return _finish(list(qs[:limit]), initiative, known=activity)


def get_public_activity(initiative: Initiative, pk: int, viewer=None) -> Activity:
    """The activity `pk` of this initiative if `viewer` may see it; Http404 otherwise
    (another initiative's activity, a draft or archived one, members-only for a non-member)."""
    activity = (
        Activity.objects.filter(_visible_activities_q(initiative, viewer), pk=pk)
        .first()
    )
    if activity is None:
        raise Http404
    activity.initiative = initiative
    return activity


def list_organiser_names(activity: Activity) -> list[str]:
    """Display names of the organisers. Only for members of the initiative: public pages
    never show a person (the view decides)."""
    return list(activity.organisers.order_by("display_name", "id").values_list("display_name", flat=True))


def group_by_day(sessions: Iterable[Session]) -> list[tuple[dt.date, list[Session]]]:
    """Sessions grouped by their local date (the active time zone), in order."""
    return [
        (day, list(items))
        for day, items in groupby(sessions, key=lambda s: timezone.localtime(s.start).date())
    ]


def add_card_display(sessions: Iterable[Session], initiative: Initiative) -> None:
    """Work out once, in Python, what the session cards print, in the active language and time
    zone (call it where the page renders): on each session `start_iso`, `end_iso` (the
    datetime="" of its <time>s), `start_time`, `end_time` and `start_day` ("Monday 3 March");
    on each activity `card_title` (in the viewer's language, with the initiative's fallbacks),
    `card_title_lang` (the language that title is really in) and `card_money` (its price).

    Many sessions share an activity and a time of day, so each string is formatted once per
    distinct value: the template then prints plain strings instead of running a filter per card.
    """
    fallbacks = initiative.languages or ()
    time_fmt = formats.get_format("TIME_FORMAT")
    iso: dict[dt.datetime, str] = {}
    times: dict[tuple, str] = {}
    days: dict[dt.date, str] = {}
    done: set[int] = set()

    def local(value: dt.datetime) -> dt.datetime:
        return timezone.localtime(value) if timezone.is_aware(value) else value

    for s in sessions:
        for name, value in (("start", s.start), ("end", s.end)):
            when = local(value)
            text = iso.get(when)
            if text is None:
                text = iso[when] = dateformat.format(when, "c")
            setattr(s, f"{name}_iso", text)
            key = (when.time(), when.utcoffset())
            text = times.get(key)
            if text is None:
                text = times[key] = dateformat.time_format(when, time_fmt)
            setattr(s, f"{name}_time", text)
        day = local(s.start)
        s.start_day = days.get(day.date()) or days.setdefault(
            day.date(), formats.date_format(day, "l j F")
        )
        activity = s.activity
        if id(activity) not in done:
            done.add(id(activity))
            activity.card_title = localized(activity.title, fallbacks=fallbacks)
            activity.card_title_lang = localized_lang(
                activity.title if isinstance(activity.title, dict) else None, fallbacks=fallbacks
            )
            activity.card_money = money(activity.cost_cents) if activity.cost == "amount" else ""
