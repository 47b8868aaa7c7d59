"""The CP-SAT team model ("model A" of the research note) and its lexicographic solve.

What belongs here: building the person x team model (strict rules as constraints, rules 6
and 7 as counted slack, or every rule as slack in the all-elastic fallback), the two-phase
solve (phase 1 minimises the elastic count and tries to prove it minimal, phase 2 maximises
the objective with that count fixed), hints from greedy, and reading drafts back out.
Orchestration (which method when, fallbacks) lives in teams.py; diagnosis in diagnose.py.
See docs/algorithms/team-formation.md, section "CP-SAT model".
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from verbinding.matching.solver.evaluate import Draft, evaluate, finalise
from verbinding.matching.solver.instance import Instance
from verbinding.matching.solver.model import Gender, Group, Rule

# In the all-elastic fallback a broken strict rule must cost more than any number of
# elastic violations a team can have (at most 2 per member), so strict slack dominates.
STRICT_WEIGHT = 100
# Deterministic phase 1: LNS from the hint gets LNS_PER_PERSON units of deterministic
# time per person, kept within [LNS_MIN, LNS_MAX] of the phase's budget; the rest is a
# full search, which can prove the minimum (LNS alone cannot). Small pools need the proof
# (n = 60: up to 2.1 units), larger ones the LNS (n = 200: about 0.7 units go to presolve
# before the first LNS step, and 1.5 units reached 0 violations on seeds 0-2).
LNS_PER_PERSON = 0.008
LNS_MIN, LNS_MAX = 0.15, 0.75


@dataclass
class PhaseOutcome:
    status: str  # "OPTIMAL", "FEASIBLE", "INFEASIBLE", "UNKNOWN", "MODEL_INVALID", "SKIPPED"
    drafts: list[Draft] | None = None
    objective: float | None = None
    bound: float | None = None
    wall_time: float = 0.0
    deterministic: bool = True
    dtime: float = 0.0  # deterministic time the phase used


@dataclass
class CpOutcome:
    phase1: PhaseOutcome
    phase2: PhaseOutcome | None = None
    elastic_minimum: int | None = None
    elastic_proven: bool = False
    stats: dict[str, int] = field(default_factory=dict)
    # Deterministic mode with phase 2 skipped: the budget phase 1 left.
    spare_dtime: float = 0.0

    @property
    def drafts(self) -> list[Draft] | None:
        if self.phase2 is not None and self.phase2.drafts is not None:
            return self.phase2.drafts
        return self.phase1.drafts


class TeamModel:
    """CP-SAT variables and constraints for one Instance.

    x[i, t] exists only for t <= P + rank(i), where P is the number of pinned teams and
    rank(i) the position of i among unpinned people: teams without pins are
    interchangeable, so each can be labelled by its lowest-ranked member. This removes
    the T! relabelling symmetry without losing any partition.
    """

    def __init__(self, inst: Instance, all_elastic: bool = False, with_objective: bool = True):
        self.inst = inst
        self.all_elastic = all_elastic
        # False once a hint completion (add_hint) was stopped by the wall clock.
        self.hints_deterministic = True
        p = inst.params
        m = self.model = cp_model.CpModel()
        n, T = inst.n, inst.max_teams
        keys = sorted(set(inst.pin_key.values())) if p.constraints else []
        self.key_team = {k: idx % T for idx, k in enumerate(keys)}
        self.pinned_teams = len(self.key_team)
        unpinned = [i for i in range(n) if not (p.constraints and i in inst.pin_key)]
        self.rank = {i: r for r, i in enumerate(unpinned)}

        self.x: dict[tuple[int, int], cp_model.IntVar] = {}
        for i in range(n):
            if i in self.rank:
                teams = range(min(T, self.pinned_teams + self.rank[i] + 1))
            else:
                teams = range(self.key_team[inst.pin_key[i]], self.key_team[inst.pin_key[i]] + 1)
            for t in teams:
                self.x[i, t] = m.NewBoolVar(f"x{i}_{t}")
            m.AddExactlyOne(self.x[i, t] for t in teams)
        self.members_of: list[list[int]] = [[] for _ in range(T)]
        for i, t in self.x:
            self.members_of[t].append(i)
        # The team count is the solver's choice within what the sizes allow (a smaller
        # women-only team can change it); an unused team is empty.
        self.used = [m.NewBoolVar(f"used{t}") for t in range(T)]
        for t in range(T):
            for i in self.members_of[t]:
                m.AddImplication(self.x[i, t], self.used[t])
        if p.team_count is not None:
            m.Add(sum(self.used) == min(T, p.team_count))

        self.strict_slack: list[cp_model.LinearExprT] = []
        self.elastic_terms: list[cp_model.LinearExprT] = []
        self._women_only(T)
        self._size_balance_gender(T)
        self._slots(T)
        self._pairs()
        self._background(T)
        self._language(T)
        self.ordered = False
        self.elastic = sum(self.elastic_terms) if self.elastic_terms else 0
        self.strict = sum(self.strict_slack) if self.strict_slack else 0
        self.objective = self._objective(T) if with_objective else 0
        # Larger than any objective value: weights violations above the objective.
        self.objective_cap = 1 + (
            p.weight_interest * n
            + p.weight_acquaintance * n
            + p.weight_talent * len({k for person in inst.people for k in person.talents}) * T
        )

    # -- helpers ----------------------------------------------------------------------------
    def xs(self, t: int, who) -> list[cp_model.IntVar]:
        return [self.x[i, t] for i in who if (i, t) in self.x]

    def _relax(self, name: str) -> cp_model.IntVar | None:
        """A slack literal in the all-elastic model; None means the rule is hard."""
        if not self.all_elastic:
            return None
        v = self.model.NewBoolVar(name)
        self.strict_slack.append(v)
        return v

    # -- rules ------------------------------------------------------------------------------
    def _women_only(self, T: int) -> None:
        inst, m, p = self.inst, self.model, self.inst.params
        self.wonly: list[cp_model.IntVar | None] = [None] * T
        requirers = [i for i in range(inst.n) if inst.requires_women_only(i)]
        if not requirers:
            return
        non_women = [i for i in range(inst.n) if not inst.is_woman(i)]
        for t in range(T):
            w = self.wonly[t] = m.NewBoolVar(f"wonly{t}")
            slack = self._relax(f"s4_{t}")
            lits = [~slack] if slack is not None else []
            m.Add(sum(self.xs(t, non_women)) == 0).OnlyEnforceIf([w, *lits])
            for i in requirers:
                if (i, t) in self.x:
                    if slack is None:
                        m.AddImplication(self.x[i, t], w)
                    else:
                        m.AddBoolOr([~self.x[i, t], w, slack])
        del p

    def _size_balance_gender(self, T: int) -> None:
        inst, m, p = self.inst, self.model, self.inst.params
        people = inst.people
        for t in range(T):
            members = self.members_of[t]
            size = sum(self.xs(t, members))
            low, high = p.size_bounds(False)
            used = self.used[t]
            if self.wonly[t] is not None and p.women_only_min_size is not None:
                wl, _ = p.size_bounds(True)
                m.Add(size >= low).OnlyEnforceIf([used, ~self.wonly[t]])
                m.Add(size >= wl).OnlyEnforceIf([used, self.wonly[t]])
            else:
                m.Add(size >= low).OnlyEnforceIf(used)
            m.Add(size <= high)
            if p.balance:
                nc = [i for i in members if people[i].group == Group.NEWCOMER]
                lo = [i for i in members if people[i].group == Group.LOCAL]
                diff = sum(self.xs(t, nc)) - sum(self.xs(t, lo))
                slack = self._relax(f"s2_{t}")
                lits = [~slack] if slack is not None else []
                d = inst.balance_tolerance
                m.Add(diff <= d).OnlyEnforceIf(lits)
                m.Add(diff >= -d).OnlyEnforceIf(lits)
            if p.gender:
                for g in (Gender.WOMAN, Gender.MAN):
                    who = [i for i in members if people[i].gender == g]
                    if not who:
                        continue
                    count = sum(self.xs(t, who))
                    present = m.NewBoolVar(f"g{g}_{t}")
                    slack = self._relax(f"s3_{g}_{t}")
                    lits = [~slack] if slack is not None else []
                    m.Add(count >= p.min_gender_count).OnlyEnforceIf([present, *lits])
                    m.Add(count == 0).OnlyEnforceIf(~present)

    def _slots(self, T: int) -> None:
        inst, m, p = self.inst, self.model, self.inst.params
        self.slot: dict[tuple[int, int], cp_model.IntVar] = {}
        if not inst.slots:
            return
        for t in range(T):
            for s in inst.slots:
                self.slot[t, s] = m.NewBoolVar(f"slot{t}_{s}")
            m.AddExactlyOne(self.slot[t, s] for s in inst.slots)
            if not p.slot:
                continue
            members = self.members_of[t]
            slack = None
            if self.all_elastic:
                # Counted per person, like the evaluator: how many cannot make the slot.
                slack = m.NewIntVar(0, p.max_size, f"s5_{t}")
                self.strict_slack.append(slack)
            for s in inst.slots:
                away = [i for i in members if s not in inst.people[i].availability]
                if not away:
                    continue
                if slack is None:
                    # One constraint per (team, slot), not per person: see the note §4.3.
                    m.Add(sum(self.xs(t, away)) == 0).OnlyEnforceIf(self.slot[t, s])
                else:
                    m.Add(sum(self.xs(t, away)) <= slack).OnlyEnforceIf(self.slot[t, s])

    def _pairs(self) -> None:
        inst, m, p = self.inst, self.model, self.inst.params
        if not p.constraints:
            return
        # Pins, forbidden pairs and keep-together stay hard even in the all-elastic model:
        # they are the coordinator's explicit decisions.
        T = inst.max_teams
        for i, j in inst.forbidden:
            for t in range(T):
                if (i, t) in self.x and (j, t) in self.x:
                    m.AddBoolOr([~self.x[i, t], ~self.x[j, t]])
        for s in inst.keep_sets:
            for a in s[1:]:
                for t in range(T):
                    xa, xb = self.x.get((s[0], t)), self.x.get((a, t))
                    if xa is not None and xb is not None:
                        m.Add(xa == xb)
                    elif xa is not None:
                        m.Add(xa == 0)
                    elif xb is not None:
                        m.Add(xb == 0)

    def _background(self, T: int) -> None:
        inst, m, p = self.inst, self.model, self.inst.params
        if not p.background:
            return
        groups: dict[int, list[int]] = {}
        for i, person in enumerate(inst.people):
            if person.background is not None:
                groups.setdefault(person.background, []).append(i)
        for b, who in sorted(groups.items()):
            counted = [i for i in who if Rule.BACKGROUND not in inst.waived.get(i, ())]
            if not counted:
                continue
            enough: dict[int, cp_model.IntVar] = {}
            for t in range(T):
                if not self.xs(t, counted):
                    continue
                # "Team t holds at least min_background_count people of b", as a plain
                # linear constraint: its LP relaxation is tight, unlike a big-M count.
                enough[t] = m.NewBoolVar(f"bg{b}_{t}")
                m.Add(sum(self.xs(t, who)) >= p.min_background_count * enough[t])
            # Counted per person, like the evaluator: i breaks rule 6 in team t unless
            # t has enough of b. Tried first: one integer per (b, t) bounded below by
            # count - max_size x enough; its weak LP left the minimum at n = 60 unproven.
            for i in counted:
                v = m.NewBoolVar(f"v6_{i}")
                for t in range(T):
                    if (i, t) in self.x:
                        m.AddBoolOr([~self.x[i, t], enough[t], v])
                self.elastic_terms.append(v)

    def _language(self, T: int) -> None:
        inst, m, p = self.inst, self.model, self.inst.params
        if not p.language:
            return
        needing = [
            i
            for i in range(inst.n)
            if inst.needs_bridge[i] and Rule.LANGUAGE not in inst.waived.get(i, ())
        ]
        langs = sorted({lang for i in needing for lang in inst.other_languages[i]})
        bridge_of = {
            lang: [j for j in range(inst.n) if inst.dutch[j] and lang in inst.other_languages[j]]
            for lang in langs
        }
        has: dict[tuple[int, int], cp_model.IntVar] = {}
        for t in range(T):
            for lang in langs:
                bx = self.xs(t, bridge_of[lang])
                if bx:
                    # Aggregated by language: one "team t has a bridge for lang" literal.
                    has[t, lang] = m.NewBoolVar(f"hb{t}_{lang}")
                    m.Add(sum(bx) >= 1).OnlyEnforceIf(has[t, lang])
        for i in needing:
            v = m.NewBoolVar(f"v7_{i}")
            self.elastic_terms.append(v)
            for t in range(T):
                if (i, t) in self.x:
                    options = [has[t, lang] for lang in inst.other_languages[i] if (t, lang) in has]
                    m.AddBoolOr([~self.x[i, t], v, *options])

    def order_teams(self) -> None:
        """Canonical labels: unpinned teams ordered by their lowest-ranked member.

        The domains above (t <= P + rank) already forbid most relabellings, but a team
        could still take any free label below its lowest rank. Here team t (unpinned,
        t > P) may hold a person of rank r only if team t - 1 holds someone ranked below
        r. So the lowest ranks rise with the label, used teams come first, and every
        partition has exactly one labelling -- the one relabel() gives a hint.
        below[r, t] is "team t holds someone of rank <= r".

        Added only for full search (proofs): it made proofs at n = 60 several times
        faster, but LNS from a hint slower (n = 200: 2.4 units of deterministic time
        before the first solution instead of 0.4).
        """
        if self.ordered:
            return
        self.ordered = True
        T = self.inst.max_teams
        m = self.model
        order = sorted(self.rank, key=self.rank.get)
        below: dict[tuple[int, int], cp_model.IntVar] = {}
        for t in range(self.pinned_teams, T):
            prev = None
            for r in range(t - self.pinned_teams, len(order)):
                x = self.x.get((order[r], t))
                if x is None:
                    continue
                if prev is None:
                    below[r, t] = x
                else:
                    b = m.NewBoolVar(f"below{r}_{t}")
                    m.AddImplication(prev, b)
                    m.AddImplication(x, b)
                    m.AddBoolOr([~b, prev, x])
                    below[r, t] = b
                prev = below[r, t]
        for t in range(self.pinned_teams + 1, T):
            for r in range(t - self.pinned_teams, len(order)):
                x = self.x.get((order[r], t))
                earlier = below.get((r - 1, t - 1))
                if x is not None and earlier is not None:
                    m.AddImplication(x, earlier)

    def _objective(self, T: int) -> cp_model.LinearExprT:
        inst, m, p = self.inst, self.model, self.inst.params
        people = inst.people
        terms: list[cp_model.LinearExprT] = []
        self.theme: dict[tuple[int, int], cp_model.IntVar] = {}
        if inst.themes and p.weight_interest:
            for t in range(T):
                score = m.NewIntVar(0, p.max_size, f"score{t}")
                for q in inst.themes:
                    self.theme[t, q] = m.NewBoolVar(f"theme{t}_{q}")
                    fans = [i for i in self.members_of[t] if q in people[i].interests]
                    m.Add(score <= sum(self.xs(t, fans))).OnlyEnforceIf(self.theme[t, q])
                m.AddExactlyOne(self.theme[t, q] for q in inst.themes)
                terms.append(p.weight_interest * score)
        if p.weight_acquaintance:
            for i in range(inst.n):
                friends = inst.acquaintances[i]
                if not friends:
                    continue
                known = m.NewBoolVar(f"acq{i}")
                for t in range(T):
                    if (i, t) not in self.x:
                        continue
                    fx = self.xs(t, friends)
                    if fx:
                        m.Add(sum(fx) >= 1).OnlyEnforceIf([known, self.x[i, t]])
                    else:
                        m.AddImplication(self.x[i, t], ~known)
                terms.append(p.weight_acquaintance * known)
        if p.weight_talent:
            talents = sorted({k for person in people for k in person.talents})
            for t in range(T):
                for k in talents:
                    holders = [i for i in self.members_of[t] if k in people[i].talents]
                    if holders:
                        cov = m.NewBoolVar(f"tal{t}_{k}")
                        m.Add(sum(self.xs(t, holders)) >= 1).OnlyEnforceIf(cov)
                        terms.append(p.weight_talent * cov)
        return sum(terms) if terms else 0

    # -- hints and read-out ---------------------------------------------------------------
    def relabel(self, drafts: list[Draft]) -> list[Draft] | None:
        """Renumber drafts to this model's team labels (pins first, then by lowest rank)."""
        inst = self.inst
        T = inst.max_teams
        drafts = [d for d in drafts if d.members]
        if len(drafts) > T:
            return None
        drafts = drafts + [Draft([]) for _ in range(T - len(drafts))]
        label: dict[int, int] = {}
        for idx, d in enumerate(drafts):
            keys = {inst.pin_key[i] for i in d.members if i in inst.pin_key and i not in self.rank}
            if len(keys) > 1:
                return None
            if keys:
                t = self.key_team[keys.pop()]
                if t in label.values():
                    return None
                label[idx] = t
        free = [idx for idx in range(T) if idx not in label]
        free.sort(key=lambda idx: min((self.rank[i] for i in drafts[idx].members), default=10**9))
        used = set(label.values())
        next_labels = [t for t in range(T) if t not in used]
        for idx, t in zip(free, next_labels, strict=True):
            label[idx] = t
        out: list[Draft] = [Draft([]) for _ in range(T)]
        for idx, d in enumerate(drafts):
            out[label[idx]] = d
        for t, d in enumerate(out):
            if any((i, t) not in self.x for i in d.members):
                return None
        return out

    def add_hint(self, drafts: list[Draft]) -> bool:
        """Hint every variable, not only x: a partial hint is often lost.

        The assignment part comes from the drafts; the auxiliary literals (presence,
        slack, bridges, acquaintances) are completed by a tiny solve with x fixed, so
        phase 1 starts from a complete solution even in single-worker deterministic mode.
        Slot and theme are left to that solve, which picks the best for the members.
        """
        relabelled = self.relabel(drafts)
        if relabelled is None:
            return False
        if not self.inst.params.complete_hint:
            # With parallel workers a hint on x, slot and theme is enough (the LNS workers
            # complete and repair it), and the completion solve below would cost time.
            for (i, t), var in self.x.items():
                self.model.AddHint(var, i in relabelled[t].members)
            for (t, s), var in self.slot.items():
                self.model.AddHint(var, relabelled[t].slot == s)
            for (t, q), var in self.theme.items():
                self.model.AddHint(var, relabelled[t].theme == q)
            return True
        fixed = self.model.Clone()
        for (i, t), var in self.x.items():
            fixed.Add(fixed.GetIntVarFromProtoIndex(var.Index()) == int(i in relabelled[t].members))
        # Violations first, then the objective: with x fixed this sets the objective's
        # literals (theme, acquaintance, talent) to their best values, so an LNS phase 2
        # starts from the hint's true objective. Without it they kept whatever value the
        # completion happened to give them, usually far below (n = 200: 278 vs 533).
        fixed.Minimize(
            self.objective_cap * (STRICT_WEIGHT * self.strict + self.elastic) - self.objective
        )
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_deterministic_time = 2.0
        solver.parameters.max_time_in_seconds = 5.0
        code = solver.Solve(fixed)
        self.hints_deterministic &= (
            code in (cp_model.OPTIMAL, cp_model.INFEASIBLE)
            or solver.deterministic_time >= 0.98 * solver.parameters.max_deterministic_time
        )
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            # The drafts break a hard rule of this model: hint x only, CP-SAT repairs it.
            for (i, t), var in self.x.items():
                self.model.AddHint(var, i in relabelled[t].members)
            return False
        for k in range(len(self.model.Proto().variables)):
            var = self.model.GetIntVarFromProtoIndex(k)
            self.model.AddHint(var, solver.Value(var))
        return True

    def read(self, solver: cp_model.CpSolver) -> list[Draft]:
        inst = self.inst
        drafts = []
        for t in range(inst.max_teams):
            members = [i for i in self.members_of[t] if solver.BooleanValue(self.x[i, t])]
            if not members:
                continue
            slot = next((s for s in inst.slots if solver.BooleanValue(self.slot[t, s])), None)
            theme = next(
                (
                    q
                    for q in inst.themes
                    if (t, q) in self.theme and solver.BooleanValue(self.theme[t, q])
                ),
                None,
            )
            w = self.wonly[t]
            # A women-only literal is only meaningful when some requirer is in the team
            # or when it is set; keep what the solver chose.
            drafts.append(
                Draft(members, slot, theme, bool(w is not None and solver.BooleanValue(w)))
            )
        return drafts


def _solver(
    inst: Instance, seconds: float, dtime: float | None, hinted: bool = False, single: bool = False
) -> cp_model.CpSolver:
    """A solver for one phase: wall-clock limit, plus a deterministic budget when asked.

    Deterministic mode (the default) runs the workers with interleave_search, which
    schedules them in fixed batches and shares solutions at fixed points, and stops on a
    deterministic-time budget. From a complete valid hint it runs LNS workers only
    (use_lns_only), which improve that solution far better than interleaved full search; the wall-clock limit stays only as a safety net (if it
    triggers first, the run is flagged non-deterministic). See the measurements in
    docs/algorithms/team-formation.md, "Determinism".
    """
    p = inst.params
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = p.num_workers
    solver.parameters.random_seed = p.seed
    solver.parameters.max_time_in_seconds = max(0.05, seconds)
    if p.deterministic:
        # Measured (n = 200, 3 seeds): interleaved search alone kept the greedy hint
        # (7 of 7 elastic violations left), interleaved LNS from the complete hint
        # brought it to 1 in 4 units of deterministic time, identical on every run.
        solver.parameters.interleave_search = not single
        solver.parameters.use_lns_only = hinted
        if single:
            # Proofs: one full-search worker (measured at n = 60, seeds 0-7: it proved
            # every minimum in 0.03-2.1 units, two interleaved workers needed 0.8-4.6).
            solver.parameters.num_workers = 1
        solver.parameters.max_deterministic_time = max(
            0.01, dtime if dtime is not None else seconds
        )
    return solver


def _hint_values(tm: TeamModel, solver: cp_model.CpSolver) -> None:
    """Hint every variable with its value in the solver's last solution."""
    tm.model.ClearHints()
    for k in range(len(tm.model.Proto().variables)):
        var = tm.model.GetIntVarFromProtoIndex(k)
        tm.model.AddHint(var, solver.Value(var))


def _is_zero(tm: TeamModel, solver: cp_model.CpSolver, all_elastic: bool) -> bool:
    """No violation left: zero is a lower bound, so nothing is left to prove."""
    strict = round(solver.Value(tm.strict)) if all_elastic else 0
    return strict == 0 and round(solver.Value(tm.elastic)) == 0


STATUS = {
    cp_model.OPTIMAL: "OPTIMAL",
    cp_model.FEASIBLE: "FEASIBLE",
    cp_model.INFEASIBLE: "INFEASIBLE",
    cp_model.UNKNOWN: "UNKNOWN",
    cp_model.MODEL_INVALID: "MODEL_INVALID",
}


def _run(
    tm: TeamModel,
    seconds: float,
    dtime: float | None = None,
    hinted: bool = False,
    single: bool = False,
) -> tuple[PhaseOutcome, cp_model.CpSolver]:
    solver = _solver(tm.inst, seconds, dtime, hinted, single)
    start = time.perf_counter()
    code = solver.Solve(tm.model)
    elapsed = time.perf_counter() - start
    status = STATUS[code]
    out = PhaseOutcome(status=status, wall_time=elapsed)
    # Deterministic only when a proof or the deterministic budget ended the solve. Any
    # other stop is the wall-clock net's: the solver's clock starts before ours and stops
    # after it, so "elapsed below the limit" does not show the net did not fire (measured:
    # 1.93 s of a 1.99 s limit, the budget half used, the teams different from a quiet run).
    out.deterministic = tm.inst.params.deterministic and (
        code == cp_model.OPTIMAL
        or code == cp_model.INFEASIBLE
        or solver.deterministic_time >= 0.98 * solver.parameters.max_deterministic_time
    )
    out.deterministic &= tm.hints_deterministic
    out.dtime = solver.deterministic_time
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        out.drafts = tm.read(solver)
        out.objective = solver.ObjectiveValue()
        out.bound = solver.BestObjectiveBound()
    return out, solver


def solve_lexicographic(
    inst: Instance,
    hint: list[Draft] | None,
    seconds: float,
    all_elastic: bool = False,
    phase1_share: float = 0.5,
    dtime: float | None = None,
    phase1_lns: float | None = None,
    between: Callable[[list[Draft]], list[Draft]] | None = None,
    objective: bool = True,
    phase2: bool = True,
) -> CpOutcome:
    """Phase 1: minimise (strict slack,) elastic count. Phase 2: maximise the objective.

    seconds is the wall-clock budget of both phases (model build included). In
    deterministic mode dtime (default: seconds x params.dtime_per_second) is the budget
    that actually decides where each phase stops, so the same seed gives the same teams;
    no budget is derived from elapsed wall time in that mode. Phase 1 gets
    phase1_share of it: phase1_lns of that (default: see LNS_PER_PERSON) for LNS from a
    complete hint, the rest for a one-worker full search that can prove the minimum
    (phase1_lns = 1: LNS only; without a complete hint: full search only). between(drafts), if given, runs on the phase-1
    teams before phase 2 (the objective polish); objective=False skips phase 2.
    phase2=False (deterministic mode) skips phase 2: its outcome then holds the (polished)
    phase-1 teams, status SKIPPED, and what phase 1 left comes back as
    outcome.spare_dtime for the caller's own search.
    """
    p = inst.params
    start = time.perf_counter()
    if dtime is None:
        dtime = seconds * p.dtime_per_second
    tm = TeamModel(inst, all_elastic=all_elastic)
    complete = False
    if hint is not None:
        complete = tm.add_hint(hint)
    violations = STRICT_WEIGHT * tm.strict + tm.elastic
    # Tried: phase 1 minimising cap x violations - objective (still lexicographic) kept
    # the objective but stopped removing violations (n = 200: 7 and 11 left instead of 0).
    tm.model.Minimize(violations)
    wall_left = max(0.05, seconds - (time.perf_counter() - start))
    if p.deterministic:
        if phase1_lns is None:
            phase1_lns = min(
                LNS_MAX, max(LNS_MIN, LNS_PER_PERSON * inst.n / (dtime * phase1_share))
            )
        p1, solver = _phase1(tm, start, seconds, dtime * phase1_share, phase1_lns, complete)
    else:
        p1, solver = _run(tm, wall_left * phase1_share)
    outcome = CpOutcome(
        phase1=p1,
        stats={
            "variables": len(tm.model.Proto().variables),
            "constraints": len(tm.model.Proto().constraints),
        },
    )
    if p1.drafts is None:
        return outcome
    strict_val = round(solver.Value(tm.strict)) if all_elastic else 0
    elastic_val = round(solver.Value(tm.elastic))
    outcome.elastic_minimum = elastic_val
    # Zero is a lower bound, so reaching it proves the minimum whatever the solver says.
    outcome.elastic_proven = p1.status == "OPTIMAL" or (strict_val == 0 and elastic_val == 0)
    if not objective:
        return outcome
    drafts = p1.drafts
    polished = None
    if between is not None and not all_elastic:
        # The polish (local.polish) raises the objective without raising any count.
        drafts = polished = between(drafts)
        elastic_val = min(elastic_val, evaluate(inst, polished).elastic_violations)
    # Phase 2 starts from a complete hint with the objective's literals at their best
    # for these teams; the phase-1 values are the fallback.
    if p.deterministic and not phase2:
        outcome.phase2 = PhaseOutcome(status="SKIPPED", drafts=drafts)
        outcome.spare_dtime = max(0.0, dtime - p1.dtime)
        return outcome
    tm.model.ClearHints()
    if not tm.add_hint(drafts):
        _hint_values(tm, solver)
    if all_elastic:
        tm.model.Add(
            STRICT_WEIGHT * tm.strict + tm.elastic <= STRICT_WEIGHT * strict_val + elastic_val
        )
    else:
        tm.model.Add(tm.elastic <= elastic_val)
    tm.model.Maximize(tm.objective)
    wall_left = max(0.1, seconds - (time.perf_counter() - start))
    if p.deterministic:
        p2, _ = _run(tm, wall_left, max(0.05, dtime - p1.dtime), hinted=True)
    else:
        p2, _ = _run(tm, wall_left)
    outcome.phase2 = p2
    if polished is not None:
        # Phase 2 starts from the polished teams; keep them if it ends below them.
        if p2.drafts is None or _rank(inst, p2.drafts) > _rank(inst, polished):
            p2.drafts = polished
    return outcome


def _phase1(
    tm: TeamModel, start: float, seconds: float, budget: float, lns: float, complete: bool
) -> tuple[PhaseOutcome, cp_model.CpSolver]:
    """Deterministic phase 1: LNS from the complete hint, then a proof by full search.

    LNS removes violations fast but can never prove a minimum. The full search starts
    from the LNS answer (hinted, so it is an upper bound from the first node) and stops
    on its share of the budget or when it proves the minimum.
    """
    wall_left = max(0.05, seconds - (time.perf_counter() - start))
    if not complete:
        tm.order_teams()
        return _run(tm, wall_left, budget, single=True)
    p1, solver = _run(tm, wall_left, budget * lns, hinted=True)
    if lns >= 1 or p1.status != "FEASIBLE" or _is_zero(tm, solver, tm.all_elastic):
        return p1, solver
    tm.order_teams()
    tm.model.ClearHints()
    if p1.drafts is None or not tm.add_hint(p1.drafts):
        _hint_values(tm, solver)
    wall_left = max(0.05, seconds - (time.perf_counter() - start))
    proof, proof_solver = _run(tm, wall_left, max(0.05, budget - p1.dtime), single=True)
    proof.dtime += p1.dtime
    proof.wall_time += p1.wall_time
    proof.deterministic &= p1.deterministic
    if proof.drafts is not None and proof.objective <= p1.objective:
        return proof, proof_solver
    p1.dtime, p1.wall_time, p1.deterministic = proof.dtime, proof.wall_time, proof.deterministic
    return p1, solver


def _rank(inst: Instance, drafts: list[Draft]) -> tuple[int, int, int]:
    s = evaluate(inst, [finalise(inst, d) for d in drafts])
    return s.strict_violations, s.elastic_violations, -s.objective
