"""The week view: seven days from Monday, paging by a week, friendly with odd dates."""

from __future__ import annotations

import re

import pytest
import time_machine

from tests.activities.calendar_support import NOW, make_session, titled, url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def week(client, **params) -> str:
    response = client.get(url("week"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_week_view_shows_seven_days_from_monday(client, initiative):
    make_session(initiative, days=0, title=titled("Monday thing"))
    make_session(initiative, days=6, title=titled("Sunday thing"))
    make_session(initiative, days=7, title=titled("Next Monday thing"))
    html = week(client)
    assert html.count('class="week-day"') == 7
    assert "maandag 3 maart" in html and "zondag 9 maart" in html
    assert "Monday thing (nl)" in html and "Sunday thing (nl)" in html
    assert "Next Monday thing" not in html


def test_a_start_date_midweek_shows_the_week_it_falls_in(client, initiative):
    make_session(initiative, days=7, title=titled("Next Monday thing"))
    html = week(client, start="2025-03-13")  # a Thursday
    assert "maandag 10 maart" in html and "Next Monday thing (nl)" in html


def test_the_week_view_links_to_the_previous_and_next_week(client, initiative):
    html = week(client)
    assert 'href="/voorkamer/week/?start=2025-02-24"' in html
    assert 'href="/voorkamer/week/?start=2025-03-10"' in html


def test_the_week_view_marks_a_cancelled_session(client, initiative):
    make_session(initiative, days=1, status="cancelled", title=titled("Called off"))
    html = week(client)
    assert "week-item is-cancelled" in html and "<del dir=\"auto\" lang=\"nl\">Called off (nl)</del>" in html


@pytest.mark.parametrize(
    "start", ["99999-99-99", "2025-02-30", "yesterday", "", "0001-01-01", "9999-12-31", "-1", "x" * 5000]
)
def test_an_odd_start_date_gives_a_normal_week(client, initiative, start):
    html = week(client, start=start)
    assert html.count('class="week-day"') == 7


def test_a_start_date_far_away_is_clamped_to_two_years(client, initiative):
    html = week(client, start="9999-12-31")
    # today + 2 years (and a leap day) is Friday 5 March 2027: its week starts on 1 March
    assert 'name="start" value="2027-03-01"' in html
    assert 'href="/voorkamer/week/?start=2027-02-22"' in html
    # no paging beyond the limit
    assert not re.search(r"/voorkamer/week/\?start=2027-03-(0[2-9]|[1-3]\d)", html)
