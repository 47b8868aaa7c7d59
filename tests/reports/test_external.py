"""The outside figures (reports.external): disclosure rules tested like a security feature.

Pure tests: synthetic attendance → the insights app's real snapshot payload → `external.build`.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from tests.reports.conftest import random_synthetic, survey_result, synthetic
from verbinding.reports import external
from verbinding.reports.external import HIDDEN, InitiativeInput, build, from_payload, share_value

EPOCH = dt.date(1970, 1, 1)
Q1 = (dt.date(2026, 1, 1) - EPOCH).days


def _input(key="a", persons=(30, 30, 30), **kw) -> InitiativeInput:
    base = dict(
        key=key, persons_by_group=persons, guest_visits_by_group=(0, 0, 0),
        mixed_persons=None, unmixed_persons=None, share_attendances_in_mixed=float("nan"),
        durable_persons_by_group=(0, 0), durable_with_cross_by_group=(0, 0),
        network_n_by_group=(0, 0), ei=float("nan"), ei_expected=float("nan"),
        assortativity=float("nan"), retention={}, hours_attended=(0.0, 0.0, 0.0),
        visitors=persons, hours_organised=(0.0, 0.0, 0.0), organisers=(0, 0, 0),
    )
    base.update(kw)
    return InitiativeInput(**base)


# --- Targeted rules -----------------------------------------------------------------------

def test_a_count_below_ten_is_hidden_and_ten_is_shown():
    assert build("q", [_input(persons=(9, 40, 40))]).reach.cell("a", "newcomer").suppressed
    assert build("q", [_input(persons=(10, 40, 40))]).reach.cell("a", "newcomer").shown == 10
    # Next to it, the other initiative's 10 is hidden as well: the newcomers' total (19)
    # minus those 10 would give away the 9.
    report = build("q", [_input(persons=(9, 40, 40)), _input("b", persons=(10, 40, 40))])
    assert report.reach.cell("b", "newcomer").suppressed


def test_zero_persons_is_hidden_not_shown_as_zero():
    report = build("2026-q1", [_input(persons=(0, 40, 40))])
    assert report.reach.cell("a", "newcomer").suppressed
    assert all(v.shown != 0 for v in report.values())


def test_the_complement_rule_hides_a_share_when_fewer_than_ten_are_left_over():
    # 95 of 100 returned: "only 5 did not come back" discloses about those 5.
    assert share_value(95, 100).suppressed
    assert share_value(90, 100).shown == 90
    assert share_value(9, 100).suppressed
    # A count whose complement in its row is below 10 is hidden too.
    report = build("2026-q1", [_input(persons=(200, 5, 0))])
    assert report.reach.cell("a", "newcomer").suppressed


def test_secondary_suppression_leaves_no_hidden_cell_recomputable_from_the_totals():
    report = build("2026-q1", [_input(persons=(40, 3, 35)), _input("b", persons=(25, 30, 45))])
    row = report.reach.cell("a", "local")
    assert row.suppressed
    hidden = [v for v in report.reach.values() if v.suppressed]
    assert len(hidden) >= 2  # one hidden cell alone would be total minus the others


def _exact_table(inputs) -> np.ndarray:
    return np.array([i.persons_by_group for i in inputs], dtype=float)


def assert_not_recomputable(table: external.Table, counts: np.ndarray) -> None:
    """Linear programming as the attacker: knowing every shown cell and total *exactly*
    (unrounded, the worst case) and that counts are >= 0, each hidden cell can still move."""
    r, c = counts.shape
    full = np.zeros((r + 1, c + 1))
    full[:r, :c] = counts
    full[:r, c] = counts.sum(axis=1)
    full[r, :c] = counts.sum(axis=0)
    full[r, c] = counts.sum()
    rows = list(table.rows)
    if len(rows) == r == 1:  # one initiative: the margin row is left out, it equals the row
        rows.append(("all", rows[0][1]))
    shown = np.array([[not v.suppressed for v in cells] for _, cells in rows])
    assert shown.shape == (r + 1, c + 1)
    n = (r + 1) * (c + 1)
    idx = np.arange(n).reshape(r + 1, c + 1)
    a_eq, b_eq = [], []
    for i in range(r + 1):  # row sums (the margin row is the column totals' sum)
        line = np.zeros(n)
        line[idx[i, :c]] = 1
        line[idx[i, c]] = -1
        a_eq.append(line)
        b_eq.append(0)
    for j in range(c + 1):
        line = np.zeros(n)
        line[idx[:r, j]] = 1
        line[idx[r, j]] = -1
        a_eq.append(line)
        b_eq.append(0)
    for i, j in zip(*np.nonzero(shown), strict=True):
        line = np.zeros(n)
        line[idx[i, j]] = 1
        a_eq.append(line)
        b_eq.append(full[i, j])
    for i, j in zip(*np.nonzero(~shown), strict=True):
        target = np.zeros(n)
        target[idx[i, j]] = 1
        lo = linprog(target, A_eq=np.array(a_eq), b_eq=b_eq, bounds=(0, None))
        hi = linprog(-target, A_eq=np.array(a_eq), b_eq=b_eq, bounds=(0, None))
        assert lo.status == 0 and hi.status in (0, 3)  # 3: unbounded, so certainly not fixed
        if hi.status == 0:
            assert -hi.fun - lo.fun > 0.5, f"hidden cell {(i, j)} = {full[i, j]} is recomputable"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(*[st.integers(0, 60)] * 3), min_size=1, max_size=4))
def test_no_hidden_reach_cell_can_be_recomputed_for_any_table(rows):
    inputs = [_input(f"i{k}", persons=row) for k, row in enumerate(rows)]
    report = build("2026-q1", inputs)
    assert_not_recomputable(report.reach, _exact_table(inputs))


def test_counts_are_rounded_to_base_five_and_totals_rounded_on_their_own():
    report = build("2026-q1", [_input(persons=(12, 13, 17))])
    assert [report.reach.cell("a", k).shown for k in ("newcomer", "local", "unknown")] == [10, 15, 15]
    assert report.reach.cell("a", "total").shown == 40  # 42 → 40, not 10 + 15 + 15
    for v in report.values():
        if not v.suppressed and v.unit in ("persons", "visits", "hours", "percent"):
            assert v.shown % 5 == 0


def test_shares_are_whole_percentages_in_steps_of_five():
    assert share_value(33, 100).shown == 35
    assert share_value(32, 100).shown == 30
    assert share_value(1, 3).suppressed


def test_network_metrics_need_twenty_labelled_and_ten_per_group():
    kw = dict(ei=0.31, ei_expected=0.12, assortativity=-0.21)
    assert all(v.suppressed for v in build("q", [_input(network_n_by_group=(9, 30), **kw)]).network.values())
    assert all(v.suppressed for v in build("q", [_input(network_n_by_group=(10, 9), **kw)]).network.values())
    shown = build("q", [_input(network_n_by_group=(10, 10), network_nodes=32,
                               network_unlabelled=12, **kw)]).network
    assert [v.shown for v in shown.values()] == [0.3, 0.1, -0.2, 20, 40]  # 12 of 32 = 37.5 %
    assert [v.text() for v in shown.values()][:3] == ["0.30", "0.10", "\u22120.20"]
    few_unlabelled = build("q", [_input(network_n_by_group=(10, 10), network_nodes=25,
                                        network_unlabelled=5, **kw)]).network
    assert few_unlabelled.cell("a", "unlabelled_share").suppressed


def test_durable_bridging_shares_are_gated_like_network_metrics():
    inp = _input(durable_persons_by_group=(15, 9), durable_with_cross_by_group=(10, 5))
    assert all(v.suppressed for v in build("q", [inp]).bridging.values())
    inp = _input(durable_persons_by_group=(25, 40), durable_with_cross_by_group=(10, 20))
    assert [v.shown for v in build("q", [inp]).bridging.values()] == [40, 50]


def test_the_pooled_share_is_hidden_when_it_would_reveal_the_one_hidden_row():
    a = _input("a", retention={"regular": (100, 50)})
    b = _input("b", retention={"regular": (12, 6)})  # 6 returned: hidden
    table = build("q", [a, b]).retention
    assert table.cell("b", "regular").suppressed
    assert table.cell("all", "regular").suppressed  # pooled − a would give b away
    c = _input("c", retention={"regular": (14, 7)})
    table = build("q", [a, b, c]).retention
    # Two hidden rows together: 13 returned of 26 (>= 10 both ways), so the pool may show.
    assert table.cell("all", "regular").shown == 50


def test_the_mixed_share_needs_ten_persons_in_mixed_and_ten_in_other_sessions():
    ok = _input(mixed_persons=40, unmixed_persons=10, share_attendances_in_mixed=0.62)
    assert build("q", [ok]).mixed.cell("a", "share").shown == 60
    few = _input(mixed_persons=40, unmixed_persons=9, share_attendances_in_mixed=0.9)
    assert build("q", [few]).mixed.cell("a", "share").suppressed
    unknown = _input(mixed_persons=None, unmixed_persons=None, share_attendances_in_mixed=0.5)
    assert build("q", [unknown]).mixed.cell("a", "share").suppressed


def test_hours_are_hidden_when_the_persons_behind_them_are_few_and_not_recomputable():
    inp = _input(persons=(40, 40, 40), visitors=(40, 4, 40), hours_attended=(200.0, 30.0, 150.0))
    table = build("q", [inp]).hours_attended
    assert table.cell("a", "local").suppressed
    hidden = [v for v in table.values() if v.suppressed]
    assert len(hidden) >= 2  # the total alone would give the hidden hours away


def test_survey_items_count_the_upper_answers_and_carry_the_adapted_label():
    payload = {"metrics": {}, "surveys": survey_result([{"1": 15, "2": 30, "3": 25},
                                                        {"5": 3, "3": 40}])}
    inp = from_payload("a", payload)
    report = build("q", [inp])
    assert report.surveys.columns == ("talked_new", "pleasant")
    assert report.surveys.cell("a", "talked_new").shown == 80  # one or more: 55 of 70
    assert report.surveys.cell("a", "pleasant").suppressed  # only 3 (very) pleasant
    assert report.survey_adapted == frozenset({"talked_new", "pleasant"})
    assert report.survey_labels["talked_new"] == ("Talked to someone new", ("One person", "Two or more"))
    assert external.positive_codes(["1", "2", "3", "4", "5"]) == ("4", "5")
    assert external.positive_codes(["no", "yes"]) == ("yes",)
    assert external.positive_codes(["none", "one", "more"]) == ("one", "more")
    assert external.positive_codes([str(n) for n in range(1, 8)]) == ("5", "6", "7")


def test_no_initiative_with_data_gives_an_empty_report():
    report = build("q", [])
    assert report.values() == [] and not report.has_figures


def test_a_payload_without_figures_gives_nothing_but_hidden_cells():
    report = build("q", [from_payload("a", {"metrics": None, "counts": {}})])
    assert not report.has_figures
    assert HIDDEN.text() == "x"


# --- Random attendance: every published number rests on >= 10 distinct persons -------------

def ground_truth_persons(ds) -> np.ndarray:
    """Distinct persons per group (newcomer, local, no label), straight from the attendance."""
    came = np.unique(np.asarray(ds.att_person))
    g = np.asarray(ds.person_group)[came].astype(int)
    return np.array([(g == 0).sum(), (g == 1).sum(), (g < 0).sum()])


@st.composite
def attendance_sets(draw):
    n_init = draw(st.integers(1, 3))
    out = []
    for _ in range(n_init):
        out.append(random_synthetic(
            draw(st.integers(0, 10_000)), n_persons=draw(st.integers(0, 120)),
            n_sessions=draw(st.integers(1, 60)), n_att=draw(st.integers(0, 900)),
            surveys=survey_result([{k: draw(st.integers(0, 30)) for k in "12345"}]),
        ))
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(attendance_sets())
def test_every_published_number_rests_on_ten_or_more_distinct_persons(sets):
    inputs = [from_payload(f"i{k}", s.payload) for k, s in enumerate(sets)]
    report = build("2026-q1", inputs)
    truth = np.array([ground_truth_persons(s.dataset) for s in sets])
    # The reach counts are checked against the attendance itself, not against the payload.
    assert np.array_equal(truth, np.array([i.persons_by_group for i in inputs]))
    for table in report.tables():
        for _, cells in table.rows:
            for v in cells:
                assert v.suppressed or v.basis >= 10, (table.key, v)
    for k, (_, cells) in enumerate(report.reach.rows[:-1]):
        for j, v in enumerate(cells[:3]):
            if not v.suppressed:
                assert truth[k, j] >= 10
                assert truth[k].sum() - truth[k, j] >= 10 or sum(truth[k] > 0) == 1
    assert_not_recomputable(report.reach, truth.astype(float))


def test_a_busy_quarter_publishes_its_main_figures(busy_payload):
    report = build("2026-q1", [from_payload("a", busy_payload)])
    assert not report.reach.cell("a", "total").suppressed
    assert not report.retention.cell("a", "regular").suppressed
    assert not report.network.cell("a", "ei").suppressed


def test_synthetic_helper_reproduces_a_hand_made_case():
    s = synthetic(person_group=[0, 1], att_person=[0, 1], att_session=[0, 0],
                  session_day=[Q1 + 3], session_activity=[0], activity_kind=[0])
    assert s.payload["counts"]["persons_by_group"] == [1, 1, 0]
    assert all(v.suppressed for v in build("q", [from_payload("a", s.payload)]).values())


@pytest.mark.parametrize("share,expected", [(0.024, 0), (0.025, 5), (0.5, 50), (0.974, 95), (0.975, 100)])
def test_percent_rounding_is_half_up_to_five(share, expected):
    assert external._percent(share) == expected
