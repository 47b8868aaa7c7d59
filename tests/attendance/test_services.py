"""Sign-up, cancellation, waiting list and project enrolment (attendance.services)."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from tests.attendance.conftest import NOW, make_people, make_project, make_session
from tests.conftest import make_user, person_of
from tests.factories import SessionFactory
from verbinding.activities.models import Activity, Session
from verbinding.attendance import services
from verbinding.attendance.models import Registration
from verbinding.core.errors import DomainError
from verbinding.people.models import Person

S = Registration.Status


def statuses(session_or_activity, *, project=False):
    if project:
        regs = Registration.objects.filter(activity=session_or_activity, session__isnull=True)
    else:
        regs = Registration.objects.filter(session=session_or_activity)
    return list(regs.exclude(status=S.CANCELLED).order_by("created_at", "id")
                .values_list("person__display_name", "status"))


def codes(excinfo):
    return excinfo.value.code


# --- signing up --------------------------------------------------------------------------


def test_a_member_signs_up_for_a_future_session_and_is_confirmed(initiative, session):
    person = make_people(initiative, 1)[0]
    reg = services.sign_up(session=session, person=person, by=None)
    assert reg.status == S.CONFIRMED
    assert reg.waitlist_position is None
    assert reg.session == session and reg.activity_id == session.activity_id
    assert reg.initiative_id == initiative.pk


def test_signing_up_twice_is_refused_as_already_registered(initiative, session):
    person = make_people(initiative, 1)[0]
    services.sign_up(session=session, person=person, by=None)
    with pytest.raises(DomainError) as excinfo:
        services.sign_up(session=session, person=person, by=None)
    assert codes(excinfo) == "already_registered"
    assert Registration.objects.filter(session=session).count() == 1


def test_a_full_session_puts_people_on_the_waiting_list_with_their_position(
    initiative, small_session
):
    people = make_people(initiative, 5)
    regs = [services.sign_up(session=small_session, person=p, by=None) for p in people]
    assert [r.status for r in regs] == [S.CONFIRMED, S.CONFIRMED, S.WAITLISTED, S.WAITLISTED,
                                        S.WAITLISTED]
    assert [r.waitlist_position for r in regs] == [None, None, 1, 2, 3]


def test_a_session_capacity_overrides_the_activity_capacity(initiative):
    session = make_session(initiative, capacity=10, session_capacity=1)
    first, second = make_people(initiative, 2)
    assert services.sign_up(session=session, person=first, by=None).status == S.CONFIRMED
    assert services.sign_up(session=session, person=second, by=None).status == S.WAITLISTED


def test_signing_up_for_a_cancelled_session_is_refused(initiative, session):
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED)
    with pytest.raises(DomainError) as excinfo:
        services.sign_up(session=session, person=make_people(initiative, 1)[0], by=None)
    assert codes(excinfo) == "session_cancelled"
    assert not Registration.objects.exists()


def test_signing_up_for_a_past_session_is_refused(initiative):
    session = make_session(initiative, days=-2)
    with pytest.raises(DomainError) as excinfo:
        services.sign_up(session=session, person=make_people(initiative, 1)[0], by=None)
    assert codes(excinfo) == "session_past"


def test_signing_up_for_a_session_that_started_a_minute_ago_is_refused(initiative):
    session = make_session(initiative)
    Session.objects.filter(pk=session.pk).update(
        start=timezone.now() - dt.timedelta(minutes=1), end=timezone.now() + dt.timedelta(hours=1)
    )
    with pytest.raises(DomainError) as excinfo:
        services.sign_up(session=session, person=make_people(initiative, 1)[0], by=None)
    assert codes(excinfo) == "session_past"


def test_signing_up_for_a_session_of_a_project_is_refused_because_you_enrol_once(
    initiative, project
):
    session = project.sessions.first()
    with pytest.raises(DomainError) as excinfo:
        services.sign_up(session=session, person=make_people(initiative, 1)[0], by=None)
    assert codes(excinfo) == "project_enrol_whole"
    assert not Registration.objects.exists()


@pytest.mark.parametrize("status", [Activity.Status.DRAFT, Activity.Status.ARCHIVED])
def test_signing_up_for_an_unpublished_activity_is_refused(initiative, status):
    session = make_session(initiative, status=status)
    with pytest.raises(DomainError) as excinfo:
        services.sign_up(session=session, person=make_people(initiative, 1)[0], by=None)
    assert codes(excinfo) == "activity_not_open"


def test_a_person_of_another_initiative_cannot_sign_up(initiative, other_initiative, session):
    stranger = Person.objects.create(initiative=other_initiative, display_name="Bea")
    with pytest.raises(DomainError) as excinfo:
        services.sign_up(session=session, person=stranger, by=None)
    assert codes(excinfo) == "activity_not_open"
    assert not Registration.objects.exists()


# --- who may come --------------------------------------------------------------------------


@pytest.fixture
def women_session(initiative):
    return make_session(initiative, audience=Activity.Audience.WOMEN)


def test_a_woman_who_said_so_in_her_profile_may_sign_up_for_a_women_only_session(
    initiative, women_session, newcomer
):
    reg = services.sign_up(session=women_session, person=person_of(newcomer, initiative), by=None)
    assert reg.status == S.CONFIRMED


def test_a_man_is_refused_for_a_women_only_session(initiative, women_session, local):
    with pytest.raises(DomainError) as excinfo:
        services.sign_up(session=women_session, person=person_of(local, initiative), by=None)
    assert codes(excinfo) == "not_eligible_women_only"
    assert not Registration.objects.exists()


def test_a_person_without_self_description_is_refused_with_a_message_that_says_how_to_join(
    initiative, women_session
):
    person = make_people(initiative, 1)[0]
    with pytest.raises(DomainError) as excinfo:
        services.sign_up(session=women_session, person=person, by=None)
    assert codes(excinfo) == "not_eligible_women_only"
    message = excinfo.value.message
    assert "profile" in message  # tells where to say so
    assert "coordinators" in message  # and who can see it


def test_a_project_for_women_is_closed_to_men_too(initiative, local, newcomer):
    project = make_project(initiative, audience=Activity.Audience.WOMEN)
    with pytest.raises(DomainError) as excinfo:
        services.enrol(activity=project, person=person_of(local, initiative), by=None)
    assert codes(excinfo) == "not_eligible_women_only"
    reg = services.enrol(activity=project, person=person_of(newcomer, initiative), by=None)
    assert reg.status == S.CONFIRMED


def test_members_only_sessions_take_members(initiative, local):
    session = make_session(initiative, audience=Activity.Audience.MEMBERS)
    reg = services.sign_up(session=session, person=person_of(local, initiative), by=None)
    assert reg.status == S.CONFIRMED


def test_members_only_sessions_refuse_a_login_without_a_member_role(initiative):
    session = make_session(initiative, audience=Activity.Audience.MEMBERS)
    user = make_user(initiative, "lapsed")  # a person, but no role here (e.g. role withdrawn)
    with pytest.raises(DomainError) as excinfo:
        services.sign_up(session=session, person=person_of(user, initiative), by=None)
    assert codes(excinfo) == "members_only"


def test_members_only_sessions_take_a_member_without_a_login(initiative):
    # People without email or phone take part with an alias; staff act on their behalf.
    session = make_session(initiative, audience=Activity.Audience.MEMBERS)
    alias = make_people(initiative, 1)[0]
    assert services.sign_up(session=session, person=alias, by=None).status == S.CONFIRMED


# --- cancelling and the waiting list -----------------------------------------------------


def test_cancelling_a_confirmed_place_promotes_the_earliest_on_the_waiting_list(
    initiative, small_session
):
    people = make_people(initiative, 4)
    for p in people:
        services.sign_up(session=small_session, person=p, by=None)
    services.cancel_sign_up(session=small_session, person=people[0], by=None)
    assert statuses(small_session) == [
        ("Lid 1", S.CONFIRMED), ("Lid 2", S.CONFIRMED), ("Lid 3", S.WAITLISTED),
    ]
    promoted = Registration.objects.get(session=small_session, person=people[2])
    assert promoted.promoted_at is not None


def test_promotions_follow_the_order_of_signing_up(initiative, small_session):
    people = make_people(initiative, 6)
    for p in people:
        services.sign_up(session=small_session, person=p, by=None)
    # Lid 3 leaves the queue; then both confirmed people cancel.
    services.cancel_sign_up(session=small_session, person=people[3], by=None)
    services.cancel_sign_up(session=small_session, person=people[1], by=None)
    services.cancel_sign_up(session=small_session, person=people[0], by=None)
    assert statuses(small_session) == [
        ("Lid 2", S.CONFIRMED), ("Lid 4", S.CONFIRMED), ("Lid 5", S.WAITLISTED),
    ]


def test_leaving_the_waiting_list_promotes_nobody(initiative, small_session):
    people = make_people(initiative, 4)
    for p in people:
        services.sign_up(session=small_session, person=p, by=None)
    reg = services.cancel_sign_up(session=small_session, person=people[2], by=None)
    assert reg.status == S.CANCELLED and reg.was_waitlisted
    assert statuses(small_session) == [
        ("Lid 0", S.CONFIRMED), ("Lid 1", S.CONFIRMED), ("Lid 3", S.WAITLISTED),
    ]


def test_cancelling_by_registration_works_like_by_session_and_person(initiative, small_session):
    first, second, third = make_people(initiative, 3)
    reg = services.sign_up(session=small_session, person=first, by=None)
    services.sign_up(session=small_session, person=second, by=None)
    services.sign_up(session=small_session, person=third, by=None)
    services.cancel_sign_up(registration=reg, by=None)
    assert statuses(small_session) == [("Lid 1", S.CONFIRMED), ("Lid 2", S.CONFIRMED)]


def test_cancelling_without_a_sign_up_is_refused(initiative, session):
    with pytest.raises(DomainError) as excinfo:
        services.cancel_sign_up(session=session, person=make_people(initiative, 1)[0], by=None)
    assert codes(excinfo) == "not_registered"


def test_cancelling_twice_is_refused_the_second_time(initiative, session):
    person = make_people(initiative, 1)[0]
    services.sign_up(session=session, person=person, by=None)
    services.cancel_sign_up(session=session, person=person, by=None)
    with pytest.raises(DomainError) as excinfo:
        services.cancel_sign_up(session=session, person=person, by=None)
    assert codes(excinfo) == "not_registered"


def test_a_cancelled_sign_up_can_be_made_again(initiative, small_session):
    first, second, third = make_people(initiative, 3)
    services.sign_up(session=small_session, person=first, by=None)
    services.sign_up(session=small_session, person=second, by=None)
    services.cancel_sign_up(session=small_session, person=first, by=None)
    services.sign_up(session=small_session, person=third, by=None)
    again = services.sign_up(session=small_session, person=first, by=None)
    # The place went to someone else in the meantime: back of the queue.
    assert again.status == S.WAITLISTED and again.waitlist_position == 1


def test_cancelling_after_the_session_started_is_refused(initiative, session):
    person = make_people(initiative, 1)[0]
    services.sign_up(session=session, person=person, by=None)
    Session.objects.filter(pk=session.pk).update(
        start=timezone.now() - dt.timedelta(minutes=5), end=timezone.now() + dt.timedelta(hours=1)
    )
    with pytest.raises(DomainError) as excinfo:
        services.cancel_sign_up(session=session, person=person, by=None)
    assert codes(excinfo) == "session_past"
    assert Registration.objects.get(person=person).status == S.CONFIRMED


def test_capacity_is_never_exceeded_under_many_sign_ups_and_cancellations(initiative):
    session = make_session(initiative, capacity=5)
    people = make_people(initiative, 30)
    rng = random.Random(7)
    signed = set()
    for _ in range(300):
        person = rng.choice(people)
        if person.pk in signed:
            services.cancel_sign_up(session=session, person=person, by=None)
            signed.discard(person.pk)
        else:
            services.sign_up(session=session, person=person, by=None)
            signed.add(person.pk)
        live = Registration.objects.filter(session=session)
        confirmed = live.filter(status=S.CONFIRMED).count()
        waiting = live.filter(status=S.WAITLISTED).count()
        assert confirmed <= 5
        # Nobody waits while there is a free place.
        assert waiting == 0 or confirmed == 5
        assert confirmed + waiting == len(signed)


# --- projects --------------------------------------------------------------------------------


def test_a_member_enrols_once_for_the_whole_project(initiative, project):
    person = make_people(initiative, 1)[0]
    reg = services.enrol(activity=project, person=person, by=None)
    assert reg.status == S.CONFIRMED and reg.session is None
    with pytest.raises(DomainError) as excinfo:
        services.enrol(activity=project, person=person, by=None)
    assert codes(excinfo) == "already_registered"


def test_a_full_project_has_a_waiting_list_and_leaving_promotes_the_next(initiative, project):
    people = make_people(initiative, 4)
    regs = [services.enrol(activity=project, person=p, by=None) for p in people]
    assert [r.waitlist_position for r in regs] == [None, None, 1, 2]
    services.leave(activity=project, person=people[1], by=None)
    assert statuses(project, project=True) == [
        ("Lid 0", S.CONFIRMED), ("Lid 2", S.CONFIRMED), ("Lid 3", S.WAITLISTED),
    ]


def test_enrolling_in_an_activity_that_is_not_a_project_is_refused(initiative, session):
    with pytest.raises(DomainError) as excinfo:
        services.enrol(activity=session.activity, person=make_people(initiative, 1)[0], by=None)
    assert codes(excinfo) == "not_a_project"


def test_enrolling_in_a_project_that_has_ended_is_refused(initiative):
    project = make_project(initiative, days=-30, sessions=2)
    with pytest.raises(DomainError) as excinfo:
        services.enrol(activity=project, person=make_people(initiative, 1)[0], by=None)
    assert codes(excinfo) == "project_ended"


def test_enrolling_in_a_running_project_is_still_possible(initiative):
    project = make_project(initiative, days=-8, sessions=4)  # two sessions behind, two to go
    reg = services.enrol(activity=project, person=make_people(initiative, 1)[0], by=None)
    assert reg.status == S.CONFIRMED


def test_leaving_a_project_you_are_not_in_is_refused(initiative, project):
    with pytest.raises(DomainError) as excinfo:
        services.leave(activity=project, person=make_people(initiative, 1)[0], by=None)
    assert codes(excinfo) == "not_registered"


def test_a_project_without_capacity_takes_everyone(initiative):
    project = make_project(initiative, capacity=None)
    regs = [services.enrol(activity=project, person=p, by=None)
            for p in make_people(initiative, 12)]
    assert {r.status for r in regs} == {S.CONFIRMED}


# --- telling the person they moved up ------------------------------------------------------


def test_moving_up_sends_an_email_after_commit_to_a_person_with_an_address(
    initiative, small_session, mailoutbox, django_capture_on_commit_callbacks
):
    first, second, waiting = make_people(initiative, 3)
    Person.objects.filter(pk=waiting.pk).update(email="waiting@example.org")
    for p in (first, second, waiting):
        services.sign_up(session=small_session, person=p, by=None)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.cancel_sign_up(session=small_session, person=first, by=None)
    assert len(callbacks) == 1
    assert [m.to for m in mailoutbox] == [["waiting@example.org"]]
    assert "Taalcafé" in mailoutbox[0].subject or "Language café" in mailoutbox[0].subject


def test_moving_up_sends_no_email_to_a_person_without_an_address(
    initiative, small_session, mailoutbox, django_capture_on_commit_callbacks
):
    people = make_people(initiative, 3)
    for p in people:
        services.sign_up(session=small_session, person=p, by=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_sign_up(session=small_session, person=people[0], by=None)
    assert mailoutbox == []
    assert Registration.objects.get(person=people[2]).promoted_at is not None


def test_a_refused_cancellation_changes_nothing_and_sends_nothing(
    initiative, small_session, mailoutbox, django_capture_on_commit_callbacks
):
    people = make_people(initiative, 3)
    for p in people:
        services.sign_up(session=small_session, person=p, by=None)
    Session.objects.filter(pk=small_session.pk).update(start=NOW - dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        services.cancel_sign_up(session=small_session, person=people[0], by=None)
    assert mailoutbox == []
    assert statuses(small_session)[0] == ("Lid 0", S.CONFIRMED)


def test_a_new_session_added_later_is_separate_from_the_first(initiative, session):
    person = make_people(initiative, 1)[0]
    later = SessionFactory(activity=session.activity,
                           start=session.start + dt.timedelta(weeks=1))
    services.sign_up(session=session, person=person, by=None)
    reg = services.sign_up(session=later, person=person, by=None)
    assert reg.status == S.CONFIRMED
    assert Registration.objects.filter(person=person).count() == 2
