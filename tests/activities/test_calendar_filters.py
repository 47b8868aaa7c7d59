"""Calendar filters: each narrows the list to what it says, in the selector and on the page."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.activities.calendar_support import NOW, make_session, titled, url
from verbinding.activities import selectors
from verbinding.activities.filters import parse_calendar_query
from verbinding.activities.models import Activity, Format
from verbinding.activities.selectors import CalendarFilters

pytestmark = pytest.mark.django_db

A = Activity


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def variety(initiative):
    """One activity per distinguishing trait, everything else set to the opposite."""
    plain = {
        "language_needed": A.LanguageNeeded.BASIC_DUTCH, "cost": A.Cost.PAY_WHAT_YOU_CAN,
        "audience": A.Audience.OPEN, "kind": A.Kind.REGULAR, "format": Format.OTHER,
    }

    def make(name, **overrides):
        return make_session(initiative, title=titled(name), **{**plain, **overrides}).activity

    return {
        "no_dutch": make("NoDutch", language_needed=A.LanguageNeeded.NONE),
        "free": make("Free", cost=A.Cost.FREE),
        "women": make("Women", audience=A.Audience.WOMEN),
        "project": make("Project", kind=A.Kind.PROJECT),
        "cooking": make("Cooking", format=Format.COOKING),
        "amount": make("Paid", cost=A.Cost.AMOUNT, cost_cents=500),
    }


def shown(client, params) -> set[str]:
    html = client.get(url("calendar"), params).content.decode()
    names = ("NoDutch", "Free", "Women", "Project", "Cooking", "Paid")
    return {name for name in names if f"{name} (nl)" in html}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"NoDutch", "Free", "Women", "Project", "Cooking", "Paid"}),
        ({"no_dutch": "1"}, {"NoDutch"}),
        ({"no_dutch": "on"}, {"NoDutch"}),  # what a checkbox without value= would send
        ({"free": "1"}, {"Free"}),
        ({"women": "1"}, {"Women"}),
        ({"kind": "project"}, {"Project"}),
        ({"kind": "regular"}, {"NoDutch", "Free", "Women", "Cooking", "Paid"}),
        ({"format": "cooking"}, {"Cooking"}),
        ({"free": "1", "no_dutch": "1"}, set()),  # filters combine with AND
        ({"free": "0"}, {"NoDutch", "Free", "Women", "Project", "Cooking", "Paid"}),
    ],
)
def test_each_filter_narrows_the_calendar_to_matching_activities(client, variety, params, expected):
    assert shown(client, params) == expected


def test_the_selector_applies_every_filter(initiative, variety):
    start, end = NOW, NOW + dt.timedelta(days=28)

    def ids(**f):
        sessions = selectors.list_public_sessions(
            initiative, start=start, end=end, filters=CalendarFilters(**f)
        )
        return {s.activity_id for s in sessions}

    assert ids(no_dutch=True) == {variety["no_dutch"].pk}
    assert ids(free=True) == {variety["free"].pk}
    assert ids(women_only=True) == {variety["women"].pk}
    assert ids(kind="project") == {variety["project"].pk}
    assert ids(format="cooking") == {variety["cooking"].pk}
    assert ids() == {a.pk for a in variety.values()}


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "<script>alert(1)</script>"},
        {"format": "x" * 10_000},
        {"kind": "PROJECT"},
        {"women": "<script>"},
        {"free": "-1"},
    ],
)
def test_an_unknown_filter_value_is_ignored_and_the_page_renders(client, variety, params):
    response = client.get(url("calendar"), params)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in html
    assert shown(client, params) == {"NoDutch", "Free", "Women", "Project", "Cooking", "Paid"}


def test_parsing_drops_invalid_parts_and_keeps_valid_ones():
    from django.http import QueryDict

    filters, start = parse_calendar_query(
        QueryDict("kind=bogus&format=cooking&free=1&women=yes&no_dutch=nope&start=2025-13-40")
    )
    assert filters == CalendarFilters(free=True, women_only=True, format="cooking")
    assert start is None


def test_the_filter_form_shows_the_chosen_filters(client, variety):
    html = client.get(url("calendar"), {"women": "1", "format": "cooking"}).content.decode()
    assert 'name="women" value="1" checked' in html
    assert '<option value="cooking" selected>' in html
    assert 'name="free" value="1" checked' not in html


def test_filters_narrow_the_week_view_too(client, variety):
    html = client.get(url("week"), {"kind": "project"}).content.decode()
    assert "Project (nl)" in html and "Cooking (nl)" not in html
