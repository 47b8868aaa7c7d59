"""Pure-tier tests of the polish's fast team counts and of which blocks get re-solved.

local.TeamValues.value must give, for any member list, exactly the (strict, elastic,
objective) the evaluator gives, on any pool and with every rule switched on or off: the
polish trusts it for hundreds of thousands of moves. The pools here are drawn wider than
the synthetic generator draws them: unknown group, gender and background, nobody with a
slot at all, themes nobody has, every threshold from 1 to 3, forbidden pairs, pins and
keep-together sets.

blocks.solve_blocks, when the objective polish follows, re-solves only the blocks that
hold a team breaking a rule (keep-together sets and pins that span teams included), and
only for the fewest violations.
"""

from __future__ import annotations

import random
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verbinding.matching.solver import blocks
from verbinding.matching.solver.blocks import broken_teams, group_teams, solve_blocks
from verbinding.matching.solver.evaluate import (
    Draft,
    _constraint_violations,
    evaluate,
    finalise,
    team_terms,
    weighted,
)
from verbinding.matching.solver.greedy import greedy_teams
from verbinding.matching.solver.instance import prepare
from verbinding.matching.solver.local import Polish, TeamValues, improve
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

# --- TeamValues.value against the evaluator --------------------------------------------


@st.composite
def any_params(draw) -> Parameters:
    min_size = draw(st.integers(1, 5))
    return Parameters(
        min_size=min_size,
        max_size=min_size + draw(st.integers(0, 4)),
        balance=draw(st.booleans()),
        balance_tolerance=draw(st.integers(0, 2)),
        gender=draw(st.booleans()),
        min_gender_count=draw(st.integers(1, 3)),
        women_only=draw(st.booleans()),
        women_only_min_size=draw(st.sampled_from([None, 1, 2])),
        slot=draw(st.booleans()),
        background=draw(st.booleans()),
        min_background_count=draw(st.integers(1, 3)),
        language=draw(st.booleans()),
        min_language_level=draw(st.integers(1, 3)),
        constraints=draw(st.booleans()),
        themes=draw(st.sampled_from([None, (), (0, 2), (1, 7)])),
        weight_interest=draw(st.integers(0, 3)),
        weight_acquaintance=draw(st.integers(0, 3)),
        weight_talent=draw(st.integers(0, 3)),
    )


def _wide_pool(rng: random.Random, n: int, no_slots: bool) -> Pool:
    """Every attribute drawn from its whole range, unknowns and empties included."""
    people = []
    for pid in range(n):
        langs = {lang: rng.randint(1, 4) for lang in (0, 1, 2) if rng.random() < 0.4}
        people.append(
            Participant(
                id=5 + 2 * pid,
                group=rng.choice(list(Group)),
                gender=rng.choice(list(Gender)),
                background=rng.choice((None, 1, 1, 2, 3)),
                languages=tuple(sorted(LanguageSkill(k, v) for k, v in langs.items())),
                interests=frozenset(q for q in range(4) if rng.random() < 0.3),
                talents=frozenset(k for k in range(5) if rng.random() < 0.3),
                availability=(
                    frozenset()
                    if no_slots
                    else frozenset(s for s in range(3) if rng.random() < 0.5)
                ),
                women_only=rng.random() < 0.2,
            )
        )
    ids = [p.id for p in people]

    def pairs(k: int) -> list[tuple[int, int]]:
        return [tuple(rng.sample(ids, 2)) for _ in range(k)] if n > 1 else []

    keep = [rng.sample(ids, min(n, rng.randint(2, 3))) for _ in range(rng.randint(0, 2))]
    pins = [(rng.choice(ids), rng.randint(1, 2)) for _ in range(rng.randint(0, 3))]
    return Pool.build(
        people,
        acquaintances=pairs(n),
        forbidden_pairs=pairs(rng.randint(0, n)),
        keep_together=keep if n > 1 else [],
        pins=list(dict(pins).items()),
    )


def _partition(rng: random.Random, n: int) -> list[list[int]]:
    order = list(range(n))
    rng.shuffle(order)
    teams: list[list[int]] = []
    while order:
        k = rng.randint(1, 7)
        teams.append(order[:k])
        order = order[k:]
    return teams


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(1, 36),
    st.integers(0, 10**6),
    st.booleans(),
    any_params(),
)
def test_team_values_equal_the_evaluator_with_every_rule_on_and_off(n, seed, no_slots, params):
    rng = random.Random(seed)
    inst = prepare(_wide_pool(rng, n, no_slots), params)
    tv = TeamValues(inst)
    teams = _partition(rng, inst.n)
    flags = [rng.random() < 0.25 for _ in teams]
    drafts = [finalise(inst, Draft(ms, women_only=f)) for ms, f in zip(teams, flags, strict=True)]
    totals = [0, 0, 0]
    for t, (ms, f) in enumerate(zip(teams, flags, strict=True)):
        viol, a, b, c = team_terms(inst, t, drafts[t])
        strict = sum(v.rule not in (Rule.BACKGROUND, Rule.LANGUAGE) for v in viol)
        expected = (strict, len(viol) - strict, weighted(inst, a, b, c))
        assert tv.value(ms, f) == expected
        assert tv.value(list(reversed(ms)), f) == expected  # member order never matters
        for k in range(3):
            totals[k] += expected[k]
    # The whole assignment: the evaluator's totals less what no single team can judge
    # (keep-together and pin keys across teams, several pin keys in one team); the polish
    # never moves pinned or kept-together people, so those stay as they are.
    score = evaluate(inst, drafts)
    team_of = {i: t for t, ms in enumerate(teams) for i in ms}
    cross = len(_constraint_violations(inst, team_of)) if params.constraints else 0
    assert totals == [score.strict_violations - cross, score.elastic_violations, score.objective]


def test_slot_rule_without_any_slot_counts_every_member():
    people = [Participant(id=k, group=Group.NEWCOMER if k % 2 else Group.LOCAL) for k in range(3)]
    for slot in (True, False):
        inst = prepare(Pool.build(people), Parameters(min_size=1, slot=slot))
        draft = finalise(inst, Draft([0, 1, 2]))
        assert draft.slot is None
        expected = 3 if slot else 0
        assert TeamValues(inst).value([0, 1, 2], False)[0] == expected
        assert evaluate(inst, [draft]).strict_violations == expected


def test_background_rule_off_counts_no_lone_background():
    people = [
        Participant(id=k, group=Group.NEWCOMER, background=k, availability=frozenset({0}))
        for k in range(3)
    ]
    for background in (True, False):
        params = Parameters(min_size=1, balance=False, background=background)
        inst = prepare(Pool.build(people), params)
        inst.waived = {}  # as if partners existed elsewhere: every lone background counts
        draft = finalise(inst, Draft([0, 1, 2]))
        elastic = evaluate(inst, [draft]).elastic_violations
        assert elastic == (3 if background else 0)
        assert TeamValues(inst).value([0, 1, 2], False)[1] == elastic


def test_polish_totals_stay_the_evaluators_with_every_rule_switched():
    pool = make_pool(90, 3)
    switches = ("balance", "gender", "slot", "background", "language", "women_only")
    for off in (None, *switches):
        params = Parameters(seed=3) if off is None else replace(Parameters(seed=3), **{off: False})
        inst = prepare(pool, params)
        search = Polish(inst, greedy_teams(inst, 3), seed=3)
        search.run(3_000)
        drafts = [
            finalise(inst, Draft(list(ms), women_only=f))
            for ms, f in zip(search.members, search.flags, strict=True)
            if ms
        ]
        score = evaluate(inst, drafts)
        assert search.totals() == (
            score.strict_violations,
            score.elastic_violations,
            score.objective,
        ), off


# --- Which blocks are re-solved --------------------------------------------------------


def test_broken_teams_include_split_keep_sets_and_spread_pins():
    people = [
        Participant(
            id=k,
            group=Group.NEWCOMER if k % 2 else Group.LOCAL,
            gender=Gender.WOMAN,
            availability=frozenset({0}),
        )
        for k in range(8)
    ]
    params = Parameters(min_size=2, max_size=2, background=False, language=False)
    split = prepare(Pool.build(people, keep_together=[(0, 2)]), params)
    drafts = [finalise(split, Draft([2 * t, 2 * t + 1])) for t in range(4)]
    assert evaluate(split, drafts).strict_violations == 1
    assert broken_teams(split, drafts) == {0, 1}
    spread = prepare(Pool.build(people, pins=[(0, 1), (4, 1)]), params)
    assert broken_teams(spread, drafts) == {0, 2}
    clean = prepare(Pool.build(people, keep_together=[(0, 1)], pins=[(6, 2)]), params)
    assert broken_teams(clean, drafts) == set()


def test_blocks_before_the_polish_re_solve_only_broken_blocks_for_the_rules(monkeypatch):
    pool = make_pool(160, 5)
    inst = prepare(pool, Parameters(seed=5, block_size=30))
    start = improve(inst, greedy_teams(inst, 5), seed=5)
    calls: list[tuple[list[int], bool, set[int]]] = []

    def fake_solve_block(inst_, drafts, teams, seconds, dtime, workers=None, objective=True):
        calls.append((list(teams), objective, broken_teams(inst_, drafts)))
        return None, False, True, 0.0

    monkeypatch.setattr(blocks, "solve_block", fake_solve_block)
    drafts0 = [finalise(inst, d) for d in start if d.members]
    broken0 = broken_teams(inst, drafts0)
    groups0 = group_teams(inst, drafts0, 0, inst.params.block_size)
    assert 0 < len(broken0) and len([g for g in groups0 if broken0 & set(g)]) < len(groups0)

    polished: list[int] = []
    _out, info = solve_blocks(inst, start, 60.0, lambda ds: polished.append(1) or ds)
    assert polished == [1]
    assert calls and all(not objective for _, objective, _ in calls)
    assert all(broken & set(teams) for teams, _, broken in calls)
    round0 = [teams for teams, _, _ in calls[: len([g for g in groups0 if broken0 & set(g)])]]
    assert round0 == [g for g in groups0 if broken0 & set(g)]
    assert info.blocks == len(calls)

    calls.clear()
    solve_blocks(inst, start, 60.0, None)
    # Without a polish, every block is re-solved with the objective, clean or not.
    assert all(objective for _, objective, _ in calls)
    assert [teams for teams, _, _ in calls[: len(groups0)]] == groups0
