"""Fixtures for the welcome tests: a pinned clock (an evening in Utrecht), today's and
yesterday's sessions of `voorkamer`, and an English test client."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.factories import ActivityFactory, SessionFactory

# 19:30 in Utrecht (UTC+1 in December).
NOW = dt.datetime(2026, 12, 1, 18, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def client():
    from django.test import Client

    return Client(headers={"accept-language": "en"})


def url(name, **kwargs):
    return reverse(name, kwargs={"initiative_slug": "voorkamer", **kwargs})


def make_session(initiative, start, *, title=None):
    activity = ActivityFactory(
        initiative=initiative, first_start=start,
        **({"title": title} if title else {}),
    )
    return SessionFactory(activity=activity, start=start)


@pytest.fixture
def today_session(initiative):
    return make_session(initiative, NOW - dt.timedelta(minutes=30),
                        title={"nl": "Taalcafé", "en": "Language café", "ar": "مقهى اللغة"})


@pytest.fixture
def yesterday_session(initiative):
    return make_session(initiative, NOW - dt.timedelta(days=1),
                        title={"nl": "Koffie", "en": "Coffee night", "ar": "قهوة"})
