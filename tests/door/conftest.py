"""Fixtures of the door tests: a session going on now (today), one in a few days, and a kiosk
client logged in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import ActivityFactory, SessionFactory


def session_at(initiative, start, *, minutes=120, **activity):
    activity = ActivityFactory(initiative=initiative, first_start=start, duration_minutes=min(minutes, 600),
                               **activity)
    return SessionFactory(activity=activity, start=start, end=start + dt.timedelta(minutes=minutes))


@pytest.fixture
def today_session(initiative):
    """Started half an hour ago, ends in 90 minutes: today (or still going on after midnight)."""
    start = (timezone.now() - dt.timedelta(minutes=30)).replace(microsecond=0)
    return session_at(initiative, start)


@pytest.fixture
def later_session(initiative):
    return session_at(initiative, (timezone.now() + dt.timedelta(days=3)).replace(microsecond=0))


@pytest.fixture
def kiosk_client(client, kiosk):
    client.force_login(kiosk)
    return client
