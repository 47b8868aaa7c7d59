"""Benchmark the insights recompute against the product budget, with naive baselines.

Budget (issue 5): a synthetic initiative of 10,000 members and 1,000,000 check-ins
over three years recomputes every metric in < 10 s and < 2 GB; dashboard pages
render from stored snapshots in < 300 ms.

What this script does:
1. generates that initiative with a fixed seed: regulars, occasional visitors and
   one-timers with turnover; activities that lean towards newcomers, towards
   residents or are balanced; tandem, small-group and plenary formats; monthly big
   events (60–250 people, above the size cap); fixed-group projects; guest tallies;
   organiser teams that lean towards residents;
2. times every metric (wall clock) and its peak traced memory (tracemalloc), and
   reports the process's maximum RSS;
3. runs two naive baselines on subsamples next to the vectorised code on the same
   data, and checks that all give the same E-I, edges and durable ties:
   a pure-Python one (dict of pairs for the Newman projection and E-I), and the
   networkx one the issue names (bipartite `collaboration_weighted_projected_graph`,
   then per-pair Python loops for the weeks of co-presence, E-I and permutations);
4. the Django path end to end on SQLite: a fresh database with the demo seed
   (`seed_demo --seed 1`), then extract from the database + compute + store, per
   snapshot and for a whole initiative, and the time to load a stored snapshot.

Run: .venv/bin/python benchmarks/insights.py  (not a test; a few minutes)
     --skip-naive / --skip-django / --skip-full to leave parts out.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from verbinding.insights.metrics import PROJECT, REGULAR, UNKNOWN, Dataset, MetricParams
from verbinding.insights.metrics.durable import durable_metrics
from verbinding.insights.metrics.investment import investment_metrics
from verbinding.insights.metrics.mix import session_mix
from verbinding.insights.metrics.reach import monthly_reach
from verbinding.insights.metrics.retention import retention_metrics
from verbinding.insights.metrics.ties import bridging_metrics, build_tie_graph, tie_metrics

SEED = 20261125
N_PERSONS = 10_000
N_WEEKS = 156
TARGET_CHECKINS = 1_000_000
START_DAY = int(np.datetime64("2023-01-02", "D").astype(np.int64))  # a Monday
NEWCOMER, RESIDENT = 0, 1


def generate(seed: int = SEED) -> dict[str, np.ndarray]:
    """Raw inputs for Dataset.build (before de-duplication)."""
    rng = np.random.default_rng(seed)
    group = rng.choice([NEWCOMER, RESIDENT, UNKNOWN], size=N_PERSONS, p=[0.45, 0.40, 0.15])

    # Visitor types with turnover: arrival anywhere in the three years, stays geometric.
    kind = rng.choice(3, size=N_PERSONS, p=[0.2, 0.3, 0.5])  # regular, occasional, few
    arrival = rng.integers(0, N_WEEKS, size=N_PERSONS)
    mean_stay = np.array([70.0, 30.0, 3.0])[kind]
    stay = np.minimum(rng.exponential(mean_stay).astype(np.int64) + 1, N_WEEKS - arrival)
    rate = np.array([5.0, 1.6, 0.8])[kind]

    # Regular activities: lean (share of newcomers they attract) and format.
    n_act = 80
    lean = rng.choice([0.8, 0.5, 0.2], size=n_act, p=[0.3, 0.4, 0.3])
    fmt = rng.choice(3, size=n_act, p=[0.25, 0.55, 0.2])  # tandem, small group, plenary
    table_size = np.array([3, 10, 22])[fmt]
    slots = rng.integers(1, 4, size=n_act)
    slot_day = rng.integers(1, 7, size=(n_act, 3))  # Tue..Sun; projects run on Mondays
    hours = np.array([1.5, 2.0, 2.5])[fmt]

    # Each person has 1-3 favourite activities, chosen by how well the lean fits.
    pref = np.where(group[:, None] == NEWCOMER, lean[None, :], 1 - lean[None, :])
    pref = np.where(group[:, None] == UNKNOWN, 0.5, pref) ** 2
    pref = pref / pref.sum(axis=1, keepdims=True)
    n_fav = rng.integers(1, 4, size=N_PERSONS)
    fav = np.stack([rng.choice(n_act, size=3, replace=False, p=pref[i]) for i in range(N_PERSONS)])

    expected = (rate * stay).sum()
    # Calibrated once so that ~1 M check-ins remain after double check-ins are removed.
    scale = TARGET_CHECKINS * 1.235 / expected
    n_visits = rng.poisson(rate * stay * scale)
    person = np.repeat(np.arange(N_PERSONS), n_visits)
    week = arrival[person] + (rng.random(person.shape[0]) * stay[person]).astype(np.int64)
    act = fav[person, (rng.random(person.shape[0]) * n_fav[person]).astype(np.int64)]
    slot = (rng.random(person.shape[0]) * slots[act]).astype(np.int64)

    # Split each (activity, week, slot) crowd into tables of the format's size.
    crowd = (act * N_WEEKS + week) * 3 + slot
    order = np.lexsort((rng.random(person.shape[0]), crowd))
    person, act, week, slot, crowd = (x[order] for x in (person, act, week, slot, crowd))
    start = np.flatnonzero(np.diff(np.append(-1, crowd)) != 0)
    pos = np.arange(crowd.shape[0]) - np.repeat(start, np.diff(np.append(start, crowd.size)))
    table = pos // table_size[act]
    sess_key, sess_id = np.unique(crowd * 64 + table, return_inverse=True)
    s_crowd = sess_key // 64
    s_act = s_crowd // (N_WEEKS * 3)
    s_week = (s_crowd // 3) % N_WEEKS
    s_slot = s_crowd % 3
    sessions_day = [START_DAY + 7 * s_week + slot_day[s_act, s_slot]]
    sessions_act = [s_act]
    sessions_fmt = [fmt[s_act]]
    sessions_hours = [hours[s_act]]
    att_p, att_s = [person], [sess_id]
    n_sess = sess_key.shape[0]
    activity_kind = [np.full(n_act, REGULAR)]

    def active_at(w: int) -> np.ndarray:
        return np.flatnonzero((arrival <= w) & (arrival + stay > w))

    # Monthly big events (festival, neighbourhood dinner, ...): above the size cap.
    n_events = 4
    ev_act = n_act + np.arange(n_events)
    activity_kind.append(np.full(n_events, REGULAR))
    ev_days, ev_acts = [], []
    for w in range(2, N_WEEKS, 4):
        for e in range(n_events):
            if rng.random() < 0.5:
                continue
            pool = active_at(w)
            who = rng.choice(pool, size=min(pool.size, int(rng.integers(60, 251))), replace=False)
            att_p.append(who)
            att_s.append(np.full(who.shape[0], n_sess))
            ev_days.append(START_DAY + 7 * w + 5)
            ev_acts.append(ev_act[e])
            n_sess += 1
    sessions_day.append(np.array(ev_days))
    sessions_act.append(np.array(ev_acts))
    sessions_fmt.append(np.full(len(ev_days), 3))
    sessions_hours.append(np.full(len(ev_days), 4.0))

    # Projects: a fixed mixed group meeting weekly for 8-16 weeks; some members are
    # recruited for the project and start their visits with it.
    n_proj = 45
    pr_act = n_act + n_events + np.arange(n_proj)
    activity_kind.append(np.full(n_proj, PROJECT))
    pr_days, pr_acts = [], []
    for j in range(n_proj):
        w0 = int(rng.integers(0, N_WEEKS - 16))
        length = int(rng.integers(8, 17))
        pool = active_at(w0)
        members = rng.choice(pool, size=min(pool.size, int(rng.integers(8, 16))), replace=False)
        newbies = members[rng.random(members.shape[0]) < 0.4]
        arrival[newbies] = w0
        for w in range(w0, w0 + length):
            who = members[rng.random(members.shape[0]) < 0.85]
            att_p.append(who)
            att_s.append(np.full(who.shape[0], n_sess))
            pr_days.append(START_DAY + 7 * w)
            pr_acts.append(pr_act[j])
            n_sess += 1
    sessions_day.append(np.array(pr_days))
    sessions_act.append(np.array(pr_acts))
    sessions_fmt.append(np.full(len(pr_days), 1))
    sessions_hours.append(np.full(len(pr_days), 2.5))

    session_day = np.concatenate(sessions_day)
    guests = rng.poisson([0.3, 0.2, 0.15], size=(n_sess, 3))

    # Organiser teams lean towards residents (the dependency the report warns about).
    att_person = np.concatenate(att_p)
    att_session = np.concatenate(att_s)
    session_activity = np.concatenate(sessions_act)
    n_all_act = n_act + n_events + n_proj
    team_weight = np.where(group == RESIDENT, 2.0, 1.0) * (kind == 0)
    teams = [
        rng.choice(N_PERSONS, size=4, replace=False, p=team_weight / team_weight.sum())
        for _ in range(n_all_act)
    ]
    team = np.stack(teams)
    org_person = team[session_activity, rng.integers(0, 4, size=n_sess)]
    org_hours = np.concatenate(sessions_hours) + 0.5
    return {
        "person_group": group,
        "session_day": session_day,
        "session_activity": session_activity,
        "session_format": np.concatenate(sessions_fmt),
        "session_hours": np.concatenate(sessions_hours),
        "activity_kind": np.concatenate(activity_kind),
        "att_person": att_person,
        "att_session": att_session,
        "guests": guests,
        "org_person": org_person,
        "org_session": np.arange(n_sess),
        "org_hours": org_hours,
    }


def naive_ties(ds: Dataset, params: MetricParams, n_perm: int) -> dict[str, float]:
    """Pure-Python baseline: dict of pairs (Newman weight + week set), E-I, durable
    ties and a label-permutation percentile, the way one would first write it."""
    t0 = time.perf_counter()
    members: dict[int, list[int]] = {}
    for p, s in zip(ds.att_person.tolist(), ds.att_session.tolist(), strict=True):
        members.setdefault(s, []).append(p)
    headcount = ds.session_headcount.tolist()
    week_of = ds.session_week.tolist()
    weights: dict[tuple[int, int], float] = {}
    weeks: dict[tuple[int, int], set[int]] = {}
    for s, people in members.items():
        n = headcount[s]
        if n > params.size_cap or len(people) < 2:
            continue
        for pair in itertools.combinations(sorted(people), 2):
            weights[pair] = weights.get(pair, 0.0) + 1.0 / (n - 1)
            weeks.setdefault(pair, set()).add(week_of[s])
    n_durable = sum(
        1
        for ws in weeks.values()
        if len(ws) >= params.durable_min_weeks
        and max(ws) - min(ws) >= params.durable_min_span_weeks
    )
    t_projection = time.perf_counter() - t0

    group = ds.person_group.tolist()
    labelled = [(u, v, w) for (u, v), w in weights.items() if group[u] >= 0 and group[v] >= 0]

    def ei(lab: dict[int, int] | list[int]) -> float:
        ext = inn = 0.0
        for u, v, w in labelled:
            if lab[u] == lab[v]:
                inn += w
            else:
                ext += w
        return (ext - inn) / (ext + inn)

    observed = ei(group)
    nodes = sorted({u for u, _, _ in labelled} | {v for _, v, _ in labelled})
    rng = np.random.default_rng(0)
    below = 0.0
    for _ in range(n_perm):
        shuffled = rng.permutation([group[x] for x in nodes]).tolist()
        e = ei(dict(zip(nodes, shuffled, strict=True)))
        below += 1.0 if e < observed else 0.5 if e == observed else 0.0
    return {
        "ei": observed,
        "edges": len(weights),
        "durable": n_durable,
        "percentile": 100 * below / n_perm,
        "t_projection": t_projection,
        "t_total": time.perf_counter() - t0,
    }


def networkx_ties(ds: Dataset, params: MetricParams, n_perm: int) -> dict[str, float]:
    """The naive approach of the issue: networkx bipartite projection with Newman's
    collaboration weights, then per-pair Python loops for the weeks two people shared
    (durable ties), the E-I index and its label permutations.

    networkx divides by (registered attendees in the graph - 1), not by the headcount
    with walk-in guests, so compare it on data without guest tallies.
    """
    import networkx as nx
    from networkx.algorithms import bipartite

    t0 = time.perf_counter()
    eligible = (ds.session_headcount <= params.size_cap).tolist()
    week_of = ds.session_week.tolist()
    b = nx.Graph()
    persons = [("p", p) for p in sorted(set(ds.att_person.tolist()))]
    b.add_nodes_from(persons, bipartite=0)
    for p, s in zip(ds.att_person.tolist(), ds.att_session.tolist(), strict=True):
        if eligible[s]:
            b.add_edge(("p", p), ("s", s))
    g = bipartite.collaboration_weighted_projected_graph(b, persons)
    n_durable = 0
    for u, v in g.edges():
        weeks = {week_of[s] for _, s in set(b[u]) & set(b[v])}
        if (len(weeks) >= params.durable_min_weeks
                and max(weeks) - min(weeks) >= params.durable_min_span_weeks):
            n_durable += 1
    t_projection = time.perf_counter() - t0

    group = ds.person_group.tolist()
    labelled = [(u[1], v[1], d["weight"]) for u, v, d in g.edges(data=True)
                if group[u[1]] >= 0 and group[v[1]] >= 0]

    def ei(lab) -> float:
        ext = inn = 0.0
        for u, v, w in labelled:
            if lab[u] == lab[v]:
                inn += w
            else:
                ext += w
        return (ext - inn) / (ext + inn)

    observed = ei(group)
    nodes = sorted({u for u, _, _ in labelled} | {v for _, v, _ in labelled})
    rng = np.random.default_rng(0)
    below = 0.0
    for _ in range(n_perm):
        shuffled = rng.permutation([group[x] for x in nodes]).tolist()
        e = ei(dict(zip(nodes, shuffled, strict=True)))
        below += 1.0 if e < observed else 0.5 if e == observed else 0.0
    return {
        "ei": observed,
        "edges": g.number_of_edges(),
        "durable": n_durable,
        "percentile": 100 * below / n_perm,
        "t_projection": t_projection,
        "t_total": time.perf_counter() - t0,
    }


def subsample(raw: dict[str, np.ndarray], weeks: int, guests: bool = True) -> Dataset:
    """The first `weeks` weeks of the initiative (without guest tallies if not `guests`)."""
    keep_s = raw["session_day"] < START_DAY + 7 * weeks
    new_id = np.cumsum(keep_s) - 1
    keep_a = keep_s[raw["att_session"]]
    keep_o = keep_s[raw["org_session"]]
    return Dataset.build(
        person_group=raw["person_group"],
        session_day=raw["session_day"][keep_s],
        session_activity=raw["session_activity"][keep_s],
        session_format=raw["session_format"][keep_s],
        session_hours=raw["session_hours"][keep_s],
        activity_kind=raw["activity_kind"],
        att_person=raw["att_person"][keep_a],
        att_session=new_id[raw["att_session"][keep_a]],
        guests=raw["guests"][keep_s] * int(guests),
        org_person=raw["org_person"][keep_o],
        org_session=new_id[raw["org_session"][keep_o]],
        org_hours=raw["org_hours"][keep_o],
    )


def measure(name: str, fn, rows: list, trace: bool):
    if trace:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
    t0 = time.perf_counter()
    out = fn()
    dt = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] - base if trace else 0
    rows.append((name, dt, peak))
    return out


def run_all(raw: dict[str, np.ndarray], params: MetricParams, trace: bool):
    """Every metric once, in order; returns the per-step rows and the results."""
    rows: list[tuple[str, float, int]] = []
    if trace:
        tracemalloc.start()
    ds = measure(
        "build Dataset (validate, de-duplicate)", lambda: Dataset.build(**raw), rows, trace
    )
    res = {"ds": ds}
    res["reach"] = measure("reach per month by group", lambda: monthly_reach(ds), rows, trace)
    res["mix"] = measure(
        "session mix (overall, activity, format)", lambda: session_mix(ds, params), rows, trace
    )
    graph = measure(
        "tie graph (Newman projection, weeks)", lambda: build_tie_graph(ds, params), rows, trace
    )
    res["graph"] = graph
    res["ties"] = measure(
        f"E-I/r/IH x3 weightings + {params.n_permutations} permutations",
        lambda: tie_metrics(ds, params, graph),
        rows,
        trace,
    )
    res["dur"] = measure(
        "durable ties, persistence, projects",
        lambda: durable_metrics(ds, params, graph),
        rows,
        trace,
    )
    res["ret"] = measure(
        "retention cohorts, return, Kaplan-Meier",
        lambda: retention_metrics(ds, params),
        rows,
        trace,
    )
    res["inv"] = measure(
        "time invested, organiser ratio", lambda: investment_metrics(ds), rows, trace
    )
    if trace:
        tracemalloc.stop()
    return rows, res


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "n/a"


def full_recompute() -> dict[str, np.ndarray]:
    params = MetricParams()
    print(f"load average before: {loadavg()}")
    print(f"Generating synthetic initiative (seed {SEED}) ...", flush=True)
    t0 = time.perf_counter()
    raw = generate()
    print(f"  generated in {time.perf_counter() - t0:.1f} s")

    # Wall time from an untraced run (tracemalloc slows allocation-heavy code);
    # peak memory per step from a second, traced run of the same code.
    cpu0 = time.process_time()
    timed, res = run_all(raw, params, trace=False)
    cpu = time.process_time() - cpu0
    traced, _ = run_all(raw, params, trace=True)
    rows = [(n, dt, tr[2]) for (n, dt, _), tr in zip(timed, traced, strict=True)]
    total = sum(r[1] for r in rows)
    ds, graph, reach, mix = res["ds"], res["graph"], res["reach"], res["mix"]
    ties, dur, ret, inv = res["ties"], res["dur"], res["ret"], res["inv"]

    reg = ds.session_registered
    print(
        f"\nInitiative: {ds.n_persons:,} persons, {ds.n_attendances:,} check-ins "
        f"(after de-duplication), {ds.n_sessions:,} sessions, {ds.n_activities} activities, "
        f"{int((ds.session_headcount > params.size_cap).sum())} sessions above the size cap, "
        f"{int(reg.max())} max registered per session"
    )
    print(f"Tie graph: {graph.n_edges:,} edges from {graph.inc_pair.shape[0]:,} pair incidences")
    print(f"\n{'metric':52s} {'wall s':>8s} {'peak MB':>9s}  (peak: traced re-run)")
    for name, dt, peak in rows:
        print(f"{name:52s} {dt:8.2f} {peak / 2**20:9.1f}")
    print(f"{'TOTAL (every metric, sequential)':52s} {total:8.2f}")
    print(f"{'  of which CPU time of this process':52s} {cpu:8.2f}  (wall - CPU = waiting)")
    maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"max RSS of the whole process (incl. generator): {maxrss_mb:.0f} MB")
    budget_ok = total < 10 and maxrss_mb < 2048
    print(f"budget < 10 s and < 2 GB: {'met' if budget_ok else 'NOT MET'}")

    nm = ties.bridging["newman"]
    print("\nHeadline figures (sanity check of the synthetic data):")
    print(
        f"  persons per month (last month): {reach.persons_total[-1]:,}; "
        f"unknown label share {reach.unknown_share_persons[-1]:.2f}"
    )
    print(
        f"  sessions mixed {mix.overall.share_sessions_mixed:.2f}; "
        f"attendances in mixed sessions {mix.overall.share_attendances_in_mixed:.2f}"
    )
    print(
        f"  Newman E-I {nm.ei:+.3f} vs baseline {nm.ei_expected:+.3f} "
        f"(percentile {nm.ei_percentile:.1f}); r {nm.assortativity:+.3f}; "
        f"IH {tuple(round(x, 3) for x in nm.inbreeding_homophily)}"
    )
    print(
        f"  naive E-I {ties.bridging['naive'].ei:+.3f}; durable ties {dur.n_durable:,}, "
        f"cross-group share {dur.cross_share:.2f}; "
        f"share with >=1 durable cross tie {tuple(round(x, 2) for x in dur.share_with_cross_tie)}"
    )
    km = ret.by_first_kind
    print(
        f"  median weeks to dropout: first activity regular {km['regular'].survival.median:.1f}"
        f" (n={km['regular'].n_persons}), project {km['project'].survival.median:.1f}"
        f" (n={km['project'].n_persons}); return within 4 weeks "
        f"{ret.overall.return_share:.2f}"
    )
    print(
        f"  organiser representation ratio {tuple(round(x, 2) for x in inv.representation_ratio)};"
        f" project ties continued after the project {dur.projects.share_continued:.2f}"
    )

    return raw


def baselines(raw: dict[str, np.ndarray]) -> None:
    params = MetricParams()
    print(
        "\nNaive baselines next to the vectorised code on the same data (E-I of the Newman"
        "\nprojection, durable ties, label permutations); load average before: " + loadavg()
    )
    print(f"  {'data':44s} {'method':26s} {'projection s':>12s} {'total s':>9s} {'pctile':>7s}")
    runs = [
        # (weeks, permutations, guests, which naive methods)
        (13, 1000, False, ("python", "networkx")),
        (52, 1000, False, ("python", "networkx")),
        (52, 1000, True, ("python",)),
        (N_WEEKS, 100, True, ("python",)),
    ]
    for weeks, n_perm, guests, methods in runs:
        sub = subsample(raw, weeks, guests=guests)
        t0 = time.perf_counter()
        g_sub = build_tie_graph(sub, params)
        t_graph = time.perf_counter() - t0
        b = bridging_metrics(g_sub, sub.person_group, sub.n_groups, "newman", n_permutations=n_perm)
        t_vec = time.perf_counter() - t0
        label = (f"{weeks} wk, {sub.n_attendances:,} check-ins, {g_sub.n_edges:,} edges"
                 + ("" if guests else ", no guests"))
        print(f"  {label:44s} {'vectorised (numpy)':26s} {t_graph:12.2f} {t_vec:9.2f}"
              f" {b.ei_percentile:7.1f}")
        for method in methods:
            fn = naive_ties if method == "python" else networkx_ties
            nv = fn(sub, params, n_perm)
            same = (
                abs(b.ei - nv["ei"]) < 1e-9
                and g_sub.n_edges == nv["edges"]
                and int((g_sub.durable_week >= 0).sum()) == nv["durable"]
            )
            name = "pure Python dict of pairs" if method == "python" else "networkx + per-pair loops"
            print(f"  {'':44s} {name:26s} {nv['t_projection']:12.2f} {nv['t_total']:9.2f}"
                  f" {nv['percentile']:7.1f}  x{nv['t_total'] / t_vec:.0f} slower;"
                  f" same E-I/edges/durable: {same}")


def django_path() -> None:
    """Extract from SQLite + compute + store, on the demo seed, through the real code."""
    import io

    from django.core.management import call_command

    from verbinding.activities.models import Session
    from verbinding.attendance.models import CheckIn, GuestTally
    from verbinding.core.models import Initiative
    from verbinding.insights import selectors, services, snapshots
    from verbinding.insights.extract import extract
    from verbinding.people.models import Person

    print(f"\nDjango path on SQLite, demo seed; load average before: {loadavg()}")
    t0 = time.perf_counter()
    call_command("seed_demo", "--seed", "1", "--today", "2026-12-01", stdout=io.StringIO())
    print(f"  seed_demo --seed 1 (incl. its own recompute): {time.perf_counter() - t0:.1f} s")
    params = MetricParams()
    for ini in Initiative.objects.order_by("slug"):
        n_people = Person.objects.filter(initiative=ini).count()
        n_checkins = CheckIn.objects.filter(initiative=ini, person__isnull=False).count()
        n_sessions = Session.objects.filter(initiative=ini).count()
        n_guests = sum(GuestTally.objects.filter(initiative=ini).values_list("count", flat=True))
        print(f"  {ini.slug}: {n_people} members, {n_checkins:,} check-ins, {n_sessions:,} sessions,"
              f" {n_guests:,} walk-in guests")
        for kind, start in (("year", snapshots.period_start("year", snapshots.periods_with_data(
                ini, "year")[-1])), ("month", snapshots.periods_with_data(ini, "month")[-1])):
            end = snapshots.period_end(kind, start)
            best: dict[str, float] = {}
            for _ in range(5):
                t0 = time.perf_counter()
                ex = extract(ini, start, end)
                t1 = time.perf_counter()
                payload = snapshots.build_payload(ex, kind, start, end, params, {})
                t2 = time.perf_counter()
                snapshots.compute_snapshot(ini, kind, start, params)
                t3 = time.perf_counter()
                for key, value in (("extract", t1 - t0), ("compute", t2 - t1),
                                   ("all", t3 - t2)):
                    best[key] = min(best.get(key, 1e9), value)
            snapshots.split_session_detail(payload)
            size = len(json.dumps(payload)) / 1024
            print(f"    {kind} {start}: {ex.dataset.n_attendances:,} check-ins,"
                  f" {ex.dataset.n_persons} persons; extract {best['extract'] * 1000:.0f} ms,"
                  f" compute+payload {best['compute'] * 1000:.0f} ms, extract+compute+store"
                  f" {best['all'] * 1000:.0f} ms (best of 5); payload {size:.0f} KB")
        t0 = time.perf_counter()
        written = services.recompute_initiative(ini)
        total = time.perf_counter() - t0
        print(f"    whole initiative: {len(written)} snapshots (months, quarters, years) in"
              f" {total:.2f} s")
        loads = []
        for _ in range(50):
            t0 = time.perf_counter()
            snap = selectors.latest(ini, "year")
            _ = snap.payload["metrics"]["ties"]["bridging"]["newman"]["ei"]
            loads.append(time.perf_counter() - t0)
        print(f"    load the latest year snapshot (query + JSON decode): median"
              f" {np.median(loads) * 1000:.1f} ms, max {max(loads) * 1000:.1f} ms")


def django_large(raw: dict[str, np.ndarray]) -> None:
    """The synthetic 10k/1M initiative written into SQLite, then extracted, computed and
    stored through the real code: one year snapshot, and every period of the initiative."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from django.db import connection, transaction
    from django.utils import timezone

    from verbinding.activities.models import Activity, Format, Session
    from verbinding.attendance.models import CheckIn, GuestTally
    from verbinding.core.models import Initiative
    from verbinding.insights import services, snapshots
    from verbinding.insights.extract import extract
    from verbinding.people.models import Person, SelfDescription

    print(f"\nDjango path, synthetic initiative in SQLite; load average before: {loadavg()}")
    t0 = time.perf_counter()
    zone = ZoneInfo("Europe/Amsterdam")
    now = timezone.now()
    fmt_of = [Format.LANGUAGE_CAFE, Format.COOKING, Format.WORKSHOP, Format.FESTIVE]
    with transaction.atomic():
        ini = Initiative.objects.create(name="Synthetic", slug="synthetic", languages=["en"])
        people = Person.objects.bulk_create(
            [Person(initiative=ini, display_name=f"P{i}") for i in range(N_PERSONS)],
            batch_size=2000)
        person_pk = np.array([p.pk for p in people])
        groups = raw["person_group"]
        SelfDescription.objects.bulk_create(
            [SelfDescription(person_id=int(person_pk[i]), consented_at=now,
                             group="newcomer" if groups[i] == NEWCOMER else "local")
             for i in np.flatnonzero(groups >= 0)], batch_size=2000)
        n_act = raw["activity_kind"].shape[0]
        first_session = np.full(n_act, -1)
        first_session[raw["session_activity"][::-1]] = np.arange(raw["session_day"].shape[0])[::-1]
        first = dt.datetime(2023, 1, 2, 19, tzinfo=zone)
        acts = Activity.objects.bulk_create([
            Activity(initiative=ini, title={"en": f"Activity {a}"}, first_start=first,
                     kind=Activity.Kind.PROJECT if raw["activity_kind"][a] == PROJECT
                     else Activity.Kind.REGULAR,
                     format=fmt_of[int(raw["session_format"][first_session[a]])])
            for a in range(n_act)])
        act_pk = np.array([a.pk for a in acts])
        through = Activity.organisers.through
        teams = {(int(act_pk[raw["session_activity"][s]]), int(person_pk[p]))
                 for p, s in zip(raw["org_person"], raw["org_session"], strict=True)}
        through.objects.bulk_create([through(activity_id=a, person_id=p) for a, p in teams],
                                    batch_size=5000)
        epoch = dt.date(1970, 1, 1)
        starts = [dt.datetime.combine(epoch + dt.timedelta(days=int(d)), dt.time(19), tzinfo=zone)
                  for d in raw["session_day"]]
        sessions = Session.objects.bulk_create([
            Session(initiative=ini, activity_id=int(act_pk[a]), start=st,
                    end=st + dt.timedelta(hours=float(h)), status=Session.Status.HELD)
            for a, st, h in zip(raw["session_activity"], starts, raw["session_hours"], strict=True)
        ], batch_size=5000)
        session_pk = np.array([x.pk for x in sessions])
        n_p = N_PERSONS
        key = np.unique(raw["att_session"].astype(np.int64) * n_p + raw["att_person"])
        att_s, att_p = key // n_p, key % n_p
        for lo in range(0, key.shape[0], 100_000):
            CheckIn.objects.bulk_create([
                CheckIn(initiative=ini, session_id=int(session_pk[s]), person_id=int(person_pk[p]),
                        at=starts[s])
                for s, p in zip(att_s[lo:lo + 100_000], att_p[lo:lo + 100_000], strict=True)
            ], batch_size=5000)
        cols = ["newcomer", "local", "unspecified"]
        s_idx, c_idx = np.nonzero(raw["guests"])
        GuestTally.objects.bulk_create([
            GuestTally(initiative=ini, session_id=int(session_pk[s]), group=cols[c],
                       count=int(raw["guests"][s, c]), at=starts[s])
            for s, c in zip(s_idx, c_idx, strict=True)], batch_size=5000)
    print(f"  written in {time.perf_counter() - t0:.0f} s: {N_PERSONS:,} persons,"
          f" {key.shape[0]:,} check-ins, {len(sessions):,} sessions, {len(acts)} activities,"
          f" {int(raw['guests'].sum()):,} guest tallies")
    params = MetricParams()
    for kind, start in (("year", dt.date(2024, 1, 1)), ("quarter", dt.date(2024, 4, 1)),
                        ("month", dt.date(2024, 5, 1))):
        end = snapshots.period_end(kind, start)
        t0 = time.perf_counter()
        ex = extract(ini, start, end)
        t1 = time.perf_counter()
        payload = snapshots.build_payload(ex, kind, start, end, params, {})
        t2 = time.perf_counter()
        snapshots.compute_snapshot(ini, kind, start, params)
        t3 = time.perf_counter()
        detail = snapshots.split_session_detail(payload)
        size, size_detail = len(json.dumps(payload)) / 2**20, len(json.dumps(detail)) / 2**20
        print(f"    {kind} {start}: {ex.dataset.n_attendances:,} check-ins; extract"
              f" {t1 - t0:.2f} s, compute+payload {t2 - t1:.2f} s, extract+compute+store"
              f" {t3 - t2:.2f} s; payload {size:.2f} MB (+ per-session detail"
              f" {size_detail:.1f} MB, stored apart)")
        from verbinding.insights import selectors

        loads = []
        for _ in range(5):
            t0 = time.perf_counter()
            snap = selectors.for_period(ini, kind, start)
            _ = snap.payload["counts"]["persons"]
            loads.append(time.perf_counter() - t0)
        print(f"      load it back (query + JSON decode): median {np.median(loads) * 1000:.0f} ms"
              f" of 5")
    t0 = time.perf_counter()
    written = services.recompute_initiative(ini)
    print(f"  whole initiative (nightly job): {len(written)} snapshots in"
          f" {time.perf_counter() - t0:.1f} s; max RSS now"
          f" {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-full", action="store_true", help="no 10k/1M full recompute")
    parser.add_argument("--skip-naive", action="store_true", help="no naive baselines")
    parser.add_argument("--skip-django", action="store_true", help="no Django/SQLite path")
    parser.add_argument("--skip-django-large", action="store_true",
                        help="no Django/SQLite path for the synthetic 10k/1M initiative")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; load average at start: {loadavg()}")
    raw = full_recompute() if not args.skip_full else None
    if not args.skip_naive:
        raw = raw if raw is not None else generate()
        baselines(raw)
    if args.skip_django and args.skip_django_large:
        return
    tmp = tempfile.mkdtemp(prefix="bench-insights-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/db.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verbinding.config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    print(f"\nSQLite database in {tmp}")
    if not args.skip_django:
        django_path()
    if not args.skip_django_large:
        django_large(raw if raw is not None else generate())


if __name__ == "__main__":
    main()
