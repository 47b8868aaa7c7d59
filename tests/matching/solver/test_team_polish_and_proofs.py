"""Pure-tier tests of the objective polish and of the proof machinery of the team solver.

The polish (local.Polish) must never add a violation of either kind nor lower the
objective, and its fast counts must be the evaluator's. The canonical team order
(TeamModel.order_teams) must keep every partition that meets the strict rules reachable,
under exactly one labelling, and the model must count rules 6 and 7 as the evaluator
does; both are checked by brute force over every partition of small pools.
"""

from __future__ import annotations

import random
from dataclasses import replace
from itertools import combinations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from verbinding.matching.solver.cpsat import TeamModel
from verbinding.matching.solver.evaluate import Draft, evaluate, finalise, team_terms, weighted
from verbinding.matching.solver.greedy import greedy_teams, random_teams
from verbinding.matching.solver.instance import prepare
from verbinding.matching.solver.local import Polish, TeamValues, polish
from verbinding.matching.solver.model import (
    Gender,
    Group,
    LanguageSkill,
    Parameters,
    Participant,
    Pool,
    Rule,
)
from verbinding.matching.solver.synthetic import make_pool
from verbinding.matching.solver.teams import form_teams

DUTCH, ARABIC = 0, 2


def _counts(score) -> tuple[int, int, int]:
    return score.strict_violations, score.elastic_violations, score.objective


# --- The polish --------------------------------------------------------------------------


@st.composite
def rule_switches(draw) -> Parameters:
    return Parameters(
        balance=draw(st.booleans()),
        gender=draw(st.booleans()),
        slot=draw(st.booleans()),
        background=draw(st.booleans()),
        language=draw(st.booleans()),
        women_only=draw(st.booleans()),
        women_only_min_size=draw(st.sampled_from([None, 5])),
        constraints=draw(st.booleans()),
        themes=draw(st.sampled_from([None, (0, 1, 2)])),
    )


@settings(max_examples=25, deadline=None)
@given(
    st.integers(8, 80), st.integers(0, 10_000), rule_switches(), st.randoms(use_true_random=False)
)
def test_fast_team_values_are_the_evaluators_counts(n, seed, params, rnd):
    pool = make_pool(n, seed)
    people = pool.participants
    pool = Pool.build(
        people,
        acquaintances=pool.acquaintances,
        forbidden_pairs=[(people[0].id, people[-1].id), (people[1].id, people[2].id)],
    )
    inst = prepare(pool, params)
    tv = TeamValues(inst)
    for _ in range(30):
        members = rnd.sample(range(inst.n), rnd.randint(1, min(12, inst.n)))
        flag = rnd.random() < 0.2
        draft = finalise(inst, Draft(members, women_only=flag))
        viol, a, b, c = team_terms(inst, 0, draft)
        strict = sum(v.rule not in (Rule.BACKGROUND, Rule.LANGUAGE) for v in viol)
        assert tv.value(members, flag) == (strict, len(viol) - strict, weighted(inst, a, b, c))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(20, 120), st.integers(0, 10_000), st.sampled_from(["greedy", "random"]))
def test_polish_never_adds_a_violation_nor_lowers_the_objective(n, seed, start_with):
    pool = make_pool(n, seed)
    inst = prepare(pool, Parameters(seed=seed))
    start = greedy_teams(inst, seed) if start_with == "greedy" else random_teams(inst, seed)
    before = evaluate(inst, [finalise(inst, d) for d in start])
    out, cut = polish(inst, start, budget=20_000, seed=seed)
    after = evaluate(inst, out)
    assert not cut
    assert after.strict_violations <= before.strict_violations
    assert after.elastic_violations <= before.elastic_violations
    assert after.objective >= before.objective
    assert sorted(i for d in out for i in d.members) == list(range(inst.n))
    # Same input, same seed, same budget: same teams (the budget is counted in moves).
    again, _ = polish(inst, start, budget=20_000, seed=seed)
    assert [d.members for d in again] == [d.members for d in out]


def test_polish_raises_the_objective_of_a_greedy_answer():
    pool = make_pool(200, 0)
    inst = prepare(pool, Parameters())
    start = greedy_teams(inst, 0)
    before = evaluate(inst, start)
    out, _ = polish(inst, start, budget=60_000, seed=0)
    after = evaluate(inst, out)
    assert after.objective > 1.15 * before.objective  # measured 447 -> about 590
    assert (after.strict_violations, after.elastic_violations) <= (
        before.strict_violations,
        before.elastic_violations,
    )


def test_polish_bookkeeping_matches_the_evaluator_after_every_accepted_move():
    pool = make_pool(60, 4)
    inst = prepare(pool, Parameters())
    search = Polish(inst, greedy_teams(inst, 4), seed=4)
    for _ in range(20):
        search.run(500)
        drafts = [
            finalise(inst, Draft(list(ms), women_only=f))
            for ms, f in zip(search.members, search.flags, strict=True)
            if ms
        ]
        score = evaluate(inst, drafts)
        assert search.totals() == _counts(score)
    assert search.accepted > 0


def test_form_teams_beats_greedy_on_the_objective_at_n_200():
    # The target at n = 200: objective never below greedy's. Before the polish
    # the deterministic solve ended 0.2 % and 10 % below greedy on seeds 1 and 2.
    for seed in (1, 2):
        pool = make_pool(200, seed)
        # The budget of a 6-second default solve (6 x 0.35 deterministic units, 6 x 30 000
        # polish moves), with the wall-clock net at 30 s: a loaded test machine must not cut
        # the deterministic run short and turn the check into a race.
        params = Parameters(seed=seed, time_limit=30.0, dtime_per_second=0.07,
                            polish_moves_per_second=6_000)
        result = form_teams(pool, params)
        assert result.deterministic
        greedy = evaluate(prepare(pool, params), greedy_teams(prepare(pool, params), seed))
        assert result.score.strict_violations <= greedy.strict_violations
        assert result.score.elastic_violations <= greedy.elastic_violations
        assert result.score.objective > greedy.objective


# --- Brute force on small pools: canonical order and the model's counts -------------------


def _partitions(items: list[int], low: int, high: int):
    """Every partition of items into blocks with sizes in [low, high]."""
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for k in range(low - 1, min(high, len(items))):
        for others in combinations(rest, k):
            left = [x for x in rest if x not in others]
            for tail in _partitions(left, low, high):
                yield [[first, *others], *tail]


@st.composite
def small_pools(draw) -> Pool:
    rng = random.Random(draw(st.integers(0, 100_000)))
    n = draw(st.integers(6, 8))
    people = []
    for pid in range(n):
        newcomer = rng.random() < 0.5
        woman = rng.random() < 0.5
        langs = [LanguageSkill(DUTCH, 4)] if (not newcomer or rng.random() < 0.4) else []
        if newcomer and rng.random() < 0.6:
            langs.append(LanguageSkill(ARABIC, 4))
        if not newcomer and rng.random() < 0.3:
            langs.append(LanguageSkill(ARABIC, 3))
        people.append(
            Participant(
                id=10 + 3 * pid,
                group=Group.NEWCOMER if newcomer else Group.LOCAL,
                gender=Gender.WOMAN if woman else Gender.MAN,
                background=rng.choice((1, 1, 2, 10)),
                languages=tuple(sorted(langs)),
                interests=frozenset({rng.randrange(3)}),
                talents=frozenset({rng.randrange(4)}),
                availability=frozenset(s for s in (0, 1) if rng.random() < 0.75) or frozenset({0}),
                women_only=newcomer and woman and rng.random() < 0.2,
            )
        )
    return Pool.build(people)


SMALL = Parameters(min_size=2, max_size=4, min_gender_count=1, women_only_min_size=2)


def _feasible_partitions(inst):
    """(partition, score) for every partition meeting the strict rules, by the evaluator."""
    p = inst.params
    out = []
    for blocks in _partitions(list(range(inst.n)), p.size_bounds(True)[0], p.max_size):
        if len(blocks) > inst.max_teams:
            continue
        drafts = [finalise(inst, Draft(b)) for b in blocks]
        score = evaluate(inst, drafts)
        if score.strict_violations == 0:
            out.append((blocks, score))
    return out


def _fixed(tm: TeamModel, labelled: list[Draft]) -> cp_model.CpModel:
    model = tm.model.Clone()
    for (i, t), var in tm.x.items():
        model.Add(model.GetIntVarFromProtoIndex(var.Index()) == int(i in labelled[t].members))
    return model


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_pools())
def test_canonical_order_keeps_every_partition_once_and_counts_like_the_evaluator(pool):
    inst = prepare(pool, SMALL)
    tm = TeamModel(inst, with_objective=False)
    tm.order_teams()
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    for blocks, score in _feasible_partitions(inst):
        labelled = tm.relabel([Draft(b) for b in blocks])
        assert labelled is not None
        # Reachable: the canonical labelling meets every constraint, order included,
        # and the model's minimum elastic count for it is the evaluator's.
        fixed = _fixed(tm, labelled)
        fixed.Minimize(tm.elastic)
        assert solver.Solve(fixed) == cp_model.OPTIMAL
        assert round(solver.ObjectiveValue()) == score.elastic_violations
        # Exactly once: no other labelling of the same partition is a solution.
        other = tm.model.Clone()
        team_of = {i: k for k, b in enumerate(blocks) for i in b}
        for i in range(inst.n):
            for j in range(i + 1, inst.n):
                for t in range(inst.max_teams):
                    xi, xj = tm.x.get((i, t)), tm.x.get((j, t))
                    a = None if xi is None else other.GetIntVarFromProtoIndex(xi.Index())
                    b = None if xj is None else other.GetIntVarFromProtoIndex(xj.Index())
                    if team_of[i] == team_of[j]:
                        if a is not None and b is not None:
                            other.Add(a == b)
                        elif a is not None or b is not None:
                            other.Add((a if a is not None else b) == 0)
                    elif a is not None and b is not None:
                        other.AddBoolOr([~a, ~b])
        canonical = [
            other.GetIntVarFromProtoIndex(var.Index())
            for (i, t), var in tm.x.items()
            if i in labelled[t].members
        ]
        other.AddBoolOr([~v for v in canonical])
        assert solver.Solve(other) == cp_model.INFEASIBLE


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_pools())
def test_a_proven_elastic_minimum_is_the_brute_force_minimum(pool):
    params = replace(SMALL, time_limit=4.0)
    inst = prepare(pool, params)
    feasible = _feasible_partitions(inst)
    result = form_teams(pool, params)
    if not feasible:
        assert result.score.strict_violations > 0
        return
    best = min(score.elastic_violations for _, score in feasible)
    assert result.score.strict_violations == 0
    assert result.score.elastic_violations >= best
    if result.elastic_minimum_proven:
        assert result.score.elastic_violations == best


def test_elastic_minimum_proven_at_n_60_where_lns_alone_could_not():
    # Seed 1 of the benchmark: the minimum is 2 (two people whose background partners
    # cannot all be placed with them). LNS reached 2 but cannot prove it; the full search
    # with the canonical order and the per-person rule 6 proves it in about one unit.
    pool = make_pool(60, 1)
    result = form_teams(pool, Parameters(seed=1))
    assert result.score.strict_violations == 0
    assert result.score.elastic_violations == 2
    assert result.elastic_minimum_proven


def test_a_phase_the_wall_clock_stops_is_not_called_repeatable():
    # The objective phase of a 200-person pool is never proven within 0.2 s, and its
    # deterministic budget (50 units) is far out of reach: only the wall clock can stop
    # it, so the answer depends on the machine and must not be flagged repeatable (the
    # old test "elapsed below the limit" let a run stopped at 1.93 s of 1.99 s through).
    from verbinding.matching.solver.cpsat import _run

    inst = prepare(make_pool(200, 2), Parameters(seed=2))
    tm = TeamModel(inst)
    tm.model.Maximize(tm.objective)
    out, solver = _run(tm, 0.2, 50.0)
    assert out.status in ("FEASIBLE", "UNKNOWN")
    assert solver.deterministic_time < 50.0
    assert not out.deterministic
    # The same phase on a small budget the clock does not reach is repeatable.
    small, _ = _run(TeamModel(inst), 30.0, 0.05)
    assert small.deterministic


def test_a_run_the_clock_cuts_is_not_called_repeatable():
    # A 1-second limit with 60 deterministic units per second: the clock ends it first.
    result = form_teams(make_pool(200, 2), Parameters(time_limit=1.0, seed=2, dtime_per_second=60))
    assert result.teams
    assert not result.deterministic


def test_pools_of_a_hundred_or_more_end_with_team_by_team_resolves_that_repeat_and_never_worsen(
    monkeypatch,
):
    # 120 people take the path with three-team re-solves after the polish. A small budget
    # (1.2 deterministic units, 90 000 polish moves) with the wall-clock net far away (30 s).
    from verbinding.matching.solver import teams as teams_mod
    from verbinding.matching.solver.blocks import neighbourhood_search

    calls = []

    def counted(*args, **kwargs):
        out = neighbourhood_search(*args, **kwargs)
        calls.append(out[1])
        return out

    monkeypatch.setattr(teams_mod, "neighbourhood_search", counted)
    assert 120 >= teams_mod.NEIGHBOURHOOD_MIN_PEOPLE
    pool = make_pool(120, 1)
    params = Parameters(time_limit=30.0, seed=1, dtime_per_second=0.04, polish_moves_per_second=3_000)
    a, b = form_teams(pool, params), form_teams(pool, params)
    assert len(calls) == 2 and calls[0] == calls[1] > 0  # the same number of steps each time
    assert a.deterministic and b.deterministic
    assert [t.members for t in a.teams] == [t.members for t in b.teams]
    # The re-solves alone: from any start they keep only improving steps, repeatably.
    inst = prepare(pool, params)
    start = greedy_teams(inst, 1)
    before = evaluate(inst, start)
    out1, steps, det = neighbourhood_search(inst, start, 30.0, 0.6, teams_per_step=3, step_dtime=0.05)
    out2, _, _ = neighbourhood_search(inst, start, 30.0, 0.6, teams_per_step=3, step_dtime=0.05)
    assert det and steps > 0
    assert [d.members for d in out1] == [d.members for d in out2]
    after = evaluate(inst, out1)
    assert (after.strict_violations, after.elastic_violations, -after.objective) < (
        before.strict_violations, before.elastic_violations, -before.objective)
    assert sorted(i for d in out1 for i in d.members) == list(range(inst.n))


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 60), st.integers(0, 10_000), st.integers(1, 12))
def test_the_counting_bound_holds_for_any_partition(n, seed, teams):
    from verbinding.matching.solver.evaluate import counting_bound

    inst = prepare(make_pool(n, seed % 50), Parameters(seed=seed))
    rng = random.Random(seed)
    groups: list[list[int]] = [[] for _ in range(teams)]
    for i in range(inst.n):
        groups[rng.randrange(len(groups))].append(i)
    drafts = [finalise(inst, Draft(g)) for g in groups if g]
    assert evaluate(inst, drafts).objective <= counting_bound(inst)


def test_every_answer_reports_a_bound_no_lower_than_its_objective():
    from verbinding.matching.solver.model import Method
    from verbinding.matching.solver.teams import baseline

    pool = make_pool(60, 4)
    params = Parameters(time_limit=20.0, seed=4, dtime_per_second=0.03, polish_moves_per_second=5_000)
    for result in (form_teams(pool, params), baseline(pool, params, Method.GREEDY),
                   baseline(pool, params, Method.RANDOM)):
        assert result.bound is not None and result.bound >= result.score.objective
