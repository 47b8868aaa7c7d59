"""Dashboard figures from a hand-made snapshot payload: the numbers shown are the hand-computed
ones, group splits of fewer than 5 persons say "fewer than 5" and never the number, and
missing values stay missing (never 0)."""

from __future__ import annotations

import copy

import pytest
from django.utils import translation

from verbinding.insights import figures


def survival(times, surv, n, median=None):
    return {"n": n, "n_events": len(times), "times": times, "at_risk": [n] * len(times),
            "events": [1] * len(times), "survival": surv, "median": median}


def split(n, returned, observable, curve):
    return {"n_persons": n, "cohorts": {"months": [], "size": [], "active": [], "observable": []},
            "returned_within": returned, "return_share": None,
            "return_observable": observable, "survival": curve}


def bridging(n_by_group, ei=0.2, exp=-0.1):
    return {"weighting": "newman", "n_nodes": sum(n_by_group), "n_labelled": sum(n_by_group),
            "n_by_group": n_by_group, "unknown_share": 0.0, "n_edges": 40, "total_weight": 12.5,
            "ei": ei, "ei_expected": exp, "ei_delta": ei - exp, "ei_percentile": 97.5,
            "n_permutations": 1000, "ei_by_group": [0.3, 0.1],
            "ei_expected_by_group": [0.05, -0.2], "assortativity": -0.25,
            "homophily_h": [0.35, 0.45], "homophily_w": [0.4, 0.6],
            "inbreeding_homophily": [-0.083, -0.375]}


def mix_summary(n_sessions, att, pair, blau, mixed_s, mixed_a):
    return {"n_sessions": n_sessions, "n_attendances": att, "mean_pair_share": pair,
            "mean_blau": blau, "share_sessions_mixed": mixed_s, "share_attendances_in_mixed": mixed_a}


def payload(**overrides) -> dict:
    """A quarter at a small meeting place: 12 newcomers, 18 locals, 4 without a label."""
    p = {
        "version": 1,
        "period": {"kind": "quarter", "start": "2026-01-01", "end": "2026-04-01"},
        "calendar": {"24312": "2026-01", "24313": "2026-02", "24314": "2026-03"},
        "activities": {
            "0": {"title": {"nl": "Taalcafé", "en": "Language café"}, "kind": "regular",
                  "format": 0},
            "1": {"title": {"nl": "Moestuin", "en": "Vegetable garden"}, "kind": "project",
                  "format": 1},
        },
        "formats": {"0": "language_cafe", "1": "creative_project"},
        "groups": {"0": "newcomer", "1": "local"},
        "sessions": {"activity": [0, 1], "date": ["2026-01-05", "2026-01-06"], "format": [0, 1]},
        "counts": {
            "persons": 34, "persons_by_group": [12, 18, 4], "labelled": 30, "attendances": 200,
            "sessions": 20, "guest_visits_by_group": [7, 3, 11], "guest_visits": 21,
            "persons_by_activity": {"0": [10, 15, 3], "1": [3, 6, 1]},
            "persons_by_format": {"0": [10, 15, 3], "1": [3, 6, 1]},
            "persons_by_month": {}, "persons_by_first_kind": {},
            "tie_persons_by_group": [11, 16], "organisers_by_group": [2, 6, 0],
        },
        "surveys": {
            "n_responses": 9,
            "items": [
                {"code": "pleasant", "module": "pulse", "label": "How pleasant",
                 "prompt": "How was talking with people here today?", "adapted": True,
                 "source": "x", "answer_codes": ["1", "2", "3"],
                 "answer_labels": {"1": "Bad", "2": "OK", "3": "Good"},
                 "counts": {"1": 1, "2": 2, "3": 5, "rather_not_say": 1}, "n_offered": 9,
                 "n_responses": 9, "n_rather_not_say": 1, "n_answered": 8},
                {"code": "outside", "module": "pulse", "label": "Met outside",
                 "prompt": "", "adapted": True, "source": "x", "answer_codes": ["no", "yes"],
                 "answer_labels": {"no": "No", "yes": "Yes"},
                 "counts": {"no": 1, "yes": 2, "rather_not_say": 0}, "n_offered": 9,
                 "n_responses": 3, "n_rather_not_say": 0, "n_answered": 3},
            ],
            "modules": [],
        },
        "metrics": {
            "params": {},
            "reach": {
                "months": [24312, 24313, 24314],
                "persons": [[8, 12, 3], [9, 14, 2], [3, 10, 0]],
                "guest_visits": [[2, 1, 4], [3, 1, 4], [2, 1, 3]],
                "persons_total": [23, 25, 13], "guest_visits_total": [7, 8, 6],
                "unknown_share_persons": [0.13, 0.08, 0.0],
                "unknown_share_all": [0.2, 0.1, None],
            },
            "mix": {
                "sessions": {"labelled": [], "headcount": [], "pair_share": [], "blau": [],
                             "mixed": []},
                "overall": mix_summary(20, 200, 0.45, 0.22, 0.6, 0.7),
                "by_activity": {"0": mix_summary(14, 150, 0.5, 0.25, 0.7, 0.8),
                                "1": mix_summary(6, 50, 0.3, 0.15, 0.3, 0.4)},
                "by_format": {"0": mix_summary(14, 150, 0.5, 0.25, 0.7, 0.8),
                              "1": mix_summary(6, 50, 0.3, 0.15, 0.3, 0.4)},
            },
            "ties": {"n_eligible_sessions": 18, "n_edges": 60,
                     "bridging": {"newman": bridging([11, 16]), "naive": bridging([11, 16]),
                                  "binary": bridging([11, 16])}},
            "durable": {
                "n_durable": 10, "n_durable_labelled": 9, "n_durable_cross": 4, "cross_share": 0.44,
                "persons_by_group": [12, 18], "eligible_by_group": [8, 10],
                "with_cross_tie_by_group": [6, 3],
                "share_with_cross_tie": [0.5, 0.1667],
                "share_with_cross_tie_eligible": [0.75, 0.3],
                "time_to_first_cross": [survival([4.0, 6.0], [0.75, 0.5], 12, 6.0),
                                        survival([5.0], [0.8], 18)],
                "persistence": {"months": [], "active": [], "continued": [], "persistence": []},
                "persistence_cross": {"months": [], "active": [], "continued": [],
                                      "persistence": []},
                "projects": {"activity": [1], "end_day": [20500], "follow_up_days": [30],
                             "formed": [8], "continued": [2], "formed_cross": [4],
                             "continued_cross": [1]},
            },
            "retention": {
                "overall": split(34, 20, 30, survival([8.0], [0.6], 34)),
                "by_group": [split(12, 7, 10, survival([], [], 12)),
                             split(18, 10, 16, survival([], [], 18))],
                "unknown_group": split(4, 3, 4, survival([], [], 4)),
                "by_first_kind": {
                    "regular": split(30, 18, 27, survival([2.0, 6.0], [0.8, 0.4], 30, 6.0)),
                    "project": split(4, 2, 3, survival([3.0], [0.5], 4, 3.0)),
                },
            },
            "investment": {
                "hours_attended": [60.0, 95.5, 10.0], "hours_organised": [4.0, 30.0, 0.0],
                "visitors": [12, 18, 4], "organisers": [2, 6, 0],
                "visitor_share": [0.4, 0.6], "organiser_share": [0.25, 0.75],
                "representation_ratio": [0.625, 1.25],
            },
        },
    }
    for key, value in overrides.items():
        p[key] = value
    return p


def section(board, key):
    return next(s for s in board.sections if s.key == key)


def figure(board, key):
    return next(f for s in board.sections for f in s.figures if f.key == key)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_reach_shows_persons_by_group_with_the_unlabelled_and_guest_tallies():
    board = figures.dashboard(payload())
    reach = section(board, "reach")
    facts = {f.label: f.value for f in reach.facts}
    assert facts["People who came"] == "34"
    assert facts["Walk-in visits (guests)"] == "21"
    assert facts["Share without a group label"] == "15%"  # mean of 0.2 and 0.1; None skipped
    groups = figure(board, "reach-groups").chart.table.rows
    # 4 persons without a label is a split below 5: suppressed, and the table's other cells
    # are then protected too (secondary suppression), so 4 cannot be recomputed from 34.
    assert groups == (("Newcomers", "hidden"), ("Locals", "18"), ("No label", "fewer than 5"))
    guests = figure(board, "reach-guests").chart.table.rows
    assert guests == (("Newcomers", "7"), ("Locals", "fewer than 5"), ("Rather not say", "11"))


def test_monthly_reach_suppresses_small_cells_and_keeps_the_guest_line():
    rows = figure(figures.dashboard(payload()), "reach-months").chart.table.rows
    assert rows[0][0] == "Jan 2026"
    # 3 unlabelled in January, 2 in February, 3 newcomers in March: "fewer than 5"; other
    # cells are hidden so that none of them follows from the month and group totals.
    assert rows == (("Jan 2026", "hidden", "12", "fewer than 5", "7"),
                    ("Feb 2026", "hidden", "14", "fewer than 5", "8"),
                    ("Mar 2026", "fewer than 5", "10", "hidden", "6"))
    for row in rows:
        for cell in row[1:4]:
            assert cell not in {"1", "2", "3", "4"}


def test_mix_per_activity_is_shown_only_when_each_group_has_five_or_more_or_none():
    board = figures.dashboard(payload())
    facts = {f.label: f.value for f in section(board, "mix").facts}
    assert facts == {"Sessions in this period": "20", "Mixed sessions": "60%", "Visits in a mixed session": "70%"}
    rows = figure(board, "mix-activity").chart.table.rows
    assert rows[0] == ("Language café", "50%", "80%", "0.25")  # busiest first
    assert rows[1] == ("Vegetable garden", "fewer than 5", "fewer than 5", "fewer than 5")
    assert figure(board, "mix-format").chart.table.rows[0][0] == "Language café"


def test_ties_show_ei_against_its_random_mixing_baseline_and_the_permutation_percentile():
    board = figures.dashboard(payload())
    ties = section(board, "ties")
    facts = {f.label: f.value for f in ties.facts}
    assert facts["E-I index"] == "+0.20"
    assert facts["E-I at random mixing"] == "\u22120.10"
    assert facts["Difference"] == "+0.30"
    assert facts["More mixed than shuffled groups"] == "98%"
    ei = figure(board, "ties-ei").chart.table
    assert ei.columns == ("Group", "E-I index", "At random mixing")
    assert ei.rows == (("Everyone", "+0.20", "\u22120.10"), ("Newcomers", "+0.30", "+0.05"),
                       ("Locals", "+0.10", "\u22120.20"))
    ih = figure(board, "ties-homophily").chart.table.rows
    assert ih == (("Newcomers", "\u22120.08"), ("Locals", "\u22120.38"))


def test_network_figures_need_ten_labelled_people_and_five_per_group():
    p = payload()
    for w in ("newman", "naive", "binary"):
        p["metrics"]["ties"]["bridging"][w]["n_by_group"] = [4, 20]
    ties = section(figures.dashboard(p), "ties")
    assert ties.figures == [] and ties.facts == []
    assert "at least 5 in each group" in ties.notes[0]


def test_durable_ties_shares_per_group_with_both_denominators():
    board = figures.dashboard(payload())
    rows = figure(board, "durable-share").chart.table.rows
    # Newcomers: 6 of 12 came, 6 of 8 eligible. Locals: 3 with a tie (< 5) -> suppressed.
    assert rows[0] == ("Newcomers", "50% (6/12)", "75% (6/8)")
    assert rows[1] == ("Locals", "fewer than 5", "fewer than 5")
    time = figure(board, "durable-time").chart
    assert time.table.columns == ("Weeks", "Newcomers", "Locals")
    # Rising curve: share with a tie by week t = 1 - S(t).
    assert time.table.rows[0] == ("4", "25%", "0%")
    assert time.table.rows[1] == ("8", "50%", "20%")
    projects = figure(board, "durable-projects").chart.table.rows
    assert projects == (("Vegetable garden", "25% (2/8)"),)


def test_retention_compares_regular_and_project_and_hides_a_small_split():
    board = figures.dashboard(payload())
    surv = figure(board, "retention-survival")
    assert surv.chart.table.columns == ("Weeks", "First came to a regular activity")
    assert surv.chart.table.rows[0] == ("4", "80%")
    assert surv.chart.table.rows[1] == ("8", "40%")
    assert "First came to a project" in surv.notes[0]
    ret = figure(board, "retention-return").chart.table.rows
    assert ret[0] == ("First came to a regular activity", "67% (18/27)")
    assert ret[1] == ("First came to a project", "fewer than 5")
    facts = {f.label: f.value for f in section(board, "retention").facts}
    assert facts == {"First came to a regular activity": "half had dropped out after 6 weeks"}


def test_who_invests_time_and_the_organiser_representation_ratio():
    board = figures.dashboard(payload())
    hours = figure(board, "investment-hours").chart.table.rows
    assert hours == (("Hours attended", "60", "96"), ("Hours organised", "fewer than 5", "30"))
    ratio = figure(board, "investment-ratio").chart.table.rows
    assert ratio == (("Newcomers", "fewer than 5"), ("Locals", "1.25"))


def test_balance_of_visitors_and_organisers_protects_small_cells():
    rows = figure(figures.dashboard(payload()), "balance").chart.table.rows
    # Visitors 12/18/4: the 4 unlabelled are below 5 and "People who came" (34) is shown,
    # so the whole row goes (else 34 - 12 - 18 gives the 4 back). Organisers 2/6/0: a
    # share of 2 newcomers is not shown, nor the locals' share (it would give the 2 back).
    assert rows == (("Visitors", "hidden", "hidden", "fewer than 5"),
                    ("Organisers", "fewer than 5", "hidden", "0"))


def with_volunteers(volunteers, visitors=(12, 18, 6)) -> dict:
    p = payload()
    p["counts"]["volunteers_by_group"] = volunteers
    p["metrics"]["investment"]["visitors"] = list(visitors)
    return p


def test_balance_shows_visitors_volunteers_and_organisers_side_by_side():
    board = figures.dashboard(with_volunteers([8, 14, 1]))
    balance = section(board, "balance")
    assert balance.title == "Visitors, volunteers and organisers"
    fig = figure(board, "balance")
    assert fig.explanation == ("Everyone both volunteer and participant: are newcomers as "
                               "present among volunteers and organisers as among visitors?")
    assert fig.chart.table.columns == ("Who", "Newcomers", "Locals", "No label")
    # Shares are of the labelled (as on the volunteer path): 12 of 30 visitors, 8 of 22
    # volunteers are newcomers. The one unlabelled volunteer says "fewer than 5".
    assert fig.chart.table.rows == (
        ("Visitors", "40% (12)", "60% (18)", "6"),
        ("Volunteers", "36% (8)", "64% (14)", "fewer than 5"),
        ("Organisers", "fewer than 5", "hidden", "0"),
    )
    assert "Volunteers" in fig.chart.markup
    assert any("not per period" in n for n in fig.notes)


@pytest.mark.parametrize("volunteers", [[6, 9, 1], [3, 1, 0], [4, 4, 4], [1, 0, 0], [12, 3, 9]])
def test_balance_never_shows_a_volunteer_group_of_fewer_than_five(volunteers):
    rows = figure(figures.dashboard(with_volunteers(volunteers)), "balance").chart.table.rows
    assert [r[0] for r in rows] == ["Visitors", "Volunteers", "Organisers"]
    vol = rows[1]
    for n, cell in zip(volunteers, vol[1:], strict=True):
        if 0 < n < 5:
            assert cell == "fewer than 5"
    for row in rows:
        for cell in row[1:]:
            assert not cell.endswith(("(1)", "(2)", "(3)", "(4)"))
            assert cell not in {"1", "2", "3", "4"}
    # 12 newcomers next to 3 locals: the newcomers' share would give the 3 back.
    if volunteers == [12, 3, 9]:
        assert vol == ("Volunteers", "hidden", "fewer than 5", "9")


def test_balance_of_an_old_snapshot_or_without_volunteers_has_no_volunteer_row():
    old = figure(figures.dashboard(payload()), "balance")  # version 1: no volunteer counts
    assert [r[0] for r in old.chart.table.rows] == ["Visitors", "Organisers"]
    assert any("next recompute" in n for n in old.notes)
    none = figure(figures.dashboard(with_volunteers([0, 0, 0], (12, 18, 4))), "balance")
    assert none.chart.table.rows == old.chart.table.rows
    assert any("Nobody held a volunteer role" in n for n in none.notes)
    for damaged in ("lots", {"0": 3}, [None, "x", -7]):
        rows = figure(figures.dashboard(with_volunteers(damaged)), "balance").chart.table.rows
        assert rows[0][0] == "Visitors"


def test_the_balance_section_is_translated():
    with translation.override("nl"):
        fig = figure(figures.dashboard(with_volunteers([10, 10, 5])), "balance")
        assert [r[0] for r in fig.chart.table.rows] == ["Bezoekers", "Vrijwilligers",
                                                        "Organisatoren"]
        assert "Everyone" not in fig.explanation
        assert not [n for n in fig.notes if "Volunteers" in n or "Shares" in n]
    with translation.override("ar"):
        fig = figure(figures.dashboard(with_volunteers([10, 10, 5])), "balance")
        assert "Everyone" not in fig.explanation
        assert "Volunteers" not in fig.chart.markup


def test_survey_items_show_their_answers_only_from_five_answers_and_say_adapted():
    board = figures.dashboard(payload())
    surveys = section(board, "surveys")
    pleasant = figure(board, "survey-pleasant")
    # 1 and 2 answers are below 5: not shown; 5 is.
    assert pleasant.chart.table.rows == (("Bad", "fewer than 5"), ("OK", "fewer than 5"),
                                         ("Good", "63% (5)"))
    assert "adapted, not validated" in pleasant.notes
    assert "8 answers, 1 “rather not say”" in pleasant.notes
    outside = figure(board, "survey-outside")
    assert outside.chart.empty and outside.chart.table.rows == ()
    assert {f.label: f.value for f in surveys.facts} == {"Pulses filled in": "9"}


def test_a_period_without_registered_check_ins_shows_only_surveys():
    p = payload(metrics=None)
    p["counts"]["guest_visits"] = 0
    board = figures.dashboard(p)
    assert not board.has_metrics
    assert [s.key for s in board.sections] == ["surveys"]


def test_a_period_with_walk_in_tallies_only_still_shows_who_was_reached():
    p = payload(metrics=None)
    p["counts"].update({"persons": 0, "persons_by_group": [0, 0, 0], "guest_visits": 21})
    board = figures.dashboard(p)
    assert [s.key for s in board.sections] == ["reach", "surveys"]
    assert figure(board, "reach-guests").chart.table.rows == (
        ("Newcomers", "7"), ("Locals", "fewer than 5"), ("Rather not say", "11"))
    facts = {f.label: f.value for f in section(board, "reach").facts}
    assert facts["Walk-in visits (guests)"] == "21"


def test_missing_values_are_never_shown_as_zero():
    p = payload()
    p["metrics"]["ties"]["bridging"]["newman"]["ei_by_group"] = [None, 0.1]
    p["metrics"]["mix"]["by_activity"]["0"]["mean_pair_share"] = None
    board = figures.dashboard(p)
    assert figure(board, "ties-ei").chart.table.rows[1][1] == "–"
    assert figure(board, "mix-activity").chart.table.rows[0][1] == "–"


def test_hostile_activity_titles_are_escaped_in_the_chart():
    p = payload()
    p["activities"]["0"]["title"] = {"en": "<script>alert(1)</script>"}
    chart = figure(figures.dashboard(p), "mix-activity").chart
    assert "<script>" not in chart.markup
    assert "&lt;script&gt;" in chart.markup


def test_a_sparse_or_damaged_payload_still_renders():
    p = copy.deepcopy(payload())
    p["counts"] = {}
    p["metrics"]["reach"] = {}
    p["metrics"]["durable"] = {}
    p["surveys"] = {}
    board = figures.dashboard(p)
    assert {s.key for s in board.sections} >= {"reach", "durable", "surveys"}


@pytest.mark.parametrize("lang,expected", [("nl", "K1 2026"), ("en", "Q1 2026")])
def test_period_labels_are_localised(lang, expected):
    import datetime as dt

    with translation.override(lang):
        assert figures.period_label("quarter", dt.date(2026, 1, 1)) == expected
        assert figures.period_label("year", dt.date(2026, 1, 1)) == "2026"


def test_fewer_than_five_is_translated():
    with translation.override("nl"):
        assert figures.too_few() == "minder dan 5"
    with translation.override("ar"):
        assert figures.too_few() == "أقل من 5"


def test_survey_answers_of_fewer_than_five_are_protected_like_group_splits():
    p = payload()
    p["surveys"]["items"][0]["counts"] = {"1": 3, "2": 20, "3": 30, "rather_not_say": 0}
    p["surveys"]["items"][0]["n_answered"] = 53
    rows = figure(figures.dashboard(p), "survey-pleasant").chart.table.rows
    assert rows[0] == ("Bad", "fewer than 5")
    assert rows[1] == ("OK", "hidden")  # else 3 = 53 - 20 - 30
    assert rows[2] == ("Good", "57% (30)")


def test_a_survey_prompt_names_the_meeting_place():
    p = payload()
    p["surveys"]["items"][0]["prompt"] = "Did you meet someone from here outside %(place)s?"
    board = figures.dashboard(p, place="De Voorkamer")
    assert figure(board, "survey-pleasant").explanation == (
        "Did you meet someone from here outside De Voorkamer?")
