"""Who is reached: unique registered persons and anonymous guest tallies per month.

What belongs here: reach counts per calendar month, split by group, with the share
of unknown labels (research note §2.6 "Reach"). Anonymous tallies are *visits*, not
persons, so they are reported next to the person counts and never added to them:
at an initiative with an undocumented majority, counting only registered people
under-represents exactly the target group (§2.8 pitfall 5).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .data import Dataset


@dataclass(frozen=True, eq=False)
class MonthlyReach:
    """Reach per month. Column g < G is group g; the last column is "no label".

    ``persons[i, g]``: distinct registered persons of group g seen in ``months[i]``.
    ``guest_visits[i, g]``: anonymous tallies pressed for group g in that month.
    ``unknown_share_persons``: share of registered persons without a label.
    ``unknown_share_all``: share of (persons + guest visits) without a label.
    """

    months: np.ndarray  # (M,) month index, year * 12 + month - 1
    persons: np.ndarray  # (M, G + 1)
    guest_visits: np.ndarray  # (M, G + 1)
    persons_total: np.ndarray  # (M,)
    guest_visits_total: np.ndarray  # (M,)
    unknown_share_persons: np.ndarray  # (M,) NaN when no registered person came
    unknown_share_all: np.ndarray  # (M,)


def monthly_reach(ds: Dataset) -> MonthlyReach:
    """Distinct registered persons and guest tallies per month and group (§2.6)."""
    g_cols = ds.n_groups + 1
    months_all = ds.session_month
    if ds.n_sessions == 0:
        empty = np.zeros((0, g_cols), dtype=np.int64)
        z = np.zeros(0)
        return MonthlyReach(np.zeros(0, np.int64), empty, empty, z.astype(int), z.astype(int), z, z)
    first = int(months_all.min())
    months = np.arange(first, int(months_all.max()) + 1)
    n_m = months.shape[0]

    # Distinct (month, person): one sort over the attendance, then a bincount per group.
    att_month = months_all[ds.att_session] - first
    key = np.unique(att_month * ds.n_persons + ds.att_person.astype(np.int64))
    m_idx = key // max(ds.n_persons, 1)
    p_idx = key % max(ds.n_persons, 1)
    col = ds.person_group[p_idx].astype(np.int64)
    col[col < 0] = ds.n_groups  # unknown label -> last column
    persons = np.bincount(m_idx * g_cols + col, minlength=n_m * g_cols).reshape(n_m, g_cols)

    guest_visits = np.zeros((n_m, g_cols), dtype=np.int64)
    np.add.at(guest_visits, months_all - first, ds.guests)

    persons_total = persons.sum(axis=1)
    guests_total = guest_visits.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        unknown_p = np.where(persons_total > 0, persons[:, -1] / persons_total, np.nan)
        denom = persons_total + guests_total
        unknown_all = np.where(
            denom > 0, (persons[:, -1] + guest_visits[:, -1]) / np.maximum(denom, 1), np.nan
        )
    return MonthlyReach(
        months=months,
        persons=persons,
        guest_visits=guest_visits,
        persons_total=persons_total,
        guest_visits_total=guests_total,
        unknown_share_persons=unknown_p,
        unknown_share_all=unknown_all,
    )
