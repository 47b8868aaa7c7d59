"""Reads of stored snapshots and recompute runs (dashboards, reports and exports use these).

What belongs here: the ways to load a `Snapshot` (latest, one period, the list of periods)
and the recompute status the dashboard shows. Every query is scoped to one initiative.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from verbinding.core.models import Initiative

from .models import STALE_AFTER, RecomputeRun, Snapshot
from .snapshots import period_start


def latest(initiative: Initiative, kind: str) -> Snapshot | None:
    """The snapshot of the most recent period of ``kind`` (month, quarter, year), if any."""
    return (
        Snapshot.objects.filter(initiative=initiative, kind=Snapshot.Kind(kind))
        .order_by("-start", "-id")
        .first()
    )


def for_period(initiative: Initiative, kind: str, start: dt.date) -> Snapshot | None:
    """The snapshot of the period of ``kind`` that contains ``start`` (any day of it)."""
    kind = Snapshot.Kind(kind)
    return Snapshot.objects.filter(
        initiative=initiative, kind=kind, start=period_start(kind, start)
    ).first()


def periods(initiative: Initiative, kind: str) -> list[dt.date]:
    """First days of the stored periods of ``kind``, newest first."""
    return list(
        Snapshot.objects.filter(initiative=initiative, kind=Snapshot.Kind(kind))
        .order_by("-start", "-id")
        .values_list("start", flat=True)
    )


def recompute_status(initiative: Initiative) -> dict:
    """What the dashboard shows next to its "recompute" button.

    ``pending``: a recompute is queued or running (the button is then disabled);
    ``status``, ``requested_at``, ``finished_at``, ``error``: of the latest run (None if
    there was none); ``last_computed_at``: when the newest snapshot was written.
    """
    run = RecomputeRun.objects.filter(initiative=initiative).order_by("-created_at", "-id").first()
    # A run pending for too long is lost (models.STALE_AFTER); do not show it as pending.
    stale = bool(run and run.pending and run.created_at < timezone.now() - STALE_AFTER)
    newest = (
        Snapshot.objects.filter(initiative=initiative)
        .order_by("-computed_at", "-id")
        .values_list("computed_at", flat=True)
        .first()
    )
    return {
        "pending": bool(run and run.pending) and not stale,
        "status": run.status if run else None,
        "requested_at": run.created_at if run else None,
        "finished_at": run.finished_at if run else None,
        "error": run.error if run else "",
        "last_computed_at": newest,
    }
