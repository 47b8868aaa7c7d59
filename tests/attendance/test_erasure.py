"""Erasing a person (people.erase_person) cancels their coming sign-ups through the
attendance services, so the waiting list moves up; past sign-ups stay as anonymous counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.attendance.conftest import NOW, make_people, make_project, make_session
from tests.conftest import person_of
from tests.factories import SessionFactory
from verbinding.attendance import services
from verbinding.attendance.models import Registration
from verbinding.people import hooks
from verbinding.people import services as people_services
from verbinding.people.models import Person

S = Registration.Status


def status_of(person, **where):
    return Registration.objects.get(person=person, **where).status


def test_attendance_registers_its_erase_hook_once():
    assert hooks.before_erase.count(services.cancel_future_sign_ups_before_erase) == 1


def test_erasing_a_confirmed_person_on_a_full_session_promotes_the_first_waiting(
    initiative, small_session, mailoutbox, django_capture_on_commit_callbacks
):
    gone, stays, first_waiting, second_waiting = make_people(initiative, 4)
    Person.objects.filter(pk=first_waiting.pk).update(email="first@example.org")
    for person in (gone, stays, first_waiting, second_waiting):
        services.sign_up(session=small_session, person=person, by=None)
    with django_capture_on_commit_callbacks(execute=True):
        people_services.erase_person(person=gone, by=None)
    assert status_of(gone) == S.CANCELLED
    assert status_of(first_waiting) == S.CONFIRMED
    assert Registration.objects.get(person=first_waiting).promoted_at is not None
    assert status_of(second_waiting) == S.WAITLISTED
    assert [m.to for m in mailoutbox] == [["first@example.org"]]


def test_erasing_a_waiting_person_just_takes_them_off_the_list(initiative, small_session):
    first, second, waiting, next_waiting = make_people(initiative, 4)
    for person in (first, second, waiting, next_waiting):
        services.sign_up(session=small_session, person=person, by=None)
    people_services.erase_person(person=waiting, by=None)
    assert status_of(waiting) == S.CANCELLED
    assert status_of(next_waiting) == S.WAITLISTED
    assert services.waitlist_position(Registration.objects.get(person=next_waiting)) == 1


def test_erasing_a_person_leaves_a_running_project_and_promotes_the_next(initiative):
    project = make_project(initiative, capacity=1)
    # The project started a week ago and goes on.
    SessionFactory(activity=project, start=NOW - dt.timedelta(days=7))
    gone, waiting = make_people(initiative, 2)
    services.enrol(activity=project, person=gone, by=None)
    services.enrol(activity=project, person=waiting, by=None)
    people_services.erase_person(person=gone, by=None)
    assert status_of(gone, activity=project) == S.CANCELLED
    assert status_of(waiting, activity=project) == S.CONFIRMED


def test_past_sign_ups_and_ended_projects_stay_as_they_were(initiative):
    person, = make_people(initiative, 1)
    past = make_session(initiative, days=-7)
    ended = make_project(initiative, days=-30, sessions=2)
    coming = make_session(initiative, days=5)
    # Sign-ups made while these were still ahead.
    Registration.objects.create(initiative=initiative, activity=past.activity, session=past,
                                person=person)
    Registration.objects.create(initiative=initiative, activity=ended, session=None,
                                person=person)
    services.sign_up(session=coming, person=person, by=None)
    people_services.erase_person(person=person, by=None)
    assert status_of(person, session=past) == S.CONFIRMED
    assert status_of(person, activity=ended) == S.CONFIRMED
    assert status_of(person, session=coming) == S.CANCELLED
    assert Registration.objects.filter(person=person).count() == 3


def test_a_session_that_already_started_is_not_touched(initiative):
    person, = make_people(initiative, 1)
    session = make_session(initiative, days=1)
    services.sign_up(session=session, person=person, by=None)
    type(session).objects.filter(pk=session.pk).update(start=NOW - dt.timedelta(minutes=30))
    people_services.erase_person(person=person, by=None)
    assert status_of(person, session=session) == S.CONFIRMED


def test_a_failing_hook_rolls_the_whole_erasure_back(initiative, small_session, monkeypatch):
    person, = make_people(initiative, 1)
    services.sign_up(session=small_session, person=person, by=None)

    def broken(_person):
        raise RuntimeError("boom")

    monkeypatch.setattr(hooks, "before_erase", [*hooks.before_erase, broken])
    with pytest.raises(RuntimeError):
        people_services.erase_person(person=person, by=None)
    assert Person.objects.get(pk=person.pk).anonymised_at is None
    assert status_of(person) == S.CONFIRMED


def test_the_erased_person_appears_in_no_organisers_list(client, initiative, organiser, newcomer):
    session = make_session(initiative, capacity=1)
    session.activity.organisers.add(person_of(organiser, initiative))
    gone = person_of(newcomer, initiative)
    waiting, = make_people(initiative, 1, prefix="Wachtend")
    services.sign_up(session=session, person=gone, by=None)
    services.sign_up(session=session, person=waiting, by=None)
    client.force_login(newcomer)
    response = client.post(reverse("people:erase", kwargs={"initiative_slug": "voorkamer"}),
                           {"confirm": "on"})
    assert response.status_code == 302
    client.force_login(organiser)
    response = client.get(reverse("attendance:session-registrations",
                                  kwargs={"initiative_slug": "voorkamer", "pk": session.pk}))
    assert response.status_code == 200
    assert [r.person_id for r in response.context["confirmed"]] == [waiting.pk]
    assert list(response.context["waitlisted"]) == []
    html = response.content.decode()
    assert "Wachtend 0" in html
    assert "أمل" not in html and "—" not in html
