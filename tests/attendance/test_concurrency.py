"""Capacity holds when people sign up and cancel at the same moment (real threads, real
transactions). PostgreSQL only: see the skip reason."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from tests.attendance.conftest import make_people, make_session
from verbinding.attendance import services
from verbinding.attendance.models import Registration
from verbinding.core.errors import DomainError

S = Registration.Status

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="SQLite test databases are in-memory and shared-cache: concurrent threads get "
        "'table is locked' instead of waiting, so this needs a server database. On SQLite "
        "files the whole database is the lock (IMMEDIATE transactions), which serialises "
        "sign-ups anyway.",
    ),
]


def run_together(jobs):
    """Start all jobs at once, each in its own thread and database connection."""
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []
    results: list[object] = []

    def run(job):
        try:
            barrier.wait()
            results.append(job())
        except DomainError as error:
            results.append(error.code)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    return results


def test_many_people_signing_up_at_once_never_oversubscribe_a_session(initiative):
    session = make_session(initiative, capacity=3)
    people = make_people(initiative, 16)
    regs = run_together([
        (lambda p=p: services.sign_up(session=session, person=p, by=None)) for p in people
    ])
    assert len(regs) == 16
    assert Registration.objects.filter(session=session, status=S.CONFIRMED).count() == 3
    assert Registration.objects.filter(session=session, status=S.WAITLISTED).count() == 13
    positions = sorted(r.waitlist_position for r in regs if r.status == S.WAITLISTED)
    assert positions == list(range(1, 14))


def test_the_same_person_clicking_twice_at_once_gets_one_sign_up(initiative):
    session = make_session(initiative, capacity=3)
    person = make_people(initiative, 1)[0]
    results = run_together([
        (lambda: services.sign_up(session=session, person=person, by=None)) for _ in range(4)
    ])
    assert sorted(map(str, results)).count("already_registered") == 3
    assert Registration.objects.filter(session=session).count() == 1


def test_two_cancellations_at_once_promote_exactly_two_people_in_order(initiative):
    session = make_session(initiative, capacity=2)
    people = make_people(initiative, 6)
    for p in people:
        services.sign_up(session=session, person=p, by=None)
    run_together([
        (lambda p=p: services.cancel_sign_up(session=session, person=p, by=None))
        for p in people[:2]
    ])
    confirmed = list(Registration.objects.filter(session=session, status=S.CONFIRMED)
                     .order_by("created_at").values_list("person__display_name", flat=True))
    assert confirmed == ["Lid 2", "Lid 3"]
    assert Registration.objects.filter(session=session, status=S.WAITLISTED).count() == 2


def test_sign_ups_and_cancellations_mixed_at_once_keep_the_capacity(initiative):
    session = make_session(initiative, capacity=4)
    people = make_people(initiative, 20)
    for p in people[:8]:
        services.sign_up(session=session, person=p, by=None)
    jobs = [(lambda p=p: services.cancel_sign_up(session=session, person=p, by=None))
            for p in people[:6]]
    jobs += [(lambda p=p: services.sign_up(session=session, person=p, by=None))
             for p in people[8:]]
    run_together(jobs)
    live = Registration.objects.filter(session=session)
    assert live.filter(status=S.CONFIRMED).count() == 4
    assert live.filter(status=S.WAITLISTED).count() == 8 - 6 + 12 - 4
