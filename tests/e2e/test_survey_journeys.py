"""The pulse in Debian's Chromium: a visitor checks in at the kiosk in Arabic and answers the
pulse in under a minute; a member answers on a 390 px phone; screenshots of every screen in
Dutch, English and Arabic (SCREENSHOTS=1)."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import PASSWORD, make_user, person_of
from tests.e2e.conftest import login, shot
from tests.factories import ActivityFactory, InitiativeFactory, SessionFactory
from verbinding.attendance.checkin import check_in
from verbinding.people.models import Person
from verbinding.surveys.items import items_for
from verbinding.surveys.models import PulseAnswer, PulseResponse
from verbinding.surveys.services import local_day

ARABIC = re.compile(r"[\u0600-\u06FF]")
MIN_TAP = 72


@pytest.fixture
def place(transactional_db):
    initiative = InitiativeFactory(slug="voorkamer", name="De Voorkamer", district="Lombok",
                                   languages=["nl", "ar", "en"])
    now = timezone.now().replace(second=0, microsecond=0)
    cafe = ActivityFactory(
        initiative=initiative, kind="regular", first_start=now - dt.timedelta(minutes=30),
        title={"nl": "Taalcafé Nederlands", "en": "Dutch language café", "ar": "مقهى اللغة الهولندية"},
    )
    session = SessionFactory(activity=cafe)
    make_user(initiative, "kiosk-voorkamer", "kiosk")
    amal = Person.objects.create(initiative=initiative, display_name="أمل")
    member = make_user(initiative, "joost", "member", display_name="Joost")
    return {"initiative": initiative, "session": session, "amal": amal, "member": member}


def assert_big_enough(locator, what, minimum=MIN_TAP):
    for i in range(locator.count()):
        box = locator.nth(i).bounding_box()
        assert box and box["height"] >= minimum and box["width"] >= minimum, f"{what}: {box}"


def assert_no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def answer_every_screen(page, initiative, name, *, pick):
    """Tap one answer per screen until the thank-you; `pick(i, n)` says which of n answers."""
    steps = len(items_for(local_day(initiative)))
    for i in range(steps):
        answers = page.locator(".pulse-answers .pulse-answer")
        answers.first.wait_for()
        expect(page.locator(".pulse-count")).to_have_text(f"{i + 1} / {steps}")
        assert_big_enough(answers, "an answer")
        assert_no_sideways_scroll(page)
        if name and i in (0, 1, steps - 1):
            shot(page, f"{name}-q{i + 1}")
        answers.nth(pick(i, answers.count())).click()
    expect(page.locator(".pulse-thanks")).to_be_visible()


def test_a_visitor_checks_in_at_the_kiosk_in_arabic_and_answers_in_under_a_minute(new_page, place):
    session = place["session"]
    page = new_page(viewport="tablet", lang="ar")
    login(page, "voorkamer", "kiosk-voorkamer", PASSWORD)
    page.goto(f"/voorkamer/kiosk/sessions/{session.pk}/")

    started = time.monotonic()
    page.locator("#door-q").click()
    page.keyboard.type("أم")
    page.locator(".door-name", has_text="أمل").click()
    pulse = page.locator(".door-pulse")
    expect(pulse).to_be_visible()
    assert ARABIC.search(pulse.inner_text())
    shot(page, "pulse-kiosk-offer-ar-tablet")
    link = pulse.get_attribute("href")
    pulse.click()
    page.wait_for_url(re.compile(r"/pulse/kiosk/"))
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert ARABIC.search(page.locator(".pulse-question").inner_text())
    answer_every_screen(page, place["initiative"], "pulse-kiosk-ar-tablet", pick=lambda i, n: n - 1)
    elapsed = time.monotonic() - started
    shot(page, "pulse-kiosk-thanks-ar-tablet")
    assert elapsed < 60, f"check-in and pulse took {elapsed:.1f} s"

    response = PulseResponse.objects.get()
    assert response.language == "ar" and response.channel == "kiosk" and response.session == session
    assert PulseAnswer.objects.count() == len(items_for(response.day))
    # The thank-you goes back to the check-in screen by itself.
    page.wait_for_url(re.compile(rf"/kiosk/sessions/{session.pk}/$"), timeout=10_000)
    # The link was used: opening it again cannot answer again.
    page.goto(link)
    expect(page.locator(".pulse-error")).to_be_visible()
    assert page.locator(".pulse-answer").count() == 0
    assert PulseResponse.objects.count() == 1


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_kiosk_pulse_in_dutch_and_english_with_rather_not_say_and_back(new_page, place, lang):
    session = place["session"]
    page = new_page(viewport="tablet", lang=lang)
    login(page, "voorkamer", "kiosk-voorkamer", PASSWORD)
    page.goto(f"/voorkamer/kiosk/sessions/{session.pk}/")
    page.locator("button[name=group][value=unspecified]").click()
    page.locator(".door-pulse").click()
    page.wait_for_url(re.compile(r"/pulse/kiosk/"))
    shot(page, f"pulse-kiosk-{lang}-tablet-q1")
    page.locator(".pulse-rather-not").click()
    expect(page.locator(".pulse-count")).to_have_text(re.compile(r"^2 / "))
    page.locator(".pulse-back").click()
    expect(page.locator(".pulse-count")).to_have_text(re.compile(r"^1 / "))
    answer_every_screen(page, place["initiative"], f"pulse-kiosk-{lang}-tablet", pick=lambda i, n: i % n)
    assert PulseResponse.objects.get().language == lang


@pytest.mark.parametrize("lang", ["nl", "en", "ar"])
def test_a_member_answers_on_a_390_px_phone(new_page, place, lang):
    initiative, session = place["initiative"], place["session"]
    check_in(session=session, person=person_of(place["member"], initiative))
    page = new_page(viewport="phone", lang=lang)
    login(page, "voorkamer", "joost", PASSWORD)
    page.goto("/voorkamer/me/signups/")  # the member area points to the pulse
    page.locator("a[href='/voorkamer/pulse/']").first.click()
    page.wait_for_url(re.compile(r"/pulse/$"))
    assert_no_sideways_scroll(page)
    shot(page, f"pulse-mine-{lang}-phone")
    page.locator(".pulse-start").first.click()
    if lang == "ar":
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert ARABIC.search(page.locator(".pulse-question").inner_text())
    answer_every_screen(page, initiative, f"pulse-phone-{lang}", pick=lambda i, n: (i + 1) % n)
    shot(page, f"pulse-phone-thanks-{lang}")
    response = PulseResponse.objects.get()
    assert response.channel == "phone" and response.language == lang and response.pseudonym_id is None
    page.locator(".pulse-home").click()
    assert page.locator(".pulse-start").count() == 0  # answered: no longer offered


@pytest.mark.parametrize(("month", "module"), [(1, "closeness"), (2, "trust")])
@pytest.mark.parametrize(("viewport", "lang"), [("tablet", "ar"), ("tablet", "nl"), ("phone", "ar"), ("phone", "en")])
def test_the_monthly_module_screens(new_page, place, month, module, viewport, lang):
    """January asks the closeness circles, February the trust steps (after the five weekly)."""
    import time_machine

    from verbinding.surveys.services import mint_kiosk_token

    with time_machine.travel(dt.datetime(2027, month, 12, 13, 0, tzinfo=dt.UTC), tick=True):
        page = new_page(viewport=viewport, lang=lang)
        login(page, "voorkamer", "kiosk-voorkamer", PASSWORD)
        page.goto(f"/voorkamer/pulse/kiosk/?t={mint_kiosk_token(session=place['session'])}")
        for _ in range(5):
            page.locator(".pulse-answers .pulse-answer").first.click()
            page.wait_for_load_state()
        expect(page.locator(".pulse-extra")).to_be_visible()
        assert_no_sideways_scroll(page)
        assert_big_enough(page.locator(".pulse-answers .pulse-answer"), "a module answer")
        shot(page, f"pulse-module-{module}-{lang}-{viewport}")
        page.locator("button[name=finish]").click()
        expect(page.locator(".pulse-thanks")).to_be_visible()
    response = PulseResponse.objects.get()
    assert response.module == module and PulseAnswer.objects.count() == 5
