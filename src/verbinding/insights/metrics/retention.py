"""Who stays: monthly cohorts, return within 4 weeks, Kaplan–Meier survival.

What belongs here: retention of registered persons (research note §2.6, formula
sheet Appendix A), overall, per group and split by the kind of a person's first
activity (regular vs project). The split tests the report's finding that projects
bind people longer than regular activities (KIS 2019 §4).

* cohort c = persons whose first attendance falls in month c;
  R_c(m) = |{u ∈ c : u attended in month c + m}| / |c|;
* returned within 4 weeks: a visit on a later day, at most ``return_within_days``
  days after the first visit;
* dropout: the last visit before the first gap of more than ``dropout_gap_days``
  days (8 weeks) without a visit. Survival time = weeks from first visit to that
  last visit. Persons whose last visit lies within the gap of the end of the data
  are censored at their last visit: they may still come back.

A person's first activity kind is PROJECT if any session on their first day was a
project: someone who came for a project and stayed for dinner was drawn by the
project.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .data import PROJECT, REGULAR, Dataset, MetricParams, month_of_day
from .survival import SurvivalCurve, kaplan_meier


@dataclass(frozen=True, eq=False)
class CohortTable:
    """``active[i, m]``: persons of cohort ``months[i]`` seen in month months[i] + m."""

    months: np.ndarray
    size: np.ndarray
    active: np.ndarray  # (C, M) int, upper-left triangle is observable
    observable: np.ndarray  # (C, M) bool: month c + m lies inside the data

    @property
    def retention(self) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            r = self.active / self.size[:, None]
        return np.where(self.observable, r, np.nan)


@dataclass(frozen=True, eq=False)
class RetentionSplit:
    """Retention of one subset of persons (everyone, one group, one first kind)."""

    n_persons: int
    cohorts: CohortTable
    returned_within: int
    return_share: float
    return_observable: int  # persons whose first visit is >= the window before the end
    survival: SurvivalCurve  # weeks until dropout


@dataclass(frozen=True)
class RetentionMetrics:
    overall: RetentionSplit
    by_group: tuple[RetentionSplit, ...]
    unknown_group: RetentionSplit
    by_first_kind: dict[str, RetentionSplit]


@dataclass(frozen=True, eq=False)
class _Visits:
    person: np.ndarray  # persons that came, ascending
    first_day: np.ndarray
    last_day: np.ndarray
    second_day: np.ndarray  # -1 if only one visit day
    first_kind: np.ndarray
    drop_time: np.ndarray  # days from first visit to dropout / censoring
    dropped: np.ndarray  # event indicator
    pm_person_idx: np.ndarray  # distinct (person, month) rows
    pm_month: np.ndarray


def _visits(ds: Dataset, params: MetricParams) -> _Visits:
    day = np.asarray(ds.session_day)[ds.att_session]
    d0 = int(day.min())
    span = int(day.max()) - d0 + 1
    pd = np.unique(ds.att_person.astype(np.int64) * span + (day - d0))
    p_of = pd // span
    vday = pd % span + d0
    starts = np.flatnonzero(np.diff(np.append(-1, p_of)) != 0)
    counts = np.diff(np.append(starts, p_of.shape[0]))
    ends = starts + counts - 1
    person = p_of[starts]
    first = vday[starts]
    last = vday[ends]
    second = np.where(counts > 1, vday[np.minimum(starts + 1, p_of.shape[0] - 1)], -1)

    # First gap longer than the dropout gap, per person (vectorised over all rows).
    gap = np.diff(vday)
    same = p_of[1:] == p_of[:-1]
    big = same & (gap > params.dropout_gap_days)
    row_idx = np.arange(p_of.shape[0] - 1)
    never = np.iinfo(np.int64).max
    cand = np.where(big, row_idx, never)
    first_big = np.full(person.shape[0], never, dtype=np.int64)
    owner = np.repeat(np.arange(person.shape[0]), counts)[:-1]
    np.minimum.at(first_big, owner, cand)
    data_end = int(np.asarray(ds.session_day).max())
    has_gap = first_big != never
    drop_day = np.where(has_gap, vday[np.minimum(first_big, p_of.shape[0] - 1)], last)
    dropped = has_gap | (data_end - last > params.dropout_gap_days)

    # Kind of first activity: project if any first-day session was a project.
    att_day = day
    att_kind = np.asarray(ds.activity_kind)[np.asarray(ds.session_activity)[ds.att_session]]
    first_of = np.full(ds.n_persons, never, dtype=np.int64)
    first_of[person] = first
    on_first = att_day == first_of[ds.att_person]
    kind = np.zeros(ds.n_persons, dtype=np.int64)
    np.maximum.at(kind, ds.att_person[on_first], att_kind[on_first])

    month = month_of_day(vday)
    pm = np.unique(np.repeat(np.arange(person.shape[0]), counts) * (1 << 32) + month)
    return _Visits(
        person=person,
        first_day=first,
        last_day=last,
        second_day=second,
        first_kind=kind[person],
        drop_time=drop_day - first,
        dropped=dropped,
        pm_person_idx=pm >> 32,
        pm_month=pm & 0xFFFFFFFF,
    )


def _split(
    vis: _Visits, mask: np.ndarray, params: MetricParams, data_end: int, m_lo: int, m_hi: int
) -> RetentionSplit:
    n = int(mask.sum())
    first_month = month_of_day(vis.first_day)
    n_m = m_hi - m_lo + 1
    months = np.arange(m_lo, m_hi + 1)
    size = np.bincount(first_month[mask] - m_lo, minlength=n_m)
    sel = mask[vis.pm_person_idx]
    c = first_month[vis.pm_person_idx[sel]] - m_lo
    off = vis.pm_month[sel] - m_lo - c
    active = np.bincount(c * n_m + off, minlength=n_m * n_m).reshape(n_m, n_m)
    observable = (np.arange(n_m)[:, None] + np.arange(n_m)[None, :]) < n_m
    cohorts = CohortTable(months, size, active, observable)

    window = params.return_within_days
    obs = mask & (vis.first_day + window <= data_end)
    back = obs & (vis.second_day >= 0) & (vis.second_day - vis.first_day <= window)
    n_obs = int(obs.sum())
    return RetentionSplit(
        n_persons=n,
        cohorts=cohorts,
        returned_within=int(back.sum()),
        return_share=float(back.sum() / n_obs) if n_obs else float("nan"),
        return_observable=n_obs,
        survival=kaplan_meier(vis.drop_time[mask] / 7.0, vis.dropped[mask]),
    )


def retention_metrics(ds: Dataset, params: MetricParams | None = None) -> RetentionMetrics:
    """Cohort retention, return within 4 weeks and dropout survival (§2.6)."""
    params = params or MetricParams()
    if ds.n_attendances == 0:
        raise ValueError("retention needs at least one attendance")
    vis = _visits(ds, params)
    data_end = int(np.asarray(ds.session_day).max())
    m_lo = int(np.asarray(ds.session_month).min())
    m_hi = int(np.asarray(ds.session_month).max())
    groups = np.asarray(ds.person_group)[vis.person]

    def split(mask: np.ndarray) -> RetentionSplit:
        return _split(vis, mask, params, data_end, m_lo, m_hi)

    return RetentionMetrics(
        overall=split(np.ones(vis.person.shape[0], dtype=bool)),
        by_group=tuple(split(groups == g) for g in range(ds.n_groups)),
        unknown_group=split(groups < 0),
        by_first_kind={
            "regular": split(vis.first_kind == REGULAR),
            "project": split(vis.first_kind == PROJECT),
        },
    )
