"""The public page cache: anonymous visitors get cached results, and they are never stale.

Places left, cancellations, moves and the clock show at once; each language, filter and
period has its own entry; logged-in members are never served (or the source of) a cached
fragment; a cached fragment never carries a CSRF token or a CSP nonce.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.activities.calendar_support import AMS, NOW, at, make_session, titled, url
from tests.conftest import person_of
from tests.factories import ActivityFactory, PersonFactory, SessionFactory
from verbinding.accounts import services as account_services
from verbinding.activities import services as activity_services
from verbinding.activities.models import Activity
from verbinding.attendance import services as attendance_services

pytestmark = pytest.mark.django_db

# A request answered from the cache only looks up the initiative (tenancy middleware).
CACHED_QUERIES = {"calendar": 1, "week": 1, "activity-detail": 1}


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def get(client, name="calendar", *, lang="en", params=None, headers=None, **kwargs):
    client.cookies["verbinding_language"] = lang
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(name, **kwargs), params or {}, headers=headers or {})
    assert response.status_code == 200
    return response.content.decode(), len(queries.captured_queries)


def places_left(html: str, session) -> str:
    block = html.split(f'id="signup-{session.pk}"', 1)[1].split("</div>", 1)[0]
    match = re.search(r"(\d+) places? left", block)
    return match.group(1) if match else ""


def test_a_second_anonymous_request_is_answered_from_the_cache(client, initiative):
    session = make_session(initiative, title=titled("Coffee"), capacity=5)
    for name, kwargs in (("calendar", {}), ("week", {}),
                         ("activity-detail", {"pk": session.activity_id})):
        _, cold = get(client, name, **kwargs)
        second, warm = get(client, name, **kwargs)
        assert warm == CACHED_QUERIES[name] < cold
        assert "Coffee (en)" in second


def test_a_sign_up_shows_one_place_fewer_to_anonymous_visitors_at_once(client, initiative):
    session = make_session(initiative, capacity=5)
    calendar, _ = get(client)
    detail, _ = get(client, "activity-detail", pk=session.activity_id)
    assert places_left(calendar, session) == places_left(detail, session) == "5"

    attendance_services.sign_up(session=session, person=PersonFactory(initiative=initiative))

    calendar, _ = get(client)
    detail, _ = get(client, "activity-detail", pk=session.activity_id)
    assert places_left(calendar, session) == places_left(detail, session) == "4"


def test_cancelling_a_sign_up_gives_the_place_back_at_once(client, initiative):
    session = make_session(initiative, capacity=2)
    registration = attendance_services.sign_up(
        session=session, person=PersonFactory(initiative=initiative))
    assert places_left(get(client)[0], session) == "1"
    attendance_services.cancel_sign_up(registration=registration)
    assert places_left(get(client)[0], session) == "2"


def test_a_full_session_shows_the_waiting_list_as_soon_as_it_fills(client, initiative):
    session = make_session(initiative, capacity=1)
    assert "Full: waiting list" not in get(client)[0]
    attendance_services.sign_up(session=session, person=PersonFactory(initiative=initiative))
    assert "Full: waiting list" in get(client)[0]


def test_an_enrolment_shows_one_place_fewer_on_the_project_pages_at_once(client, initiative):
    session = make_session(initiative, kind=Activity.Kind.PROJECT, capacity=3)
    project = session.activity
    assert "3 places left" in get(client)[0]
    assert "3 places left" in get(client, "activity-detail", pk=project.pk)[0]
    attendance_services.enrol(activity=project, person=PersonFactory(initiative=initiative))
    assert "2 places left" in get(client)[0]
    assert "2 places left" in get(client, "activity-detail", pk=project.pk)[0]


def test_a_cancelled_session_shows_as_cancelled_at_once(client, initiative, coordinator):
    session = make_session(initiative, title=titled("Walk"))
    for name, kwargs in (("calendar", {}), ("week", {}),
                         ("activity-detail", {"pk": session.activity_id})):
        assert "Cancelled" not in get(client, name, **kwargs)[0]
    activity_services.cancel_session(session=session, by=coordinator)
    for name, kwargs in (("calendar", {}), ("week", {}),
                         ("activity-detail", {"pk": session.activity_id})):
        assert "Cancelled" in get(client, name, **kwargs)[0], name


def test_a_moved_session_shows_its_new_time_at_once(client, initiative, coordinator):
    session = make_session(initiative, days=2, hour=19)
    assert "19:00" in get(client)[0]
    activity_services.move_session(session=session, start=at(2, 15), end=at(2, 17),
                                   by=coordinator)
    html = get(client)[0]
    assert "15:00" in html and "19:00" not in html


def test_an_archived_activity_leaves_the_calendar_at_once(client, initiative, coordinator):
    session = make_session(initiative, title=titled("Choir"))
    assert "Choir (en)" in get(client)[0]
    activity_services.archive_activity(activity=session.activity, by=coordinator)
    assert "Choir (en)" not in get(client)[0]


def test_each_language_has_its_own_cached_entry(client, initiative):
    make_session(initiative, title=titled("Dinner"))
    english, _ = get(client, lang="en")
    arabic, cold = get(client, lang="ar")
    assert "Dinner (en)" in english and "Dinner (ar)" in arabic and "Dinner (en)" not in arabic
    assert cold > CACHED_QUERIES["calendar"]  # not served from the English entry
    again, warm = get(client, lang="en")
    assert warm == CACHED_QUERIES["calendar"] and "Dinner (en)" in again


def test_a_new_time_zone_of_the_initiative_shows_at_once(client, initiative, coordinator):
    make_session(initiative, days=2, hour=19)  # 19:00 in Amsterdam is 18:00 UTC in March
    assert "19:00" in get(client)[0]
    account_services.update_initiative(
        initiative=initiative, by=coordinator, name=initiative.name, address="", district="",
        time_zone="UTC", languages=["nl", "en", "ar"], tagline={}, opening_hours={},
    )
    html = get(client)[0]
    assert "18:00" in html and "19:00" not in html


def test_filters_and_periods_have_their_own_entries(client, initiative):
    make_session(initiative, title=titled("Free"), cost=Activity.Cost.FREE)
    make_session(initiative, title=titled("Paid"), cost=Activity.Cost.PAY_WHAT_YOU_CAN)
    all_of_them, _ = get(client)
    free, _ = get(client, params={"free": "1"})
    later, _ = get(client, params={"start": "2025-04-14"})
    assert "Paid (en)" in all_of_them and "Free (en)" in all_of_them
    assert "Paid (en)" not in free and "Free (en)" in free
    assert "Free (en)" not in later and "14 April" in later


def test_the_same_filters_written_differently_share_one_entry(client, initiative):
    session = make_session(initiative, cost=Activity.Cost.FREE, capacity=4)
    _, cold = get(client, params={"free": "1"})
    html, warm = get(client, params={"free": "on", "kind": "", "junk": "<script>"})
    assert warm == CACHED_QUERIES["calendar"] < cold
    # The login link returns to the normalised address, not to the visitor's own query string.
    assert "next=/voorkamer/%3Ffree%3D1" in html
    results = html.split('id="calendar-results"', 1)[1].split("</main>", 1)[0]
    assert "junk" not in results and "<script>" not in html
    assert places_left(html, session) == "4"


def test_the_htmx_results_and_the_whole_page_share_one_entry(client, initiative):
    make_session(initiative, title=titled("Games"))
    page, _ = get(client, params={"free": ""})
    partial, warm = get(client, headers={"HX-Request": "true", "HX-Target": "calendar-results"})
    assert warm == CACHED_QUERIES["calendar"]
    assert "<html" not in partial and "Games (en)" in partial
    assert partial.strip() in page


def _starting_soon(initiative, **fields):
    """A session three minutes from now: well within the five minutes an entry may live."""
    start = NOW + dt.timedelta(minutes=3)
    activity = ActivityFactory(initiative=initiative, first_start=start, **fields)
    return SessionFactory(activity=activity, start=start)


def test_a_session_that_starts_shows_as_taken_place_without_any_write(client, initiative):
    session = _starting_soon(initiative)
    html = get(client)[0]
    assert "Log in to sign up" in html and "Has taken place" not in html
    assert f'id="signup-{session.pk}"' in get(client, "activity-detail", pk=session.activity_id)[0]
    with time_machine.travel(NOW + dt.timedelta(minutes=4), tick=False):
        html = get(client)[0]
        assert "Has taken place" in html
        detail = get(client, "activity-detail", pk=session.activity_id)[0]
        assert f'id="signup-{session.pk}"' not in detail  # no longer among the coming dates


def test_a_project_whose_last_date_starts_closes_without_any_write(client, initiative):
    session = _starting_soon(initiative, kind=Activity.Kind.PROJECT)
    assert "Log in to join" in get(client, "activity-detail", pk=session.activity_id)[0]
    assert "Log in to join" in get(client)[0]
    with time_machine.travel(NOW + dt.timedelta(minutes=4), tick=False):
        for html in (get(client, "activity-detail", pk=session.activity_id)[0], get(client)[0]):
            assert "This project has ended." in html and "Log in to join" not in html


def test_the_calendar_moves_on_at_midnight(client, initiative):
    make_session(initiative, days=0, hour=19, title=titled("Tonight"))
    assert "Tonight (en)" in get(client)[0]
    with time_machine.travel(dt.datetime.combine(NOW.date() + dt.timedelta(days=1),
                                                 dt.time(0, 5), tzinfo=AMS), tick=False):
        html, queries = get(client)
        assert "Tonight (en)" not in html and queries > CACHED_QUERIES["calendar"]


def test_a_cached_entry_expires_after_five_minutes_at_most(client, initiative):
    make_session(initiative, days=20)
    get(client)
    with time_machine.travel(NOW + dt.timedelta(minutes=4), tick=False):
        assert get(client)[1] == CACHED_QUERIES["calendar"]
    with time_machine.travel(NOW + dt.timedelta(minutes=6), tick=False):
        assert get(client)[1] > CACHED_QUERIES["calendar"]


def test_members_never_get_and_never_leave_a_cached_fragment(client, initiative, newcomer):
    session = make_session(initiative, capacity=3)
    attendance_services.sign_up(session=session, person=person_of(newcomer, initiative))
    anonymous, _ = get(client)
    assert "Log in to sign up" in anonymous and "You are signed up" not in anonymous

    client.force_login(newcomer)
    member, queries = get(client)
    assert "You are signed up" in member and "Log in to sign up" not in member
    assert queries > CACHED_QUERIES["calendar"]
    client.logout()

    again, _ = get(client)
    assert "You are signed up" not in again and "Log in to sign up" in again


def test_members_only_activities_never_reach_the_anonymous_cache(client, initiative, newcomer):
    make_session(initiative, title=titled("Members meeting"), audience=Activity.Audience.MEMBERS)
    client.force_login(newcomer)
    assert "Members meeting (en)" in get(client)[0]
    client.logout()
    assert "Members meeting (en)" not in get(client)[0]


def test_a_cached_page_still_gets_its_own_csrf_token_and_nonce(client, initiative):
    make_session(initiative)
    first, _ = get(client)
    client.cookies.clear()  # a new visitor
    second, warm = get(client)
    assert warm == CACHED_QUERIES["calendar"]

    def token(html):
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    assert token(first) != token(second)


def test_another_initiatives_calendar_is_never_served_from_this_one(
    client, initiative, other_initiative
):
    make_session(initiative, title=titled("Here"))
    make_session(other_initiative, title=titled("There"))
    assert "Here (en)" in get(client)[0]
    html = get(client, slug="huiskamer")[0]
    assert "There (en)" in html and "Here (en)" not in html


def test_hostile_titles_stay_escaped_when_served_from_the_cache(client, initiative):
    make_session(initiative, title={"en": "<script>alert(1)</script>\u202eevil"})
    get(client)
    html, warm = get(client)
    assert warm == CACHED_QUERIES["calendar"]
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_edited_activity_shows_its_new_room_at_once(client, initiative, coordinator):
    session = make_session(initiative, room="Zaal 1")
    assert "Zaal 1" in get(client)[0]
    activity_services.update_activity(activity=session.activity, by=coordinator, room="Zaal 2")
    html = get(client)[0]
    assert "Zaal 2" in html and "Zaal 1" not in html


def test_an_activity_page_that_was_cached_is_gone_at_once_when_archived(
    client, initiative, coordinator
):
    session = make_session(initiative)
    get(client, "activity-detail", pk=session.activity_id)
    activity_services.archive_activity(activity=session.activity, by=coordinator)
    client.cookies["verbinding_language"] = "en"
    assert client.get(url("activity-detail", pk=session.activity_id)).status_code == 404


def test_an_activity_page_that_was_cached_is_gone_at_once_when_made_members_only(
    client, initiative, coordinator
):
    session = make_session(initiative)
    get(client, "activity-detail", pk=session.activity_id)
    activity_services.update_activity(activity=session.activity, by=coordinator,
                                      audience=Activity.Audience.MEMBERS)
    assert client.get(url("activity-detail", pk=session.activity_id)).status_code == 404


def test_a_draft_that_answered_404_shows_at_once_when_published(client, initiative, coordinator):
    activity = ActivityFactory(initiative=initiative, status=Activity.Status.DRAFT,
                               title=titled("Soon"), first_start=at(2, 19))
    session = SessionFactory(activity=activity, start=at(2, 19))
    assert client.get(url("activity-detail", pk=session.activity_id)).status_code == 404
    activity_services.publish_activity(activity=session.activity, by=coordinator)
    assert "Soon (en)" in get(client, "activity-detail", pk=session.activity_id)[0]


def test_organiser_names_never_reach_the_anonymous_cache(client, initiative, newcomer):
    session = make_session(initiative)
    session.activity.organisers.add(PersonFactory(initiative=initiative, display_name="Zerihun"))
    client.force_login(newcomer)
    assert "Zerihun" in get(client, "activity-detail", pk=session.activity_id)[0]
    client.logout()
    for _ in range(2):
        html, _ = get(client, "activity-detail", pk=session.activity_id)
        assert "Zerihun" not in html


def test_a_hostile_title_stays_escaped_in_the_cached_page_title(client, initiative):
    session = make_session(initiative, title={"en": "<script>alert(1)</script>"})
    get(client, "activity-detail", pk=session.activity_id)
    html, warm = get(client, "activity-detail", pk=session.activity_id)
    assert warm == CACHED_QUERIES["activity-detail"]
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; · " in html
    assert "<script>alert(1)" not in html
