"""Short lists in pages: the language's own separator, each item escaped and isolated."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation


def render(items, lang: str) -> str:
    with translation.override(lang):
        return Template("{% load lists %}[{{ items|comma_list }}]").render(Context({"items": items}))


def test_a_list_uses_the_arabic_comma_in_arabic_and_a_comma_elsewhere():
    assert render(["أ", "ب"], "ar") == "[<bdi>أ</bdi>، <bdi>ب</bdi>]"
    assert render(["Muziek", "Sport"], "nl") == "[<bdi>Muziek</bdi>, <bdi>Sport</bdi>]"
    assert render(["a", "b"], "en") == "[<bdi>a</bdi>, <bdi>b</bdi>]"


def test_items_are_escaped_and_an_empty_list_is_empty():
    assert render(["<script>x</script>", "A & B"], "en") == (
        "[<bdi>&lt;script&gt;x&lt;/script&gt;</bdi>, <bdi>A &amp; B</bdi>]")
    assert render([], "ar") == "[]"
    assert render(None, "nl") == "[]"


def test_the_separator_tag_follows_the_language():
    template = Template("{% load lists %}a{% list_sep %}b")
    with translation.override("ar"):
        assert template.render(Context()) == "a، b"
    with translation.override("nl"):
        assert template.render(Context()) == "a, b"
