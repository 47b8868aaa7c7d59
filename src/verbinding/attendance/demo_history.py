"""The demo's 18 months of visits: who comes, how often, for how long (pure, no database).

`demo.py` asks two things of this module, with its own seeded `random.Random`:

1. `plan_history` — before anyone is written: for each member a visitor profile (a core regular,
   an occasional visitor or a one-time visitor; one to three "home" activities; an arrival date
   and, for some, a date they stopped coming — moved to another city), the teams of the
   projects (half of each past team arrived *through* the project), the people on the volunteer
   path (first visit → returning → organised a one-off → volunteer role → organises a regular
   activity) and who holds a QR card.
2. `simulate` — once the sessions exist: who was present at each past, not cancelled session.

The patterns the later connection metrics read are deliberate, not uniform noise:
- regulars come most weeks to their one to three activities; occasional visitors now and then;
  a third of the people come once; summer and the last weeks of December are quieter;
- the mix of an activity follows its `newcomer_pull` (coffee nights more newcomers, language
  cafés mixed, improvised theatre more locals);
- project teams are stable (most of the team at most sessions), and people who arrived through
  a project leave less often than people who arrived through a regular activity;
- festive days draw most of the regulars and many occasional visitors.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

# Chance to come to a session of one of your own ("home") activities.
HOME_P = {("core", "weekly"): 0.84, ("core", "monthly"): 0.88,
          ("occasional", "weekly"): 0.35, ("occasional", "monthly"): 0.5}
# Dropping in at someone else's activity now and then.
DROP_IN_P = {"core": 0.04, "occasional": 0.01}
ORGANISER_P = 0.92  # organisers run their own sessions
TEAM_P = 0.9  # a project team member at a session of their project
FESTIVE_P = {"core": 0.55, "occasional": 0.28}
SMALL_ONE_OFF_P = {"core": 0.12, "occasional": 0.05}
# Who stops coming (moved to another city, found work, lost interest), by how they arrived.
LEAVE_P = {"core": 0.18, "occasional": 0.4, "project": 0.1}
KIND_SHARES = (("core", 0.35), ("occasional", 0.45), ("once", 0.2))
PROJECT_RECRUIT_SHARE = 0.5  # of a past project's team: new people who came for the project


@dataclass
class Visitor:
    index: int
    group: str
    women_ok: bool  # may come to women-only activities (described herself as a woman)
    kind: str  # core | occasional | once
    arrive: dt.date
    leave: dt.date | None
    homes: list[str]
    reliability: float
    staff: bool = False
    # People who arrived through a project come to nothing before its first session.
    starts_after: dt.datetime | None = None
    via_project: str | None = None


@dataclass
class SessionInfo:
    id: int
    key: str
    kind: str  # regular | project | one_off
    format: str
    audience: str
    weekly: bool
    start: dt.datetime
    capacity: int | None
    activity_id: int = 0


@dataclass
class HistoryPlan:
    visitors: dict[int, Visitor]
    teams: dict[str, list[int]] = field(default_factory=dict)  # project key → enrolled
    path: list[int] = field(default_factory=list)  # volunteer-path people (organised once)
    organised_on: dict[int, dt.datetime] = field(default_factory=dict)
    volunteer_since: dict[int, dt.datetime] = field(default_factory=dict)
    recurring: dict[int, str] = field(default_factory=dict)  # index → regular activity key
    extra_organisers: dict[str, list[int]] = field(default_factory=dict)
    cards: dict[int, dt.date] = field(default_factory=dict)  # index → card issued on


def _is_weekly(rrule: str) -> bool:
    return "FREQ=WEEKLY" in rrule


def plan_history(rng: random.Random, plan, specs, starts: dict[str, dt.datetime],
                 reference: dt.datetime) -> HistoryPlan:
    """Visitor profiles for one place. Changes `plan.members[*].joined_days_ago` of the people
    who arrived through a project, and makes volunteer-path people describe themselves (like
    every volunteer, they filled in their profile)."""
    today = reference.date()
    members = plan.members
    by_index = {m.index: m for m in members}
    regulars = [s for s in specs if s.kind == "regular"]
    staff_ids = {i for pair in plan.organisers.values() for i in pair}
    staff_ids |= {m.index for m in members if m.roles or m.demo_login}

    def women_ok(m) -> bool:
        return m.consent and m.described_gender == "woman"

    def affinity(m, spec) -> float:
        pull = spec.newcomer_pull if m.group == "newcomer" else 1 - spec.newcomer_pull
        return pull * (1.0 + 2.0 * len(set(spec.draws) & set(m.interests)))

    def pick_homes(m, k: int, fixed: list[str]) -> list[str]:
        pool = [s for s in regulars if s.key not in fixed
                and (s.audience != "women" or women_ok(m))]
        weights = [affinity(m, s) for s in pool]
        homes = list(fixed)
        while pool and len(homes) < k:
            i = rng.choices(range(len(pool)), weights=weights)[0]
            homes.append(pool.pop(i).key)
            weights.pop(i)
        return homes

    visitors: dict[int, Visitor] = {}
    for m in members:
        arrive = today - dt.timedelta(days=m.joined_days_ago)
        if m.index in staff_ids:
            own = [k for k, pair in plan.organisers.items() if m.index in pair
                   and any(s.key == k and s.kind == "regular" for s in regulars)]
            homes = pick_homes(m, max(len(own), 1) + 1, own)
            visitors[m.index] = Visitor(m.index, m.group, women_ok(m), "core", arrive, None,
                                        homes, rng.uniform(0.9, 1.1), staff=True)
            continue
        kind = _weighted_kind(rng)
        k = {"core": rng.randint(2, 4), "occasional": rng.randint(1, 2),
             "once": 1}[kind]
        leave = _leave_date(rng, kind, arrive, today)
        visitors[m.index] = Visitor(m.index, m.group, women_ok(m), kind, arrive, leave,
                                    pick_homes(m, k, []), rng.uniform(0.75, 1.15))

    history = HistoryPlan(visitors=visitors)
    _plan_project_teams(rng, history, plan, specs, starts, reference, staff_ids, by_index)
    _plan_volunteer_path(rng, history, plan, specs, starts, reference, staff_ids, by_index)
    _plan_cards(rng, history, plan, today)
    return history


def _weighted_kind(rng: random.Random) -> str:
    roll, total = rng.random(), 0.0
    for kind, share in KIND_SHARES:
        total += share
        if roll < total:
            return kind
    return KIND_SHARES[-1][0]


def _leave_date(rng: random.Random, kind: str, arrive: dt.date, today: dt.date,
                leave_p: float | None = None) -> dt.date | None:
    if kind == "once":
        return None  # they simply never come back; nothing to date
    p = LEAVE_P[kind] if leave_p is None else leave_p
    if rng.random() >= p:
        return None
    span = (today - arrive).days
    if span < 75:
        return None
    return arrive + dt.timedelta(days=rng.randint(60, span - 7))


def _plan_project_teams(rng, history: HistoryPlan, plan, specs, starts, reference, staff_ids,
                        by_index) -> None:
    """Teams of projects that have started: half newcomers to the place (who came for the
    project and stay longer on average), half people who were already around."""
    today = reference.date()
    visitors = history.visitors
    taken: set[int] = set()
    for spec in sorted((s for s in specs if s.kind == "project"), key=lambda s: starts[s.key]):
        start = starts[spec.key]
        if start >= reference:
            continue  # a future project: its team signs up through the enrol service
        ongoing = start + dt.timedelta(weeks=(spec.planned_sessions or 8) - 1) >= reference
        capacity = spec.capacity or 10
        size = capacity + (rng.randint(2, 4) if ongoing else -rng.randint(0, 2))
        size = max(3, round(size * min(1.0, len(plan.members) / 60)))
        eligible = [v for v in visitors.values() if v.index not in staff_ids
                    and (spec.audience != "women" or v.women_ok)]
        start_day = start.date()
        # Recruits: the people whose own arrival lies closest to the project's start. A project
        # that has only just begun has not yet drawn new people in (its team were visitors).
        weeks_ago = (reference - start).days / 7
        share = PROJECT_RECRUIT_SHARE if weeks_ago >= 26 else 0.3 if weeks_ago >= 12 else 0.0
        n_new = round(size * share)
        fresh = sorted((v for v in eligible if v.index not in taken and v.via_project is None),
                       key=lambda v: (abs((v.arrive - start_day).days), v.index))[:n_new]
        for v in fresh:
            v.arrive = start_day - dt.timedelta(days=rng.randint(1, 14))
            v.starts_after = start
            v.via_project = spec.key
            v.kind = "core" if rng.random() < 0.5 else "occasional"
            if v.kind == "core" and len(v.homes) < 2:
                extra = [s for s in specs if s.kind == "regular" and s.key not in v.homes
                         and (s.audience != "women" or v.women_ok)]
                if extra:
                    v.homes.append(rng.choice(extra).key)
            v.leave = _leave_date(rng, v.kind, v.arrive, today, leave_p=LEAVE_P["project"])
            by_index[v.index].joined_days_ago = (today - v.arrive).days
        # The rest of the team: people already coming, still around when the project started.
        around = [v for v in eligible if v.kind != "once" and v.arrive < start_day
                  and (v.leave is None or v.leave > start_day + dt.timedelta(weeks=8))
                  and v.index not in {f.index for f in fresh}]
        rng.shuffle(around)
        around.sort(key=lambda v: v.kind != "core")
        team = [v.index for v in fresh] + [v.index for v in around[: size - len(fresh)]]
        taken |= set(team)
        history.teams[spec.key] = team


def _plan_volunteer_path(rng, history: HistoryPlan, plan, specs, starts, reference, staff_ids,
                         by_index) -> None:
    """Some regulars organise a one-off once (with an experienced organiser), some of them then
    take a volunteer role, and a few go on to co-organise a regular activity. More locals than
    newcomers take these steps (the report's warning about who ends up organising)."""
    visitors = history.visitors
    slots = sorted(
        (s for s in specs if s.kind == "one_off" and starts[s.key] < reference
         and (s.path or s.format == "festive")),
        key=lambda s: (not s.path, starts[s.key]),
    )
    n_path = min(len(slots), max(2, round(len(plan.members) * 0.045)))
    local_weight = 0.62 if plan.spec.slug == "buurtkamer" else 0.68
    candidates = [v for v in visitors.values() if v.index not in staff_ids and v.kind == "core"
                  and v.leave is None and not by_index[v.index].on_behalf]
    chosen: list[Visitor] = []
    while candidates and len(chosen) < n_path:
        weights = [local_weight if v.group == "local" else 1 - local_weight for v in candidates]
        i = rng.choices(range(len(candidates)), weights=weights)[0]
        chosen.append(candidates.pop(i))
    # Match people to one-offs by time: each organises something some weeks after arriving.
    free = list(slots)
    for v in sorted(chosen, key=lambda v: (v.arrive, v.index)):
        fits = [s for s in free if starts[s.key].date() >= v.arrive + dt.timedelta(days=42)]
        if not fits:
            continue
        slot = min(fits, key=lambda s: (not s.path, starts[s.key]))
        free.remove(slot)
        history.path.append(v.index)
        history.organised_on[v.index] = starts[slot.key]
        history.extra_organisers.setdefault(slot.key, []).append(v.index)
        m = by_index[v.index]
        m.consent = True
        m.described_group, m.described_gender = m.group, m.gender
        v.women_ok = m.gender == "woman"
    # Volunteers: the earlier ones on the path take the role some weeks after organising.
    path = sorted(history.path, key=lambda i: history.organised_on[i])
    n_volunteers = max(1, math.ceil(len(path) * 0.6))
    for i in path[:n_volunteers]:
        since = history.organised_on[i] + dt.timedelta(days=rng.randint(14, 45))
        history.volunteer_since[i] = min(since, reference - dt.timedelta(days=2))
    # Recurring organisers: the first volunteers co-organise one of their home activities.
    n_recurring = max(1, math.ceil(len(path) * 0.35))
    for i in path[:n_recurring]:
        v = visitors[i]
        homes = [k for k in v.homes if any(s.key == k and (s.audience != "women" or v.women_ok)
                                           for s in specs)]
        if homes:
            history.recurring[i] = homes[0]
            history.extra_organisers.setdefault(homes[0], []).append(i)


def _plan_cards(rng, history: HistoryPlan, plan, today: dt.date) -> None:
    """QR cards: everyone registered on their behalf, and some newcomers without email."""
    for m in plan.members:
        v = history.visitors[m.index]
        if m.on_behalf:
            history.cards[m.index] = v.arrive
        elif (m.group == "newcomer" and not m.demo_login and not m.roles and v.kind != "once"
              and rng.random() < 0.08):
            history.cards[m.index] = min(today, v.arrive + dt.timedelta(days=rng.randint(0, 60)))


def _season(day: dt.date) -> float:
    if day.month in (7, 8):
        return 0.72  # summer holidays
    if (day.month == 12 and day.day >= 20) or (day.month == 1 and day.day <= 4):
        return 0.8
    return 1.0


def simulate(rng: random.Random, history: HistoryPlan, sessions: list[SessionInfo],
             organisers: dict[str, list[int]], festive: set[str],
             pulls: dict[str, float]) -> dict[int, list[int]]:
    """Who was present at each session (session id → member indexes, in order of arrival).

    `sessions` are the past, not cancelled sessions of one place; `organisers` maps an
    activity key to its organisers' indexes; `festive` holds the keys of festive one-offs;
    `pulls` the activities' newcomer pull (see ActivitySpec)."""
    visitors = sorted(history.visitors.values(), key=lambda v: v.index)
    seen: set[int] = set()  # came at least once
    present: dict[int, list[int]] = {}
    team_of = {key: set(team) for key, team in history.teams.items()}
    dropped: set[tuple[str, int]] = set()
    for s in sorted(sessions, key=lambda s: (s.start, s.id)):
        day = s.start.date()
        season = _season(day)
        runs = set(organisers.get(s.key, ()))
        here: list[int] = []
        for v in visitors:
            if v.arrive > day or (v.leave is not None and day > v.leave):
                continue
            if s.audience == "women" and not v.women_ok:
                continue
            if v.starts_after is not None and s.start < v.starts_after:
                continue
            if v.kind == "once" and v.index in seen:
                continue
            if v.index in runs:
                p = ORGANISER_P
            elif s.kind == "project":
                if v.index not in team_of.get(s.key, ()) or (s.key, v.index) in dropped:
                    continue
                p = TEAM_P * min(1.0, 0.6 + 0.4 * v.reliability)
                if rng.random() < 0.012:  # now and then someone drops out of a team
                    dropped.add((s.key, v.index))
                    continue
            elif s.kind == "one_off":
                if v.kind == "once":
                    # Some people's one visit is a festive day soon after they arrived.
                    p = 0.5 if s.key in festive and (day - v.arrive).days <= 21 else 0.0
                elif s.key in festive:
                    p = FESTIVE_P[v.kind]
                else:
                    p = SMALL_ONE_OFF_P[v.kind] * (2.0 if v.kind == "core" else 1.0)
            elif s.key in v.homes:
                if v.index not in seen:
                    p = 1.0  # the first visit, soon after arriving
                elif v.kind == "once":
                    continue
                else:
                    p = HOME_P[(v.kind, "weekly" if s.weekly else "monthly")] * v.reliability
                    p *= season
            else:
                if v.kind == "once":
                    continue
                # Dropping in follows the activity's mix too (coffee nights draw newcomers).
                pull = pulls.get(s.key, 0.5)
                p = DROP_IN_P[v.kind] * season * 2 * (pull if v.group == "newcomer" else 1 - pull)
            if p >= 1.0 or rng.random() < p:
                here.append(v.index)
        if s.capacity is not None and len(here) > s.capacity:
            # Full: the organisers and the first to arrive are in, the rest are not.
            keep = [i for i in here if i in runs]
            rest = [i for i in here if i not in runs]
            rng.shuffle(rest)
            here = keep + rest[: max(0, s.capacity - len(keep))]
        rng.shuffle(here)
        present[s.id] = here
        seen.update(here)
    return present
