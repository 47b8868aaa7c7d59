"""Sharing figures with a partner in Debian's Chromium: a coordinator shares with a partner
login of another place and creates a new one (Dutch, desktop; Arabic, 390 px phone); the
partner then opens the partner view and finds both places."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import login, shot
from tests.factories import InitiativeFactory
from verbinding.accounts.models import Role


@pytest.fixture
def places(transactional_db):
    here = InitiativeFactory(slug="voorkamer", name="De Voorkamer", district="Lombok")
    there = InitiativeFactory(slug="huiskamer", name="De Huiskamer", district="Centrum")
    make_user(here, "coco", "coordinator", "member", display_name="Coco")
    make_user(there, "gemeente-utrecht", "partner")
    make_user(here, "joost", "member", display_name="Joost")
    return here, there


@pytest.mark.parametrize(("viewport", "lang"), [("desktop", "nl"), ("phone", "ar")])
def test_a_coordinator_shares_and_the_partner_sees_both_places(new_page, places, viewport, lang):
    page = new_page(viewport=viewport, lang=lang)
    login(page, "voorkamer", "coco", PASSWORD)
    page.goto("/voorkamer/manage/partner-logins/")
    # A member's login is refused with the same message as an unknown name.
    page.fill("input[name=share-username]", "joost")
    page.locator("form:has(input[value=share]) button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#id_share-username + .errorlist, .field.has-error .errorlist").count()
    page.fill("input[name=share-username]", "gemeente-utrecht")
    page.locator("form:has(input[value=share]) button[type=submit]").click()
    page.wait_for_load_state()
    page.fill("input[name=new-username]", "fonds-utrecht")
    page.fill("input[name=new-password]", "kort")
    page.locator("form:has(input[value=create]) button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".field.has-error").count() == 1
    assert page.locator(".card-list .card").count() == 1
    assert "gemeente-utrecht" in page.locator(".card-list").inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page is {width} px wide"
    if lang == "ar":
        assert page.evaluate("document.documentElement.dir") == "rtl"
    shot(page, f"people-partner-logins-{lang}-{viewport}")
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "verbinding_language", "value": lang,
                               "url": page.url.split("/voorkamer")[0]}])
    login(page, "huiskamer", "gemeente-utrecht", PASSWORD)
    page.goto("/huiskamer/partner/")
    # "the 2 initiatives that share them"; Arabic says it with the dual, "the two initiatives".
    assert ("2" if lang == "nl" else "المبادرتين") in page.locator(".lead").inner_text()
    assert Role.objects.filter(user__username="gemeente-utrecht", name="partner").count() == 2
