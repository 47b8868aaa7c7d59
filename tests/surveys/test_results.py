"""period_results: the counts of a period, checked against hand-counted answers."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.utils import timezone

from tests.surveys.conftest import all_answers, kiosk_pulse
from verbinding.surveys.items import MODULE_ROTATION, PULSE_ITEMS, RATHER_NOT_SAY
from verbinding.surveys.selectors import period_results
from verbinding.surveys.services import local_day

pytestmark = pytest.mark.django_db

DEC = dt.datetime(2026, 12, 5, 14, 0, tzinfo=dt.UTC)  # December: the loneliness module


def test_an_empty_period_has_every_item_and_module_with_zero_counts(initiative):
    result = period_results(initiative, dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert result["n_responses"] == 0 and result["n_sessions"] == 0 and result["n_linked"] == 0
    assert result["languages"] == {"nl": 0, "en": 0, "ar": 0}
    assert [i["code"] for i in result["items"]] == [i.code for i in PULSE_ITEMS]
    assert [m["code"] for m in result["modules"]] == list(MODULE_ROTATION)
    pleasant = result["items"][1]
    assert pleasant["counts"] == {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0, RATHER_NOT_SAY: 0}
    assert json.loads(json.dumps(result)) == result  # JSON-able as it is


@time_machine.travel(DEC, tick=False)
def test_counts_match_the_answers_given(initiative, today_session, other_initiative, their_session):
    day = local_day(initiative)
    kiosk_pulse(initiative, today_session, all_answers(day, 0), language="nl")
    kiosk_pulse(initiative, today_session, all_answers(day, 2, rather_not={"pleasant", "lonely"}), language="ar")
    kiosk_pulse(initiative, today_session, {"talked_new": "one"}, language="ar")  # left after one
    kiosk_pulse(other_initiative, their_session, all_answers(day, 4), language="en")  # not ours

    result = period_results(initiative, day, day)
    assert result["n_responses"] == 3 and result["n_sessions"] == 1
    assert result["languages"] == {"nl": 1, "en": 0, "ar": 2}
    assert result["channels"] == {"kiosk": 3, "phone": 0}
    by = {i["code"]: i for i in result["items"]}
    assert by["talked_new"]["counts"] == {"none": 1, "one": 1, "more": 1, RATHER_NOT_SAY: 0}
    assert by["talked_new"]["n_responses"] == 3 and by["talked_new"]["n_answered"] == 3
    assert by["pleasant"]["counts"] == {"1": 1, "2": 0, "3": 0, "4": 0, "5": 0, RATHER_NOT_SAY: 1}
    assert by["pleasant"]["n_offered"] == 3
    assert by["pleasant"]["n_responses"] == 2 and by["pleasant"]["n_rather_not_say"] == 1
    assert by["pleasant"]["n_answered"] == 1
    assert by["together"]["counts"] == {"no": 1, "yes": 1, RATHER_NOT_SAY: 0}
    assert by["ideas_count"]["adapted"] is True and by["ideas_count"]["label"] == "My ideas count as much"

    modules = {m["code"]: m for m in result["modules"]}
    lonely = modules["loneliness"]
    assert lonely["n_offered"] == 3 and lonely["n_responses"] == 2  # the third left early
    assert lonely["languages"] == {"nl": 1, "en": 0, "ar": 1}
    assert lonely["adapted"] is True
    assert lonely["items"][0]["counts"] == {"never": 1, "seldom": 0, "sometimes": 0, "often": 0,
                                            RATHER_NOT_SAY: 1}
    assert modules["closeness"]["n_offered"] == 0 and modules["closeness"]["adapted"] is False


def test_the_period_includes_both_ends_and_nothing_outside(initiative, today_session):
    for day in (dt.date(2026, 11, 30), dt.date(2026, 12, 1), dt.date(2026, 12, 31), dt.date(2027, 1, 1)):
        with time_machine.travel(dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_current_timezone()),
                                 tick=False):
            kiosk_pulse(initiative, today_session, {"together": "yes"})
    result = period_results(initiative, dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert result["n_responses"] == 2
    assert result["items"][3]["counts"]["yes"] == 2


def test_period_results_takes_four_queries_whatever_the_size(initiative, today_session, django_assert_num_queries):
    day = local_day(initiative)
    for i in range(12):
        kiosk_pulse(initiative, today_session, all_answers(day, i % 5), language=("nl", "ar")[i % 2])
    with django_assert_num_queries(4):
        result = period_results(initiative, day, day)
    assert result["n_responses"] == 12 and result["languages"]["ar"] == 6


def test_every_adapted_item_is_flagged_and_the_label_to_print_is_given(initiative):
    result = period_results(initiative, dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    assert result["adapted_label"] == "adapted, not validated"
    flagged = {i["code"] for i in result["items"] if i["adapted"]}
    assert flagged == {i.code for i in PULSE_ITEMS}  # the five weekly items are all our adaptations
    closeness = next(m for m in result["modules"] if m["code"] == "closeness")
    assert [i["adapted"] for i in closeness["items"]] == [False, False]  # the IOS circles
    assert all(i["source"] for i in result["items"])
