"""Read one initiative's attendance for a date range into the pure metrics `Dataset`.

What belongs here: the only code that turns database rows into the integer arrays of
`metrics.data.Dataset` (research note §2.1), and the descriptive side tables a snapshot
needs to label its numbers (activity titles, format codes, session dates). Nothing here
computes a metric.

Privacy (research note §4.3): persons become dense integers ``0..n-1`` for this run only
(the rank of their primary key among the persons in this period); no primary key, UUID or
name leaves this module. Group labels come only from `people.SelfDescription`, which exists
only while its consent holds; "rather not say" stays unknown, nothing is imputed.

Speed: a handful of `values_list` queries and numpy; no model instance per check-in. The
range is a local-calendar range in the initiative's time zone; sessions belong to the day
their start falls on there.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
from django.db import connections
from django.db.models import Sum

from verbinding.activities.models import Activity, Format, Session
from verbinding.attendance.models import CheckIn, GuestTally
from verbinding.core.models import Initiative
from verbinding.people.models import Person, SelfDescription

from .metrics.data import PROJECT, REGULAR, Dataset

GROUPS = ("newcomer", "local")
"""Group index -> `SelfDescription.Group` value; the order of every per-group list."""
GUEST_COLUMNS = {GuestTally.Group.NEWCOMER: 0, GuestTally.Group.LOCAL: 1, GuestTally.Group.UNSPECIFIED: 2}
FORMAT_CODES = {value: code for code, value in enumerate(Format.values)}
"""A format's code is its position in `Format`: stable across periods and snapshots."""


@dataclass(frozen=True, eq=False)
class Extract:
    """A `Dataset` plus what is needed to label its activities, formats and sessions."""

    dataset: Dataset
    activities: list[dict]  # dense activity id -> {"title": dict, "kind": str, "format": int}
    session_date: list[dt.date]  # per session, the local date of its start


def initiative_zone(initiative: Initiative) -> ZoneInfo:
    try:
        return ZoneInfo(initiative.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Europe/Amsterdam")


def local_bounds(initiative: Initiative, start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Aware datetimes of local midnight at ``start`` and at ``end`` (exclusive)."""
    zone = initiative_zone(initiative)
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=zone),
        dt.datetime.combine(end, dt.time.min, tzinfo=zone),
    )


def _pairs(rows, width: int) -> np.ndarray:
    """Integer rows from a query as an (n, width) array, without a tuple per row kept."""
    flat = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64)
    return flat.reshape(-1, width)


def _epoch_seconds(values: list) -> np.ndarray:
    """UTC seconds since the epoch of raw datetime column values: aware datetimes
    (PostgreSQL), naive UTC datetimes or naive UTC text "YYYY-MM-DD HH:MM:SS[.ffffff]"
    (SQLite, depending on how the connection parses declared types)."""
    if not values:
        return np.zeros(0, dtype=np.int64)
    first = values[0]
    if isinstance(first, dt.datetime) and first.tzinfo is not None:
        return np.array([v.timestamp() for v in values], dtype=np.float64).astype(np.int64)
    # Naive values are UTC (USE_TZ): numpy parses both text and naive datetimes as UTC.
    return np.array(values, dtype="datetime64[us]").astype(np.int64) // 1_000_000


def local_days(epoch_s: np.ndarray, zone: ZoneInfo) -> np.ndarray:
    """Local day numbers (days since 1970-01-01 in ``zone``) of UTC epoch seconds.

    The UTC offset is looked up once per distinct quarter of an hour (offsets change on
    such boundaries), not once per value.
    """
    bucket = epoch_s // 900
    keys, inverse = np.unique(bucket, return_inverse=True)
    offsets = np.array([
        dt.datetime.fromtimestamp(int(k) * 900, tz=zone).utcoffset().total_seconds()
        for k in keys.tolist()
    ], dtype=np.int64)
    return (epoch_s + offsets[inverse]) // 86400


def _raw_rows(queryset) -> list[tuple]:
    """Rows of a values_list queryset straight from the cursor.

    Skips Django's per-value converters: turning 70 000 session datetimes into aware
    datetime objects took over a second; `_epoch_seconds` reads the raw values with numpy.
    """
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


CHUNK = 900
"""Session ids per query: below SQLite's historical limit of 999 parameters."""


def _chunks(ids: np.ndarray) -> list[list[int]]:
    values = ids.tolist()
    return [values[i:i + CHUNK] for i in range(0, len(values), CHUNK)]


def counted_sessions(initiative: Initiative, lo: dt.datetime | None = None,
                     hi: dt.datetime | None = None):
    """Sessions of the initiative that were not cancelled, optionally starting in [lo, hi)."""
    qs = Session.objects.filter(initiative=initiative).exclude(status=Session.Status.CANCELLED)
    if lo is not None:
        qs = qs.filter(start__gte=lo, start__lt=hi)
    return qs


def extract(initiative: Initiative, start: dt.date, end: dt.date) -> Extract:
    """The attendance of sessions starting in [start, end) (local dates), as a `Dataset`.

    Sessions count when they were not cancelled and had at least one registered check-in or
    guest tally. Organiser records: every organiser of an activity (`Activity.organisers`)
    for each counted session of it, with the session's length as hours (organisers are
    stored per activity, not per session).
    """
    if end <= start:
        raise ValueError("end must be after start")
    zone = initiative_zone(initiative)
    lo, hi = local_bounds(initiative, start, end)
    rows = _raw_rows(
        counted_sessions(initiative, lo, hi).order_by("start", "id")
        .values_list("id", "activity_id", "start", "end")
    )
    all_pk = np.array([r[0] for r in rows], dtype=np.int64)
    # Check-ins and tallies by explicit lists of this period's sessions, a chunk at a time:
    # each query can only use the (session, person) index, whatever the planner believes
    # about table sizes. (A subquery or join let PostgreSQL, with statistics taken while
    # the table was nearly empty, scan every check-in once per session.) Sessions come from
    # the initiative, so their check-ins do; persons of another initiative are dropped below
    # all the same.
    checkins = _pairs(itertools.chain.from_iterable(
        CheckIn.objects.filter(session_id__in=chunk, person__isnull=False)
        .order_by().values_list("session_id", "person_id")
        for chunk in _chunks(all_pk)
    ), 2)
    members = np.sort(_pairs(
        Person.objects.filter(initiative=initiative).order_by().values_list("id"), 1
    )[:, 0])
    if checkins.size:
        checkins = checkins[np.isin(checkins[:, 1], members)]
    tallies = [
        row for chunk in _chunks(all_pk)
        for row in GuestTally.objects.filter(session_id__in=chunk)
        .order_by()
        .values("session_id", "group")
        .annotate(n=Sum("count"))
        .values_list("session_id", "group", "n")
    ]
    used = np.unique(np.concatenate([
        checkins[:, 0], np.array([t[0] for t in tallies], dtype=np.int64),
    ]))

    keep = np.isin(all_pk, used)
    rows = [r for r, k in zip(rows, keep.tolist(), strict=True) if k]
    # Sessions in time order: dense session id = position.
    session_pk = all_pk[keep]
    start_s = _epoch_seconds([r[2] for r in rows])
    end_s = _epoch_seconds([r[3] for r in rows])
    session_day = local_days(start_s, zone)
    session_date = session_day.astype("datetime64[D]").tolist()
    session_hours = (end_s - start_s) / 3600.0
    act_pk_of_session = np.array([r[1] for r in rows], dtype=np.int64)

    act_pks, session_activity = np.unique(act_pk_of_session, return_inverse=True)
    act_rows = {
        pk: (kind, fmt, title)
        for pk, kind, fmt, title in Activity.objects.filter(
            initiative=initiative, pk__in=act_pks.tolist()
        ).values_list("id", "kind", "format", "title")
    }
    activities = []
    for pk in act_pks.tolist():
        kind, fmt, title = act_rows[pk]
        activities.append({
            "title": title if isinstance(title, dict) else {},
            "kind": kind,
            "format": FORMAT_CODES.get(fmt, FORMAT_CODES[Format.OTHER]),
        })
    activity_kind = np.array(
        [PROJECT if a["kind"] == Activity.Kind.PROJECT else REGULAR for a in activities], dtype=np.int64
    )
    activity_format = np.array([a["format"] for a in activities], dtype=np.int64)
    session_format = activity_format[session_activity] if activities else np.zeros(0, np.int64)

    # Sessions by primary key -> dense id (sorted lookup, no dict per check-in).
    order = np.argsort(session_pk)
    sorted_pk = session_pk[order]

    def dense_session(pks: np.ndarray) -> np.ndarray:
        return order[np.searchsorted(sorted_pk, pks)]

    n_sessions = session_pk.shape[0]
    guests = np.zeros((n_sessions, len(GROUPS) + 1), dtype=np.int64)
    if tallies:
        t = np.array([(s, GUEST_COLUMNS.get(g, 2), n) for s, g, n in tallies], dtype=np.int64)
        np.add.at(guests, (dense_session(t[:, 0]), t[:, 1]), t[:, 2])

    organisers = _pairs(
        Activity.organisers.through.objects.filter(
            activity_id__in=act_pks.tolist(), person__initiative=initiative
        ).order_by().values_list("activity_id", "person_id"),
        2,
    )
    # One organiser record per (organiser, counted session of their activity).
    org_person_pk = np.zeros(0, dtype=np.int64)
    org_session = np.zeros(0, dtype=np.int64)
    if organisers.size and n_sessions:
        org_act = np.searchsorted(act_pks, organisers[:, 0])
        by_act = np.argsort(session_activity, kind="stable")
        counts = np.bincount(session_activity, minlength=act_pks.shape[0])
        offsets = np.concatenate([[0], np.cumsum(counts)])
        reps = counts[org_act]
        org_person_pk = np.repeat(organisers[:, 1], reps)
        org_session = np.concatenate(
            [by_act[offsets[a]:offsets[a + 1]] for a in org_act]
        ).astype(np.int64)

    person_pks = np.unique(np.concatenate([checkins[:, 1], org_person_pk]))
    person_group = np.full(person_pks.shape[0], -1, dtype=np.int64)
    labels = _labels(initiative)
    if labels.size and person_pks.size:
        pos = np.searchsorted(person_pks, labels[:, 0])
        pos = np.minimum(pos, person_pks.shape[0] - 1)
        hit = person_pks[pos] == labels[:, 0]
        person_group[pos[hit]] = labels[hit, 1]

    att_person = np.searchsorted(person_pks, checkins[:, 1])
    att_session = dense_session(checkins[:, 0]) if checkins.size else np.zeros(0, np.int64)
    ds = Dataset.build(
        person_group=person_group,
        session_day=session_day,
        session_activity=session_activity.astype(np.int64),
        activity_kind=activity_kind,
        att_person=att_person,
        att_session=att_session,
        n_groups=len(GROUPS),
        session_format=session_format,
        session_hours=session_hours,
        guests=guests,
        org_person=np.searchsorted(person_pks, org_person_pk),
        org_session=org_session,
    )
    return Extract(dataset=ds, activities=activities, session_date=session_date)


def _labels(initiative: Initiative) -> np.ndarray:
    """(person pk, group index) for every consented newcomer/local label in the initiative."""
    index = {g: i for i, g in enumerate(GROUPS)}
    rows = SelfDescription.objects.filter(
        person__initiative=initiative, group__in=list(GROUPS)
    ).order_by().values_list("person_id", "group")
    return _pairs(((pk, index[g]) for pk, g in rows), 2)
