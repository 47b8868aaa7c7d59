"""Multilingual content helpers: per-language JSON fields and their fallbacks.

Activity titles, descriptions and initiative texts are stored as {"nl": ..., "en": ..., "ar": ...}.
`localized` picks the visitor's language, then the initiative's languages in order, then
Dutch and English, then anything present, so a page never shows an empty title.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.utils import translation


def localized(values: Mapping[str, str] | None, *, lang: str | None = None,
              fallbacks: Iterable[str] = ()) -> str:
    if not values:
        return ""
    wanted = [lang or translation.get_language() or "nl", *fallbacks, "nl", "en"]
    for code in wanted:
        code = (code or "").split("-")[0]
        text = values.get(code)
        if text:
            return text
    for text in values.values():
        if text:
            return text
    return ""


def localized_lang(values: Mapping[str, str] | None, *, lang: str | None = None,
                   fallbacks: Iterable[str] = ()) -> str:
    """The language code `localized` would use (for a lang="" attribute on fallback text)."""
    if not values:
        return lang or translation.get_language() or "nl"
    wanted = [lang or translation.get_language() or "nl", *fallbacks, "nl", "en", *values.keys()]
    for code in wanted:
        code = (code or "").split("-")[0]
        if values.get(code):
            return code
    return lang or "nl"
