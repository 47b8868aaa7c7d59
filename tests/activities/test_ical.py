"""iCal feeds: valid, parse back to the same events, public only, and carry no person."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from icalendar import Calendar

from tests.activities.calendar_support import NOW, add_session, make_session, titled, url
from tests.factories import ActivityFactory, PersonFactory
from verbinding.activities import selectors
from verbinding.activities.ical import build_calendar
from verbinding.activities.models import Activity

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def events(body: bytes) -> dict[str, object]:
    cal = Calendar.from_ical(body)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def fetch(client, name, **kwargs):
    params = kwargs.pop("params", {})
    response = client.get(url(name, **kwargs), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content


def test_build_calendar_round_trips_every_session(initiative):
    cafe = ActivityFactory(initiative=initiative, title=titled("Cafe"), room="Zaal 2")
    planned = add_session(cafe, days=1, hour=19)
    cancelled = add_session(cafe, days=8, hour=19, status="cancelled")
    sessions = selectors.list_activity_sessions(initiative, cafe)
    stamp = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)
    body = build_calendar(
        name="De Voorkamer", sessions=sessions, url_for_activity=lambda a: f"https://x.test/{a.pk}",
        lang="en", now=stamp,
    )
    cal = Calendar.from_ical(body)
    assert str(cal["VERSION"]) == "2.0" and "verbinding" in str(cal["PRODID"])
    assert str(cal["X-WR-CALNAME"]) == "De Voorkamer"
    found = events(body)
    assert set(found) == {f"session-{planned.pk}@verbinding", f"session-{cancelled.pk}@verbinding"}
    for session in (planned, cancelled):
        event = found[f"session-{session.pk}@verbinding"]
        assert event.decoded("DTSTART") == session.start
        assert event.decoded("DTEND") == session.end
        assert event.decoded("DTSTART").utcoffset() == dt.timedelta(0)  # written in UTC
        assert str(event["SUMMARY"]) == "Cafe (en)"
        assert str(event["URL"]) == f"https://x.test/{cafe.pk}"
        assert "Zaal 2" in str(event["LOCATION"]) and "Kanaalstraat 1" in str(event["LOCATION"])
        assert event.decoded("DTSTAMP") == stamp
    assert str(found[f"session-{cancelled.pk}@verbinding"]["STATUS"]) == "CANCELLED"
    assert str(found[f"session-{planned.pk}@verbinding"]["STATUS"]) == "CONFIRMED"


def test_the_initiative_feed_holds_public_sessions_from_30_days_ago_to_180_ahead(
    client, initiative, other_initiative
):
    cafe = ActivityFactory(initiative=initiative, title=titled("Cafe"))
    inside = [add_session(cafe, days=d) for d in (-29, 0, 1, 179)]
    outside = [add_session(cafe, days=d) for d in (-31, 181)]
    cancelled = add_session(cafe, days=3, status="cancelled")
    hidden = [
        make_session(initiative, audience=Activity.Audience.MEMBERS),
        make_session(other_initiative),
    ]
    draft = ActivityFactory(initiative=initiative, status=Activity.Status.DRAFT)
    hidden.append(add_session(draft, days=2))
    found = events(fetch(client, "calendar-ics"))
    assert set(found) == {f"session-{s.pk}@verbinding" for s in [*inside, cancelled]}
    assert {s.pk for s in outside + hidden}.isdisjoint(
        int(uid.split("-")[1].split("@")[0]) for uid in found
    )
    assert str(found[f"session-{cancelled.pk}@verbinding"]["STATUS"]) == "CANCELLED"


def test_the_initiative_feed_is_public_even_for_a_logged_in_member(client, initiative, newcomer):
    make_session(initiative, audience=Activity.Audience.MEMBERS)
    public = make_session(initiative)
    client.force_login(newcomer)
    assert set(events(fetch(client, "calendar-ics"))) == {f"session-{public.pk}@verbinding"}


def test_the_feed_never_contains_a_person(client, initiative):
    session = make_session(initiative, title=titled("Cafe"))
    session.activity.organisers.add(PersonFactory(initiative=initiative, display_name="Zerihun"))
    for body in (
        fetch(client, "calendar-ics"),
        fetch(client, "activity-ics", pk=session.activity_id),
    ):
        assert b"Zerihun" not in body
        assert b"ATTENDEE" not in body and b"ORGANIZER" not in body


@pytest.mark.parametrize(("params", "summary"), [
    ({"lang": "ar"}, "Cafe (ar)"),
    ({"lang": "en"}, "Cafe (en)"),
    ({"lang": "<script>"}, "Cafe (nl)"),
    ({}, "Cafe (nl)"),
])
def test_the_feed_language_can_be_chosen(client, initiative, params, summary):
    session = make_session(initiative, title=titled("Cafe"))
    event = events(fetch(client, "calendar-ics", params=params))[f"session-{session.pk}@verbinding"]
    assert str(event["SUMMARY"]) == summary


def test_the_activity_feed_holds_only_that_activitys_sessions(client, initiative):
    cafe = ActivityFactory(initiative=initiative, title=titled("Cafe"))
    mine = [add_session(cafe, days=d) for d in (1, 8, 300)]
    add_session(cafe, days=-40)  # older than the feed's 30 days
    make_session(initiative, title=titled("Other"))
    body = fetch(client, "activity-ics", pk=cafe.pk)
    assert set(events(body)) == {f"session-{s.pk}@verbinding" for s in mine}
    assert "Cafe (nl)" in str(Calendar.from_ical(body)["X-WR-CALNAME"])


def test_uids_are_stable_between_fetches(client, initiative):
    make_session(initiative)
    first = set(events(fetch(client, "calendar-ics")))
    second = set(events(fetch(client, "calendar-ics")))
    assert first == second and len(first) == 1


@pytest.mark.parametrize("audience_or_status", ["members", "draft", "other_initiative"])
def test_the_activity_feed_of_a_hidden_activity_is_a_404(
    client, initiative, other_initiative, audience_or_status
):
    if audience_or_status == "members":
        activity = make_session(initiative, audience=Activity.Audience.MEMBERS).activity
    elif audience_or_status == "draft":
        activity = ActivityFactory(initiative=initiative, status=Activity.Status.DRAFT)
    else:
        activity = make_session(other_initiative).activity
    response = client.get(url("activity-ics", pk=activity.pk))
    assert response.status_code == 404
