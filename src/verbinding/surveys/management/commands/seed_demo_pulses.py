"""Fill the demo places with plausible pulse answers (see surveys/demo.py), for the dashboards.

`manage.py seed_demo_pulses` after `seed_demo` (all demo places) or `--initiative <slug>`.
Run `recompute_insights` afterwards so the snapshots include them.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from verbinding.core.models import Initiative
from verbinding.surveys.demo import seed_pulses


class Command(BaseCommand):
    help = "Add demo pulse answers for the past sessions of the demo places (deterministic)."

    def add_arguments(self, parser):
        parser.add_argument("--initiative", help="Only this place (its slug).")
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, **opts):
        places = Initiative.objects.order_by("slug")
        if opts["initiative"]:
            places = places.filter(slug=opts["initiative"])
            if not places.exists():
                raise CommandError(f"No place with the web address {opts['initiative']!r}.")
        for place in places:
            n = seed_pulses(place, seed=opts["seed"])
            self.stdout.write(f"{place.slug}: {n} demo pulses.")
