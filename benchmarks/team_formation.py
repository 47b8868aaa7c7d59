"""Benchmark: random vs greedy vs CP-SAT team formation, and the talent exchange matcher.

A script, not a test. It builds deterministic synthetic pools (sizes from the research
note, fixed seeds), runs the three team methods side by side in one run and prints a
Markdown table: strict and elastic rule violations, objective, CP-SAT bound and gap, and
wall time; then the exchange matcher against its bounds: the LP bound of the <= 3-cycle
formulation (computed by the solver, by column generation), the upper bound it reports
and the unbounded cycle cover (an assignment problem, the issue's reference).

    .venv/bin/python benchmarks/team_formation.py                 # full run (about 10 minutes)
    .venv/bin/python benchmarks/team_formation.py --sizes 60 200 --seeds 0
    .venv/bin/python benchmarks/team_formation.py --modes det      # deterministic (default) only
    .venv/bin/python benchmarks/team_formation.py --no-teams       # the exchange only
    .venv/bin/python benchmarks/team_formation.py --no-teams --exchange 1000 --exchange-seeds 0 1 2
    .venv/bin/python benchmarks/team_formation.py --no-teams --sparse  # also 1000 at 3 subjects

"cpsat (det)" is form_teams with the default deterministic=True (same seed, same teams);
"cpsat (free)" is deterministic=False (free-running parallel workers on the wall clock).

Results and their reading: docs/algorithms/team-formation.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from verbinding.matching.solver.exchange import ExchangeParameters, match_exchange
from verbinding.matching.solver.model import Method, Parameters
from verbinding.matching.solver.synthetic import (
    LANGUAGE_SUBJECTS,
    make_market,
    make_pool,
)
from verbinding.matching.solver.teams import baseline, form_teams

LIMITS = {60: 10.0, 200: 10.0, 1000: 60.0, 5000: 120.0}
EXCHANGE_LIMITS = {200: 10.0, 1000: 10.0, 2000: 60.0}
# Subjects each member offers and wants (at most; synthetic.make_market). Partners per
# person grow with n at a fixed count: 3 gives about 72 at n = 1000 and 145 at 2000.
# The 1000-person target is for "about 100 possible partners each", which 4 gives
# (102-109); --sparse adds the 3-subject market of 1000 as well, for comparison.
EXCHANGE_SUBJECTS = {1000: 4}


def team_rows(n: int, seed: int, limit: float, modes: list[str]) -> list[list[str]]:
    pool = make_pool(n, seed)
    params = Parameters(time_limit=limit, seed=seed)
    rows = []
    runs: list[tuple[Method | None, str]] = [(Method.RANDOM, ""), (Method.GREEDY, "")]
    runs += [(None, mode) for mode in modes]
    for method, mode in runs:
        start = time.perf_counter()
        if method is None:
            result = form_teams(pool, replace(params, deterministic=mode == "det"))
        else:
            result = baseline(pool, params, method)
        wall = time.perf_counter() - start
        s = result.score
        gap = ""
        if result.bound:
            gap = f"{result.bound} ({100 * (result.bound - s.objective) / result.bound:.0f} %)"
        rows.append(
            [
                str(n),
                str(seed),
                f"cpsat ({mode})" if method is None else method.value,
                f"{limit:g}" if method is None else "-",
                f"{wall:.1f}",
                str(s.strict_violations),
                str(s.elastic_violations),
                str(len(result.waived)),
                str(s.objective),
                f"{s.interest}/{s.acquainted}/{s.talents}",
                gap or "-",
                ("yes" if result.elastic_minimum_proven else "no") if method is None else "-",
                f"{result.method.value}, {result.status.value}"
                + (", same-seed repeatable" if result.deterministic else "")
                if method is None
                else "-",
            ]
        )
    return rows


def cycle_lp_bound(n: int, seed: int) -> tuple[float | None, int, float]:
    """LP relaxation of the cycle formulation over *every* 2- and 3-cycle at once (GLOP).

    An offline cross-check of the bound the solver computes by column generation
    (ExchangeResult.lp_bound): the two must agree. It lists every cycle (hundreds of
    thousands at n = 1000, 1.8 M at n = 2000) and takes minutes there. Returns (bound,
    cycles, s)."""
    from ortools.linear_solver import pywraplp

    from verbinding.matching.solver import exchange_lp
    from verbinding.matching.solver.exchange import Graph, short_cycle_arcs

    start = time.perf_counter()
    market = make_market(n, seed, subjects_per_side=EXCHANGE_SUBJECTS.get(n, 3))
    members = tuple(sorted(market, key=lambda m: m.id))
    g = Graph(members, ExchangeParameters(language_subjects=LANGUAGE_SUBJECTS))
    cycles = exchange_lp.short_cycles(exchange_lp.adjacency(short_cycle_arcs(g)))
    lp = pywraplp.Solver.CreateSolver("GLOP")
    rows = [lp.Constraint(-lp.infinity(), 1) for _ in range(n)]
    objective = lp.Objective()
    for cycle in cycles.tolist():
        y = lp.NumVar(0, lp.infinity(), "")
        people = [v for v in cycle if v < n]
        objective.SetCoefficient(y, len(people))
        for v in people:
            rows[v].SetCoefficient(y, 1)
    objective.SetMaximization()
    if lp.Solve() != pywraplp.Solver.OPTIMAL:
        return None, len(cycles), time.perf_counter() - start
    return objective.Value(), len(cycles), time.perf_counter() - start


def share(matched: int, bound: float | None) -> str:
    return "-" if not bound else f"{100 * matched / bound:.1f} %"


def exchange_row(n: int, seed: int, limit: float, subjects: int) -> list[str]:
    members = make_market(n, seed, subjects_per_side=subjects)
    params = ExchangeParameters(language_subjects=LANGUAGE_SUBJECTS, time_limit=limit, seed=seed)
    load = os.getloadavg()[0]
    r = match_exchange(members, params)
    return [
        str(n),
        str(seed),
        f"{load:.1f}",
        str(subjects),
        f"{r.arcs / max(1, n):.0f}",
        str(r.enumerated_cycles),
        r.method.value,
        f"{limit:g}",
        f"{r.wall_time:.1f}",
        str(r.matched),
        "-" if r.lp_bound is None else f"{r.lp_bound:.1f}",
        share(r.matched, r.lp_bound),
        str(r.upper_bound),
        str(r.cover_bound),
        share(r.matched, r.cover_bound),
        "yes" if r.proven_optimal else "no",
        str(r.cross_group_lessons),
    ]


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="*", default=[60, 200, 1000, 5000])
    ap.add_argument("--seeds", type=int, nargs="*", default=[0, 1, 2])
    ap.add_argument("--large-seeds", type=int, nargs="*", default=[0])
    ap.add_argument("--exchange", type=int, nargs="*", default=[200, 1000, 2000])
    ap.add_argument("--exchange-seeds", type=int, nargs="*", default=[0])
    ap.add_argument("--lp-bound", type=int, nargs="*", default=[])
    ap.add_argument("--modes", nargs="*", default=["det", "free"], choices=["det", "free"])
    ap.add_argument("--no-teams", action="store_true", help="only the exchange part")
    ap.add_argument(
        "--sparse", action="store_true", help="also the 3-subject markets (fewer partners)"
    )
    args = ap.parse_args()
    print(f"# verbinding team benchmark ({platform.python_version()}, {os.cpu_count()} cores)")
    print(f"load average at start: {os.getloadavg()}")
    if not args.no_teams:
        teams(args)
    if args.exchange or args.lp_bound:
        exchange(args)


def teams(args: argparse.Namespace) -> None:
    rows = []
    for n in args.sizes:
        seeds = args.seeds if n <= 200 else args.large_seeds
        for seed in seeds:
            rows.extend(team_rows(n, seed, LIMITS.get(n, 60.0), args.modes))
            print(f"  done n={n} seed={seed} load={os.getloadavg()}", file=sys.stderr, flush=True)
    print()
    print(
        table(
            [
                "n",
                "seed",
                "method",
                "limit s",
                "wall s",
                "strict viol.",
                "elastic viol.",
                "waived",
                "objective",
                "interest/acq./talents",
                "bound (gap)",
                "elastic min proven",
                "outcome",
            ],
            rows,
        )
    )
    print(flush=True)
    print(f"load average after teams: {os.getloadavg()}")


def exchange(args: argparse.Namespace) -> None:
    header = [
        "n",
        "seed",
        "load before",
        "subjects per side",
        "partners/person",
        "cycles listed",
        "method",
        "limit s",
        "wall s",
        "matched",
        "LP bound",
        "share of it",
        "upper bound",
        "unbounded cover bound",
        "share of it",
        "proven optimal",
        "cross-group lessons",
    ]
    rows = []
    markets = [(n, EXCHANGE_SUBJECTS.get(n, 3)) for n in args.exchange]
    if args.sparse:
        markets += [(n, 3) for n in args.exchange if EXCHANGE_SUBJECTS.get(n, 3) != 3]
    for n, subjects in markets:
        for seed in args.exchange_seeds:
            rows.append(exchange_row(n, seed, EXCHANGE_LIMITS.get(n, 60.0), subjects))
            print(f"  done exchange n={n} seed={seed}", file=sys.stderr, flush=True)
    if rows:
        print()
        print(table(header, rows), flush=True)
    # Offline reference: the cycle formulation's LP over every cycle, to check lp_bound.
    for n in args.lp_bound:
        bound, count, secs = cycle_lp_bound(n, 0)
        shown = "-" if bound is None else f"{bound:.1f}"
        print(f"cycle-formulation LP over every cycle, n={n}: {shown} ({count} cycles, {secs:.0f} s)")


if __name__ == "__main__":
    main()
