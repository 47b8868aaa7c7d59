"""Decomposition for large pools: re-solve blocks of a whole-pool solution with CP-SAT.

What belongs here: large-neighbourhood search over a complete assignment. The monolithic
model grows as n^2/18 variables and stops scaling between 200 and 1000 people (research
note section 5), so pools above 1.5 x params.block_size are solved this way:

1. Start from the whole-pool greedy + local-search answer (strict-feasible as far as the
   pool allows, few elastic violations).
2. Cut its teams into blocks of about block_size people. Round 1 sorts teams by (slot,
   theme), so a block is homogeneous in availability and interest; each team in it already
   mirrors the pool's mix (balance, gender, women-only), so every block does too.
3. Each block is solved by the lexicographic CP-SAT model, hinted with its current teams
   (a complete, valid solution), within its share of the time. The block's answer
   replaces the old teams only when it is better on (strict, elastic, -objective) --
   measured with the whole pool's balance tolerance and waivers -- so no round can make
   the whole answer worse. When the objective polish follows (form_teams), only blocks
   holding a team that breaks a rule are re-solved, and only for the fewest violations
   (phase 1): the polish raises the objective far faster than block re-solves do.
4. Boundary repair: round 2 regroups the teams by (theme, slot), so teams that sat in
   different blocks meet, and the local search (local.py) then runs once more across the
   whole pool.

Blocks are independent and could run in parallel on more cores; here they run one after
another, each with params.num_workers CP-SAT workers.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from verbinding.matching.solver.cpsat import solve_lexicographic
from verbinding.matching.solver.evaluate import Draft, evaluate, finalise
from verbinding.matching.solver.instance import Instance, prepare
from verbinding.matching.solver.local import improve
from verbinding.matching.solver.model import Pool

ROUND_SHARES = (0.6, 0.4)  # of the block time: round 1 (slot, theme), round 2 (theme, slot)
# Block solves turn wall time into deterministic time about twice as fast as the short
# monolithic solve (which spends more of its time completing hints and setting up), so
# they get 1.6 times the deterministic budget per second: measured 0.6-0.75 vs 0.3-0.4 units
# per second under load (docs/algorithms/team-formation.md, "Determinism").
BLOCK_DTIME_RATIO = 1.6
STEP_OVERHEAD = 0.05  # deterministic time charged per step for the Python around it
# With the objective polish after them (form_teams), blocks get this share of the time
# limit and must leave POLISH_ROOM of the wall time: the polish raises the objective far
# faster than block re-solves (n = 1000: 3293 in 6 s from greedy's 2079; blocks 2365 in
# 32 s), so blocks are there for the rules.
BLOCK_SHARE = 0.45
POLISH_ROOM = 0.4
DETERMINISTIC_BLOCK = 54  # people per block in deterministic mode (about 6 teams)


@dataclass
class BlockInfo:
    blocks: int = 0  # block solves
    proven: int = 0  # blocks whose elastic minimum CP-SAT proved
    improved: int = 0  # blocks where CP-SAT replaced the teams
    deterministic: bool = True


def _sub_pool(inst: Instance, members: list[int]) -> Pool:
    ids = {inst.people[i].id for i in members}
    pool = inst.pool
    return Pool(
        participants=tuple(inst.people[i] for i in sorted(members)),
        acquaintances=frozenset(e for e in pool.acquaintances if e[0] in ids and e[1] in ids),
        pins=tuple(pin for pin in pool.pins if pin[0] in ids),
        forbidden_pairs=frozenset(e for e in pool.forbidden_pairs if e[0] in ids and e[1] in ids),
        keep_together=tuple(s for s in pool.keep_together if s <= ids),
    )


def sub_instance(
    inst: Instance, members: list[int], workers: int | None = None
) -> tuple[Instance, list[int]]:
    """The block as an Instance judged by the whole pool's standards; index map back."""
    params = inst.params if workers is None else replace(inst.params, num_workers=workers)
    sub = prepare(_sub_pool(inst, members), params)
    back = [inst.index[p.id] for p in sub.people]
    # A block must not widen (or narrow) the balance tolerance, and must count exactly
    # the people the whole pool counts: waivers come from the whole-pool pre-check.
    sub.balance_tolerance = inst.balance_tolerance
    sub.waived = {k: inst.waived[g] for k, g in enumerate(back) if g in inst.waived}
    sub.notes = []
    return sub, back


def _rank(inst: Instance, drafts: list[Draft]) -> tuple[int, int, int]:
    s = evaluate(inst, drafts)
    return s.strict_violations, s.elastic_violations, -s.objective


def group_teams(
    inst: Instance, drafts: list[Draft], round_no: int, size: int | None = None
) -> list[list[int]]:
    """Consecutive runs of teams (sorted by slot/theme) holding about `size` people."""
    if round_no == 0:
        key = lambda t: (drafts[t].slot or -1, drafts[t].theme or -1, t)  # noqa: E731
    else:
        key = lambda t: (drafts[t].theme or -1, drafts[t].slot or -1, -t)  # noqa: E731
    order = sorted(range(len(drafts)), key=key)
    size = size or inst.params.block_size
    count = max(1, round(sum(len(d.members) for d in drafts) / size))
    per = len(order) / count
    return [order[round(k * per) : round((k + 1) * per)] for k in range(count)]


def broken_teams(inst: Instance, drafts: list[Draft]) -> set[int]:
    """Teams that break a rule, including those holding a split keep-together set or a
    pin whose key is spread over teams (those violations name no team)."""
    team_of = {i: t for t, d in enumerate(drafts) for i in d.members}
    out: set[int] = set()
    for v in evaluate(inst, drafts).violations:
        if v.team is not None:
            out.add(v.team)
        elif v.person is not None:
            i = inst.index[v.person]
            for s in inst.keep_sets:
                if i in s:
                    out.update(team_of[j] for j in s if j in team_of)
        else:
            out.update(team_of[j] for j in inst.pin_key if j in team_of)
    return out


def solve_block(
    inst: Instance,
    drafts: list[Draft],
    teams: list[int],
    seconds: float,
    dtime: float,
    workers: int | None = None,
    objective: bool = True,
) -> tuple[list[Draft] | None, bool, bool, float]:
    """Re-solve the given teams: (better drafts or None, proven, deterministic, dtime used).

    objective=False: phase 1 only (fewest violations), with the whole budget.
    """
    members = [i for t in teams for i in drafts[t].members]
    sub, back = sub_instance(inst, members, workers)
    local = {g: k for k, g in enumerate(back)}
    hint = [
        finalise(sub, Draft([local[i] for i in drafts[t].members], women_only=drafts[t].women_only))
        for t in teams
    ]
    before = _rank(sub, hint)
    # A hint that breaks a strict rule is infeasible for the strict model; the all-elastic
    # model accepts it and minimises (strict, elastic) from there.
    res = solve_lexicographic(
        sub,
        hint,
        seconds,
        all_elastic=before[0] > 0,
        dtime=dtime,
        phase1_share=0.5 if objective else 1.0,
        objective=objective,
    )
    phases = [res.phase1] + ([res.phase2] if res.phase2 else [])
    deterministic = all(ph.deterministic for ph in phases)
    used = sum(ph.dtime for ph in phases)
    proven = res.elastic_proven and before[0] == 0
    if res.drafts is None:
        return None, proven, deterministic, used
    solved = [finalise(sub, d) for d in res.drafts]
    if _rank(sub, solved) >= before:
        return None, proven, deterministic, used
    out = [Draft([back[i] for i in d.members], d.slot, d.theme, d.women_only) for d in solved]
    return out, proven, deterministic, used


def solve_blocks(
    inst: Instance,
    start: list[Draft],
    seconds: float,
    polisher: Callable[[list[Draft]], list[Draft]] | None = None,
) -> tuple[list[Draft], BlockInfo]:
    """Improve a whole-pool answer block by block; never returns anything worse."""
    p = inst.params
    t0 = time.perf_counter()
    deadline = t0 + seconds
    drafts = [finalise(inst, d) for d in start if d.members]
    info = BlockInfo()
    # Keep a little for the final boundary local search. The deterministic budget comes
    # from the time limit only (never from elapsed time), so it is the same on every run.
    share = BLOCK_SHARE if polisher is not None else 0.8
    block_dtime = max(0.0, p.time_limit * share - 2.0) * p.dtime_per_second * BLOCK_DTIME_RATIO
    if polisher is not None:
        # The objective polish after the blocks needs its share of the wall time too.
        deadline = t0 + (1 - POLISH_ROOM) * seconds
    size, workers = p.block_size, None
    for round_no, share in enumerate(ROUND_SHARES):
        groups = group_teams(inst, drafts, round_no, size)
        broken = broken_teams(inst, drafts)
        for k, teams in enumerate(groups):
            if polisher is not None and broken.isdisjoint(teams):
                # The polish raises the objective far better than block re-solves do;
                # blocks are only for the rules, and this one breaks none.
                continue
            wall_left = deadline - time.perf_counter()
            if wall_left < 0.5 + 0.5 * (len(groups) - k):
                info.deterministic = False  # the wall clock, not the budget, cut blocks
                break
            # Deterministic share of the budget; the wall-clock share is the safety net.
            dtime = share * block_dtime / len(groups)
            # Deterministic runs stop on dtime; the wall share is only a net, so be generous.
            wall = wall_left - 0.5 if p.deterministic else 2 * wall_left / (len(groups) - k)
            wall = min(wall_left - 0.5, wall)
            better, proven, det, _used = solve_block(
                inst, drafts, teams, wall, dtime, workers, objective=polisher is None
            )
            info.blocks += 1
            info.proven += proven
            info.deterministic &= det
            if better is not None:
                info.improved += 1
                new = list(drafts)
                for t, d in zip(teams, better[: len(teams)], strict=False):
                    new[t] = d
                new.extend(better[len(teams) :])
                # Fewer teams than before: the left-over slots stay empty until the round
                # ends (the groups hold team indices).
                for t in teams[len(better) :]:
                    new[t] = Draft([])
                drafts = new
        drafts = [d for d in drafts if d.members]
        # Boundary repair across blocks: the local search sees the whole pool again.
        drafts = improve(inst, drafts, budget=10 * inst.n, seed=p.seed + round_no + 1)
    if polisher is not None:
        drafts = polisher(drafts)
    return drafts, info


def neighbourhood_search(
    inst: Instance,
    start: list[Draft],
    seconds: float,
    dtime: float,
    teams_per_step: int = 5,
    step_dtime: float | None = None,
) -> tuple[list[Draft], int, bool]:
    """Deterministic LNS for pools up to a few hundred: re-solve a few teams at a time.

    A step takes a team that breaks a rule plus the teams holding a same-background partner
    or a Dutch bridge for its members (then seeded random teams sharing its slot), about
    teams_per_step in all, and re-solves them exactly with one CP-SAT worker on a
    deterministic budget. Once no team breaks a rule, steps take seeded random groups to
    raise the objective. Steps are kept only when they improve, so the answer never gets
    worse, and the sequence depends on the seed only. Returns (drafts, steps, whether no
    wall-clock safety net cut a step).
    """
    p = inst.params
    rng = random.Random(p.seed)
    t0 = time.perf_counter()
    drafts = [finalise(inst, d) for d in start if d.members]
    used = 0.0
    steps = stale = 0
    deterministic = True
    if step_dtime is None:
        step_dtime = max(0.2, dtime / max(4, 2 * len(drafts)))
    tried: set[tuple[int, ...]] = set()
    while used < dtime and stale < 3 * len(drafts):
        if time.perf_counter() - t0 >= seconds - 0.2:
            deterministic = False  # the wall clock, not the budget, ended the search
            break
        score = evaluate(inst, drafts)
        broken = sorted({v.team for v in score.violations if v.team is not None})
        team_of = {i: t for t, d in enumerate(drafts) for i in d.members}
        group: list[int] = []
        fresh = [t for t in broken if (t,) not in tried]
        if fresh:
            t = fresh[0]
            tried.add((t,))
            group = [t]
            partners: list[int] = []
            for v in score.violations:
                if v.team != t or v.person is None:
                    continue
                i = inst.index[v.person]
                b = inst.people[i].background
                if b is not None:
                    partners += [
                        team_of[j]
                        for j in range(inst.n)
                        if inst.people[j].background == b and team_of[j] != t
                    ]
                partners += [team_of[j] for j in inst.bridges[i] if team_of[j] != t]
            for u in sorted(set(partners), key=lambda u: (drafts[u].slot != drafts[t].slot, u)):
                if len(group) >= teams_per_step:
                    break
                group.append(u)
        else:
            t = rng.randrange(len(drafts))
            group = [t]
        others = [u for u in range(len(drafts)) if u not in group]
        rng.shuffle(others)
        others.sort(key=lambda u: drafts[u].slot != drafts[group[0]].slot)
        group += others[: max(0, teams_per_step - len(group))]
        left = seconds - (time.perf_counter() - t0)
        better, _, det, spent = solve_block(inst, drafts, group, left, step_dtime, workers=1)
        # Python work around each solve (sub-pool, model build) costs wall time that the
        # solver's deterministic clock does not see: charge a fixed amount per step.
        used += spent + STEP_OVERHEAD
        deterministic &= det
        steps += 1
        if better is not None:
            new = list(drafts)
            for t, d in zip(group, better, strict=False):
                new[t] = d
            new.extend(better[len(group) :])
            for t in group[len(better) :]:
                new[t] = Draft([])
            drafts = [d for d in new if d.members]
            tried.clear()
            stale = 0
        else:
            stale += 1
    return drafts, steps, deterministic


__all__ = [
    "BlockInfo",
    "broken_teams",
    "group_teams",
    "neighbourhood_search",
    "solve_block",
    "solve_blocks",
    "sub_instance",
]
