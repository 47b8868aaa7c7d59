"""Lists written the way the active language writes them: "a, b, c" — or "a، b، c" in Arabic.

    {% load lists %}
    {{ names|comma_list }}                          each item escaped and isolated in <bdi>
    {% for x in xs %}…{% if not forloop.last %}{% list_sep %}{% endif %}{% endfor %}
"""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import pgettext

register = template.Library()


def separator() -> str:
    # Translators: what goes between the items of a short list. Arabic uses its own comma.
    return pgettext("list separator", ", ")


@register.simple_tag
def list_sep() -> str:
    return separator()


@register.filter(needs_autoescape=True)
def comma_list(items, autoescape=True) -> str:
    """The items joined by the language's list separator, each escaped and in a <bdi> so a name
    or word in another script keeps its own direction. An empty list gives ""."""
    escape = conditional_escape if autoescape else str
    return mark_safe(separator().join(f"<bdi>{escape(item)}</bdi>" for item in items or ()))  # noqa: S308
