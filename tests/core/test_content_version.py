"""Every write that changes what the public pages show raises the initiative's content_version
(the public page cache keys on it), in the same transaction; a refused write raises nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.factories import ActivityFactory, InitiativeFactory, SessionFactory
from verbinding.accounts import services as account_services
from verbinding.activities import services as activity_services
from verbinding.activities.models import Activity, Session
from verbinding.attendance import services as attendance_services
from verbinding.core.errors import DomainError
from verbinding.core.models import Initiative
from verbinding.core.services import bump_content_version
from verbinding.people.models import Person

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
START = NOW + dt.timedelta(days=3)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=True):
        yield


def version(initiative) -> int:
    return Initiative.objects.values_list("content_version", flat=True).get(pk=initiative.pk)


def _person(initiative, name="Lid"):
    return Person.objects.create(initiative=initiative, display_name=name)


def _session(initiative, *, capacity=None):
    activity = ActivityFactory(initiative=initiative, first_start=START, capacity=capacity)
    return SessionFactory(activity=activity, start=START)


def _project(initiative, *, capacity=None):
    project = ActivityFactory(initiative=initiative, first_start=START, capacity=capacity,
                              kind=Activity.Kind.PROJECT)
    SessionFactory(activity=project, start=START)
    return project


def _weekly(initiative, by):
    return activity_services.create_activity(
        initiative=initiative, by=by, title={"nl": "Koffie"}, first_start=START,
        kind=Activity.Kind.REGULAR, rrule="FREQ=WEEKLY;COUNT=3",
    )


# Each case: (prepare(initiative, coordinator) -> state, write(state, initiative, coordinator)).
# prepare runs before the version is read, so only the write under test is counted.
CASES = {
    "create_activity": (
        lambda i, c: None,
        lambda state, i, c: _weekly(i, c),
    ),
    "update_activity": (
        _weekly,
        lambda a, i, c: activity_services.update_activity(activity=a, by=c, room="Keuken"),
    ),
    "publish_activity": (
        lambda i, c: ActivityFactory(initiative=i, first_start=START, status="draft"),
        lambda a, i, c: activity_services.publish_activity(activity=a, by=c),
    ),
    "archive_activity": (
        _weekly,
        lambda a, i, c: activity_services.archive_activity(activity=a, by=c),
    ),
    "materialise_sessions": (
        lambda i, c: ActivityFactory(initiative=i, first_start=START, kind="regular",
                                     rrule="FREQ=WEEKLY;COUNT=2"),
        lambda a, i, c: activity_services.materialise_sessions(activity=a),
    ),
    "cancel_session": (
        lambda i, c: _session(i),
        lambda s, i, c: activity_services.cancel_session(session=s, by=c),
    ),
    "move_session": (
        lambda i, c: _session(i),
        lambda s, i, c: activity_services.move_session(
            session=s, start=s.start + dt.timedelta(hours=1), end=s.end + dt.timedelta(hours=1),
            by=c),
    ),
    "sign_up": (
        lambda i, c: (_session(i), _person(i)),
        lambda st, i, c: attendance_services.sign_up(session=st[0], person=st[1]),
    ),
    "cancel_sign_up": (
        lambda i, c: attendance_services.sign_up(session=_session(i), person=_person(i)),
        lambda reg, i, c: attendance_services.cancel_sign_up(registration=reg),
    ),
    "cancel_sign_up_with_promotion": (
        lambda i, c: [attendance_services.sign_up(session=s, person=_person(i, n))
                      for s in [_session(i, capacity=1)] for n in ("A", "B")],
        lambda regs, i, c: attendance_services.cancel_sign_up(registration=regs[0]),
    ),
    "enrol": (
        lambda i, c: (_project(i), _person(i)),
        lambda st, i, c: attendance_services.enrol(activity=st[0], person=st[1]),
    ),
    "leave": (
        lambda i, c: attendance_services.enrol(activity=_project(i), person=_person(i)),
        lambda reg, i, c: attendance_services.leave(activity=reg.activity, person=reg.person),
    ),
    "update_initiative": (
        lambda i, c: None,
        lambda state, i, c: account_services.update_initiative(
            initiative=i, by=c, name="Nieuwe naam", address="", district="",
            time_zone="Europe/Amsterdam", languages=["nl", "ar"], tagline={},
            opening_hours={}),
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_each_service_that_changes_the_public_pages_raises_the_content_version(
    name, initiative, coordinator
):
    prepare, write = CASES[name]
    state = prepare(initiative, coordinator)
    before = version(initiative)
    write(state, initiative, coordinator)
    assert version(initiative) > before


def test_a_refused_write_leaves_the_content_version_as_it_was(initiative):
    session = _session(initiative)
    session.status = Session.Status.CANCELLED
    session.save(update_fields=["status"])
    before = version(initiative)
    with pytest.raises(DomainError):
        attendance_services.sign_up(session=session, person=_person(initiative))
    assert version(initiative) == before


def test_a_write_raises_only_its_own_initiatives_version(initiative, other_initiative):
    before = version(other_initiative)
    attendance_services.sign_up(session=_session(initiative), person=_person(initiative))
    assert version(other_initiative) == before


def test_a_nightly_run_that_changes_nothing_leaves_the_version_alone(initiative, coordinator):
    activity = _weekly(initiative, coordinator)
    before = version(initiative)
    result = activity_services.materialise_sessions(activity=activity)
    assert result.created == result.deleted == result.cancelled == 0
    assert version(initiative) == before


def test_a_stale_copy_saved_after_a_bump_does_not_put_the_old_number_back(db):
    initiative = InitiativeFactory()
    bump_content_version(initiative)
    initiative.name = "Renamed"
    initiative.save()  # the caller's copy no longer holds the old number, so it is not written
    assert version(initiative) == 1
    assert initiative.content_version == 1


def test_the_version_can_be_bumped_by_id(initiative):
    bump_content_version(initiative.pk)
    bump_content_version(initiative.pk)
    assert version(initiative) == 2

