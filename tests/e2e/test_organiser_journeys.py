"""An organiser takes attendance after the fact, in Debian's Chromium, in Dutch on a 10" tablet
and in Arabic on a 390 px phone:

opens a session held two days ago from "My sessions", ticks two people who signed up, finds a
member who came without signing up, sees who is new, counts guests, and sends a message that a
member then reads on "My sign-ups".
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone

from tests.conftest import PASSWORD, make_user, person_of
from tests.e2e.conftest import login, shot
from tests.factories import ActivityFactory, InitiativeFactory, SessionFactory
from verbinding.attendance import services as attendance
from verbinding.attendance.models import CheckIn, GuestTally, SessionMessage

ARABIC = re.compile(r"[\u0600-\u06FF]")


@pytest.fixture
def place(transactional_db):
    initiative = InitiativeFactory(slug="voorkamer", name="De Voorkamer", district="Lombok")
    organiser = make_user(initiative, "omar", "organiser", "member", display_name="Omar")
    aya = make_user(initiative, "aya", "member", display_name="آية")
    bram = make_user(initiative, "bram", "member", display_name="Bram")
    samira = make_user(initiative, "samira", "member", display_name="Samira")
    regular = make_user(initiative, "ruud", "member", display_name="Ruud")
    start = (timezone.now() - dt.timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    activity = ActivityFactory(initiative=initiative, first_start=start)
    activity.organisers.set([person_of(organiser, initiative)])
    held = SessionFactory(activity=activity, start=start)
    earlier = SessionFactory(activity=activity, start=start - dt.timedelta(days=7))
    SessionFactory(activity=activity, start=start + dt.timedelta(days=7))
    with time_machine.travel(start - dt.timedelta(days=1), tick=False):
        for user in (aya, bram, regular):
            attendance.sign_up(session=held, person=person_of(user, initiative), by=None)
    # Ruud came last week too: not new. Aya, Bram and Samira come for the first time.
    CheckIn.objects.create(initiative=initiative, session=earlier,
                           person=person_of(regular, initiative), at=earlier.start)
    CheckIn.objects.create(initiative=initiative, session=held,
                           person=person_of(regular, initiative), at=held.start)
    return {"initiative": initiative, "organiser": organiser, "held": held,
            "aya": person_of(aya, initiative), "bram": person_of(bram, initiative),
            "samira": person_of(samira, initiative), "aya_user": aya}


def no_sideways_scroll(page, width):
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"the page scrolls sideways: {scroll}px > {width}px"


@pytest.mark.parametrize(("lang", "viewport", "width"), [("nl", "tablet", 1280), ("ar", "phone", 390)])
def test_an_organiser_takes_attendance_afterwards_sees_who_is_new_and_sends_a_message(
    new_page, place, lang, viewport, width
):
    held = place["held"]
    suffix = f"{lang}-{viewport}"
    page = new_page(viewport=viewport, lang=lang)
    login(page, "voorkamer", "omar", PASSWORD)

    page.goto("/voorkamer/manage/organise/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    no_sideways_scroll(page, width)
    shot(page, f"organise-sessions-{suffix}")
    page.locator(f"#session-{held.pk} a.card-title").click()
    page.wait_for_url(re.compile(rf"/manage/organise/sessions/{held.pk}/$"))
    shot(page, f"organise-session-before-{suffix}")

    # Tick the two who signed up and came.
    for person in (place["aya"], place["bram"]):
        page.locator(f"#signed-up input[name=person][value='{person.pk}']").check()
    page.locator("#signed-up button[type=submit]").click()
    page.locator(".message-success").wait_for()
    assert set(CheckIn.objects.filter(session=held, method="organiser")
               .values_list("person_id", flat=True)) == {place["aya"].pk, place["bram"].pk}

    # Samira came without signing up: found by name and added.
    page.fill("input[name=q]", "Sam")
    page.locator("#others button[type=submit]").click()
    page.locator(f"#others input[name=person][value='{place['samira'].pk}']").check()
    page.locator("#others form[method=post] button[type=submit]").click()
    page.locator(".message-success").wait_for()
    assert CheckIn.objects.filter(session=held, person=place["samira"]).exists()

    # Who is new: three first visits, Ruud (a regular) is not.
    new_rows = page.locator("#present li.is-new")
    assert new_rows.count() == 3
    assert page.locator(f"#present-{place['samira'].pk} .badge-muted").count() == 1  # did not sign up
    if lang == "ar":
        assert ARABIC.search(page.locator("#present h2").inner_text())

    # Three guests without an account.
    page.fill("#guests input[name=count]", "3")
    page.locator("#guests input[name=group][value=newcomer]").check()
    page.locator("#guests button[type=submit]").click()
    page.locator(".message-success").wait_for()
    assert GuestTally.objects.get(session=held).count == 3
    no_sideways_scroll(page, width)
    shot(page, f"organise-session-after-{suffix}")

    # A message to everyone who signed up; first empty (a translated error), then for real.
    page.locator(f"a[href$='/manage/organise/sessions/{held.pk}/message/']").click()
    page.locator("form.stack button[type=submit]").click()
    page.locator(".errorlist").first.wait_for()
    error = page.locator(".errorlist").first.inner_text()
    assert ARABIC.search(error) if lang == "ar" else "Schrijf eerst een bericht" in error
    shot(page, f"organise-message-error-{suffix}")
    text = "شكراً لحضوركم! الصور على الطاولة." if lang == "ar" else "Bedankt voor het komen!\nDe foto's liggen klaar."
    page.fill("textarea[name=body]", text)
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/manage/organise/sessions/{held.pk}/$"))
    flash = page.locator(".message-success").inner_text()
    assert "3" in flash
    sent = SessionMessage.objects.get(session=held)
    assert (sent.body, sent.recipients, sent.is_cancellation) == (text, 3, False)
    assert page.locator("#sent").get_by_text(text.splitlines()[0]).is_visible()
    shot(page, f"organise-session-sent-{suffix}")

    # Aya reads it on her own phone, in Arabic.
    member = new_page(viewport="phone", lang="ar")
    login(member, "voorkamer", "aya", PASSWORD)
    member.goto("/voorkamer/me/signups/")
    assert member.locator("#messages").is_visible()
    assert member.get_by_text(text.splitlines()[0]).first.is_visible()
    no_sideways_scroll(member, 390)
    shot(member, f"organise-member-reads-{suffix}")
