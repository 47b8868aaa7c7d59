"""Reciprocal talent exchange: pairs and 3-cycles in which everyone gives and receives.

What belongs here: the compatibility graph (arc i -> j when i can teach j something j
wants, in a language both speak -- or, when the subject is a language, in another shared
language -- at a time both are free, respecting women-only), the upper bounds (the
unbounded cycle cover, an assignment problem; the same over arcs on short cycles; the LP of
the cycle formulation), the exact cycle formulation in CP-SAT for markets with few short
cycles, and for dense markets column generation with LP-guided dives (exchange_lp.py),
CP-SAT completing the last cycles. Maximum pairs (CP-SAT) plus 3-cycle augmentation and
LNS remain as the fallback. People matched first, cross-group lessons second. Kidney-
exchange style, as in the research note section 2.3. See docs/algorithms/team-formation.md,
"Exchange".
"""

from __future__ import annotations

import enum
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from ortools.graph.python import linear_sum_assignment
from ortools.sat.python import cp_model

from verbinding.matching.solver.model import Gender, Group, LanguageSkill


@dataclass(frozen=True)
class Member:
    id: int
    group: Group = Group.UNKNOWN
    gender: Gender = Gender.UNKNOWN
    women_only: bool = False
    languages: tuple[LanguageSkill, ...] = ()
    availability: frozenset[int] = frozenset()
    offers: frozenset[int] = frozenset()  # subject ids this member can teach
    wants: frozenset[int] = frozenset()  # subject ids this member wants to learn


@dataclass(frozen=True)
class ExchangeParameters:
    language_subjects: Mapping[int, int] = field(default_factory=dict)  # subject -> language
    min_language_level: int = 2
    max_cycle: int = 3  # 2 = pairs only
    cross_group_bonus: int = 1  # per lesson between a newcomer and a local
    # At most this many short cycles: the exact cycle model (CP-SAT) at once. Above, column
    # generation dives until this few are left among the free people, then the same model.
    max_enumerated_cycles: int = 2_000
    # Column generation lists every short cycle in numpy (12 bytes each): above this many,
    # pairs + augmentation + LNS instead. 0 switches column generation off.
    max_lp_cycles: int = 6_000_000
    # The integer model over the priced cycles stops once within this many people of its
    # own bound (a stop that depends on the search, not the clock). 0: HiGHS's default.
    mip_gap_people: float = 1.0
    time_limit: float = 10.0
    seed: int = 0
    num_workers: int = 2
    deterministic: bool = True  # one worker on deterministic budgets: same seed, same matches
    dtime_per_second: float = 1.0  # deterministic budget of the LNS per second of time_limit


@dataclass(frozen=True)
class Lesson:
    teacher: int
    learner: int
    subject: int
    language: int
    slot: int


@dataclass(frozen=True)
class ExchangeCycle:
    lessons: tuple[Lesson, ...]

    @property
    def members(self) -> tuple[int, ...]:
        return tuple(lesson.teacher for lesson in self.lessons)


class ExchangeMethod(enum.Enum):
    EXACT_CYCLES = "exact_cycles"  # cycle formulation, every <=3-cycle enumerated
    PAIRS_AUGMENTED = "pairs_augmented"  # maximum pairs, then pair->triangle moves
    PAIRS_LNS = "pairs_lns"  # the above, then exact re-solves around unmatched people
    # LP bound by column generation, then the integer model over the priced cycles (HiGHS)
    COLUMN_GENERATION = "column_generation"


class Unmatched(enum.Enum):
    NOBODY_TO_TEACH = "nobody_to_teach"  # no compatible learner for any offer
    NOBODY_TEACHES = "nobody_teaches"  # no compatible teacher for any want
    NOT_CHOSEN = "not_chosen"  # compatible partners exist but were matched elsewhere


@dataclass(frozen=True)
class ExchangeResult:
    cycles: tuple[ExchangeCycle, ...]
    matched: int
    # Valid upper bound for cycles <= max_cycle: the best cycle cover that uses only arcs
    # lying on some short cycle (never above the unbounded cover below), or the LP bound
    # of the cycle formulation (lp_bound, rounded down) when that was computed and is lower.
    upper_bound: int
    cover_bound: int  # people covered by the best unbounded cycle cover (all arcs)
    proven_optimal: bool  # optimal for cycles <= max_cycle (exact method only)
    method: ExchangeMethod
    cross_group_lessons: int
    unmatched: dict[int, Unmatched]
    arcs: int
    enumerated_cycles: int
    wall_time: float
    lns_steps: int = 0
    # LP relaxation of the <= max_cycle cycle formulation, when column generation ran: a
    # valid upper bound on the people any packing of short cycles matches (upper_bound is
    # at most its floor). None when it was not computed.
    lp_bound: float | None = None
    lp_columns: int = 0  # cycles the column generation priced into its master


class Graph:
    def __init__(self, members: tuple[Member, ...], params: ExchangeParameters):
        self.members = members
        self.params = params
        n = len(members)
        speaks = [
            frozenset(s.language for s in m.languages if s.level >= params.min_language_level)
            for m in members
        ]
        self.out: list[set[int]] = [set() for _ in range(n)]
        self.inn: list[set[int]] = [set() for _ in range(n)]
        self.lesson: dict[tuple[int, int], Lesson] = {}
        # Index learners by wanted subject so the arc scan is not n^2 over all pairs.
        wanted_by: dict[int, list[int]] = {}
        for j, m in enumerate(members):
            for k in m.wants:
                wanted_by.setdefault(k, []).append(j)
        for i, teacher in enumerate(members):
            for k in sorted(teacher.offers):
                for j in wanted_by.get(k, ()):
                    if j == i or (i, j) in self.lesson:
                        continue
                    lesson = self._lesson(i, j, k, speaks)
                    if lesson is not None:
                        self.lesson[i, j] = lesson
                        self.out[i].add(j)
                        self.inn[j].add(i)

    def _lesson(self, i: int, j: int, k: int, speaks: list[frozenset[int]]) -> Lesson | None:
        a, b = self.members[i], self.members[j]
        if (a.women_only or b.women_only) and not (
            a.gender == Gender.WOMAN and b.gender == Gender.WOMAN
        ):
            return None
        slots = a.availability & b.availability
        if not slots:
            return None
        shared = speaks[i] & speaks[j]
        taught = self.params.language_subjects.get(k)
        if taught is not None:
            shared = shared - {taught}  # the learner is learning it: teach through another
        if not shared:
            return None
        return Lesson(a.id, b.id, k, min(shared), min(slots))

    def weight(self, i: int, j: int) -> int:
        gi, gj = self.members[i].group, self.members[j].group
        cross = {gi, gj} == {Group.NEWCOMER, Group.LOCAL}
        return self.params.cross_group_bonus if cross else 0


def cycle_cover_bound(g: Graph) -> int:
    """Most people coverable by disjoint cycles of any length (assignment problem)."""
    n = len(g.members)
    if n == 0:
        return 0
    lsa = linear_sum_assignment.SimpleLinearSumAssignment()
    for i in range(n):
        lsa.add_arc_with_cost(i, i, 0)  # staying out of the exchange
        for j in g.out[i]:
            lsa.add_arc_with_cost(i, j, -1)
    if lsa.solve() != lsa.OPTIMAL:
        return n
    return -lsa.optimal_cost()


def short_cycle_arcs(g: Graph) -> list[set[int]]:
    """Out-arcs that lie on some cycle of length <= max_cycle (only those can be used)."""
    n = len(g.members)
    k = g.params.max_cycle
    inn_bits = [0] * n
    for j in range(n):
        bits = 0
        for i in g.inn[j]:
            bits |= 1 << i
        inn_bits[j] = bits
    out: list[set[int]] = [set() for _ in range(n)]
    for i in range(n):
        for j in g.out[i]:
            if i in g.out[j]:
                out[i].add(j)
            elif k >= 3:
                # i -> j -> x -> i for some x: j's out-set meets i's in-set.
                bits = inn_bits[i]
                if any(bits >> x & 1 for x in g.out[j]):
                    out[i].add(j)
    return out


def short_cycle_bound(g: Graph) -> int:
    """Most people coverable by disjoint cycles using only arcs on a <= max_cycle cycle.

    Every packing of short cycles is a cycle cover of this subgraph, so this assignment
    problem is a valid upper bound on what any method with cycles <= max_cycle can match,
    and it is never above the unbounded cycle cover (cycle_cover_bound).
    """
    return _cover(len(g.members), short_cycle_arcs(g))


def _cover(n: int, out: list[set[int]]) -> int:
    if n == 0:
        return 0
    lsa = linear_sum_assignment.SimpleLinearSumAssignment()
    for i in range(n):
        lsa.add_arc_with_cost(i, i, 0)
        for j in out[i]:
            lsa.add_arc_with_cost(i, j, -1)
    if lsa.solve() != lsa.OPTIMAL:
        return n
    return -lsa.optimal_cost()


def enumerate_cycles(g: Graph, cap: int) -> list[tuple[int, ...]] | None:
    """All 2- and 3-cycles, each once (lowest index first); None when more than cap."""
    cycles: list[tuple[int, ...]] = []
    for i in range(len(g.members)):
        for j in g.out[i]:
            if j <= i:
                continue
            if i in g.out[j]:
                cycles.append((i, j))
            if g.params.max_cycle >= 3:
                for k in g.out[j]:
                    if k > i and i in g.out[k]:
                        cycles.append((i, j, k))
            if len(cycles) > cap:
                return None
    return cycles


def _value(g: Graph, cycle: tuple[int, ...], big: int) -> int:
    arcs = list(zip(cycle, cycle[1:] + cycle[:1], strict=True))
    return big * len(cycle) + sum(g.weight(a, b) for a, b in arcs)


def _solve_cycles(
    g: Graph,
    cycles: list[tuple[int, ...]],
    seconds: float,
    hint: list[tuple[int, ...]],
    dtime: float = 1.0,
    deadline: float | None = None,
) -> tuple[list[tuple[int, ...]], bool]:
    """Cycle formulation over the given cycles; the wall-clock net is seconds, or what is
    left before deadline once the model is built (building it takes time too)."""
    n = len(g.members)
    big = 3 * g.params.cross_group_bonus * n + 1  # people matched first, bridging second
    m = cp_model.CpModel()
    y = [m.NewBoolVar(f"c{c}") for c in range(len(cycles))]
    by_person: list[list[int]] = [[] for _ in range(n)]
    for c, cyc in enumerate(cycles):
        for v in cyc:
            by_person[v].append(c)
    for v in range(n):
        if len(by_person[v]) > 1:
            m.AddAtMostOne(y[c] for c in by_person[v])
    m.Maximize(sum(_value(g, cyc, big) * y[c] for c, cyc in enumerate(cycles)))
    hinted = set(hint)
    for c, cyc in enumerate(cycles):
        m.AddHint(y[c], cyc in hinted)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = g.params.num_workers
    solver.parameters.random_seed = g.params.seed
    if deadline is not None:
        seconds = deadline - time.perf_counter()
    solver.parameters.max_time_in_seconds = max(0.05, seconds)
    if g.params.deterministic:
        solver.parameters.num_workers = 1
        # From the time limit, never from elapsed time, so every run gets the same budget.
        solver.parameters.max_deterministic_time = max(0.1, dtime)
    code = solver.Solve(m)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return list(hint), False
    chosen = [cyc for c, cyc in enumerate(cycles) if solver.BooleanValue(y[c])]
    return chosen, code == cp_model.OPTIMAL


def _augment(g: Graph, chosen: list[tuple[int, ...]]) -> list[tuple[int, ...]]:
    """Add 3-cycles among unmatched people and turn pairs plus one person into triangles."""
    n = len(g.members)
    cycle_of: dict[int, tuple[int, ...]] = {v: c for c in chosen for v in c}
    result = set(chosen)
    changed = True
    while changed:
        changed = False
        for u in range(n):
            if u in cycle_of:
                continue
            found = None
            for a in sorted(g.out[u]):
                ca = cycle_of.get(a)
                if ca is None:
                    # triangle u -> a -> b -> u among unmatched people
                    for b in sorted(g.out[a]):
                        if b != u and b not in cycle_of and u in g.out[b]:
                            found = ((u, a, b), None)
                            break
                elif len(ca) == 2:
                    b = ca[0] if ca[1] == a else ca[1]
                    if u in g.out[b]:  # u -> a -> b -> u replaces the pair (a, b)
                        found = ((u, a, b), ca)
                if found:
                    break
            if found:
                tri, old = found
                if old is not None:
                    result.discard(old)
                result.add(tri)
                for v in tri:
                    cycle_of[v] = tri
                changed = True
    return sorted(result)


def _cycles_within(g: Graph, vertices: set[int]) -> list[tuple[int, ...]]:
    """Every cycle of length <= max_cycle inside the given vertex set, lowest index first."""
    out: list[tuple[int, ...]] = []
    for i in sorted(vertices):
        for j in g.out[i]:
            if j <= i or j not in vertices:
                continue
            if i in g.out[j]:
                out.append((i, j))
            if g.params.max_cycle >= 3:
                for k in g.out[j]:
                    if k > i and k in vertices and i in g.out[k]:
                        out.append((i, j, k))
    return out


def _improve(
    g: Graph,
    chosen: list[tuple[int, ...]],
    usable: list[set[int]],
    seconds: float,
    dtime: float,
) -> tuple[list[tuple[int, ...]], int]:
    """Large-neighbourhood search: re-solve exactly around people left unmatched.

    Each step frees a few unmatched people who could still be matched (they have a usable
    in- and out-arc) together with the cycles of some of their neighbours, enumerates every
    short cycle inside that set (small, so cheap) and solves the cycle formulation there
    with one CP-SAT worker on a deterministic budget, hinted with the current cycles. A
    step is kept only when it matches more people (or as many with more bridging). The
    sequence depends on the seed only, so the result does too (unless the wall-clock
    safety net stops it first). Returns the cycles and the number of steps.
    """
    import random

    n = len(g.members)
    rng = random.Random(g.params.seed)
    big = 3 * g.params.cross_group_bonus * n + 1
    start = time.perf_counter()
    used_dtime = 0.0
    steps = 0
    cycle_of: dict[int, tuple[int, ...]] = {v: c for c in chosen for v in c}
    current = set(chosen)
    stale = 0
    while used_dtime < dtime and time.perf_counter() - start < seconds:
        free = [
            u
            for u in range(n)
            if u not in cycle_of and usable[u] and any(u in usable[x] for x in g.inn[u])
        ]
        if not free or stale > STALE_STEPS:
            break
        rng.shuffle(free)
        seeds = free[:EXCHANGE_SEEDS]
        vertices: set[int] = set(seeds)
        for u in seeds:
            if len(vertices) >= EXCHANGE_MAX_VERTICES:
                break
            # Short cycles through u (u <-> a, or u -> a -> b -> u): free the cycles their
            # other members sit in, so the step can rebuild them around u (ejection chain).
            through: list[tuple[int, ...]] = []
            for a in sorted(usable[u]):
                if u in usable[a]:
                    through.append((a,))
                for b in usable[a]:
                    if b != u and u in usable[b]:
                        through.append((a, b))
            for path in rng.sample(through, min(len(through), EXCHANGE_NEIGHBOURS)):
                for x in path:
                    vertices.update(cycle_of.get(x, (x,)))
        # People displaced by the step need somewhere to go: add some unmatched people
        # next to the freed ones.
        for x in sorted(vertices):
            if len(vertices) >= 1.5 * EXCHANGE_MAX_VERTICES:
                break
            extra = [y for y in usable[x] if y not in cycle_of and y not in vertices]
            vertices.update(extra[:1])
        # Whole cycles only: a person in the set brings their current cycle along, so the
        # re-solve can never put anyone in two cycles.
        for v in list(vertices):
            vertices.update(cycle_of.get(v, ()))
        inside = [c for c in current if c[0] in vertices]
        cycles = _cycles_within(g, vertices)
        before = sum(_value(g, c, big) for c in inside)
        m = cp_model.CpModel()
        y = [m.NewBoolVar("") for _ in cycles]
        by_person: dict[int, list[int]] = {}
        for k, cyc in enumerate(cycles):
            for v in cyc:
                by_person.setdefault(v, []).append(k)
        for ks in by_person.values():
            if len(ks) > 1:
                m.AddAtMostOne(y[k] for k in ks)
        m.Maximize(sum(_value(g, cyc, big) * y[k] for k, cyc in enumerate(cycles)))
        hinted = set(inside)
        for k, cyc in enumerate(cycles):
            m.AddHint(y[k], cyc in hinted)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = g.params.seed + steps
        solver.parameters.max_deterministic_time = max(0.05, min(0.3, dtime - used_dtime))
        solver.parameters.max_time_in_seconds = max(0.05, seconds - (time.perf_counter() - start))
        code = solver.Solve(m)
        used_dtime += solver.deterministic_time
        steps += 1
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            stale += 1
            continue
        new = [cyc for k, cyc in enumerate(cycles) if solver.BooleanValue(y[k])]
        if sum(_value(g, c, big) for c in new) > before:
            for c in inside:
                current.discard(c)
                for v in c:
                    cycle_of.pop(v, None)
            for c in new:
                current.add(c)
                for v in c:
                    cycle_of[v] = c
            stale = 0
        else:
            stale += 1
    return sorted(current), steps


EXCHANGE_SEEDS = 12  # unmatched people whose surroundings one LNS step frees
EXCHANGE_NEIGHBOURS = 2  # matched neighbours per freed person whose cycles join the step
EXCHANGE_MAX_VERTICES = 80  # people freed per step before the unmatched extras
STALE_STEPS = 100  # consecutive steps without a gain before the search stops


def _people(cycles: list[tuple[int, ...]]) -> int:
    return sum(len(c) for c in cycles)


@dataclass(frozen=True)
class _Priced:
    cycles: list[tuple[int, ...]]
    lp_bound: float  # valid upper bound on people (LP of the cycle formulation)
    pairs_bound: float  # LP over pairs only: no pairs-only answer matches more people
    listed: int  # short cycles listed for pricing
    columns: int  # cycles priced into the master
    proven: bool  # nothing fixed by the dive and CP-SAT proved the rest optimal


LP_SHARE = 0.4  # at most this share of the time left goes to the LP bound
# The bridging dive weighs a cycle as its people + this much per cross-group lesson and
# also fixes every cycle at BRIDGING_FIX or above in one step (fewer, larger steps).
BRIDGING_WEIGHT = 0.01
BRIDGING_FIX = 0.8
DIVE_SOLVES_PER_SECOND = 15  # LP solves per dive and second of time_limit
COMPLETION_CYCLES = 20_000  # CP-SAT completes a dive stopped early up to this many cycles
COMPLETION_SHARE = 0.1  # CP-SAT's deterministic budget per completion (share of the total)


def _column_generation(g: Graph, usable: list[set[int]], deadline: float) -> _Priced | None:
    """LP bound by column generation; two LP-guided dives, each completed by CP-SAT.

    The first dive weighs people only: fast, and its LP solutions have many whole cycles.
    The second adds a small weight per cross-group lesson, so among the many ways to match
    as many people it leans to bridging; it is slower (its LP solutions are more fractional)
    and takes larger steps. The better answer of the two (people, then bridging) is kept.
    See module exchange_lp. None when the cycles are too many to list or the first LP
    could not be solved in time.
    """
    import numpy as np

    from verbinding.matching.solver import exchange_lp

    n = len(g.members)
    p = g.params
    cycles = exchange_lp.short_cycles(exchange_lp.adjacency(usable), p.max_cycle, p.max_lp_cycles)
    if cycles is None or len(cycles) == 0:
        return None
    size = exchange_lp.sizes(cycles, n).astype(float)
    master = exchange_lp.Master(cycles, n, np.nonzero(cycles[:, 2] == n)[0], size)
    end = deadline - min(1.0, 0.05 + 0.03 * p.time_limit)  # room to build the answer
    now = time.perf_counter()
    lp = master.generate(now + LP_SHARE * (end - now))
    if lp is None:
        return None
    side = np.zeros(n + 1, dtype=np.int64)
    for i, m in enumerate(g.members):
        side[i] = {Group.NEWCOMER: 1, Group.LOCAL: 2}.get(m.group, 0)
    bridging = size + BRIDGING_WEIGHT * exchange_lp.lessons_across(cycles, side)

    def rows(indices) -> list[tuple[int, ...]]:
        return [tuple(int(v) for v in cycles[c] if v < n) for c in indices]

    solves = max(10, int(DIVE_SOLVES_PER_SECOND * p.time_limit))
    dtime = COMPLETION_SHARE * p.time_limit * p.dtime_per_second
    best: list[tuple[int, ...]] | None = None
    proven = False
    # Shares of the time left: the dive's wall-clock net, then CP-SAT's. On a quiet machine
    # the solve and dtime budgets end each phase long before its net.
    passes = ((size, 1.0, 0.45, 0.5), (bridging, BRIDGING_FIX, 0.6, 1.0))
    for weights, threshold, dive_share, completion_share in passes:
        if best is not None:
            if proven or p.cross_group_bonus == 0:
                break  # nothing fixed and CP-SAT proved the rest: already optimal
            if end - time.perf_counter() < 0.2 * p.time_limit:
                break  # a heavily loaded machine: keep the first answer
            master.unfix()
            master.reweight(weights)
        now = time.perf_counter()
        fixed, last = exchange_lp.dive(
            master, now + dive_share * (end - now), p.max_enumerated_cycles, threshold, solves
        )
        rest = np.nonzero(master.alive)[0]
        last = last or lp
        completion = rows(c for c in last.columns[last.x > 0.5] if master.alive[c])
        done = False
        now = time.perf_counter()
        if 0 < len(rest) <= COMPLETION_CYCLES and end - now > 0.05:
            until = now + completion_share * (end - now)
            completion, done = _solve_cycles(g, rows(rest), 0, completion, dtime, until)
        chosen = sorted(rows(fixed) + completion)
        if p.max_cycle >= 3:
            chosen = _augment(g, chosen)
        if best is None or _better(g, chosen, best):
            best = chosen
        proven = proven or (done and not fixed)
    assert best is not None
    return _Priced(
        best,
        lp.bound,
        master.first_value or 0.0,
        len(cycles),
        int(master.in_master.sum()),
        proven,
    )


def _heuristic(
    g: Graph,
    usable: list[set[int]],
    cycles: list[tuple[int, ...]] | None,
    start: float,
) -> tuple[list[tuple[int, ...]], ExchangeMethod, bool, int, int]:
    """Pairs + augmentation, the exact cycle model when cycles were listed, then LNS.

    Returns the cycles, the method, whether they are proven optimal, the cycles in the
    model and the LNS steps.
    """
    params = g.params
    n = len(g.members)
    # The heuristic answer first: it is fast, it hints the exact model and it is the
    # fallback when the exact model finds nothing better in time.
    pairs = [(i, j) for i in range(n) for j in g.out[i] if j > i and i in g.out[j]]
    left = params.time_limit - (time.perf_counter() - start)
    limit = params.time_limit * params.dtime_per_second
    chosen, _ = _solve_cycles(g, pairs, 0.3 * left, [], 0.2 * limit)
    chosen = _augment(g, chosen) if params.max_cycle >= 3 else chosen
    proven = False
    method = ExchangeMethod.PAIRS_AUGMENTED
    enumerated = len(pairs)
    left = params.time_limit - (time.perf_counter() - start)
    if cycles is not None and left > 0.1:
        exact, proven = _solve_cycles(g, cycles, left, chosen, 0.7 * limit)
        if _people(exact) >= _people(chosen):
            chosen, method, enumerated = exact, ExchangeMethod.EXACT_CYCLES, len(cycles)
        else:
            proven = False
    steps = 0
    if not proven and params.max_cycle >= 3:
        left = params.time_limit - (time.perf_counter() - start)
        improved, steps = _improve(g, chosen, usable, left - 0.2, 0.6 * limit)
        if _better(g, improved, chosen):
            chosen = improved
            if method == ExchangeMethod.PAIRS_AUGMENTED:
                method = ExchangeMethod.PAIRS_LNS
    return chosen, method, proven, enumerated, steps


def _better(g: Graph, a: list[tuple[int, ...]], b: list[tuple[int, ...]]) -> bool:
    """More people, or as many with more cross-group lessons."""
    if _people(a) != _people(b):
        return _people(a) > _people(b)
    return sum(_value(g, c, 1) for c in a) > sum(_value(g, c, 1) for c in b)


def match_exchange(
    members: list[Member] | tuple[Member, ...], params: ExchangeParameters | None = None
) -> ExchangeResult:
    params = params or ExchangeParameters()
    start = time.perf_counter()
    members = tuple(sorted(members, key=lambda m: m.id))
    g = Graph(members, params)
    cover = cycle_cover_bound(g)
    usable = short_cycle_arcs(g)
    bound = min(cover, _cover(len(members), usable))
    cycles = enumerate_cycles(g, params.max_enumerated_cycles)
    priced = None
    if cycles is None and params.max_lp_cycles > 0:
        priced = _column_generation(g, usable, start + params.time_limit)
    steps, lp_bound, columns, proven = 0, None, 0, False
    if priced is not None:
        chosen, method, proven = priced.cycles, ExchangeMethod.COLUMN_GENERATION, priced.proven
        enumerated, lp_bound, columns = priced.listed, priced.lp_bound, priced.columns
        bound = min(bound, math.floor(lp_bound + 1e-6))
        if _people(chosen) < math.floor(priced.pairs_bound + 1e-6):
            # Only when the clock stopped the dives below what pairs alone might reach.
            other, other_method, _, _, steps = _heuristic(g, usable, None, start)
            if _better(g, other, chosen):
                chosen, method, proven = other, other_method, False
    else:
        chosen, method, proven, enumerated, steps = _heuristic(g, usable, cycles, start)
    # Reaching the bound proves that no packing of short cycles matches more people.
    proven = proven or _people(chosen) == bound
    out_cycles = []
    cross = 0
    for cyc in chosen:
        lessons = tuple(g.lesson[a, b] for a, b in zip(cyc, cyc[1:] + cyc[:1], strict=True))
        cross += sum(g.weight(a, b) > 0 for a, b in zip(cyc, cyc[1:] + cyc[:1], strict=True))
        out_cycles.append(ExchangeCycle(lessons))
    matched_idx = {v for c in chosen for v in c}
    unmatched: dict[int, Unmatched] = {}
    for i, m in enumerate(members):
        if i in matched_idx:
            continue
        if not g.out[i]:
            unmatched[m.id] = Unmatched.NOBODY_TO_TEACH
        elif not g.inn[i]:
            unmatched[m.id] = Unmatched.NOBODY_TEACHES
        else:
            unmatched[m.id] = Unmatched.NOT_CHOSEN
    return ExchangeResult(
        cycles=tuple(sorted(out_cycles, key=lambda c: c.members)),
        matched=len(matched_idx),
        upper_bound=bound,
        cover_bound=cover,
        lns_steps=steps,
        lp_bound=lp_bound,
        lp_columns=columns,
        proven_optimal=proven,
        method=method,
        cross_group_lessons=cross,
        unmatched=unmatched,
        arcs=len(g.lesson),
        enumerated_cycles=enumerated,
        wall_time=time.perf_counter() - start,
    )
