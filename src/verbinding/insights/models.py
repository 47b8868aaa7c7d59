"""Stored metric snapshots and the on-demand recompute runs that refresh them.

A `Snapshot` is everything the dashboards, the partner view, the exports and the PDF report
show about one initiative in one period (a calendar month, quarter or year): the output of
`metrics.compute_all` as JSON, plus the counts that disclosure control needs. Pages render
from snapshots only; they never touch attendance. The payload format is documented in
`insights/README.md` (keep the two in step; `snapshots.PAYLOAD_VERSION` says which one).

A `RecomputeRun` records one recompute requested from the dashboard and carried out by the
background worker; at most one is queued or running per initiative (a database constraint).

No model here holds a person: the payload has dense per-run integers only.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from verbinding.core.models import Initiative


class SnapshotManager(models.Manager):
    """Leaves out the per-session detail unless asked for (`.defer(None)` or accessing it):
    at 10 000 members it is 97 % of a year's JSON, and no page needs it."""

    def get_queryset(self):
        return super().get_queryset().defer("sessions")


class Snapshot(models.Model):
    class Kind(models.TextChoices):
        MONTH = "month"
        QUARTER = "quarter"
        YEAR = "year"

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    start = models.DateField()  # first day of the period (local calendar of the initiative)
    end = models.DateField()  # first day after the period (exclusive)
    params = models.JSONField(default=dict)  # MetricParams as a dict (field name -> value)
    payload = models.JSONField(default=dict)  # see insights/README.md, "Snapshot payload"
    sessions = models.JSONField(default=dict)  # per-session detail (README), deferred
    computed_at = models.DateTimeField(default=timezone.now)
    duration_ms = models.PositiveIntegerField(default=0)  # extract + compute, not the write

    objects = SnapshotManager()

    class Meta:
        ordering = ["initiative_id", "kind", "-start", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "kind", "start"], name="insights_snapshot_one_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="insights_snapshot_end_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["month", "quarter", "year"]),
                name="insights_snapshot_kind_known",
            ),
        ]

    def __str__(self) -> str:
        return f"snapshot {self.initiative_id} {self.kind} {self.start:%Y-%m-%d}"


STALE_AFTER = dt.timedelta(hours=2)
"""A recompute still queued or running after this long is taken to be lost (worker down or
killed): it no longer blocks a new one. A full recompute of a 10 000-member initiative takes
a minute or two (benchmarks/insights.py)."""


class RecomputeRun(models.Model):
    """One recompute of every period of an initiative, asked for from the dashboard."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    snapshots = models.PositiveIntegerField(default=0)  # snapshots written
    duration_ms = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=200, blank=True)  # exception class name only

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative"],
                condition=models.Q(status__in=["queued", "running"]),
                name="insights_recompute_one_pending",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "running", "done", "failed"]),
                name="insights_recompute_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"recompute {self.initiative_id} ({self.status})"

    @property
    def pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
