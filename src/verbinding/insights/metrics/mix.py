"""How often is contact mixed: session composition, no person graph needed.

What belongs here: per-session composition (research note §2.2, formula sheet
Appendix A) and its summaries overall, per activity and per session format:

* cross-group pair share  m_k = (n_k² − Σ_g n_{k,g}²) / (n_k (n_k − 1)),
  which for two groups is n_{k,N} n_{k,R} / C(n_k, 2);
* Blau heterogeneity      H_k = 1 − Σ_g p_{k,g}²;
* mixed-session indicator: at least two groups with >= ``mixed_min_count``
  persons and >= ``mixed_min_share`` of the labelled attendees each;
* person-weighted share: attendances (registered + guests) in mixed sessions.

n_k counts attendees with a known group, registered persons and labelled guest
tallies alike: walk-ins enter composition metrics but never network metrics (§2.1).
All sessions count here, big events included; only tie metrics apply the size cap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .data import Dataset, MetricParams


@dataclass(frozen=True, eq=False)
class SessionComposition:
    """Per-session composition; NaN where fewer than two labelled attendees came."""

    labelled: np.ndarray  # (S, G) labelled attendees per group (registered + guests)
    headcount: np.ndarray  # (S,) everyone present, labels or not
    pair_share: np.ndarray  # (S,) m_k
    blau: np.ndarray  # (S,) H_k
    mixed: np.ndarray  # (S,) bool


@dataclass(frozen=True)
class MixSummary:
    """Mixing of a set of sessions (all, one activity, or one format)."""

    n_sessions: int
    n_attendances: int
    mean_pair_share: float  # mean m_k over sessions with >= 2 labelled attendees
    mean_blau: float
    share_sessions_mixed: float
    share_attendances_in_mixed: float  # person-weighted headline (§2.2)


@dataclass(frozen=True)
class MixResult:
    sessions: SessionComposition
    overall: MixSummary
    by_activity: dict[int, MixSummary]
    by_format: dict[int, MixSummary]


def session_composition(ds: Dataset, params: MetricParams | None = None) -> SessionComposition:
    """Composition of every session (§2.2)."""
    params = params or MetricParams()
    g = ds.n_groups
    s = ds.n_sessions
    grp = ds.person_group[ds.att_person].astype(np.int64)
    known = grp >= 0
    labelled = np.bincount(
        ds.att_session[known].astype(np.int64) * g + grp[known], minlength=s * g
    ).reshape(s, g)
    labelled = labelled + ds.guests[:, :g]
    n = labelled.sum(axis=1).astype(np.float64)
    sq = (labelled.astype(np.float64) ** 2).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        ok = n >= 2
        pair_share = np.where(ok, (n * n - sq) / (n * (n - 1)), np.nan)
        blau = np.where(ok, 1.0 - sq / (n * n), np.nan)
        share = labelled / np.maximum(n, 1)[:, None]
    qualifies = (labelled >= params.mixed_min_count) & (share >= params.mixed_min_share)
    mixed = qualifies.sum(axis=1) >= 2
    return SessionComposition(
        labelled=labelled,
        headcount=np.asarray(ds.session_headcount),
        pair_share=pair_share,
        blau=blau,
        mixed=mixed,
    )


def _summaries(comp: SessionComposition, label: np.ndarray) -> dict[int, MixSummary]:
    """One MixSummary per distinct value of ``label`` (activity or format), vectorised."""
    if label.size == 0:
        return {}
    keys, inv = np.unique(label, return_inverse=True)
    k = keys.shape[0]
    valid = ~np.isnan(comp.pair_share)
    n_sessions = np.bincount(inv, minlength=k)
    n_valid = np.bincount(inv, weights=valid, minlength=k)
    sum_m = np.bincount(inv, weights=np.where(valid, comp.pair_share, 0.0), minlength=k)
    sum_h = np.bincount(inv, weights=np.where(valid, comp.blau, 0.0), minlength=k)
    n_mixed = np.bincount(inv, weights=comp.mixed, minlength=k)
    att = np.bincount(inv, weights=comp.headcount, minlength=k)
    att_mixed = np.bincount(inv, weights=comp.headcount * comp.mixed, minlength=k)
    out: dict[int, MixSummary] = {}
    for i, key in enumerate(keys.tolist()):
        out[int(key)] = MixSummary(
            n_sessions=int(n_sessions[i]),
            n_attendances=int(att[i]),
            mean_pair_share=float(sum_m[i] / n_valid[i]) if n_valid[i] else float("nan"),
            mean_blau=float(sum_h[i] / n_valid[i]) if n_valid[i] else float("nan"),
            share_sessions_mixed=float(n_mixed[i] / n_sessions[i]),
            share_attendances_in_mixed=float(att_mixed[i] / att[i]) if att[i] else float("nan"),
        )
    return out


def session_mix(ds: Dataset, params: MetricParams | None = None) -> MixResult:
    """Session mix overall, per activity and per format (§2.2)."""
    comp = session_composition(ds, params)
    overall = _summaries(comp, np.zeros(ds.n_sessions, dtype=np.int64)).get(
        0, MixSummary(0, 0, float("nan"), float("nan"), float("nan"), float("nan"))
    )
    return MixResult(
        sessions=comp,
        overall=overall,
        by_activity=_summaries(comp, np.asarray(ds.session_activity)),
        by_format=_summaries(comp, np.asarray(ds.session_format)),
    )
