"""Hand-computed cases for reach, session mix, retention, survival, durable ties and
time invested (research note §2.2, §2.5–2.7; formula sheet Appendix A)."""

from __future__ import annotations

import numpy as np
import pytest

from verbinding.insights.metrics import PROJECT, REGULAR, Dataset, MetricParams
from verbinding.insights.metrics.data import month_of_day, week_of_day
from verbinding.insights.metrics.durable import durable_metrics
from verbinding.insights.metrics.investment import investment_metrics
from verbinding.insights.metrics.mix import session_mix
from verbinding.insights.metrics.reach import monthly_reach
from verbinding.insights.metrics.retention import retention_metrics
from verbinding.insights.metrics.survival import kaplan_meier

MONDAY = 20458  # Monday 2026-01-05
JAN_2026 = 2026 * 12


def test_calendar_helpers():
    assert week_of_day(np.array([MONDAY, MONDAY + 6, MONDAY + 7])).tolist() == [
        week_of_day(np.array([MONDAY]))[0],
    ] * 2 + [week_of_day(np.array([MONDAY]))[0] + 1]
    assert month_of_day(np.array([MONDAY, MONDAY + 27])).tolist() == [JAN_2026, JAN_2026 + 1]


def test_session_mix_formulas():
    # Persons 0-2 newcomers, 3-5 residents, 6 no label.
    ds = Dataset.build(
        person_group=[0, 0, 0, 1, 1, 1, -1],
        session_day=[MONDAY] * 4,
        session_activity=[0, 0, 1, 1],
        session_format=[5, 5, 7, 7],
        activity_kind=[REGULAR, REGULAR],
        att_person=[0, 1, 3, 4, 6, 0, 1, 2, 3, 0, 1, 6],
        att_session=[0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3],
        # Session 2: two registered newcomers plus one resident guest; session 3:
        # one unlabelled person and one unlabelled guest.
        guests=[[0, 0, 0], [0, 0, 0], [0, 1, 0], [0, 0, 1]],
    )
    mix = session_mix(ds)
    s = mix.sessions
    # 2 N + 2 R (+1 unknown, not counted): m = 2·2/C(4,2) = 4/6, H = 1 − 2·(1/2)² = 1/2.
    assert s.pair_share[0] == pytest.approx(4 / 6)
    assert s.blau[0] == pytest.approx(0.5)
    assert s.mixed[0]
    # 3 N + 1 R: m = 3/6, H = 1 − (9 + 1)/16; only one resident -> not mixed.
    assert s.pair_share[1] == pytest.approx(0.5)
    assert s.blau[1] == pytest.approx(1 - 10 / 16)
    assert not s.mixed[1]
    # 2 N + 1 resident guest: m = 2/3; the guest counts for composition.
    assert s.pair_share[2] == pytest.approx(2 / 3)
    assert np.isnan(s.pair_share[3]) and not s.mixed[3]
    assert mix.overall.share_sessions_mixed == pytest.approx(1 / 4)
    # Attendances (registered + guests): 5, 4, 3, 2 -> 5 of 14 in the mixed session.
    assert mix.overall.share_attendances_in_mixed == pytest.approx(5 / 14)
    assert mix.by_activity[0].mean_pair_share == pytest.approx((4 / 6 + 0.5) / 2)
    assert mix.by_format[7].n_sessions == 2
    assert mix.by_format[7].mean_pair_share == pytest.approx(2 / 3)  # NaN session skipped


def test_mixed_needs_twenty_percent_of_each_group():
    # 2 residents among 11 labelled (18 %) is not mixed; among 10 (20 %) it is.
    for n_new, mixed in ((9, False), (8, True)):
        n = n_new + 2
        ds = Dataset.build(
            person_group=[0] * n_new + [1, 1],
            session_day=[MONDAY],
            session_activity=[0],
            activity_kind=[REGULAR],
            att_person=list(range(n)),
            att_session=[0] * n,
        )
        assert bool(session_mix(ds).sessions.mixed[0]) is mixed


def test_monthly_reach_counts_distinct_persons_and_tallies():
    ds = Dataset.build(
        person_group=[0, 1, -1],
        session_day=[MONDAY, MONDAY + 2, MONDAY + 30],
        session_activity=[0, 0, 0],
        activity_kind=[REGULAR],
        att_person=[0, 1, 0, 2, 0, 0],  # person 0 twice in session 0: one check-in
        att_session=[0, 0, 1, 1, 2, 0],
        guests=[[2, 0, 1], [0, 0, 0], [0, 3, 0]],
    )
    r = monthly_reach(ds)
    assert r.months.tolist() == [JAN_2026, JAN_2026 + 1]
    assert r.persons.tolist() == [[1, 1, 1], [1, 0, 0]]
    assert r.guest_visits.tolist() == [[2, 0, 1], [0, 3, 0]]
    assert r.unknown_share_persons.tolist() == pytest.approx([1 / 3, 0.0])
    assert r.unknown_share_all.tolist() == pytest.approx([2 / 6, 0.0])


def test_kaplan_meier_textbook():
    # Times 1, 2+, 3, 3, 4+ (+ = censored): S(1) = 4/5, S(3) = 4/5 · (1 − 2/3) = 4/15.
    curve = kaplan_meier(np.array([1, 2, 3, 3, 4]), np.array([1, 0, 1, 1, 0], dtype=bool))
    assert curve.times.tolist() == [1, 3]
    assert curve.at_risk.tolist() == [5, 3]
    assert curve.survival.tolist() == pytest.approx([0.8, 4 / 15])
    assert curve.median == 3
    assert curve.at(2.5) == pytest.approx(0.8)
    assert curve.at(0.5) == 1.0


def retention_case() -> Dataset:
    days = [0, 10, 20, 30, 100, 150, 180, 190, 200]
    visits = {0: [0, 10, 20], 1: [0, 100], 2: [0, 30, 190], 3: [150, 180, 200], 4: [0]}
    person, session = [], []
    for p, ds in visits.items():
        person += [p] * len(ds)
        session += [days.index(d) for d in ds]
    return Dataset.build(
        person_group=[0, 0, 1, 1, -1],
        session_day=[MONDAY + d for d in days],
        # Day 150 is a project session: person 3 starts with a project.
        session_activity=[1 if d == 150 else 0 for d in days],
        activity_kind=[REGULAR, PROJECT],
        att_person=person,
        att_session=session,
    )


def test_retention_return_and_dropout():
    ret = retention_metrics(retention_case())
    o = ret.overall
    # Only person 0 returns within 28 days (day 10); person 2 returns on day 30.
    assert (o.returned_within, o.return_observable) == (1, 5)
    # Dropout (last visit before > 56 days away) in weeks: p1, p4 at 0; p0 at 20/7;
    # p2 at 30/7; p3 still active -> censored at 50/7.
    km = o.survival
    assert km.times.tolist() == pytest.approx([0, 20 / 7, 30 / 7])
    assert km.survival.tolist() == pytest.approx([0.6, 0.4, 0.2])
    assert km.median == pytest.approx(20 / 7)
    assert ret.by_first_kind["project"].n_persons == 1
    assert ret.by_first_kind["project"].survival.n_events == 0
    assert ret.by_first_kind["regular"].n_persons == 4
    assert [s.n_persons for s in ret.by_group] == [2, 2]
    assert ret.unknown_group.n_persons == 1


def test_cohort_triangle():
    c = retention_metrics(retention_case()).overall.cohorts
    jan, jun = 0, 5
    assert c.months[jan] == JAN_2026
    assert c.size[jan] == 4 and c.size[jun] == 1
    # Jan cohort: all 4 in Jan, p2 in Feb (day 30), p1 in Apr (day 100), p2 in Jul.
    assert c.active[jan, :7].tolist() == [4, 1, 0, 1, 0, 0, 1]
    assert c.active[jun, :2].tolist() == [1, 1]
    r = c.retention
    assert r[jan, 1] == pytest.approx(0.25)
    assert np.isnan(r[jun, 2])  # Aug 2026 lies beyond the data


def durable_case() -> Dataset:
    # Persons 0, 1 newcomers; 2, 3 residents; 4 no label.
    sessions, person, session = [], [], []

    def add(week, activity, who):
        sessions.append((MONDAY + 7 * week + activity, activity))
        person.extend(who)
        session.extend([len(sessions) - 1] * len(who))

    for week in range(6):  # 0-2 meet weekly in weeks 0..5 (Jan 5 - Feb 9)
        add(week, 0, [0, 2])
    add(9, 0, [0, 2])  # and again in March
    for week in range(3):  # project (activity 1) with 1 and 3 in weeks 0..2
        add(week, 1, [1, 3])
    add(8, 0, [1, 3, 4])  # after the project ended, 1 and 3 meet again
    add(14, 0, [4])  # the data run into April
    return Dataset.build(
        person_group=[0, 0, 1, 1, -1],
        session_day=[d for d, _ in sessions],
        session_activity=[a for _, a in sessions],
        activity_kind=[REGULAR, PROJECT],
        att_person=person,
        att_session=session,
    )


def test_durable_ties_time_to_first_and_persistence():
    d = durable_metrics(durable_case(), MetricParams())
    # 0-2: weeks 0..5 and 9; the third week (2) spans only 2 weeks, week 4 spans 4.
    # 1-3: weeks 0, 1, 2 (project) and 8: durable in week 8 (span 8).
    assert d.n_durable == 2 and d.n_durable_cross == 2 and d.cross_share == 1.0
    assert d.with_cross_tie_by_group == (1 + 1, 1 + 1)
    assert d.share_with_cross_tie == (1.0, 1.0)
    assert d.eligible_by_group == (2, 2)
    newcomers = d.time_to_first_cross[0]
    assert newcomers.times.tolist() == [4, 8]  # weeks after each one's first visit
    assert newcomers.n == 2 and newcomers.n_events == 2
    assert newcomers.median == 4
    p = d.persistence
    months = p.months.tolist()
    feb, mar, apr = (months.index(JAN_2026 + k) for k in (1, 2, 3))
    # T_Feb = {0-2} (durable Feb 5); T_Mar = {0-2, 1-3}; nobody meets in April.
    assert (p.active[feb], p.continued[feb], p.persistence[feb]) == (1, 1, 1.0)
    assert (p.active[mar], p.continued[mar], p.persistence[mar]) == (2, 0, 0.0)
    assert np.isnan(p.persistence[apr])  # last month of the data: no successor seen


def test_project_ties_that_continue():
    d = durable_metrics(durable_case(), MetricParams())
    pr = d.projects
    assert pr.activity.tolist() == [1]
    assert pr.formed.tolist() == [1] and pr.formed_cross.tolist() == [1]
    assert pr.continued.tolist() == [1]
    assert pr.share_cross_continued == 1.0
    # Require 4 project weeks: the 3-week pair no longer counts as formed.
    strict = durable_metrics(durable_case(), MetricParams(project_tie_min_weeks=4))
    assert strict.projects.formed.tolist() == [0]


def test_time_invested_and_representation_ratio():
    ds = Dataset.build(
        person_group=[0, 0, 1, 1, -1],
        session_day=[MONDAY, MONDAY + 7],
        session_activity=[0, 0],
        session_hours=[2.0, 1.5],
        activity_kind=[REGULAR],
        att_person=[0, 1, 2, 3, 4, 0, 2],
        att_session=[0, 0, 0, 0, 0, 1, 1],
        org_person=[2, 2, 4],
        org_session=[0, 1, 1],
        org_hours=[3.0, 2.5, 1.0],
    )
    inv = investment_metrics(ds)
    assert inv.hours_attended == pytest.approx((2 + 2 + 1.5, 2 + 2 + 1.5, 2.0))
    assert inv.hours_organised == pytest.approx((0.0, 5.5, 1.0))
    assert inv.visitors == (2, 2, 1) and inv.organisers == (0, 1, 1)
    # Organisers with a label: only a resident -> ρ_N = 0 / 0.5, ρ_R = 1 / 0.5.
    assert inv.representation_ratio == pytest.approx((0.0, 2.0))


def test_dataset_rejects_bad_ids():
    with pytest.raises(ValueError, match="att_person"):
        Dataset.build(
            person_group=[0],
            session_day=[MONDAY],
            session_activity=[0],
            activity_kind=[REGULAR],
            att_person=[1],
            att_session=[0],
        )
    with pytest.raises(ValueError, match="person_group"):
        Dataset.build(
            person_group=[2],
            session_day=[MONDAY],
            session_activity=[0],
            activity_kind=[REGULAR],
            att_person=[0],
            att_session=[0],
        )
