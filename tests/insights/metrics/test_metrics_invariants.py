"""Property-based invariants of the tie metrics (Hypothesis).

* E-I (overall, per group, baseline) lies in [−1, 1]; r <= 1; IH_g <= 1.
* Relabelling persons (a permutation of ids) changes no metric.
* A 200-person party adds exactly 100 to the total Newman weight (each attendee
  spreads a budget of 1), so it barely moves Newman-weighted metrics of a busy
  initiative; with the default size cap it changes nothing at all.
* The vectorised projection equals a plain dict-of-pairs projection.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verbinding.insights.metrics import Dataset, MetricParams
from verbinding.insights.metrics.ties import bridging_metrics, build_tie_graph

MONDAY = 20458  # Monday 2026-01-05


@st.composite
def initiatives(draw, min_att=0, max_att=400):
    n_persons = draw(st.integers(2, 60))
    n_sessions = draw(st.integers(1, 50))
    seed = draw(st.integers(0, 2**32 - 1))
    n_att = draw(st.integers(min_att, max_att))
    rng = np.random.default_rng(seed)
    return {
        "person_group": rng.integers(-1, 2, size=n_persons),
        "session_day": MONDAY + rng.integers(0, 200, size=n_sessions),
        "session_activity": rng.integers(0, 3, size=n_sessions),
        "activity_kind": np.array([0, 0, 1]),
        "att_person": rng.integers(0, n_persons, size=n_att),
        "att_session": rng.integers(0, n_sessions, size=n_att),
        "guests": rng.poisson(0.3, size=(n_sessions, 3)),
    }


def bridging(raw, weighting="newman", params=None):
    ds = Dataset.build(**raw)
    graph = build_tie_graph(ds, params or MetricParams())
    return bridging_metrics(graph, ds.person_group, ds.n_groups, weighting)


def finite(x):
    return [v for v in np.atleast_1d(x) if not np.isnan(v)]


@settings(max_examples=80, deadline=None)
@given(initiatives(), st.sampled_from(["newman", "naive", "binary"]))
def test_indices_stay_in_range(raw, weighting):
    m = bridging(raw, weighting)
    for v in finite([m.ei, m.ei_expected, *m.ei_by_group, *m.ei_expected_by_group]):
        assert -1 - 1e-12 <= v <= 1 + 1e-12
    for v in finite([m.assortativity, *m.inbreeding_homophily]):
        assert v <= 1 + 1e-12
    for v in finite(m.homophily_h):
        assert 0 <= v <= 1 + 1e-12


@settings(max_examples=60, deadline=None)
@given(initiatives(), st.integers(0, 2**32 - 1))
def test_relabelling_persons_changes_nothing(raw, seed):
    perm = np.random.default_rng(seed).permutation(raw["person_group"].shape[0])
    relabelled = dict(raw)
    # Person i becomes perm[i]: move the labels and rename every check-in.
    group = np.empty_like(raw["person_group"])
    group[perm] = raw["person_group"]
    relabelled["person_group"] = group
    relabelled["att_person"] = perm[raw["att_person"]]
    params = MetricParams(n_permutations=50, durable_min_weeks=2, durable_min_span_weeks=1)
    for weighting in ("newman", "naive"):
        a = bridging(raw, weighting, params)
        b = bridging(relabelled, weighting, params)
        for x, y in zip(
            [a.ei, a.ei_expected, a.assortativity, *a.inbreeding_homophily, a.total_weight],
            [b.ei, b.ei_expected, b.assortativity, *b.inbreeding_homophily, b.total_weight],
            strict=True,
        ):
            assert x == pytest.approx(y, nan_ok=True)
    ga = build_tie_graph(Dataset.build(**raw), params)
    gb = build_tie_graph(Dataset.build(**relabelled), params)
    assert ga.n_edges == gb.n_edges
    assert int((ga.durable_week >= 0).sum()) == int((gb.durable_week >= 0).sum())
    assert sorted(ga.w_newman.round(9)) == sorted(gb.w_newman.round(9))


def with_party(raw, size=200):
    """The same initiative plus one party of `size` new and existing people."""
    n_old = raw["person_group"].shape[0]
    n_new = max(0, size - n_old)
    rng = np.random.default_rng(7)
    out = dict(raw)
    out["person_group"] = np.concatenate([raw["person_group"], rng.integers(0, 2, n_new)])
    n_s = raw["session_day"].shape[0]
    out["session_day"] = np.append(raw["session_day"], MONDAY + 100)
    out["session_activity"] = np.append(raw["session_activity"], 0)
    guests = raw.get("guests")
    if guests is not None:
        out["guests"] = np.vstack([guests, np.zeros((1, 3), dtype=guests.dtype)])
    out["att_person"] = np.concatenate([raw["att_person"], np.arange(size)])
    out["att_session"] = np.concatenate([raw["att_session"], np.full(size, n_s)])
    return out


@st.composite
def busy_initiatives(draw):
    """Thousands of small, mostly unmixed sessions, as in a real initiative's year.

    Each session draws from one group (plus people without a label), so the base
    network bonds and a mixed party has something to distort.
    """
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n_persons, n_sessions = 200, 3000
    group = rng.integers(-1, 2, size=n_persons)
    pools = [np.flatnonzero(group != 1), np.flatnonzero(group != 0)]
    size = rng.integers(2, 9, size=n_sessions)
    side = rng.integers(0, 2, size=n_sessions)
    person = np.concatenate(
        [rng.choice(pools[s], k, replace=False) for s, k in zip(side, size, strict=True)]
    )
    return {
        "person_group": group,
        "session_day": MONDAY + rng.integers(0, 365, size=n_sessions),
        "session_activity": np.zeros(n_sessions, dtype=int),
        "activity_kind": np.array([0]),
        "att_person": person,
        "att_session": np.repeat(np.arange(n_sessions), size),
    }


@settings(max_examples=15, deadline=None)
@given(busy_initiatives())
def test_a_200_person_party_barely_moves_newman_metrics(raw):
    no_cap = MetricParams(size_cap=10_000)
    before = bridging(raw, "newman", no_cap)
    after = bridging(with_party(raw), "newman", no_cap)
    # The party's Newman weight is exactly 200/2 = 100, whatever its size.
    ds = Dataset.build(**with_party(raw))
    g = build_tie_graph(ds, no_cap)
    g0 = build_tie_graph(Dataset.build(**raw), no_cap)
    assert g.w_newman.sum() - g0.w_newman.sum() == pytest.approx(100.0)
    # The base bonds completely (EI = r = 1 within groups); the party mixes at
    # random. Its 100 units against ~2,500 of labelled weight move E-I by ~0.02.
    assert abs(after.ei - before.ei) < 0.05
    assert abs(after.assortativity - before.assortativity) < 0.05
    # The naive projection gets 19,900 unit ties from the same party.
    naive_before = bridging(raw, "naive", no_cap)
    naive_after = bridging(with_party(raw), "naive", no_cap)
    assert g.w_naive.sum() - g0.w_naive.sum() == 19_900
    assert abs(naive_after.ei - naive_before.ei) > 8 * abs(after.ei - before.ei)
    assert abs(naive_after.ei - naive_before.ei) > 0.2


@settings(max_examples=30, deadline=None)
@given(initiatives(min_att=1))
def test_default_size_cap_ignores_the_party_completely(raw):
    before = bridging(raw, "newman")
    after = bridging(with_party(raw), "newman")
    assert after.total_weight == pytest.approx(before.total_weight)
    assert after.ei == pytest.approx(before.ei, nan_ok=True)


@settings(max_examples=60, deadline=None)
@given(initiatives())
def test_projection_matches_dict_of_pairs(raw):
    ds = Dataset.build(**raw)
    params = MetricParams(size_cap=12)
    graph = build_tie_graph(ds, params)
    members: dict[int, set[int]] = {}
    for p, s in zip(raw["att_person"].tolist(), raw["att_session"].tolist(), strict=True):
        members.setdefault(s, set()).add(p)
    expected: dict[tuple[int, int], float] = {}
    for s, people in members.items():
        n = len(people) + int(raw["guests"][s].sum())
        if n > params.size_cap:
            continue
        for pair in itertools.combinations(sorted(people), 2):
            expected[pair] = expected.get(pair, 0.0) + 1 / (n - 1)
    got = {(int(u), int(v)): w for u, v, w in zip(graph.u, graph.v, graph.w_newman, strict=True)}
    assert got.keys() == expected.keys()
    for pair, w in expected.items():
        assert got[pair] == pytest.approx(w)
