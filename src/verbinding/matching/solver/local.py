"""Local search on a whole assignment: relocate and swap moves that never break a strict rule.

What belongs here: the repair that follows the greedy construction and that runs again
across block boundaries after the block solves. A move touches two teams; it is accepted
only when the pair's (strict, elastic, -objective) strictly improves, evaluated by the one
evaluator (evaluate.team_terms), so a move can never add a strict violation without
removing a bigger one, and never adds an elastic violation without removing a strict one.

Moves, tried for every team that breaks a rule (first improvement):

* *push*: a member who breaks a rule (or any member, when the team breaks a per-team rule
  such as balance or gender) moves to another team (relocate) or swaps with one of its
  members;
* *pull*: a same-background partner or a Dutch bridge of someone who breaks rule 6 or 7
  is brought into the team, by relocation or by a swap with one of the team's members.

Candidate teams are indexed (teams holding a partner or bridge first, then a bounded,
seeded sample of teams sharing a slot), so a pass stays near-linear in n. The budget is
counted in evaluations, not seconds, so the result is the same for the same seed on any
machine. See docs/algorithms/team-formation.md, "Local search".
"""

from __future__ import annotations

import random

from verbinding.matching.solver.evaluate import Draft, finalise, team_terms, weighted
from verbinding.matching.solver.instance import Instance
from verbinding.matching.solver.model import Group, Rule

Cost = tuple[int, int, int, int]
SAMPLE_TEAMS = 24  # teams tried per mover beyond those holding a partner or bridge
PARTNER_TEAMS = 40  # cap on partner/bridge teams per mover


def team_cost(inst: Instance, t: int, d: Draft) -> Cost:
    """(strict violations, how far from meeting them, elastic violations, -objective).

    The second term lets the search make progress on a team that is far out of balance
    (1 newcomer and 7 locals needs three swaps before the violation count drops) or of
    size; the evaluator's counts stay the ones reported.
    """
    viol, a, b, c = team_terms(inst, t, d)
    strict = sum(v.rule not in (Rule.BACKGROUND, Rule.LANGUAGE) for v in viol)
    distance = 0
    if strict:
        p = inst.params
        people = inst.people
        if p.balance:
            nc = sum(people[i].group == Group.NEWCOMER for i in d.members)
            lo = sum(people[i].group == Group.LOCAL for i in d.members)
            distance += max(0, abs(nc - lo) - inst.balance_tolerance)
        low, high = p.size_bounds(d.women_only)
        distance += max(0, low - len(d.members), len(d.members) - high)
    return strict, distance, len(viol) - strict, -weighted(inst, a, b, c)


def _add(x: Cost, y: Cost) -> Cost:
    return x[0] + y[0], x[1] + y[1], x[2] + y[2], x[3] + y[3]


def fixed_people(inst: Instance) -> set[int]:
    """People who never move: pinned and kept-together people (their units stay as built)."""
    fixed: set[int] = set()
    if inst.params.constraints:
        fixed.update(inst.pin_key)
        for s in inst.keep_sets:
            fixed.update(s)
    return fixed


class LocalSearch:
    def __init__(self, inst: Instance, drafts: list[Draft], seed: int = 0):
        self.inst = inst
        self.rng = random.Random(seed)
        self.drafts = [
            finalise(inst, Draft(list(d.members), women_only=d.women_only)) for d in drafts
        ]
        self.team_of = {i: t for t, d in enumerate(self.drafts) for i in d.members}
        self.costs = [team_cost(inst, t, d) for t, d in enumerate(self.drafts)]
        self.fixed = fixed_people(inst)
        self.evals = 0
        self.moves = 0
        people = inst.people
        self.everyone = list(range(inst.n))
        self.by_group: dict[Group, list[int]] = {}
        for i, p in enumerate(people):
            self.by_group.setdefault(p.group, []).append(i)
        self.same_background: dict[int, list[int]] = {}
        for i, p in enumerate(people):
            if p.background is not None:
                self.same_background.setdefault(p.background, []).append(i)

    # -- evaluation --------------------------------------------------------------------
    def _draft(self, t: int, members: list[int]) -> Draft:
        return finalise(self.inst, Draft(members, women_only=self.drafts[t].women_only))

    def _try(self, t: int, u: int, new_t: list[int], new_u: list[int]) -> bool:
        """Apply the move if the two teams' summed cost strictly improves."""
        self.evals += 1
        dt, du = self._draft(t, new_t), self._draft(u, new_u)
        ct, cu = team_cost(self.inst, t, dt), team_cost(self.inst, u, du)
        if _add(ct, cu) < _add(self.costs[t], self.costs[u]):
            self.drafts[t], self.drafts[u] = dt, du
            self.costs[t], self.costs[u] = ct, cu
            for i in new_t:
                self.team_of[i] = t
            for i in new_u:
                self.team_of[i] = u
            self.moves += 1
            return True
        return False

    def _relocate(self, i: int, u: int) -> bool:
        t = self.team_of[i]
        p = self.inst.params
        if len(self.drafts[u].members) >= p.max_size:
            return False
        if len(self.drafts[t].members) <= p.size_bounds(self.drafts[t].women_only)[0]:
            # Leaving would make t too small; only worth it when t is already broken.
            if self.costs[t][0] == 0:
                return False
        new_t = [m for m in self.drafts[t].members if m != i]
        return self._try(t, u, new_t, [*self.drafts[u].members, i])

    def _swap(self, i: int, j: int) -> bool:
        t, u = self.team_of[i], self.team_of[j]
        new_t = [j if m == i else m for m in self.drafts[t].members]
        new_u = [i if m == j else m for m in self.drafts[u].members]
        return self._try(t, u, new_t, new_u)

    # -- candidates --------------------------------------------------------------------
    def _partner_teams(self, i: int) -> list[int]:
        inst = self.inst
        t = self.team_of[i]
        out: set[int] = set()
        b = inst.people[i].background
        if b is not None and inst.params.background:
            out.update(self.team_of[j] for j in self._capped(self.same_background[b]) if j != i)
        if inst.needs_bridge[i]:
            out.update(self.team_of[j] for j in self._capped(inst.bridges[i]))
        out.discard(t)
        teams = sorted(out)
        if len(teams) > PARTNER_TEAMS:
            teams = self.rng.sample(teams, PARTNER_TEAMS)
        return teams

    def _capped(self, people: list[int] | tuple[int, ...]) -> list[int] | tuple[int, ...]:
        """A seeded sample of a long candidate list (a common background has thousands)."""
        if len(people) <= 4 * PARTNER_TEAMS:
            return people
        return self.rng.sample(list(people), 4 * PARTNER_TEAMS)

    def _sample_teams(self, i: int) -> list[int]:
        t = self.team_of[i]
        avail = self.inst.people[i].availability
        slot_ok = not self.inst.params.slot
        teams = [
            u
            for u in self.rng.sample(
                range(len(self.drafts)), min(len(self.drafts), 3 * SAMPLE_TEAMS)
            )
            if u != t and (slot_ok or self.drafts[u].slot in avail)
        ]
        return teams[:SAMPLE_TEAMS]

    def _partners_of(self, i: int) -> list[int]:
        """People who would fix i's rule 6 or 7 by joining i's team."""
        inst = self.inst
        out: list[int] = []
        viol_rules = self._person_rules(i)
        b = inst.people[i].background
        if Rule.BACKGROUND in viol_rules and b is not None:
            out.extend(j for j in self._capped(self.same_background[b]) if j != i)
        if Rule.LANGUAGE in viol_rules:
            out.extend(self._capped(inst.bridges[i]))
        t = self.team_of[i]
        slot = self.drafts[t].slot
        out = [
            j
            for j in dict.fromkeys(out)
            if j not in self.fixed
            and self.team_of[j] != t
            and (not inst.params.slot or slot in inst.people[j].availability)
        ]
        if len(out) > PARTNER_TEAMS:
            out = self.rng.sample(out, PARTNER_TEAMS)
        return out

    def _person_rules(self, i: int) -> set[Rule]:
        t = self.team_of[i]
        pid = self.inst.people[i].id
        viol, *_ = team_terms(self.inst, t, self.drafts[t])
        return {v.rule for v in viol if v.person == pid}

    def _balance_teams(self, i: int) -> list[int]:
        """Teams whose newcomer/local imbalance is opposite to i's team's, most opposite first."""
        inst = self.inst
        t = self.team_of[i]
        people = inst.people

        def signed(u: int) -> int:
            ms = self.drafts[u].members
            return sum(people[m].group == Group.NEWCOMER for m in ms) - sum(
                people[m].group == Group.LOCAL for m in ms
            )

        mine = signed(t)
        if mine == 0:
            return []
        avail = people[i].availability
        teams = [
            u
            for u in range(len(self.drafts))
            if u != t
            and signed(u) * mine < 0
            and (not inst.params.slot or self.drafts[u].slot in avail)
        ]
        teams.sort(key=lambda u: (signed(u) * (1 if mine < 0 else -1), u))
        return teams[:SAMPLE_TEAMS]

    def _pull_for_team(self, t: int, viol: list, over: Group | None, budget: int) -> None:
        """A team too small, out of balance or with a lone gender: bring in who it lacks."""
        inst = self.inst
        people = inst.people
        d = self.drafts[t]
        small = any(v.rule == Rule.SIZE for v in viol) and len(d.members) < inst.params.min_size
        under = None
        if over is not None:
            under = Group.LOCAL if over == Group.NEWCOMER else Group.NEWCOMER
        lone_gender = None
        if any(v.rule == Rule.GENDER for v in viol):
            counts = {g: sum(people[m].gender == g for m in d.members) for g in (1, 2)}
            lone_gender = next((g for g, c in counts.items() if c == 1), None)
        pool = self.by_group.get(under, self.everyone) if under is not None else self.everyone
        cands = [
            j
            for j in self.rng.sample(pool, min(len(pool), 6 * SAMPLE_TEAMS))
            if j not in self.fixed
            and self.team_of[j] != t
            and (not inst.params.slot or d.slot in people[j].availability)
            and (not d.women_only or inst.is_woman(j))
            and (lone_gender is None or people[j].gender == lone_gender)
        ][:SAMPLE_TEAMS]
        for j in cands:
            if self.evals >= budget or self.costs[t][0] == 0:
                return
            if small and self._relocate(j, t):
                continue
            outs = [m for m in self.drafts[t].members if m not in self.fixed]
            outs.sort(key=lambda m: (people[m].group != over, m))
            for m in outs:
                if self._swap(m, j) or self.evals >= budget:
                    break

    # -- the search --------------------------------------------------------------------
    def _fix_team(self, t: int, budget: int) -> None:
        inst = self.inst
        viol, *_ = team_terms(inst, t, self.drafts[t])
        if not viol:
            return
        team_level = any(v.person is None for v in viol)
        troubled = sorted({inst.index[v.person] for v in viol if v.person is not None})
        movers = list(troubled)
        balance = any(v.rule == Rule.BALANCE for v in viol)
        over = None
        if balance:
            groups = [inst.people[m].group for m in self.drafts[t].members]
            over = (
                Group.NEWCOMER
                if groups.count(Group.NEWCOMER) > groups.count(Group.LOCAL)
                else Group.LOCAL
            )
        if team_level:
            rest = [m for m in sorted(self.drafts[t].members) if m not in troubled]
            # Members of the over-represented group first: moving them fixes the balance.
            rest.sort(key=lambda m: inst.people[m].group != over)
            movers += rest
        if team_level:
            self._pull_for_team(t, viol, over, budget)
        for i in movers:
            if i in self.fixed or self.team_of[i] != t:
                continue
            if self.evals >= budget or self.costs[t][:3] == (0, 0, 0):
                return
            # Pull: bring a partner or bridge of i into t.
            for k in self._partners_of(i) if i in troubled else ():
                if self.evals >= budget or self.team_of[i] != t:
                    break
                if self._relocate(k, t):
                    break
                done = False
                for m in sorted(self.drafts[t].members):
                    if m == i or m in self.fixed:
                        continue
                    if self._swap(m, k):
                        done = True
                        break
                    if self.evals >= budget:
                        break
                if done:
                    break
            if self.team_of[i] != t or (self._person_rules(i) == set() and not team_level):
                continue
            # Push: move i to a team that holds a partner, or to a sampled team.
            teams = self._partner_teams(i) if i in troubled else []
            if balance and inst.people[i].group == over:
                teams += [u for u in self._balance_teams(i) if u not in teams]
            teams += [u for u in self._sample_teams(i) if u not in teams]
            for u in teams:
                if self.evals >= budget or self.team_of[i] != t:
                    break
                if self._relocate(i, u):
                    break
                for j in sorted(self.drafts[u].members):
                    if j in self.fixed:
                        continue
                    if self._swap(i, j) or self.evals >= budget:
                        break

    def run(self, budget: int) -> list[Draft]:
        """Passes over the broken teams until a pass changes nothing or the budget is spent."""
        budget = self.evals + budget
        while self.evals < budget:
            before = self.moves
            broken = [t for t, c in enumerate(self.costs) if c[0] or c[2]]
            for t in broken:
                if self.evals >= budget:
                    break
                self._fix_team(t, budget)
            if self.moves == before:
                break
        return [d for d in self.drafts if d.members]


def improve(
    inst: Instance, drafts: list[Draft], budget: int | None = None, seed: int = 0
) -> list[Draft]:
    """Local search with an evaluation budget (default 30 per person, at least 5 000)."""
    if budget is None:
        budget = max(5_000, 30 * inst.n)
    return LocalSearch(inst, drafts, seed).run(budget)
