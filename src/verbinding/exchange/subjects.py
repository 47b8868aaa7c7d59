"""Subjects of the exchange ("what" is taught) and their integer ids for the pure solver.

A subject key is "talent:<Talent value>" or "language:<Language value>". The solver sees only
integers: talents 1.., languages 1001.., and a language subject maps to the language it teaches
(ExchangeParameters.language_subjects) so teacher and learner use another shared language.
"""

from __future__ import annotations

from django.utils.translation import gettext

from verbinding.people.vocab import Language, Talent

LANGUAGE_SUBJECT_BASE = 1000

TALENT_IDS = {value: i + 1 for i, value in enumerate(Talent.values)}
LANGUAGE_IDS = {value: i + 1 for i, value in enumerate(Language.values)}
LANGUAGE_CODES = {i: value for value, i in LANGUAGE_IDS.items()}


def subject_id(key: str) -> int:
    kind, _sep, value = key.partition(":")
    if kind == "talent":
        return TALENT_IDS[value]
    return LANGUAGE_SUBJECT_BASE + LANGUAGE_IDS[value]


def subject_key(subject: int) -> str:
    if subject > LANGUAGE_SUBJECT_BASE:
        return f"language:{LANGUAGE_CODES[subject - LANGUAGE_SUBJECT_BASE]}"
    return f"talent:{Talent.values[subject - 1]}"


def language_subjects() -> dict[int, int]:
    return {LANGUAGE_SUBJECT_BASE + i: i for i in LANGUAGE_IDS.values()}


def subject_label(key: str) -> str:
    kind, _sep, value = key.partition(":")
    if kind == "talent":
        return str(Talent(value).label)
    return gettext("Language: %(language)s") % {"language": Language(value).label}


def subject_choices() -> list:
    """Grouped choices for a select: an empty first one, talents, then languages to teach or learn."""
    return [
        ("", gettext("Choose…")),
        (gettext("Talents"), [(f"talent:{v}", str(label)) for v, label in Talent.choices]),
        (gettext("Languages"), [(f"language:{v}", str(label)) for v, label in Language.choices]),
    ]
