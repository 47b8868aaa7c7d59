"""Naming why the strict rules cannot hold, and the smallest relaxations that would work.

What belongs here: when CP-SAT proves the strict rules (1-5, 8) jointly infeasible, try
one rule at a time with its parameter loosened step by step (or switched off, or with
the people who cannot make any workable slot left out) and keep the first step that
makes the pool feasible. Every option returned has been checked by CP-SAT, so the
coordinator only ever sees relaxations that work. See docs/algorithms/team-formation.md.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace

from ortools.sat.python import cp_model

from verbinding.matching.solver.cpsat import TeamModel
from verbinding.matching.solver.instance import Instance, prepare
from verbinding.matching.solver.model import Parameters, Pool, Relaxation, Rule


def stranded_by_slot(inst: Instance) -> tuple[int, ...]:
    """Ids of people none of whose slots has enough compatible people for a team."""
    p = inst.params
    out = []
    for i, person in enumerate(inst.people):
        ok = False
        for s in person.availability:
            company = sum(
                1
                for j in range(inst.n)
                if j != i and s in inst.people[j].availability and inst.compatible(i, j)
            )
            low, _ = p.size_bounds(inst.requires_women_only(i))
            if company + 1 >= low:
                ok = True
                break
        if not ok:
            out.append(person.id)
    return tuple(out)


def _candidates(inst: Instance) -> Iterator[tuple[Rule, list[Relaxation]]]:
    """Per rule, a ladder of relaxations from smallest to largest."""
    p = inst.params
    if p.balance:
        tol = inst.balance_tolerance
        yield (
            Rule.BALANCE,
            [
                *(Relaxation(Rule.BALANCE, "balance_tolerance", tol + k) for k in (1, 2)),
                Relaxation(Rule.BALANCE, "balance", False),
            ],
        )
    if p.women_only and any(inst.requires_women_only(i) for i in range(inst.n)):
        low, _ = p.size_bounds(True)
        yield (
            Rule.WOMEN_ONLY,
            [
                *(
                    Relaxation(Rule.WOMEN_ONLY, "women_only_min_size", size)
                    for size in range(low - 1, 2, -1)
                ),
                Relaxation(Rule.WOMEN_ONLY, "women_only", False),
            ],
        )
    if p.gender:
        yield Rule.GENDER, [Relaxation(Rule.GENDER, "gender", False)]
    if p.slot:
        ladder = []
        stranded = stranded_by_slot(inst)
        if stranded:
            ladder.append(Relaxation(Rule.SLOT, "exclude", True, stranded))
        ladder.append(Relaxation(Rule.SLOT, "slot", False))
        yield Rule.SLOT, ladder
    yield (
        Rule.SIZE,
        [
            Relaxation(Rule.SIZE, "min_size", p.min_size - 1),
            Relaxation(Rule.SIZE, "max_size", p.max_size + 1),
            Relaxation(Rule.SIZE, "min_size", p.min_size - 2),
            Relaxation(Rule.SIZE, "max_size", p.max_size + 2),
        ],
    )
    if p.constraints and (inst.pin_key or inst.forbidden or inst.keep_sets):
        yield Rule.CONSTRAINTS, [Relaxation(Rule.CONSTRAINTS, "constraints", False)]


def apply(pool: Pool, params: Parameters, r: Relaxation) -> tuple[Pool, Parameters]:
    if r.parameter == "exclude":
        gone = set(r.people)
        kept = tuple(x for x in pool.participants if x.id not in gone)
        return replace(pool, participants=kept), params
    if r.parameter == "balance_tolerance":
        # The tolerance the instance used may already be widened by the pool's imbalance.
        return pool, replace(params, balance_tolerance=int(r.value))
    return pool, replace(params, **{r.parameter: r.value})


def feasible(inst: Instance, seconds: float) -> bool | None:
    """True/False when CP-SAT decides the strict rules; None when it ran out of time."""
    tm = TeamModel(inst, with_objective=False)
    tm.order_teams()  # one labelling per partition: infeasibility is proven much sooner
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = inst.params.num_workers
    solver.parameters.random_seed = inst.params.seed
    solver.parameters.max_time_in_seconds = max(0.1, seconds)
    solver.parameters.stop_after_first_solution = True
    code = solver.Solve(tm.model)
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return True
    if code == cp_model.INFEASIBLE:
        return False
    return None


def diagnose(inst: Instance, seconds: float) -> list[Relaxation]:
    """The smallest working step for every rule that can make the pool feasible."""
    deadline = time.perf_counter() + seconds
    ladders = list(_candidates(inst))
    found: list[Relaxation] = []
    for k, (_rule, ladder) in enumerate(ladders):
        for step in ladder:
            left = deadline - time.perf_counter()
            if left <= 0:
                return found
            pool, params = apply(inst.pool, inst.params, step)
            if not pool.participants:
                continue
            trial = prepare(pool, params)
            share = left / max(1, len(ladders) - k)
            if feasible(trial, share):
                found.append(step)
                break
    return found
