"""The Dutch and Arabic catalogs are complete and agree with each other.

Each app keeps its own locale/{nl,ar}/LC_MESSAGES/django.po (see `make messages`), but Django
merges every app's catalog into one per language: when two apps translate the same msgid (in
the same context) differently, which one a page shows depends on the order of INSTALLED_APPS.
So a string that means something else in another place needs its own context (pgettext,
`{% translate "…" context "…" %}`), and a shared string needs the same translation everywhere.

These tests only read the real catalogs: the sources are extracted with Django's own
makemessages into a temporary copy of each app.
"""

from __future__ import annotations

import ast
import contextlib
import gettext
import shutil
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command

SRC = Path(__file__).resolve().parents[2] / "src" / "verbinding"
# Every app with a locale/ (`make messages`); config's is LOCALE_PATHS, so it overrides the rest.
APPS = sorted(path.parent.name for path in SRC.glob("*/locale"))
LANGUAGES = ("nl", "ar")


@dataclass(frozen=True)
class Entry:
    context: str | None
    msgid: str
    msgid_plural: str | None
    msgstrs: tuple[str, ...]  # one for a singular entry, one per plural form otherwise
    fuzzy: bool

    @property
    def key(self) -> tuple[str | None, str]:
        return self.context, self.msgid

    @property
    def translated(self) -> bool:
        return not self.fuzzy and bool(self.msgstrs) and all(self.msgstrs)

    def label(self) -> str:
        return self.msgid if self.context is None else f"{self.msgid!r} (context {self.context!r})"


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po/.pot file (no header, no obsolete #~ entries)."""
    entries: list[Entry] = []
    fields: dict[str, str] = {}
    flags: set[str] = set()
    current: str | None = None

    def flush() -> None:
        nonlocal fields, flags, current
        if fields.get("msgid"):
            plural = "msgid_plural" in fields
            if plural:
                forms = sorted(
                    (int(name[7:-1]), text)
                    for name, text in fields.items()
                    if name.startswith("msgstr[")
                )
                msgstrs = tuple(text for _, text in forms)
            else:
                msgstrs = (fields.get("msgstr", ""),)
            entries.append(Entry(
                context=fields.get("msgctxt"), msgid=fields["msgid"],
                msgid_plural=fields.get("msgid_plural"), msgstrs=msgstrs, fuzzy="fuzzy" in flags,
            ))
        fields, flags, current = {}, set(), None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#~"):  # end of an entry; obsolete entries don't count
            flush()
            continue
        has_msgstr = any(name.startswith("msgstr") for name in fields)
        if line.startswith("#"):
            if has_msgstr:
                flush()
            if line.startswith("#,"):
                flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith('"'):
            fields[current] += ast.literal_eval(line)
        else:
            keyword, _, text = line.partition(" ")
            if keyword in ("msgctxt", "msgid") and has_msgstr:
                flush()
            current = keyword
            fields[keyword] = ast.literal_eval(text)
    flush()
    return entries


def po_path(app: str, language: str) -> Path:
    return SRC / app / "locale" / language / "LC_MESSAGES" / "django.po"


def catalogs(language: str) -> dict[str, list[Entry]]:
    return {app: read_po(po_path(app, language)) for app in APPS}


def extract(app: str, workdir: Path) -> list[Entry]:
    """The msgids `make messages` finds in `app`, extracted from a copy of its sources (the
    copy has an empty locale/, so makemessages writes nothing next to the real catalogs)."""
    copy = workdir / app
    shutil.copytree(
        SRC / app, copy,
        ignore=shutil.ignore_patterns("locale", "migrations", "__pycache__", "static"),
    )
    (copy / "locale").mkdir()
    with contextlib.chdir(copy):
        call_command("makemessages", locale=["nl"], keep_pot=True, verbosity=0)
    return read_po(copy / "locale" / "django.pot")


def test_every_translatable_string_has_a_dutch_and_an_arabic_translation(tmp_path, settings):
    settings.LOCALE_PATHS = []  # makemessages would also write to config's catalogs
    missing: list[str] = []
    for app in APPS:
        found = extract(app, tmp_path)
        assert found, f"makemessages found no strings in {app}"
        for language in LANGUAGES:
            translated = {entry.key for entry in read_po(po_path(app, language)) if entry.translated}
            gaps = [entry.label() for entry in found if entry.key not in translated]
            if gaps:
                missing.append(f"{app} [{language}] ({len(gaps)}):\n    " + "\n    ".join(gaps))
    assert not missing, (
        "Strings without a translation, or only a fuzzy one — run `make messages`, translate "
        "them, then compilemessages:\n" + "\n".join(missing)
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_string_has_the_same_translation_in_every_app(language):
    """Django merges the apps' catalogs, so differing translations of one msgid make the page
    depend on app order. Give a string that means something else a context instead."""
    by_key: dict[tuple[str | None, str], dict[str, tuple[str, ...]]] = defaultdict(dict)
    for app, entries in catalogs(language).items():
        for entry in entries:
            if entry.translated:
                by_key[entry.key][app] = entry.msgstrs
    conflicts = []
    for (context, msgid), by_app in sorted(by_key.items(), key=lambda item: item[0][1]):
        if len(set(by_app.values())) > 1:
            apps_by_text: dict[tuple[str, ...], list[str]] = defaultdict(list)
            for app, msgstrs in by_app.items():
                apps_by_text[msgstrs].append(app)
            label = msgid if context is None else f"{msgid!r} (context {context!r})"
            conflicts.append(f"{label}\n" + "\n".join(
                f"    {', '.join(apps)}: {' | '.join(msgstrs)}"
                for msgstrs, apps in apps_by_text.items()
            ))
    assert not conflicts, (
        f"{len(conflicts)} strings translated differently per app [{language}] — choose one "
        "translation, or give the string a context where the meaning differs:\n"
        + "\n".join(conflicts)
    )


def test_the_compiled_catalogs_are_up_to_date():
    """The .mo files are not in git; scripts/setup.sh compiles them. After editing a .po, run
    `manage.py compilemessages --ignore=.venv` or the pages still show the old text."""
    stale = []
    for app in APPS:
        for language in LANGUAGES:
            po = po_path(app, language)
            mo = po.with_suffix(".mo")
            if not mo.exists():
                stale.append(f"{mo.relative_to(SRC)} is missing")
                continue
            expected: dict[str | tuple[str, int], str] = {}
            for entry in read_po(po):
                if not entry.translated:
                    continue
                msgid = entry.msgid if entry.context is None else f"{entry.context}\x04{entry.msgid}"
                if entry.msgid_plural is None:
                    expected[msgid] = entry.msgstrs[0]
                else:
                    expected.update({(msgid, n): text for n, text in enumerate(entry.msgstrs)})
            with mo.open("rb") as file:
                # What gettext reads from the .mo: msgid (ctx\x04msgid) → text, (msgid, n) for plurals.
                compiled = dict(gettext.GNUTranslations(file)._catalog)
            compiled.pop("", None)  # the header
            if compiled != expected:
                stale.append(f"{mo.relative_to(SRC)} differs from its .po")
    assert not stale, "Run `.venv/bin/python manage.py compilemessages --ignore=.venv`:\n" + (
        "\n".join(stale)
    )
