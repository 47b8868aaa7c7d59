"""Snapshots: the payload of the worked example against hand-computed values, the JSON
format (field names, NaN, round trip), periods, selectors and the atomic replace."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import numpy as np
import pytest
from insights_db_example import MONDAY_WEEK1, build, check_in, local, person, session

from tests.factories import ActivityFactory
from verbinding.activities.models import Format, Session
from verbinding.attendance.models import GuestTally
from verbinding.insights import selectors, snapshots
from verbinding.insights.extract import FORMAT_CODES
from verbinding.insights.metrics import MetricParams
from verbinding.insights.metrics.summary import ConnectionMetrics
from verbinding.insights.models import Snapshot

pytestmark = pytest.mark.django_db

# The note's durable rule for three weeks of data (tests/insights/metrics uses the same).
EXAMPLE = MetricParams(durable_min_weeks=2, durable_min_span_weeks=0, n_permutations=200)
Q1 = dt.date(2026, 1, 1)


@pytest.fixture
def example(initiative):
    build(initiative)
    return snapshots.compute_snapshot(initiative, "quarter", Q1, EXAMPLE)


def test_the_snapshot_reproduces_the_worked_example_by_hand(example):
    example.refresh_from_db()  # read back what the database stored
    p = example.payload
    assert (example.kind, example.start, example.end) == ("quarter", Q1, dt.date(2026, 4, 1))
    assert p["version"] == 2
    assert p["period"] == {"kind": "quarter", "start": "2026-01-01", "end": "2026-04-01"}
    m = p["metrics"]
    ties = m["ties"]["bridging"]
    # Research note §2.3: E-I +0.143 unweighted, +0.212 naive, +0.273 Newman; assortativity
    # -0.167 unweighted, -0.213 naive, -0.316 Newman.
    assert ties["binary"]["ei"] == pytest.approx(1 / 7)
    assert ties["naive"]["ei"] == pytest.approx(7 / 33)
    assert ties["newman"]["ei"] == pytest.approx(3 / 11)
    assert ties["newman"]["ei_expected"] == pytest.approx(1 / 7)
    for weighting, r in [("binary", -0.167), ("naive", -0.213), ("newman", -0.316)]:
        assert ties[weighting]["assortativity"] == pytest.approx(r, abs=5e-4)
    assert m["ties"]["n_edges"] == 21
    assert ties["newman"]["n_by_group"] == [3, 4]
    # Durable ties with ">= 2 distinct weeks": a-d, b-c, b-e, c-e; three of four cross-group.
    assert m["durable"]["n_durable"] == 4
    assert m["durable"]["cross_share"] == pytest.approx(0.75)
    assert m["durable"]["with_cross_tie_by_group"] == [3, 2]
    assert m["durable"]["share_with_cross_tie"] == pytest.approx([1.0, 0.5])
    # Session mix by hand: pair shares 1, 1, 2/3 (café), 2/3, 0, 2/3 (cooking), 12/21 (party);
    # only the party has both groups with >= 2 people: 1 of 7 sessions, 7 of 22 attendances.
    overall = m["mix"]["overall"]
    assert overall["mean_pair_share"] == pytest.approx((2 + 3 * 2 / 3 + 0 + 12 / 21) / 7)
    assert overall["share_sessions_mixed"] == pytest.approx(1 / 7)
    assert overall["share_attendances_in_mixed"] == pytest.approx(7 / 22)
    assert m["mix"]["sessions"] is None  # per-session detail is stored apart
    assert example.sessions["composition"]["mixed"] == [False] * 6 + [True]
    assert example.sessions["composition"]["labelled"][6] == [3, 4]
    cafe = m["mix"]["by_activity"]["0"]
    assert (cafe["n_sessions"], cafe["n_attendances"]) == (3, 7)
    assert cafe["mean_pair_share"] == pytest.approx((1 + 1 + 2 / 3) / 3)
    # Reach: everyone came in January 2026 (month index 2026 * 12 + 0).
    assert m["reach"]["months"] == [24312]
    assert m["reach"]["persons"] == [[3, 4, 0]]
    # Time: 13 newcomer and 9 resident attendances of 2 h; d organised 3 café sessions.
    inv = m["investment"]
    assert inv["hours_attended"] == [26.0, 18.0, 0.0]
    assert inv["hours_organised"] == [0.0, 6.0, 0.0]
    assert inv["visitors"] == [3, 4, 0]
    assert inv["organisers"] == [0, 1, 0]
    assert inv["representation_ratio"] == pytest.approx([0.0, 7 / 4])
    assert example.params == dataclasses.asdict(EXAMPLE)
    assert snapshots.load_params(example) == EXAMPLE


def test_the_side_tables_label_every_id_the_metrics_use(example):
    p = example.payload
    assert p["calendar"] == {"24312": "2026-01", "24313": "2026-02", "24314": "2026-03"}
    assert set(p["metrics"]["mix"]["by_activity"]) == set(p["activities"]) == {"0", "1", "2"}
    assert set(p["metrics"]["mix"]["by_format"]) == set(p["formats"])
    assert p["formats"][str(FORMAT_CODES[Format.COOKING])] == "cooking"
    assert p["activities"]["1"]["title"] == {"nl": "Samen koken"}
    assert p["activities"]["2"]["kind"] == "one_off"
    assert p["groups"] == {"0": "newcomer", "1": "local"}
    assert "sessions" not in p
    detail = Snapshot.objects.get(pk=example.pk).sessions
    assert detail["date"][0] == MONDAY_WEEK1.isoformat()
    assert detail["activity"] == [0, 1, 0, 1, 0, 1, 2]
    assert len(detail["format"]) == 7
    assert p["surveys"] == {} or isinstance(p["surveys"], dict)


def test_counts_give_the_persons_behind_each_figure(example):
    c = example.payload["counts"]
    assert c["persons"] == 7
    assert c["persons_by_group"] == [3, 4, 0]
    assert c["labelled"] == 7
    assert (c["attendances"], c["sessions"], c["guest_visits"]) == (22, 7, 0)
    assert c["guest_visits_by_group"] == [0, 0, 0]
    # café: a, b, d; cooking: b, c, e; party: everyone.
    assert c["persons_by_activity"] == {"0": [2, 1, 0], "1": [2, 1, 0], "2": [3, 4, 0]}
    assert c["persons_by_format"][str(FORMAT_CODES[Format.LANGUAGE_CAFE])] == [2, 1, 0]
    assert c["persons_by_month"] == {"24312": [3, 4, 0]}
    # First visits: a and d at the café, b, c, e at cooking, f and g at the party (all regular).
    assert c["persons_by_first_kind"] == {"regular": [3, 4, 0], "project": [0, 0, 0]}
    assert c["tie_persons_by_group"] == [3, 4]
    assert c["organisers_by_group"] == [0, 1, 0]
    # Only the party is mixed (both groups >= 2 and >= 20 %): everyone came to it, and a, b,
    # c, d, e also came to a session that was not mixed (f and g came only to the party).
    assert (c["persons_in_mixed"], c["persons_in_unmixed"]) == (7, 5)


def test_volunteers_are_counted_once_by_consented_group_within_the_initiative(
        initiative, other_initiative, django_assert_num_queries):
    from django.utils import timezone

    from tests.conftest import make_user
    from verbinding.accounts.models import Role
    from verbinding.people.models import Person

    make_user(initiative, "vera", "volunteer", "member", group="newcomer")
    make_user(initiative, "omar", "organiser", "host", "member", group="newcomer")  # two roles
    make_user(initiative, "lotte", "coordinator", "member", group="local")
    make_user(initiative, "nora", "host", "member")  # no self-description: no consent
    make_user(initiative, "rana", "volunteer", group="unspecified")  # "rather not say"
    make_user(initiative, "mia", "member", group="local")  # a member only: not a volunteer
    make_user(initiative, "kiosk-x", "kiosk")  # no person at all
    gone = make_user(initiative, "gone", "volunteer", group="local")
    Person.objects.filter(user=gone).update(anonymised_at=timezone.now())
    # Another initiative: its coordinator, and a person of ours whose role is elsewhere.
    make_user(other_initiative, "otto", "coordinator", "member", group="local")
    tess = make_user(other_initiative, "tess", "volunteer", "member", group="newcomer")
    Person.objects.create(initiative=initiative, user=tess, display_name="Tess")
    assert Role.objects.filter(user__username="omar").count() == 3
    with django_assert_num_queries(1):
        counts = snapshots.volunteers_by_group(initiative)
    # newcomers: vera, omar (once); locals: lotte; unknown: nora (no consent), rana.
    assert counts == [2, 1, 2]
    assert snapshots.volunteers_by_group(other_initiative) == [1, 1, 0]


def test_the_snapshot_stores_the_volunteers_at_recompute_time(initiative):
    from tests.conftest import make_user

    build(initiative)
    make_user(initiative, "vera", "volunteer", "member", group="newcomer")
    make_user(initiative, "nora", "host", "member")
    snap = snapshots.compute_snapshot(initiative, "quarter", Q1, EXAMPLE)
    snap.refresh_from_db()
    assert snap.payload["counts"]["volunteers_by_group"] == [1, 0, 1]
    # build_payload stays pure: without the counts passed in, the key is absent.
    ex = snapshots.extract(initiative, Q1, snapshots.period_end("quarter", Q1))
    bare = snapshots.build_payload(ex, "quarter", Q1, snapshots.period_end("quarter", Q1),
                                   EXAMPLE, {})
    assert "volunteers_by_group" not in bare["counts"]


def test_metrics_keep_exactly_the_dataclass_field_names(example):
    m = example.payload["metrics"]

    def names(cls):
        return [f.name for f in dataclasses.fields(cls)]

    assert list(m) == names(ConnectionMetrics)
    for key in ("reach", "mix", "ties", "durable", "retention", "investment"):
        field_type = type(getattr(snapshots.compute_all(
            snapshots.extract(example.initiative, example.start, example.end).dataset, EXAMPLE
        ), key))
        assert list(m[key]) == names(field_type)
    assert list(m["retention"]["overall"]["survival"]) == [
        "n", "n_events", "times", "at_risk", "events", "survival", "median"]


def test_the_payload_is_strict_json_and_survives_a_round_trip(example):
    text = json.dumps(example.payload, allow_nan=False)  # no NaN or Infinity tokens
    assert json.loads(text) == example.payload
    stored = Snapshot.objects.get(pk=example.pk)
    assert stored.payload == example.payload


def test_undefined_values_are_null_never_nan(initiative):
    # Newcomers only: E-I, the locals' shares and the mix are undefined.
    act = ActivityFactory(initiative=initiative, first_start=local(MONDAY_WEEK1))
    people = [person(initiative, f"n{i}", "newcomer") for i in range(3)]
    for week in range(2):
        check_in(session(act, local(MONDAY_WEEK1 + dt.timedelta(days=7 * week))), *people)
    snap = snapshots.compute_snapshot(initiative, "month", MONDAY_WEEK1)
    m = snap.payload["metrics"]
    assert m["ties"]["bridging"]["newman"]["ei"] == -1.0  # defined: all ties stay inside
    assert m["ties"]["bridging"]["newman"]["assortativity"] is None  # one group: undefined
    assert m["durable"]["share_with_cross_tie"][1] is None
    assert m["investment"]["representation_ratio"] == [None, None]
    json.dumps(snap.payload, allow_nan=False)


def test_to_jsonable_converts_numpy_and_refuses_the_unknown():
    out = snapshots.to_jsonable({
        1: np.array([1.0, np.nan, np.inf, -np.inf]), "t": (np.int64(3), np.float32(0.5)),
        "b": np.array([True, False]), "m": np.array([[1, 2], [3, 4]]), "x": float("nan"),
    })
    assert out == {"1": [1.0, None, None, None], "t": [3, 0.5], "b": [True, False],
                   "m": [[1, 2], [3, 4]], "x": None}
    with pytest.raises(TypeError):
        snapshots.to_jsonable({"when": dt.date(2026, 1, 1)})


def test_a_period_with_guests_only_stores_counts_and_no_metrics(initiative):
    act = ActivityFactory(initiative=initiative, first_start=local(MONDAY_WEEK1))
    s = session(act, local(MONDAY_WEEK1))
    GuestTally.objects.create(initiative=initiative, session=s, group="newcomer", count=4)
    snap = snapshots.compute_snapshot(initiative, "month", MONDAY_WEEK1)
    assert snap.payload["metrics"] is None
    assert snap.payload["counts"]["guest_visits_by_group"] == [4, 0, 0]
    assert snap.payload["counts"]["persons"] == 0


@pytest.mark.parametrize(("kind", "day", "start", "end"), [
    ("month", dt.date(2026, 2, 17), dt.date(2026, 2, 1), dt.date(2026, 3, 1)),
    ("month", dt.date(2026, 12, 31), dt.date(2026, 12, 1), dt.date(2027, 1, 1)),
    ("quarter", dt.date(2026, 3, 31), dt.date(2026, 1, 1), dt.date(2026, 4, 1)),
    ("quarter", dt.date(2026, 11, 5), dt.date(2026, 10, 1), dt.date(2027, 1, 1)),
    ("year", dt.date(2026, 7, 1), dt.date(2026, 1, 1), dt.date(2027, 1, 1)),
])
def test_periods_are_calendar_months_quarters_and_years(kind, day, start, end):
    assert snapshots.period_start(kind, day) == start
    assert snapshots.period_end(kind, start) == end
    with pytest.raises(ValueError):
        snapshots.period_start("week", day)


def test_periods_with_data_skip_cancelled_and_empty_sessions(initiative):
    build(initiative)
    act = ActivityFactory(initiative=initiative, first_start=local(MONDAY_WEEK1))
    session(act, local(dt.date(2026, 3, 2)))  # nobody came
    gone = session(act, local(dt.date(2026, 5, 4)), status=Session.Status.CANCELLED)
    check_in(gone, person(initiative, "x"))
    guests = session(act, local(dt.date(2026, 8, 3)))
    GuestTally.objects.create(initiative=initiative, session=guests, count=2)
    assert snapshots.periods_with_data(initiative, "month") == [dt.date(2026, 1, 1), dt.date(2026, 8, 1)]
    assert snapshots.periods_with_data(initiative, "quarter") == [dt.date(2026, 1, 1), dt.date(2026, 7, 1)]
    assert snapshots.periods_with_data(initiative, "year") == [dt.date(2026, 1, 1)]
    assert snapshots.periods_with_data(initiative, "month", since=dt.date(2026, 2, 1)) == [
        dt.date(2026, 8, 1)]


def test_any_day_of_a_period_finds_its_snapshot_and_selectors_stay_in_the_initiative(
    example, initiative, other_initiative
):
    assert selectors.for_period(initiative, "quarter", dt.date(2026, 2, 14)) == example
    assert selectors.for_period(initiative, "month", Q1) is None
    assert selectors.latest(initiative, "quarter") == example
    assert selectors.periods(initiative, "quarter") == [Q1]
    assert selectors.latest(other_initiative, "quarter") is None
    assert selectors.for_period(other_initiative, "quarter", Q1) is None
    assert selectors.periods(other_initiative, "quarter") == []
    newer = snapshots.compute_snapshot(initiative, "month", MONDAY_WEEK1)
    assert selectors.latest(initiative, "month") == newer


def test_recomputing_replaces_the_snapshot_in_place(example, initiative):
    first = (example.pk, example.computed_at)
    again = snapshots.compute_snapshot(initiative, "quarter", dt.date(2026, 3, 9), EXAMPLE)
    assert again.pk == first[0]
    assert again.computed_at >= first[1]
    assert Snapshot.objects.filter(initiative=initiative).count() == 1
    assert again.payload["metrics"] == example.payload["metrics"]


def test_a_failing_recompute_leaves_the_old_snapshot_whole(example, initiative, monkeypatch):
    before = Snapshot.objects.values().get(pk=example.pk)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    # Fails while writing: inside the transaction, after the row would have been updated.
    real = Snapshot.objects.update_or_create

    def write_then_fail(**kwargs):
        real(**kwargs)
        broken()

    monkeypatch.setattr(Snapshot.objects, "update_or_create", write_then_fail)
    with pytest.raises(RuntimeError):
        snapshots.compute_snapshot(initiative, "quarter", Q1, MetricParams(size_cap=3))
    assert Snapshot.objects.values().get(pk=example.pk) == before
    monkeypatch.setattr(snapshots, "compute_all", broken)
    with pytest.raises(RuntimeError):
        snapshots.compute_snapshot(initiative, "quarter", Q1)
    assert Snapshot.objects.values().get(pk=example.pk) == before


def test_survey_results_are_stored_when_the_surveys_app_provides_them(initiative, monkeypatch):
    from verbinding.surveys import selectors as survey_selectors

    calls = []

    def period_results(ini, start, end):
        calls.append((ini, start, end))
        return {"pulse": {"n_responses": 12, "mean": float("nan")}}

    monkeypatch.setattr(survey_selectors, "period_results", period_results, raising=False)
    build(initiative)
    snap = snapshots.compute_snapshot(initiative, "month", MONDAY_WEEK1, EXAMPLE)
    # Both ends included on the surveys side: the last day of January, not 1 February.
    assert calls == [(initiative, dt.date(2026, 1, 1), dt.date(2026, 1, 31))]
    assert snap.payload["surveys"] == {"pulse": {"n_responses": 12, "mean": None}}
    monkeypatch.delattr(survey_selectors, "period_results")
    assert snapshots.compute_snapshot(initiative, "month", MONDAY_WEEK1, EXAMPLE).payload["surveys"] == {}


def test_the_per_session_detail_is_left_out_of_queries_unless_asked_for(
    example, django_assert_num_queries
):
    with django_assert_num_queries(1):
        snap = selectors.latest(example.initiative, "quarter")
        assert snap.payload["counts"]["sessions"] == 7
    assert "sessions" in snap.get_deferred_fields()
    with django_assert_num_queries(1):
        assert len(snap.sessions["activity"]) == 7
    json.dumps(snap.sessions, allow_nan=False)


def test_the_real_survey_results_of_the_period_are_stored(initiative):
    from verbinding.surveys import selectors as survey_selectors

    build(initiative)
    snap = snapshots.compute_snapshot(initiative, "month", MONDAY_WEEK1, EXAMPLE)
    expected = survey_selectors.period_results(initiative, dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    assert snap.payload["surveys"] == json.loads(json.dumps(expected))
    assert snap.payload["surveys"]["n_responses"] == 0
