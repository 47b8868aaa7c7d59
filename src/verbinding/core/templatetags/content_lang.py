"""Template filter for multilingual content: the language a shown text is really in."""

from __future__ import annotations

from django import template

from verbinding.core.i18n import localized_lang

register = template.Library()


@register.filter
def text_lang(values, fallbacks=None) -> str:
    """The language of the text `localized` picks from `values`, for a lang="" attribute, so a
    screen reader reads a Dutch fallback title on an Arabic page with a Dutch voice:
    `<a lang="{{ activity.title|text_lang:initiative.languages }}">{{ activity.title_text }}</a>`.
    """
    return localized_lang(values if isinstance(values, dict) else None, fallbacks=fallbacks or ())
