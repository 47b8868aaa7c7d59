"""The calendar in the visitor's language: Arabic right to left, Dutch dates, local time."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from tests.activities.calendar_support import NOW, make_session, titled, url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.parametrize("name", ["calendar", "week"])
def test_the_arabic_calendar_is_right_to_left(client, initiative, name):
    client.cookies["verbinding_language"] = "ar"
    html = client.get(url(name)).content.decode()
    assert '<html lang="ar" dir="rtl">' in html


def test_choosing_arabic_with_the_language_switch_is_remembered(client, initiative):
    response = client.post(reverse("set_language"), {"language": "ar", "next": url("calendar")})
    assert response.status_code == 302
    html = client.get(url("calendar")).content.decode()
    assert '<html lang="ar" dir="rtl">' in html


def test_the_arabic_calendar_shows_arabic_titles_and_month_names(client, initiative):
    make_session(initiative, days=1, title=titled("Tea"))
    client.cookies["verbinding_language"] = "ar"
    html = client.get(url("calendar")).content.decode()
    assert "Tea (ar)" in html
    assert "مارس" in html  # March


def test_dutch_dates_use_dutch_month_and_day_names(client, initiative):
    make_session(initiative, days=1, title=titled("Tea"))
    client.cookies["verbinding_language"] = "nl"
    html = client.get(url("calendar")).content.decode()
    assert '<html lang="nl" dir="ltr">' in html
    assert "dinsdag 4 maart" in html


def test_english_dates_use_english_names(client, initiative):
    make_session(initiative, days=1, title=titled("Tea"))
    client.cookies["verbinding_language"] = "en"
    html = client.get(url("calendar")).content.decode()
    assert "Tea (en)" in html and "Tuesday 4 March" in html


def test_times_are_shown_in_the_initiatives_time_zone(client, initiative):
    make_session(initiative, days=1, hour=19)  # 19:00 Amsterdam = 18:00 UTC in March
    client.cookies["verbinding_language"] = "nl"
    html = client.get(url("calendar")).content.decode()
    assert ">19:00</time>" in html


def test_a_session_late_in_the_evening_is_listed_on_its_local_day(client, initiative):
    make_session(initiative, days=1, hour=23, title=titled("Late"))  # 22:00 UTC, same local day
    client.cookies["verbinding_language"] = "nl"
    html = client.get(url("calendar")).content.decode()
    assert html.index("dinsdag 4 maart") < html.index("Late (nl)")
    assert "woensdag 5 maart" not in html
