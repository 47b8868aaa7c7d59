"""Pre-processing shared by every team-formation method: indices, derived facts, pre-checks.

What belongs here: turning a Pool + Parameters into an Instance (0-based indices, who
speaks what, who can bridge whom, who is pairwise compatible, the team count and the
newcomer/local tolerance the pool allows) and the pre-check that flags people whose
elastic rule cannot be met by anyone in the whole pool ("waived"). Methods (random,
greedy, CP-SAT) and the evaluator all read the same Instance, so they agree on every
definition. See docs/algorithms/team-formation.md, section "Pre-check".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from verbinding.matching.solver.model import (
    Code,
    Explanation,
    Gender,
    Group,
    Parameters,
    Participant,
    Pool,
    Rule,
)


@dataclass
class Instance:
    pool: Pool
    params: Parameters
    people: tuple[Participant, ...]
    index: dict[int, int]
    team_count: int  # what greedy and random build
    max_teams: int  # upper bound for CP-SAT, which chooses how many teams to use
    balance_tolerance: int
    slots: tuple[int, ...]
    themes: tuple[int, ...]
    speaks: list[frozenset[int]]  # languages at or above the minimum level
    dutch: list[bool]
    needs_bridge: list[bool]
    other_languages: list[frozenset[int]]  # spoken languages except Dutch
    bridges: list[tuple[int, ...]]  # indices that could bridge i (ignoring compatibility)
    bridge_sets: list[frozenset[int]]  # the same as sets: membership tests stay O(1)
    acquaintances: list[frozenset[int]]
    forbidden: frozenset[tuple[int, int]]
    keep_sets: tuple[tuple[int, ...], ...]
    pin_key: dict[int, int]  # person index -> team key
    waived: dict[int, frozenset[Rule]] = field(default_factory=dict)
    notes: list[Explanation] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.people)

    def is_woman(self, i: int) -> bool:
        return self.people[i].gender == Gender.WOMAN

    def requires_women_only(self, i: int) -> bool:
        return self.params.women_only and self.people[i].women_only

    def compatible(self, i: int, j: int) -> bool:
        """Could i and j share a team without breaking a strict pairwise rule?"""
        if i == j:
            return False
        if self.params.constraints and (min(i, j), max(i, j)) in self.forbidden:
            return False
        a, b = self.people[i], self.people[j]
        if self.params.slot and not (a.availability & b.availability):
            return False
        if self.params.women_only and (a.women_only or b.women_only):
            if a.gender != Gender.WOMAN or b.gender != Gender.WOMAN:
                return False
        return True


def team_count_range(n: int, params: Parameters) -> tuple[int, int]:
    """Team counts for which sizes in [min_size, max_size] can hold all n people."""
    low = max(1, math.ceil(n / params.max_size))
    high = n // params.min_size
    return low, high


def choose_team_count(n: int, params: Parameters) -> int:
    if params.team_count is not None:
        return max(1, params.team_count)
    low, high = team_count_range(n, params)
    if low > high:  # no count works: keep the smallest, the size rule will report it
        return low
    target = round(n / ((params.min_size + params.max_size) / 2))
    return min(max(target, low), high)


def max_team_count(n: int, params: Parameters, team_count: int) -> int:
    if params.team_count is not None:
        return team_count
    smallest = params.size_bounds(params.women_only)[0]
    # Loose but valid: as if every team could have the smallest (women-only) size.
    return max(team_count, n // max(1, smallest))


def prepare(pool: Pool, params: Parameters) -> Instance:
    people = pool.participants
    index = {p.id: i for i, p in enumerate(people)}
    n = len(people)
    team_count = choose_team_count(n, params)

    speaks = [
        frozenset(s.language for s in p.languages if s.level >= params.min_language_level)
        for p in people
    ]
    dutch = [params.bridge_language in s for s in speaks]
    other = [s - {params.bridge_language} for s in speaks]
    # Someone with no language on record is "unknown", not "speaks nothing": no rule 7.
    needs_bridge = [params.language and not dutch[i] and bool(speaks[i]) for i in range(n)]
    by_language: dict[int, list[int]] = {}
    for j in range(n):
        if dutch[j]:
            for lang in other[j]:
                by_language.setdefault(lang, []).append(j)
    bridges = []
    for i in range(n):
        cands: set[int] = set()
        if needs_bridge[i]:
            for lang in other[i]:
                cands.update(by_language.get(lang, ()))
        bridges.append(tuple(sorted(cands)))

    neighbours: list[set[int]] = [set() for _ in range(n)]
    for a, b in pool.acquaintances:
        if a in index and b in index:
            neighbours[index[a]].add(index[b])
            neighbours[index[b]].add(index[a])
    forbidden = frozenset(
        (min(index[a], index[b]), max(index[a], index[b]))
        for a, b in pool.forbidden_pairs
        if a in index and b in index
    )
    keep_sets = tuple(tuple(sorted(index[p] for p in s if p in index)) for s in pool.keep_together)
    pin_key = {index[p]: key for p, key in pool.pins if p in index}

    slots = tuple(sorted({s for p in people for s in p.availability}))
    if params.themes is not None:
        themes = tuple(sorted(set(params.themes)))
    else:
        themes = tuple(sorted({q for p in people for q in p.interests}))

    newcomers = sum(p.group == Group.NEWCOMER for p in people)
    locals_ = sum(p.group == Group.LOCAL for p in people)
    # Per-team imbalance can be no smaller than the pool's imbalance spread over the teams.
    needed = math.ceil(abs(newcomers - locals_) / team_count) if team_count else 0
    tolerance = max(params.balance_tolerance, needed)

    inst = Instance(
        pool=pool,
        params=params,
        people=people,
        index=index,
        team_count=team_count,
        max_teams=max_team_count(n, params, team_count),
        balance_tolerance=tolerance,
        slots=slots,
        themes=themes,
        speaks=speaks,
        dutch=dutch,
        needs_bridge=needs_bridge,
        other_languages=other,
        bridges=bridges,
        bridge_sets=[frozenset(b) for b in bridges],
        acquaintances=[frozenset(s) for s in neighbours],
        forbidden=forbidden,
        keep_sets=keep_sets,
        pin_key=pin_key,
    )
    if params.balance and tolerance > params.balance_tolerance:
        inst.notes.append(Explanation(Code.BALANCE_WIDENED, (tolerance,), Rule.BALANCE))
    inst.waived = precheck(inst)
    return inst


def precheck(inst: Instance) -> dict[int, frozenset[Rule]]:
    """People whose elastic rule nobody in the pool can meet, by index.

    Pairwise compatibility (shared slot, women-only, forbidden pairs) is necessary but not
    sufficient: chains across slots can still make a rule unmeetable, which is why rules
    6 and 7 stay elastic in the solver. Waived people are shown to the coordinator before
    solving (arrange an interpreter or buddy) and are not counted as violations.
    """
    params = inst.params
    by_background: dict[int, list[int]] = {}
    for i, p in enumerate(inst.people):
        if p.background is not None:
            by_background.setdefault(p.background, []).append(i)
    waived: dict[int, set[Rule]] = {}
    for i, p in enumerate(inst.people):
        if params.background and p.background is not None:
            need = params.min_background_count - 1
            found = 0
            for j in by_background[p.background]:
                if found >= need:
                    break  # early stop: the pre-check must stay fast at n = 5000
                found += inst.compatible(i, j)
            if found < need:
                waived.setdefault(i, set()).add(Rule.BACKGROUND)
        if inst.needs_bridge[i] and not any(inst.compatible(i, j) for j in inst.bridges[i]):
            waived.setdefault(i, set()).add(Rule.LANGUAGE)
    return {i: frozenset(r) for i, r in waived.items()}
