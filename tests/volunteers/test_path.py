"""The volunteer path's pure rules, on hand-made data (no database)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from verbinding.volunteers import path as vp
from verbinding.volunteers.path import Need, PathFacts, Split, Stage

AMS = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


def at(day: str, hour: int = 19) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{hour:02d}:00").replace(tzinfo=AMS)


def derive(**facts) -> vp.PersonPath:
    return vp.derive_path(PathFacts(person_id=facts.pop("pid", 1), **facts), tz=AMS)


def test_a_single_visit_is_a_first_visit_with_its_date():
    path = derive(visits=(at("2026-11-02"),))
    assert path.stage == Stage.FIRST_VISIT
    assert path.dates == {Stage.FIRST_VISIT: at("2026-11-02")}


def test_two_visits_in_the_same_iso_week_are_not_returning():
    # Monday and Sunday of ISO week 45.
    path = derive(visits=(at("2026-11-02"), at("2026-11-08", 20)))
    assert path.stage == Stage.FIRST_VISIT
    assert path.visit_weeks == 1


def test_the_next_monday_starts_a_new_week_and_dates_returning_at_its_first_visit():
    path = derive(visits=(at("2026-11-08", 20), at("2026-11-09", 10), at("2026-11-02"),
                          at("2026-11-11")))
    assert path.stage == Stage.RETURNING
    assert path.dates[Stage.RETURNING] == at("2026-11-09", 10)
    assert path.dates[Stage.FIRST_VISIT] == at("2026-11-02")
    assert path.visit_weeks == 2


def test_the_week_is_taken_in_the_initiatives_time_zone_not_utc():
    # Sunday 23:30 in Amsterdam is Sunday 22:30 UTC; Monday 00:30 Amsterdam is Sunday 23:30 UTC.
    sunday_late = dt.datetime(2026, 11, 8, 23, 30, tzinfo=AMS)
    monday_early = dt.datetime(2026, 11, 9, 0, 30, tzinfo=AMS)
    assert vp.returning_since([sunday_late, monday_early], AMS) == monday_early
    assert vp.returning_since([sunday_late, monday_early], dt.UTC) is None


def test_organising_a_held_session_is_organised_once_at_that_sessions_start():
    path = derive(visits=(at("2026-01-05"), at("2026-01-12")), organised=(at("2026-03-04"),))
    assert path.stage == Stage.ORGANISED_ONCE
    assert path.dates[Stage.ORGANISED_ONCE] == at("2026-03-04")
    assert path.skipped == ()


def test_recurring_needs_three_distinct_months_and_is_dated_in_the_third():
    two_months = derive(organised=(at("2026-01-05"), at("2026-01-26"), at("2026-02-02")))
    assert Stage.RECURRING not in two_months.dates
    three = derive(organised=(at("2026-01-05"), at("2026-02-02"), at("2026-04-06"), at("2026-04-01")))
    assert three.dates[Stage.RECURRING] == at("2026-04-01")
    assert three.organised_months == 3


def test_a_coordinator_who_never_checked_in_is_a_volunteer_who_skipped_the_first_steps():
    path = derive(volunteer_since=at("2025-06-01"))
    assert path.stage == Stage.VOLUNTEER
    assert path.skipped == (Stage.FIRST_VISIT, Stage.RETURNING, Stage.ORGANISED_ONCE)
    assert path.reached(Stage.FIRST_VISIT) and not path.reached(Stage.RECURRING)


def test_the_funnel_counts_reached_here_and_skipped_per_stage():
    paths = [
        derive(pid=1, visits=(at("2026-11-02"),)),
        derive(pid=2, visits=(at("2026-11-02"), at("2026-11-10"))),
        derive(pid=3, visits=(at("2026-11-02"), at("2026-11-10")), organised=(at("2026-11-12"),)),
        derive(pid=4, volunteer_since=at("2026-01-01")),  # never checked in
        derive(pid=5, visits=(at("2026-01-05"),),
               organised=(at("2026-01-05"), at("2026-02-02"), at("2026-03-02")),
               volunteer_since=at("2026-02-01")),
        derive(pid=6),  # nothing at all: not on the path
    ]
    rows = {row.stage: row for row in vp.funnel(paths)}
    assert [rows[s].reached for s in vp.STAGES] == [5, 4, 3, 2, 1]
    assert [rows[s].here for s in vp.STAGES] == [1, 1, 1, 1, 1]
    assert rows[Stage.FIRST_VISIT].skipped == 1          # pid 4
    assert rows[Stage.RETURNING].skipped == 2            # pid 4 and pid 5 (one week only)
    assert rows[Stage.ORGANISED_ONCE].skipped == 1       # pid 4
    assert rows[Stage.VOLUNTEER].skipped == 0
    assert rows[Stage.FIRST_VISIT].share == 100 and rows[Stage.RECURRING].share == 20


def test_an_empty_funnel_is_all_zero():
    assert all(row.reached == 0 and row.share == 0 for row in vp.funnel([]))


def _regular(pid, *, last="2026-11-20", weeks=3):
    visits = tuple(at(last) - dt.timedelta(weeks=w) for w in range(weeks))
    return derive(pid=pid, visits=visits)


def test_regulars_who_never_organised_are_suggested_only_when_a_talent_fits_an_open_need():
    needs = [Need(activity_id=10, format="coffee_games"), Need(activity_id=11, format="sport")]
    paths = [_regular(1), _regular(2), _regular(3, last="2026-05-01")]
    talents = {1: ["games", "sewing"], 2: ["sewing"], 3: ["games"]}
    (first, returning, *_rest) = vp.suggest(paths, now=NOW, talents=talents, needs=needs)
    assert returning.stage == Stage.RETURNING
    assert [s.person_id for s in returning.people] == [1]   # 2: no fit; 3: not seen for months
    assert returning.people[0].talents == ("games",)
    assert returning.people[0].need_ids == (10,)
    assert first.people == ()


def test_women_only_needs_are_matched_only_to_people_who_said_they_are_women():
    needs = [Need(activity_id=12, format="womens_cafe", women_only=True)]
    paths = [_regular(1), _regular(2)]
    talents = {1: ["sewing"], 2: ["sewing"]}
    returning = vp.suggest(paths, now=NOW, talents=talents, needs=needs, women=frozenset({2}))[1]
    assert [s.person_id for s in returning.people] == [2]


def test_an_organiser_is_not_matched_to_the_activity_they_already_organise():
    needs = [Need(activity_id=10, format="coffee_games", organisers=frozenset({7}))]
    volunteer = derive(pid=7, visits=(at("2026-11-20"),), organised=(at("2026-11-18"),),
                       volunteer_since=at("2026-10-01"))
    groups = vp.suggest([volunteer], now=NOW, talents={7: ["games"]}, needs=needs)
    vol = groups[Stage.VOLUNTEER - 1]
    assert [s.person_id for s in vol.people] == [7]
    assert vol.people[0].need_ids == ()


def test_recent_first_visitors_organisers_once_and_volunteers_each_get_their_list():
    paths = [
        derive(pid=1, visits=(at("2026-11-20"),)),                      # new, recent
        derive(pid=2, visits=(at("2026-09-01"),)),                      # new, long ago
        derive(pid=3, visits=(at("2026-11-02"), at("2026-11-16")), organised=(at("2026-11-05"),)),
        derive(pid=4, visits=(at("2026-11-16"),), volunteer_since=at("2026-01-01")),
        derive(pid=5, organised=(at("2026-01-05"), at("2026-02-02"), at("2026-11-02"))),  # recurring
    ]
    groups = {g.stage: g for g in vp.suggest(paths, now=NOW, talents={}, needs=[])}
    assert set(groups) == {Stage.FIRST_VISIT, Stage.RETURNING, Stage.ORGANISED_ONCE, Stage.VOLUNTEER}
    assert [s.person_id for s in groups[Stage.FIRST_VISIT].people] == [1]
    assert [s.person_id for s in groups[Stage.ORGANISED_ONCE].people] == [3]
    assert [s.person_id for s in groups[Stage.VOLUNTEER].people] == [4]


def test_suggestion_lists_are_capped_but_report_their_total():
    paths = [derive(pid=i, visits=(at("2026-11-20"),)) for i in range(1, 31)]
    first = vp.suggest(paths, now=NOW, talents={}, needs=[], limit=12)[0]
    assert len(first.people) == 12 and first.total == 30


def test_a_split_resting_on_fewer_than_five_declared_people_is_not_shown():
    groups = {1: "newcomer", 2: "newcomer", 3: "local", 4: "local", 5: "unspecified", 6: "local"}
    four = vp.split([1, 2, 3, 4, 5], groups)
    assert (four.total, four.declared, four.unknown) == (5, 4, 1)
    assert not four.comparable and not four.shown


def test_a_group_of_one_to_four_hides_the_split_but_zero_or_five_do_not():
    groups = {i: "local" for i in range(1, 11)} | {11: "newcomer"}
    assert not vp.split(range(1, 12), groups).shown         # 1 newcomer among 11
    assert vp.split(range(1, 11), groups).shown             # 0 newcomers, 10 locals
    five = {i: "newcomer" for i in range(1, 6)} | {i: "local" for i in range(6, 11)}
    shown = vp.split(range(1, 11), five)
    assert shown.shown and shown.newcomer_share == 50


def test_drift_warns_when_volunteers_have_twenty_points_fewer_newcomers_than_visitors():
    visitors = Split(total=100, newcomer=60, local=40)       # 60 % newcomers
    assert vp.drift(visitors, Split(total=20, newcomer=8, local=12)) == vp.Drift.FEWER_NEWCOMERS  # 40 %
    assert vp.drift(visitors, Split(total=20, newcomer=9, local=11)) == vp.Drift.NONE  # 45 %
    assert vp.drift(visitors, Split(total=20, newcomer=16, local=4)) == vp.Drift.FEWER_LOCALS  # 80 %
    assert vp.drift(visitors, Split(total=9, newcomer=2, local=2)) is None   # 4 declared


def test_every_talent_maps_to_real_formats():
    from verbinding.activities.models import Format
    from verbinding.people.vocab import Talent

    assert set(vp.TALENT_FORMATS) == set(Talent.values)
    assert set().union(*vp.TALENT_FORMATS.values()) <= set(Format.values)
