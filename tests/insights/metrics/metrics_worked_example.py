"""The research note's worked example (§2.3), shared by several test files."""

from __future__ import annotations

import numpy as np

from verbinding.insights.metrics.data import REGULAR, Dataset

A, B, C, D, E, F, G = range(7)
NEWCOMER, RESIDENT = 0, 1
GROUPS = np.array([NEWCOMER] * 3 + [RESIDENT] * 4)
MONDAY_WEEK1 = 20458  # Monday 2026-01-05

# (week, activity, attendees); activity 0 = language café, 1 = cooking, 2 = party.
SESSIONS = [
    (1, 0, [A, D]),
    (2, 0, [A, D]),
    (3, 0, [A, D, B]),
    (1, 1, [B, C, E]),
    (2, 1, [B, C]),
    (3, 1, [B, C, E]),
    # The note gives the party "no week"; placing it in week 3, where every pair
    # it shares with a small session already met, gives no pair an extra week.
    (3, 2, [A, B, C, D, E, F, G]),
]
PARTY = 6


def worked_example(with_party: bool = True) -> Dataset:
    sessions = SESSIONS if with_party else SESSIONS[:PARTY]
    person, session = [], []
    for k, (_, _, who) in enumerate(sessions):
        person += who
        session += [k] * len(who)
    return Dataset.build(
        person_group=GROUPS,
        session_day=[MONDAY_WEEK1 + 7 * (wk - 1) + act for wk, act, _ in sessions],
        session_activity=[act for _, act, _ in sessions],
        activity_kind=[REGULAR, REGULAR, REGULAR],
        att_person=person,
        att_session=session,
    )
