"""Creating and editing activities: validation, and nothing half-written."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.conftest import person_of
from verbinding.activities import services
from verbinding.activities.models import Activity, Session
from verbinding.core.errors import DomainError

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
FIRST = dt.datetime(2026, 3, 3, 18, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def create(initiative, by, **fields):
    values = {"title": {"nl": "Koffie en spelletjes"}, "first_start": FIRST,
              "rrule": "FREQ=WEEKLY;COUNT=3", **fields}
    return services.create_activity(initiative=initiative, by=by, **values)


@pytest.mark.parametrize(("fields", "code"), [
    ({"title": {}}, "title_required"),
    ({"title": {"nl": "   ", "en": ""}}, "title_required"),
    ({"title": {"xx": "Only an unknown language"}}, "title_required"),
    ({"title": {"nl": "x" * 10_000}}, "title_too_long"),
    ({"description": {"en": "x" * 5001}}, "description_too_long"),
    ({"capacity": -3}, "capacity_invalid"),
    ({"capacity": 0}, "capacity_invalid"),
    ({"duration_minutes": 4}, "duration_invalid"),
    ({"duration_minutes": 24 * 60 + 1}, "duration_invalid"),
    ({"cost": "amount"}, "price_required"),
    ({"cost": "amount", "cost_cents": -100}, "price_required"),
    ({"kind": "weekly"}, "choice_invalid"),
    ({"languages_spoken": ["nl", "klingon"]}, "choice_invalid"),
    ({"rrule": "FREQ=SECONDLY"}, "rule_too_frequent"),
    ({"rrule": "FREQ=DAILY;COUNT=100000"}, "rule_too_many"),
    ({"first_start": dt.datetime(2026, 3, 3, 19, 0)}, "start_invalid"),  # naive
    ({"first_start": dt.datetime(1900, 1, 1, tzinfo=dt.UTC)}, "start_invalid"),
    ({"team_size": 500, "kind": "project"}, "team_size_invalid"),
])
def test_bad_values_are_refused_with_a_code_and_nothing_is_written(initiative, coordinator,
                                                                   fields, code):
    with pytest.raises(DomainError) as info:
        create(initiative, coordinator, **fields)
    assert info.value.code == code
    assert not Activity.objects.exists()
    assert not Session.objects.exists()


def test_an_organiser_from_another_initiative_is_refused(initiative, coordinator, outsider,
                                                        other_initiative):
    with pytest.raises(DomainError) as info:
        create(initiative, coordinator, organisers=[person_of(outsider, other_initiative)])
    assert info.value.code == "organiser_not_here"
    assert not Activity.objects.exists()


def test_an_activity_keeps_titles_per_language_and_its_organisers(initiative, coordinator,
                                                                  newcomer, local):
    activity = create(
        initiative, coordinator,
        title={"nl": " Taalcafé ", "en": "Language café", "ar": "مقهى اللغة", "de": "ignored"},
        organisers=[person_of(newcomer, initiative), person_of(local, initiative)],
        cost="amount", cost_cents=350,
    )
    assert activity.title == {"nl": "Taalcafé", "en": "Language café", "ar": "مقهى اللغة"}
    assert {p.display_name for p in activity.organisers.all()} == {"أمل", "Joost"}
    assert activity.cost_cents == 350


def test_a_price_is_dropped_when_the_activity_becomes_free(initiative, coordinator):
    activity = create(initiative, coordinator, cost="amount", cost_cents=500)
    services.update_activity(activity=activity, by=coordinator, cost="free")
    activity.refresh_from_db()
    assert activity.cost_cents is None


def test_a_failed_edit_changes_nothing(initiative, coordinator):
    activity = create(initiative, coordinator)
    with pytest.raises(DomainError):
        services.update_activity(activity=activity, by=coordinator, title={"nl": "Nieuw"},
                                 rrule="FREQ=HOURLY")
    activity.refresh_from_db()
    assert activity.title == {"nl": "Koffie en spelletjes"}
    assert activity.sessions.count() == 3


def test_publish_and_archive_change_the_status(initiative, coordinator):
    activity = create(initiative, coordinator, status="draft")
    services.publish_activity(activity=activity, by=coordinator)
    assert Activity.objects.get().status == "published"
    services.archive_activity(activity=activity, by=coordinator)
    assert Activity.objects.get().status == "archived"
    assert activity.sessions.count() == 3


def test_unknown_fields_are_a_programming_error(initiative, coordinator):
    with pytest.raises(TypeError):
        create(initiative, coordinator, nationality="x")
