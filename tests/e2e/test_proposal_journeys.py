"""Bottom-up proposals in Debian's Chromium:

1. a member reading Arabic proposes an activity on a 390 px phone; a coordinator working in
   Dutch on a desktop approves it and lands on the draft activity's edit page, with the member
   as organiser;
2. a coordinator declines a proposal with a message, and the member sees it on their phone.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import PASSWORD, make_user, person_of
from tests.e2e.conftest import login, shot
from tests.factories import InitiativeFactory
from verbinding.activities.models import Activity, Proposal

ARABIC = re.compile(r"[\u0600-\u06FF]")


@pytest.fixture
def place(transactional_db):
    initiative = InitiativeFactory(slug="voorkamer", name="De Voorkamer", district="Lombok")
    coordinator = make_user(initiative, "coco", "coordinator", "member", display_name="Coco")
    member = make_user(initiative, "samira", "member", display_name="سميرة")
    person = person_of(member, initiative)
    person.preferred_language = "ar"
    person.save()
    return {"initiative": initiative, "coordinator": coordinator, "member": member}


def propose_on_phone(new_page, place, *, title: str, suffix: str):
    page = new_page(viewport="phone", lang="ar")
    login(page, "voorkamer", place["member"].username, PASSWORD)
    page.goto("/voorkamer/me/proposals/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    shot(page, f"proposals-mine-empty-ar-phone{suffix}")
    page.locator("a[href$='/me/proposals/new/']").first.click()
    page.wait_for_url(re.compile(r"/voorkamer/me/proposals/new/$"))
    heading = page.locator("h1").inner_text()
    assert ARABIC.search(heading), heading
    # First an empty form: the errors come back in Arabic and nothing is saved.
    page.locator("form.proposal-form button[type=submit]").click()
    page.locator(".errorlist").first.wait_for()
    assert ARABIC.search(page.locator(".errorlist").first.inner_text())
    shot(page, f"proposals-new-errors-ar-phone{suffix}")
    assert Proposal.objects.count() == 0
    page.fill("input[name=title]", title)
    page.fill("textarea[name=description]", "نخيط ونصلح الملابس معاً، ونشرب الشاي.")
    page.fill("input[name=when]", "مساء كل جمعة")
    page.locator("input[name=languages][value=ar]").check()
    page.locator("input[name=languages][value=nl]").check()
    page.locator("input[name=cost][value=amount]").check()
    page.locator("input[name=price]").wait_for(state="visible")
    page.fill("input[name=price]", "2.50")
    shot(page, f"proposals-new-filled-ar-phone{suffix}")
    page.locator("form.proposal-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/voorkamer/me/proposals/$"))
    assert page.get_by_text(title).first.is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the proposals page scrolls sideways on a phone: {width}px"
    shot(page, f"proposals-mine-pending-ar-phone{suffix}")
    return page


def coordinator_page(new_page, place):
    page = new_page(viewport="desktop", lang="nl")
    login(page, "voorkamer", place["coordinator"].username, PASSWORD)
    page.goto("/voorkamer/manage/proposals/")
    assert page.locator("html").get_attribute("lang") == "nl"
    return page


def test_a_member_proposes_in_arabic_and_a_coordinator_approves_it_in_dutch(new_page, place):
    title = "مقهى الخياطة"
    propose_on_phone(new_page, place, title=title, suffix="")
    proposal = Proposal.objects.get()
    assert (proposal.cost, proposal.cost_cents) == ("amount", 250)

    page = coordinator_page(new_page, place)
    shot(page, "proposals-list-nl-desktop")
    page.get_by_role("link", name=title).click()
    page.wait_for_url(re.compile(r"/voorkamer/manage/proposals/\d+/$"))
    shot(page, "proposals-detail-nl-desktop")
    page.fill("textarea[name=approve-response]", "Leuk idee! We bellen je.")
    page.get_by_role("button", name="Goedkeuren en plannen").click()
    page.wait_for_url(re.compile(r"/voorkamer/manage/activities/\d+/edit/$"))
    activity = Activity.objects.get()
    assert page.url.endswith(f"/manage/activities/{activity.pk}/edit/")
    assert activity.status == "draft"
    assert activity.title == {"ar": title}
    assert list(activity.organisers.all()) == [person_of(place["member"], place["initiative"])]
    # The edit page says what to do next, and the proposer's own words about when.
    assert page.get_by_text("Goedgekeurd.").first.is_visible()
    assert page.get_by_text("مساء كل جمعة").first.is_visible()
    assert page.locator(f"input[name=title_ar][value='{title}']").count() == 1
    shot(page, "proposals-approved-edit-nl-desktop")
    # The coordinator gives it a place and saves: the draft gets its sessions.
    page.fill("input[name=room]", "Voorkamer")
    page.locator("form.activity-form button[type=submit], form.activity-form input[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/voorkamer/manage/activities/\d+/sessions/$"))
    activity.refresh_from_db()
    assert activity.room == "Voorkamer" and activity.status == "draft"
    assert activity.sessions.count() >= 1

    member = new_page(viewport="phone", lang="ar")
    login(member, "voorkamer", place["member"].username, PASSWORD)
    member.goto("/voorkamer/me/proposals/")
    assert member.get_by_text("Leuk idee! We bellen je.").first.is_visible()
    shot(member, "proposals-mine-approved-ar-phone")


def test_a_coordinator_declines_with_a_message_and_the_member_sees_it(new_page, place):
    title = "رحلة إلى البحر"
    propose_on_phone(new_page, place, title=title, suffix="-2")
    page = coordinator_page(new_page, place)
    page.get_by_role("link", name=title).click()
    page.wait_for_url(re.compile(r"/voorkamer/manage/proposals/\d+/$"))
    # Without a message the decline is refused, in Dutch.
    page.get_by_role("button", name="Afwijzen").click()
    page.locator(".decision-decline .errorlist").wait_for()
    assert "Schrijf" in page.locator(".decision-decline .errorlist").inner_text()
    shot(page, "proposals-decline-error-nl-desktop")
    assert Proposal.objects.get().status == "pending"
    page.fill("textarea[name=decline-response]", "Een busreis is te duur voor ons. Misschien het park?")
    page.get_by_role("button", name="Afwijzen").click()
    page.wait_for_url(re.compile(r"/voorkamer/manage/proposals/$"))
    shot(page, "proposals-list-decided-nl-desktop")
    assert Proposal.objects.get().status == "declined"
    assert Activity.objects.count() == 0

    member = new_page(viewport="phone", lang="ar")
    login(member, "voorkamer", place["member"].username, PASSWORD)
    member.goto("/voorkamer/me/proposals/")
    card = member.locator(".proposal-card").first
    assert "Misschien het park?" in card.inner_text()
    assert ARABIC.search(card.locator(".badge").first.inner_text())
    assert card.locator("form[action*='/withdraw/']").count() == 0
    shot(member, "proposals-mine-declined-ar-phone")
