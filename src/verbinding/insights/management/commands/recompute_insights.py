"""recompute_insights: store fresh metric snapshots for every period with data.

    manage.py recompute_insights [--initiative SLUG] [--since YYYY-MM-DD] [--kind month ...]

Runs nightly (README, deployment). Idempotent: each period's snapshot is replaced in one
transaction. Without --since, every month, quarter and year with data is recomputed and
snapshots of periods without data any more are removed; with --since, only periods that end
after that date. Prints one line per initiative and kind with its timing; an initiative that
fails is logged and skipped, and the command then exits with an error naming it.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.core.management.base import BaseCommand, CommandError

from verbinding.core.models import Initiative
from verbinding.insights.models import Snapshot
from verbinding.insights.services import recompute_initiative

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Compute the connection-metric snapshots of every initiative and period."

    def add_arguments(self, parser):
        parser.add_argument("--initiative", help="slug of one initiative (default: all)")
        parser.add_argument("--since", help="only periods ending after this date, YYYY-MM-DD")
        parser.add_argument("--kind", action="append", choices=Snapshot.Kind.values,
                            help="period kind (repeatable; default: month, quarter and year)")

    def handle(self, *args, **opts):
        since = None
        if opts["since"]:
            try:
                since = dt.date.fromisoformat(opts["since"])
            except ValueError as error:
                raise CommandError("--since must be a date like 2026-03-01.") from error
        initiatives = Initiative.objects.order_by("slug", "id")
        if opts["initiative"]:
            initiatives = initiatives.filter(slug=opts["initiative"])
            if not initiatives.exists():
                raise CommandError(f"No initiative with the slug {opts['initiative']!r}.")
        kinds = tuple(Snapshot.Kind(k) for k in (opts["kind"] or Snapshot.Kind.values))
        started = time.perf_counter()
        total = 0
        failed = []
        for initiative in initiatives:
            for kind in kinds:
                t0 = time.perf_counter()
                try:
                    written = recompute_initiative(initiative, since=since, kinds=(kind,))
                except Exception as error:  # one initiative's failure must not stop the others
                    log.exception("recompute_insights failed for %s (%s)", initiative.slug, kind)
                    failed.append(initiative.slug)
                    self.stderr.write(f"{initiative.slug}: {kind} failed ({type(error).__name__})")
                    continue
                total += len(written)
                slowest = max((s.duration_ms for s in written), default=0)
                self.stdout.write(
                    f"{initiative.slug}: {len(written)} {kind} snapshot(s) in "
                    f"{time.perf_counter() - t0:.2f} s (slowest {slowest} ms)"
                )
        self.stdout.write(self.style.SUCCESS(
            f"{total} snapshot(s) in {time.perf_counter() - started:.2f} s."
        ))
        if failed:
            raise CommandError(f"Failed for: {', '.join(sorted(set(failed)))}.")
