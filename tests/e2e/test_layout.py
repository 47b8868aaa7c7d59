"""Every page fits a 390 px phone and a desktop in Dutch, English and Arabic (right-to-left).

A page that scrolls sideways on a cheap phone is broken for many visitors; this test measures
the document's scroll width in Chromium. With SCREENSHOTS=1 it also saves each page, which is
how we look at what we build.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import make_user, person_of
from tests.e2e.conftest import shot
from tests.factories import ActivityFactory, InitiativeFactory, SessionFactory

PUBLIC = ["/", "/voorkamer/", "/voorkamer/week/", "/voorkamer/join/", "/voorkamer/login/",
          "/voorkamer/activities/{regular}/", "/voorkamer/activities/{project}/"]
MEMBER = ["/voorkamer/me/", "/voorkamer/me/languages/", "/voorkamer/me/about-me/",
          "/voorkamer/me/signups/", "/voorkamer/me/proposals/", "/voorkamer/me/proposals/new/",
          "/voorkamer/me/path/"]
STAFF = ["/voorkamer/manage/", "/voorkamer/manage/activities/", "/voorkamer/manage/activities/new/",
         "/voorkamer/manage/activities/{regular}/edit/",
         "/voorkamer/manage/activities/{regular}/sessions/", "/voorkamer/manage/people/",
         "/voorkamer/manage/partners/", "/voorkamer/manage/audit/", "/voorkamer/manage/initiative/",
         "/voorkamer/manage/proposals/", "/voorkamer/manage/organise/",
         "/voorkamer/manage/welcome/", "/voorkamer/manage/welcome/register/",
         "/voorkamer/manage/volunteers/"]


@pytest.fixture
def place(transactional_db):
    initiative = InitiativeFactory(slug="voorkamer", name="De Voorkamer", district="Lombok",
                                   address="Kanaalstraat 12, Utrecht")
    coordinator = make_user(initiative, "coco", "coordinator", "organiser", "member",
                            display_name="Coco")
    member = make_user(initiative, "amal", "member", display_name="أمل", group="newcomer",
                       gender="woman")
    start = (timezone.now() + dt.timedelta(days=1)).replace(hour=19, minute=30, second=0,
                                                            microsecond=0)
    regular = ActivityFactory(
        initiative=initiative, kind="regular", format="coffee_games", first_start=start,
        title={"nl": "Koffie & spelletjes", "en": "Coffee & games", "ar": "قهوة وألعاب"},
        description={"nl": "Syrische en Eritrese koffie, spelletjes.",
                     "en": "Syrian and Eritrean coffee, games.",
                     "ar": "قهوة سورية وإريترية وألعاب."},
        rrule="FREQ=WEEKLY;COUNT=6", capacity=20, room="Voorkamer",
    )
    regular.organisers.add(person_of(coordinator, initiative), person_of(member, initiative))
    for week in range(6):
        SessionFactory(activity=regular, start=start + dt.timedelta(weeks=week))
    project = ActivityFactory(
        initiative=initiative, kind="project", format="creative_project", first_start=start,
        title={"nl": "Borduurproject", "en": "Embroidery project", "ar": "مشروع التطريز"},
        planned_sessions=6, team_size=10, capacity=10, audience="women",
        common_goal={"nl": "Samen een wandkleed maken", "en": "Make a wall hanging together"},
    )
    for week in range(6):
        SessionFactory(activity=project, start=start + dt.timedelta(days=2, weeks=week))
    return {"regular": regular.pk, "project": project.pk, "coordinator": coordinator,
            "member": member}


def logged_in(new_page, live_server, user, **kwargs):
    page = new_page(**kwargs)
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    return page


def check(page, path: str, name: str, viewport: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path}: {response and response.status}"
    width = page.evaluate("document.documentElement.scrollWidth")
    limit = 390 if viewport == "phone" else 1280
    shot(page, name)
    if width > limit:
        culprits = page.evaluate(
            """(limit) => [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > limit + 1
                              || el.getBoundingClientRect().left < -1)
                .slice(0, 8).map(el => el.tagName + '.' + el.className + '#' + (el.name || el.id))""",
            limit,
        )
        raise AssertionError(f"{path} scrolls sideways on {viewport}: {width}px; {culprits}")


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
@pytest.mark.parametrize("lang", ["nl", "en", "ar"])
def test_every_page_fits_the_screen(new_page, live_server, place, lang, viewport):
    page = new_page(lang=lang, viewport=viewport)
    for path in PUBLIC:
        url = path.format(**place)
        check(page, url, f"{lang}-{viewport}-public{url.replace('/', '_')}", viewport)
    page = logged_in(new_page, live_server, place["member"], lang=lang, viewport=viewport)
    for path in MEMBER:
        url = path.format(**place)
        check(page, url, f"{lang}-{viewport}-member{url.replace('/', '_')}", viewport)
    page = logged_in(new_page, live_server, place["coordinator"], lang=lang, viewport=viewport)
    for path in STAFF:
        url = path.format(**place)
        check(page, url, f"{lang}-{viewport}-staff{url.replace('/', '_')}", viewport)
