"""The public activity page: content in the visitor's language, facts, dates, and privacy."""

from __future__ import annotations

import pytest
import time_machine

from tests.activities.calendar_support import NOW, add_session, make_session, titled, url
from tests.conftest import person_of
from tests.factories import ActivityFactory, PersonFactory
from verbinding.activities.models import Activity, Format
from verbinding.attendance.models import Registration

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def detail(client, activity, *, lang="nl", status=200) -> str:
    client.cookies["verbinding_language"] = lang
    response = client.get(url("activity-detail", pk=activity.pk))
    assert response.status_code == status
    return response.content.decode()


@pytest.fixture
def cafe(initiative):
    activity = ActivityFactory(
        initiative=initiative,
        title={"nl": "Taalcafé", "en": "Language café", "ar": "مقهى اللغة"},
        description={"nl": "Oefen Nederlands.", "en": "Practise Dutch."},
        kind=Activity.Kind.REGULAR, format=Format.LANGUAGE_CAFE,
        language_needed=Activity.LanguageNeeded.NONE, languages_spoken=["nl", "ar", "ti"],
        interpreter=True, cost=Activity.Cost.AMOUNT, cost_cents=250,
        audience=Activity.Audience.WOMEN, room="Grote zaal", capacity=10,
    )
    activity.organisers.add(
        PersonFactory(initiative=initiative, display_name="Zerihun"),
        PersonFactory(initiative=initiative, display_name="Marijke"),
    )
    return activity


def test_the_page_shows_title_and_description_in_the_visitors_language(client, cafe):
    html = detail(client, cafe, lang="en")
    assert "Language café" in html and "Practise Dutch." in html


def test_a_missing_translation_falls_back_to_another_language(client, cafe):
    html = detail(client, cafe, lang="ar")
    assert "مقهى اللغة" in html  # the Arabic title exists
    assert "Oefen Nederlands." in html  # no Arabic description: the Dutch one, not nothing
    assert '<p class="lead" dir="auto" lang="nl">Oefen Nederlands.' in html
    assert '<h1 dir="auto" lang="ar">' in html
    assert '<html lang="ar" dir="rtl">' in html


def test_the_page_shows_the_practical_facts(client, cafe):
    html = detail(client, cafe, lang="en")
    assert "Language café" in html  # format
    assert "No Dutch needed" in html
    assert "Arabic" in html and "Tigrinya" in html  # languages spoken, by name
    assert "interpreter" in html
    assert "Grote zaal" in html and "Kanaalstraat 1, Utrecht" in html
    assert "Women only" in html


@pytest.mark.parametrize(("lang", "price"), [("nl", "€\xa02,50"), ("en", "€\xa02.50")])
def test_a_price_is_shown_as_a_localised_euro_amount(client, cafe, lang, price):
    assert price in detail(client, cafe, lang=lang)


def test_anonymous_visitors_never_see_an_organisers_name(client, cafe):
    html = detail(client, cafe)
    assert "Zerihun" not in html and "Marijke" not in html


@pytest.mark.parametrize("viewer", ["kiosk", "partner", "outsider"])
def test_logged_in_non_members_never_see_an_organisers_name(client, cafe, viewer, request):
    client.force_login(request.getfixturevalue(viewer))
    html = detail(client, cafe)
    assert "Zerihun" not in html and "Marijke" not in html


def test_members_see_who_organises_the_activity(client, cafe, local):
    client.force_login(local)
    html = detail(client, cafe)
    assert "Marijke" in html and "Zerihun" in html
    assert html.index("Marijke") < html.index("Zerihun")  # ordered by name


def test_the_page_lists_the_coming_sessions_with_places_left(client, initiative, cafe):
    past = add_session(cafe, days=-7)
    soon = add_session(cafe, days=2)
    later = add_session(cafe, days=9)
    for person in (PersonFactory(initiative=initiative) for _ in range(3)):
        Registration.objects.create(initiative=initiative, activity=cafe, session=soon, person=person)
    html = detail(client, cafe, lang="en")
    assert f'id="signup-{soon.pk}"' in html and f'id="signup-{later.pk}"' in html
    assert f'id="signup-{past.pk}"' not in html
    assert "7 places left" in html and "10 places left" in html


def test_a_project_page_shows_its_goal_its_dates_and_one_enrol_control(client, initiative):
    project = ActivityFactory(
        initiative=initiative, kind=Activity.Kind.PROJECT, title=titled("Mural"),
        common_goal={"nl": "Een muurschildering voor de buurt"}, planned_sessions=3,
        capacity=9,
    )
    sessions = [add_session(project, days=d) for d in (1, 8, 15)]
    sessions.append(add_session(project, days=22, status="cancelled"))
    html = detail(client, project)
    assert "Een muurschildering voor de buurt" in html
    assert html.count('id="enrol-') == 1
    assert 'id="signup-' not in html
    for s in sessions:
        assert f'datetime="{s.start.isoformat()}"' in html
    assert "<del><time" in html  # the cancelled date, struck through


@pytest.mark.parametrize("status", [Activity.Status.DRAFT, Activity.Status.ARCHIVED])
def test_a_draft_or_archived_activity_is_a_404_for_everyone(client, initiative, coordinator, status):
    activity = ActivityFactory(initiative=initiative, status=status)
    detail(client, activity, status=404)
    client.force_login(coordinator)
    detail(client, activity, status=404)


def test_a_members_only_activity_is_a_404_for_the_public_and_visible_to_members(
    client, initiative, newcomer, kiosk
):
    activity = make_session(
        initiative, audience=Activity.Audience.MEMBERS, title=titled("Members night")
    ).activity
    detail(client, activity, status=404)
    client.force_login(kiosk)
    detail(client, activity, status=404)
    client.force_login(newcomer)
    assert "Members night (nl)" in detail(client, activity)


def test_another_initiatives_activity_is_a_404(client, initiative, other_initiative, newcomer):
    theirs = make_session(other_initiative).activity
    detail(client, theirs, status=404)
    client.force_login(newcomer)
    detail(client, theirs, status=404)


def test_an_unknown_activity_is_a_404(client, initiative):
    response = client.get(url("activity-detail", pk=987654321))
    assert response.status_code == 404


def test_hostile_content_is_escaped(client, initiative):
    activity = ActivityFactory(
        initiative=initiative,
        title={"nl": "<img src=x onerror=alert(1)>\u202e"},
        description={"nl": "<script>alert(2)</script>" + "x" * 10_000},
        room="<b>room</b>",
    )
    html = detail(client, activity)
    assert "<img src=x" not in html and "<script>alert(2)" not in html and "<b>room" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_the_page_uses_a_bounded_number_of_queries(
    client, initiative, cafe, newcomer, django_assert_max_num_queries
):
    for d in range(1, 12):
        add_session(cafe, days=d)
    client.force_login(newcomer)
    person = person_of(newcomer, initiative)
    Registration.objects.create(
        initiative=initiative, activity=cafe, session=cafe.sessions.first(), person=person
    )
    with django_assert_max_num_queries(12):
        detail(client, cafe)


def test_the_page_links_to_the_activity_feed(client, cafe):
    assert url("activity-ics", pk=cafe.pk) in detail(client, cafe)


def test_a_cancelled_date_of_a_regular_activity_is_struck_through_on_its_page(client, cafe):
    cancelled = add_session(cafe, days=3, status="cancelled")
    html = detail(client, cafe)
    assert f'<del>donderdag 6 maart · <time datetime="{cancelled.start.isoformat()}"' in html
    assert f'id="signup-{cancelled.pk}"' not in html
