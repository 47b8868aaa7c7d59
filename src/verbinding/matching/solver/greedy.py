"""Baselines and first solutions: random assignment and the greedy construction.

What belongs here: the random baseline (for the benchmark only), the greedy construction
(hardest person first into the team that keeps the most rules satisfiable) and the
targeted swap repair that follows it. Greedy gives an answer at once, warm-starts CP-SAT
(AddHint) and is the fallback whenever CP-SAT finds nothing in time. Both are
deterministic for a seed. See docs/algorithms/team-formation.md, section "Greedy".
"""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass, field

from verbinding.matching.solver.evaluate import Draft, finalise, team_terms, weighted
from verbinding.matching.solver.instance import Instance
from verbinding.matching.solver.local import improve
from verbinding.matching.solver.model import Gender, Group, Rule

# Scoring weights of the construction. Any hard-rule failure outweighs every soft term,
# and an elastic-rule gain outweighs the objective terms: the same lexicographic order
# the CP-SAT model uses.
HARD = 10_000
ELASTIC = 60


def random_teams(inst: Instance, seed: int = 0) -> list[Draft]:
    """Shuffle and cut into equal sizes: the baseline that shows what the rules cost."""
    order = list(range(inst.n))
    random.Random(seed).shuffle(order)
    sizes = _target_sizes(inst.n, inst.team_count)
    drafts, start = [], 0
    for size in sizes:
        drafts.append(finalise(inst, Draft(order[start : start + size])))
        start += size
    return drafts


def _target_sizes(n: int, teams: int) -> list[int]:
    base, extra = divmod(n, teams)
    return [base + (1 if t < extra else 0) for t in range(teams)]


def units_of(inst: Instance) -> list[list[int]]:
    """People who must move together: keep-together sets and people sharing a pin key."""
    parent = list(range(inst.n))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    if inst.params.constraints:
        for s in inst.keep_sets:
            for a in s[1:]:
                union(s[0], a)
        first_of_key: dict[int, int] = {}
        for i, key in sorted(inst.pin_key.items()):
            union(first_of_key.setdefault(key, i), i)
    groups: dict[int, list[int]] = {}
    for i in range(inst.n):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def women_only_team_count(inst: Instance) -> int:
    p = inst.params
    requirers = sum(inst.requires_women_only(i) for i in range(inst.n))
    if not requirers:
        return 0
    women = sum(inst.is_woman(i) for i in range(inst.n))
    # Requirers are mostly newcomers, and a balanced team holds about half newcomers.
    per_team = max(1, (p.max_size + inst.balance_tolerance) // 2)
    wanted = math.ceil(requirers / per_team)
    return max(1, min(wanted, women // p.size_bounds(True)[0], inst.team_count))


@dataclass
class _TeamState:
    target: int
    women_only: bool = False
    members: list[int] = field(default_factory=list)
    slots: set[int] | None = None  # common availability; None = no member yet
    groups: Counter = field(default_factory=Counter)
    genders: Counter = field(default_factory=Counter)
    backgrounds: Counter = field(default_factory=Counter)
    interests: Counter = field(default_factory=Counter)


def greedy_teams(inst: Instance, seed: int = 0, improve: bool = True) -> list[Draft]:
    p = inst.params
    rng = random.Random(seed)
    T = inst.team_count
    sizes = _target_sizes(inst.n, T)
    teams = [_TeamState(target=s) for s in sizes]
    keys = sorted(set(inst.pin_key.values())) if p.constraints else []
    key_team = {k: i % T for i, k in enumerate(keys)}
    units = units_of(inst)

    # Women-only teams: teams holding a pinned requirer first, then the last free teams.
    w = women_only_team_count(inst)
    for unit in units:
        if any(inst.requires_women_only(i) for i in unit) and unit[0] in inst.pin_key:
            teams[key_team[inst.pin_key[unit[0]]]].women_only = True
    pinned_teams = set(key_team.values())
    for t in reversed(range(T)):
        if sum(ts.women_only for ts in teams) >= w:
            break
        if t not in pinned_teams:
            teams[t].women_only = True

    background_freq = Counter(pp.background for pp in inst.people)
    tiebreak = {id(u): rng.random() for u in units}

    def hardness(unit: list[int]) -> tuple:
        pinned = any(i in inst.pin_key for i in unit)
        requires = any(inst.requires_women_only(i) for i in unit)
        avail = min(len(inst.people[i].availability) for i in unit)
        rare = min(background_freq[inst.people[i].background] for i in unit)
        return (not pinned, not requires, avail, rare, tiebreak[id(unit)])

    index = _TeamIndex(inst, T)
    for unit in sorted(units, key=hardness):
        if unit[0] in inst.pin_key and p.constraints:
            t = key_team[inst.pin_key[unit[0]]]
        else:
            t = _choose_team(inst, teams, unit, index)
        _add(inst, teams[t], unit)
        index.placed(inst, t, unit)

    drafts = [finalise(inst, Draft(ts.members, women_only=ts.women_only)) for ts in teams]
    if improve:
        drafts = repair(inst, drafts)
    return drafts


def _add(inst: Instance, ts: _TeamState, unit: list[int]) -> None:
    for i in unit:
        person = inst.people[i]
        ts.members.append(i)
        ts.groups[person.group] += 1
        ts.genders[person.gender] += 1
        ts.backgrounds[person.background] += 1
        ts.interests.update(person.interests)
        ts.slots = set(person.availability) if ts.slots is None else ts.slots & person.availability


def _placement_score(inst: Instance, ts: _TeamState, unit: list[int]) -> float:
    p = inst.params
    people = inst.people
    score = 0.0
    size_after = len(ts.members) + len(unit)
    # Hard rules (1-5, 8): each failure costs HARD.
    if size_after > p.max_size:
        score -= HARD * 2
    elif size_after > ts.target:
        score -= HARD // 10  # allowed, but fill every team to its target first
    if p.women_only:
        for i in unit:
            if inst.requires_women_only(i) and not ts.women_only:
                score -= HARD
            if ts.women_only and people[i].gender != Gender.WOMAN:
                score -= HARD
    avail = set.intersection(*(set(people[i].availability) for i in unit))
    common = avail if ts.slots is None else ts.slots & avail
    if p.slot and not common:
        score -= HARD
    if p.constraints:
        for i in unit:
            for j in ts.members:
                if (min(i, j), max(i, j)) in inst.forbidden:
                    score -= HARD
    if p.balance:
        nc = ts.groups[Group.NEWCOMER] + sum(people[i].group == Group.NEWCOMER for i in unit)
        lo = ts.groups[Group.LOCAL] + sum(people[i].group == Group.LOCAL for i in unit)
        room = max(0, ts.target - size_after)
        if abs(nc - lo) - room > inst.balance_tolerance:
            score -= HARD
        score -= 2 * abs(nc - lo)
    if p.gender and not ts.women_only:
        for g in (Gender.WOMAN, Gender.MAN):
            c = ts.genders[g]
            k = sum(people[i].gender == g for i in unit)
            if k and 0 < c < p.min_gender_count:
                score += ELASTIC  # completes a gender that would otherwise be isolated
            elif k and c == 0 and k < p.min_gender_count:
                score -= ELASTIC // 3  # opens a gender someone must still join
    # Elastic rules 6 and 7.
    unit_backgrounds = Counter(people[i].background for i in unit)
    for b, k in unit_backgrounds.items():
        if b is None or not p.background:
            continue
        c = ts.backgrounds[b]
        if 0 < c < p.min_background_count:
            score += ELASTIC * min(k, p.min_background_count - c)
        elif c == 0 and k < p.min_background_count:
            score -= ELASTIC // 2
    if p.language:
        for i in unit:
            if inst.needs_bridge[i] and Rule.LANGUAGE not in inst.waived.get(i, ()):
                has = any(j in inst.bridge_sets[i] for j in ts.members)
                score += ELASTIC if has else -ELASTIC // 2
            if inst.dutch[i]:
                for j in ts.members:
                    if inst.needs_bridge[j] and i in inst.bridge_sets[j]:
                        if not any(b in inst.bridge_sets[j] for b in ts.members):
                            score += ELASTIC
    # Objective terms and keeping options open.
    for i in unit:
        score += 2 * p.weight_acquaintance * len(inst.acquaintances[i] & set(ts.members))
        score += p.weight_interest * sum(min(ts.interests[q], 3) for q in people[i].interests)
    score += 2 * len(common)
    return score


def _cost(inst: Instance, t: int, d: Draft) -> tuple[int, int, int]:
    viol, a, b, c = team_terms(inst, t, d)
    strict = sum(v.rule not in (Rule.BACKGROUND, Rule.LANGUAGE) for v in viol)
    return strict, len(viol) - strict, -weighted(inst, a, b, c)


def repair(inst: Instance, drafts: list[Draft], max_evals: int | None = None) -> list[Draft]:
    """Relocate/swap local search (local.py) with an evaluation budget: deterministic."""
    return improve(inst, drafts, max_evals, seed=inst.params.seed)


def _swapped(inst: Instance, d: Draft, out: int, into: int) -> Draft:
    members = [into if m == out else m for m in d.members]
    designated = d.women_only and not any(inst.requires_women_only(m) for m in d.members)
    return finalise(inst, Draft(members, women_only=designated))


def _target_teams(
    inst: Instance, i: int, drafts: list[Draft], team_of: dict[int, int]
) -> list[int]:
    """Teams worth trying for i: holders of a partner or bridge first, then the rest."""
    person = inst.people[i]
    good: set[int] = set()
    if person.background is not None:
        good.update(
            team_of[j]
            for j in range(inst.n)
            if j != i and inst.people[j].background == person.background
        )
    good.update(team_of[j] for j in inst.bridges[i])
    rest = [u for u in range(len(drafts)) if u not in good]
    return sorted(good) + rest


# -- Candidate teams for placement -------------------------------------------------------
# Scoring every team for every unit costs n x T (52 s at n = 5000). Placement scores only
# the teams where the unit can matter -- teams holding an isolated member of its background,
# a bridge it needs or someone it can bridge, an acquaintance, a women-only team for a
# requirer -- plus the EMPTIEST emptiest teams with room and a common slot.
EMPTIEST = 16
INTERESTING = 32


class _TeamIndex:
    def __init__(self, inst: Instance, T: int):
        self.lonely_background: dict[int, set[int]] = {}  # background -> teams with 1 member
        self.bridge_teams: dict[int, set[int]] = {}  # language -> teams with a Dutch bridge
        self.needer_teams: dict[int, set[int]] = {}  # language -> teams with a needer
        self.team_of: dict[int, int] = {}
        self.counts: dict[tuple[int, int], int] = {}

    def placed(self, inst: Instance, t: int, unit: list[int]) -> None:
        p = inst.params
        for i in unit:
            person = inst.people[i]
            self.team_of[i] = t
            b = person.background
            if b is not None:
                c = self.counts[b, t] = self.counts.get((b, t), 0) + 1
                lonely = self.lonely_background.setdefault(b, set())
                if c < p.min_background_count:
                    lonely.add(t)
                else:
                    lonely.discard(t)
            if inst.dutch[i]:
                for lang in inst.other_languages[i]:
                    self.bridge_teams.setdefault(lang, set()).add(t)
            if inst.needs_bridge[i]:
                for lang in inst.other_languages[i]:
                    self.needer_teams.setdefault(lang, set()).add(t)

    def interesting(self, inst: Instance, unit: list[int]) -> set[int]:
        out: set[int] = set()
        for i in unit:
            b = inst.people[i].background
            if b is not None:
                out |= self.lonely_background.get(b, set())
            for lang in inst.other_languages[i]:
                if inst.needs_bridge[i]:
                    out |= self.bridge_teams.get(lang, set())
                if inst.dutch[i]:
                    out |= self.needer_teams.get(lang, set())
            out.update(self.team_of[j] for j in inst.acquaintances[i] if j in self.team_of)
        return out


def _choose_team(
    inst: Instance, teams: list[_TeamState], unit: list[int], index: _TeamIndex
) -> int:
    p = inst.params
    avail = set.intersection(*(set(inst.people[i].availability) for i in unit))
    requires = p.women_only and any(inst.requires_women_only(i) for i in unit)
    eligible = [
        t
        for t, ts in enumerate(teams)
        if len(ts.members) + len(unit) <= ts.target
        and (ts.slots is None or ts.slots & avail or not p.slot)
        and (ts.women_only or not requires)
    ]
    if not eligible:
        candidates: list[int] = list(range(len(teams)))
    elif len(eligible) <= EMPTIEST + INTERESTING:
        candidates = eligible
    else:
        eligible_set = set(eligible)
        special = sorted(index.interesting(inst, unit) & eligible_set)[:INTERESTING]
        if requires:
            special += [t for t in eligible if teams[t].women_only][:INTERESTING]
        # Teams that most need the unit's group (newcomer/local balance), then the emptiest.
        sign = sum(
            (inst.people[i].group == Group.NEWCOMER) - (inst.people[i].group == Group.LOCAL)
            for i in unit
        )

        def need(t: int) -> tuple[float, float, int]:
            ts = teams[t]
            gap = ts.groups[Group.LOCAL] - ts.groups[Group.NEWCOMER]
            return (-sign * gap, len(ts.members) / ts.target, t)

        emptiest = sorted(eligible, key=need)
        candidates = sorted(set(special) | set(emptiest[:EMPTIEST]))
    return max(candidates, key=lambda t: (_placement_score(inst, teams[t], unit), -t))
