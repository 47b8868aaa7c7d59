"""The visitor's language is chosen, remembered and switchable on every page; the security
headers every response carries."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.parametrize(("lang", "direction"), [("nl", "ltr"), ("en", "ltr"), ("ar", "rtl")])
def test_a_chosen_language_is_remembered_and_sets_the_direction(client, initiative, lang, direction):
    calendar = reverse("activities:calendar", kwargs={"initiative_slug": initiative.slug})
    response = client.post(reverse("set_language"), {"language": lang, "next": calendar})
    assert response.status_code == 302
    assert response["Location"] == calendar
    assert response.cookies["verbinding_language"].value == lang
    page = client.get(calendar).content.decode()
    assert f'<html lang="{lang}" dir="{direction}">' in page


def test_every_page_offers_the_language_switch_in_each_language_by_its_own_name(client, initiative):
    page = client.get(reverse("activities:calendar", kwargs={"initiative_slug": "voorkamer"}))
    html = page.content.decode()
    for value, own_name in [("nl", "Nederlands"), ("en", "English"), ("ar", "العربيّة")]:
        assert f'value="{value}"' in html
        assert own_name in html


def test_an_unknown_language_is_ignored(client, initiative):
    calendar = reverse("activities:calendar", kwargs={"initiative_slug": initiative.slug})
    client.post(reverse("set_language"), {"language": "xx<script>", "next": calendar})
    page = client.get(calendar).content.decode()
    assert '<html lang="nl" dir="ltr">' in page


def test_the_language_switch_does_not_redirect_to_another_site(client, initiative):
    response = client.post(reverse("set_language"),
                           {"language": "en", "next": "https://evil.example/"})
    assert "evil.example" not in response.get("Location", "")


def test_pages_carry_a_strict_content_security_policy(client, initiative):
    response = client.get(reverse("activities:calendar", kwargs={"initiative_slug": "voorkamer"}))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_page_loads_anything_from_another_origin(client, initiative):
    html = client.get(reverse("activities:calendar", kwargs={"initiative_slug": "voorkamer"})).content.decode()
    for attribute in ('src="http', "src='http", 'href="http', "url(http", 'src="//', 'href="//'):
        assert attribute not in html
    assert "<script>" not in html  # every inline script would need the nonce
    assert 'style="' not in html


def test_the_health_check_answers_without_a_database_query(client, django_assert_num_queries, db):
    with django_assert_num_queries(0):
        assert client.get(reverse("core:healthz")).content == b"ok"
