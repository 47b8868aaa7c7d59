"""Helpers to build a small history through the check-in service."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import ActivityFactory, SessionFactory
from verbinding.attendance.checkin import check_in


def past_session(initiative, *, days_ago: float, activity=None, **activity_kwargs):
    start = (timezone.now() - dt.timedelta(days=days_ago)).replace(microsecond=0)
    activity = activity or ActivityFactory(initiative=initiative, first_start=start, **activity_kwargs)
    return SessionFactory(activity=activity, start=start, occurrence=None)


def visit(person, *, days_ago: float, activity=None):
    session = past_session(person.initiative, days_ago=days_ago, activity=activity)
    return check_in(session=session, person=person, method="organiser", at=session.start).checkin


@pytest.fixture
def history():
    return {"past_session": past_session, "visit": visit}


@pytest.fixture(autouse=True)
def _english(client):
    """Assertions read the English strings; one test checks the Dutch page on purpose."""
    client.cookies["verbinding_language"] = "en"
