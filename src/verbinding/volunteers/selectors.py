"""Reads of the volunteers app: the facts the volunteer path is derived from, for a whole
initiative (a handful of grouped queries) or one person, the open needs, and the page data.

Everything is scoped to one initiative. The heavy grouping happens in the database: per person
only the first (and last) check-in of each ISO week and the first session of each calendar
month come back, so the number of rows grows with people × weeks, not with check-ins.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Count, Max, Min, Q
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from verbinding.accounts.models import VOLUNTEER_ROLES
from verbinding.activities.models import Activity, Session
from verbinding.attendance.models import CheckIn
from verbinding.core.models import Initiative
from verbinding.people.models import Person, SelfDescription
from verbinding.people.selectors import history_cutoff
from verbinding.volunteers import path as vpath
from verbinding.volunteers.path import Need, PathFacts, PersonPath, Split, Stage

NEED_DAYS = 42  # an activity with a planned session in the next six weeks can use an organiser


def initiative_tz(initiative: Initiative) -> dt.tzinfo:
    try:
        return ZoneInfo(initiative.time_zone)
    except (ValueError, KeyError):  # a bad zone name must not break the page
        return ZoneInfo("Europe/Amsterdam")


def _visit_rows(initiative: Initiative, tz, person_id: int | None = None):
    """(person id, first check-in, last check-in) per person per ISO week (local time).

    PostgreSQL groups by week itself. SQLite converts time zones through a Python function
    called once per row, which made the grouped query three times slower than reading the
    (person, moment) pairs and grouping them here (measured: README.md), so on SQLite the
    grouping happens in Python with the same week rule as the pure module."""
    rows = CheckIn.objects.filter(initiative=initiative, person__isnull=False)
    if person_id is not None:
        rows = rows.filter(person_id=person_id)
    if connection.vendor == "postgresql":
        return (
            rows.annotate(week=TruncWeek("at", tzinfo=tz)).order_by()
            .values("person_id", "week").annotate(first=Min("at"), last=Max("at"))
            .values_list("person_id", "first", "last")
        )
    weeks: dict[tuple[int, vpath.Week], list[dt.datetime]] = {}
    for pid, moment in rows.order_by().values_list("person_id", "at").iterator(chunk_size=5000):
        key = (pid, vpath.week_of(moment, tz))
        span = weeks.get(key)
        if span is None:
            weeks[key] = [moment, moment]
        elif moment < span[0]:
            span[0] = moment
        elif moment > span[1]:
            span[1] = moment
    return [(pid, first, last) for (pid, _week), (first, last) in weeks.items()]


def _organised_rows(initiative: Initiative, tz, now: dt.datetime, person_id: int | None = None):
    """(organiser person id, first and last start) per calendar month of sessions that took
    place: start in the past, not cancelled, of an activity that is not a draft."""
    # One filter() call, so the organiser join is the same one the grouping reads.
    held = {"initiative": initiative, "start__lt": now, "activity__organisers__isnull": False,
            "status__in": [Session.Status.PLANNED, Session.Status.HELD]}
    if person_id is not None:
        held["activity__organisers"] = person_id
    sessions = Session.objects.filter(**held).exclude(activity__status=Activity.Status.DRAFT)
    return (
        sessions.annotate(month=TruncMonth("start", tzinfo=tz)).order_by()
        .values("activity__organisers", "month").annotate(first=Min("start"), last=Max("start"))
        .values_list("activity__organisers", "first", "last")
    )


def _volunteer_rows(initiative: Initiative, person_id: int | None = None):
    people = Person.objects.filter(
        initiative=initiative, user__roles__initiative=initiative,
        user__roles__name__in=VOLUNTEER_ROLES,
    )
    if person_id is not None:
        people = people.filter(pk=person_id)
    return people.order_by().values("id").annotate(since=Min("user__roles__granted_at")).values_list(
        "id", "since"
    )


def list_paths(*, initiative: Initiative, now: dt.datetime | None = None,
               person_id: int | None = None) -> dict[int, PersonPath]:
    """Every person's path in this initiative (or one person's): three grouped queries."""
    now = now or timezone.now()
    tz = initiative_tz(initiative)
    visits: dict[int, list[dt.datetime]] = defaultdict(list)
    last_visit: dict[int, dt.datetime] = {}
    for pid, first, last in _visit_rows(initiative, tz, person_id):
        visits[pid].append(first)
        if pid not in last_visit or last > last_visit[pid]:
            last_visit[pid] = last
    organised: dict[int, list[dt.datetime]] = defaultdict(list)
    last_organised: dict[int, dt.datetime] = {}
    for pid, first, last in _organised_rows(initiative, tz, now, person_id):
        organised[pid].append(first)
        if pid not in last_organised or last > last_organised[pid]:
            last_organised[pid] = last
    volunteer = dict(_volunteer_rows(initiative, person_id))
    ids = set(visits) | set(organised) | set(volunteer)
    return {
        pid: vpath.derive_path(PathFacts(
            person_id=pid, visits=tuple(visits.get(pid, ())), last_visit=last_visit.get(pid),
            organised=tuple(organised.get(pid, ())), last_organised=last_organised.get(pid),
            volunteer_since=volunteer.get(pid),
        ), tz=tz)
        for pid in sorted(ids)
    }


def get_person_path(*, person: Person, now: dt.datetime | None = None) -> PersonPath:
    paths = list_paths(initiative=person.initiative, now=now, person_id=person.pk)
    return paths.get(person.pk, PersonPath(person_id=person.pk))


def list_open_needs(*, initiative: Initiative, now: dt.datetime | None = None) -> list[tuple[Need, Activity]]:
    """Published activities with a planned session in the next NEED_DAYS days and fewer than
    two organisers, soonest first, with their organisers' ids."""
    now = now or timezone.now()
    coming = Q(sessions__start__gte=now, sessions__start__lt=now + dt.timedelta(days=NEED_DAYS),
               sessions__status=Session.Status.PLANNED)
    activities = (
        Activity.objects.filter(initiative=initiative, status=Activity.Status.PUBLISHED)
        .annotate(next_start=Min("sessions__start", filter=coming),
                  n_organisers=Count("organisers", distinct=True))
        .filter(next_start__isnull=False, n_organisers__lt=2)
        .select_related("initiative")
        .prefetch_related("organisers")
        .order_by("next_start", "id")
    )
    return [
        (Need(activity_id=a.pk, format=a.format,
              organisers=frozenset(p.pk for p in a.organisers.all()),
              women_only=a.audience == Activity.Audience.WOMEN), a)
        for a in activities
    ]


def self_descriptions(*, initiative: Initiative) -> tuple[dict[int, str], frozenset[int]]:
    """(person id → declared group, ids of people who described themselves as women). The row
    exists only with consent (it is deleted when consent is withdrawn)."""
    rows = SelfDescription.objects.filter(person__initiative=initiative).values_list(
        "person_id", "group", "gender"
    )
    groups: dict[int, str] = {}
    women: set[int] = set()
    for pid, group, gender in rows:
        groups[pid] = group
        if gender == SelfDescription.Gender.WOMAN:
            women.add(pid)
    return groups, frozenset(women)


@dataclass(frozen=True)
class Balance:
    visitors: Split
    volunteers: Split
    organisers: Split
    volunteer_drift: vpath.Drift | None
    organiser_drift: vpath.Drift | None
    since: dt.datetime


def get_balance(*, paths: dict[int, PersonPath], groups: dict[int, str], active: set[int],
                now: dt.datetime) -> Balance:
    """Visitors: people who checked in since the history cutoff. Organisers: people who
    organised a session that took place since then. Volunteers: people who hold a volunteer
    role now. Anonymised people are left out (`active` = ids not anonymised)."""
    since = history_cutoff(now=now)
    visitors = [p.person_id for p in paths.values()
                if p.last_visit is not None and p.last_visit >= since and p.person_id in active]
    organisers = [p.person_id for p in paths.values()
                  if p.last_organised is not None and p.last_organised >= since
                  and p.person_id in active]
    volunteers = [p.person_id for p in paths.values()
                  if Stage.VOLUNTEER in p.dates and p.person_id in active]
    v, vol, org = (vpath.split(ids, groups) for ids in (visitors, volunteers, organisers))
    return Balance(v, vol, org, vpath.drift(v, vol), vpath.drift(v, org), since)


def list_people(*, initiative: Initiative, ids) -> dict[int, Person]:
    """The named people (display name and talents only), not anonymised."""
    return {
        p.pk: p for p in Person.objects.filter(initiative=initiative, pk__in=list(ids),
                                               anonymised_at__isnull=True)
        .only("id", "display_name", "talents", "initiative_id").order_by("display_name", "id")
    }


def active_person_ids(*, initiative: Initiative) -> set[int]:
    return set(Person.objects.filter(initiative=initiative, anonymised_at__isnull=True)
               .values_list("id", flat=True))


def list_talents(*, initiative: Initiative, ids) -> dict[int, list[str]]:
    return dict(Person.objects.filter(initiative=initiative, pk__in=list(ids),
                                      anonymised_at__isnull=True)
                .values_list("id", "talents"))


# --- The coordinator's page ---------------------------------------------------------------------


@dataclass(frozen=True)
class StageDate:
    stage: Stage
    at: dt.datetime | None     # None: reached longer ago than the history window (not shown)


@dataclass(frozen=True)
class PersonRow:
    person: Person
    path: PersonPath
    dates: tuple[StageDate, ...]
    talents: tuple[str, ...]
    needs: tuple[Activity, ...]


@dataclass(frozen=True)
class StageGroup:
    stage: Stage
    rows: tuple[PersonRow, ...]
    total: int


@dataclass(frozen=True)
class FunnelPage:
    funnel: tuple[vpath.FunnelRow, ...]
    groups: tuple[StageGroup, ...]
    needs: tuple[tuple[Need, Activity], ...]
    balance: Balance
    history_since: dt.datetime
    people_count: int

    @property
    def named_ids(self) -> list[int]:
        return sorted({row.person.pk for group in self.groups for row in group.rows})


def shown_dates(path: PersonPath, since: dt.datetime) -> tuple[StageDate, ...]:
    """Stage dates for a staff page: older than `since` (privacy rule 6) become None."""
    return tuple(StageDate(stage, at if at >= since else None) for stage, at in path.dates.items())


def get_funnel_page(*, initiative: Initiative, now: dt.datetime | None = None) -> FunnelPage:
    now = now or timezone.now()
    since = history_cutoff(now=now)
    active = active_person_ids(initiative=initiative)
    paths = list_paths(initiative=initiative, now=now)
    needs = list_open_needs(initiative=initiative, now=now)
    groups, women = self_descriptions(initiative=initiative)
    candidates = [p for p in paths.values() if p.person_id in active]
    talents = list_talents(initiative=initiative, ids=[p.person_id for p in candidates
                                                      if p.stage not in (None, Stage.FIRST_VISIT)])
    suggestions = vpath.suggest(candidates, now=now, talents=talents,
                                needs=[need for need, _a in needs], women=women)
    named = {s.person_id for group in suggestions for s in group.people}
    people = list_people(initiative=initiative, ids=named)
    by_activity = {a.pk: a for _need, a in needs}
    stage_groups = tuple(
        StageGroup(
            stage=group.stage, total=group.total,
            rows=tuple(
                PersonRow(person=people[s.person_id], path=paths[s.person_id],
                          dates=shown_dates(paths[s.person_id], since), talents=s.talents,
                          needs=tuple(by_activity[i] for i in s.need_ids))
                for s in group.people if s.person_id in people
            ),
        )
        for group in suggestions
    )
    return FunnelPage(
        funnel=vpath.funnel(paths.values()), groups=stage_groups, needs=tuple(needs),
        balance=get_balance(paths=paths, groups=groups, active=active, now=now),
        history_since=since, people_count=len(paths),
    )
