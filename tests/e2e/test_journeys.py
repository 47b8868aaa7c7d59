"""The user journeys of "Run a meeting place, part 1", in Debian's Chromium, on a desktop
and a 390 px phone:

1. a visitor reading Arabic finds the coffee-and-games night, signs up and cancels;
2. a coordinator creates a weekly activity with an RRULE and sees its sessions;
3. a member enrols in a project and is moved up from the waiting list.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from tests.conftest import PASSWORD, make_user, person_of
from tests.e2e.conftest import login, shot
from tests.factories import ActivityFactory, InitiativeFactory, SessionFactory
from verbinding.activities.models import Activity, Session
from verbinding.attendance.models import Registration

ARABIC = re.compile(r"[\u0600-\u06FF]")


@pytest.fixture
def place(transactional_db):
    initiative = InitiativeFactory(slug="voorkamer", name="De Voorkamer", district="Lombok")
    start = (timezone.now() + dt.timedelta(days=2)).replace(hour=18, minute=0, second=0,
                                                            microsecond=0)
    cafe = ActivityFactory(
        initiative=initiative, kind="regular", format="language_cafe", first_start=start,
        title={"nl": "Taalcafé Nederlands", "en": "Dutch language café", "ar": "مقهى اللغة الهولندية"},
        rrule="FREQ=WEEKLY;COUNT=4",
    )
    coffee = ActivityFactory(
        initiative=initiative, kind="regular", format="coffee_games",
        first_start=start + dt.timedelta(days=1), capacity=15, room="De Voorkamer",
        title={"nl": "Straffe koffie & spelletjes", "en": "Strong coffee & games",
               "ar": "قهوة قوية وألعاب"},
        description={"nl": "Koffie en spelletjes.", "en": "Coffee and games.",
                     "ar": "قهوة سورية وإريترية وألعاب ورق."},
        rrule="FREQ=WEEKLY;COUNT=4",
    )
    for activity in (cafe, coffee):
        for week in range(4):
            SessionFactory(activity=activity, start=activity.first_start + dt.timedelta(weeks=week))
    return initiative


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_an_arabic_reader_finds_the_coffee_night_signs_up_and_cancels(new_page, place, viewport):
    member = make_user(place, f"samira-{viewport}", "member", display_name="سميرة")
    page = new_page(lang="ar", viewport=viewport)
    page.goto("/voorkamer/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    page.get_by_role("link", name="قهوة قوية وألعاب").first.click()
    page.wait_for_url(re.compile(r"/voorkamer/activities/\d+/"))
    shot(page, f"journey1-activity-ar-{viewport}")
    # Not logged in yet: the first session offers a log-in link that comes back here.
    page.locator(".signup-controls a[href*='/login/']").first.click()
    page.fill("input[name=username]", member.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form.stack button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/voorkamer/activities/\d+/"))
    first = page.locator(".signup-controls").first
    button = first.locator("form[action*='/signup/'] button")
    assert ARABIC.search(button.inner_text()), f"the sign-up button speaks Arabic: {button.inner_text()!r}"
    button.click()
    first.locator("form[action*='/cancel-signup/']").wait_for()
    shot(page, f"journey1-signed-up-ar-{viewport}")
    person = person_of(member, place)
    assert Registration.objects.filter(person=person, status="confirmed").count() == 1
    first.locator("form[action*='/cancel-signup/'] button").click()
    first.locator("form[action*='/signup/']").wait_for()
    assert Registration.objects.filter(person=person, status="confirmed").count() == 0
    assert Registration.objects.filter(person=person, status="cancelled").count() == 1


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_coordinator_creates_a_weekly_activity_with_a_rule_and_sees_its_sessions(
    new_page, place, viewport
):
    coordinator = make_user(place, f"coco-{viewport}", "coordinator", "member", display_name="Coco")
    organiser = make_user(place, f"yonas-{viewport}", "member", display_name="ዮናስ")
    page = new_page(lang="nl", viewport=viewport)
    login(page, "voorkamer", coordinator.username, PASSWORD)
    page.goto("/voorkamer/manage/activities/new/")
    page.fill("input[name=title_nl]", "Fietsreparatie")
    page.fill("input[name=title_en]", "Bike repair")
    page.fill("input[name=title_ar]", "تصليح الدراجات")
    page.select_option("select[name=kind]", "project")
    assert page.locator(".for-kind-project").is_visible()
    assert not page.locator(".for-kind-regular").is_visible()
    page.select_option("select[name=kind]", "regular")
    assert page.locator(".for-kind-regular").is_visible()
    assert not page.locator(".for-kind-project").is_visible()
    assert not page.locator(".for-cost-amount").is_visible()
    page.select_option("select[name=format]", "workshop")
    next_tuesday = timezone.localdate() + dt.timedelta(days=(1 - timezone.localdate().weekday()) % 7 or 7)
    page.fill("input[name=start_date]", next_tuesday.isoformat())
    page.fill("input[name=start_time]", "19:00")
    page.fill("input[name=duration_minutes]", "120")
    if page.locator("input[name=repeat][value=advanced]").count():
        page.check("input[name=repeat][value=advanced]")
    else:
        page.select_option("select[name=repeat]", "advanced")
    page.fill("input[name=rrule]", "FREQ=WEEKLY;BYDAY=TU;COUNT=8")
    page.select_option("select[name=organisers]", [
        str(person_of(coordinator, place).pk), str(person_of(organiser, place).pk)])
    shot(page, f"journey2-form-{viewport}")
    page.locator("form.stack button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/manage/activities/\d+/sessions/"))
    shot(page, f"journey2-sessions-{viewport}")
    activity = Activity.objects.get(initiative=place, title__nl="Fietsreparatie")
    sessions = Session.objects.filter(activity=activity).order_by("start")
    assert sessions.count() == 8
    assert all(timezone.localtime(s.start).weekday() == 1 for s in sessions)
    assert all(timezone.localtime(s.start).strftime("%H:%M") == "19:00" for s in sessions)
    # The page lists every one of them, each with its date and time.
    for session in sessions:
        row = page.locator(f"#session-{session.pk}")
        assert row.count() == 1
        assert "19:00" in row.inner_text()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_member_enrols_in_a_project_and_is_moved_up_from_the_waiting_list(
    new_page, place, viewport
):
    start = (timezone.now() + dt.timedelta(days=3)).replace(hour=14, minute=0, second=0, microsecond=0)
    project = ActivityFactory(
        initiative=place, kind="project", format="creative_project", first_start=start,
        capacity=1, planned_sessions=6, team_size=8,
        title={"nl": "Meubels ontwerpen", "en": "Furniture design", "ar": "تصميم الأثاث"},
    )
    for week in range(6):
        SessionFactory(activity=project, start=start + dt.timedelta(weeks=week))
    first = make_user(place, f"first-{viewport}", "member", display_name="Fatima")
    second = make_user(place, f"second-{viewport}", "member", display_name="Sanne")

    page_a = new_page(lang="en", viewport=viewport)
    login(page_a, "voorkamer", first.username, PASSWORD)
    page_a.goto(f"/voorkamer/activities/{project.pk}/")
    page_a.locator(f"#enrol-{project.pk} form[action*='/enrol/'] button").click()
    page_a.locator(f"#enrol-{project.pk} form[action*='/leave/']").wait_for()

    page_b = new_page(lang="en", viewport=viewport)
    login(page_b, "voorkamer", second.username, PASSWORD)
    page_b.goto(f"/voorkamer/activities/{project.pk}/")
    page_b.locator(f"#enrol-{project.pk} form[action*='/enrol/'] button").click()
    page_b.locator(f"#enrol-{project.pk} form[action*='/leave/']").wait_for()
    assert "waiting list" in page_b.locator(f"#enrol-{project.pk}").inner_text().lower()
    shot(page_b, f"journey3-waitlisted-{viewport}")

    # The first member leaves; the second moves up without doing anything.
    page_a.locator(f"#enrol-{project.pk} form[action*='/leave/'] button").click()
    page_a.locator(f"#enrol-{project.pk} form[action*='/enrol/']").wait_for()
    reg = Registration.objects.get(person=person_of(second, place), activity=project,
                                   session__isnull=True)
    assert reg.status == "confirmed"
    # One enrolment covers the whole series: no per-session registrations exist.
    assert not Registration.objects.filter(activity=project, session__isnull=False).exists()
    page_b.goto("/voorkamer/me/signups/")
    assert "Furniture design" in page_b.content()
    shot(page_b, f"journey3-my-signups-{viewport}")
