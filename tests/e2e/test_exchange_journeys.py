"""Talent exchange in Debian's Chromium:

two members add what they can teach and want to learn (Amal in Arabic on a 390 px phone, Joost
in Dutch on a desktop); a coordinator working in Dutch on a desktop runs the matching and sees
the pair against the solver's bound; Amal confirms on her phone, Joost too, and both see the
exchange confirmed. A second test shows the coordinator's page polling a running round (htmx)
and reloading when it is done.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import PASSWORD, make_user, person_of
from tests.e2e.conftest import login, shot
from tests.factories import InitiativeFactory
from verbinding.exchange.models import ExchangeMatch, ExchangeRound, Offer, Want
from verbinding.people.models import PersonLanguage

ARABIC = re.compile(r"[\u0600-\u06FF]")


@pytest.fixture
def place(transactional_db):
    initiative = InitiativeFactory(slug="voorkamer", name="De Voorkamer", district="Lombok")
    coordinator = make_user(initiative, "coco", "coordinator", "member", display_name="Coco")
    amal = make_user(initiative, "amal", "member", display_name="أمل", group="newcomer", gender="woman")
    joost = make_user(initiative, "joost", "member", display_name="Joost", group="local", gender="man")
    for user, languages in ((amal, ("ar", "en")), (joost, ("nl", "en"))):
        person = person_of(user, initiative)
        person.availability = ["sat-morning", "wed-evening"]
        person.save()
        for code in languages:
            PersonLanguage.objects.create(person=person, language=code, level="fluent")
    return {"initiative": initiative, "coordinator": coordinator, "amal": amal, "joost": joost}


def no_sideways_scroll(page, width=390):
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"the page scrolls sideways on a phone: {scroll}px"


def add(page, kind: str, subject: str, languages=()):
    form = page.locator(f"form[action$='/me/exchange/{kind}s/add/']")
    form.locator(f"select[name={kind}-subject]").select_option(subject)
    if languages:
        form.locator("details.languages-details > summary").click()
    for code in languages:
        form.locator(f"input[name={kind}-languages][value={code}]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/voorkamer/me/exchange/$"))


def test_two_members_are_matched_by_a_coordinator_and_confirm(new_page, place):
    # Amal, in Arabic on a phone: she teaches Arabic (through English) and wants bike repair.
    amal = new_page(viewport="phone", lang="ar")
    login(amal, "voorkamer", "amal", PASSWORD)
    amal.goto("/voorkamer/me/exchange/")
    assert amal.locator("html").get_attribute("dir") == "rtl"
    assert ARABIC.search(amal.locator("h1").inner_text())
    shot(amal, "exchange-mine-empty-ar-phone")
    # Nothing chosen: a clear Arabic error, nothing saved.
    amal.locator("form[action$='/offers/add/'] button[type=submit]").click()
    amal.locator(".errorlist").first.wait_for()
    assert ARABIC.search(amal.locator(".errorlist").first.inner_text())
    assert not Offer.objects.exists()
    add(amal, "offer", "language:ar", ["en"])
    add(amal, "want", "talent:bike_repair")
    no_sideways_scroll(amal)
    shot(amal, "exchange-mine-listed-ar-phone")

    # Joost, in Dutch on a desktop: bike repair for Arabic.
    joost = new_page(viewport="desktop", lang="nl")
    login(joost, "voorkamer", "joost", PASSWORD)
    joost.goto("/voorkamer/me/exchange/")
    add(joost, "offer", "talent:bike_repair")
    add(joost, "want", "language:ar")
    assert Offer.objects.count() == 2 and Want.objects.count() == 2
    shot(joost, "exchange-mine-listed-nl-desktop")

    # The coordinator, in Dutch on a desktop, runs the matching.
    coco = new_page(viewport="desktop", lang="nl")
    login(coco, "voorkamer", "coco", PASSWORD)
    coco.goto("/voorkamer/manage/exchange/")
    assert coco.get_by_text("Talentenruil").first.is_visible()
    shot(coco, "exchange-manage-nl-desktop")
    coco.locator("form[action$='/manage/exchange/run/'] button[type=submit]").click()
    coco.wait_for_url(re.compile(r"/voorkamer/manage/exchange/rounds/\d+/$"))
    round_ = ExchangeRound.objects.get()
    assert round_.status == "done" and round_.matched == 2 and round_.upper_bound == 2
    coco.locator(".cycle-card").first.wait_for()
    text = coco.locator("main").inner_text()
    assert "Joost" in text and "أمل" in text and "Tweetal" in text
    assert "2 van 2 lessen verbinden groepen" in text
    shot(coco, "exchange-round-nl-desktop")

    # Amal sees who teaches her what, and says yes on her phone.
    amal.goto("/voorkamer/me/exchange/")
    card = amal.locator(".exchange-card").first
    assert "Joost" in card.inner_text()
    no_sideways_scroll(amal)
    shot(amal, "exchange-mine-proposed-ar-phone")
    card.locator("form[action$='/answer/'] input[value=yes]").locator("xpath=..").locator(
        "button[type=submit]").click()
    amal.wait_for_url(re.compile(r"/voorkamer/me/exchange/$"))
    lesson = ExchangeMatch.objects.get(giver=person_of(place["amal"], place["initiative"]))
    assert (lesson.giver_answer, lesson.status) == ("yes", "proposed")
    shot(amal, "exchange-mine-waiting-ar-phone")

    # Joost says yes on his phone in Dutch: the exchange is confirmed for both.
    joost_phone = new_page(viewport="phone", lang="nl")
    login(joost_phone, "voorkamer", "joost", PASSWORD)
    joost_phone.goto("/voorkamer/me/exchange/")
    joost_phone.get_by_role("button", name="Ja, ik doe mee").click()
    joost_phone.wait_for_url(re.compile(r"/voorkamer/me/exchange/$"))
    assert set(ExchangeMatch.objects.values_list("status", flat=True)) == {"confirmed"}
    assert joost_phone.locator(".exchange-card .badge-ok").inner_text() == "Iedereen zei ja"
    no_sideways_scroll(joost_phone)
    shot(joost_phone, "exchange-mine-confirmed-nl-phone")
    amal.reload()
    assert amal.locator(".exchange-confirmed").count() == 1
    shot(amal, "exchange-mine-confirmed-ar-phone")

    # The coordinator's overview in Arabic, on a phone too.
    coco_ar = new_page(viewport="phone", lang="ar")
    login(coco_ar, "voorkamer", "coco", PASSWORD)
    coco_ar.goto(f"/voorkamer/manage/exchange/rounds/{round_.pk}/")
    no_sideways_scroll(coco_ar)
    shot(coco_ar, "exchange-round-ar-phone")
    coco_ar.goto("/voorkamer/manage/exchange/")
    no_sideways_scroll(coco_ar)
    shot(coco_ar, "exchange-manage-ar-phone")


def test_the_coordinator_page_polls_a_running_round_and_shows_the_result(new_page, place):
    round_ = ExchangeRound.objects.create(initiative=place["initiative"], status="running", pool_size=12)
    coco = new_page(viewport="desktop", lang="nl")
    login(coco, "voorkamer", "coco", PASSWORD)
    coco.goto(f"/voorkamer/manage/exchange/rounds/{round_.pk}/")
    coco.locator("#round-progress .spinner").wait_for()
    shot(coco, "exchange-round-running-nl-desktop")
    ExchangeRound.objects.filter(pk=round_.pk).update(status="done", matched=0, upper_bound=0,
                                                      cross_group_lessons=0)
    coco.get_by_text("In deze ronde kon niemand gekoppeld worden.").wait_for(timeout=8_000)
    assert coco.locator("#round-progress").count() == 0
