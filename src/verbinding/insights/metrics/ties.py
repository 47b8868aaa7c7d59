"""Co-attendance ties and bridging vs bonding: projection, E-I, assortativity, homophily.

What belongs here: turning the person-session incidence into a weighted person
graph (research note §2.3) and the whole-network bridging measures of §2.4:

* Newman weight  w_uv = Σ_k δ_u^k δ_v^k / (n_k − 1)   (formula sheet, Appendix A);
  the naive count Σ_k δ_u^k δ_v^k is kept next to it for comparison;
* sessions with headcount n_k > ``size_cap`` (default 25) form no ties at all, but
  stay in reach and composition metrics;
* E-I index EI = (E − I)/(E + I), overall and per group, with the random-mixing
  baseline EI_exp = 2 p_ext − 1, p_ext = 1 − Σ_g n_g(n_g − 1)/(N(N − 1)), and a
  seeded label-permutation percentile;
* weighted attribute assortativity r = (Σ e_ii − Σ a_i b_i)/(1 − Σ a_i b_i);
* inbreeding homophily IH_g = (H_g − w_g)/(1 − w_g), H_g = s_g/(s_g + d_g), w_g = n_g/N.

Why computed by hand: networkx's attribute assortativity ignores edge weights (the
research note verified −0.167 for both projections of its worked example), and a
dict-of-pairs projection does not fit the 10-second budget at 1 M check-ins.

n_k is the session *headcount* (registered persons plus anonymous guests): an
attendee spreads a fixed attention budget over everyone present, registered or not.
Only registered persons get ties; edges touching a person without a group label
are left out of E-I, r and IH (and their share is reported, §2.8 pitfall 4).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .data import Dataset, MetricParams

WEIGHTINGS = ("newman", "naive", "binary")


@dataclass(frozen=True, eq=False)
class TieGraph:
    """The co-attendance graph (u < v), with the per-pair history durable ties need.

    Pair-level arrays have one row per unordered pair that shared a tie-eligible
    session. ``pw_*`` arrays have one row per distinct (pair, week), sorted by pair
    then week; ``inc_*`` arrays one row per (pair, session) incidence, sorted by pair.
    """

    n_persons: int
    u: np.ndarray
    v: np.ndarray
    w_newman: np.ndarray  # Σ 1/(n_k − 1)
    w_naive: np.ndarray  # number of shared sessions
    n_weeks: np.ndarray  # distinct weeks of co-presence
    first_week: np.ndarray
    durable_week: np.ndarray  # week the pair first met the durable rule, -1 if never
    last_day: np.ndarray  # last day of co-presence
    pw_pair: np.ndarray
    pw_week: np.ndarray
    inc_pair: np.ndarray
    inc_session: np.ndarray
    n_eligible_sessions: int

    @property
    def n_edges(self) -> int:
        return int(self.u.shape[0])

    def weights(self, weighting: str) -> np.ndarray:
        if weighting == "newman":
            return self.w_newman
        if weighting == "naive":
            return self.w_naive.astype(np.float64)
        if weighting == "binary":
            return np.ones(self.n_edges)
        raise ValueError(f"unknown weighting {weighting!r}; use one of {WEIGHTINGS}")


def _pair_incidences(ds: Dataset, params: MetricParams) -> tuple[np.ndarray, ...]:
    """All (u, v, session) with u < v co-present in a tie-eligible session.

    Vectorised per session size: attendance is sorted by (session, person), so the
    attendees of all sessions with m registered persons form an (S_m, m) matrix and
    its upper-triangle columns are the pairs. At most ``size_cap`` - 1 sizes exist.
    """
    reg = np.asarray(ds.session_registered)
    eligible = (reg >= 2) & (np.asarray(ds.session_headcount) <= params.size_cap)
    starts = np.concatenate([[0], np.cumsum(reg)[:-1]]).astype(np.int64)
    us, vs, ss = [], [], []
    person = np.asarray(ds.att_person)
    for m in np.unique(reg[eligible]).tolist():
        sess = np.flatnonzero(eligible & (reg == m))
        members = person[starts[sess][:, None] + np.arange(m)]
        ii, jj = np.triu_indices(m, 1)
        us.append(members[:, ii].ravel())
        vs.append(members[:, jj].ravel())
        ss.append(np.repeat(sess.astype(np.int32), ii.shape[0]))
    if not us:
        e = np.zeros(0, dtype=np.int32)
        return e, e, e, int(eligible.sum())
    return np.concatenate(us), np.concatenate(vs), np.concatenate(ss), int(eligible.sum())


def build_tie_graph(ds: Dataset, params: MetricParams | None = None) -> TieGraph:
    """Newman-weighted co-attendance graph with durability bookkeeping (§2.3, §2.5)."""
    params = params or MetricParams()
    u, v, s, n_eligible = _pair_incidences(ds, params)
    n_p = max(ds.n_persons, 1)
    week0 = int(ds.session_week.min()) if ds.n_sessions else 0
    n_weeks_total = int(ds.session_week.max()) - week0 + 1 if ds.n_sessions else 1
    week = np.asarray(ds.session_week)[s] - week0
    pair_key = u.astype(np.int64) * n_p + v
    # One sort by (pair, week) serves everything below: pair boundaries for the
    # weights, (pair, week) boundaries for durability.
    order = np.argsort(pair_key * n_weeks_total + week, kind="stable")
    pair_key = pair_key[order]
    week = week[order]
    s = s[order]
    n_inc = pair_key.shape[0]

    new_pair = np.ones(n_inc, dtype=bool)
    new_pair[1:] = pair_key[1:] != pair_key[:-1]
    pair_start = np.flatnonzero(new_pair)
    inc_pair = np.cumsum(new_pair) - 1
    n_pairs = pair_start.shape[0]

    denom = np.asarray(ds.session_headcount)[s] - 1
    w_newman = (
        np.add.reduceat(1.0 / denom, pair_start) if n_pairs else np.zeros(0, dtype=np.float64)
    )
    w_naive = np.diff(np.append(pair_start, n_inc))
    day = np.asarray(ds.session_day)[s]
    last_day = np.maximum.reduceat(day, pair_start) if n_pairs else np.zeros(0, np.int64)

    new_pw = new_pair.copy()
    new_pw[1:] |= week[1:] != week[:-1]
    pw_rows = np.flatnonzero(new_pw)
    pw_pair = inc_pair[pw_rows]
    pw_week = week[pw_rows]
    pw_pair_start = np.flatnonzero(np.diff(np.append(-1, pw_pair)) != 0)
    n_weeks = np.diff(np.append(pw_pair_start, pw_rows.shape[0]))
    first_week = pw_week[pw_pair_start] if n_pairs else np.zeros(0, np.int64)
    # Durable once the r-th distinct week both reaches the count and the span rule;
    # weeks are sorted within a pair, so both conditions are monotone along the rows.
    rank = np.arange(pw_rows.shape[0]) - np.repeat(pw_pair_start, n_weeks)
    span = pw_week - np.repeat(first_week, n_weeks)
    ok = (rank + 1 >= params.durable_min_weeks) & (span >= params.durable_min_span_weeks)
    never = np.iinfo(np.int64).max
    if n_pairs:
        durable_week = np.minimum.reduceat(np.where(ok, pw_week, never), pw_pair_start)
        durable_week = np.where(durable_week == never, -1, durable_week + week0)
    else:
        durable_week = np.zeros(0, np.int64)

    return TieGraph(
        n_persons=ds.n_persons,
        u=(pair_key[pair_start] // n_p).astype(np.int32),
        v=(pair_key[pair_start] % n_p).astype(np.int32),
        w_newman=w_newman,
        w_naive=w_naive.astype(np.int64),
        n_weeks=n_weeks.astype(np.int64),
        first_week=first_week + week0,
        durable_week=durable_week,
        last_day=last_day,
        pw_pair=pw_pair.astype(np.int32),
        pw_week=pw_week + week0,
        inc_pair=inc_pair.astype(np.int32),
        inc_session=s.astype(np.int32),
        n_eligible_sessions=n_eligible,
    )


@dataclass(frozen=True)
class BridgingMetrics:
    """Bridging vs bonding for one weighting of the tie graph (§2.4).

    Tuples are indexed by group. NaN marks a value that is undefined for the data
    (e.g. no labelled edges, or only one group present).
    """

    weighting: str
    n_nodes: int  # persons with >= 1 tie
    n_labelled: int  # labelled persons with >= 1 tie to another labelled person
    n_by_group: tuple[int, ...]
    unknown_share: float  # share of nodes without a group label
    n_edges: int  # labelled-labelled edges
    total_weight: float
    ei: float
    ei_expected: float
    ei_delta: float
    ei_percentile: float  # percentile of observed EI among label permutations
    n_permutations: int
    ei_by_group: tuple[float, ...]
    ei_expected_by_group: tuple[float, ...]
    assortativity: float
    homophily_h: tuple[float, ...]  # H_g
    homophily_w: tuple[float, ...]  # w_g
    inbreeding_homophily: tuple[float, ...]  # IH_g


def _nan_div(a: float, b: float) -> float:
    return float(a / b) if b else float("nan")


def bridging_metrics(
    graph: TieGraph,
    person_group: np.ndarray,
    n_groups: int,
    weighting: str = "newman",
    n_permutations: int = 0,
    seed: int = 0,
) -> BridgingMetrics:
    """E-I (with baseline and permutation percentile), r and IH_g for one weighting."""
    w_all = graph.weights(weighting)
    gu_all = np.asarray(person_group)[graph.u].astype(np.int64)
    gv_all = np.asarray(person_group)[graph.v].astype(np.int64)
    nodes = np.unique(np.concatenate([graph.u, graph.v]))
    n_nodes = int(nodes.shape[0])
    n_unknown = int((np.asarray(person_group)[nodes] < 0).sum())

    lab = (gu_all >= 0) & (gv_all >= 0)
    u, v, w = graph.u[lab], graph.v[lab], w_all[lab]
    gu, gv = gu_all[lab], gv_all[lab]
    lab_nodes = np.unique(np.concatenate([u, v]))
    node_group = np.asarray(person_group)[lab_nodes].astype(np.int64)
    n_g = np.bincount(node_group, minlength=n_groups)
    big_n = int(lab_nodes.shape[0])

    mix = np.bincount(gu * n_groups + gv, weights=w, minlength=n_groups * n_groups)
    mix = mix.reshape(n_groups, n_groups)
    mix = mix + mix.T  # each undirected edge counted from both ends
    total = float(w.sum())
    internal = float(np.trace(mix)) / 2.0
    external = total - internal
    ei = _nan_div(external - internal, total)

    if big_n >= 2:
        p_ext = 1.0 - float((n_g * (n_g - 1)).sum()) / (big_n * (big_n - 1))
        ei_exp = 2.0 * p_ext - 1.0
        # A group absent from the network has no members whose ties could be mixed.
        ei_exp_g = tuple(
            float(2.0 * (big_n - k) / (big_n - 1) - 1.0) if k else float("nan") for k in n_g
        )
    else:
        ei_exp = float("nan")
        ei_exp_g = tuple(float("nan") for _ in n_g)

    # Per group from the members' side: internal ties count at both ends, so that
    # EI_g = 1 − 2 H_g, consistent with the homophily index below.
    row = mix.sum(axis=1)
    ei_g = tuple(_nan_div(row[g] - 2 * mix[g, g], row[g]) for g in range(n_groups))
    h_g = tuple(_nan_div(mix[g, g], row[g]) for g in range(n_groups))
    w_g = tuple(_nan_div(float(k), big_n) for k in n_g)
    ih_g = tuple(
        float((h - wg) / (1 - wg)) if not (np.isnan(h) or np.isnan(wg) or wg >= 1) else np.nan
        for h, wg in zip(h_g, w_g, strict=True)
    )

    if total > 0:
        e = mix / mix.sum()
        a = e.sum(axis=1)
        sab = float((a * a).sum())  # a_i = b_i: the mixing matrix is symmetric
        r = _nan_div(float(np.trace(e)) - sab, 1.0 - sab) if sab < 1.0 else float("nan")
    else:
        r = float("nan")

    pct = float("nan")
    if n_permutations > 0 and total > 0 and np.count_nonzero(n_g) >= 2:
        pct = _permutation_percentile(
            u, v, w, lab_nodes, node_group, n_groups, ei, n_permutations, seed
        )

    return BridgingMetrics(
        weighting=weighting,
        n_nodes=n_nodes,
        n_labelled=big_n,
        n_by_group=tuple(int(k) for k in n_g),
        unknown_share=_nan_div(n_unknown, n_nodes),
        n_edges=int(u.shape[0]),
        total_weight=total,
        ei=ei,
        ei_expected=ei_exp,
        ei_delta=ei - ei_exp,
        ei_percentile=pct,
        n_permutations=n_permutations if not np.isnan(pct) else 0,
        ei_by_group=ei_g,
        ei_expected_by_group=ei_exp_g,
        assortativity=r,
        homophily_h=h_g,
        homophily_w=w_g,
        inbreeding_homophily=ih_g,
    )


def _permutation_percentile(
    u: np.ndarray,
    v: np.ndarray,
    w: np.ndarray,
    nodes: np.ndarray,
    node_group: np.ndarray,
    n_groups: int,
    ei_obs: float,
    n_perm: int,
    seed: int,
    batch: int = 128,
) -> float:
    """Percentile (mid-rank, 0-100) of the observed EI among shuffled labellings.

    The graph stays fixed and labels are shuffled over its labelled nodes (§2.4).
    The within-group weight of a labelling x_g is Σ_g x_gᵀ W x_g with W the
    upper-triangular weight matrix, so a batch of permutations is one sparse
    matrix product; for two groups the second term follows from the first:
    x₁ᵀWx₁ = S − x₀·s + x₀ᵀWx₀ (s = node strengths, S = total weight).
    """
    idx = np.searchsorted(nodes, u), np.searchsorted(nodes, v)
    n = nodes.shape[0]
    mat = sp.csr_matrix((w, idx), shape=(n, n))
    strength = np.bincount(idx[0], weights=w, minlength=n) + np.bincount(
        idx[1], weights=w, minlength=n
    )
    total = float(w.sum())
    rng = np.random.default_rng(seed)
    below = 0.0
    done = 0
    while done < n_perm:
        b = min(batch, n_perm - done)
        perm = rng.permuted(np.broadcast_to(node_group, (b, n)), axis=1)
        if n_groups == 2:
            x0 = (perm == 0).T.astype(np.float64)
            q = np.einsum("ij,ij->j", x0, mat @ x0)
            internal = 2.0 * q - strength @ x0 + total
        else:
            internal = np.zeros(b)
            for g in range(n_groups):
                xg = (perm == g).T.astype(np.float64)
                internal += np.einsum("ij,ij->j", xg, mat @ xg)
        ei_perm = (total - 2.0 * internal) / total
        close = np.isclose(ei_perm, ei_obs, rtol=1e-9, atol=1e-12)
        below += float(np.count_nonzero((ei_perm < ei_obs) & ~close))
        below += 0.5 * float(np.count_nonzero(close))
        done += b
    return 100.0 * below / n_perm


@dataclass(frozen=True)
class TieMetrics:
    """Tie graph summary plus bridging metrics per weighting."""

    n_eligible_sessions: int
    n_edges: int
    bridging: dict[str, BridgingMetrics]


def tie_metrics(
    ds: Dataset, params: MetricParams | None = None, graph: TieGraph | None = None
) -> TieMetrics:
    """Bridging metrics for all three weightings; permutations for Newman only."""
    params = params or MetricParams()
    graph = graph if graph is not None else build_tie_graph(ds, params)
    out = {}
    for weighting in WEIGHTINGS:
        out[weighting] = bridging_metrics(
            graph,
            ds.person_group,
            ds.n_groups,
            weighting,
            n_permutations=params.n_permutations if weighting == "newman" else 0,
            seed=params.seed,
        )
    return TieMetrics(graph.n_eligible_sessions, graph.n_edges, out)
