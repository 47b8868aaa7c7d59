"""Recompute services: a whole initiative at once (idempotent), the dashboard's request
through the background worker, one pending run at a time, failures recorded, status."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from insights_db_example import MONDAY_WEEK1, build, check_in, local, person, session

from tests.factories import ActivityFactory
from verbinding.activities.models import Session
from verbinding.core.errors import DomainError
from verbinding.insights import selectors, services
from verbinding.insights.models import STALE_AFTER, RecomputeRun, Snapshot
from verbinding.insights.tasks import recompute_initiative_task

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_recompute_initiative_writes_every_period_and_is_idempotent(initiative, other_initiative):
    build(initiative)
    act = ActivityFactory(initiative=initiative, first_start=local(MONDAY_WEEK1))
    check_in(session(act, local(dt.date(2026, 5, 4))), person(initiative, "m"))
    written = services.recompute_initiative(initiative)
    assert sorted((s.kind, s.start) for s in written) == [
        ("month", dt.date(2026, 1, 1)), ("month", dt.date(2026, 5, 1)),
        ("quarter", dt.date(2026, 1, 1)), ("quarter", dt.date(2026, 4, 1)),
        ("year", dt.date(2026, 1, 1)),
    ]
    before = {s.pk: s.payload for s in Snapshot.objects.all()}
    services.recompute_initiative(initiative)
    assert {s.pk: s.payload for s in Snapshot.objects.all()} == before
    assert not Snapshot.objects.filter(initiative=other_initiative).exists()


def test_periods_without_data_lose_their_snapshot_unless_only_recent_ones_are_run(initiative):
    act = ActivityFactory(initiative=initiative, first_start=local(MONDAY_WEEK1))
    jan = session(act, local(MONDAY_WEEK1))
    check_in(jan, person(initiative, "a"))
    services.recompute_initiative(initiative, kinds=("month",))
    Session.objects.filter(pk=jan.pk).update(status=Session.Status.CANCELLED)
    services.recompute_initiative(initiative, kinds=("month",), since=dt.date(2026, 6, 1))
    assert Snapshot.objects.filter(initiative=initiative).count() == 1  # --since keeps history
    services.recompute_initiative(initiative, kinds=("month",))
    assert not Snapshot.objects.filter(initiative=initiative).exists()


def test_a_requested_recompute_runs_in_the_background_worker(initiative, coordinator):
    build(initiative)
    assert selectors.recompute_status(initiative)["status"] is None
    run = services.request_recompute(initiative, coordinator)  # pytest: the task runs at once
    assert run.status == RecomputeRun.Status.DONE
    assert run.requested_by == coordinator
    assert run.snapshots == Snapshot.objects.filter(initiative=initiative).count() == 3
    status = selectors.recompute_status(initiative)
    assert status["pending"] is False
    assert status["status"] == "done"
    assert status["finished_at"] is not None
    assert status["last_computed_at"] is not None
    # Another request after it finished is fine.
    assert services.request_recompute(initiative, coordinator).status == RecomputeRun.Status.DONE


def test_a_second_request_is_refused_while_one_is_pending(initiative, other_initiative, settings):
    settings.TASKS = DUMMY  # the worker has not picked it up yet
    run = services.request_recompute(initiative, None)
    assert run.status == RecomputeRun.Status.QUEUED
    assert run.requested_by is None  # anonymous or missing user: nobody recorded
    assert selectors.recompute_status(initiative)["pending"] is True
    with pytest.raises(DomainError) as refused:
        services.request_recompute(initiative, None)
    assert refused.value.code == "insights_recompute_busy"
    assert RecomputeRun.objects.filter(initiative=initiative).count() == 1
    # Another initiative's pending run blocks nothing here.
    assert services.request_recompute(other_initiative, None).status == RecomputeRun.Status.QUEUED
    # A running run blocks as well.
    RecomputeRun.objects.filter(pk=run.pk).update(status=RecomputeRun.Status.RUNNING)
    with pytest.raises(DomainError):
        services.request_recompute(initiative, None)


def test_the_database_allows_one_pending_run_per_initiative(initiative):
    RecomputeRun.objects.create(initiative=initiative)
    with pytest.raises(IntegrityError), transaction.atomic():
        RecomputeRun.objects.create(initiative=initiative, status=RecomputeRun.Status.RUNNING)
    RecomputeRun.objects.create(initiative=initiative, status=RecomputeRun.Status.DONE)
    RecomputeRun.objects.create(initiative=initiative, status=RecomputeRun.Status.FAILED)


def test_a_failed_recompute_is_recorded_and_frees_the_button(initiative, monkeypatch):
    def broken(*args, **kwargs):
        raise MemoryError("too big")

    monkeypatch.setattr(services, "recompute_initiative", broken)
    run = services.request_recompute(initiative, None)
    assert run.status == RecomputeRun.Status.FAILED
    assert run.error == "MemoryError"  # the class only, never data
    status = selectors.recompute_status(initiative)
    assert (status["pending"], status["status"], status["error"]) == (False, "failed", "MemoryError")
    monkeypatch.undo()
    assert services.request_recompute(initiative, None).status == RecomputeRun.Status.DONE


def test_a_retried_task_does_not_run_twice(initiative, settings, monkeypatch):
    settings.TASKS = DUMMY
    run = services.request_recompute(initiative, None)
    calls = []
    monkeypatch.setattr(services, "recompute_initiative", lambda ini: calls.append(ini) or [])
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    recompute_initiative_task.enqueue(run.pk)
    recompute_initiative_task.enqueue(run.pk)
    assert calls == [initiative]
    assert services.execute_recompute(10**9) is None  # an unknown run is ignored


def test_a_run_lost_by_the_worker_stops_blocking_after_a_while(initiative, settings):
    settings.TASKS = DUMMY
    lost = services.request_recompute(initiative, None)
    RecomputeRun.objects.filter(pk=lost.pk).update(
        status=RecomputeRun.Status.RUNNING,
        created_at=timezone.now() - STALE_AFTER - dt.timedelta(minutes=1),
    )
    assert selectors.recompute_status(initiative)["pending"] is False
    again = services.request_recompute(initiative, None)
    assert again.status == RecomputeRun.Status.QUEUED
    lost.refresh_from_db()
    assert (lost.status, lost.error) == (RecomputeRun.Status.FAILED, "Stale")
    # A recent pending run is not touched.
    assert services.expire_stale_runs(initiative) == 0
