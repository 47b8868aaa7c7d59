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
from verbinding.matching.solver.cpsat import CpOutcome, solve_lexicographic
from verbinding.matching.solver.diagnose import diagnose
from verbinding.matching.solver.evaluate import Draft, evaluate, finalise, to_teams
from verbinding.matching.solver.greedy import greedy_teams, random_teams
from verbinding.matching.solver.instance import Instance, prepare
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
LNS_SHARE = 0.0  # deterministic mode: share of the budget for the team-by-team search


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
        drafts, info = solve_blocks(inst, greedy, deadline - time.perf_counter())
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
            deterministic=params.deterministic and info.deterministic,
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
    left = deadline - time.perf_counter()
    # Deterministic LNS needs a hint the model accepts: when greedy breaks a strict rule,
    # start with the all-elastic model (where the hint is valid) and minimise from there.
    elastic_first = params.deterministic and evaluate(inst, start_drafts).strict_violations > 0
    outcome = solve_lexicographic(
        inst, start_drafts, left, all_elastic=elastic_first, dtime=global_dtime
    )
    relaxations: list[Relaxation] = []
    method = Method.CPSAT_ELASTIC if elastic_first else Method.CPSAT
    drafts = outcome.drafts
    infeasible = outcome.phase1.status == "INFEASIBLE"
    if drafts is None:
        # Strict rules infeasible (proven) or nothing found in time: name the cause,
        # then minimise all violations so the coordinator still gets teams.
        if infeasible:
            left = deadline - time.perf_counter()
            relaxations = diagnose(inst, max(0.5, DIAGNOSIS_SHARE * left))
        left = deadline - time.perf_counter()
        outcome = solve_lexicographic(
            inst, start_drafts, max(0.5, left), all_elastic=True, dtime=0.5 * global_dtime
        )
        method = Method.CPSAT_ELASTIC
        drafts = outcome.drafts
    if elastic_first and drafts is not None:
        drafts = [finalise(inst, d) for d in drafts]
        if evaluate(inst, drafts).strict_violations == 0:
            method = Method.CPSAT  # all strict rules met: phase 1 minimised elastic ones
        else:
            # Still broken: ask the strict model whether the pool admits the rules at all,
            # and if it proves they cannot hold, name the rule and the relaxations.
            left = deadline - time.perf_counter()
            check = solve_lexicographic(
                inst, None, max(0.5, 0.5 * left), phase1_share=1.0, dtime=0.2 * total_dtime
            )
            if check.phase1.status == "INFEASIBLE":
                infeasible = True
                left = deadline - time.perf_counter()
                relaxations = diagnose(inst, max(0.5, DIAGNOSIS_SHARE * left))
            elif check.drafts is not None:
                found = [finalise(inst, d) for d in check.drafts]
                if rank(evaluate(inst, found)) < rank(evaluate(inst, drafts)):
                    drafts, outcome, method = found, check, Method.CPSAT
    if drafts is None:
        drafts, method = start_drafts, Method.CPSAT
    drafts = [finalise(inst, d) for d in drafts]
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
        deterministic=params.deterministic and lns_deterministic,
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
