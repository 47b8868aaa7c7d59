"""The volunteer path, derived from data — pure functions, no Django, no database.

The report (KIS 2019 §4, De Voorkamer) describes a gradual path: visit, come back, organise an
activity once, become a volunteer, organise recurring activities. Nobody types a stage in: each
stage is worked out from what happened, with the date it was reached:

1. first visit      — the person's first check-in in the initiative;
2. returning        — check-ins in at least two distinct ISO weeks (in the initiative's time
                      zone); the date is the first check-in of the second week;
3. organised once   — among an activity's organisers for a session that took place (start in
                      the past, not cancelled); the date is that session's start;
4. volunteer        — holds a volunteer role (accounts.models.VOLUNTEER_ROLES); the date is
                      the earliest time such a role was granted;
5. recurring        — organised sessions that took place in at least three distinct calendar
                      months; the date is the first such session in the third month.

A person's stage is the highest stage with a date. People can skip stages (a coordinator who
never checked in is a volunteer without a first visit): the funnel counts a person as having
*reached* every stage up to their highest one — it is a path, and they are past those steps —
and reports separately how many reached a stage without its own date ("skipped").

The selectors feed these functions with every check-in or with only the first check-in of each
week (and every session or only the first of each month): both give the same answer, which
lets the database do the heavy grouping. See README.md for the reasoning behind each rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum


class Stage(IntEnum):
    FIRST_VISIT = 1
    RETURNING = 2
    ORGANISED_ONCE = 3
    VOLUNTEER = 4
    RECURRING = 5

    @property
    def key(self) -> str:
        return self.name.lower()

    @property
    def next(self) -> Stage | None:
        return Stage(self + 1) if self < Stage.RECURRING else None


STAGES: tuple[Stage, ...] = tuple(Stage)
RETURNING_WEEKS = 2       # distinct ISO weeks with a check-in
RECURRING_MONTHS = 3      # distinct calendar months with an organised session that took place
ACTIVE_DAYS = 90          # suggestions only name people seen (visit or organised) this recently
NEW_DAYS = 30             # a first-time visitor this recent is worth inviting back
MIN_GROUP = 5             # product.md privacy rule 3: inside an initiative a split needs ≥ 5
DRIFT_POINTS = 20         # warn when volunteers' newcomer share is this far from the visitors'
LIST_LIMIT = 12           # people named per stage on the coordinator's page

Week = tuple[int, int]
Month = tuple[int, int]


def week_of(moment: dt.datetime, tz: dt.tzinfo) -> Week:
    iso = moment.astimezone(tz).isocalendar()
    return (iso[0], iso[1])


def month_of(moment: dt.datetime, tz: dt.tzinfo) -> Month:
    local = moment.astimezone(tz)
    return (local.year, local.month)


def _firsts(moments: Iterable[dt.datetime], key) -> dict:
    firsts: dict = {}
    for moment in moments:
        bucket = key(moment)
        if bucket not in firsts or moment < firsts[bucket]:
            firsts[bucket] = moment
    return firsts


def nth_bucket_start(moments: Iterable[dt.datetime], key, n: int) -> tuple[dt.datetime | None, int]:
    """(the earliest moment of the n-th distinct bucket, how many distinct buckets there are)."""
    firsts = _firsts(moments, key)
    if len(firsts) < n:
        return None, len(firsts)
    return firsts[sorted(firsts)[n - 1]], len(firsts)


def returning_since(visits: Iterable[dt.datetime], tz: dt.tzinfo) -> dt.datetime | None:
    """The first check-in of the second distinct ISO week, or None (two visits in one week are
    not "returning")."""
    return nth_bucket_start(visits, lambda m: week_of(m, tz), RETURNING_WEEKS)[0]


def recurring_since(organised: Iterable[dt.datetime], tz: dt.tzinfo) -> dt.datetime | None:
    """The first organised session in the third distinct calendar month, or None."""
    return nth_bucket_start(organised, lambda m: month_of(m, tz), RECURRING_MONTHS)[0]


@dataclass(frozen=True)
class PathFacts:
    """What the path is derived from, for one person (integer id only, never a name)."""

    person_id: int
    visits: tuple[dt.datetime, ...] = ()       # check-ins (all, or the first of each week)
    last_visit: dt.datetime | None = None      # defaults to the latest of `visits`
    organised: tuple[dt.datetime, ...] = ()    # starts of sessions held (all, or first per month)
    last_organised: dt.datetime | None = None  # defaults to the latest of `organised`
    volunteer_since: dt.datetime | None = None


@dataclass(frozen=True)
class PersonPath:
    person_id: int
    dates: Mapping[Stage, dt.datetime] = field(default_factory=dict)
    visit_weeks: int = 0
    organised_months: int = 0
    last_visit: dt.datetime | None = None
    last_organised: dt.datetime | None = None

    @property
    def stage(self) -> Stage | None:
        return max(self.dates) if self.dates else None

    def reached(self, stage: Stage) -> bool:
        return self.stage is not None and self.stage >= stage

    @property
    def skipped(self) -> tuple[Stage, ...]:
        top = self.stage
        if top is None:
            return ()
        return tuple(s for s in STAGES if s < top and s not in self.dates)

    @property
    def last_seen(self) -> dt.datetime | None:
        seen = [m for m in (self.last_visit, self.last_organised) if m is not None]
        return max(seen) if seen else None

    def is_active(self, now: dt.datetime, days: int = ACTIVE_DAYS) -> bool:
        last = self.last_seen
        return last is not None and last >= now - dt.timedelta(days=days)


def derive_path(facts: PathFacts, *, tz: dt.tzinfo) -> PersonPath:
    dates: dict[Stage, dt.datetime] = {}
    if facts.visits:
        dates[Stage.FIRST_VISIT] = min(facts.visits)
    back, weeks = nth_bucket_start(facts.visits, lambda m: week_of(m, tz), RETURNING_WEEKS)
    if back is not None:
        dates[Stage.RETURNING] = back
    if facts.organised:
        dates[Stage.ORGANISED_ONCE] = min(facts.organised)
    again, months = nth_bucket_start(facts.organised, lambda m: month_of(m, tz), RECURRING_MONTHS)
    if again is not None:
        dates[Stage.RECURRING] = again
    if facts.volunteer_since is not None:
        dates[Stage.VOLUNTEER] = facts.volunteer_since
    return PersonPath(
        person_id=facts.person_id,
        dates=dict(sorted(dates.items())),
        visit_weeks=weeks,
        organised_months=months,
        last_visit=facts.last_visit or (max(facts.visits) if facts.visits else None),
        last_organised=facts.last_organised or (max(facts.organised) if facts.organised else None),
    )


# --- The funnel --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelRow:
    stage: Stage
    reached: int    # highest stage is this one or later (the bar)
    here: int       # highest stage is exactly this one
    skipped: int    # reached a later stage without a date for this one
    share: int      # reached, as whole percent of those who reached the first stage (0–100)


def funnel(paths: Iterable[PersonPath]) -> tuple[FunnelRow, ...]:
    here = dict.fromkeys(STAGES, 0)
    skipped = dict.fromkeys(STAGES, 0)
    for path in paths:
        top = path.stage
        if top is None:
            continue
        here[top] += 1
        for stage in path.skipped:
            skipped[stage] += 1
    rows = []
    reached = 0
    for stage in reversed(STAGES):
        reached += here[stage]
        rows.append((stage, reached))
    rows.reverse()
    base = rows[0][1]
    return tuple(
        FunnelRow(stage=stage, reached=n, here=here[stage], skipped=skipped[stage],
                  share=round(100 * n / base) if base else 0)
        for stage, n in rows
    )


# --- Who might take the next step -------------------------------------------------------------

# Which activity formats (activities.models.Format values) a talent (people.vocab.Talent values)
# can carry. A talent may fit several formats; "organising" fits the open, social formats.
TALENT_FORMATS: dict[str, frozenset[str]] = {
    "cooking": frozenset({"cooking", "shared_dinner", "festive"}),
    "baking": frozenset({"cooking", "coffee_games", "shared_dinner"}),
    "music": frozenset({"music_theatre", "festive"}),
    "singing": frozenset({"music_theatre", "festive", "reminiscence"}),
    "dance": frozenset({"music_theatre", "festive", "sport"}),
    "theatre": frozenset({"music_theatre", "reminiscence", "film"}),
    "sewing": frozenset({"creative_project", "womens_cafe", "workshop"}),
    "drawing": frozenset({"creative_project", "workshop"}),
    "photography": frozenset({"creative_project", "film"}),
    "woodwork": frozenset({"creative_project", "workshop"}),
    "bike_repair": frozenset({"workshop"}),
    "gardening": frozenset({"workshop", "creative_project"}),
    "sport": frozenset({"sport"}),
    "teaching_language": frozenset({"language_cafe"}),
    "computers": frozenset({"workshop", "advice"}),
    "hairdressing": frozenset({"womens_cafe", "workshop"}),
    "organising": frozenset({"festive", "shared_dinner", "coffee_games", "other"}),
    "games": frozenset({"coffee_games"}),
    "childcare": frozenset({"festive", "womens_cafe"}),
    "crafts": frozenset({"creative_project", "workshop", "womens_cafe"}),
}


@dataclass(frozen=True)
class Need:
    """An open need: a published activity with a planned session coming up and fewer than two
    organisers (the report favours a mixed organising pair), or none at all."""

    activity_id: int
    format: str
    organisers: frozenset[int] = frozenset()
    women_only: bool = False


def talents_for(talents: Iterable[str], fmt: str) -> tuple[str, ...]:
    return tuple(t for t in talents if fmt in TALENT_FORMATS.get(t, ()))


@dataclass(frozen=True)
class Suggestion:
    person_id: int
    stage: Stage
    talents: tuple[str, ...] = ()      # the person's talents that fit at least one need
    need_ids: tuple[int, ...] = ()     # activity ids of the needs they fit


@dataclass(frozen=True)
class StageSuggestions:
    stage: Stage
    people: tuple[Suggestion, ...]
    total: int                         # before LIST_LIMIT


def _fit(person_id: int, talents: Iterable[str], needs: Iterable[Need],
         women: frozenset[int]) -> tuple[tuple[str, ...], tuple[int, ...]]:
    fitting: list[str] = []
    need_ids: list[int] = []
    talents = tuple(talents)
    for need in needs:
        if person_id in need.organisers or (need.women_only and person_id not in women):
            continue
        matched = talents_for(talents, need.format)
        if matched:
            need_ids.append(need.activity_id)
            fitting.extend(t for t in matched if t not in fitting)
    return tuple(fitting), tuple(need_ids)


def suggest(paths: Iterable[PersonPath], *, now: dt.datetime, talents: Mapping[int, Iterable[str]],
            needs: Iterable[Need], women: frozenset[int] = frozenset(),
            limit: int = LIST_LIMIT) -> tuple[StageSuggestions, ...]:
    """Per stage, the people who might take the next step (one list per stage but the last):

    - first visit → returning: first visit in the last NEW_DAYS days, not back yet (invite back);
    - returning → organised once: regulars seen in the last ACTIVE_DAYS who never organised and
      whose talents fit an open need;
    - organised once → volunteer: organised, seen recently, hold no volunteer role (ask them);
    - volunteer → recurring: volunteers seen recently who do not yet organise regularly; those
      whose talents fit an open need come first.

    `women` are the people who self-described as women (with consent): only they are matched to
    a women-only need.
    """
    needs = tuple(needs)
    buckets: dict[Stage, list[tuple[tuple, Suggestion]]] = {s: [] for s in STAGES[:-1]}
    for path in paths:
        stage = path.stage
        if stage is None or stage == Stage.RECURRING:
            continue
        pid = path.person_id
        if stage == Stage.FIRST_VISIT:
            first = path.dates[Stage.FIRST_VISIT]
            if first >= now - dt.timedelta(days=NEW_DAYS):
                buckets[stage].append(((-first.timestamp(), pid), Suggestion(pid, stage)))
            continue
        if not path.is_active(now):
            continue
        fitting, need_ids = _fit(pid, talents.get(pid, ()), needs, women)
        last = path.last_seen.timestamp() if path.last_seen else 0.0
        if stage == Stage.RETURNING:
            if need_ids:
                key = (-len(need_ids), -path.visit_weeks, pid)
                buckets[stage].append((key, Suggestion(pid, stage, fitting, need_ids)))
        elif stage == Stage.ORGANISED_ONCE:
            buckets[stage].append(((-last, pid), Suggestion(pid, stage, fitting, need_ids)))
        else:  # VOLUNTEER, not yet recurring
            key = (-len(need_ids), -path.organised_months, -last, pid)
            buckets[stage].append((key, Suggestion(pid, stage, fitting, need_ids)))
    result = []
    for stage, items in buckets.items():
        items.sort(key=lambda item: item[0])
        result.append(StageSuggestions(stage, tuple(s for _k, s in items[:limit]), len(items)))
    return tuple(result)


# --- Newcomer / local balance -------------------------------------------------------------------

NEWCOMER, LOCAL = "newcomer", "local"


@dataclass(frozen=True)
class Split:
    """Self-declared groups of one population; `unknown` = not declared or "rather not say"."""

    total: int
    newcomer: int
    local: int

    @property
    def declared(self) -> int:
        return self.newcomer + self.local

    @property
    def unknown(self) -> int:
        return self.total - self.declared

    @property
    def comparable(self) -> bool:
        """Enough declared people to compare shares at all (privacy rule 3: ≥ MIN_GROUP)."""
        return self.declared >= MIN_GROUP

    @property
    def shown(self) -> bool:
        """May the numbers be shown? Only when the split rests on at least MIN_GROUP people and
        no group has 1 to MIN_GROUP − 1 people in it (a small group is a few identifiable
        persons, and with the total shown its complement could be recomputed)."""
        return self.comparable and all(n == 0 or n >= MIN_GROUP for n in (self.newcomer, self.local))

    @property
    def newcomer_share(self) -> float | None:
        return 100 * self.newcomer / self.declared if self.declared else None

    @property
    def local_share(self) -> float | None:
        return 100 * self.local / self.declared if self.declared else None


def split(person_ids: Iterable[int], groups: Mapping[int, str]) -> Split:
    ids = set(person_ids)
    newcomer = sum(1 for p in ids if groups.get(p) == NEWCOMER)
    local = sum(1 for p in ids if groups.get(p) == LOCAL)
    return Split(total=len(ids), newcomer=newcomer, local=local)


class Drift(IntEnum):
    NONE = 0
    FEWER_NEWCOMERS = 1   # newcomers under-represented: locals lead, a dependency risk
    FEWER_LOCALS = 2      # locals under-represented: the mixed team the report favours is lost


def drift(visitors: Split, team: Split, *, points: float = DRIFT_POINTS) -> Drift | None:
    """Compare the newcomer share of a team (volunteers, organisers) with the visitors'.

    None when either side has fewer than MIN_GROUP declared people (nothing to compare)."""
    if not (visitors.comparable and team.comparable):
        return None
    gap = team.newcomer_share - visitors.newcomer_share
    if gap <= -points:
        return Drift.FEWER_NEWCOMERS
    if gap >= points:
        return Drift.FEWER_LOCALS
    return Drift.NONE
