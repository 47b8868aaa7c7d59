"""Writes of the insights app: recompute an initiative's snapshots, now or in the background.

What belongs here: `recompute_initiative` (every period with data, month/quarter/year; used
by the nightly command and the background task), `request_recompute` (the dashboard's
button: queue one background run, refuse a second while one is pending) and
`execute_recompute` (the worker's side of that run). Permission checks live in the view.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone

from verbinding.core.errors import DomainError
from verbinding.core.models import Initiative

from .metrics.data import MetricParams
from .models import STALE_AFTER, RecomputeRun, Snapshot
from .snapshots import compute_snapshot, periods_with_data

log = logging.getLogger(__name__)

KINDS = (Snapshot.Kind.MONTH, Snapshot.Kind.QUARTER, Snapshot.Kind.YEAR)


def recompute_initiative(
    initiative: Initiative,
    *,
    since: dt.date | None = None,
    kinds: tuple[str, ...] = KINDS,
    params: MetricParams | None = None,
    report: Callable[[Snapshot], None] | None = None,
) -> list[Snapshot]:
    """Compute and store the snapshot of every period with data (or ending after ``since``).

    Idempotent: a period's snapshot is replaced, in its own transaction, so a reader never
    sees half of one and a failure midway leaves every other period intact. Snapshots of
    periods that no longer have data (all their sessions were cancelled) are removed, unless
    ``since`` limits the run to recent periods.
    """
    written = []
    for kind in kinds:
        starts = periods_with_data(initiative, kind, since=since)
        for start in starts:
            snapshot = compute_snapshot(initiative, kind, start, params)
            written.append(snapshot)
            if report is not None:
                report(snapshot)
        if since is None:
            Snapshot.objects.filter(initiative=initiative, kind=kind).exclude(start__in=starts).delete()
    return written


def request_recompute(initiative: Initiative, user=None) -> RecomputeRun:
    """Queue a background recompute of the initiative's snapshots (the dashboard's button).

    Raises DomainError("insights_recompute_busy") while another run is queued or running;
    the database enforces the same rule, so two clicks at once cannot queue two runs.
    """
    expire_stale_runs(initiative)
    if RecomputeRun.objects.filter(
        initiative=initiative, status__in=[RecomputeRun.Status.QUEUED, RecomputeRun.Status.RUNNING]
    ).exists():
        raise DomainError("insights_recompute_busy")
    try:
        with transaction.atomic():
            run = RecomputeRun.objects.create(
                initiative=initiative,
                requested_by=user if getattr(user, "is_authenticated", False) else None,
            )
    except IntegrityError as error:  # a concurrent request won the race
        raise DomainError("insights_recompute_busy") from error
    from .tasks import recompute_initiative_task

    # Outside a transaction the run row is committed here, so the worker finds it; the
    # database task backend stores the task in the same database (and transaction) anyway.
    recompute_initiative_task.enqueue(run.pk)
    run.refresh_from_db()
    return run


def expire_stale_runs(initiative: Initiative) -> int:
    """Mark runs pending for longer than STALE_AFTER as failed ("Stale"); returns how many."""
    return RecomputeRun.objects.filter(
        initiative=initiative,
        status__in=[RecomputeRun.Status.QUEUED, RecomputeRun.Status.RUNNING],
        created_at__lt=timezone.now() - STALE_AFTER,
    ).update(status=RecomputeRun.Status.FAILED, finished_at=timezone.now(), error="Stale")


def execute_recompute(run_id: int) -> RecomputeRun | None:
    """The worker's job: claim the queued run, recompute, record the outcome."""
    claimed = RecomputeRun.objects.filter(pk=run_id, status=RecomputeRun.Status.QUEUED).update(
        status=RecomputeRun.Status.RUNNING, started_at=timezone.now()
    )
    run = RecomputeRun.objects.filter(pk=run_id).select_related("initiative").first()
    if not claimed or run is None:
        return run  # unknown, or already run by a retried task
    t0 = time.perf_counter()
    try:
        written = recompute_initiative(run.initiative)
    except Exception as error:
        log.exception("insights recompute %s failed", run_id)
        RecomputeRun.objects.filter(pk=run_id).update(
            status=RecomputeRun.Status.FAILED, finished_at=timezone.now(),
            duration_ms=round((time.perf_counter() - t0) * 1000), error=type(error).__name__[:200],
        )
    else:
        RecomputeRun.objects.filter(pk=run_id).update(
            status=RecomputeRun.Status.DONE, finished_at=timezone.now(), snapshots=len(written),
            duration_ms=round((time.perf_counter() - t0) * 1000),
        )
    run.refresh_from_db()
    return run
