"""Input and output records of the team solver: frozen dataclasses with integer ids only.

What belongs here: the vocabulary shared by every solver module and by the Django layer
that calls it -- participants, the pool, the coordinator's parameters, the teams that come
back and the structured explanations attached to them. No behaviour beyond small helpers
that read these records; no names or contact data ever enter this package (ids only), and
no Django import (an import-linter contract checks that).

Explanations are codes plus ids, never English prose: the Django layer translates them.
See docs/algorithms/team-formation.md for how each rule and code is defined.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field


class Group(enum.IntEnum):
    UNKNOWN = 0
    NEWCOMER = 1
    LOCAL = 2


class Gender(enum.IntEnum):
    UNKNOWN = 0
    WOMAN = 1
    MAN = 2


class Rule(enum.IntEnum):
    """The eight rules of the issue; the numbers are the ones coordinators see."""

    SIZE = 1
    BALANCE = 2
    GENDER = 3
    WOMEN_ONLY = 4
    SLOT = 5
    BACKGROUND = 6
    LANGUAGE = 7
    CONSTRAINTS = 8  # pins, forbidden pairs, keep-together sets


STRICT_RULES = frozenset(
    {Rule.SIZE, Rule.BALANCE, Rule.GENDER, Rule.WOMEN_ONLY, Rule.SLOT, Rule.CONSTRAINTS}
)
ELASTIC_RULES = frozenset({Rule.BACKGROUND, Rule.LANGUAGE})


class Status(enum.Enum):
    OPTIMAL = "optimal"  # phase 2 proven optimal (rare: the interest bound is weak)
    FEASIBLE = "feasible"  # all strict rules hold, objective not proven optimal
    RELAXED = "relaxed"  # strict rules could not all be met: see Result.relaxed_rules
    INFEASIBLE = "infeasible"  # strict rules proven jointly impossible (teams still returned)


class Method(enum.Enum):
    RANDOM = "random"
    GREEDY = "greedy"
    CPSAT = "cpsat"
    CPSAT_BLOCKS = "cpsat_blocks"
    CPSAT_ELASTIC = "cpsat_all_elastic"


@dataclass(frozen=True, order=True)
class LanguageSkill:
    language: int
    level: int = 3  # 1 = a few words, 2 = basic, 3 = conversational, 4 = fluent/native


@dataclass(frozen=True)
class Participant:
    id: int
    group: Group = Group.UNKNOWN
    gender: Gender = Gender.UNKNOWN
    background: int | None = None  # category id; None = unknown (never counts for rule 6)
    languages: tuple[LanguageSkill, ...] = ()
    interests: frozenset[int] = frozenset()
    talents: frozenset[int] = frozenset()
    availability: frozenset[int] = frozenset()  # weekly slot ids
    women_only: bool = False


@dataclass(frozen=True)
class Parameters:
    """Every rule can be switched off or tuned; defaults follow the evidence in the digest."""

    min_size: int = 8
    max_size: int = 10
    team_count: int | None = None  # None: round(n / 9) clipped to what the sizes allow
    balance: bool = True
    balance_tolerance: int = 1  # |newcomers - locals| per team
    gender: bool = True
    min_gender_count: int = 2  # a gender present in a mixed team has at least this many
    women_only: bool = True
    women_only_min_size: int | None = None  # None: min_size; smaller lets few women team up
    slot: bool = True
    background: bool = True
    min_background_count: int = 2
    language: bool = True
    bridge_language: int = 0  # language id of Dutch
    min_language_level: int = 2  # below this a language does not count as "spoken"
    constraints: bool = True
    # Objective weights (integers: CP-SAT works on integers).
    weight_interest: int = 2
    weight_acquaintance: int = 2
    weight_talent: int = 1
    themes: tuple[int, ...] | None = None  # candidate themes; None = every interest in the pool
    # Solver controls.
    time_limit: float = 10.0  # seconds of wall time for the whole solve
    seed: int = 0
    num_workers: int = 2
    # Same seed -> same teams: workers interleaved in fixed batches, stopped by a
    # deterministic-time budget of time_limit x dtime_per_second (wall time is only a
    # safety net). False: free-running parallel workers on the wall clock.
    deterministic: bool = True
    dtime_per_second: float = 0.35  # measured 0.4-1.2 per wall second on the loaded 2-core box
    complete_hint: bool = True  # complete the greedy hint with a tiny solve before phase 1
    # Deterministic mode: the objective polish (local.Polish) tries this many moves per
    # second of time_limit (0 = off). Measured 70-140 thousand per wall second at n = 200.
    polish_moves_per_second: int = 30_000
    block_size: int = 200  # pools above 1.5 x this are split into blocks (see blocks.py)

    def size_bounds(self, women_only: bool) -> tuple[int, int]:
        if women_only and self.women_only_min_size is not None:
            return min(self.women_only_min_size, self.min_size), self.max_size
        return self.min_size, self.max_size

    def enabled(self, rule: Rule) -> bool:
        return {
            Rule.SIZE: True,
            Rule.BALANCE: self.balance,
            Rule.GENDER: self.gender,
            Rule.WOMEN_ONLY: self.women_only,
            Rule.SLOT: self.slot,
            Rule.BACKGROUND: self.background,
            Rule.LANGUAGE: self.language,
            Rule.CONSTRAINTS: self.constraints,
        }[rule]


@dataclass(frozen=True)
class Pool:
    participants: tuple[Participant, ...]
    acquaintances: frozenset[tuple[int, int]] = frozenset()  # undirected, stored (low, high)
    pins: tuple[tuple[int, int], ...] = ()  # (person id, team key): same key = same team
    forbidden_pairs: frozenset[tuple[int, int]] = frozenset()  # stored (low, high)
    keep_together: tuple[frozenset[int], ...] = ()

    @staticmethod
    def build(
        participants: Iterable[Participant],
        acquaintances: Iterable[tuple[int, int]] = (),
        pins: Iterable[tuple[int, int]] = (),
        forbidden_pairs: Iterable[tuple[int, int]] = (),
        keep_together: Iterable[Iterable[int]] = (),
    ) -> Pool:
        """Normalise pairs to (low, high) so callers need not care about direction."""
        return Pool(
            participants=tuple(sorted(participants, key=lambda p: p.id)),
            acquaintances=frozenset(_pair(a, b) for a, b in acquaintances if a != b),
            pins=tuple(sorted(set(pins))),
            forbidden_pairs=frozenset(_pair(a, b) for a, b in forbidden_pairs if a != b),
            keep_together=tuple(frozenset(s) for s in keep_together if len(set(s)) > 1),
        )


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


# --- Output ------------------------------------------------------------------------------


class Code(enum.Enum):
    """Explanation codes; the Django layer owns the wording in each language."""

    # Per person: why they are in this team.
    SHARES_THEME = "shares_theme"  # ids: (theme,)
    KNOWS = "knows"  # ids: acquaintances in the team
    SAME_BACKGROUND = "same_background"  # ids: teammates of the same background
    LANGUAGE_BRIDGE_FROM = "language_bridge_from"  # ids: Dutch speakers sharing a language
    BRIDGES_FOR = "bridges_for"  # ids: teammates this person bridges into Dutch
    AVAILABLE_AT_SLOT = "available_at_slot"  # ids: (slot,)
    PINNED = "pinned"  # ids: (team key,)
    KEPT_TOGETHER = "kept_together"  # ids: the others in the set
    NEEDS_WOMEN_ONLY = "needs_women_only"
    # Per person: a rule that is not met for them.
    VIOLATES = "violates"  # rule set; ids: ()
    WAIVED = "waived"  # rule set: nobody in the whole pool can meet it for this person
    # Per team.
    TEAM_WOMEN_ONLY = "team_women_only"
    TEAM_MIX = "team_mix"  # ids: (newcomers, locals, unknown group, women, men, unknown)
    TEAM_THEME_COUNT = "team_theme_count"  # ids: (theme, members sharing it)
    TEAM_SLOT = "team_slot"  # ids: (slot,)
    TEAM_TALENTS = "team_talents"  # ids: distinct talents present
    # Pool-level notes.
    BALANCE_WIDENED = "balance_widened"  # ids: (tolerance used,)
    RELAXATION = "relaxation"  # rule + ids: (parameter value that makes it feasible,)


@dataclass(frozen=True)
class Explanation:
    code: Code
    ids: tuple[int, ...] = ()
    rule: Rule | None = None


@dataclass(frozen=True)
class Violation:
    rule: Rule
    team: int | None  # team index, or None for pool-level problems
    person: int | None  # participant id when the rule is per person


@dataclass(frozen=True)
class Team:
    index: int
    members: tuple[int, ...]
    slot: int | None
    theme: int | None
    women_only: bool = False
    pin_key: int | None = None
    explanations: tuple[Explanation, ...] = ()


@dataclass(frozen=True)
class Relaxation:
    """A smallest change that makes the strict rules satisfiable; the coordinator picks one."""

    rule: Rule
    parameter: str  # name of the Parameters field (or "exclude" for leaving people out)
    value: int | bool
    people: tuple[int, ...] = ()  # for "exclude": who would be left out


@dataclass(frozen=True)
class Score:
    """Everything the benchmark and the tests compare, computed by evaluate.py."""

    strict_violations: int
    elastic_violations: int  # (person, rule) pairs for rules 6 and 7, waived people excluded
    objective: int
    interest: int
    acquainted: int
    talents: int
    violations: tuple[Violation, ...] = ()


@dataclass(frozen=True)
class Result:
    teams: tuple[Team, ...]
    method: Method
    status: Status
    score: Score
    bound: int | None = None  # CP-SAT's upper bound on the objective (phase 2)
    elastic_minimum_proven: bool = False  # phase 1 proved the elastic count minimal
    relaxed_rules: tuple[Rule, ...] = ()
    relaxations: tuple[Relaxation, ...] = ()  # options when strict rules are infeasible
    person_explanations: dict[int, tuple[Explanation, ...]] = field(default_factory=dict)
    notes: tuple[Explanation, ...] = ()
    waived: dict[int, frozenset[Rule]] = field(default_factory=dict)
    wall_time: float = 0.0
    deterministic: bool = True  # False when the wall-clock limit cut a deterministic run

    def team_of(self) -> dict[int, int]:
        return {pid: t.index for t in self.teams for pid in t.members}
