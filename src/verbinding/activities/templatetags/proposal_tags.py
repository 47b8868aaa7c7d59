"""Template filters for proposals: language codes as names, a price in cents as euros."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from verbinding.people.vocab import Language

register = template.Library()


@register.filter
def language_labels(codes) -> list[str]:
    labels = dict(Language.choices)
    return [str(labels[code]) for code in codes or () if code in labels]


@register.filter
def euros(cents) -> str:
    if cents is None:
        return ""
    return number_format(Decimal(cents) / 100, decimal_pos=2, use_l10n=True)
