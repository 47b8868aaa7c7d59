"""Anonymise people who have not been active for VERBINDING_INACTIVE_MONTHS (privacy rule 6).

Run nightly from cron (see README.md, "Running in production"). Prints counts only, never
names: the output ends up in mail and log files.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from verbinding.people.services import anonymise_inactive


class Command(BaseCommand):
    help = (
        "Erase every person whose last activity is older than VERBINDING_INACTIVE_MONTHS "
        "(staff and organisers of coming activities are kept)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true",
            help="Only count who would be anonymised; change nothing.",
        )

    def handle(self, *args, dry_run: bool = False, **options):
        result = anonymise_inactive(dry_run=dry_run)
        months = settings.VERBINDING_INACTIVE_MONTHS
        if dry_run:
            self.stdout.write(
                f"Dry run: would anonymise {result.anonymised} people inactive for more than "
                f"{months} months; would skip {result.skipped} (staff or organising a "
                "coming activity)."
            )
        else:
            self.stdout.write(
                f"Anonymised {result.anonymised} people inactive for more than {months} months; "
                f"skipped {result.skipped} (staff or organising a coming activity)."
            )
