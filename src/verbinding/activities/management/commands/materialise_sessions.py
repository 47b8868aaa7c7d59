"""Create the sessions of every activity for the coming window (nightly cron). Idempotent.

    manage.py materialise_sessions

Open-ended repeat rules are materialised VERBINDING_MATERIALISE_DAYS ahead; running this every
night keeps that window rolling. Sessions with sign-ups or check-ins are never deleted (see
docs/algorithms/recurrence.md).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from verbinding.activities.services import materialise_all


class Command(BaseCommand):
    help = "Create (and tidy) the sessions of every activity for the coming window."

    def handle(self, *args, **options):
        result = materialise_all()
        self.stdout.write(
            f"sessions created: {result.created}, deleted: {result.deleted}, "
            f"cancelled: {result.cancelled}"
        )
