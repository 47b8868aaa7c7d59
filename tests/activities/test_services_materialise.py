"""Materialising sessions from the rule: creation, the rolling window, and what survives edits."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.conftest import person_of
from verbinding.activities import recurrence, services
from verbinding.activities.models import Activity, Session
from verbinding.attendance.models import CheckIn, Registration
from verbinding.core.errors import DomainError

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)  # Monday
AMS = recurrence.zone("Europe/Amsterdam")
# Tuesday 3 March 2026, 19:00 local.
FIRST = dt.datetime(2026, 3, 3, 18, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def weekly(initiative, coordinator, **fields):
    values = {"title": {"nl": "Taalcafé"}, "first_start": FIRST, "kind": "regular",
              "rrule": "FREQ=WEEKLY;COUNT=6", **fields}
    return services.create_activity(initiative=initiative, by=coordinator, **values)


def starts(activity, **filters):
    return list(activity.sessions.filter(**filters).order_by("start").values_list("start", flat=True))


def register(session, person):
    return Registration.objects.create(initiative=session.initiative, activity=session.activity,
                                       session=session, person=person)


def test_a_weekly_rule_with_a_count_gets_exactly_that_many_sessions(initiative, coordinator):
    activity = weekly(initiative, coordinator)
    found = starts(activity)
    assert len(found) == 6
    assert {f.astimezone(AMS).strftime("%a %H:%M") for f in found} == {"Tue 19:00"}
    assert all(s.end - s.start == dt.timedelta(minutes=120) for s in activity.sessions.all())


def test_materialising_twice_creates_nothing_new(initiative, coordinator):
    activity = weekly(initiative, coordinator)
    result = services.materialise_sessions(activity=activity)
    assert result == services.MaterialiseResult()
    assert activity.sessions.count() == 6


def test_a_rule_without_end_is_materialised_on_a_rolling_window(initiative, coordinator, settings):
    settings.VERBINDING_MATERIALISE_DAYS = 28
    activity = weekly(initiative, coordinator, rrule="FREQ=WEEKLY")
    assert len(starts(activity)) == 4
    with time_machine.travel(NOW + dt.timedelta(days=14), tick=False):
        result = services.materialise_all()
    assert result.created == 2
    assert len(starts(activity)) == 6


def test_a_one_off_has_exactly_one_session_at_its_start(initiative, coordinator):
    activity = weekly(initiative, coordinator, kind="one_off", rrule="FREQ=DAILY")
    assert starts(activity) == [FIRST]
    assert activity.rrule == ""


def test_a_project_gets_its_planned_weekly_series(initiative, coordinator):
    activity = weekly(initiative, coordinator, kind="project", rrule="", planned_sessions=None)
    assert activity.planned_sessions == 6
    assert activity.rrule == "FREQ=WEEKLY;COUNT=6"
    assert len(starts(activity)) == 6
    bigger = weekly(initiative, coordinator, kind="project", planned_sessions=8)
    assert len(starts(bigger)) == 8


@pytest.mark.parametrize("n", [0, 21, -1])
def test_a_project_with_too_few_or_too_many_sessions_is_refused(initiative, coordinator, n):
    with pytest.raises(DomainError) as info:
        weekly(initiative, coordinator, kind="project", planned_sessions=n)
    assert info.value.code == "planned_sessions_invalid"
    assert not Activity.objects.exists()


def test_shortening_the_rule_deletes_empty_sessions_but_keeps_those_with_sign_ups(
        initiative, coordinator, newcomer):
    activity = weekly(initiative, coordinator)
    sessions = list(activity.sessions.order_by("start"))
    register(sessions[4], person_of(newcomer, initiative))
    services.update_activity(activity=activity, by=coordinator, rrule="FREQ=WEEKLY;COUNT=3")
    remaining = list(activity.sessions.order_by("start"))
    assert [s.pk for s in remaining] == [s.pk for s in sessions[:3]] + [sessions[4].pk]
    assert remaining[-1].status == Session.Status.CANCELLED
    assert Registration.objects.filter(session=sessions[4]).exists()


def test_a_session_with_only_a_cancelled_registration_is_still_kept(initiative, coordinator, local):
    activity = weekly(initiative, coordinator)
    last = activity.sessions.order_by("start").last()
    register(last, person_of(local, initiative)).__class__.objects.update(status="cancelled")
    services.update_activity(activity=activity, by=coordinator, rrule="FREQ=WEEKLY;COUNT=2")
    last.refresh_from_db()
    assert last.status == Session.Status.CANCELLED


def test_a_session_with_a_check_in_is_never_deleted(initiative, coordinator, local):
    activity = weekly(initiative, coordinator)
    last = activity.sessions.order_by("start").last()
    CheckIn.objects.create(initiative=initiative, session=last, person=person_of(local, initiative))
    services.update_activity(activity=activity, by=coordinator, kind="one_off")
    assert set(activity.sessions.values_list("pk", flat=True)) >= {last.pk}
    last.refresh_from_db()
    assert last.status == Session.Status.CANCELLED
    assert activity.sessions.exclude(status="cancelled").count() == 1


def test_moved_and_cancelled_sessions_survive_re_materialisation(initiative, coordinator):
    activity = weekly(initiative, coordinator)
    first, second = activity.sessions.order_by("start")[:2]
    new_start = first.start + dt.timedelta(days=1)
    services.move_session(session=first, start=new_start, end=new_start + dt.timedelta(hours=2),
                          by=coordinator)
    services.cancel_session(session=second, by=coordinator)
    services.materialise_sessions(activity=activity)
    services.update_activity(activity=activity, by=coordinator, room="Keuken")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.start, first.moved) == (new_start, True)
    assert second.status == Session.Status.CANCELLED
    assert activity.sessions.count() == 6


def test_a_new_start_time_moves_future_planned_sessions_with_their_sign_ups(
        initiative, coordinator, newcomer):
    activity = weekly(initiative, coordinator)
    sessions = list(activity.sessions.order_by("start"))
    register(sessions[2], person_of(newcomer, initiative))
    moved_start = sessions[3].start + dt.timedelta(days=2)
    services.move_session(session=sessions[3], start=moved_start,
                          end=moved_start + dt.timedelta(hours=1), by=coordinator)
    later = FIRST + dt.timedelta(minutes=30)
    services.update_activity(activity=activity, by=coordinator, first_start=later,
                             duration_minutes=90)
    after = {s.pk: s for s in activity.sessions.all()}
    assert set(after) == {s.pk for s in sessions}
    assert after[sessions[2].pk].start.astimezone(AMS).strftime("%H:%M") == "19:30"
    assert after[sessions[2].pk].end - after[sessions[2].pk].start == dt.timedelta(minutes=90)
    assert after[sessions[2].pk].status == Session.Status.PLANNED
    assert after[sessions[3].pk].start == moved_start  # moved stays where it was put


def test_past_sessions_are_history_and_are_not_touched_by_an_edit(initiative, coordinator):
    activity = weekly(initiative, coordinator)
    with time_machine.travel(NOW + dt.timedelta(days=10), tick=False):
        services.update_activity(activity=activity, by=coordinator, rrule="FREQ=WEEKLY;COUNT=1")
    # 3 and 10 March are past at the new clock; only the future ones went.
    assert len(starts(activity)) == 2


def test_a_project_moved_a_week_later_moves_its_series(initiative, coordinator, newcomer):
    activity = weekly(initiative, coordinator, kind="project", planned_sessions=4)
    before = list(activity.sessions.order_by("start"))
    services.update_activity(activity=activity, by=coordinator,
                             first_start=FIRST + dt.timedelta(days=7))
    after = list(activity.sessions.order_by("start"))
    assert len(after) == 4
    assert {s.pk for s in after} == {s.pk for s in before}
    assert after[0].start == FIRST + dt.timedelta(days=7)


def test_moving_a_session_to_end_before_it_starts_is_refused(initiative, coordinator):
    session = weekly(initiative, coordinator).sessions.first()
    with pytest.raises(DomainError) as info:
        services.move_session(session=session, start=session.start,
                              end=session.start - dt.timedelta(hours=1), by=coordinator)
    assert info.value.code == "end_before_start"
    session.refresh_from_db()
    assert not session.moved


def test_a_cancelled_session_cannot_be_moved(initiative, coordinator):
    session = weekly(initiative, coordinator).sessions.first()
    services.cancel_session(session=session, by=coordinator)
    with pytest.raises(DomainError):
        services.move_session(session=session, start=session.start,
                              end=session.end + dt.timedelta(hours=1), by=coordinator)


def test_the_nightly_command_is_idempotent(initiative, coordinator, settings, capsys):
    from django.core.management import call_command

    settings.VERBINDING_MATERIALISE_DAYS = 60
    activity = weekly(initiative, coordinator, rrule="FREQ=WEEKLY")
    count = activity.sessions.count()
    call_command("materialise_sessions")
    call_command("materialise_sessions")
    assert activity.sessions.count() == count
    assert "created: 0" in capsys.readouterr().out


def test_archived_activities_are_not_materialised(initiative, coordinator):
    activity = weekly(initiative, coordinator, rrule="FREQ=WEEKLY", materialise=False)
    services.archive_activity(activity=activity, by=coordinator)
    assert services.materialise_all().created == 0
    assert not activity.sessions.exists()
