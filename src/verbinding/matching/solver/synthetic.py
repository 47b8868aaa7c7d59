"""Deterministic synthetic pools for tests, the benchmark and demo data.

What belongs here: generators that mimic a Dutch neighbourhood pool as described in the
research note (half newcomers, skewed backgrounds, languages that follow background, 4
weekly slots, some women-only requirers, a sparse acquaintance graph) and an exchange
market generator. Only integers come out; the label tables below exist for readers and
for the demo seeder, never for the solver.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from verbinding.matching.solver.exchange import Member
from verbinding.matching.solver.model import (
    Gender,
    Group,
    LanguageSkill,
    Participant,
    Pool,
)

DUTCH, ENGLISH, ARABIC, TIGRINYA, UKRAINIAN, RUSSIAN, DARI, SOMALI = range(8)
TAMAZIGHT, TURKISH, SRANAN = 8, 9, 10

# background id -> (share, own languages with probability each)
NEWCOMER_BACKGROUNDS = {
    1: (0.35, ((ARABIC, 1.0),)),  # Syrian
    2: (0.20, ((TIGRINYA, 1.0), (ARABIC, 0.2))),  # Eritrean
    3: (0.20, ((UKRAINIAN, 1.0), (RUSSIAN, 0.6))),  # Ukrainian
    4: (0.15, ((DARI, 1.0),)),  # Afghan
    5: (0.10, ((SOMALI, 1.0), (ARABIC, 0.3))),  # Somali
}
LOCAL_BACKGROUNDS = {
    10: (0.60, ()),  # Dutch
    11: (0.15, ((ARABIC, 0.6), (TAMAZIGHT, 0.5))),  # Moroccan-Dutch
    12: (0.15, ((TURKISH, 0.8),)),  # Turkish-Dutch
    13: (0.10, ((SRANAN, 0.5),)),  # Surinamese-Dutch
}
SLOTS = (0, 1, 2, 3)  # e.g. Tuesday evening, Thursday evening, Saturday, Sunday
INTERESTS = tuple(range(15))
TALENTS = tuple(range(100, 112))


@dataclass(frozen=True)
class PoolShape:
    p_available: float = 0.5
    newcomer_dutch: float = 0.35
    newcomer_english: float = 0.40
    newcomer_women: float = 0.42  # skewed: more men among newcomers
    women_only_share: float = 0.20  # of newcomer women
    mean_acquaintances: float = 1.5
    same_background_ties: float = 0.7


REALISTIC = PoolShape()
EASY = PoolShape(p_available=0.7, newcomer_dutch=0.5, women_only_share=0.10)


def _pick(rng: random.Random, table: dict) -> int:
    r, acc = rng.random(), 0.0
    for key, (share, _) in table.items():
        acc += share
        if r < acc:
            return key
    return next(reversed(table))


def _zipf_sample(rng: random.Random, items: tuple[int, ...], k: int) -> frozenset[int]:
    weights = [1.0 / (rank + 1) for rank in range(len(items))]
    chosen: set[int] = set()
    while len(chosen) < k:
        chosen.add(rng.choices(items, weights)[0])
    return frozenset(chosen)


def make_pool(n: int, seed: int = 0, shape: PoolShape = REALISTIC) -> Pool:
    rng = random.Random(seed)
    people: list[Participant] = []
    for pid in range(n):
        newcomer = pid < n // 2
        table = NEWCOMER_BACKGROUNDS if newcomer else LOCAL_BACKGROUNDS
        background = _pick(rng, table)
        woman = rng.random() < (shape.newcomer_women if newcomer else 0.55)
        langs: dict[int, int] = {}
        for lang, prob in table[background][1]:
            if rng.random() < prob:
                langs[lang] = 4
        if newcomer:
            if rng.random() < shape.newcomer_dutch:
                langs[DUTCH] = rng.choice((2, 3))
            if rng.random() < shape.newcomer_english:
                langs[ENGLISH] = rng.choice((2, 3, 4))
        else:
            langs[DUTCH] = 4
            if rng.random() < 0.75:
                langs[ENGLISH] = rng.choice((2, 3, 4))
        avail = frozenset(s for s in SLOTS if rng.random() < shape.p_available)
        if not avail:
            avail = frozenset({rng.choice(SLOTS)})
        people.append(
            Participant(
                id=pid,
                group=Group.NEWCOMER if newcomer else Group.LOCAL,
                gender=Gender.WOMAN if woman else Gender.MAN,
                background=background,
                languages=tuple(sorted(LanguageSkill(lang, lvl) for lang, lvl in langs.items())),
                interests=_zipf_sample(rng, INTERESTS, rng.randint(1, 3)),
                talents=_zipf_sample(rng, TALENTS, rng.randint(1, 2)),
                availability=avail,
                women_only=newcomer and woman and rng.random() < shape.women_only_share,
            )
        )
    by_background: dict[int, list[int]] = {}
    for person in people:
        by_background.setdefault(person.background or 0, []).append(person.id)
    edges: set[tuple[int, int]] = set()
    target = round(n * shape.mean_acquaintances / 2)
    attempts = 0
    while len(edges) < target and attempts < 20 * target + 10:
        attempts += 1
        a = rng.randrange(n)
        if rng.random() < shape.same_background_ties:
            b = rng.choice(by_background[people[a].background or 0])
        else:
            b = rng.randrange(n)
        if a != b:
            edges.add((min(a, b), max(a, b)))
    return Pool.build(people, acquaintances=edges)


# Exchange subjects: the first ids are languages one can teach (subject -> language).
LANGUAGE_SUBJECTS = {200: DUTCH, 201: ARABIC, 202: ENGLISH, 203: UKRAINIAN, 204: TURKISH}
SKILL_SUBJECTS = tuple(range(210, 226))  # bike repair, sewing, cooking, ...


def make_market(n: int, seed: int = 0, subjects_per_side: int = 3) -> list[Member]:
    """Members who offer and want a few subjects, derived from a realistic pool."""
    pool = make_pool(n, seed)
    rng = random.Random(seed + 7919)
    skills = SKILL_SUBJECTS
    members = []
    for p in pool.participants:
        spoken = {s.language for s in p.languages if s.level >= 3}
        offers = set(_zipf_sample(rng, skills, rng.randint(1, subjects_per_side)))
        wants = set(_zipf_sample(rng, skills[::-1], rng.randint(1, subjects_per_side)))
        for subject, lang in LANGUAGE_SUBJECTS.items():
            if lang in spoken and rng.random() < 0.3:
                offers.add(subject)  # e.g. the Arabic cafe taught by a newcomer
            elif lang not in spoken and rng.random() < (0.5 if lang == DUTCH else 0.1):
                wants.add(subject)
        members.append(
            Member(
                id=p.id,
                group=p.group,
                gender=p.gender,
                women_only=p.women_only,
                languages=p.languages,
                availability=p.availability,
                offers=frozenset(offers),
                wants=frozenset(wants - offers),
            )
        )
    return members
