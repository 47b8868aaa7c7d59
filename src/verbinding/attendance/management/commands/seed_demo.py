"""seed_demo: two fictional meeting places with members, activities, sessions and sign-ups.

    manage.py seed_demo --seed 1 [--today YYYY-MM-DD] [--scale 1.0] [--if-empty] [--flush-demo]

Built through the services (see attendance/demo.py); the same seed and --today give the same
data. --if-empty does nothing when the demo places exist already (so `make demo` can run
twice); --flush-demo deletes them (and only them) first. Prints the demo logins at the end.
"""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from verbinding.attendance import demo


class Command(BaseCommand):
    help = "Create two fictional meeting places with demo members and activities."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--today", help="reference date YYYY-MM-DD (default: today)")
        parser.add_argument("--scale", type=float, default=1.0,
                            help="share of the ~440 members to create (0.05 to 1.0)")
        parser.add_argument("--if-empty", action="store_true",
                            help="do nothing if the demo places exist already")
        parser.add_argument("--flush-demo", action="store_true",
                            help="delete the demo places (only those) before seeding")

    def handle(self, *args, **opts):
        scale = opts["scale"]
        if not 0.05 <= scale <= 1.0:
            raise CommandError("--scale must be between 0.05 and 1.0.")
        if opts["today"]:
            try:
                today = dt.date.fromisoformat(opts["today"])
            except ValueError as error:
                raise CommandError("--today must be a date like 2026-03-02.") from error
        else:
            today = timezone.localdate()
        if opts["flush_demo"]:
            flushed = demo.flush_demo()
            self.stdout.write(f"Removed {flushed} demo place(s).")
        if demo.demo_exists():
            if opts["if_empty"]:
                self.stdout.write("The demo places exist already; nothing to do.")
                self._print_logins(demo.existing_demo_logins())
                return
            raise CommandError(
                "The demo places exist already. Use --flush-demo to rebuild them, or --if-empty."
            )
        started = time.monotonic()
        result = demo.DemoBuilder(seed=opts["seed"], today=today, scale=scale).build()
        elapsed = time.monotonic() - started

        c = result.counts
        self.stdout.write(self.style.SUCCESS(
            f"Demo data ready in {elapsed:.1f} s: {len(result.initiatives)} places, "
            f"{c.get('members', 0)} members, {c.get('regular_activities', 0)} regular activities, "
            f"{c.get('projects', 0)} projects, {c.get('sessions', 0)} sessions "
            f"({c.get('sessions_cancelled', 0)} cancelled, {c.get('sessions_moved', 0)} moved), "
            f"{c.get('sign_ups', 0) + c.get('past_sign_ups', 0)} sign-ups, "
            f"{c.get('enrolments', 0)} project enrolments ({c.get('waitlisted', 0)} on a "
            f"waiting list)."
        ))
        proposals = sum(v for k, v in c.items() if k.startswith("proposals_"))
        self.stdout.write(
            f"  History: {c.get('checkins', 0)} check-ins and {c.get('guests', 0)} walk-in guests "
            f"over 18 months, {c.get('one_offs', 0)} one-off and festive days, "
            f"{c.get('path_organised_once', 0)} people who organised once, "
            f"{c.get('volunteers', 0)} volunteers, {c.get('path_recurring', 0)} recurring "
            f"organisers, {c.get('registered_on_behalf', 0)} people registered on their behalf, "
            f"{c.get('cards', 0)} QR cards, {proposals} proposals, {c.get('messages', 0)} messages."
        )
        for slug, place in sorted(result.per_place.items()):
            self.stdout.write(f"  {slug}: {place.get('members', 0)} members, "
                              f"{place.get('checkins', 0)} check-ins, "
                              f"{place.get('guests', 0)} guests.")
        for text in result.notes:
            self.stdout.write(f"  note: {text}")
        # The dashboards render from stored snapshots: add the demo pulse answers, then compute
        # the snapshots for the demo places now. By command name, because surveys and insights
        # sit above attendance in the import layers.
        for place in result.initiatives:
            call_command("seed_demo_pulses", initiative=place.slug, seed=opts["seed"],
                         stdout=self.stdout)
            call_command("recompute_insights", initiative=place.slug, stdout=self.stdout)
        self._print_logins([
            (place, role, username, next(i.slug for i in result.initiatives if i.name == place))
            for place, role, username in result.logins
        ])

    def _print_logins(self, logins) -> None:
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD})")
        for place, role, username, slug in logins:
            self.stdout.write(f"  {place:<14} {role:<12} {username:<26} /{slug}/login/")
        if getattr(settings, "VERBINDING_REQUIRE_STAFF_2FA", False):
            self.stdout.write(
                "Staff logins (coordinator, organiser, host) set up two-step login at their "
                "first visit to a staff page; set VERBINDING_REQUIRE_STAFF_2FA=0 to skip that in "
                "a demo."
            )
