"""The calendar under hostile input and at size: never a 500, a bounded number of queries."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.activities.calendar_support import NOW, add_session, make_session, url
from tests.conftest import person_of
from tests.factories import ActivityFactory, PersonFactory
from verbinding.activities.models import Activity
from verbinding.attendance.models import Registration
from verbinding.core.services import bump_content_version

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.parametrize(
    "query",
    [
        "start=99999-99-99",
        "start=2025-02-29",
        "start=0000-00-00",
        "start=0001-01-01",
        "start=9999-12-31",
        "start=%00",
        "kind=%3Cscript%3Ealert(1)%3C/script%3E",
        "format=%E2%80%AEevil",
        "page=99999999999999999999999999",
        "page=-1",
        "free=" + "1" * 10_000,
        "start=2025-03-03&start=garbage",
        "no_dutch[]=1&kind[]=regular",
        "lang=../../etc/passwd",
    ],
)
@pytest.mark.parametrize("name", ["calendar", "week", "calendar-ics"])
def test_hostile_query_parameters_give_a_normal_page(client, initiative, query, name):
    make_session(initiative)
    response = client.get(f"{url(name)}?{query}")
    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content


def test_an_unknown_initiative_is_a_404(client, db):
    assert client.get(url("calendar", slug="nowhere")).status_code == 404


def _fill(initiative, count: int, *, members):
    """`count` sessions over four weeks: regular ones with capacity and sign-ups, some
    cancelled, some members-only, some women-only, and two projects with enrolments."""
    kinds = [
        {"capacity": 12},
        {"audience": Activity.Audience.WOMEN, "capacity": 8},
        {"audience": Activity.Audience.MEMBERS},
        {"cost": Activity.Cost.AMOUNT, "cost_cents": 350},
    ]
    activities = [ActivityFactory(initiative=initiative, **kinds[i % len(kinds)]) for i in range(4)]
    projects = [
        ActivityFactory(initiative=initiative, kind=Activity.Kind.PROJECT, capacity=10)
        for _ in range(2)
    ]
    for project in projects:
        for person in members:
            Registration.objects.create(
                initiative=initiative, activity=project, session=None, person=person
            )
    for i in range(count):
        owner = (activities + projects)[i % 6]
        session = add_session(
            owner, days=i % 27, hour=10 + i % 10, status="cancelled" if i % 7 == 3 else "planned"
        )
        if owner.kind != Activity.Kind.PROJECT:
            for person in members[: i % 3]:
                Registration.objects.create(
                    initiative=initiative, activity=owner, session=session, person=person
                )
    # The rows above bypass the services; say what they would (the public page cache keys on it).
    bump_content_version(initiative)


def _queries(client, name="calendar") -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url(name))
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["calendar", "week"])
@pytest.mark.parametrize("logged_in", [False, True])
def test_the_calendar_uses_a_constant_number_of_queries(
    client, initiative, newcomer, name, logged_in, django_assert_max_num_queries
):
    members = [PersonFactory(initiative=initiative) for _ in range(3)]
    if logged_in:
        client.force_login(newcomer)
        members.append(person_of(newcomer, initiative))
    _fill(initiative, 6, members=members)
    few = _queries(client, name)
    _fill(initiative, 50, members=members)
    with django_assert_max_num_queries(few):
        many = _queries(client, name)
    assert many == few
    assert few <= 16


def test_the_feed_uses_a_constant_number_of_queries(client, initiative):
    members = [PersonFactory(initiative=initiative) for _ in range(3)]
    _fill(initiative, 6, members=members)
    few = _queries(client, "calendar-ics")
    _fill(initiative, 50, members=members)
    assert _queries(client, "calendar-ics") == few
