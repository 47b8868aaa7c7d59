"""Fixtures for the organising tests: a pinned clock and an activity Omar (the organiser persona)
organises, with one session that was held two days ago and one coming in three days.

Sign-ups and check-ins are made through the attendance services, as in real life; the past
session's sign-ups are made while the clock stands before it.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.conftest import person_of
from tests.factories import ActivityFactory, SessionFactory
from verbinding.attendance import services as attendance
from verbinding.people.models import Person

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=True):
        yield


def make_activity(initiative, *, organisers=(), days=-2, **fields):
    start = NOW + dt.timedelta(days=days)
    activity = ActivityFactory(initiative=initiative, first_start=start, **fields)
    activity.organisers.set(organisers)
    return activity


def make_session(activity, *, days, hours=0):
    start = NOW + dt.timedelta(days=days, hours=hours)
    return SessionFactory(activity=activity, start=start)


def people(initiative, *names, email=None, language=""):
    return [
        Person.objects.create(initiative=initiative, display_name=name,
                              email=(email or "") and f"{name.lower()}@example.org",
                              preferred_language=language)
        for name in names
    ]


def sign_up_before(session, *persons):
    """Sign people up while the clock stands a week before the session."""
    with time_machine.travel(session.start - dt.timedelta(days=7), tick=False):
        for p in persons:
            attendance.sign_up(session=session, person=p, by=None)


@pytest.fixture
def activity(initiative, organiser):
    return make_activity(initiative, organisers=[person_of(organiser, initiative)])


@pytest.fixture
def past_session(activity):
    return make_session(activity, days=-2)


@pytest.fixture
def future_session(activity):
    return make_session(activity, days=3)


@pytest.fixture
def other_activity(initiative, coordinator):
    """An activity Omar does not organise (Coco does)."""
    return make_activity(initiative, organisers=[person_of(coordinator, initiative)],
                         title={"nl": "Naaicafé", "en": "Sewing café", "ar": "مقهى الخياطة"})
