"""Does contact become durable: durable ties, bridging per person, persistence, projects.

What belongs here: everything built on the per-pair week history of the tie graph
(research note §2.5, formula sheet Appendix A):

* durable tie: co-present in >= ``durable_min_weeks`` distinct weeks whose span
  max(W_uv) − min(W_uv) >= ``durable_min_span_weeks``, counting only sessions with
  headcount <= ``size_cap`` (big events never make a tie durable);
* share of persons per group with >= 1 durable cross-group tie — the most actionable
  KPI (§2.4), with two denominators: everyone of the group who came, and those who
  came in enough distinct weeks to be able to form a durable tie at all;
* time to first durable cross-group tie, weeks from first visit (Kaplan–Meier, so
  newcomers who just arrived count as censored rather than as failures);
* persistence |T_m ∩ T_{m+1}| / |T_m|, with T_m = durable ties (durable by the end of
  month m) that were co-present in month m;
* ties formed in a project (co-present in >= ``project_tie_min_weeks`` project weeks)
  that are seen again in any later tie-eligible session after the project ended.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .data import PROJECT, Dataset, MetricParams, month_of_week
from .survival import SurvivalCurve, kaplan_meier
from .ties import TieGraph, build_tie_graph


@dataclass(frozen=True, eq=False)
class Persistence:
    """Month-to-month persistence of durable ties; NaN where T_m is empty."""

    months: np.ndarray
    active: np.ndarray  # |T_m|
    continued: np.ndarray  # |T_m ∩ T_{m+1}|
    persistence: np.ndarray


@dataclass(frozen=True, eq=False)
class ProjectContinuation:
    """Per project activity: ties formed inside it and whether they outlived it."""

    activity: np.ndarray
    end_day: np.ndarray
    follow_up_days: np.ndarray  # days of data after the project's last session
    formed: np.ndarray
    continued: np.ndarray
    formed_cross: np.ndarray
    continued_cross: np.ndarray

    @property
    def share_continued(self) -> float:
        total = int(self.formed.sum())
        return float(self.continued.sum() / total) if total else float("nan")

    @property
    def share_cross_continued(self) -> float:
        total = int(self.formed_cross.sum())
        return float(self.continued_cross.sum() / total) if total else float("nan")


@dataclass(frozen=True, eq=False)
class DurableMetrics:
    n_durable: int
    n_durable_labelled: int
    n_durable_cross: int
    cross_share: float  # cross-group share of durable ties between labelled persons
    persons_by_group: tuple[int, ...]  # persons of the group who came at all
    eligible_by_group: tuple[int, ...]  # ... who came in enough weeks to qualify
    with_cross_tie_by_group: tuple[int, ...]
    share_with_cross_tie: tuple[float, ...]
    share_with_cross_tie_eligible: tuple[float, ...]
    time_to_first_cross: tuple[SurvivalCurve, ...]  # weeks, per group
    persistence: Persistence
    persistence_cross: Persistence
    projects: ProjectContinuation


def _share(a: np.ndarray, b: np.ndarray) -> tuple[float, ...]:
    return tuple(float(x / y) if y else float("nan") for x, y in zip(a, b, strict=True))


def durable_metrics(
    ds: Dataset, params: MetricParams | None = None, graph: TieGraph | None = None
) -> DurableMetrics:
    params = params or MetricParams()
    graph = graph if graph is not None else build_tie_graph(ds, params)
    groups = np.asarray(ds.person_group).astype(np.int64)
    n_g = ds.n_groups
    gu, gv = groups[graph.u], groups[graph.v]
    durable = graph.durable_week >= 0
    labelled = (gu >= 0) & (gv >= 0)
    cross = labelled & (gu != gv)
    n_dur_lab = int((durable & labelled).sum())
    n_dur_cross = int((durable & cross).sum())

    # Who came, and who came often enough to be able to form a durable tie at all.
    att_week = np.asarray(ds.session_week)[ds.att_session]
    pw = np.unique(ds.att_person.astype(np.int64) * (1 << 32) + (att_week - att_week.min()))
    p_of = pw >> 32
    wk = pw & 0xFFFFFFFF
    starts = np.flatnonzero(np.diff(np.append(-1, p_of)) != 0)
    counts = np.diff(np.append(starts, p_of.shape[0]))
    persons = p_of[starts]
    first_w = wk[starts]
    last_w = wk[starts + counts - 1]
    can = (counts >= params.durable_min_weeks) & (last_w - first_w >= params.durable_min_span_weeks)
    pg = groups[persons]
    lab_p = pg >= 0
    came = np.bincount(pg[lab_p], minlength=n_g)
    eligible = np.bincount(pg[lab_p & can], minlength=n_g)

    # Earliest week each person got a durable cross-group tie.
    dc = durable & cross
    never = np.iinfo(np.int64).max
    first_tie = np.full(ds.n_persons, never, dtype=np.int64)
    np.minimum.at(first_tie, graph.u[dc], graph.durable_week[dc])
    np.minimum.at(first_tie, graph.v[dc], graph.durable_week[dc])
    has_tie = first_tie[persons] != never
    with_tie = np.bincount(pg[lab_p & has_tie], minlength=n_g)

    week0 = int(att_week.min()) if att_week.size else 0
    data_end = int(np.asarray(ds.session_week).max()) if ds.n_sessions else 0
    first_abs = first_w + week0
    dur = np.where(has_tie, first_tie[persons] - first_abs, data_end - first_abs)
    curves = tuple(
        kaplan_meier(dur[lab_p & (pg == g)], has_tie[lab_p & (pg == g)]) for g in range(n_g)
    )

    last_month = int(np.asarray(ds.session_month).max()) if ds.n_sessions else 0
    return DurableMetrics(
        n_durable=int(durable.sum()),
        n_durable_labelled=n_dur_lab,
        n_durable_cross=n_dur_cross,
        cross_share=float(n_dur_cross / n_dur_lab) if n_dur_lab else float("nan"),
        persons_by_group=tuple(int(x) for x in came),
        eligible_by_group=tuple(int(x) for x in eligible),
        with_cross_tie_by_group=tuple(int(x) for x in with_tie),
        share_with_cross_tie=_share(with_tie, came),
        share_with_cross_tie_eligible=_share(with_tie, eligible),
        time_to_first_cross=curves,
        persistence=_persistence(graph, durable, last_month),
        persistence_cross=_persistence(graph, durable & cross, last_month),
        projects=_project_continuation(ds, params, graph, cross),
    )


def _persistence(graph: TieGraph, selected: np.ndarray, last_month: int) -> Persistence:
    """|T_m ∩ T_{m+1}| / |T_m| over the calendar months of the data.

    The last month of the data has no observed successor: its persistence is NaN.
    """
    month = month_of_week(graph.pw_week)
    pair = graph.pw_pair.astype(np.int64)
    # Rows are sorted by pair then week, so months are non-decreasing within a pair.
    new = np.ones(pair.shape[0], dtype=bool)
    new[1:] = (pair[1:] != pair[:-1]) | (month[1:] != month[:-1])
    pair, month = pair[new], month[new]
    durable_month = month_of_week(np.where(graph.durable_week >= 0, graph.durable_week, 0))
    keep = selected[pair] & (month >= durable_month[pair])
    pair, month = pair[keep], month[keep]
    if pair.size == 0:
        z = np.zeros(0, dtype=np.int64)
        return Persistence(z, z, z, np.zeros(0))
    m0 = int(month.min())
    months = np.arange(m0, max(int(month.max()), last_month) + 1)
    active = np.bincount(month - m0, minlength=months.shape[0])
    nxt = (pair[1:] == pair[:-1]) & (month[1:] == month[:-1] + 1)
    continued = np.bincount(month[:-1][nxt] - m0, minlength=months.shape[0])
    with np.errstate(invalid="ignore", divide="ignore"):
        pers = np.where(active > 0, continued / np.maximum(active, 1), np.nan)
    if months[-1] == last_month:
        pers[-1] = np.nan
    return Persistence(months, active, continued, pers)


def _project_continuation(
    ds: Dataset, params: MetricParams, graph: TieGraph, cross: np.ndarray
) -> ProjectContinuation:
    act = np.asarray(ds.session_activity)
    day = np.asarray(ds.session_day)
    projects = np.flatnonzero(np.asarray(ds.activity_kind) == PROJECT)
    end_day = np.full(ds.n_activities, np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(end_day, act, day)
    data_end = int(day.max()) if day.size else 0

    inc_act = act[graph.inc_session]
    in_proj = np.asarray(ds.activity_kind)[inc_act] == PROJECT
    n_pairs = max(graph.n_edges, 1)
    week = np.asarray(ds.session_week)[graph.inc_session[in_proj]]
    key = inc_act[in_proj].astype(np.int64) * n_pairs + graph.inc_pair[in_proj]
    # Distinct (project, pair, week), then the number of weeks per (project, pair).
    wspan = int(week.max() - week.min() + 1) if week.size else 1
    pw = np.unique(key * wspan + (week - (week.min() if week.size else 0)))
    keys, n_weeks = np.unique(pw // wspan, return_counts=True)
    keys = keys[n_weeks >= params.project_tie_min_weeks]
    p_act, p_pair = keys // n_pairs, keys % n_pairs
    cont = graph.last_day[p_pair] > end_day[p_act]
    is_cross = cross[p_pair]

    idx = np.searchsorted(projects, p_act)
    k = projects.shape[0]
    return ProjectContinuation(
        activity=projects,
        end_day=end_day[projects],
        follow_up_days=data_end - end_day[projects],
        formed=np.bincount(idx, minlength=k),
        continued=np.bincount(idx[cont], minlength=k),
        formed_cross=np.bincount(idx[is_cross], minlength=k),
        continued_cross=np.bincount(idx[cont & is_cross], minlength=k),
    )
