"""The single source of truth for "does this set of teams meet the rules, and how good is it".

What belongs here: counting violations of every rule and the objective for any assignment
(from random, greedy, CP-SAT or a coordinator's manual swap), choosing a team's slot and
theme when only the members are known, and building the per-team and per-person
explanations. The CP-SAT model is tested against this evaluator, never the other way round.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from verbinding.matching.solver.instance import Instance
from verbinding.matching.solver.model import (
    Code,
    Explanation,
    Gender,
    Group,
    Rule,
    Score,
    Team,
    Violation,
)


@dataclass
class Draft:
    """A team as the methods produce it: member indices (not ids) plus choices."""

    members: list[int]
    slot: int | None = None
    theme: int | None = None
    women_only: bool = False


def best_slot(inst: Instance, members: Sequence[int]) -> int | None:
    """A slot everyone can make, else the one most members can make (ties: lowest id)."""
    if not inst.slots:
        return None
    counts = Counter(s for i in members for s in inst.people[i].availability)
    return max(inst.slots, key=lambda s: (counts[s], -s))


def best_theme(inst: Instance, members: Sequence[int]) -> int | None:
    if not inst.themes:
        return None
    counts = Counter(q for i in members for q in inst.people[i].interests)
    return max(inst.themes, key=lambda q: (counts[q], -q))


def finalise(inst: Instance, draft: Draft) -> Draft:
    """Fill in slot, theme and women-only flag where the method left them open."""
    members = sorted(draft.members)
    women_only = draft.women_only or any(inst.requires_women_only(i) for i in members)
    slot = draft.slot if draft.slot is not None else best_slot(inst, members)
    theme = draft.theme if draft.theme is not None else best_theme(inst, members)
    return Draft(members, slot, theme, women_only)


def team_terms(inst: Instance, t: int, d: Draft) -> tuple[list[Violation], int, int, int]:
    """Violations inside one team plus its (interest, acquainted, talents) terms.

    Local search re-evaluates only the two teams a swap touches, so everything that can
    be judged inside one team lives here; cross-team rules are in _constraint_violations.
    """
    p = inst.params
    people = inst.people
    viol: list[Violation] = []
    members = d.members
    member_set = set(members)
    size = len(members)
    low, high = p.size_bounds(d.women_only)
    if not low <= size <= high:
        viol.append(Violation(Rule.SIZE, t, None))
    if p.balance:
        nc = sum(people[i].group == Group.NEWCOMER for i in members)
        lo = sum(people[i].group == Group.LOCAL for i in members)
        if abs(nc - lo) > inst.balance_tolerance:
            viol.append(Violation(Rule.BALANCE, t, None))
    if p.gender and not d.women_only:
        for g in (Gender.WOMAN, Gender.MAN):
            c = sum(people[i].gender == g for i in members)
            if 0 < c < p.min_gender_count:
                viol.append(Violation(Rule.GENDER, t, None))
    if p.women_only:
        for i in members:
            if d.women_only and people[i].gender != Gender.WOMAN:
                viol.append(Violation(Rule.WOMEN_ONLY, t, people[i].id))
            elif people[i].women_only and not d.women_only:
                viol.append(Violation(Rule.WOMEN_ONLY, t, people[i].id))
    if p.slot:
        for i in members:
            if d.slot is None or d.slot not in people[i].availability:
                viol.append(Violation(Rule.SLOT, t, people[i].id))
    if p.constraints:
        for i in members:
            for j in members:
                if i < j and (i, j) in inst.forbidden:
                    viol.append(Violation(Rule.CONSTRAINTS, t, people[i].id))
    if p.background:
        counts = Counter(people[i].background for i in members)
        for i in members:
            b = people[i].background
            if b is None or Rule.BACKGROUND in inst.waived.get(i, ()):
                continue
            if counts[b] < p.min_background_count:
                viol.append(Violation(Rule.BACKGROUND, t, people[i].id))
    if p.language:
        for i in members:
            if not inst.needs_bridge[i] or Rule.LANGUAGE in inst.waived.get(i, ()):
                continue
            if not any(j in inst.bridge_sets[i] for j in members):
                viol.append(Violation(Rule.LANGUAGE, t, people[i].id))
    interest = 0
    if d.theme is not None:
        interest = sum(d.theme in people[i].interests for i in members)
    acquainted = sum(bool(inst.acquaintances[i] & member_set) for i in members)
    talents = len({k for i in members for k in people[i].talents})
    return viol, interest, acquainted, talents


def weighted(inst: Instance, interest: int, acquainted: int, talents: int) -> int:
    p = inst.params
    return (
        p.weight_interest * interest
        + p.weight_acquaintance * acquainted
        + p.weight_talent * talents
    )


def counting_bound(inst: Instance) -> int:
    """An upper bound on the objective by counting, valid for every partition.

    Each person adds at most once to the interest term (only with an interest among the
    themes) and once to the acquaintance term (only with an acquaintance in the pool), and
    each person's talents add at most once each to the talent term (a team counts distinct
    talents, so never more than its members' talents together). Measured: 1017 / 1010 / 1012 at
    n = 200 seeds 0-2, tighter than CP-SAT's own bound after a 2.5-unit phase 2 (1060 /
    1054 / 1064), which for this objective is weak (the research note: 30-40 % gap)."""
    themes = set(inst.themes)
    people = inst.people
    interested = sum(1 for person in people if themes & set(person.interests))
    acquainted = sum(1 for i in range(inst.n) if inst.acquaintances[i])
    talents = sum(len(set(person.talents)) for person in people)
    return weighted(inst, interested, acquainted, talents)


def evaluate(inst: Instance, drafts: Sequence[Draft]) -> Score:
    viol: list[Violation] = []
    team_of: dict[int, int] = {}
    for t, d in enumerate(drafts):
        for i in d.members:
            team_of[i] = t
    interest = acquainted = talents = 0
    for t, d in enumerate(drafts):
        v, a, b, c = team_terms(inst, t, d)
        viol.extend(v)
        interest += a
        acquainted += b
        talents += c
    if inst.params.constraints:
        viol.extend(_constraint_violations(inst, team_of))
    strict = sum(v.rule not in (Rule.BACKGROUND, Rule.LANGUAGE) for v in viol)
    return Score(
        strict_violations=strict,
        elastic_violations=len(viol) - strict,
        objective=weighted(inst, interest, acquainted, talents),
        interest=interest,
        acquainted=acquainted,
        talents=talents,
        violations=tuple(viol),
    )


def _constraint_violations(inst: Instance, team_of: dict[int, int]) -> list[Violation]:
    out: list[Violation] = []
    ids = inst.people
    for s in inst.keep_sets:
        if len({team_of.get(i) for i in s}) > 1:
            out.append(Violation(Rule.CONSTRAINTS, None, ids[s[0]].id))
    keys_in_team: dict[int, set[int]] = {}
    teams_of_key: dict[int, set[int]] = {}
    for i, key in inst.pin_key.items():
        keys_in_team.setdefault(team_of[i], set()).add(key)
        teams_of_key.setdefault(key, set()).add(team_of[i])
    for _key, teams in sorted(teams_of_key.items()):
        if len(teams) > 1:
            out.append(Violation(Rule.CONSTRAINTS, None, None))
    for t, keys in sorted(keys_in_team.items()):
        if len(keys) > 1:
            out.append(Violation(Rule.CONSTRAINTS, t, None))
    unplaced = [i for i in range(inst.n) if i not in team_of]
    out.extend(Violation(Rule.CONSTRAINTS, None, ids[i].id) for i in unplaced)
    return out


def to_teams(
    inst: Instance, drafts: Sequence[Draft], score: Score
) -> tuple[tuple[Team, ...], dict[int, tuple[Explanation, ...]]]:
    """Teams with structured explanations, numbered by their lowest member id."""
    people = inst.people
    ordered = sorted(drafts, key=lambda d: min((people[i].id for i in d.members), default=0))
    violated: dict[int, set[Rule]] = {}
    for v in score.violations:
        if v.person is not None:
            violated.setdefault(v.person, set()).add(v.rule)
    teams: list[Team] = []
    per_person: dict[int, tuple[Explanation, ...]] = {}
    for t, d in enumerate(ordered):
        member_set = set(d.members)
        keys = {inst.pin_key[i] for i in d.members if i in inst.pin_key}
        g = Counter(people[i].group for i in d.members)
        s = Counter(people[i].gender for i in d.members)
        theme_count = sum(d.theme in people[i].interests for i in d.members)
        team_talents = sorted({k for i in d.members for k in people[i].talents})
        team_expl = [
            Explanation(
                Code.TEAM_MIX,
                (
                    g[Group.NEWCOMER],
                    g[Group.LOCAL],
                    g[Group.UNKNOWN],
                    s[Gender.WOMAN],
                    s[Gender.MAN],
                    s[Gender.UNKNOWN],
                ),
            ),
            Explanation(Code.TEAM_TALENTS, tuple(team_talents)),
        ]
        if d.slot is not None:
            team_expl.append(Explanation(Code.TEAM_SLOT, (d.slot,), Rule.SLOT))
        if d.theme is not None:
            team_expl.append(Explanation(Code.TEAM_THEME_COUNT, (d.theme, theme_count)))
        if d.women_only:
            team_expl.append(Explanation(Code.TEAM_WOMEN_ONLY, (), Rule.WOMEN_ONLY))
        teams.append(
            Team(
                index=t,
                members=tuple(sorted(people[i].id for i in d.members)),
                slot=d.slot,
                theme=d.theme,
                women_only=d.women_only,
                pin_key=min(keys) if keys else None,
                explanations=tuple(team_expl),
            )
        )
        for i in sorted(d.members):
            per_person[people[i].id] = tuple(_explain_person(inst, i, d, member_set, violated))
    return tuple(teams), per_person


def _explain_person(
    inst: Instance, i: int, d: Draft, member_set: set[int], violated: dict[int, set[Rule]]
) -> list[Explanation]:
    people = inst.people
    me = people[i]
    out: list[Explanation] = []
    ids = lambda idx: tuple(sorted(people[j].id for j in idx))  # noqa: E731
    if i in inst.pin_key:
        out.append(Explanation(Code.PINNED, (inst.pin_key[i],), Rule.CONSTRAINTS))
    for s in inst.keep_sets:
        if i in s:
            out.append(Explanation(Code.KEPT_TOGETHER, ids(set(s) - {i}), Rule.CONSTRAINTS))
    if inst.requires_women_only(i):
        out.append(Explanation(Code.NEEDS_WOMEN_ONLY, (), Rule.WOMEN_ONLY))
    if d.slot is not None and d.slot in me.availability:
        out.append(Explanation(Code.AVAILABLE_AT_SLOT, (d.slot,), Rule.SLOT))
    if d.theme is not None and d.theme in me.interests:
        out.append(Explanation(Code.SHARES_THEME, (d.theme,)))
    known = inst.acquaintances[i] & member_set
    if known:
        out.append(Explanation(Code.KNOWS, ids(known)))
    if me.background is not None:
        same = {j for j in member_set if j != i and people[j].background == me.background}
        if same:
            out.append(Explanation(Code.SAME_BACKGROUND, ids(same), Rule.BACKGROUND))
    if inst.needs_bridge[i]:
        bridges = inst.bridge_sets[i] & member_set
        if bridges:
            out.append(Explanation(Code.LANGUAGE_BRIDGE_FROM, ids(bridges), Rule.LANGUAGE))
    if inst.dutch[i]:
        served = {j for j in member_set if inst.needs_bridge[j] and i in inst.bridge_sets[j]}
        if served:
            out.append(Explanation(Code.BRIDGES_FOR, ids(served), Rule.LANGUAGE))
    for rule in sorted(violated.get(me.id, ())):
        out.append(Explanation(Code.VIOLATES, (), rule))
    for rule in sorted(inst.waived.get(i, ())):
        out.append(Explanation(Code.WAIVED, (), rule))
    return out
