"""Column generation for the talent exchange: the LP bound of the <= 3-cycle formulation and
LP-guided dives to an integer answer that usually reaches it.

The cycle formulation (one 0/1 variable per 2- or 3-cycle, each person in at most one) has
the tightest known LP relaxation for short cycles (a position-indexed edge formulation has
the same LP, and for cycles of at most 3 just as many variables). Dense markets have
hundreds of thousands (n = 1000) to millions (n = 2000) of 3-cycles: too many for an
integer model, and a plain LP over all of them takes longer than the time limit. Column
generation solves the same LP over a few thousand cycles:

1. Every short cycle is listed once as three integers in numpy (lowest member first; a pair
   has the pad value n as its third member). That takes a fraction of a second even at
   n = 2000 and holds no Python object per cycle.
2. The restricted LP ("master") starts with every pair; its first value is the pairs-only
   LP bound. GLOP solves it incrementally: added columns and fixed cycles start from the
   last basis. The people's duals pi come back with the solution.
3. Pricing is one vectorised pass over all cycles: reduced cost = weight of the cycle - the
   sum of its members' duals. For every person, the best positive one among the cycles in
   which that person is the lowest member joins the master (one per person keeps the master
   small and varied). When none is positive, the master's LP value *is* the LP value of
   the full formulation: with weight = people in the cycle, a valid upper bound on every
   <= 3-cycle packing. Before that, sum(pi) + for every person the best positive reduced
   cost of the cycles they are lowest in is a valid bound too (raising those duals makes
   every cycle dual-feasible), so the bound is valid even when the clock stops the loop.
4. The dive: fix every cycle at 1 in the LP's vertex solution -- that loses nothing, the
   rest of the LP solution stays feasible -- or, when there is none, the cycles at a
   threshold or above, or the largest; their people leave, and so does every cycle through
   them; price once more, repeat. When few cycles are left among the free people, the
   caller solves that remainder exactly (CP-SAT).

Everything here is deterministic: GLOP is, ties are broken by index, budgets count LP
solves, and the only clock is the safety net that stops a phase at its deadline.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from ortools.linear_solver import pywraplp

TOLERANCE = 1e-6  # reduced costs below this count as zero


def adjacency(out: list[set[int]]) -> np.ndarray:
    n = len(out)
    m = np.zeros((n, n), dtype=bool)
    for i, targets in enumerate(out):
        if targets:
            m[i, np.fromiter(targets, dtype=np.int64, count=len(targets))] = True
    return m


def short_cycles(m: np.ndarray, max_cycle: int = 3, cap: int | None = None) -> np.ndarray | None:
    """Every 2- and 3-cycle once, as rows (a, b, c): lowest member first, then in the order
    of the lessons (a teaches b, b teaches c, c teaches a); a pair is (a, b, n).

    Returns None when there are more than cap cycles (memory grows with them).
    """
    n = m.shape[0]
    mutual = np.triu(m & m.T, 1)
    a, b = np.nonzero(mutual)
    parts = [np.stack([a, b, np.full(len(a), n)], axis=1).astype(np.int32)]
    count = len(a)
    if max_cycle >= 3:
        for i in range(n):
            later_out = np.nonzero(m[i, i + 1 :])[0] + i + 1
            later_in = np.nonzero(m[i + 1 :, i])[0] + i + 1
            if len(later_out) == 0 or len(later_in) == 0:
                continue
            x, y = np.nonzero(m[np.ix_(later_out, later_in)])
            if len(x) == 0:
                continue
            count += len(x)
            if cap is not None and count > cap:
                return None
            rows = np.empty((len(x), 3), dtype=np.int32)
            rows[:, 0] = i
            rows[:, 1] = later_out[x]
            rows[:, 2] = later_in[y]
            parts.append(rows)
    cycles = np.concatenate(parts)
    if cap is not None and len(cycles) > cap:
        return None
    return cycles


def sizes(cycles: np.ndarray, n: int) -> np.ndarray:
    return 2 + (cycles[:, 2] < n).astype(np.int64)


def lessons_across(cycles: np.ndarray, side: np.ndarray) -> np.ndarray:
    """Lessons of each cycle between a newcomer and a local.

    side holds 1 for a newcomer, 2 for a local, 0 otherwise, with a 0 appended for the pad,
    so a lesson bridges the two groups exactly when the product of its ends' sides is 2.
    """
    a, b, c = side[cycles[:, 0]], side[cycles[:, 1]], side[cycles[:, 2]]
    pair = cycles[:, 2] == len(side) - 1
    # A pair's lessons are a -> b and b -> a; a triangle's a -> b, b -> c, c -> a.
    ab = (a * b == 2).astype(np.int64)
    return np.where(pair, 2 * ab, ab + (b * c == 2) + (c * a == 2))


@dataclass(frozen=True)
class Lp:
    value: float  # LP value of the last master
    bound: float  # valid upper bound on the weight of any packing of the free people's cycles
    converged: bool  # no cycle has a positive reduced cost: value is the full LP's value
    columns: np.ndarray  # the master's cycles among the free people (indices), ascending
    x: np.ndarray  # their LP values
    rounds: int


class Master:
    """The restricted LP over a growing set of cycles, on the people who are still free.

    GLOP solves it incrementally: new columns and fixed cycles start from the last basis,
    so a round of column generation or a step of the dive costs a few hundred pivots.
    """

    def __init__(self, cycles: np.ndarray, n: int, start: np.ndarray, weights: np.ndarray):
        self.cycles = cycles
        self.n = n
        self.weights = weights
        self.lp = pywraplp.Solver.CreateSolver("GLOP")
        # No upper bound on the variables (the rows imply it), so the rows' duals carry the
        # whole objective and reduced costs are comparable between master and the rest.
        self.rows = [self.lp.Constraint(-self.lp.infinity(), 1.0) for _ in range(n)]
        self.objective = self.lp.Objective()
        self.objective.SetMaximization()
        self.var: dict[int, pywraplp.Variable] = {}
        self.in_master = np.zeros(len(cycles), dtype=bool)
        self.alive = np.ones(len(cycles), dtype=bool)  # every member still free
        self.free = np.ones(n + 1, dtype=bool)  # the pad n stays free
        self.solves = 0
        self.first_value: float | None = None  # the first LP's value (start columns only)
        self._add(start)

    def _add(self, chosen: np.ndarray) -> None:
        for c in chosen.tolist():
            v = self.lp.NumVar(0.0, self.lp.infinity(), "")
            self.var[c] = v
            self.objective.SetCoefficient(v, float(self.weights[c]))
            for person in self.cycles[c].tolist():
                if person < self.n:
                    self.rows[person].SetCoefficient(v, 1.0)
        self.in_master[chosen] = True

    def reweight(self, weights: np.ndarray) -> None:
        """New objective weights for every cycle (the master's current basis stays)."""
        self.weights = weights
        for c, v in self.var.items():
            self.objective.SetCoefficient(v, float(weights[c]))

    def unfix(self) -> None:
        """Free everyone again (the columns stay, and so does GLOP's last basis)."""
        for v in self.var.values():
            if v.lb() > 0:
                v.SetLb(0.0)
        self.free[:] = True
        self.alive[:] = True

    def fix(self, chosen: np.ndarray) -> None:
        """Fix the chosen cycles (in the master) at 1: their people are no longer free."""
        for c in chosen.tolist():
            self.var[c].SetLb(1.0)
        people = self.cycles[chosen].ravel()
        self.free[people[people < self.n]] = False
        c = self.cycles
        self.alive &= self.free[c[:, 0]] & self.free[c[:, 1]] & self.free[c[:, 2]]

    def generate(self, deadline: float, per_person: int = 1, max_rounds: int = 100) -> Lp | None:
        """Column generation on the free people until no cycle prices out (or the deadline).

        None when not even one LP could be solved in time.
        """
        n, cycles = self.n, self.cycles
        ext = np.zeros(n + 1)
        bound = float(np.inf)
        lp = None
        for rounds in range(1, max_rounds + 1):
            left = deadline - time.perf_counter()
            if left <= 0.02:
                break
            self.lp.SetTimeLimit(max(1, int(1000 * left)))
            if self.lp.Solve() != pywraplp.Solver.OPTIMAL:
                break
            self.solves += 1
            value = self.objective.Value()
            if self.first_value is None:
                self.first_value = value
            duals = np.fromiter((r.dual_value() for r in self.rows), dtype=float, count=n)
            ext[:n] = np.maximum(0.0, duals) * self.free[:n]
            reduced = np.where(self.alive, self.weights - ext[cycles].sum(axis=1), -1.0)
            # Raising each person's dual by the best positive reduced cost among the cycles
            # they are lowest in makes every cycle dual-feasible: a valid bound at every
            # round, the master's cycles included, so it does not rest on LP tolerances.
            # (The fixed cycles' weight is not in it: the bound is on the free people.)
            violated = np.nonzero(reduced > 0)[0]
            raise_by = np.zeros(n)
            np.maximum.at(raise_by, cycles[violated, 0], reduced[violated])
            bound = min(bound, float(ext[:n].sum() + raise_by.sum()))
            reduced[self.in_master] = -1.0
            positive = np.nonzero(reduced > TOLERANCE)[0]
            columns = np.nonzero(self.in_master & self.alive)[0]
            x = np.fromiter(
                (self.var[c].solution_value() for c in columns.tolist()),
                dtype=float,
                count=len(columns),
            )
            lp = Lp(value, bound, len(positive) == 0, columns, x, rounds)
            if len(positive) == 0:
                break
            # The best per_person cycles per lowest member; ties by index.
            order = positive[np.lexsort((positive, -reduced[positive], cycles[positive, 0]))]
            lowest = cycles[order, 0]
            first = np.r_[0, np.nonzero(np.diff(lowest))[0] + 1]
            rank = np.arange(len(order)) - np.repeat(first, np.diff(np.r_[first, len(order)]))
            self._add(order[rank < per_person])
        return lp


def dive(
    master: Master,
    deadline: float,
    exact_cycles: int,
    threshold: float = 1.0,
    max_solves: int | None = None,
) -> tuple[list[int], Lp | None]:
    """Fix cycles the LP takes (nearly) whole, else the largest, until at most exact_cycles
    are left among the free people.

    Each step fixes every cycle at 1 in the LP solution (no loss: the rest of the solution
    stays feasible); if there is none, every cycle at threshold or above (several at once,
    a small risk); if none, the largest. Cycles above 1/2 never share a person, since each
    person's cycles sum to at most 1. max_solves bounds the LP solves of the dive, a budget
    that does not depend on the machine. Returns the fixed cycles and the last LP over the
    free people (None if none was solved); the caller completes master.alive exactly.
    """
    fixed: list[int] = []
    lp = None
    stop = master.solves + max_solves if max_solves is not None else None
    while int(master.alive.sum()) > exact_cycles and time.perf_counter() < deadline:
        if stop is not None and master.solves >= stop:
            break
        # One LP and one pricing round per step: the new columns join the next step's LP.
        # Waiting for convergence at every step costs twice the solves for no better dives.
        step = master.generate(deadline, max_rounds=1)
        if step is None or (len(step.columns) == 0 and step.converged):
            break
        if len(step.columns) == 0:
            continue  # an empty master (no pairs): the priced cycles join the next LP
        lp = step
        whole = step.columns[step.x > 1 - TOLERANCE]
        if len(whole) == 0:
            whole = step.columns[step.x >= max(threshold, 0.5 + TOLERANCE)]
        if len(whole) == 0:
            whole = step.columns[[int(np.argmax(step.x))]]
        master.fix(whole)
        fixed.extend(int(c) for c in whole)
    return fixed, lp
