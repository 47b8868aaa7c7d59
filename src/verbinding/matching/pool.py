"""From the database to the solver and back: build a project's pool, freeze it as a JSON
snapshot, and turn a snapshot into the solver's frozen dataclasses again.

What belongs here: every mapping between Django rows and solver integers -- enrolled people
(confirmed project enrolments), self-described group and gender (consented rows only;
anything else is unknown), spoken languages with their level, interests, talents and
availability (indices into `people.vocab`), the women-only requirement, acquaintances from
co-attendance, coordinator pins and pair rules. The snapshot keeps integer ids only plus a
map from solver ids to Person ids, and the vocabularies it was built with, so a stored run
can be re-solved and explained later. Decisions are documented in
docs/algorithms/team-formation.md, section "Screens".
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from itertools import combinations

from django.db.models import Count

from verbinding.activities.models import Activity
from verbinding.attendance.models import CheckIn, Registration
from verbinding.matching.models import PairRule
from verbinding.matching.solver.model import (
    Gender,
    Group,
    LanguageSkill,
    Parameters,
    Participant,
    Pool,
)
from verbinding.people.models import Person, PersonLanguage, SelfDescription
from verbinding.people.selectors import history_cutoff
from verbinding.people.vocab import AVAILABILITY_SLOTS, Interest, Language, LanguageLevel, Talent

SNAPSHOT_VERSION = 1
# Two people "know each other" when both checked in at this many of the same sessions...
ACQUAINTED_AFTER = 2
# ...not counting sessions this crowded (a festival says little about who knows whom).
CROWDED_SESSION = 25
# "A little" does not count as speaking a language for the language path (rule 7).
LEVELS = {LanguageLevel.BASIC: 1, LanguageLevel.GOOD: 3, LanguageLevel.FLUENT: 4}
GROUPS = {SelfDescription.Group.NEWCOMER: Group.NEWCOMER, SelfDescription.Group.LOCAL: Group.LOCAL}
GENDERS = {SelfDescription.Gender.WOMAN: Gender.WOMAN, SelfDescription.Gender.MAN: Gender.MAN}


def vocab() -> dict[str, list[str]]:
    return {
        "languages": list(Language.values),
        "interests": list(Interest.values),
        "talents": list(Talent.values),
        "slots": list(AVAILABILITY_SLOTS),
    }


def enrolled_people(activity: Activity):
    """People with a confirmed enrolment in the project (session null), not erased."""
    return (
        Person.objects.filter(
            initiative_id=activity.initiative_id,
            anonymised_at__isnull=True,
            registrations__activity=activity,
            registrations__session__isnull=True,
            registrations__status=Registration.Status.CONFIRMED,
        )
        .distinct()
        .order_by("pk")
    )


def acquaintances(initiative_id: int, person_ids: list[int]) -> set[tuple[int, int]]:
    """Pairs of Person ids who were at >= ACQUAINTED_AFTER of the same sessions (sessions of
    more than CROWDED_SESSION people excluded; only history inside the privacy window)."""
    if len(person_ids) < 2:
        return set()
    crowded = (
        CheckIn.objects.filter(initiative_id=initiative_id)
        .values("session_id")
        .annotate(n=Count("id"))
        .filter(n__gt=CROWDED_SESSION)
        .values("session_id")
    )
    rows = (
        CheckIn.objects.filter(
            initiative_id=initiative_id, person_id__in=person_ids, at__gte=history_cutoff()
        )
        .exclude(session_id__in=crowded)
        .values_list("session_id", "person_id")
        .order_by("session_id", "person_id")
    )
    by_session: dict[int, list[int]] = {}
    for session_id, person_id in rows:
        by_session.setdefault(session_id, []).append(person_id)
    shared: Counter[tuple[int, int]] = Counter()
    for people in by_session.values():
        shared.update(combinations(sorted(set(people)), 2))
    return {pair for pair, n in shared.items() if n >= ACQUAINTED_AFTER}


def build_snapshot(activity: Activity, pins: dict[int, int] | None = None) -> dict:
    """The pool of `activity` as JSON: solver ids 1..n in Person-id order.

    `pins` maps Person id -> team key (same key = same team), e.g. from a previous run's
    pinned people and locked teams.
    """
    people = list(enrolled_people(activity).prefetch_related("languages"))
    sid = {p.pk: i for i, p in enumerate(people, start=1)}
    described = {
        d.person_id: d for d in SelfDescription.objects.filter(person_id__in=sid)
    }
    langs = vocab()
    index = {key: {code: i for i, code in enumerate(codes)} for key, codes in langs.items()}
    women_project = activity.audience == Activity.Audience.WOMEN
    participants = []
    for p in people:
        d = described.get(p.pk)
        spoken = sorted(
            [index["languages"][pl.language], LEVELS.get(pl.level, 3)]
            for pl in p.languages.all()
            if pl.kind == PersonLanguage.Kind.SPEAKS and pl.language in index["languages"]
        )
        participants.append({
            "id": sid[p.pk],
            "group": int(GROUPS.get(d.group, Group.UNKNOWN)) if d else int(Group.UNKNOWN),
            "gender": int(GENDERS.get(d.gender, Gender.UNKNOWN)) if d else int(Gender.UNKNOWN),
            "background": None,  # not recorded: we keep no nationality or origin (privacy rule 1)
            "languages": spoken,
            "interests": sorted({index["interests"][c] for c in p.interests or []
                                 if c in index["interests"]}),
            "talents": sorted({index["talents"][c] for c in p.talents or [] if c in index["talents"]}),
            "availability": sorted({index["slots"][c] for c in p.availability or []
                                    if c in index["slots"]}),
            "women_only": women_project,
        })
    pairs = acquaintances(activity.initiative_id, list(sid))
    rules = PairRule.objects.filter(activity=activity, person_a_id__in=sid, person_b_id__in=sid)
    return {
        "version": SNAPSHOT_VERSION,
        "participants": participants,
        "acquaintances": sorted([sid[a], sid[b]] for a, b in pairs),
        "pins": sorted([sid[p], key] for p, key in (pins or {}).items() if p in sid),
        "forbidden": sorted([sid[r.person_a_id], sid[r.person_b_id]]
                            for r in rules if r.kind == PairRule.Kind.APART),
        "keep_together": sorted([sid[r.person_a_id], sid[r.person_b_id]]
                                for r in rules if r.kind == PairRule.Kind.TOGETHER),
        "people": {str(i): pk for pk, i in sid.items()},
        "vocab": langs,
    }


def pool_from_snapshot(snapshot: dict, pins: list[list[int]] | None = None) -> Pool:
    participants = [
        Participant(
            id=int(p["id"]),
            group=Group(p["group"]),
            gender=Gender(p["gender"]),
            background=p.get("background"),
            languages=tuple(LanguageSkill(int(lang), int(level)) for lang, level in p["languages"]),
            interests=frozenset(p["interests"]),
            talents=frozenset(p["talents"]),
            availability=frozenset(p["availability"]),
            women_only=bool(p["women_only"]),
        )
        for p in snapshot.get("participants", [])
    ]
    return Pool.build(
        participants,
        acquaintances=[tuple(x) for x in snapshot.get("acquaintances", [])],
        pins=[tuple(x) for x in (snapshot.get("pins", []) if pins is None else pins)],
        forbidden_pairs=[tuple(x) for x in snapshot.get("forbidden", [])],
        keep_together=snapshot.get("keep_together", []),
    )


PARAM_FIELDS = {f.name for f in dataclasses.fields(Parameters)}


def params_to_json(params: Parameters) -> dict:
    return dataclasses.asdict(params)


def params_from_json(data: dict) -> Parameters:
    values = {k: v for k, v in data.items() if k in PARAM_FIELDS}
    if values.get("themes") is not None:
        values["themes"] = tuple(values["themes"])
    return Parameters(**values)


def bridge_language() -> int:
    return list(Language.values).index(Language.NL)
