"""Fixtures for the attendance tests: a pinned clock, activities and sessions of `voorkamer`.

State is built through the services where it matters (sign-ups, enrolments); activities and
sessions come from the factories (the activities app owns their services).
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.factories import ActivityFactory, SessionFactory
from verbinding.activities.models import Activity
from verbinding.people.models import Person

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    # The site default is Dutch; assertions read English unless a test picks a language.
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _clock():
    # tick=True: created_at keeps increasing, so waiting-list order is by time as in real life.
    with time_machine.travel(NOW, tick=True):
        yield


def make_session(initiative, *, capacity=None, days=3, session_capacity=None, **activity_fields):
    start = NOW + dt.timedelta(days=days)
    activity = ActivityFactory(
        initiative=initiative, first_start=start, capacity=capacity, **activity_fields
    )
    session = SessionFactory(activity=activity, start=start, capacity=session_capacity)
    return session


def make_project(initiative, *, capacity=None, sessions=3, days=3, **fields):
    start = NOW + dt.timedelta(days=days)
    project = ActivityFactory(
        initiative=initiative, first_start=start, capacity=capacity,
        kind=Activity.Kind.PROJECT, **fields,
    )
    for week in range(sessions):
        SessionFactory(activity=project, start=start + dt.timedelta(weeks=week))
    return project


def make_people(initiative, n, *, prefix="Lid"):
    return [
        Person.objects.create(initiative=initiative, display_name=f"{prefix} {i}")
        for i in range(n)
    ]


@pytest.fixture
def session(initiative):
    return make_session(initiative)


@pytest.fixture
def small_session(initiative):
    """Two places."""
    return make_session(initiative, capacity=2)


@pytest.fixture
def project(initiative):
    return make_project(initiative, capacity=2)
