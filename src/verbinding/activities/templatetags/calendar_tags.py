"""Template filters for the public calendar and activity pages: prices and language names."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils import formats

from verbinding.people.vocab import Language

register = template.Library()

LANGUAGE_NAMES = dict(Language.choices)


@register.filter
def money(cents) -> str:
    """Cents as a euro amount in the active language's number format ("€ 5,00" in Dutch)."""
    if cents is None or cents == "":
        return ""
    try:
        amount = Decimal(int(cents)) / 100
    except (TypeError, ValueError):
        return ""
    return f"€\N{NO-BREAK SPACE}{formats.number_format(amount, 2, use_l10n=True)}"


@register.filter
def language_name(code) -> str:
    """The translated name of a language code from the profile vocabulary (the code if unknown)."""
    label = LANGUAGE_NAMES.get(str(code))
    return str(label) if label is not None else str(code)
