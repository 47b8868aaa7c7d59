"""Disclosure control, tested like a security feature (research note §4.7, §5 targets 8–10).

The property tests check the published tables *independently* of the module's own
graph reasoning: a linear program asks, for every suppressed cell, the smallest and
largest value consistent with everything published (exact, unrounded values, so the
check is stricter than what a reader of rounded tables could do).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from verbinding.insights.metrics import Dataset
from verbinding.insights.metrics.disclosure import (
    Audience,
    exposed_cells,
    network_metrics_publishable,
    protect_count,
    protect_share,
    protect_table,
    round_to_base,
    with_margins,
)
from verbinding.insights.metrics.reach import monthly_reach


def feasible_range(full: np.ndarray, suppressed: np.ndarray, cell: tuple[int, int]):
    """(min, max) of one suppressed cell over all non-negative tables that agree with
    every published cell and satisfy all row/column sum relations (max may be inf)."""
    rr, cc = full.shape
    unknown = list(zip(*np.nonzero(suppressed), strict=True))
    index = {c: k for k, c in enumerate(unknown)}
    rows_a, rows_b = [], []

    def relation(cells_signs):
        a = np.zeros(len(unknown))
        b = 0.0
        for (i, j), sign in cells_signs:
            if (i, j) in index:
                a[index[(i, j)]] += sign
            else:
                b -= sign * full[i, j]
        rows_a.append(a)
        rows_b.append(b)

    for i in range(rr):  # inner cells of row i sum to its total (margin row included)
        relation([((i, j), 1.0) for j in range(cc - 1)] + [((i, cc - 1), -1.0)])
    for j in range(cc):
        relation([((i, j), 1.0) for i in range(rr - 1)] + [((rr - 1, j), -1.0)])
    a_eq, b_eq = np.array(rows_a), np.array(rows_b)
    target = np.zeros(len(unknown))
    target[index[cell]] = 1.0
    lo = linprog(target, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    hi = linprog(-target, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    assert lo.status == 0, lo.message  # the true table is always feasible
    high = np.inf if hi.status == 3 else -hi.fun
    return lo.fun, high


def assert_not_recomputable(full, suppressed):
    for cell in zip(*np.nonzero(suppressed), strict=True):
        lo, hi = feasible_range(full, suppressed, (int(cell[0]), int(cell[1])))
        assert lo <= full[cell] <= hi
        # Vertices of this transportation polytope are integral, so a real width
        # >= 1 means at least two integer tables fit what was published.
        assert hi - lo >= 1 - 1e-9, f"cell {cell} is pinned to {lo}"


small_heavy = st.one_of(st.integers(0, 12), st.integers(0, 80))
tables = st.integers(1, 5).flatmap(
    lambda r: st.integers(1, 5).flatmap(
        lambda c: st.lists(st.lists(small_heavy, min_size=c, max_size=c), min_size=r, max_size=r)
    )
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables)
def test_outside_no_suppressed_cell_can_be_recomputed(table):
    counts = np.array(table)
    full = with_margins(counts)
    out = protect_table(counts, Audience.OUTSIDE)
    assert not (out.primary & ~out.suppressed).any()
    assert_not_recomputable(full, out.suppressed)


@settings(max_examples=150, deadline=None)
@given(tables)
def test_outside_every_published_number_rests_on_ten_persons(table):
    counts = np.array(table)
    full = with_margins(counts)
    out = protect_table(counts, Audience.OUTSIDE)
    shown = ~out.suppressed
    assert (full[shown] >= 10).all()
    assert (out.published[shown] % 5 == 0).all()
    assert np.array_equal(out.published[shown], round_to_base(full, 5)[shown])
    # Complements inside every split line rest on >= 10 persons too.
    r, c = counts.shape
    for i in range(r):
        for j in range(c):
            if shown[i, j]:
                if c > 1:
                    assert full[i, -1] - full[i, j] >= 10
                if r > 1:
                    assert full[-1, j] - full[i, j] >= 10


@settings(max_examples=100, deadline=None)
@given(tables)
def test_inside_threshold_five_and_no_recomputation(table):
    counts = np.array(table)
    full = with_margins(counts)
    out = protect_table(counts, Audience.INSIDE)
    shown = ~out.suppressed
    assert ((full[shown] >= 5) | (full[shown] == 0)).all()
    assert np.array_equal(out.published[shown], full[shown])  # no rounding inside
    assert_not_recomputable(full, out.suppressed)


def test_two_suppressed_zeros_in_a_row_are_not_protection():
    # Row (0, 0, 30, 40): the zeros are suppressed, but they sum to 0, so a reader
    # knows both are 0. Secondary suppression must add a positive cell.
    counts = np.array([[0, 0, 30, 40], [20, 30, 40, 50], [25, 35, 45, 55]])
    full = with_margins(counts)
    out = protect_table(counts, Audience.OUTSIDE)
    assert out.suppressed[0, 0] and out.suppressed[0, 1]
    assert out.suppressed.sum() > 2
    assert exposed_cells(full, out.suppressed) == []
    assert_not_recomputable(full, out.suppressed)


def test_single_small_cell_gets_a_partner_in_its_row_and_column():
    counts = np.array([[3, 40, 50], [30, 40, 50], [35, 45, 55]])
    out = protect_table(counts, Audience.OUTSIDE)
    assert out.suppressed[0, 0]
    assert out.suppressed[0, :3].sum() >= 2
    assert out.suppressed[:3, 0].sum() >= 2
    # Only the inner cells need to go; the totals stay published.
    assert not out.suppressed[-1, :].any()
    assert not out.suppressed[:, -1].any()
    assert out.grand_total == round_to_base(counts.sum(), 5)


def test_complement_rule_hides_all_but_a_few():
    # 25 newcomers, 20 of whom came back: the 5 who did not are too few, and so
    # are the "20 of 25" (25 − 20 < 10).
    out = protect_table(np.array([[20, 5], [40, 35]]), Audience.OUTSIDE)
    assert out.primary[0, 0] and out.primary[0, 1]


def test_nothing_to_hide_publishes_rounded_values():
    out = protect_table(np.array([[12, 23], [31, 44]]), Audience.OUTSIDE)
    assert not out.suppressed.any()
    assert out.cells.tolist() == [[10, 25], [30, 45]]
    assert out.row_totals.tolist() == [35, 75]  # 35 and 75 rounded independently
    assert out.grand_total == 110


def test_scalar_counts_and_shares():
    assert protect_count(9, Audience.OUTSIDE) is None
    assert protect_count(0, Audience.OUTSIDE) is None
    assert protect_count(10, Audience.OUTSIDE) == 10
    assert protect_count(12, Audience.OUTSIDE) == 10
    assert protect_count(13, Audience.OUTSIDE) == 15
    assert protect_count(4, Audience.INSIDE) is None
    assert protect_count(0, Audience.INSIDE) == 0
    assert protect_count(5, Audience.INSIDE) == 5
    assert protect_share(12, 40, Audience.OUTSIDE) == pytest.approx(0.3)
    assert protect_share(9, 40, Audience.OUTSIDE) is None
    assert protect_share(35, 40, Audience.OUTSIDE) is None  # complement 5
    assert protect_share(35, 40, Audience.INSIDE) == pytest.approx(0.875)
    assert protect_share(3, 40, Audience.INSIDE) is None


def test_network_metrics_gate():
    assert network_metrics_publishable((10, 10), Audience.OUTSIDE)
    assert not network_metrics_publishable((9, 30), Audience.OUTSIDE)
    assert not network_metrics_publishable((10, 9), Audience.OUTSIDE)
    assert network_metrics_publishable((5, 5), Audience.INSIDE)
    assert not network_metrics_publishable((4, 20), Audience.INSIDE)


@st.composite
def attendance_sets(draw):
    n_persons = draw(st.integers(5, 120))
    n_sessions = draw(st.integers(1, 40))
    group = draw(st.lists(st.integers(-1, 1), min_size=n_persons, max_size=n_persons))
    day = draw(st.lists(st.integers(0, 120), min_size=n_sessions, max_size=n_sessions))
    n_att = draw(st.integers(0, 600))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    person = rng.integers(0, n_persons, size=n_att)
    session = rng.integers(0, n_sessions, size=n_att)
    return np.array(group), 20089 + np.array(day), person, session


@settings(max_examples=60, deadline=None)
@given(attendance_sets())
def test_published_reach_rests_on_ten_distinct_persons(data):
    group, day, person, session = data
    ds = Dataset.build(
        person_group=group,
        session_day=day,
        session_activity=np.zeros(day.shape[0], dtype=int),
        activity_kind=[0],
        att_person=person,
        att_session=session,
    )
    reach = monthly_reach(ds)
    out = protect_table(reach.persons, Audience.OUTSIDE)
    # Recount distinct persons per (month, label) from the raw check-ins, by hand.
    months = ds.session_month
    cells: dict[tuple[int, int], set[int]] = {}
    for p, s in zip(person.tolist(), session.tolist(), strict=True):
        col = group[p] if group[p] >= 0 else 2
        cells.setdefault((int(months[s]), int(col)), set()).add(p)
    for i, m in enumerate(reach.months.tolist()):
        for j in range(3):
            if not np.isnan(out.cells[i, j]):
                assert len(cells.get((m, j), set())) >= 10
        row_people = set().union(*(cells.get((m, j), set()) for j in range(3)))
        if not np.isnan(out.row_totals[i]):
            assert len(row_people) >= 10
    assert_not_recomputable(with_margins(reach.persons), out.suppressed)
