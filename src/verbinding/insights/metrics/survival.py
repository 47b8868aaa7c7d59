"""Kaplan–Meier survival estimation, shared by retention and time-to-first-tie.

What belongs here: the product-limit estimator on (duration, event) arrays and its
median. Nothing initiative-specific; the callers decide what "event" means
(dropout after 8 weeks without a visit, or a first durable cross-group tie).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class SurvivalCurve:
    """S(t) just after each distinct event time; ``median`` is NaN if S stays > 0.5."""

    n: int
    n_events: int
    times: np.ndarray  # distinct event times, ascending
    at_risk: np.ndarray
    events: np.ndarray
    survival: np.ndarray
    median: float

    def at(self, t: float) -> float:
        """S(t): the share still "surviving" (not yet had the event) at time t."""
        i = np.searchsorted(self.times, t, side="right")
        return 1.0 if i == 0 else float(self.survival[i - 1])


def kaplan_meier(duration: np.ndarray, event: np.ndarray) -> SurvivalCurve:
    """Product-limit estimate S(t) = Π_{t_i <= t} (1 − d_i / n_i).

    ``duration`` is the time observed, ``event`` whether the event happened then
    (False = censored: still under observation when the data ends). Censored
    persons count as at risk at event times equal to their own time, the usual
    convention.
    """
    duration = np.asarray(duration, dtype=np.float64)
    event = np.asarray(event, dtype=bool)
    n = int(duration.shape[0])
    if n == 0:
        z = np.zeros(0)
        return SurvivalCurve(0, 0, z, z.astype(int), z.astype(int), z, float("nan"))
    times, inv = np.unique(duration, return_inverse=True)
    d = np.bincount(inv, weights=event, minlength=times.shape[0])
    leaving = np.bincount(inv, minlength=times.shape[0])
    at_risk = n - np.concatenate([[0], np.cumsum(leaving)[:-1]])
    keep = d > 0
    times, d, at_risk = times[keep], d[keep], at_risk[keep]
    surv = np.cumprod(1.0 - d / at_risk)
    below = np.flatnonzero(surv <= 0.5)
    median = float(times[below[0]]) if below.size else float("nan")
    return SurvivalCurve(
        n=n,
        n_events=int(event.sum()),
        times=times,
        at_risk=at_risk.astype(np.int64),
        events=d.astype(np.int64),
        survival=surv,
        median=median,
    )
