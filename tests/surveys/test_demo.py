"""Demo pulses: plausible, deterministic, and as anonymous as real ones."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.factories import PersonFactory
from tests.surveys.conftest import session_at
from verbinding.attendance.checkin import check_in
from verbinding.surveys.demo import seed_pulses
from verbinding.surveys.models import PulseAnswered, PulseResponse, SurveyLink
from verbinding.surveys.selectors import period_results

pytestmark = pytest.mark.django_db


def test_demo_pulses_are_deterministic_and_count_like_real_ones(initiative):
    start = timezone.now().replace(microsecond=0) - dt.timedelta(days=20)
    sessions = [session_at(initiative, start + dt.timedelta(days=i)) for i in range(5)]
    for session in sessions:
        for _ in range(12):
            check_in(session=session, person=PersonFactory(initiative=initiative))
    first = seed_pulses(initiative, seed=3)
    answers = sorted(PulseResponse.objects.values_list("session_id", "language", "day", "channel"))
    assert seed_pulses(initiative, seed=3) == first and 5 <= first <= 40
    assert sorted(PulseResponse.objects.values_list("session_id", "language", "day", "channel")) == answers
    assert not PulseAnswered.objects.exists() and not SurveyLink.objects.exists()
    result = period_results(initiative, start.date() - dt.timedelta(days=1), timezone.localdate())
    assert result["n_responses"] == first
    assert result["items"][1]["n_responses"] == first  # every demo pulse answered P2


def test_the_command_seeds_one_place_or_refuses_an_unknown_one(initiative):
    out = StringIO()
    call_command("seed_demo_pulses", initiative=initiative.slug, stdout=out)
    assert f"{initiative.slug}: 0 demo pulses." in out.getvalue()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("seed_demo_pulses", initiative="nowhere", stdout=out)
