"""Repeat rules: parsing, hostile input, bounded expansion, DST and the builder."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from verbinding.activities import recurrence
from verbinding.core.errors import DomainError

AMS = recurrence.zone("Europe/Amsterdam")
# Tuesday 17 March 2026, 19:00 in Amsterdam (winter time, UTC+1).
FIRST = dt.datetime(2026, 3, 17, 18, 0, tzinfo=dt.UTC)


def parse(body, first=FIRST):
    return recurrence.parse_rule(body, first_start=first, tz=AMS)


def code_of(body, first=FIRST):
    with pytest.raises(DomainError) as info:
        parse(body, first)
    return info.value.code


@pytest.mark.parametrize("body", ["FREQ=SECONDLY", "FREQ=MINUTELY;COUNT=5", "FREQ=HOURLY",
                                  "FREQ=YEARLY;COUNT=3", "FREQ=DAILY;BYHOUR=9,10",
                                  "FREQ=WEEKLY;BYMINUTE=0,30"])
def test_rules_more_often_than_daily_or_yearly_are_refused_as_too_frequent(body):
    assert code_of(body) == "rule_too_frequent"


@pytest.mark.parametrize("body", [
    "", "garbage", "FREQ=", "FREQ=WEEKLY;;COUNT=3", "FREQ=WEEKLY;BYDAY=XX", "FREQ=WEEKLY;COUNT=-3",
    "FREQ=WEEKLY;COUNT=0", "FREQ=WEEKLY;INTERVAL=0", "FREQ=WEEKLY;COUNT=2;UNTIL=20260601",
    "FREQ=WEEKLY;COUNT=3\nDTSTART:20200101T000000", "FREQ=WEEKLY;UNTIL=2026", "FREQ=WEEKLY;FREQ=DAILY",
    "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=31", "FREQ=MONTHLY;BYMONTHDAY=1;BYSETPOS=2",
    "FREQ=DAILY;INTERVAL=7;BYDAY=MO", "FREQ=MONTHLY;INTERVAL=12;BYMONTH=2",
    "FREQ=WEEKLY;BYDAY=+1MO", "FREQ=WEEKLY;UNTIL=20200101", "<script>alert(1)</script>",
    "FREQ=WEEKLY;X-NAME=1", "FREQ=WEEKLY;BYMONTHDAY=99",
])
def test_garbage_and_impossible_rules_are_refused_as_invalid(body):
    assert code_of(body) == "rule_invalid"


def test_a_ten_thousand_character_rule_is_refused_quickly():
    started = time.perf_counter()
    assert code_of("FREQ=WEEKLY;" + "BYDAY=MO;" * 1200) == "rule_invalid"
    assert code_of("x" * 10_000) == "rule_invalid"
    assert time.perf_counter() - started < 1


def test_a_count_above_the_limit_is_refused_as_too_many(settings):
    assert code_of("FREQ=DAILY;COUNT=100000") == "rule_too_many"
    settings.VERBINDING_MAX_SESSIONS_PER_RULE = 10
    assert code_of("FREQ=WEEKLY;COUNT=11") == "rule_too_many"
    assert parse("FREQ=WEEKLY;COUNT=10").count == 10


def test_an_until_that_makes_too_many_sessions_is_refused(settings):
    settings.VERBINDING_MAX_SESSIONS_PER_RULE = 20
    assert code_of("FREQ=DAILY;UNTIL=20260601") == "rule_too_many"
    assert parse("FREQ=WEEKLY;UNTIL=20260601").bounded


def test_a_rule_without_end_is_allowed_and_expanded_only_to_the_window_asked():
    rule = parse("FREQ=DAILY")
    assert not rule.bounded
    until = FIRST + dt.timedelta(days=30)
    found = recurrence.occurrences(rule, first_start=FIRST, tz=AMS, until=until)
    assert len(found) == 31
    assert max(found) <= until


def test_lower_case_and_an_rrule_prefix_are_normalised():
    assert parse("rrule:freq=weekly;count=3;byday=tu").body == "FREQ=WEEKLY;BYDAY=TU;COUNT=3"


def test_an_until_in_utc_is_kept_in_local_time():
    rule = parse("FREQ=WEEKLY;UNTIL=20260407T170000Z")
    found = recurrence.occurrences(rule, first_start=FIRST, tz=AMS)
    assert [f.astimezone(AMS).date() for f in found] == [
        dt.date(2026, 3, 17), dt.date(2026, 3, 24), dt.date(2026, 3, 31), dt.date(2026, 4, 7)]


def test_weekly_sessions_keep_their_local_time_across_the_change_to_summer_time():
    # Summer time starts on Sunday 29 March 2026 in Amsterdam.
    found = recurrence.occurrences(parse("FREQ=WEEKLY;COUNT=4"), first_start=FIRST, tz=AMS)
    local = [f.astimezone(AMS) for f in found]
    assert {(t.hour, t.minute) for t in local} == {(19, 0)}
    assert [f.hour for f in found] == [18, 18, 17, 17]  # in UTC the hour shifts


def test_weekly_sessions_keep_their_local_time_across_the_change_to_winter_time():
    first = dt.datetime(2026, 10, 13, 17, 30, tzinfo=dt.UTC)  # 19:30 summer time
    found = recurrence.occurrences(parse("FREQ=WEEKLY;COUNT=4", first), first_start=first, tz=AMS)
    assert {(f.astimezone(AMS).hour, f.astimezone(AMS).minute) for f in found} == {(19, 30)}
    assert len({f.astimezone(AMS).utcoffset() for f in found}) == 2


def test_a_session_in_the_skipped_hour_still_gets_a_real_moment():
    first = dt.datetime(2026, 3, 22, 1, 30, tzinfo=dt.UTC)  # Sunday 02:30 local
    found = recurrence.occurrences(parse("FREQ=WEEKLY;COUNT=2", first), first_start=first, tz=AMS)
    assert len(found) == 2 and found[1] - found[0] < dt.timedelta(days=7, hours=1)


def test_occurrences_before_since_are_left_out():
    rule = parse("FREQ=WEEKLY;COUNT=5")
    since = FIRST + dt.timedelta(days=8)
    found = recurrence.occurrences(rule, first_start=FIRST, tz=AMS, since=since)
    assert len(found) == 3 and min(found) >= since


def test_monthly_on_the_last_tuesday_comes_from_the_builder_and_back():
    body = recurrence.build_rule(repeat="monthly", month_week=-1, weekday_of=dt.date(2026, 3, 17),
                                 until=dt.date(2026, 6, 30))
    assert body == "FREQ=MONTHLY;BYDAY=-1TU;UNTIL=20260630T235959"
    found = recurrence.occurrences(parse(body), first_start=FIRST, tz=AMS)
    assert [f.astimezone(AMS).day for f in found] == [31, 28, 26, 30]
    assert recurrence.describe_for_builder(body)["month_week"] == -1


def test_the_builder_makes_every_other_week_on_chosen_days_with_a_count():
    body = recurrence.build_rule(repeat="weekly", interval=2, weekdays=["FR", "TU"], count=4)
    assert body == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,FR;COUNT=4"
    found = recurrence.occurrences(parse(body), first_start=FIRST, tz=AMS)
    assert [f.astimezone(AMS).date().isoformat() for f in found] == [
        "2026-03-17", "2026-03-20", "2026-03-31", "2026-04-03"]
    assert recurrence.describe_for_builder(body)["weekdays"] == ["TU", "FR"]


def test_a_rule_the_builder_cannot_express_goes_to_the_advanced_field():
    assert recurrence.describe_for_builder("FREQ=MONTHLY;BYMONTHDAY=1,15") is None


@hsettings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_any_text_either_parses_into_a_bounded_expansion_or_raises_a_domain_error(text):
    try:
        rule = parse(text)
    except DomainError as error:
        assert error.code in {"rule_invalid", "rule_too_frequent", "rule_too_many"}
        return
    found = recurrence.occurrences(rule, first_start=FIRST, tz=AMS,
                                   until=FIRST + dt.timedelta(days=182))
    assert found == sorted(found)
