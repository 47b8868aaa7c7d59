"""The research note's worked example (§2.3–2.5, target 10 of §5), reproduced exactly.

Expected numbers come from the note, which computed them with networkx 3.6.1;
the hand derivations in the comments show where each one comes from.
"""

from __future__ import annotations

import pytest
from metrics_worked_example import A, B, C, D, E, worked_example

from verbinding.insights.metrics import MetricParams, compute_all
from verbinding.insights.metrics.ties import bridging_metrics, build_tie_graph

# The note's durable pairs use ">= 2 distinct weeks" and no span rule (3 weeks of data).
EXAMPLE = MetricParams(durable_min_weeks=2, durable_min_span_weeks=0, n_permutations=200)


@pytest.fixture(scope="module")
def graph():
    return build_tie_graph(worked_example(), EXAMPLE)


@pytest.fixture(scope="module")
def graph_no_party():
    return build_tie_graph(worked_example(with_party=False), EXAMPLE)


def _bridging(graph, weighting):
    ds = worked_example()
    return bridging_metrics(graph, ds.person_group, ds.n_groups, weighting)


def test_naive_projection_has_21_edges_15_only_through_the_party(graph, graph_no_party):
    assert graph.n_edges == 21
    assert graph.n_edges - graph_no_party.n_edges == 15


def test_party_share_of_tie_weight(graph, graph_no_party):
    # Naive: 33 total, 12 without the party -> 21/33; Newman: 11 total, 7.5 without.
    naive = 1 - graph_no_party.w_naive.sum() / graph.w_naive.sum()
    newman = 1 - graph_no_party.w_newman.sum() / graph.w_newman.sum()
    assert round(naive, 2) == 0.64
    assert round(newman, 2) == 0.32
    assert naive == pytest.approx(21 / 33)
    assert newman == pytest.approx(3.5 / 11)


def test_newman_weights_match_hand_computation(graph):
    w = {(int(u), int(v)): x for u, v, x in zip(graph.u, graph.v, graph.w_newman, strict=True)}
    # a-d: two tandems (1 each), a café of three (1/2), the party (1/6).
    assert w[(A, D)] == pytest.approx(1 + 1 + 1 / 2 + 1 / 6)
    assert w[(B, C)] == pytest.approx(1 / 2 + 1 + 1 / 2 + 1 / 6)
    assert w[(C, E)] == pytest.approx(1 / 2 + 1 / 2 + 1 / 6)


@pytest.mark.parametrize(
    ("weighting", "ei", "r"),
    [
        ("binary", 0.143, -0.167),
        ("naive", 0.212, -0.213),
        ("newman", 0.273, -0.316),
    ],
)
def test_ei_and_weighted_assortativity(graph, weighting, ei, r):
    m = _bridging(graph, weighting)
    assert round(m.ei, 3) == ei
    assert round(m.assortativity, 3) == r


def test_exact_fractions(graph):
    # E-I: naive (20 − 13)/33, Newman (7 − 4)/11; random-mixing baseline with 3/4 of 7:
    # p_ext = 1 − (3·2 + 4·3)/(7·6) = 24/42, EI_exp = 2·24/42 − 1 = 1/7.
    naive, newman = _bridging(graph, "naive"), _bridging(graph, "newman")
    assert naive.ei == pytest.approx(7 / 33)
    assert newman.ei == pytest.approx(3 / 11)
    assert newman.ei_expected == pytest.approx(1 / 7)
    assert newman.ei_delta == pytest.approx(3 / 11 - 1 / 7)
    # Per group from the members' side: EI_g = 1 − 2 H_g; Newman H_N = 6/13, H_R = 2/9.
    assert newman.homophily_h == pytest.approx((6 / 13, 2 / 9))
    assert newman.ei_by_group == pytest.approx((1 - 12 / 13, 1 - 4 / 9))
    # IH_g = (H_g − w_g)/(1 − w_g) with w = (3/7, 4/7).
    assert newman.inbreeding_homophily == pytest.approx(
        ((6 / 13 - 3 / 7) / (4 / 7), (2 / 9 - 4 / 7) / (3 / 7))
    )
    # Per-group baseline: (N − n_g)/(N − 1) cross share -> 2·4/6 − 1 and 2·3/6 − 1.
    assert newman.ei_expected_by_group == pytest.approx((1 / 3, 0.0))


def test_durable_pairs_and_cross_group_share():
    result = compute_all(worked_example(), EXAMPLE)
    graph = build_tie_graph(worked_example(), EXAMPLE)
    durable = {
        (int(u), int(v))
        for u, v, w in zip(graph.u, graph.v, graph.durable_week, strict=True)
        if w >= 0
    }
    assert durable == {(A, D), (B, C), (B, E), (C, E)}
    assert result.durable.cross_share == pytest.approx(0.75)
    # Newcomers a, b, c all have a durable cross-group tie (a-d, b-e, c-e); of the
    # residents d and e do, f and g (party only) do not.
    assert result.durable.with_cross_tie_by_group == (3, 2)
    assert result.durable.share_with_cross_tie == pytest.approx((1.0, 0.5))


def test_the_party_contributes_nothing_to_durable_ties():
    with_party = compute_all(worked_example(), EXAMPLE).durable
    without = compute_all(worked_example(with_party=False), EXAMPLE).durable
    assert with_party.n_durable == without.n_durable == 4
    assert with_party.cross_share == without.cross_share


def test_default_durable_rule_finds_nothing_in_three_weeks():
    # With the proposal's default (3 weeks spanning >= 4), three weeks of data are
    # too short: no tie is durable yet. This guards the span rule.
    result = compute_all(worked_example(), MetricParams(n_permutations=0))
    assert result.durable.n_durable == 0
    assert result.durable.n_durable_labelled == 0
