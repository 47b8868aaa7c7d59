"""The volunteer path in Debian's Chromium: a coordinator reads the funnel in Dutch on a desktop
and in Arabic on a 390 px phone; a member reads their own path.

Checks what a person would notice: the bars are drawn from the reading side (left in Dutch,
right in Arabic), nothing overflows the phone's width, and the people and numbers are there.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from tests.conftest import PASSWORD, make_user, person_of
from tests.e2e.conftest import login, shot
from tests.factories import ActivityFactory, InitiativeFactory, SessionFactory
from verbinding.attendance.checkin import check_in

ARABIC = re.compile(r"[\u0600-\u06FF]")


def _session(initiative, activity, days):
    start = (timezone.now() + dt.timedelta(days=days)).replace(microsecond=0, second=0)
    return SessionFactory(activity=activity, start=start, occurrence=None)


@pytest.fixture
def place(transactional_db):
    initiative = InitiativeFactory(slug="voorkamer", name="De Voorkamer", district="Lombok")
    coffee = ActivityFactory(
        initiative=initiative, kind="regular", format="coffee_games",
        first_start=timezone.now() - dt.timedelta(days=120),
        title={"nl": "Straffe koffie & spelletjes", "en": "Strong coffee & games", "ar": "قهوة قوية وألعاب"},
    )
    dinner = ActivityFactory(
        initiative=initiative, kind="regular", format="shared_dinner",
        first_start=timezone.now() - dt.timedelta(days=120),
        title={"nl": "Buurtdiner", "en": "Neighbourhood dinner", "ar": "عشاء الحي"},
    )
    past = [_session(initiative, coffee, -7 * w) for w in range(1, 15)]
    _session(initiative, coffee, 4)
    _session(initiative, dinner, 6)
    groups = ["newcomer"] * 9 + ["local"] * 7
    talents = [["games"], ["cooking"], ["baking", "games"], ["music"]]
    people = []
    for i, group in enumerate(groups):
        roles = ("member", "volunteer") if i % 4 == 0 else ("member",)
        name = f"سارة {i}" if group == "newcomer" and i % 2 else f"Lid {i}"
        user = make_user(initiative, f"lid{i}", *roles, display_name=name, group=group)
        person = person_of(user, initiative)
        person.talents = talents[i % 4]
        person.save(update_fields=["talents"])
        people.append(person)
        visits = 1 + (i % 5)
        for session in past[: visits * 2 : 2] if i % 3 else past[-1:]:
            check_in(session=session, person=person, method="organiser", at=session.start)
    coffee.organisers.set([people[0]])
    return initiative


def _assert_fits(page):
    width = page.evaluate("document.documentElement.clientWidth")
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width + 1, f"the page is wider than the screen: {scroll} > {width}"


def _bar_side(page) -> str:
    """Which side the first bar's fill starts from: 'left' or 'right'."""
    track = page.locator(".vp-bar").first.bounding_box()
    fill = page.locator(".vp-bar-fill").nth(1).bounding_box()
    assert fill["width"] > 0
    if abs(fill["x"] - track["x"]) < 2:
        return "left"
    assert abs((fill["x"] + fill["width"]) - (track["x"] + track["width"])) < 2
    return "right"


def test_a_coordinator_reads_the_funnel_in_dutch_on_a_desktop(new_page, place):
    coordinator = make_user(place, "coco", "coordinator", "member", display_name="Coco")
    page = new_page(viewport="desktop", lang="nl")
    login(page, "voorkamer", coordinator.username, PASSWORD)
    page.goto("/voorkamer/manage/volunteers/")
    assert page.locator("h1").inner_text().strip() == "Vrijwilligerspad"
    assert page.locator(".vp-bar-row").count() == 5
    assert _bar_side(page) == "left"
    assert page.locator(".vp-person").count() >= 1
    page.locator(".vp-person a").first.click()
    page.wait_for_url(re.compile(r"/voorkamer/manage/people/\d+/"))
    page.go_back()
    assert page.locator(".vp-balance-visitors td").first.inner_text().strip() == "16"
    shot(page, "volunteers-funnel-nl-desktop")
    _assert_fits(page)


def test_a_coordinator_reads_the_funnel_in_arabic_on_a_phone(new_page, place):
    coordinator = make_user(place, "coco", "coordinator", "member", display_name="Coco")
    page = new_page(viewport="phone", lang="ar")
    login(page, "voorkamer", coordinator.username, PASSWORD)
    page.goto("/voorkamer/manage/volunteers/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert ARABIC.search(page.locator("h1").inner_text())
    assert _bar_side(page) == "right"
    shot(page, "volunteers-funnel-ar-phone")
    _assert_fits(page)


@pytest.mark.parametrize(("lang", "viewport"), [("nl", "desktop"), ("ar", "phone")])
def test_a_member_reads_their_own_path(new_page, place, lang, viewport):
    page = new_page(viewport=viewport, lang=lang)
    login(page, "voorkamer", "lid1", PASSWORD)
    page.goto("/voorkamer/me/path/")
    assert page.locator(".path-step").count() == 5
    assert page.locator(".path-step.is-reached").count() >= 1
    shot(page, f"volunteers-my-path-{lang}-{viewport}")
    _assert_fits(page)
