"""extract: database rows -> the metrics Dataset, with dense ids, consented labels only, local
calendar periods, cancelled and foreign sessions left out, and a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from insights_db_example import AMS, MONDAY_WEEK1, build, check_in, local, person, session

from tests.factories import ActivityFactory
from verbinding.activities.models import Activity, Format, Session
from verbinding.attendance.models import CheckIn, GuestTally
from verbinding.insights.extract import FORMAT_CODES, extract
from verbinding.insights.metrics.data import PROJECT, REGULAR, UNKNOWN
from verbinding.people.models import SelfDescription

JAN = (dt.date(2026, 1, 1), dt.date(2026, 2, 1))

pytestmark = pytest.mark.django_db


def test_the_worked_example_becomes_dense_arrays(initiative):
    build(initiative)
    ex = extract(initiative, *JAN)
    ds = ex.dataset
    assert (ds.n_persons, ds.n_sessions, ds.n_attendances, ds.n_activities) == (7, 7, 22, 3)
    assert sorted(np.bincount(np.asarray(ds.person_group) + 1, minlength=3).tolist()) == [0, 3, 4]
    # Dense ids only: persons 0..6, sessions in time order.
    assert set(np.asarray(ds.att_person).tolist()) == set(range(7))
    assert list(ds.session_day) == sorted(ds.session_day)
    assert ex.session_date[0] == MONDAY_WEEK1
    assert ex.session_date[-1] == MONDAY_WEEK1 + dt.timedelta(days=16)
    assert np.all(np.asarray(ds.session_hours) == 2.0)
    # One-off counts as regular; formats are stable codes.
    assert list(ds.activity_kind) == [REGULAR, REGULAR, REGULAR]
    assert [a["format"] for a in ex.activities] == [
        FORMAT_CODES[Format.LANGUAGE_CAFE], FORMAT_CODES[Format.COOKING], FORMAT_CODES[Format.FESTIVE]
    ]
    assert ex.activities[0] == {"title": {"nl": "Taalcafé", "en": "Language café"},
                                "kind": "regular", "format": FORMAT_CODES[Format.LANGUAGE_CAFE]}
    # d organises the café: one organiser record per café session, two hours each.
    assert ds.org_person.shape == (3,)
    assert len(set(np.asarray(ds.org_person).tolist())) == 1
    assert np.asarray(ds.org_hours).sum() == 6.0
    # Sessions are in time order: the café (Mondays) is sessions 0, 2 and 4.
    mondays = {i for i, day in enumerate(ex.session_date) if day.weekday() == 0}
    assert mondays == {0, 2, 4}
    assert set(np.asarray(ds.org_session).tolist()) == mondays
    d = int(ds.org_person[0])
    assert ds.person_group[d] == 1  # d is a local


def test_a_project_is_a_project(initiative):
    project = ActivityFactory(initiative=initiative, kind=Activity.Kind.PROJECT,
                              first_start=local(MONDAY_WEEK1))
    s = session(project, local(MONDAY_WEEK1))
    check_in(s, person(initiative, "p"))
    assert list(extract(initiative, *JAN).dataset.activity_kind) == [PROJECT]


def test_only_consented_newcomer_or_local_labels_count(initiative):
    act = ActivityFactory(initiative=initiative, first_start=local(MONDAY_WEEK1))
    s = session(act, local(MONDAY_WEEK1))
    labelled = person(initiative, "labelled", "newcomer")
    rather_not = person(initiative, "rather-not", "unspecified")
    never_asked = person(initiative, "never-asked")
    withdrawn = person(initiative, "withdrawn", "local")
    check_in(s, labelled, rather_not, never_asked, withdrawn)
    # Withdrawing consent deletes the self-description (people.services): the label is gone.
    SelfDescription.objects.filter(person=withdrawn).delete()
    ds = extract(initiative, *JAN).dataset
    assert sorted(np.asarray(ds.person_group).tolist()) == [UNKNOWN, UNKNOWN, UNKNOWN, 0]


def test_cancelled_foreign_empty_and_out_of_range_sessions_are_left_out(initiative, other_initiative):
    build(initiative)
    act = ActivityFactory(initiative=initiative, first_start=local(MONDAY_WEEK1))
    stranger = person(initiative, "z", "newcomer")
    cancelled = session(act, local(MONDAY_WEEK1 + dt.timedelta(days=3)),
                        status=Session.Status.CANCELLED)
    check_in(cancelled, stranger)
    GuestTally.objects.create(initiative=initiative, session=cancelled, group="local", count=4)
    session(act, local(MONDAY_WEEK1 + dt.timedelta(days=4)))  # nobody came
    later = session(act, local(dt.date(2026, 2, 2)))
    check_in(later, stranger)
    # Another initiative's data never enters, even with the same dates.
    foreign_act = ActivityFactory(initiative=other_initiative, first_start=local(MONDAY_WEEK1))
    foreign = session(foreign_act, local(MONDAY_WEEK1))
    check_in(foreign, person(other_initiative, "y", "local"))
    # A check-in whose person was erased (person set to null) is not an attendance.
    CheckIn.objects.create(initiative=initiative, session=later, person=None)

    ds = extract(initiative, *JAN).dataset
    assert (ds.n_persons, ds.n_sessions, ds.n_attendances) == (7, 7, 22)
    assert int(np.asarray(ds.guests).sum()) == 0
    feb = extract(initiative, dt.date(2026, 2, 1), dt.date(2026, 3, 1)).dataset
    assert (feb.n_persons, feb.n_sessions, feb.n_attendances) == (1, 1, 1)


def test_sessions_belong_to_their_local_date(initiative):
    act = ActivityFactory(initiative=initiative, first_start=local(MONDAY_WEEK1))
    # 23:30 on 31 January in Amsterdam is still January (22:30 UTC) ...
    late = session(act, local(dt.date(2026, 1, 31), 23, 30))
    # ... and 00:30 on 1 February is February, although it is 31 January in UTC.
    early = session(act, local(dt.date(2026, 2, 1), 0, 30))
    assert early.start.astimezone(dt.UTC).date() == dt.date(2026, 1, 31)
    check_in(late, person(initiative, "late"))
    check_in(early, person(initiative, "early"))
    jan = extract(initiative, *JAN)
    feb = extract(initiative, dt.date(2026, 2, 1), dt.date(2026, 3, 1))
    assert jan.session_date == [dt.date(2026, 1, 31)]
    assert feb.session_date == [dt.date(2026, 2, 1)]


def test_guest_tallies_are_summed_per_group_button(initiative):
    act = ActivityFactory(initiative=initiative, first_start=local(MONDAY_WEEK1))
    with_people = session(act, local(MONDAY_WEEK1))
    check_in(with_people, person(initiative, "a", "newcomer"))
    guests_only = session(act, local(MONDAY_WEEK1 + dt.timedelta(days=7)))
    for s, group, n in [(with_people, "newcomer", 1), (with_people, "newcomer", 2),
                        (with_people, "unspecified", 5), (guests_only, "local", 3)]:
        GuestTally.objects.create(initiative=initiative, session=s, group=group, count=n)
    ds = extract(initiative, *JAN).dataset
    assert ds.n_sessions == 2  # a session with guests only counts
    assert np.asarray(ds.guests).tolist() == [[3, 0, 5], [0, 3, 0]]
    assert list(ds.session_headcount) == [9, 3]


def test_an_empty_period_gives_an_empty_dataset(initiative):
    ex = extract(initiative, *JAN)
    assert (ex.dataset.n_persons, ex.dataset.n_sessions, ex.activities) == (0, 0, [])
    with pytest.raises(ValueError):
        extract(initiative, JAN[1], JAN[0])


def test_the_number_of_queries_does_not_grow_with_the_data(initiative, django_assert_num_queries):
    build(initiative)
    with django_assert_num_queries(7):
        extract(initiative, *JAN)
    act = ActivityFactory(initiative=initiative, first_start=local(MONDAY_WEEK1))
    act.organisers.add(person(initiative, "org", "newcomer"))
    crowd = [person(initiative, f"p{i}", "local") for i in range(30)]
    for week in range(3):
        check_in(session(act, local(MONDAY_WEEK1 + dt.timedelta(days=7 * week + 3))), *crowd)
    with django_assert_num_queries(7):
        ds = extract(initiative, *JAN).dataset
    assert ds.n_attendances == 22 + 90


def test_raw_datetimes_read_the_same_from_every_database_driver():
    from verbinding.insights.extract import _epoch_seconds

    moment = dt.datetime(2026, 3, 29, 0, 45, tzinfo=dt.UTC)
    expected = int(moment.timestamp())
    forms = [
        [moment],  # PostgreSQL: aware
        [moment.astimezone(AMS)],  # aware in another zone
        [moment.replace(tzinfo=None)],  # SQLite with parsed types: naive UTC
        ["2026-03-29 00:45:00"],  # SQLite text
        ["2026-03-29 00:45:00.250000"],
    ]
    for values in forms:
        assert _epoch_seconds(values).tolist() == [expected]
    assert _epoch_seconds([]).shape == (0,)


def test_local_days_follow_daylight_saving_time():
    from verbinding.insights.extract import local_days

    # Summer time starts 29 March 2026 at 01:00 UTC; ends 25 October 2026 at 01:00 UTC.
    cases = {
        dt.datetime(2026, 3, 28, 22, 59, tzinfo=dt.UTC): dt.date(2026, 3, 28),  # 23:59 CET
        dt.datetime(2026, 3, 28, 23, 0, tzinfo=dt.UTC): dt.date(2026, 3, 29),  # 00:00 CET
        dt.datetime(2026, 6, 30, 21, 59, tzinfo=dt.UTC): dt.date(2026, 6, 30),  # 23:59 CEST
        dt.datetime(2026, 6, 30, 22, 0, tzinfo=dt.UTC): dt.date(2026, 7, 1),  # 00:00 CEST
        dt.datetime(2026, 10, 31, 23, 0, tzinfo=dt.UTC): dt.date(2026, 11, 1),  # 00:00 CET
    }
    seconds = np.array([int(k.timestamp()) for k in cases])
    days = local_days(seconds, AMS).astype("datetime64[D]").tolist()
    assert days == list(cases.values())


def test_many_sessions_are_read_a_chunk_at_a_time(initiative, monkeypatch, django_assert_num_queries):
    from verbinding.insights import extract as extract_module

    build(initiative)
    GuestTally.objects.create(initiative=initiative, session=Session.objects.order_by("start").last(),
                              group="local", count=2)
    whole = extract(initiative, *JAN).dataset
    monkeypatch.setattr(extract_module, "CHUNK", 2)  # 7 sessions: 4 chunks each
    with django_assert_num_queries(7 + 3 + 3):
        chunked = extract(initiative, *JAN).dataset
    for name in ("att_person", "att_session", "session_day", "guests", "org_session", "person_group"):
        assert np.array_equal(getattr(chunked, name), getattr(whole, name)), name
