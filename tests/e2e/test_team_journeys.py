"""Team formation in Debian's Chromium (issue 4):

1. a coordinator working in Dutch, and one working in Arabic, forms teams for a project on a
   desktop, swaps two people, sees the rule warning the swap causes, and publishes;
2. a member then sees their team, its weekly time and their teammates' names on a 390 px
   phone (in Dutch and in Arabic, right to left).

The pool is built so that every swap breaks a rule: half the people can only meet on
Wednesday evening, the other half only on Saturday morning, so the solver forms one team per
time and a swap leaves two people in a team whose time they cannot make.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from tests.conftest import PASSWORD, make_user, person_of
from tests.e2e.conftest import login, shot
from tests.factories import ActivityFactory, InitiativeFactory
from verbinding.attendance.models import Registration
from verbinding.matching.models import Team, TeamMember, TeamRun
from verbinding.people.models import PersonLanguage

ARABIC = re.compile(r"[\u0600-\u06FF]")
NAMES = ["Amal", "Joost", "Sara", "Pieter", "Yonas", "Fatima", "Karin", "Ahmad", "Lotte", "Bilal"]


@pytest.fixture
def place(transactional_db):
    initiative = InitiativeFactory(slug="voorkamer", name="De Voorkamer", district="Lombok")
    coordinator = make_user(initiative, "coco", "coordinator", "member", display_name="Coco")
    start = (timezone.now() + dt.timedelta(days=7)).replace(microsecond=0)
    project = ActivityFactory(
        initiative=initiative, kind="project", first_start=start,
        title={"nl": "Samen een buurtfeest maken", "en": "Making a street party together",
               "ar": "نصنع حفلة الحي معاً"},
        common_goal={"nl": "Een buurtfeest in juni", "ar": "حفلة الحي في يونيو"},
    )
    members = {}
    for half, slot in enumerate(["wed-evening", "sat-morning"]):
        for i, name in enumerate(NAMES):
            newcomer = i % 2 == 0
            user = make_user(initiative, f"{name.lower()}{half}", "member",
                             display_name=f"{name} {'AB'[half]}.",
                             group="newcomer" if newcomer else "local",
                             gender="woman" if i in (0, 1, 2, 5, 6, 8) else "man")
            person = person_of(user, initiative)
            person.availability = [slot]
            person.interests = ["food", "music"] if i % 3 else ["neighbourhood"]
            person.save()
            PersonLanguage.objects.create(person=person, language="nl",
                                          level="good" if i % 4 else "fluent")
            if newcomer:
                PersonLanguage.objects.create(person=person, language="ar", level="fluent")
            Registration.objects.create(initiative=initiative, activity=project, person=person,
                                        status="confirmed")
            members[(half, i)] = user
    return {"initiative": initiative, "coordinator": coordinator, "project": project,
            "members": members}


@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_a_coordinator_forms_swaps_and_publishes_then_a_member_sees_the_team(new_page, place, lang):
    page = new_page(viewport="desktop", lang=lang)
    login(page, "voorkamer", "coco", PASSWORD)
    page.goto("/voorkamer/manage/teams/")
    assert page.locator("html").get_attribute("lang") == lang
    shot(page, f"teams-projects-{lang}-desktop")
    page.locator(f"a[href$='/manage/teams/{place['project'].pk}/']").click()
    page.wait_for_url(re.compile(r"/manage/teams/\d+/$"))
    heading = page.locator("h2#params-h").inner_text()
    if lang == "ar":
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert ARABIC.search(heading), heading
    shot(page, f"teams-project-{lang}-desktop")
    page.locator("details summary").first.click()
    page.fill("input[name=time_limit]", "3")
    page.locator("form.params-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/manage/teams/runs/\d+/$"))
    page.locator(".team-card").first.wait_for()
    assert page.locator(".team-card").count() == 2
    assert page.locator(".team-warning").count() == 0
    run = TeamRun.objects.get()
    assert run.status == "done"
    shot(page, f"teams-run-{lang}-desktop")

    # Swap one person of team 1 with one of team 2: both now miss their team's weekly time.
    team1, team2 = run.teams.order_by("number")
    a = team1.members.order_by("person__display_name").first()
    b = team2.members.order_by("person__display_name").first()
    page.select_option("#swap-a", str(a.person_id))
    page.select_option("#swap-b", str(b.person_id))
    page.locator("form[action$='/swap/'] button[type=submit]").click()
    page.wait_for_load_state()
    warnings = page.locator(".messages .message-warning, .message.message-warning")
    warnings.first.wait_for()
    text = " ".join(warnings.all_inner_texts())
    assert a.person.display_name in text and b.person.display_name in text
    if lang == "ar":
        assert ARABIC.search(text), text
    else:
        assert "wekelijkse tijd" in text or "weektijd" in text or "tijd" in text, text
    assert page.locator("#team-1 .team-warning").count() >= 1
    assert TeamMember.objects.get(pk=a.pk).team_id == team2.pk
    shot(page, f"teams-run-warning-{lang}-desktop")

    # "Why is this person in team 2?"
    page.locator(f"#team-2 a[href*='why/?person={a.person_id}']").click()
    page.wait_for_url(re.compile(r"/why/\?person=\d+"))
    assert page.locator(".why-list li").count() >= 1
    shot(page, f"teams-why-{lang}-desktop")
    page.go_back()

    page.locator("form[action$='/publish/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert Team.objects.filter(run=run, published=True).count() == 2
    shot(page, f"teams-run-published-{lang}-desktop")

    # A coordinator's run page on a phone fits too.
    phone = new_page(viewport="phone", lang=lang)
    login(phone, "voorkamer", "coco", PASSWORD)
    phone.goto(f"/voorkamer/manage/teams/runs/{run.pk}/")
    shot(phone, f"teams-run-{lang}-phone")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the run page scrolls sideways on a phone: {width}px"

    # A member sees their team on a phone: the weekly time and teammates' names only.
    member = place["members"][(1, 3)]  # Pieter B., of the Saturday half
    me = person_of(member, place["initiative"])
    my_team = TeamMember.objects.get(team__run=run, person=me).team
    mates = list(my_team.members.values_list("person__display_name", flat=True))
    page = new_page(viewport="phone", lang=lang)
    login(page, "voorkamer", member.username, PASSWORD)
    page.goto("/voorkamer/me/team/")
    card = page.locator(".my-team")
    card.wait_for()
    body = card.inner_text()
    assert all(name in body for name in mates), body
    others = set(TeamMember.objects.filter(team__run=run).exclude(team=my_team)
                 .values_list("person__display_name", flat=True))
    assert not any(name in body for name in others)
    if lang == "ar":
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert ARABIC.search(body), body
    shot(page, f"teams-my-team-{lang}-phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"my team scrolls sideways on a phone: {width}px"
