"""The kiosk at the door, in Debian's Chromium on a 10" tablet and a 390 px phone, in Dutch and
Arabic: a kiosk checks in a member by name, one by a scanned card (a keyboard-wedge scanner
types the token and Enter), and a walk-in guest; tapping twice checks in once.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import login, shot
from tests.factories import ActivityFactory, InitiativeFactory, SessionFactory
from verbinding.activities.models import Session
from verbinding.attendance.models import CheckIn, GuestTally
from verbinding.people.models import MemberCard, Person

ARABIC = re.compile(r"[\u0600-\u06FF]")
MIN_TAP = 56


@pytest.fixture
def door(transactional_db):
    initiative = InitiativeFactory(slug="voorkamer", name="De Voorkamer", district="Lombok",
                                   languages=["nl", "ar", "en"])
    now = timezone.now().replace(second=0, microsecond=0)
    cafe = ActivityFactory(
        initiative=initiative, kind="regular", first_start=now - dt.timedelta(minutes=30),
        title={"nl": "Taalcafé Nederlands", "en": "Dutch language café", "ar": "مقهى اللغة الهولندية"},
        room="Grote zaal",
    )
    session = SessionFactory(activity=cafe)
    # Later today, also when the test runs in the last hour of the initiative's day (CI ran at
    # 23:00 in Amsterdam, and an hour later was tomorrow, so the kiosk listed one session).
    local = timezone.localtime(now, ZoneInfo(initiative.time_zone))
    midnight = (local + dt.timedelta(days=1)).replace(hour=0, minute=0)
    dinner = ActivityFactory(
        initiative=initiative, kind="one_off",
        first_start=min(now + dt.timedelta(minutes=60), midnight - dt.timedelta(minutes=2)),
        title={"nl": "Samen eten", "en": "Shared dinner", "ar": "عشاء مشترك"},
    )
    cancelled = SessionFactory(activity=dinner, status=Session.Status.CANCELLED)
    make_user(initiative, "kiosk-voorkamer", "kiosk")
    joost = Person.objects.create(initiative=initiative, display_name="Joost")
    Person.objects.create(initiative=initiative, display_name="Johanna")
    amal = Person.objects.create(initiative=initiative, display_name="أمل")
    yonas = Person.objects.create(initiative=initiative, display_name="ዮናስ")
    cards = {p.display_name: MemberCard.objects.create(initiative=initiative, person=p).token
             for p in (amal, yonas)}
    return {"initiative": initiative, "session": session, "cancelled": cancelled, "joost": joost,
            "amal": amal, "yonas": yonas, "cards": cards}


def assert_big_enough(locator, what):
    for i in range(locator.count()):
        box = locator.nth(i).bounding_box()
        assert box and box["height"] >= MIN_TAP, f"{what} is {box and box['height']} px high"


def assert_no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def wait_for_outcome(page, text: str, *, not_text: str | None = None):
    """The greeting after a write. The kiosk answers in place (htmx), so wait until the
    outcome says `text` (and no longer `not_text`, the previous person's greeting)."""
    outcome = page.locator("[data-door-outcome]")
    expect(outcome).to_be_visible()
    expect(outcome).to_contain_text(text)
    if not_text:
        expect(outcome).not_to_contain_text(not_text)
    return outcome


@pytest.mark.parametrize(("viewport", "lang"), [
    ("tablet", "nl"), ("phone", "ar"), ("tablet-portrait", "ar"), ("phone", "nl"),
])
def test_a_kiosk_checks_in_by_name_by_card_and_a_guest(new_page, door, viewport, lang):
    session = door["session"]
    page = new_page(viewport=viewport, lang=lang)
    login(page, "voorkamer", "kiosk-voorkamer", PASSWORD)
    page.goto("/voorkamer/kiosk/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    links = page.locator(".door-session")
    assert links.count() == 2
    assert page.locator(".door-session.is-cancelled").count() == 1
    assert_big_enough(links, "a session on the kiosk list")
    assert page.locator(".lang-switch button").first.is_visible()
    assert_no_sideways_scroll(page)
    if lang == "ar":
        assert ARABIC.search(page.locator("h1").inner_text())
        assert "مقهى اللغة الهولندية" in page.locator(".door-sessions").inner_text()
    shot(page, f"kiosk-list-{lang}-{viewport}")

    page.locator(f".door-session[href$='/kiosk/sessions/{session.pk}/']").click()
    page.wait_for_url(re.compile(rf"/kiosk/sessions/{session.pk}/$"))
    # Idle, the card field has the focus so a wedge scanner just works.
    assert page.evaluate("document.activeElement.id") == "door-token"
    assert_no_sideways_scroll(page)
    shot(page, f"kiosk-session-{lang}-{viewport}")

    # 1. Tap your name (htmx search while typing).
    page.locator("#door-q").click()
    page.keyboard.type("jo")
    names = page.locator(".door-name")
    names.first.wait_for()
    assert sorted(names.all_inner_texts()) == ["Johanna", "Joost"]
    assert_big_enough(names, "a name button")
    shot(page, f"kiosk-search-{lang}-{viewport}")
    page.locator(".door-name", has_text="Joost").click()
    outcome = wait_for_outcome(page, "Joost")
    assert "is-first" in outcome.get_attribute("class")
    assert CheckIn.objects.get(session=session, person=door["joost"]).method == "name"
    shot(page, f"kiosk-welcome-{lang}-{viewport}")
    # After a few seconds the screen is ready for the next person, focus on the card field.
    outcome.wait_for(state="hidden", timeout=10_000)
    assert page.evaluate("document.activeElement.id") == "door-token"

    # 2. Scan a card: the wedge scanner types the token and Enter into the focused field.
    page.keyboard.type(door["cards"]["أمل"])
    page.keyboard.press("Enter")
    wait_for_outcome(page, "أمل")
    assert CheckIn.objects.get(session=session, person=door["amal"]).method == "card"
    assert door["cards"]["أمل"] not in page.content()
    assert door["cards"]["أمل"] not in page.url

    # A card scanned while the name field has the focus still goes to the card form.
    page.locator("[data-door-next]").click()
    page.locator("#door-q").click()
    page.keyboard.type(door["cards"]["ዮናስ"])
    page.keyboard.press("Enter")
    wait_for_outcome(page, "ዮናስ")
    assert CheckIn.objects.get(session=session, person=door["yonas"]).method == "card"
    assert door["cards"]["ዮናስ"] not in page.url

    # 3. A walk-in guest, one tap, with a self-chosen group.
    guest_buttons = page.locator(".door-pane-guest button")
    assert_big_enough(guest_buttons, "a guest button")
    guest_buttons.nth(1).click()
    wait_for_outcome(page, "", not_text="ዮናስ")
    shot(page, f"kiosk-guest-{lang}-{viewport}")
    tally = GuestTally.objects.get(session=session)
    assert (tally.count, tally.group) == (1, "newcomer")

    # 4. Joost taps his name again: still one check-in, and he is told so.
    page.locator("[data-door-next]").click()
    page.locator("#door-q").fill("Joost")
    page.locator(".door-search button[type=submit]").click()  # also the no-JS path
    page.locator(".door-name", has_text="Joost").click()
    outcome = wait_for_outcome(page, "Joost")
    assert "is-first" not in outcome.get_attribute("class")
    assert CheckIn.objects.filter(session=session, person=door["joost"]).count() == 1
    assert "4" in page.locator("#door-count").inner_text()  # 3 people + 1 guest
    shot(page, f"kiosk-again-{lang}-{viewport}")


@pytest.mark.parametrize(("viewport", "lang"), [("tablet", "ar"), ("phone", "nl")])
def test_a_cancelled_session_says_so_at_the_door(new_page, door, viewport, lang):
    page = new_page(viewport=viewport, lang=lang)
    login(page, "voorkamer", "kiosk-voorkamer", PASSWORD)
    page.goto(f"/voorkamer/kiosk/sessions/{door['cancelled'].pk}/")
    assert page.locator(".door-stop").is_visible()
    assert page.locator("#door-q").count() == 0
    shot(page, f"kiosk-cancelled-{lang}-{viewport}")


def test_the_camera_button_is_hidden_without_barcode_detector(new_page, door):
    page = new_page(viewport="tablet", lang="nl")
    login(page, "voorkamer", "kiosk-voorkamer", PASSWORD)
    page.goto(f"/voorkamer/kiosk/sessions/{door['session'].pk}/")
    has_detector = page.evaluate("'BarcodeDetector' in window")
    assert page.locator("[data-door-camera]").is_visible() == has_detector
