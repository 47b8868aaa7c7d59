"""The kiosk link and the stored pulse: genuine, fresh, once, in this initiative; answers only
from the closed lists; a member once per session they were at."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.core import signing
from django.db import connection
from django.utils import timezone

from tests.conftest import person_of
from tests.surveys.conftest import all_answers, kiosk_pulse, session_at
from verbinding.attendance.checkin import check_in
from verbinding.core.errors import DomainError
from verbinding.surveys import services
from verbinding.surveys.items import PULSE_ITEMS, items_for, module_for
from verbinding.surveys.models import PulseAnswer, PulseAnswered, PulseResponse, UsedPulseToken

pytestmark = pytest.mark.django_db


def codes(fn):
    with pytest.raises(DomainError) as info:
        fn()
    return info.value.code


def submit(initiative, token, answers=None):
    return services.submit_kiosk_pulse(initiative=initiative, token=token, language="nl",
                                       answers=answers or {"together": "yes"})


def test_a_kiosk_link_works_once(initiative, today_session):
    token = services.mint_kiosk_token(session=today_session)
    submit(initiative, token)
    assert codes(lambda: submit(initiative, token)) == "pulse_link_used"
    assert PulseResponse.objects.count() == 1


def test_a_link_carries_only_the_session_and_a_nonce(today_session):
    data = signing.loads(services.mint_kiosk_token(session=today_session), salt=services.SALT)
    assert set(data) == {"s", "n"} and data["s"] == today_session.pk


def test_an_expired_link_is_refused(initiative, today_session, settings):
    settings.VERBINDING_PULSE_TOKEN_SECONDS = 60
    token = services.mint_kiosk_token(session=today_session)
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=61)):
        assert codes(lambda: submit(initiative, token)) == "pulse_link_expired"
    assert not PulseResponse.objects.exists() and not UsedPulseToken.objects.exists()


@pytest.mark.parametrize("token", [
    "", None, 42, ["a"], "x" * 5000, "not-a-token", "eyJzIjoxLCJuIjoiYSJ9:forged:signature",
])
def test_forged_malformed_and_huge_links_are_refused(initiative, today_session, token):
    assert codes(lambda: submit(initiative, token)) == "pulse_link_invalid"
    assert not PulseResponse.objects.exists()


def test_a_link_signed_with_another_salt_or_payload_is_refused(initiative, today_session):
    other_salt = signing.dumps({"s": today_session.pk, "n": "abc"}, salt="something.else")
    wrong_shape = signing.dumps({"s": str(today_session.pk), "n": 1}, salt=services.SALT)
    assert codes(lambda: submit(initiative, other_salt)) == "pulse_link_invalid"
    assert codes(lambda: submit(initiative, wrong_shape)) == "pulse_link_invalid"


def test_another_initiatives_session_is_refused(initiative, their_session):
    token = services.mint_kiosk_token(session=their_session)
    assert codes(lambda: submit(initiative, token)) == "pulse_link_invalid"


def test_a_cancelled_session_takes_no_answers(initiative, today_session):
    token = services.mint_kiosk_token(session=today_session)
    today_session.status = today_session.Status.CANCELLED
    today_session.save()
    assert codes(lambda: submit(initiative, token)) == "pulse_link_invalid"


@pytest.mark.parametrize("answers", [
    {"pleasant": "6"}, {"pleasant": "very nice"}, {"unknown_item": "yes"}, {"together": ["yes"]},
    {"together": "YES"}, {1: "yes"}, {"together": "yes" * 1000},
])
def test_answers_outside_the_lists_are_refused_and_nothing_is_written(initiative, today_session, answers):
    token = services.mint_kiosk_token(session=today_session)
    assert codes(lambda: submit(initiative, token, answers)) == "pulse_answer_invalid"
    assert not PulseResponse.objects.exists() and not UsedPulseToken.objects.exists()
    submit(initiative, token)  # the link was not used up by the failed attempt


def test_an_item_of_another_months_module_is_refused(initiative, today_session):
    day = services.local_day(initiative)
    offered = {i.code for i in items_for(day)}
    foreign = next(code for code in ("ios_newcomers", "trust", "lonely") if code not in offered)
    token = services.mint_kiosk_token(session=today_session)
    assert codes(lambda: submit(initiative, token, {foreign: "1"})) == "pulse_answer_invalid"


def test_an_unknown_language_is_refused(initiative, today_session):
    token = services.mint_kiosk_token(session=today_session)
    assert codes(lambda: services.submit_kiosk_pulse(
        initiative=initiative, token=token, language="xx", answers={"together": "yes"})) == "pulse_language_invalid"
    assert not PulseResponse.objects.exists() and not UsedPulseToken.objects.exists()


def test_a_stored_pulse_has_the_day_language_channel_and_module(initiative, today_session):
    response = kiosk_pulse(initiative, today_session, all_answers(services.local_day(initiative)), "ar")
    assert response.language == "ar" and response.channel == "kiosk"
    assert response.day == services.local_day(initiative)
    assert response.module == module_for(response.day)
    assert PulseAnswer.objects.count() == len(items_for(response.day))


def test_modules_rotate_monthly_so_each_is_asked_quarterly():
    months = [module_for(dt.date(2026, m, 15)) for m in range(1, 13)]
    assert months[:3] == ["closeness", "trust", "loneliness"]
    assert all(months.count(m) == 4 for m in set(months))
    assert all(items_for(dt.date(2026, m, 1))[:5] == PULSE_ITEMS for m in range(1, 13))


# --- on the member's phone ---------------------------------------------------------------------

def test_a_member_answers_once_per_session(initiative, today_session, local):
    person = person_of(local, initiative)
    check_in(session=today_session, person=person)
    services.submit_phone_pulse(person=person, session_id=today_session.pk, language="nl",
                                answers={"pleasant": "4"})
    assert codes(lambda: services.submit_phone_pulse(
        person=person, session_id=today_session.pk, language="nl", answers={"pleasant": "5"})
    ) == "pulse_already_answered"
    assert PulseResponse.objects.count() == 1 and PulseAnswered.objects.count() == 1


def test_a_member_who_was_not_there_cannot_answer(initiative, today_session, local):
    person = person_of(local, initiative)
    assert codes(lambda: services.submit_phone_pulse(
        person=person, session_id=today_session.pk, language="nl", answers={})) == "pulse_not_attended"


def test_a_session_older_than_the_window_cannot_be_answered(initiative, local):
    person = person_of(local, initiative)
    old = session_at(initiative, timezone.now().replace(microsecond=0) - dt.timedelta(days=9))
    check_in(session=old, person=person)
    assert codes(lambda: services.submit_phone_pulse(
        person=person, session_id=old.pk, language="nl", answers={})) == "pulse_not_attended"


def test_a_session_of_another_initiative_cannot_be_answered(initiative, their_session, local):
    assert codes(lambda: services.submit_phone_pulse(
        person=person_of(local, initiative), session_id=their_session.pk, language="nl", answers={},
    )) == "pulse_not_attended"


@pytest.mark.parametrize("pk", ["abc", None, "1 OR 1=1", 10**30])
def test_a_hostile_session_id_is_refused(initiative, local, pk):
    assert codes(lambda: services.submit_phone_pulse(
        person=person_of(local, initiative), session_id=pk, language="nl", answers={})) == "pulse_not_attended"


def test_pruning_removes_only_markers_that_can_no_longer_matter(initiative, today_session, local):
    person = person_of(local, initiative)
    check_in(session=today_session, person=person)
    services.submit_phone_pulse(person=person, session_id=today_session.pk, language="nl", answers={})
    kiosk_pulse(initiative, today_session, {"together": "yes"})
    assert services.prune_markers() == (0, 0)
    assert services.prune_markers(now=timezone.now() + dt.timedelta(days=10)) == (1, 1)
    assert PulseResponse.objects.count() == 2  # the answers stay


@pytest.mark.django_db(transaction=True)
def test_two_taps_of_done_at_the_same_moment_store_one_pulse(initiative, today_session):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (scripts/pg-throwaway.sh)")
    token = services.mint_kiosk_token(session=today_session)
    outcomes, barrier = [], threading.Barrier(2)

    def tap():
        barrier.wait()
        try:
            submit(initiative, token)
            outcomes.append("stored")
        except DomainError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=tap) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["pulse_link_used", "stored"]
    assert PulseResponse.objects.count() == 1
