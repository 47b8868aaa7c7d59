"""Pure-tier tests of the reciprocal talent exchange matcher (no database, no Django)."""

from __future__ import annotations

import math
import time

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.linear_solver import pywraplp

from verbinding.matching.solver import exchange_lp
from verbinding.matching.solver.exchange import (
    ExchangeMethod,
    ExchangeParameters,
    Graph,
    Member,
    Unmatched,
    enumerate_cycles,
    match_exchange,
    short_cycle_arcs,
)
from verbinding.matching.solver.model import Gender, Group, LanguageSkill
from verbinding.matching.solver.synthetic import LANGUAGE_SUBJECTS, make_market

DUTCH, ENGLISH, ARABIC = 0, 1, 2
ARABIC_LESSONS, BIKES, SEWING, COOKING = 201, 210, 211, 212
PARAMS = ExchangeParameters(language_subjects=LANGUAGE_SUBJECTS, time_limit=3.0)


def member(mid: int, offers, wants, langs=(DUTCH,), **kw) -> Member:
    return Member(
        id=mid,
        languages=tuple(LanguageSkill(lang, 4) for lang in langs),
        availability=kw.pop("availability", frozenset({1})),
        offers=frozenset(offers),
        wants=frozenset(wants),
        **kw,
    )


def check(members: list[Member], params: ExchangeParameters, result) -> None:
    by_id = {m.id: m for m in members}
    seen: list[int] = []
    for cycle in result.cycles:
        assert 2 <= len(cycle.lessons) <= params.max_cycle
        teachers = [x.teacher for x in cycle.lessons]
        learners = [x.learner for x in cycle.lessons]
        # Everyone in a cycle gives exactly once and receives exactly once.
        assert sorted(teachers) == sorted(learners)
        seen.extend(teachers)
        for lesson in cycle.lessons:
            t, s = by_id[lesson.teacher], by_id[lesson.learner]
            assert lesson.subject in t.offers and lesson.subject in s.wants
            assert lesson.slot in t.availability & s.availability
            spoken_t = {x.language for x in t.languages if x.level >= 2}
            spoken_s = {x.language for x in s.languages if x.level >= 2}
            assert lesson.language in spoken_t & spoken_s
            assert lesson.language != params.language_subjects.get(lesson.subject)
            if t.women_only or s.women_only:
                assert t.gender == s.gender == Gender.WOMAN
    assert len(seen) == len(set(seen)) == result.matched
    assert result.matched <= result.upper_bound


def test_three_cycle_when_no_pair_exists():
    members = [
        member(1, {BIKES}, {SEWING}),
        member(2, {SEWING}, {COOKING}),
        member(3, {COOKING}, {BIKES}),
    ]
    result = match_exchange(members, PARAMS)
    assert result.matched == 3 and result.proven_optimal
    (cycle,) = result.cycles
    assert len(cycle.lessons) == 3
    check(members, PARAMS, result)


def test_language_subject_needs_another_shared_language():
    # A newcomer teaches Arabic to a local; they share English, not Arabic.
    newcomer = member(1, {ARABIC_LESSONS}, {BIKES}, langs=(ARABIC, ENGLISH))
    local = member(2, {BIKES}, {ARABIC_LESSONS}, langs=(DUTCH, ENGLISH))
    result = match_exchange([newcomer, local], PARAMS)
    assert result.matched == 2
    lessons = {x.subject: x for x in result.cycles[0].lessons}
    assert lessons[ARABIC_LESSONS].language == ENGLISH
    # Without English in common the Arabic lesson has no language to be taught in.
    local_nl = member(2, {BIKES}, {ARABIC_LESSONS}, langs=(DUTCH,))
    result = match_exchange([newcomer, local_nl], PARAMS)
    assert result.matched == 0
    assert result.unmatched == {1: Unmatched.NOBODY_TO_TEACH, 2: Unmatched.NOBODY_TO_TEACH}


def test_no_overlap_in_time_or_women_only_means_no_match():
    a = member(1, {BIKES}, {SEWING}, availability=frozenset({1}))
    b = member(2, {SEWING}, {BIKES}, availability=frozenset({2}))
    assert match_exchange([a, b], PARAMS).matched == 0
    w = member(3, {BIKES}, {SEWING}, gender=Gender.WOMAN, women_only=True)
    m = member(4, {SEWING}, {BIKES}, gender=Gender.MAN)
    assert match_exchange([w, m], PARAMS).matched == 0
    w2 = member(4, {SEWING}, {BIKES}, gender=Gender.WOMAN)
    assert match_exchange([w, w2], PARAMS).matched == 2


def test_cross_group_pair_preferred_when_counts_tie():
    hub = member(1, {BIKES}, {SEWING}, group=Group.LOCAL)
    same = member(2, {SEWING}, {BIKES}, group=Group.LOCAL)
    other = member(3, {SEWING}, {BIKES}, group=Group.NEWCOMER)
    result = match_exchange([hub, same, other], PARAMS)
    assert result.matched == 2
    assert set(result.cycles[0].members) == {1, 3}
    assert result.cross_group_lessons == 2


@settings(max_examples=10, deadline=None)
@given(st.integers(10, 80), st.integers(0, 1000))
def test_market_matches_are_valid_and_below_the_bound(n, seed):
    members = make_market(n, seed)
    result = match_exchange(members, PARAMS)
    check(members, PARAMS, result)
    pairs_only = match_exchange(
        members,
        ExchangeParameters(language_subjects=LANGUAGE_SUBJECTS, time_limit=3.0, max_cycle=2),
    )
    check(members, PARAMS, pairs_only)
    if result.proven_optimal:
        # 3-cycles can only add to what pairs achieve.
        assert result.matched >= pairs_only.matched


def test_dense_market_falls_back_to_pairs_plus_triangles():
    # Without column generation (too many cycles to list), pairs + triangles + LNS.
    members = make_market(120, 5)
    params = ExchangeParameters(
        language_subjects=LANGUAGE_SUBJECTS,
        time_limit=3.0,
        max_enumerated_cycles=10,
        max_lp_cycles=0,
    )
    result = match_exchange(members, params)
    assert result.method in (ExchangeMethod.PAIRS_AUGMENTED, ExchangeMethod.PAIRS_LNS)
    check(members, params, result)
    assert result.matched > 0


def test_short_cycle_bound_is_between_the_optimum_and_the_cover_bound():
    members = make_market(150, 2)
    result = match_exchange(members, PARAMS)
    assert result.method == ExchangeMethod.EXACT_CYCLES and result.proven_optimal
    assert result.matched <= result.upper_bound <= result.cover_bound


def test_dense_market_search_is_deterministic_and_never_below_pairs():
    members = make_market(300, 4)
    params = ExchangeParameters(
        language_subjects=LANGUAGE_SUBJECTS,
        time_limit=4.0,
        max_enumerated_cycles=10,
        max_lp_cycles=0,
    )
    a, b = match_exchange(members, params), match_exchange(members, params)
    assert [c.members for c in a.cycles] == [c.members for c in b.cycles]
    check(members, params, a)
    pairs = match_exchange(
        members,
        ExchangeParameters(
            language_subjects=LANGUAGE_SUBJECTS,
            time_limit=4.0,
            max_cycle=2,
            max_enumerated_cycles=10,
            max_lp_cycles=0,
        ),
    )
    assert a.matched >= pairs.matched


# --- Column generation and the LP-guided dive (dense markets) -------------------------------


def brute_force(members: list[Member], params: ExchangeParameters) -> tuple[int, int]:
    """Best (people, cross-group lessons) over every packing of short cycles."""
    g = Graph(tuple(sorted(members, key=lambda m: m.id)), params)
    cycles = enumerate_cycles(g, 10**6)
    value = {
        c: (len(c), sum(g.weight(a, b) > 0 for a, b in zip(c, c[1:] + c[:1], strict=True)))
        for c in cycles
    }
    through: dict[int, list[tuple[int, ...]]] = {}
    for c in cycles:
        for v in c:
            through.setdefault(v, []).append(c)

    def best(v: int, used: frozenset[int]) -> tuple[int, int]:
        if v >= len(g.members):
            return (0, 0)
        if v in used:
            return best(v + 1, used)
        top = best(v + 1, used)  # v stays out
        for c in through.get(v, ()):
            # Members below v are decided (used or left out), so a cycle must lie above.
            if min(c) == v and used.isdisjoint(c):
                people, cross = best(v + 1, used | frozenset(c))
                top = max(top, (people + value[c][0], cross + value[c][1]))
        return top

    return best(0, frozenset())


SUBJECTS = st.frozensets(st.integers(0, 3), max_size=3)
GROUPS = st.sampled_from([Group.NEWCOMER, Group.LOCAL, Group.UNKNOWN])


@st.composite
def small_markets(draw) -> list[Member]:
    n = draw(st.integers(2, 9))
    return [
        member(i + 1, draw(SUBJECTS), draw(SUBJECTS), group=draw(GROUPS)) for i in range(n)
    ]


@settings(max_examples=60, deadline=None)
@given(small_markets())
def test_small_markets_exact_path_equals_brute_force(members):
    params = ExchangeParameters(time_limit=3.0)
    result = match_exchange(members, params)
    check(members, params, result)
    people, cross = brute_force(members, params)
    assert result.matched == people and result.cross_group_lessons == cross
    assert result.proven_optimal
    assert people <= result.upper_bound <= result.cover_bound


@settings(max_examples=60, deadline=None)
@given(small_markets())
def test_column_generation_bound_is_valid_and_the_dive_is_a_packing(members):
    # max_enumerated_cycles=0: column generation, and the dive runs to the end (no CP-SAT).
    params = ExchangeParameters(time_limit=3.0, max_enumerated_cycles=0)
    result = match_exchange(members, params)
    check(members, params, result)
    people, _ = brute_force(members, params)
    assert result.matched <= people <= result.upper_bound <= result.cover_bound
    if result.method == ExchangeMethod.COLUMN_GENERATION:
        assert result.lp_bound is not None and people <= result.lp_bound + 1e-6
        assert result.upper_bound <= math.floor(result.lp_bound + 1e-6)
    if result.matched == result.upper_bound:
        assert result.proven_optimal
    if result.proven_optimal:
        assert result.matched == people


def test_short_cycles_in_numpy_are_the_enumerated_cycles():
    for n, seed in ((60, 1), (200, 3)):
        members = tuple(sorted(make_market(n, seed), key=lambda m: m.id))
        g = Graph(members, PARAMS)
        listed = exchange_lp.short_cycles(exchange_lp.adjacency(short_cycle_arcs(g)))
        rows = {tuple(int(v) for v in row if v < n) for row in listed}
        assert len(rows) == len(listed)
        assert rows == set(enumerate_cycles(g, 10**6))
        # Lowest member first, lessons in order: every consecutive pair is an arc.
        for c in rows:
            assert c[0] == min(c)
            assert all(b in g.out[a] for a, b in zip(c, c[1:] + c[:1], strict=True))


def test_column_generation_reaches_the_lp_of_every_cycle():
    members = tuple(sorted(make_market(250, 6), key=lambda m: m.id))
    g = Graph(members, PARAMS)
    cycles = exchange_lp.short_cycles(exchange_lp.adjacency(short_cycle_arcs(g)))
    n = len(members)
    size = exchange_lp.sizes(cycles, n).astype(float)
    master = exchange_lp.Master(cycles, n, np.nonzero(cycles[:, 2] == n)[0], size)
    lp = master.generate(time.perf_counter() + 60)
    assert lp is not None and lp.converged
    assert int(master.in_master.sum()) < len(cycles)  # it priced, not listed, most cycles
    # The same LP with every cycle, solved directly.
    full = pywraplp.Solver.CreateSolver("GLOP")
    rows = [full.Constraint(-full.infinity(), 1.0) for _ in range(n)]
    objective = full.Objective()
    for c, cycle in enumerate(cycles.tolist()):
        y = full.NumVar(0.0, full.infinity(), "")
        objective.SetCoefficient(y, float(size[c]))
        for v in cycle:
            if v < n:
                rows[v].SetCoefficient(y, 1.0)
    objective.SetMaximization()
    assert full.Solve() == pywraplp.Solver.OPTIMAL
    assert abs(lp.value - objective.Value()) < 1e-6
    assert objective.Value() - 1e-6 <= lp.bound <= objective.Value() + 1e-4


def test_dense_market_column_generation_is_deterministic_valid_and_above_pairs():
    members = make_market(500, 8)
    params = ExchangeParameters(language_subjects=LANGUAGE_SUBJECTS, time_limit=8.0, seed=8)
    a, b = match_exchange(members, params), match_exchange(members, params)
    assert a.method == ExchangeMethod.COLUMN_GENERATION
    assert a.cycles == b.cycles and a.cross_group_lessons == b.cross_group_lessons
    check(members, params, a)
    assert a.upper_bound <= math.floor(a.lp_bound + 1e-6)
    assert a.upper_bound <= a.cover_bound
    assert a.wall_time <= params.time_limit
    pairs = match_exchange(
        members,
        ExchangeParameters(
            language_subjects=LANGUAGE_SUBJECTS, time_limit=8.0, seed=8, max_cycle=2
        ),
    )
    check(members, params, pairs)
    assert a.matched >= pairs.matched
    # The dive reaches the LP bound on this market (proven optimal for short cycles).
    assert a.proven_optimal and a.matched == a.upper_bound


def test_column_generation_pairs_only():
    members = make_market(300, 2)
    params = ExchangeParameters(
        language_subjects=LANGUAGE_SUBJECTS, time_limit=4.0, max_cycle=2, max_enumerated_cycles=0
    )
    result = match_exchange(members, params)
    assert result.method == ExchangeMethod.COLUMN_GENERATION
    check(members, params, result)
    assert all(len(c.lessons) == 2 for c in result.cycles)
    assert result.matched <= result.upper_bound
