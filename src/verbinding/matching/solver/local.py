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

import math
import random
import time

from verbinding.matching.solver.evaluate import Draft, evaluate, finalise, team_terms, weighted
from verbinding.matching.solver.instance import Instance
from verbinding.matching.solver.model import Gender, Group, Rule

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


# --- Objective polish: raise the objective, never the (strict, elastic) counts ------------


class TeamValues:
    """The evaluator's per-team counts, computed fast from precomputed per-person masks.

    team_terms() is the definition; this class recomputes exactly the same three numbers
    (strict violations, elastic violations, weighted objective) for a member list, with
    the slot and theme finalise() would choose, about four times faster, because the
    polish below evaluates hundreds of thousands of moves. A test checks it against
    team_terms on random assignments, and every move the polish keeps is checked again
    by the evaluator itself before it is accepted.
    """

    def __init__(self, inst: Instance):
        self.inst = inst
        p = inst.params
        people = inst.people
        n = inst.n
        self.slot_bit = {s: 1 << k for k, s in enumerate(inst.slots)}
        self.avail = [
            sum(self.slot_bit[s] for s in person.availability if s in self.slot_bit)
            for person in people
        ]
        self.all_slots = (1 << len(inst.slots)) - 1
        theme_pos = {q: k for k, q in enumerate(inst.themes)}
        self.themes_of = [
            tuple(theme_pos[q] for q in person.interests if q in theme_pos) for person in people
        ]
        talent_bit = {
            k: 1 << b for b, k in enumerate(sorted({k for x in people for k in x.talents}))
        }
        self.talents = [sum(talent_bit[k] for k in person.talents) for person in people]
        self.group = [
            1 if person.group == Group.NEWCOMER else -1 if person.group == Group.LOCAL else 0
            for person in people
        ]
        self.woman = [inst.is_woman(i) for i in range(n)]
        self.man = [person.gender == Gender.MAN for person in people]
        self.requires = [inst.requires_women_only(i) for i in range(n)]
        self.background = [person.background if p.background else None for person in people]
        self.counted6 = [
            p.background
            and person.background is not None
            and Rule.BACKGROUND not in inst.waived.get(i, ())
            for i, person in enumerate(people)
        ]
        lang_bit: dict[int, int] = {}
        for i in range(n):
            for lang in inst.other_languages[i]:
                lang_bit.setdefault(lang, 1 << len(lang_bit))
        self.need = [
            sum(lang_bit[lang] for lang in inst.other_languages[i])
            if p.language and inst.needs_bridge[i] and Rule.LANGUAGE not in inst.waived.get(i, ())
            else 0
            for i in range(n)
        ]
        self.provide = [
            sum(lang_bit[lang] for lang in inst.other_languages[i]) if inst.dutch[i] else 0
            for i in range(n)
        ]
        self.friends = inst.acquaintances
        self.forbidden: list[frozenset[int]] = [frozenset()] * n
        if p.constraints:
            partners: dict[int, set[int]] = {}
            for a, b in inst.forbidden:
                partners.setdefault(a, set()).add(b)
                partners.setdefault(b, set()).add(a)
            for a, s in partners.items():
                self.forbidden[a] = frozenset(s)
        self.wi, self.wa, self.wt = p.weight_interest, p.weight_acquaintance, p.weight_talent
        self.requirers = frozenset(i for i in range(n) if self.requires[i])
        self.bounds = {False: p.size_bounds(False), True: p.size_bounds(True)}
        self.balance, self.tolerance = p.balance, inst.balance_tolerance
        self.gender, self.min_gender = p.gender, p.min_gender_count
        self.women_only = p.women_only
        self.slot_rule = p.slot
        self.min_background = p.min_background_count
        self.theme_count = len(inst.themes)
        # Everything value() reads about a person, in one tuple (one lookup per member).
        self.info = [
            (
                self.group[i],
                self.woman[i],
                self.man[i],
                self.avail[i],
                self.provide[i],
                self.talents[i],
                self.themes_of[i],
                self.friends[i],
                self.forbidden[i],
                self.background[i],
                self.counted6[i],
                self.need[i],
            )
            for i in range(n)
        ]

    def value(self, members: list[int], flag: bool) -> tuple[int, int, int]:
        """(strict violations, elastic violations, objective) of one team, as team_terms."""
        size = len(members)
        women_only = flag or not self.requirers.isdisjoint(members)
        strict = elastic = 0
        low, high = self.bounds[women_only]
        if not low <= size <= high:
            strict += 1
        women = men = pairs = newcomers = locals_ = provided = talents = acquainted = 0
        common = self.all_slots
        member_set = set(members)
        themes = [0] * self.theme_count
        backgrounds: dict[int, int] = {}
        info = self.info
        for i in members:
            g, w, m, av, prov, tal, qs, friends, forbidden, b = info[i][:10]
            newcomers += g > 0
            locals_ += g < 0
            women += w
            men += m
            common &= av
            provided |= prov
            talents |= tal
            for q in qs:
                themes[q] += 1
            if friends and not friends.isdisjoint(member_set):
                acquainted += 1
            if forbidden:
                pairs += len(forbidden & member_set)  # each pair seen from both ends
            if b is not None:
                backgrounds[b] = backgrounds.get(b, 0) + 1
        strict += pairs // 2
        if self.balance and abs(newcomers - locals_) > self.tolerance:
            strict += 1
        if self.gender and not women_only:
            strict += 0 < women < self.min_gender
            strict += 0 < men < self.min_gender
        if self.women_only and women_only:
            strict += size - women
        if self.slot_rule and not common:
            if not self.slot_bit:
                strict += size
            else:
                best = max(
                    sum(1 for i in members if info[i][3] & bit) for bit in self.slot_bit.values()
                )
                strict += size - best
        min_background = self.min_background
        for i in members:
            b, counted, need = info[i][9:]
            if counted and backgrounds[b] < min_background:
                elastic += 1
            if need and not need & provided:
                elastic += 1
        interest = max(themes) if themes else 0
        return (
            strict,
            elastic,
            self.wi * interest + self.wa * acquainted + self.wt * talents.bit_count(),
        )


START_TEMP, END_TEMP = 2.0, 0.05  # objective units; a move costs 1-6 of them
CHECK_EVERY = 256  # evaluations between looks at the clock (and temperature steps)
SAME_KIND = 0.8  # share of swap proposals with a partner of the same group and gender
RELOCATE = 0.25  # share of proposals that move one person instead of swapping two
# Tried: extending 10 % or 30 % of the swaps to a 3-cycle over a third team. No gain
# at 300 000 moves from greedy (n = 200 seeds 0-2: 634/629/609 and 643/620/613 against
# 642/631/605; n = 1000: 3325/3258/3253 and 3276/3240/3240 against 3304/3266/3283).


class Polish:
    """Simulated annealing on the objective over relocations and swaps.

    A move is rejected outright when it raises the two teams' strict or elastic count;
    it is always kept when it lowers either without raising the other; otherwise it is
    kept when it does not lower the objective, or with probability exp(delta / T) when it
    does. T falls geometrically over the budget, which is counted in proposed moves (never
    in seconds), so the result depends only on the input and the seed. The answer is the
    best assignment seen (by strict, elastic, -objective) among those whose objective is
    not below the start's: it never has more violations of either kind, nor a lower
    objective, than the input.
    """

    def __init__(self, inst: Instance, drafts: list[Draft], seed: int = 0):
        self.inst = inst
        self.tv = TeamValues(inst)
        self.rng = random.Random(seed)
        kept = [finalise(inst, d) for d in drafts if d.members]
        self.members = [list(d.members) for d in kept]
        self.flags = [d.women_only for d in kept]
        self.team_of = {i: t for t, ms in enumerate(self.members) for i in ms}
        self.vals = [self.tv.value(ms, f) for ms, f in zip(self.members, self.flags, strict=True)]
        fixed = fixed_people(inst)
        self.movable = [i for i in range(inst.n) if i not in fixed and i in self.team_of]
        self.fixed = fixed
        # Who shares a theme interest with whom: proposals lean towards those teams.
        fans: dict[int, list[int]] = {}
        for i in self.movable:
            for q in self.tv.themes_of[i]:
                fans.setdefault(q, []).append(i)
        self.fans = fans
        self.evals = 0
        self.accepted = 0

    def totals(self) -> tuple[int, int, int]:
        return (
            sum(v[0] for v in self.vals),
            sum(v[1] for v in self.vals),
            sum(v[2] for v in self.vals),
        )

    def _target(self, i: int) -> int:
        """A team for i: an acquaintance's, a theme fan's, or any (seeded)."""
        rng = self.rng
        r = rng.random()
        friends = self.tv.friends[i]
        if r < 0.3 and friends:
            f = rng.choice(sorted(friends)) if len(friends) > 1 else next(iter(friends))
            return self.team_of[f]
        themes = self.tv.themes_of[i]
        if r < 0.6 and themes:
            fans = self.fans[themes[rng.randrange(len(themes))]]
            return self.team_of[fans[rng.randrange(len(fans))]]
        return rng.randrange(len(self.members))

    def run(
        self,
        budget: int,
        deadline: float | None = None,
        seconds: float | None = None,
        start_temp: float = START_TEMP,
        end_temp: float = END_TEMP,
    ) -> list[Draft]:
        """Anneal for `budget` evaluations (deterministic), or for `seconds` of wall time.

        deadline is the wall-clock safety net: if it passes first, the search stops with
        the best assignment so far and self.cut is set (the answer then depends on the
        machine). With seconds (free mode) the temperature follows the clock instead.
        """
        rng = self.rng
        tv = self.tv
        members, flags, vals, team_of = self.members, self.flags, self.vals, self.team_of
        p = self.inst.params
        self.cut = False
        if len(members) < 2 or not self.movable:
            return self._drafts(members)
        s, e, o = self.totals()
        best = (s, e, -o)
        floor = o  # the answer never has a lower objective than the start
        best_members = [list(ms) for ms in members]
        temp = start_temp
        movable = self.movable
        avail, all_slots = tv.avail, tv.all_slots
        slot_rule = p.slot and bool(self.inst.slots)
        kind = [(g, w, m) for g, w, m in zip(tv.group, tv.woman, tv.man, strict=True)]
        common = [self._common(ms) for ms in members]
        t0 = time.perf_counter()
        if seconds is not None:
            deadline = min(deadline or math.inf, t0 + seconds)
        for k in range(budget):
            if k % CHECK_EVERY == 0:
                now = time.perf_counter()
                if deadline is not None and now >= deadline:
                    self.cut = seconds is None
                    break
                done = (now - t0) / seconds if seconds else k / budget
                temp = start_temp * (end_temp / start_temp) ** done
            self.evals += 1
            i = movable[rng.randrange(len(movable))]
            t = team_of[i]
            u = self._target(i)
            if u == t:
                continue
            mt, mu = members[t], members[u]
            # Cheap necessary conditions first (when both teams meet the strict rules):
            # most random moves break the slot rule, and a full evaluation costs ~20
            # times more than these checks.
            clean = vals[t][0] == 0 and vals[u][0] == 0
            rest_t = all_slots
            if clean and slot_rule:
                for m in mt:
                    if m != i:
                        rest_t &= avail[m]
            j = -1
            if rng.random() < RELOCATE and len(mu) < p.max_size:
                if clean and slot_rule and not avail[i] & common[u]:
                    continue
                new_t = [m for m in mt if m != i]
                new_u = [*mu, i]
            else:
                # Mostly a partner of the same group and gender (balance and the gender
                # rule then hold by construction) who can make t's remaining slots.
                if rng.random() < SAME_KIND:
                    alike = [m for m in mu if kind[m] == kind[i] and avail[m] & rest_t]
                else:
                    alike = [m for m in mu if avail[m] & rest_t]
                if not alike:
                    continue
                j = alike[rng.randrange(len(alike))]
                if j in self.fixed:
                    continue
                if clean and slot_rule:
                    rest_u = avail[i]
                    for m in mu:
                        if m != j:
                            rest_u &= avail[m]
                    if not rest_u:
                        continue
                new_t = [j if m == i else m for m in mt]
                new_u = [i if m == j else m for m in mu]
            vt, vu = tv.value(new_t, flags[t]), tv.value(new_u, flags[u])
            ot, ou = vals[t], vals[u]
            ds = vt[0] + vu[0] - ot[0] - ou[0]
            de = vt[1] + vu[1] - ot[1] - ou[1]
            # Tried: letting an elastic violation come and go at a price of 8 objective
            # units. The search drifted to one violation more and kept it (n = 200,
            # seed 2: the best assignment with none stayed at 438 of 612).
            if ds > 0 or de > 0:
                continue
            do = vt[2] + vu[2] - ot[2] - ou[2]
            if ds == 0 and de == 0 and do < 0 and rng.random() >= math.exp(do / temp):
                continue
            members[t], members[u] = new_t, new_u
            vals[t], vals[u] = vt, vu
            common[t], common[u] = self._common(new_t), self._common(new_u)
            team_of[i] = u
            if j >= 0:
                team_of[j] = t
            self.accepted += 1
            s, e, o = s + ds, e + de, o + do
            if o >= floor and (s, e, -o) < best:
                best = (s, e, -o)
                best_members = [list(ms) for ms in members]
        return self._drafts(best_members)

    def _common(self, members: list[int]) -> int:
        """The slots every member can make, as a bit mask."""
        mask = self.tv.all_slots
        for m in members:
            mask &= self.tv.avail[m]
        return mask

    def _drafts(self, members: list[list[int]]) -> list[Draft]:
        return [
            finalise(self.inst, Draft(list(ms), women_only=f))
            for ms, f in zip(members, self.flags, strict=True)
            if ms
        ]


def polish(
    inst: Instance,
    drafts: list[Draft],
    budget: int,
    seed: int = 0,
    deadline: float | None = None,
    seconds: float | None = None,
) -> tuple[list[Draft], bool]:
    """Raise the objective without raising the strict or the elastic count.

    Returns (teams, whether the wall-clock net cut the search). The evaluator
    (evaluate.evaluate) has the last word: unless the polished teams have no more strict
    and no more elastic violations, no lower objective, and are better in one of the
    three, the input comes back unchanged.
    """
    start = [finalise(inst, d) for d in drafts if d.members]
    search = Polish(inst, start, seed)
    out = search.run(budget, deadline=deadline, seconds=seconds)
    before, after = evaluate(inst, start), evaluate(inst, out)
    old = (before.strict_violations, before.elastic_violations, -before.objective)
    new = (after.strict_violations, after.elastic_violations, -after.objective)
    if any(a > b for a, b in zip(new, old, strict=True)) or new == old:
        return start, search.cut
    return out, search.cut
