"""Who invests time: hours attended and organised by group, organiser representation.

What belongs here: Allport's "equal status" seen through the organisation (research
note §2.7, formula sheet Appendix A):

* hours attended = Σ session hours over a group's attendances;
* hours organised = Σ hours in organiser records (host, team lead) of the group;
* representation ratio ρ_g = share_g(organisers) / share_g(visitors), shares taken
  over distinct labelled persons. ρ_N ≈ 1: newcomers organise as much as they
  visit; ρ_N ≪ 1: activities *for* newcomers rather than *with* them.

Column g < G is group g, the last column "no label", as in reach.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .data import Dataset


@dataclass(frozen=True)
class InvestmentMetrics:
    hours_attended: tuple[float, ...]  # (G + 1,)
    hours_organised: tuple[float, ...]  # (G + 1,)
    visitors: tuple[int, ...]  # distinct persons who attended, (G + 1,)
    organisers: tuple[int, ...]  # distinct persons with an organiser record, (G + 1,)
    visitor_share: tuple[float, ...]  # among labelled visitors, (G,)
    organiser_share: tuple[float, ...]  # among labelled organisers, (G,)
    representation_ratio: tuple[float, ...]  # ρ_g, (G,)


def _by_group(ds: Dataset, person: np.ndarray, weights: np.ndarray | None) -> np.ndarray:
    col = np.asarray(ds.person_group)[person].astype(np.int64)
    col[col < 0] = ds.n_groups
    return np.bincount(col, weights=weights, minlength=ds.n_groups + 1)


def investment_metrics(ds: Dataset) -> InvestmentMetrics:
    """Hours and organiser representation per group (§2.7)."""
    hours = np.asarray(ds.session_hours)[ds.att_session]
    attended = _by_group(ds, ds.att_person, hours)
    organised = _by_group(ds, ds.org_person, ds.org_hours)
    visitors = _by_group(ds, np.unique(ds.att_person), None).astype(np.int64)
    organisers = _by_group(ds, np.unique(ds.org_person), None).astype(np.int64)
    g = ds.n_groups
    v_lab, o_lab = visitors[:g].sum(), organisers[:g].sum()
    v_share = visitors[:g] / v_lab if v_lab else np.full(g, np.nan)
    o_share = organisers[:g] / o_lab if o_lab else np.full(g, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        rho = np.where(v_share > 0, o_share / np.where(v_share > 0, v_share, 1), np.nan)
    return InvestmentMetrics(
        hours_attended=tuple(float(x) for x in attended),
        hours_organised=tuple(float(x) for x in organised),
        visitors=tuple(int(x) for x in visitors),
        organisers=tuple(int(x) for x in organisers),
        visitor_share=tuple(float(x) for x in v_share),
        organiser_share=tuple(float(x) for x in o_share),
        representation_ratio=tuple(float(x) for x in rho),
    )
