"""Input data for the connection metrics: plain integer arrays, no Django.

What belongs here: the frozen `Dataset` that every metric reads, the `MetricParams`
that every metric is configured with, and the calendar helpers (day -> ISO week ->
month) that the metrics share. Nothing here computes a metric.

Conventions (see docs/algorithms/connection-metrics.md):

* Persons, sessions and activities are dense integer ids ``0..n-1``. The Django side
  maps UUIDs to these ids per run (HMAC pseudonyms, research note §4.3), so no id
  here can be linked back to a person without the mapping.
* A person's group is a small integer ``0..G-1`` (e.g. 0 = "new in NL",
  1 = "lived here longer") or ``UNKNOWN`` (-1) when no consented label exists.
  Missing labels are never imputed (research note §2.8, pitfall 4).
* A session has a date (days since 1970-01-01), an activity, a format code and a
  duration in hours. Guest tallies are anonymous walk-in counts per session and
  per group button, with one extra last column for "rather not say".
* Attendance is the bipartite person-session incidence of §2.1; duplicates are
  removed on construction (§2.8 pitfall 9: double check-ins).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

UNKNOWN = -1
"""Group code for a person without a consented group label."""

REGULAR = 0
"""Activity kind: low-threshold, recurring activity (language café, coffee night)."""
PROJECT = 1
"""Activity kind: a project with a fixed group over a limited period."""


@dataclass(frozen=True)
class MetricParams:
    """Every tunable number of the metrics, in one place so snapshots can store it.

    Defaults follow the research note: size cap 25 (§2.3), durable tie = 3 distinct
    weeks spanning 4 weeks (§2.5), mixed session = both groups >= 2 persons and
    >= 20 % (§2.2), return within 4 weeks and dropout after 8 weeks (§2.6).
    """

    size_cap: int = 25
    durable_min_weeks: int = 3
    durable_min_span_weeks: int = 4
    mixed_min_count: int = 2
    mixed_min_share: float = 0.2
    return_within_days: int = 28
    dropout_gap_days: int = 56
    project_tie_min_weeks: int = 2
    n_permutations: int = 1000
    seed: int = 0

    def __post_init__(self) -> None:
        if self.size_cap < 2:
            raise ValueError("size_cap must be at least 2: a tie needs two people")
        if self.durable_min_weeks < 1 or self.durable_min_span_weeks < 0:
            raise ValueError("durable tie parameters must be positive")
        if not 0.0 <= self.mixed_min_share <= 0.5:
            raise ValueError("mixed_min_share must lie in [0, 0.5]")
        if self.n_permutations < 0:
            raise ValueError("n_permutations must be >= 0")


def _frozen(a: np.ndarray, dtype: type | np.dtype) -> np.ndarray:
    out = np.ascontiguousarray(a, dtype=dtype)
    if out is a:
        out = out.copy()
    out.setflags(write=False)
    return out


def week_of_day(day: np.ndarray) -> np.ndarray:
    """Monday-based week index since the epoch (1970-01-01 was a Thursday)."""
    return (np.asarray(day, dtype=np.int64) + 3) // 7


def month_of_day(day: np.ndarray) -> np.ndarray:
    """Calendar month index (year * 12 + month - 1) of a day number."""
    months = np.asarray(day, dtype=np.int64).astype("datetime64[D]").astype("datetime64[M]")
    return months.astype(np.int64) + 1970 * 12


def month_of_week(week: np.ndarray) -> np.ndarray:
    """Month of a week, taken as the month of its Thursday (the ISO 8601 convention)."""
    # Week w starts on Monday, day 7w - 3; its Thursday is day 7w.
    return month_of_day(np.asarray(week, dtype=np.int64) * 7)


@dataclass(frozen=True, eq=False)
class Dataset:
    """One initiative's attendance for one computation, as read-only arrays.

    Build it with `Dataset.build`, which validates ids and removes duplicate
    check-ins. All arrays are read-only so a metric cannot corrupt another's input.
    """

    n_groups: int
    person_group: np.ndarray  # (n_persons,) int8, UNKNOWN = -1
    session_day: np.ndarray  # (n_sessions,) int64 days since epoch
    session_activity: np.ndarray  # (n_sessions,) int32
    session_format: np.ndarray  # (n_sessions,) int16, free codes (tandem, plenary, ...)
    session_hours: np.ndarray  # (n_sessions,) float64
    activity_kind: np.ndarray  # (n_activities,) int8: REGULAR or PROJECT
    att_person: np.ndarray  # (n_att,) int32, sorted by (session, person)
    att_session: np.ndarray  # (n_att,) int32
    guests: np.ndarray  # (n_sessions, n_groups + 1) int32; last column = no label
    org_person: np.ndarray  # (n_org,) int32
    org_session: np.ndarray  # (n_org,) int32
    org_hours: np.ndarray  # (n_org,) float64
    # Derived once, because nearly every metric needs them.
    session_week: np.ndarray = field(repr=False)
    session_month: np.ndarray = field(repr=False)
    session_registered: np.ndarray = field(repr=False)  # registered attendees
    session_headcount: np.ndarray = field(repr=False)  # registered + all guests

    @property
    def n_persons(self) -> int:
        return int(self.person_group.shape[0])

    @property
    def n_sessions(self) -> int:
        return int(self.session_day.shape[0])

    @property
    def n_activities(self) -> int:
        return int(self.activity_kind.shape[0])

    @property
    def n_attendances(self) -> int:
        return int(self.att_person.shape[0])

    @classmethod
    def build(
        cls,
        *,
        person_group: np.ndarray,
        session_day: np.ndarray,
        session_activity: np.ndarray,
        activity_kind: np.ndarray,
        att_person: np.ndarray,
        att_session: np.ndarray,
        n_groups: int = 2,
        session_format: np.ndarray | None = None,
        session_hours: np.ndarray | None = None,
        guests: np.ndarray | None = None,
        org_person: np.ndarray | None = None,
        org_session: np.ndarray | None = None,
        org_hours: np.ndarray | None = None,
    ) -> Dataset:
        """Validate, de-duplicate and freeze the inputs."""
        person_group = np.asarray(person_group, dtype=np.int64)
        n_persons = person_group.shape[0]
        if n_groups < 2:
            raise ValueError("at least two groups are needed to speak of mixing")
        if np.any((person_group < UNKNOWN) | (person_group >= n_groups)):
            raise ValueError("person_group must be UNKNOWN (-1) or in 0..n_groups-1")
        session_day = np.asarray(session_day, dtype=np.int64)
        n_sessions = session_day.shape[0]
        session_activity = np.asarray(session_activity, dtype=np.int64)
        activity_kind = np.asarray(activity_kind, dtype=np.int64)
        if session_activity.shape != (n_sessions,):
            raise ValueError("session_activity must have one entry per session")
        if n_sessions and (
            session_activity.min() < 0 or session_activity.max() >= activity_kind.shape[0]
        ):
            raise ValueError("session_activity refers to an unknown activity")
        if np.any((activity_kind != REGULAR) & (activity_kind != PROJECT)):
            raise ValueError("activity_kind must be REGULAR (0) or PROJECT (1)")
        if session_format is None:
            session_format = np.zeros(n_sessions, dtype=np.int64)
        if session_hours is None:
            session_hours = np.full(n_sessions, 2.0)
        session_hours = np.asarray(session_hours, dtype=np.float64)
        if np.any(session_hours < 0):
            raise ValueError("session_hours must be non-negative")
        if guests is None:
            guests = np.zeros((n_sessions, n_groups + 1), dtype=np.int64)
        guests = np.asarray(guests, dtype=np.int64)
        if guests.shape != (n_sessions, n_groups + 1) or np.any(guests < 0):
            raise ValueError("guests must be a non-negative (n_sessions, n_groups + 1) table")

        att_person = np.asarray(att_person, dtype=np.int64)
        att_session = np.asarray(att_session, dtype=np.int64)
        if att_person.shape != att_session.shape:
            raise ValueError("att_person and att_session must have the same length")
        _check_ids(att_person, n_persons, "att_person")
        _check_ids(att_session, n_sessions, "att_session")
        # One key per check-in; np.unique both sorts (by session, then person) and
        # removes double check-ins in a single pass.
        key = np.unique(att_session * max(n_persons, 1) + att_person)
        att_session = key // max(n_persons, 1)
        att_person = key % max(n_persons, 1)

        if org_person is None:
            org_person = np.zeros(0, dtype=np.int64)
            org_session = np.zeros(0, dtype=np.int64)
            org_hours = np.zeros(0)
        org_person = np.asarray(org_person, dtype=np.int64)
        org_session = np.asarray(org_session, dtype=np.int64)
        org_hours = (
            session_hours[org_session] if org_hours is None else np.asarray(org_hours, float)
        )
        if not (org_person.shape == org_session.shape == org_hours.shape):
            raise ValueError("organiser arrays must have the same length")
        _check_ids(org_person, n_persons, "org_person")
        _check_ids(org_session, n_sessions, "org_session")

        registered = np.bincount(att_session, minlength=n_sessions)
        headcount = registered + guests.sum(axis=1)
        week = week_of_day(session_day)
        return cls(
            n_groups=n_groups,
            person_group=_frozen(person_group, np.int8),
            session_day=_frozen(session_day, np.int64),
            session_activity=_frozen(session_activity, np.int32),
            session_format=_frozen(session_format, np.int16),
            session_hours=_frozen(session_hours, np.float64),
            activity_kind=_frozen(activity_kind, np.int8),
            att_person=_frozen(att_person, np.int32),
            att_session=_frozen(att_session, np.int32),
            guests=_frozen(guests, np.int32),
            org_person=_frozen(org_person, np.int32),
            org_session=_frozen(org_session, np.int32),
            org_hours=_frozen(org_hours, np.float64),
            session_week=_frozen(week, np.int64),
            session_month=_frozen(month_of_day(session_day), np.int64),
            session_registered=_frozen(registered, np.int64),
            session_headcount=_frozen(headcount, np.int64),
        )


def _check_ids(ids: np.ndarray, n: int, name: str) -> None:
    if ids.size and (ids.min() < 0 or ids.max() >= n):
        raise ValueError(f"{name} contains ids outside 0..{n - 1}")
