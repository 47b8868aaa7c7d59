"""Entry point for team formation: form_teams(pool, params) -> Result.

What belongs here: the orchestration only -- prepare and pre-check, greedy first
solution, CP-SAT lexicographic solve (or blocks for large pools), diagnosis and the
all-elastic fallback when the strict rules cannot hold, and the rule that the answer is
never worse than greedy. The methods themselves live in greedy.py, cpsat.py, blocks.py.
See docs/algorithms/team-formation.md for the whole flow.
"""

from __future__ import annotations

import time

from verbinding.matching.solver.blocks import neighbourhood_search, solve_blocks
from verbinding.matching.solver.cpsat import CpOutcome, PhaseOutcome, solve_lexicographic
from verbinding.matching.solver.diagnose import diagnose
from verbinding.matching.solver.evaluate import (
    Draft,
    counting_bound,
    evaluate,
    finalise,
    to_teams,
)
from verbinding.matching.solver.greedy import greedy_teams, random_teams
from verbinding.matching.solver.instance import Instance, prepare
from verbinding.matching.solver.local import polish
from verbinding.matching.solver.model import (
    ELASTIC_RULES,
    Code,
    Explanation,
    Method,
    Parameters,
    Pool,
    Relaxation,
    Result,
    Rule,
    Score,
    Status,
)

# Share of the time limit for the strict model when it finds nothing at all; the rest
# goes to diagnosis and the all-elastic fallback.
STRICT_SHARE = 0.5
DIAGNOSIS_SHARE = 0.3
# Deterministic budget shares: the all-elastic LNS that repairs a greedy answer breaking a
# strict rule, the from-scratch check whether the strict rules can hold at all, and
# phase 1 of the main solve (LNS, then the proof; phase 2 gets what phase 1 leaves).
ELASTIC_FIRST_SHARE = 0.25
CHECK_SHARE = 0.2
PHASE1_SHARE = 0.9
LNS_SHARE = 0.0  # deterministic mode: share of the budget for the team-by-team search
# Deterministic mode, pools of NEIGHBOURHOOD_MIN_PEOPLE or more, after the polish: phase 2
# (LNS on the whole model) is skipped -- given a fifth of what phase 1 left (0.5 units at
# n = 200) it did not even load its hint and ended UNKNOWN, and the bound it gave otherwise
# is weaker than evaluate.counting_bound -- and exact re-solves of
# NEIGHBOURHOOD_TEAMS teams at a time
# (blocks.neighbourhood_search, NEIGHBOURHOOD_STEP units each) get NEIGHBOURHOOD_BUDGET of
# the rest. Measured at n = 200, seeds 0-2, from the same polished teams and the same 2.5
# units: whole-model LNS reached 629 / 608 / 614, three-team re-solves 641 / 636 / 620
# (two teams: 634 / 620 / 613; four: 639 / 633 / 623 with 0.1-unit steps). A re-solve
# step costs more wall time per unit than the whole-model LNS (0.2 s for about 0.1 unit),
# so it gets 0.7 of the rest: 637 / 629 / 617 in 7.3-7.6 s, against 629 / 608 / 614 in
# 7.7-8.4 s before (all of it: 638 / 629 / 620 in 8.2-9.0 s; half: 635 / 624 / 615 in
# 6.8 s); with phase 2 skipped, 638 / 629 / 620 in 7.0-7.8 s. At n = 60 (7 teams) three
# teams are almost the whole pool and the whole-model LNS did better (184 against 183 at
# seed 2), so small pools keep it.
NEIGHBOURHOOD_TEAMS = 3
NEIGHBOURHOOD_STEP = 0.05
NEIGHBOURHOOD_BUDGET = 0.7
NEIGHBOURHOOD_MIN_PEOPLE = 100
# Free mode: share of the wall time left after phase 1 for the objective polish.
POLISH_SHARE = 0.6
# Wall time kept back from the polish's safety net for phase 2 and the read-out.
POLISH_RESERVE = 0.15


def polish_budget(inst: Instance) -> int:
    """Deterministic mode: moves the objective polish tries (never from the clock)."""
    p = inst.params
    return int(p.polish_moves_per_second * p.time_limit)


class _Polisher:
    """Runs local.polish once per solve and remembers whether the clock cut it."""

    def __init__(self, inst: Instance, deadline: float):
        self.inst = inst
        self.deadline = deadline
        self.done = False
        self.cut = False

    def __call__(self, drafts: list[Draft]) -> list[Draft]:
        p = self.inst.params
        self.done = True
        left = self.deadline - time.perf_counter()
        net = self.deadline - max(0.3, POLISH_RESERVE * left)
        if p.deterministic:
            budget = polish_budget(self.inst)
            if budget <= 0:
                return drafts
            out, cut = polish(self.inst, drafts, budget, p.seed, deadline=net)
        else:
            out, cut = polish(
                self.inst, drafts, 10**12, p.seed, deadline=net, seconds=POLISH_SHARE * left
            )
        self.cut |= cut
        return out


def rank(score: Score) -> tuple[int, int, int]:
    """Lexicographic quality: strict violations, then elastic ones, then objective."""
    return score.strict_violations, score.elastic_violations, -score.objective


def baseline(pool: Pool, params: Parameters, method: Method) -> Result:
    """Random or greedy alone, for the benchmark and as the instant first answer."""
    start = time.perf_counter()
    inst = prepare(pool, params)
    if method == Method.RANDOM:
        drafts = random_teams(inst, params.seed)
    else:
        drafts = greedy_teams(inst, params.seed)
    return _result(inst, drafts, method, None, start)


def form_teams(pool: Pool, params: Parameters | None = None) -> Result:
    params = params or Parameters()
    start = time.perf_counter()
    deadline = start + params.time_limit
    inst = prepare(pool, params)
    if inst.n == 0:
        return _result(inst, [], Method.GREEDY, None, start)
    # Every path starts from, and is compared with, the whole-pool greedy + local search.
    greedy = greedy_teams(inst, params.seed)
    greedy_score = evaluate(inst, greedy)
    if inst.n > 1.5 * params.block_size:
        polisher = _Polisher(inst, deadline)
        drafts, info = solve_blocks(inst, greedy, deadline - time.perf_counter(), polisher)
        method = Method.CPSAT_BLOCKS
        if rank(evaluate(inst, drafts)) > rank(greedy_score):
            drafts, method = greedy, Method.GREEDY  # cannot happen: blocks only accept gains
        final = evaluate(inst, drafts)
        return _result(
            inst,
            drafts,
            method,
            None,
            start,
            # Blocks cannot prove a minimum above zero; zero is a lower bound, so it is one.
            proven=final.strict_violations == 0 and final.elastic_violations == 0,
            deterministic=params.deterministic and info.deterministic and not polisher.cut,
        )

    start_drafts = greedy
    total_dtime = params.time_limit * params.dtime_per_second
    global_dtime = total_dtime
    lns_deterministic = True
    if params.deterministic and LNS_SHARE > 0:
        # Optional: re-solve a few teams at a time (one worker each) before the global
        # solve. Measured weaker than interleaved LNS on the whole model, so off by default.
        left = deadline - time.perf_counter()
        start_drafts, _steps, lns_deterministic = neighbourhood_search(
            inst, greedy, LNS_SHARE * left, LNS_SHARE * total_dtime
        )
        global_dtime = (1 - LNS_SHARE) * total_dtime
    polisher = _Polisher(inst, deadline)
    relaxations: list[Relaxation] = []
    infeasible = False
    phases: list[PhaseOutcome] = []  # solves before the main one, for the determinism flag
    relaxed_start: list[Draft] | None = None
    strict_hint: list[Draft] | None = start_drafts
    if params.deterministic and evaluate(inst, start_drafts).strict_violations > 0:
        # Deterministic LNS needs a hint the model accepts, and the strict model rejects
        # one that breaks a strict rule. The all-elastic model accepts it: LNS there
        # removes the strict violations, and its answer then hints the strict model.
        pre = solve_lexicographic(
            inst,
            start_drafts,
            deadline - time.perf_counter(),
            all_elastic=True,
            phase1_share=1.0,
            dtime=ELASTIC_FIRST_SHARE * global_dtime,
            phase1_lns=1.0,
            objective=False,
        )
        phases.append(pre.phase1)
        strict_hint = None
        if pre.drafts is not None:
            relaxed_start = [finalise(inst, d) for d in pre.drafts]
            if evaluate(inst, relaxed_start).strict_violations == 0:
                strict_hint = relaxed_start
    if strict_hint is None:
        # Still broken: does the pool admit the strict rules at all? A full search from
        # scratch either proves they cannot hold or finds teams that meet them.
        check = solve_lexicographic(
            inst,
            None,
            max(0.5, 0.5 * (deadline - time.perf_counter())),
            phase1_share=1.0,
            dtime=CHECK_SHARE * global_dtime,
            objective=False,
        )
        phases.append(check.phase1)
        if check.phase1.status == "INFEASIBLE":
            infeasible = True
        elif check.drafts is not None:
            strict_hint = [finalise(inst, d) for d in check.drafts]
    used = sum(ph.dtime for ph in phases)
    outcome: CpOutcome | None = None
    drafts: list[Draft] | None = None
    method = Method.CPSAT
    # Deterministic pools of NEIGHBOURHOOD_MIN_PEOPLE or more: re-solves instead of phase 2.
    resolves = params.deterministic and inst.n >= NEIGHBOURHOOD_MIN_PEOPLE
    if not infeasible:
        outcome = solve_lexicographic(
            inst,
            strict_hint,
            deadline - time.perf_counter(),
            phase1_share=PHASE1_SHARE,
            dtime=max(0.1 * global_dtime, global_dtime - used),
            between=polisher,
            phase2=not resolves,
        )
        drafts = outcome.drafts
        infeasible = outcome.phase1.status == "INFEASIBLE"
        if resolves and drafts is not None and outcome.spare_dtime > 0:
            # Exact re-solves of a few teams at a time; each step is kept only if it
            # improves (strict, elastic, objective), so this never makes the teams worse.
            drafts, _steps, nb_deterministic = neighbourhood_search(
                inst,
                [finalise(inst, d) for d in drafts],
                deadline - time.perf_counter() - 0.2,
                NEIGHBOURHOOD_BUDGET * outcome.spare_dtime,
                teams_per_step=NEIGHBOURHOOD_TEAMS,
                step_dtime=NEIGHBOURHOOD_STEP,
            )
            lns_deterministic &= nb_deterministic
    if drafts is None:
        # Strict rules infeasible (proven) or nothing found in time: name the cause,
        # then minimise all violations so the coordinator still gets teams.
        if infeasible:
            left = deadline - time.perf_counter()
            relaxations = diagnose(inst, max(0.5, DIAGNOSIS_SHARE * left))
        if outcome is not None:
            phases += [outcome.phase1]
        left = deadline - time.perf_counter()
        outcome = solve_lexicographic(
            inst,
            relaxed_start or start_drafts,
            max(0.5, left - POLISH_RESERVE * left),
            all_elastic=True,
            dtime=max(0.1 * global_dtime, 0.5 * (global_dtime - used)),
        )
        method = Method.CPSAT_ELASTIC
        drafts = outcome.drafts
        if drafts is None and relaxed_start is not None:
            drafts = relaxed_start
    if drafts is None:
        drafts, method = start_drafts, Method.CPSAT
    drafts = [finalise(inst, d) for d in drafts]
    if not polisher.done:
        # The polish runs between the phases of the strict model; on the other paths
        # (all-elastic, nothing found) it runs here, on the answer.
        drafts = polisher(drafts)
    if rank(evaluate(inst, drafts)) > rank(evaluate(inst, start_drafts)):
        drafts, method = start_drafts, Method.CPSAT  # the neighbourhood search was better
    if rank(evaluate(inst, drafts)) > rank(greedy_score):
        # Never worse than the instant answer (CP-SAT may stop before reaching it).
        drafts, method = greedy, Method.GREEDY
    return _result(
        inst,
        drafts,
        method,
        outcome if method != Method.GREEDY else None,
        start,
        infeasible=infeasible,
        relaxations=relaxations,
        deterministic=params.deterministic
        and lns_deterministic
        and not polisher.cut
        and all(ph.deterministic for ph in phases),
    )


def _result(
    inst: Instance,
    drafts: list[Draft],
    method: Method,
    outcome: CpOutcome | None,
    start: float,
    infeasible: bool = False,
    relaxations: list[Relaxation] | None = None,
    proven: bool = False,
    deterministic: bool | None = None,
) -> Result:
    drafts = [finalise(inst, d) for d in drafts]
    score = evaluate(inst, drafts)
    teams, per_person = to_teams(inst, drafts, score)
    relaxed = sorted({v.rule for v in score.violations if v.rule not in ELASTIC_RULES})
    bound = None
    optimal = False
    if deterministic is None:
        deterministic = inst.params.deterministic or method in (Method.GREEDY, Method.RANDOM)
    if outcome is not None:
        proven = outcome.elastic_proven
        phases = [outcome.phase1] + ([outcome.phase2] if outcome.phase2 else [])
        deterministic = deterministic and all(ph.deterministic for ph in phases)
        if outcome.phase2 is not None and outcome.phase2.bound is not None:
            bound = int(outcome.phase2.bound)
            optimal = outcome.phase2.status == "OPTIMAL"
    # The counting bound holds for every answer; CP-SAT's own is often weaker.
    counted = counting_bound(inst)
    bound = counted if bound is None else min(bound, counted)
    if infeasible:
        status = Status.INFEASIBLE
    elif score.strict_violations:
        status = Status.RELAXED
    elif optimal and method == Method.CPSAT:
        status = Status.OPTIMAL
    else:
        status = Status.FEASIBLE
    notes = list(inst.notes)
    notes.extend(
        Explanation(Code.RELAXATION, (int(r.value), *r.people), r.rule) for r in relaxations or ()
    )
    return Result(
        teams=teams,
        method=method,
        status=status,
        score=score,
        bound=bound,
        elastic_minimum_proven=proven and method in (Method.CPSAT, Method.CPSAT_BLOCKS),
        relaxed_rules=tuple(Rule(r) for r in relaxed),
        relaxations=tuple(relaxations or ()),
        person_explanations=per_person,
        notes=tuple(notes),
        waived={inst.people[i].id: r for i, r in inst.waived.items()},
        wall_time=time.perf_counter() - start,
        deterministic=deterministic,
    )
