"""Start a talent-exchange matching round (weekly cron, optional).

    manage.py run_exchange --initiative voorkamer    # one meeting place
    manage.py run_exchange --all                     # every meeting place
    manage.py run_exchange --all --inline            # solve here, without the db_worker

By default the round is handed to the background worker (`manage.py db_worker`), exactly as
the coordinator's "Run matching now" button does. A meeting place with a run in progress or
fewer than two people ready is skipped with a note; the command never fails because of one.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from verbinding.core.errors import DomainError
from verbinding.core.models import Initiative
from verbinding.exchange import services


class Command(BaseCommand):
    help = "Start a talent-exchange matching round for one or every initiative."

    def add_arguments(self, parser):
        parser.add_argument("--initiative", help="slug of the initiative")
        parser.add_argument("--all", action="store_true", help="every initiative")
        parser.add_argument("--inline", action="store_true",
                            help="solve in this process instead of the background worker")

    def handle(self, *args, **options):
        if bool(options["initiative"]) == bool(options["all"]):
            raise CommandError("give --initiative <slug> or --all")
        initiatives = Initiative.objects.order_by("slug")
        if options["initiative"]:
            initiatives = initiatives.filter(slug=options["initiative"])
            if not initiatives.exists():
                raise CommandError(f"no initiative with slug {options['initiative']!r}")
        for initiative in initiatives:
            try:
                if options["inline"]:
                    round_ = services.create_round(initiative=initiative, by=None)
                    round_ = services.run_round(round_.pk)
                else:
                    round_ = services.start_round(initiative=initiative, by=None)
            except DomainError as error:
                self.stdout.write(f"{initiative.slug}: skipped ({error.code})")
                continue
            self.stdout.write(
                f"{initiative.slug}: round {round_.pk} {round_.status}, pool {round_.pool_size}"
                + (f", matched {round_.matched} of at most {round_.upper_bound}"
                   if round_.matched is not None else "")
            )
