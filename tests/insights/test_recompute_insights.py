"""recompute_insights on the (small) demo seed: seed_demo leaves snapshots behind, the command
is idempotent, its numbers agree with plain ORM counts, and bad arguments are refused."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Sum

from verbinding.activities.models import Session
from verbinding.attendance.models import CheckIn, GuestTally
from verbinding.core.models import Initiative
from verbinding.insights import selectors
from verbinding.insights.extract import extract, local_bounds
from verbinding.insights.models import Snapshot

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
SMALL = ["--seed", "1", "--today", "2026-12-01", "--scale", "0.05"]

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Seed once for this module; roll everything back after its last test."""
    out = io.StringIO()
    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=True):
        with transaction.atomic():
            call_command("seed_demo", *SMALL, stdout=out)
            yield out.getvalue()
            transaction.set_rollback(True)


def test_the_demo_seed_leaves_snapshots_for_every_period(demo):
    assert "snapshot(s) in" in demo
    for place in Initiative.objects.all():
        kinds = dict.fromkeys(Snapshot.Kind.values, 0)
        for kind in Snapshot.objects.filter(initiative=place).values_list("kind", flat=True):
            kinds[kind] += 1
        # 18 months of history ending November 2026.
        assert kinds["month"] >= 17
        assert kinds["quarter"] >= 6
        assert kinds["year"] == 2
        year = selectors.latest(place, "year")
        assert year.start == dt.date(2026, 1, 1)
        m = year.payload["metrics"]
        assert m is not None and year.payload["counts"]["persons"] > 0
        assert 0 < m["mix"]["overall"]["share_sessions_mixed"] <= 1
        assert m["ties"]["bridging"]["newman"]["n_edges"] > 0
        json.dumps(year.payload, allow_nan=False)


def test_recomputing_the_demo_is_idempotent_and_prints_timings(demo):
    before = {(s.initiative_id, s.kind, s.start): (s.pk, s.payload) for s in Snapshot.objects.all()}
    out = io.StringIO()
    call_command("recompute_insights", stdout=out)
    text = out.getvalue()
    after = {(s.initiative_id, s.kind, s.start): (s.pk, s.payload) for s in Snapshot.objects.all()}
    assert after == before
    for place in Initiative.objects.all():
        assert f"{place.slug}: " in text
    assert "month snapshot(s) in" in text and "year snapshot(s) in" in text
    assert text.strip().endswith(" s.")


def test_the_demo_counts_agree_with_plain_orm_counts(demo):
    place = Initiative.objects.order_by("slug").first()
    start, end = dt.date(2026, 1, 1), dt.date(2027, 1, 1)
    lo, hi = local_bounds(place, start, end)
    held = Session.objects.filter(initiative=place, start__gte=lo, start__lt=hi).exclude(
        status=Session.Status.CANCELLED)
    checkins = CheckIn.objects.filter(session__in=held, person__isnull=False)
    guests = GuestTally.objects.filter(session__in=held).aggregate(n=Sum("count"))["n"] or 0
    counts = selectors.for_period(place, "year", start).payload["counts"]
    assert counts["attendances"] == checkins.count()
    assert counts["persons"] == checkins.values("person_id").distinct().count()
    assert counts["guest_visits"] == guests
    ds = extract(place, start, end).dataset
    assert ds.n_attendances == checkins.count()
    labelled = checkins.filter(
        person__self_description__group__in=["newcomer", "local"]
    ).values("person_id").distinct().count()
    assert counts["labelled"] == labelled


def test_one_initiative_and_recent_periods_only(demo):
    place = Initiative.objects.order_by("slug").first()
    with transaction.atomic():
        Snapshot.objects.all().delete()
        call_command("recompute_insights", "--initiative", place.slug, "--since", "2026-10-15",
                     "--kind", "month", stdout=io.StringIO())
        assert set(Snapshot.objects.values_list("initiative_id", "kind", "start")) == {
            (place.pk, "month", dt.date(2026, 10, 1)), (place.pk, "month", dt.date(2026, 11, 1)),
        }
        transaction.set_rollback(True)
    assert Snapshot.objects.count() > 2


@pytest.mark.parametrize(("args", "message"), [
    (["--initiative", "nowhere"], "No initiative"),
    (["--since", "last tuesday"], "--since must be a date"),
    (["--since", "2026-02-30"], "--since must be a date"),
])
def test_bad_arguments_are_refused(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("recompute_insights", *args, stdout=io.StringIO())


def test_an_unknown_kind_is_refused():
    with pytest.raises(CommandError):
        call_command("recompute_insights", "--kind", "week", stdout=io.StringIO())


def test_a_failing_initiative_does_not_stop_the_others(demo, monkeypatch):
    from verbinding.insights import services
    from verbinding.insights.management.commands import recompute_insights as command

    places = list(Initiative.objects.order_by("slug"))
    real = services.recompute_initiative

    def flaky(initiative, **kwargs):
        if initiative == places[0]:
            raise RuntimeError("boom")
        return real(initiative, **kwargs)

    monkeypatch.setattr(command, "recompute_initiative", flaky)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match=f"Failed for: {places[0].slug}"):
        call_command("recompute_insights", "--kind", "year", stdout=out, stderr=err)
    assert f"{places[0].slug}: year failed (RuntimeError)" in err.getvalue()
    assert f"{places[1].slug}: 2 year snapshot(s)" in out.getvalue()


def test_an_initiative_without_data_gets_no_snapshots():
    from tests.factories import InitiativeFactory
    from verbinding.insights.services import recompute_initiative

    assert recompute_initiative(InitiativeFactory(slug="leeg")) == []
