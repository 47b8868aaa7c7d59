"""Delete what the pulse keeps only for a while: used kiosk links and "answered" markers once
they can no longer stop a double answer, and responses past VERBINDING_PULSE_RETENTION_MONTHS.

Run nightly from cron, next to `anonymise_inactive`. Prints counts only.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from verbinding.surveys.services import delete_old_responses, prune_markers, retention_months


class Command(BaseCommand):
    help = "Prune used pulse links, answered markers and pulse responses past their retention."

    def handle(self, *args, **options):
        links, markers = prune_markers()
        responses = delete_old_responses()
        self.stdout.write(
            f"Deleted {links} used pulse links, {markers} answered markers and {responses} pulse "
            f"responses older than {retention_months()} months."
        )
