"""The nightly prune: markers and used links go once they cannot matter; responses go after the
retention period; nothing else is touched."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from tests.conftest import person_of
from tests.surveys.conftest import kiosk_pulse
from verbinding.attendance.checkin import check_in
from verbinding.surveys import services
from verbinding.surveys.models import PulseAnswer, PulseAnswered, PulseResponse, UsedPulseToken

pytestmark = pytest.mark.django_db


def test_the_command_prunes_and_prints_counts_only(initiative, today_session, local, settings):
    settings.VERBINDING_PULSE_RETENTION_MONTHS = 36
    person = person_of(local, initiative)
    check_in(session=today_session, person=person)
    services.submit_phone_pulse(person=person, session_id=today_session.pk, language="nl",
                                answers={"together": "yes"})
    with time_machine.travel(timezone.now() - dt.timedelta(days=37 * 31)):
        kiosk_pulse(initiative, today_session, {"together": "no"})
    kiosk_pulse(initiative, today_session, {"together": "yes"})

    out = StringIO()
    call_command("prune_surveys", stdout=out)
    assert "Deleted 1 used pulse links, 0 answered markers and 1 pulse responses" in out.getvalue()
    assert PulseResponse.objects.count() == 2 and PulseAnswer.objects.count() == 2
    assert UsedPulseToken.objects.count() == 1 and PulseAnswered.objects.count() == 1
    assert "Joost" not in out.getvalue() and "Local" not in out.getvalue()
