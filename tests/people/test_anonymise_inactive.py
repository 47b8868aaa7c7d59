"""Privacy rule 6: people inactive for VERBINDING_INACTIVE_MONTHS are anonymised by the
nightly `anonymise_inactive` command, through the same erase_person path as a self-erasure."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command

from tests.conftest import make_user, person_of
from tests.factories import ActivityFactory, SessionFactory
from verbinding.accounts.models import User
from verbinding.activities.models import Activity
from verbinding.attendance import services as attendance
from verbinding.attendance.models import CheckIn, Registration
from verbinding.core.models import AuditEntry
from verbinding.people import selectors
from verbinding.people.models import Person

JOINED = dt.datetime(2024, 1, 10, 10, 0, tzinfo=dt.UTC)
# 24 months after JOINED: a person who did nothing since JOINED is exactly on the boundary.
BOUNDARY = dt.datetime(2026, 1, 10, 10, 0, tzinfo=dt.UTC)
SECOND = dt.timedelta(seconds=1)
# Active again 100 days after joining; 24 months after that the period runs out again.
ACTIVE_AGAIN = dt.datetime(2024, 4, 19, 10, 0, tzinfo=dt.UTC)
ACTIVE_AGAIN_PLUS_PERIOD = dt.datetime(2026, 4, 19, 10, 0, tzinfo=dt.UTC)


def joined_at(moment, initiative, username, *roles, **kwargs):
    with time_machine.travel(moment, tick=False):
        return person_of(make_user(initiative, username, *roles, **kwargs), initiative)


def run(*args, at=BOUNDARY + SECOND):
    out = io.StringIO()
    with time_machine.travel(at, tick=False):
        call_command("anonymise_inactive", *args, stdout=out)
    return out.getvalue()


def erased(person) -> bool:
    return Person.objects.get(pk=person.pk).anonymised_at is not None


@pytest.fixture(autouse=True)
def _period(settings):
    settings.VERBINDING_INACTIVE_MONTHS = 24


@pytest.mark.django_db
def test_a_person_inactive_just_longer_than_the_period_is_anonymised_and_one_just_inside_is_kept(
    initiative,
):
    gone = joined_at(JOINED, initiative, "gone", "member", display_name="Gone Person")
    exactly = joined_at(JOINED + SECOND, initiative, "exactly", "member")
    inside = joined_at(JOINED + 2 * SECOND, initiative, "inside", "member")
    output = run()  # the period started at JOINED + 1 s
    assert erased(gone)
    assert not erased(exactly) and not erased(inside)
    assert "Anonymised 1 " in output and "skipped 0 " in output
    assert "Gone" not in output


@pytest.mark.django_db
def test_the_period_comes_from_the_setting(initiative, settings):
    person = joined_at(JOINED, initiative, "member1", "member")
    settings.VERBINDING_INACTIVE_MONTHS = 25
    run()
    assert not erased(person)
    settings.VERBINDING_INACTIVE_MONTHS = 23
    run()
    assert erased(person)


def _touch_last_active(person, moment):
    Person.objects.filter(pk=person.pk).update(last_active_at=moment)


def _touch_login(person, moment):
    User.objects.filter(pk=person.user_id).update(last_login=moment)


def _touch_sign_up(person, moment):
    with time_machine.travel(moment, tick=False):
        session = SessionFactory(activity__initiative=person.initiative,
                                 activity__first_start=moment + dt.timedelta(days=2))
        attendance.sign_up(session=session, person=person, by=None)


def _touch_check_in(person, moment):
    session = SessionFactory(activity__initiative=person.initiative,
                             activity__first_start=moment - dt.timedelta(hours=1))
    with time_machine.travel(moment, tick=False):
        CheckIn.objects.create(initiative=person.initiative, session=session, person=person)


SOURCES = {
    "last_active_at": _touch_last_active,
    "last_login": _touch_login,
    "sign-up": _touch_sign_up,
    "check-in": _touch_check_in,
}


@pytest.mark.django_db
@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize(("run_at", "kept"), [
    (ACTIVE_AGAIN_PLUS_PERIOD - SECOND, True),
    (ACTIVE_AGAIN_PLUS_PERIOD + SECOND, False),
])
def test_each_kind_of_activity_starts_the_period_again(initiative, source, run_at, kept):
    person = joined_at(JOINED, initiative, "member1", "member")
    SOURCES[source](person, ACTIVE_AGAIN)
    run(at=run_at)
    assert erased(person) is not kept


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coordinator", "organiser", "host"])
def test_staff_are_kept_and_counted_as_skipped(initiative, role):
    staff = joined_at(JOINED, initiative, "staff", role, "member")
    member = joined_at(JOINED, initiative, "member1", "member")
    output = run()
    assert not erased(staff)
    assert erased(member)
    assert "Anonymised 1 " in output and "skipped 1 " in output


@pytest.mark.django_db
def test_a_staff_role_in_another_initiative_does_not_keep_a_person_here(initiative,
                                                                        other_initiative):
    person = joined_at(JOINED, initiative, "both", "member")
    with time_machine.travel(JOINED, tick=False):
        from verbinding.accounts.models import Role
        Role.objects.create(initiative=other_initiative, user_id=person.user_id,
                            name=Role.Name.COORDINATOR)
    run()
    assert erased(person)
    assert User.objects.filter(pk=person.user_id).exists()  # still a coordinator there


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "days", "kept"), [
    (Activity.Status.PUBLISHED, 10, True),
    (Activity.Status.PUBLISHED, -10, False),
    (Activity.Status.DRAFT, 10, False),
])
def test_organisers_of_a_coming_published_activity_are_kept(initiative, status, days, kept):
    person = joined_at(JOINED, initiative, "member1", "member")
    start = BOUNDARY + dt.timedelta(days=days)
    activity = ActivityFactory(initiative=initiative, status=status, first_start=start)
    SessionFactory(activity=activity, start=start)
    activity.organisers.add(person)
    output = run()
    assert erased(person) is not kept
    assert ("skipped 1 " in output) is kept


@pytest.mark.django_db
def test_a_dry_run_prints_counts_only_and_writes_nothing(initiative):
    old = joined_at(JOINED, initiative, "old", "member", display_name="Oldname")
    joined_at(JOINED, initiative, "boss", "coordinator", "member", display_name="Bossname")
    output = run("--dry-run")
    assert "would anonymise 1 " in output and "would skip 1 " in output
    assert "Oldname" not in output and "Bossname" not in output and "old" not in output
    assert not erased(old)
    assert User.objects.filter(pk=old.user_id).exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_anonymising_erases_like_a_self_erasure_and_audits_without_an_actor(initiative):
    person = joined_at(JOINED, initiative, "old", "member", display_name="Oldname")
    Person.objects.filter(pk=person.pk).update(email="old@example.org", talents=["cooking"])
    run()
    shell = Person.objects.get(pk=person.pk)
    assert shell.display_name == "—" and shell.email == "" and shell.talents == []
    assert shell.user is None
    assert not User.objects.filter(username="old").exists()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ERASE)
    assert entry.actor is None
    assert entry.view == "anonymise_inactive"
    assert entry.subject_person_id == person.pk


@pytest.mark.django_db
def test_a_second_run_changes_nothing(initiative):
    joined_at(JOINED, initiative, "old", "member")
    joined_at(JOINED, initiative, "older", "member")
    assert "Anonymised 2 " in run()
    later = BOUNDARY + dt.timedelta(days=1)
    assert "Anonymised 0 " in run(at=later)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ERASE).count() == 2


@pytest.mark.django_db
def test_an_inactive_persons_future_sign_up_is_cancelled_and_past_ones_stay(initiative):
    person = joined_at(JOINED, initiative, "old", "member")
    past = SessionFactory(activity__initiative=initiative,
                          activity__first_start=JOINED + dt.timedelta(days=5))
    with time_machine.travel(JOINED + SECOND, tick=False):
        attendance.sign_up(session=past, person=person, by=None)
    # A session far ahead that the person signed up for long ago (e.g. a yearly event).
    ahead = SessionFactory(activity__initiative=initiative,
                           activity__first_start=BOUNDARY + dt.timedelta(days=5))
    with time_machine.travel(JOINED + 2 * SECOND, tick=False):
        attendance.sign_up(session=ahead, person=person, by=None)
    run(at=BOUNDARY + 3 * SECOND)
    assert erased(person)
    assert Registration.objects.get(session=past).status == Registration.Status.CONFIRMED
    assert Registration.objects.get(session=ahead).status == Registration.Status.CANCELLED


@pytest.mark.django_db
def test_finding_the_inactive_people_is_one_query(initiative, django_assert_num_queries):
    for i in range(5):
        person = joined_at(JOINED, initiative, f"member{i}", "member")
        _touch_sign_up(person, JOINED + dt.timedelta(days=i))
        _touch_check_in(person, JOINED + dt.timedelta(days=i))
    now = BOUNDARY + dt.timedelta(days=30)
    with django_assert_num_queries(1):
        found = list(selectors.list_inactive_people(
            cutoff=selectors.inactive_cutoff(now=now), now=now))
    assert len(found) == 5
    assert all(not person.kept for person in found)
    assert max(p.last_activity for p in found) == JOINED + dt.timedelta(days=4)


def test_months_before_keeps_the_day_or_takes_the_last_day_of_a_shorter_month():
    moment = dt.datetime(2026, 3, 31, 12, 0, tzinfo=dt.UTC)
    assert selectors.months_before(moment, 1) == dt.datetime(2026, 2, 28, 12, 0, tzinfo=dt.UTC)
    assert selectors.months_before(moment, 24) == dt.datetime(2024, 3, 31, 12, 0, tzinfo=dt.UTC)
    assert selectors.months_before(moment, 25) == dt.datetime(2024, 2, 29, 12, 0, tzinfo=dt.UTC)
    assert selectors.months_before(moment, 3) == dt.datetime(2025, 12, 31, 12, 0, tzinfo=dt.UTC)
