"""extract against the pure core: random attendance written to the database and read back
gives exactly the metrics of the same attendance built directly as a Dataset."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from insights_db_example import AMS

from tests.factories import ActivityFactory, InitiativeFactory, PersonFactory, SessionFactory
from verbinding.activities.models import Activity
from verbinding.attendance.models import CheckIn, GuestTally
from verbinding.insights.extract import extract
from verbinding.insights.metrics import Dataset, MetricParams, compute_all
from verbinding.insights.snapshots import to_jsonable
from verbinding.people.models import SelfDescription

pytestmark = pytest.mark.django_db

# No permutations: their random draws follow the order of the person ids, which extract
# renumbers (by primary key); every other metric is invariant under renumbering.
PARAMS = MetricParams(n_permutations=0, durable_min_weeks=2, durable_min_span_weeks=1)
GROUP_VALUES = ["newcomer", "local", "unspecified", None]  # None: no self-description
GUEST_GROUPS = ["newcomer", "local", "unspecified"]
FIRST = dt.date(2026, 1, 5)
_slugs = itertools.count()

attendance = st.fixed_dictionaries({
    "groups": st.lists(st.sampled_from(range(4)), min_size=1, max_size=12),
    "kinds": st.lists(st.sampled_from([0, 1, 2]), min_size=1, max_size=3),  # regular, project, one-off
    "sessions": st.lists(
        st.tuples(st.integers(0, 2), st.integers(0, 55), st.integers(30, 240)),  # activity, day, minutes
        min_size=1, max_size=10, unique_by=lambda t: t[1]),
    "pairs": st.lists(st.tuples(st.integers(0, 11), st.integers(0, 9)), min_size=1, max_size=60),
    "guests": st.lists(st.tuples(st.integers(0, 9), st.integers(0, 2), st.integers(1, 5)), max_size=6),
    "organisers": st.lists(st.tuples(st.integers(0, 2), st.integers(0, 11)), max_size=4, unique=True),
})


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=attendance)
def test_extracted_metrics_equal_the_directly_built_ones(data):
    ini = InitiativeFactory(slug=f"random-{next(_slugs)}")
    n_p = len(data["groups"])
    n_a = len(data["kinds"])
    # Time order (days are unique) = extract's dense session order.
    sessions = sorted(((a % n_a, day, minutes) for a, day, minutes in data["sessions"]),
                      key=lambda t: t[1])
    n_s = len(sessions)
    pairs = sorted({(p % n_p, s % n_s) for p, s in data["pairs"]})

    people = []
    for g in data["groups"]:
        p = PersonFactory(initiative=ini)
        if GROUP_VALUES[g] is not None:
            SelfDescription.objects.create(person=p, group=GROUP_VALUES[g],
                                           consented_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
        people.append(p)
    kinds = [Activity.Kind.REGULAR, Activity.Kind.PROJECT, Activity.Kind.ONE_OFF]
    first_start = dt.datetime.combine(FIRST, dt.time(19), tzinfo=AMS)
    acts = [ActivityFactory(initiative=ini, kind=kinds[k], first_start=first_start)
            for k in data["kinds"]]
    rows = []
    for a, day, minutes in sessions:
        start = dt.datetime.combine(FIRST + dt.timedelta(days=day), dt.time(19), tzinfo=AMS)
        rows.append(SessionFactory(activity=acts[a], start=start, occurrence=start,
                                   end=start + dt.timedelta(minutes=minutes)))
    CheckIn.objects.bulk_create(
        CheckIn(initiative=ini, session=rows[s], person=people[p]) for p, s in pairs)
    guests = np.zeros((n_s, 3), dtype=np.int64)
    for s, g, n in data["guests"]:
        GuestTally.objects.create(initiative=ini, session=rows[s % n_s], group=GUEST_GROUPS[g], count=n)
        guests[s % n_s, g] += n
    for a, p in data["organisers"]:
        acts[a % n_a].organisers.add(people[p % n_p])

    # The same attendance, built directly. Only sessions with a check-in or a tally count.
    used = sorted({s for _, s in pairs} | {s % n_s for s, _, _ in data["guests"]})
    new_s = {s: i for i, s in enumerate(used)}
    used_acts = sorted({sessions[s][0] for s in used})
    new_a = {a: i for i, a in enumerate(used_acts)}
    org = sorted({(a % n_a, p % n_p) for a, p in data["organisers"]})
    org_person, org_session = [], []
    for a, p in org:
        for s in used:
            if sessions[s][0] == a:
                org_person.append(p)
                org_session.append(new_s[s])
    hours = np.array([sessions[s][2] / 60 for s in used])
    direct = Dataset.build(
        person_group=[{0: 0, 1: 1}.get(g, -1) for g in data["groups"]],
        session_day=[(FIRST - dt.date(1970, 1, 1)).days + sessions[s][1] for s in used],
        session_activity=[new_a[sessions[s][0]] for s in used],
        activity_kind=[1 if data["kinds"][a] == 1 else 0 for a in used_acts],
        att_person=[p for p, _ in pairs], att_session=[new_s[s] for _, s in pairs],
        session_hours=hours, guests=guests[used],
        org_person=org_person, org_session=org_session,
        org_hours=hours[org_session] if org_session else None,
    )
    ex = extract(ini, dt.date(2026, 1, 1), dt.date(2026, 4, 1))
    db = ex.dataset
    assert (db.n_sessions, db.n_attendances, db.n_activities) == (
        direct.n_sessions, direct.n_attendances, direct.n_activities)
    assert np.array_equal(db.session_day, direct.session_day)
    assert np.array_equal(db.guests, direct.guests)
    assert sorted(np.asarray(db.org_hours).tolist()) == sorted(np.asarray(direct.org_hours).tolist())
    if direct.n_attendances:
        # Formats differ by construction (the factory's format vs code 0): compare the rest.
        got = to_jsonable(compute_all(db, PARAMS))
        want = to_jsonable(compute_all(direct, PARAMS))
        for part in ("reach", "ties", "durable", "retention", "investment"):
            assert_close(got[part], want[part], part)
        assert_close(got["mix"]["overall"], want["mix"]["overall"], "mix")
        assert_close(got["mix"]["by_activity"], want["mix"]["by_activity"], "mix by activity")


def assert_close(a, b, where: str) -> None:
    """Equal JSON, floats to 1e-9 (hours come from seconds on one side, minutes on the other)."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), where
        for k in a:
            assert_close(a[k], b[k], f"{where}.{k}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_close(x, y, f"{where}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert a == pytest.approx(b, rel=1e-9, abs=1e-12), where
    else:
        assert a == b, where
