"""create_initiative: an operator sets up a meeting place and its first coordinator.

    manage.py create_initiative --name "De Voorkamer" --slug voorkamer --coordinator anna \
        [--languages nl,en,ar] [--time-zone Europe/Amsterdam] [--password-file FILE]

The password is asked for interactively, or read from --password-file or the environment
variable VERBINDING_COORDINATOR_PASSWORD (for scripts). The coordinator gets the roles
coordinator and member and a Person; two-step login is set up at their first login.
"""

from __future__ import annotations

import getpass
import os
import zoneinfo
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_slug

from verbinding.accounts import services
from verbinding.core.errors import DomainError
from verbinding.core.models import Initiative

KNOWN_LANGUAGES = {"nl", "en", "ar"}


class Command(BaseCommand):
    help = "Create an initiative (meeting place) and its first coordinator."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--slug", required=True, help="web address, e.g. voorkamer")
        parser.add_argument("--coordinator", required=True, help="login name of the coordinator")
        parser.add_argument("--languages", default="nl,en,ar")
        parser.add_argument("--time-zone", default="Europe/Amsterdam")
        parser.add_argument("--password-file", help="file whose first line is the password")

    def handle(self, *args, **opts):
        name = opts["name"].strip()
        slug = opts["slug"].strip()
        username = opts["coordinator"].strip()
        if not name or len(name) > 120:
            raise CommandError("--name must be 1 to 120 characters.")
        try:
            validate_slug(slug)
        except ValidationError as error:
            raise CommandError(f"--slug {slug!r}: use letters, digits, - and _ only.") from error
        if len(slug) > 60:
            raise CommandError("--slug may be at most 60 characters.")
        if not username or len(username) > 150 or any(c.isspace() for c in username):
            raise CommandError("--coordinator must be a login name without spaces.")
        languages = [code.strip() for code in opts["languages"].split(",") if code.strip()]
        unknown = set(languages) - KNOWN_LANGUAGES
        if not languages or unknown:
            raise CommandError(
                f"--languages must be a list of {', '.join(sorted(KNOWN_LANGUAGES))}; "
                f"unknown: {', '.join(sorted(unknown)) or 'none given'}."
            )
        try:
            zoneinfo.ZoneInfo(opts["time_zone"])
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
            raise CommandError(f"--time-zone {opts['time_zone']!r} is not a known time zone.") \
                from error
        # Checked again inside the service; asking here first spares typing a password in vain.
        if Initiative.objects.filter(slug=slug).exists():
            raise CommandError(f"An initiative with slug {slug!r} already exists.")
        password = self._password(opts)
        try:
            initiative = services.create_initiative(
                name=name, slug=slug, coordinator_username=username, password=password,
                languages=languages, time_zone=opts["time_zone"],
            )
        except DomainError as error:
            raise CommandError(
                {"slug_taken": f"An initiative with slug {slug!r} already exists.",
                 "username_taken": f"The login name {username!r} is already taken."}
                .get(error.code, error.code)
            ) from error
        except ValidationError as error:
            raise CommandError("Password not accepted: " + " ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(
            f"Created initiative {initiative.name!r} at /{initiative.slug}/ with coordinator "
            f"{username!r}. They set up two-step login at their first login."
        ))

    def _password(self, opts) -> str:
        if opts.get("password_file"):
            try:
                text = Path(opts["password_file"]).read_text(encoding="utf-8")
            except OSError as error:
                raise CommandError(f"Cannot read --password-file: {error}") from error
            lines = text.splitlines()
            if not lines or not lines[0]:
                raise CommandError("--password-file is empty.")
            return lines[0]
        from_env = os.environ.get("VERBINDING_COORDINATOR_PASSWORD")
        if from_env:
            return from_env
        if not opts.get("interactive", True) or not os.isatty(0):
            raise CommandError(
                "No password: use --password-file or VERBINDING_COORDINATOR_PASSWORD."
            )
        first = getpass.getpass("Password for the coordinator: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The passwords do not match.")
        return first
