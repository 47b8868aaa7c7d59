"""Fixtures of the surveys tests: a session going on now, one of last week, one of another
initiative, and helpers to answer the pulse through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.door.conftest import session_at


@pytest.fixture
def today_session(initiative):
    start = (timezone.now() - dt.timedelta(minutes=30)).replace(microsecond=0)
    return session_at(initiative, start)


@pytest.fixture
def last_week_session(initiative):
    start = (timezone.now() - dt.timedelta(days=3)).replace(microsecond=0)
    return session_at(initiative, start)


@pytest.fixture
def their_session(other_initiative):
    start = (timezone.now() - dt.timedelta(minutes=30)).replace(microsecond=0)
    return session_at(other_initiative, start)


def all_answers(day, value_index=0, *, rather_not=()):
    """An answer to every item offered on `day`: the `value_index`-th substantive code (or the
    last one when shorter), "rather not say" for the items named in `rather_not`."""
    from verbinding.surveys.items import RATHER_NOT_SAY, items_for

    answers = {}
    for item in items_for(day):
        codes = [a.code for a in item.answers]
        answers[item.code] = RATHER_NOT_SAY if item.code in rather_not else codes[min(value_index, len(codes) - 1)]
    return answers


def kiosk_pulse(initiative, session, answers, language="nl", now=None):
    from verbinding.surveys import services

    token = services.mint_kiosk_token(session=session)
    return services.submit_kiosk_pulse(initiative=initiative, token=token, language=language,
                                       answers=answers, now=now)


@pytest.fixture
def kiosk_client(client, kiosk):
    client.force_login(kiosk)
    return client
