"""Logged-in viewers' pages are cached too — for them alone — and session cards are shared
between viewers in the same state. Nobody ever sees another member's sign-ups, a stale place
count, a stale role or an organiser's old name, and every form keeps a working CSRF token.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.activities.calendar_support import NOW, make_session, titled, url
from tests.conftest import person_of
from tests.factories import ActivityFactory, PersonFactory, SessionFactory
from verbinding.accounts.models import Role
from verbinding.attendance import services as attendance_services
from verbinding.people import services as people_services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def get(client, name="calendar", **kwargs) -> str:
    client.cookies["verbinding_language"] = "en"
    response = client.get(url(name, **kwargs))
    assert response.status_code == 200
    return response.content.decode()


def card_of(html: str, session) -> str:
    return html.split(f'id="signup-{session.pk}"', 1)[1].split("</div>", 1)[0]


def tokens(html: str) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', html)


def test_two_members_never_see_each_others_sign_ups_from_the_cache(initiative, newcomer, local):
    session = make_session(initiative, capacity=5)
    attendance_services.sign_up(session=session, person=person_of(newcomer, initiative))
    amal, joost = Client(), Client()
    amal.force_login(newcomer)
    joost.force_login(local)
    for _round in range(2):  # the second round is served from the cache
        assert "You are signed up" in card_of(get(amal), session)
        assert "You are signed up" not in card_of(get(joost), session)
        assert "Sign up" in card_of(get(joost), session)
        detail = get(amal, "activity-detail", pk=session.activity_id)
        assert "You are signed up" in card_of(detail, session)
        assert "You are signed up" not in card_of(
            get(joost, "activity-detail", pk=session.activity_id), session)


def test_a_cached_member_page_has_a_working_csrf_token(initiative, newcomer):
    session = make_session(initiative, capacity=5)
    client = Client(enforce_csrf_checks=True)
    client.force_login(newcomer)
    get(client)
    html = get(client)  # from the cache
    found = tokens(html)
    assert found and all(len(t) == 64 for t in found)
    signup = reverse("attendance:session-signup",
                     kwargs={"initiative_slug": initiative.slug, "pk": session.pk})
    # The form on the page posts to exactly this address.
    assert f'action="{signup}"' in card_of(html, session)
    response = client.post(signup, {"csrfmiddlewaretoken": found[-1], "next": url("calendar")})
    assert response.status_code == 302
    assert session.registrations.filter(person=person_of(newcomer, initiative)).exists()
    # ... and the page shows the new state at once.
    assert "You are signed up" in card_of(get(client), session)


def test_a_cached_page_never_stores_a_csrf_token(initiative, newcomer):
    import pickle

    from django.core.cache import cache

    make_session(initiative, capacity=5)
    client = Client()
    client.force_login(newcomer)
    html = get(client)
    page_tokens = set(tokens(html))
    # locmem in tests: our own pickled values, written a moment ago by this test
    stored = [repr(pickle.loads(raw)) for raw in cache._cache.values()]  # noqa: S301
    assert any("signup-" in value for value in stored)  # the page and its cards are cached
    assert page_tokens and not any(t in value for t in page_tokens for value in stored)


def test_another_members_sign_up_changes_the_places_left_at_once(initiative, newcomer):
    session = make_session(initiative, capacity=5)
    client = Client()
    client.force_login(newcomer)
    assert "5 places left" in card_of(get(client), session)
    attendance_services.sign_up(session=session, person=PersonFactory(initiative=initiative))
    assert "4 places left" in card_of(get(client), session)


def test_a_new_role_shows_its_buttons_at_once(initiative, newcomer, coordinator):
    session = make_session(initiative, capacity=5)
    client = Client()
    client.force_login(newcomer)
    assert "Who is coming" not in card_of(get(client), session)
    Role.objects.create(initiative=initiative, user=newcomer, name=Role.Name.COORDINATOR)
    assert "Who is coming" in card_of(get(client), session)


def test_a_renamed_organiser_shows_with_the_new_name_at_once(initiative, newcomer, organiser):
    session = make_session(initiative, title=titled("Sewing"))
    person = person_of(organiser, initiative)
    session.activity.organisers.add(person)
    client = Client()
    client.force_login(newcomer)
    assert "Omar" in get(client, "activity-detail", pk=session.activity_id)
    people_services.update_profile(
        person=person, by=organiser, display_name="Omar B.", email="", phone="", talents=[],
        interests=[], availability=[])
    page = get(client, "activity-detail", pk=session.activity_id)
    assert "Omar B." in page


def test_members_in_the_same_state_share_a_card(initiative, newcomer, local):
    session = make_session(initiative, capacity=5)
    amal, joost = Client(), Client()
    amal.force_login(newcomer)
    joost.force_login(local)
    first = card_of(get(amal), session)
    second = card_of(get(joost), session)
    strip = re.compile(r'value="[A-Za-z0-9]{64}"')
    assert strip.sub("", first) == strip.sub("", second)
    assert tokens(first) != tokens(second)


def test_a_session_that_starts_shows_as_taken_place_for_a_member_without_any_write(
    initiative, newcomer
):
    start = NOW + dt.timedelta(minutes=3)
    session = SessionFactory(activity=ActivityFactory(initiative=initiative, first_start=start),
                             start=start)
    client = Client()
    client.force_login(newcomer)
    for _round in range(2):
        html = get(client)
        assert "Sign up" in card_of(html, session) and "Has taken place" not in html
    with time_machine.travel(NOW + dt.timedelta(minutes=4), tick=False):
        html = get(client)
        assert "Has taken place" in card_of(html, session)
        assert "Sign up" not in card_of(html, session)
