"""Two kiosks, the same person, the same instant: one check-in (real threads, real
transactions). PostgreSQL only, as tests/attendance/test_concurrency.py explains."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from tests.attendance.test_concurrency import run_together
from tests.conftest import make_user
from tests.door.conftest import session_at
from verbinding.attendance.models import CheckIn
from verbinding.door import services
from verbinding.people.models import MemberCard, Person

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="SQLite test databases are in-memory and shared-cache: concurrent threads get "
        "'table is locked' instead of waiting; this needs a server database.",
    ),
]


@pytest.fixture
def door(initiative):
    session = session_at(initiative, (timezone.now() - dt.timedelta(minutes=30)).replace(microsecond=0))
    person = Person.objects.create(initiative=initiative, display_name="Amal")
    kiosks = [make_user(initiative, f"kiosk-{n}", "kiosk") for n in range(4)]
    return session, person, kiosks


def test_two_kiosks_checking_in_the_same_person_at_once_make_one_check_in(initiative, door):
    session, person, kiosks = door
    results = run_together([
        (lambda k=k: services.check_in_by_name(initiative=initiative, session=session,
                                               person_id=person.pk, by=k))
        for k in kiosks[:2]
    ])
    assert CheckIn.objects.filter(session=session, person=person).count() == 1
    assert sorted(r.created for r in results) == [False, True]
    assert len({r.checkin.pk for r in results}) == 1


def test_name_and_card_at_four_kiosks_at_once_make_one_check_in(initiative, door):
    session, person, kiosks = door
    card = MemberCard.objects.create(initiative=initiative, person=person)
    jobs = [
        (lambda k=k: services.check_in_by_name(initiative=initiative, session=session,
                                               person_id=person.pk, by=k))
        for k in kiosks[:2]
    ] + [
        (lambda k=k: services.check_in_by_card(initiative=initiative, session=session,
                                               token=card.token, by=k, ip="127.0.0.1"))
        for k in kiosks[2:]
    ]
    results = run_together(jobs)
    assert CheckIn.objects.filter(session=session).count() == 1
    assert [r.created for r in results].count(True) == 1
