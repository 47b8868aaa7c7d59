"""Writes of the talent exchange: offers and wants, matching rounds, answers and outcomes.

The matching itself is the pure solver in verbinding.matching.solver.exchange; this module
builds its input from the database (offers, wants, spoken languages, availability and, with
consent only, the self-declared group for the cross-group preference), stores the input as
a snapshot on an ExchangeRound, runs it in a background task and stores the lessons.

Rules that live here (see README.md):
- The pool: people with at least one offer and one want who are not in a proposed exchange and
  not in one confirmed less than FOLLOW_UP_WEEKS ago.
- A cycle is declined as a whole when anyone in it says no; its people return to the pool and
  are matched again at the next run. A run never proposes again a lesson someone declined in the
  last DECLINE_MEMORY_WEEKS: the person who declined it sits that run out instead.
- "Did it happen?" is asked FOLLOW_UP_WEEKS after a lesson was confirmed, of its two people only.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verbinding.core.errors import DomainError, register_messages
from verbinding.exchange import subjects
from verbinding.exchange.models import (
    Answer,
    ExchangeMatch,
    ExchangeRound,
    Happened,
    Offer,
    Want,
)
from verbinding.people.models import Person, PersonLanguage, SelfDescription
from verbinding.people.vocab import AVAILABILITY_SLOTS, Language

# Weeks after a lesson is confirmed before its two people are asked "did it happen?". A few
# weeks gives a weekly lesson time to take place two or three times; a constant, not a setting,
# so every initiative's outcome counts mean the same thing.
FOLLOW_UP_WEEKS = 4
# How long a declined lesson is remembered so the same lesson is not proposed again.
DECLINE_MEMORY_WEEKS = 12
MAX_OFFERS = 10
MAX_WANTS = 10
TITLE_MAX = 80
# A run that has not finished after this long is treated as lost (worker stopped): a new run may start.
STALE_ROUND_MINUTES = 30
SOLVER_SECONDS = 10.0

LEVELS = {"basic": 2, "good": 3, "fluent": 4}
GROUPS = {"newcomer": 1, "local": 2}

register_messages({
    "exchange_subject_invalid": _("Choose a talent or a language from the list."),
    "exchange_language_invalid": _("Choose languages from the list."),
    "exchange_title_too_long": _("Keep it short: at most 80 characters."),
    "exchange_title_characters": _("This text contains hidden or control characters. Please type it again."),
    "exchange_offer_exists": _("You already offer this."),
    "exchange_want_exists": _("You already asked for this."),
    "exchange_too_many_offers": _("You can offer at most 10 things. Remove one first."),
    "exchange_too_many_wants": _("You can ask for at most 10 things. Remove one first."),
    "exchange_round_running": _("Matching is already running. Please wait until it is done."),
    "exchange_pool_too_small": _("Not enough people yet: at least two members need an offer and a want."),
    "exchange_already_decided": _("This exchange has already been decided."),
    "exchange_answer_invalid": _("Choose yes or no."),
    "exchange_not_confirmed": _("This lesson was not confirmed, so there is nothing to report."),
    "exchange_too_early": _("It is too early to ask. We will ask you a few weeks after the start."),
})


# --- Offers and wants -------------------------------------------------------------------------

def _clean_subject(subject: str) -> dict:
    kind, _sep, value = (subject or "").partition(":")
    if kind == "talent" and value in subjects.TALENT_IDS:
        return {"talent": value, "language": ""}
    if kind == "language" and value in subjects.LANGUAGE_IDS:
        return {"talent": "", "language": value}
    raise DomainError("exchange_subject_invalid")


def _clean_languages(languages) -> list[str]:
    values = list(languages or [])
    if len(values) > len(Language.values) or any(v not in Language.values for v in values):
        raise DomainError("exchange_language_invalid")
    return sorted(set(values), key=Language.values.index)


def has_hidden_characters(text: str) -> bool:
    return any(unicodedata.category(c).startswith("C") for c in text)


def _clean_title(title: str) -> str:
    title = (title or "").strip()
    if has_hidden_characters(title):
        raise DomainError("exchange_title_characters")
    if len(title) > TITLE_MAX:
        raise DomainError("exchange_title_too_long")
    return title


@transaction.atomic
def add_offer(*, person: Person, subject: str, languages=(), title: str = "", by=None) -> Offer:
    what = _clean_subject(subject)
    values = {"languages": _clean_languages(languages), "title": _clean_title(title)}
    Person.objects.select_for_update().filter(pk=person.pk).first()  # one add at a time per person
    if Offer.objects.filter(person=person, **what).exists():
        raise DomainError("exchange_offer_exists")
    if Offer.objects.filter(person=person).count() >= MAX_OFFERS:
        raise DomainError("exchange_too_many_offers")
    return Offer.objects.create(person=person, **what, **values)


@transaction.atomic
def add_want(*, person: Person, subject: str, languages=(), by=None) -> Want:
    what = _clean_subject(subject)
    values = {"languages": _clean_languages(languages)}
    Person.objects.select_for_update().filter(pk=person.pk).first()
    if Want.objects.filter(person=person, **what).exists():
        raise DomainError("exchange_want_exists")
    if Want.objects.filter(person=person).count() >= MAX_WANTS:
        raise DomainError("exchange_too_many_wants")
    return Want.objects.create(person=person, **what, **values)


def remove_offer(*, offer: Offer, by=None) -> None:
    offer.delete()


def remove_want(*, want: Want, by=None) -> None:
    want.delete()


# --- The pool and the solver input -------------------------------------------------------------

def busy_person_ids(initiative, *, now=None) -> set[int]:
    """People already in an exchange: a proposed one, or one confirmed less than
    FOLLOW_UP_WEEKS ago (they are busy with it; after that they may be matched again)."""
    now = now or timezone.now()
    recent = now - timedelta(weeks=FOLLOW_UP_WEEKS)
    live = ExchangeMatch.objects.filter(round__initiative=initiative).filter(
        Q(status=ExchangeMatch.Status.PROPOSED)
        | Q(status=ExchangeMatch.Status.CONFIRMED, decided_at__gt=recent)
    )
    busy: set[int] = set()
    for giver, receiver in live.values_list("giver_id", "receiver_id"):
        busy.update((giver, receiver))
    return busy


def pool_people(initiative, *, now=None):
    busy = busy_person_ids(initiative, now=now)
    return (
        Person.objects.filter(initiative=initiative, anonymised_at__isnull=True)
        .filter(exchange_offers__isnull=False, exchange_wants__isnull=False)
        .exclude(pk__in=busy)
        .distinct()
        .order_by("pk")
    )


def build_snapshot(initiative, *, now=None) -> tuple[dict, dict]:
    """The solver input as plain JSON (integer ids only) and the id -> Person pk map."""
    now = now or timezone.now()
    people = list(pool_people(initiative, now=now))
    pks = [p.pk for p in people]
    offers: dict[int, list[Offer]] = {}
    for offer in Offer.objects.filter(person_id__in=pks).order_by("pk"):
        offers.setdefault(offer.person_id, []).append(offer)
    wants: dict[int, list[Want]] = {}
    for want in Want.objects.filter(person_id__in=pks).order_by("pk"):
        wants.setdefault(want.person_id, []).append(want)
    spoken: dict[int, dict[str, int]] = {}
    for pl in PersonLanguage.objects.filter(person_id__in=pks, kind=PersonLanguage.Kind.SPEAKS):
        spoken.setdefault(pl.person_id, {})[pl.language] = LEVELS.get(pl.level, 2)
    # The self-declared group exists only with consent (withdrawing it deletes the row); it is
    # used for the cross-group preference and nothing else.
    groups = dict(SelfDescription.objects.filter(person_id__in=pks).values_list("person_id", "group"))
    members = []
    person_map = {}
    for index, person in enumerate(people, start=1):
        levels = dict(spoken.get(person.pk, {}))
        # The solver knows one set of languages per person: the profile's spoken languages,
        # plus the languages named on the person's offers and wants (at least "well").
        for item in [*offers.get(person.pk, []), *wants.get(person.pk, [])]:
            for code in item.languages:
                levels[code] = max(levels.get(code, 0), 3)
        members.append({
            "id": index,
            "group": GROUPS.get(groups.get(person.pk, ""), 0),
            "languages": sorted([subjects.LANGUAGE_IDS[c], lvl] for c, lvl in levels.items()
                                if c in subjects.LANGUAGE_IDS),
            "availability": sorted(AVAILABILITY_SLOTS.index(s) for s in set(person.availability or [])
                                   if s in AVAILABILITY_SLOTS),
            "offers": sorted({subjects.subject_id(o.subject_key) for o in offers.get(person.pk, [])}),
            "wants": sorted({subjects.subject_id(w.subject_key) for w in wants.get(person.pk, [])}),
        })
        person_map[str(index)] = person.pk
    # Lessons declined recently: (giver, receiver) pairs and who said no, in solver ids.
    index_of = {pk: int(i) for i, pk in person_map.items()}
    avoid = []
    since = now - timedelta(weeks=DECLINE_MEMORY_WEEKS)
    declined = ExchangeMatch.objects.filter(
        round__initiative=initiative, status=ExchangeMatch.Status.DECLINED, decided_at__gt=since,
        giver_id__in=pks, receiver_id__in=pks,
    ).order_by("pk")
    for m in declined:
        decliners = [pk for pk, answer in ((m.giver_id, m.giver_answer), (m.receiver_id, m.receiver_answer))
                     if answer == Answer.NO]
        if decliners:
            avoid.append([index_of[m.giver_id], index_of[m.receiver_id], index_of[decliners[0]]])
    return {"members": members, "avoid": avoid}, person_map


def _members(snapshot: dict):
    from verbinding.matching.solver.exchange import Member
    from verbinding.matching.solver.model import Group, LanguageSkill

    return [
        Member(
            id=m["id"], group=Group(m["group"]),
            languages=tuple(LanguageSkill(lang, level) for lang, level in m["languages"]),
            availability=frozenset(m["availability"]), offers=frozenset(m["offers"]),
            wants=frozenset(m["wants"]),
        )
        for m in snapshot["members"]
    ]


def default_parameters(*, seed: int = 0, time_limit: float = SOLVER_SECONDS) -> dict:
    return {"max_cycle": 3, "cross_group_bonus": 1, "min_language_level": 2,
            "time_limit": time_limit, "seed": seed}


def solve_snapshot(snapshot: dict, parameters: dict):
    """Run the solver on a stored snapshot; returns (result, ids left out for a declined lesson).

    Deterministic for the snapshot and parameters: if a result repeats a declined lesson, the
    person who declined it is left out and the solver runs again (at most a few times).
    """
    from verbinding.matching.solver.exchange import ExchangeParameters, match_exchange

    params = ExchangeParameters(language_subjects=subjects.language_subjects(), **parameters)
    members = _members(snapshot)
    avoid = {(g, r): who for g, r, who in snapshot.get("avoid", [])}
    left_out: set[int] = set()
    result = match_exchange(members, params)
    for _attempt in range(5):
        repeat = {avoid[lesson.teacher, lesson.learner] for cycle in result.cycles
                  for lesson in cycle.lessons if (lesson.teacher, lesson.learner) in avoid}
        if not repeat:
            break
        left_out |= repeat
        members = [m for m in members if m.id not in left_out]
        result = match_exchange(members, replace(params))
    return result, left_out


@transaction.atomic
def _create_round(*, initiative, by, parameters: dict, now) -> ExchangeRound:
    stale = now - timedelta(minutes=STALE_ROUND_MINUTES)
    running = ExchangeRound.objects.select_for_update().filter(
        initiative=initiative, status__in=[ExchangeRound.Status.QUEUED, ExchangeRound.Status.RUNNING],
    )
    for old in running:
        if old.created_at > stale:
            raise DomainError("exchange_round_running")
        old.status = ExchangeRound.Status.FAILED
        old.error = "stale"
        old.save(update_fields=["status", "error"])
    snapshot, person_map = build_snapshot(initiative, now=now)
    if len(snapshot["members"]) < 2:
        raise DomainError("exchange_pool_too_small")
    return ExchangeRound.objects.create(
        initiative=initiative, snapshot=snapshot, person_map=person_map, parameters=parameters,
        pool_size=len(snapshot["members"]), created_by=by if getattr(by, "is_authenticated", False) else None,
    )


def create_round(*, initiative, by=None, seed: int = 0, time_limit: float = SOLVER_SECONDS,
                 now=None) -> ExchangeRound:
    """Store a new round with its input (queued); run_round solves it."""
    return _create_round(initiative=initiative, by=by, now=now or timezone.now(),
                         parameters=default_parameters(seed=seed, time_limit=time_limit))


def start_round(*, initiative, by=None, seed: int = 0, time_limit: float = SOLVER_SECONDS,
                now=None) -> ExchangeRound:
    """Store a new round with its input and hand it to the background worker."""
    from verbinding.exchange.tasks import run_exchange_round

    round_ = create_round(initiative=initiative, by=by, seed=seed, time_limit=time_limit, now=now)
    result = run_exchange_round.enqueue(round_.pk)
    ExchangeRound.objects.filter(pk=round_.pk).update(task_id=str(result.id)[:64])
    round_.refresh_from_db()
    return round_


def run_round(round_id: int) -> ExchangeRound:
    """Solve a stored round and write its lessons (the background task calls this)."""
    claimed = ExchangeRound.objects.filter(pk=round_id, status=ExchangeRound.Status.QUEUED).update(
        status=ExchangeRound.Status.RUNNING, started_at=timezone.now()
    )
    round_ = ExchangeRound.objects.get(pk=round_id)
    if not claimed:
        return round_  # already run (a retried task) or given up
    try:
        result, left_out = solve_snapshot(round_.snapshot, round_.parameters)
        _store_result(round_, result, left_out)
    except Exception as error:  # the page must say "failed", not poll for ever
        ExchangeRound.objects.filter(pk=round_id).update(
            status=ExchangeRound.Status.FAILED, error=type(error).__name__[:200],
            finished_at=timezone.now(),
        )
        raise
    round_.refresh_from_db()
    return round_


@transaction.atomic
def _store_result(round_: ExchangeRound, result, left_out: set[int]) -> None:
    person_of = {int(i): pk for i, pk in round_.person_map.items()}
    groups = {m["id"]: m["group"] for m in round_.snapshot["members"]}
    matches = []
    for number, cycle in enumerate(result.cycles, start=1):
        for lesson in cycle.lessons:
            what = _clean_subject(subjects.subject_key(lesson.subject))
            matches.append(ExchangeMatch(
                round=round_, cycle=number, giver_id=person_of[lesson.teacher],
                receiver_id=person_of[lesson.learner], **what,
                taught_in=subjects.LANGUAGE_CODES[lesson.language],
                slot=AVAILABILITY_SLOTS[lesson.slot],
                bridges_groups={groups[lesson.teacher], groups[lesson.learner]} == {1, 2},
            ))
    ExchangeMatch.objects.bulk_create(matches)
    unmatched = {str(person_of[i]): reason.value for i, reason in result.unmatched.items()}
    unmatched.update({str(person_of[i]): "declined_before" for i in left_out})
    for member in round_.snapshot["members"]:
        if not member["availability"] and str(person_of[member["id"]]) in unmatched:
            unmatched[str(person_of[member["id"]])] = "no_times"
    ExchangeRound.objects.filter(pk=round_.pk).update(
        status=ExchangeRound.Status.DONE, matched=result.matched, upper_bound=result.upper_bound,
        cover_bound=result.cover_bound, proven_optimal=result.proven_optimal,
        method=result.method.value, cross_group_lessons=result.cross_group_lessons,
        wall_time=result.wall_time, unmatched=unmatched, finished_at=timezone.now(),
    )


# --- Answers and outcomes -------------------------------------------------------------------------

@transaction.atomic
def answer_exchange(*, match: ExchangeMatch, person: Person, answer: str, now=None) -> None:
    """The person says yes or no to their exchange (the cycle `match` belongs to).

    Their answer is recorded on both lessons they are in (the one they give and the one they
    receive). A no declines the whole cycle; a lesson is confirmed when both its people said yes.
    """
    if answer not in (Answer.YES, Answer.NO):
        raise DomainError("exchange_answer_invalid")
    now = now or timezone.now()
    lessons = list(
        ExchangeMatch.objects.select_for_update()
        .filter(round_id=match.round_id, cycle=match.cycle).order_by("pk")
    )
    if person.pk not in {m.giver_id for m in lessons} | {m.receiver_id for m in lessons}:
        raise DomainError("exchange_already_decided")  # not reachable through the views (404 first)
    if any(m.status != ExchangeMatch.Status.PROPOSED for m in lessons):
        raise DomainError("exchange_already_decided")
    for m in lessons:
        if m.giver_id == person.pk:
            m.giver_answer = answer
        if m.receiver_id == person.pk:
            m.receiver_answer = answer
    declined = any(Answer.NO in (m.giver_answer, m.receiver_answer) for m in lessons)
    for m in lessons:
        if declined:
            m.status, m.decided_at = ExchangeMatch.Status.DECLINED, now
        elif m.giver_answer == Answer.YES and m.receiver_answer == Answer.YES:
            m.status, m.decided_at = ExchangeMatch.Status.CONFIRMED, now
    ExchangeMatch.objects.bulk_update(
        lessons, ["giver_answer", "receiver_answer", "status", "decided_at"]
    )


def can_ask_happened(match: ExchangeMatch, *, now=None) -> bool:
    now = now or timezone.now()
    return (match.status == ExchangeMatch.Status.CONFIRMED and match.decided_at is not None
            and now >= match.decided_at + timedelta(weeks=FOLLOW_UP_WEEKS))


@transaction.atomic
def record_happened(*, match: ExchangeMatch, person: Person, happened: str, now=None) -> None:
    """One of the lesson's two people says whether it took place (yes or no, nothing else)."""
    if happened not in (Happened.YES, Happened.NO):
        raise DomainError("exchange_answer_invalid")
    match = ExchangeMatch.objects.select_for_update().get(pk=match.pk)
    if match.status != ExchangeMatch.Status.CONFIRMED:
        raise DomainError("exchange_not_confirmed")
    if not can_ask_happened(match, now=now):
        raise DomainError("exchange_too_early")
    if person.pk == match.giver_id:
        match.giver_happened = happened
        match.save(update_fields=["giver_happened"])
    elif person.pk == match.receiver_id:
        match.receiver_happened = happened
        match.save(update_fields=["receiver_happened"])
    else:
        raise DomainError("exchange_not_confirmed")


def export_exchange(person: Person) -> dict:
    """people.hooks: the person's offers, wants and lessons, for their data export. For a
    lesson only their own side is given (the other person's answers and name are theirs)."""
    lessons = []
    matches = (ExchangeMatch.objects.filter(Q(giver=person) | Q(receiver=person))
               .order_by("created_at", "id"))
    for m in matches:
        gives = m.giver_id == person.pk
        lessons.append({
            "role": "teach" if gives else "learn", "subject": m.subject_key, "taught_in": m.taught_in,
            "weekly_time": m.slot, "status": m.status,
            "my_answer": m.giver_answer if gives else m.receiver_answer,
            "did_it_happen": m.giver_happened if gives else m.receiver_happened,
            "matched_at": m.created_at.isoformat(),
        })
    return {"exchange": {
        "offers": [{"subject": o.subject_key, "languages": list(o.languages), "title": o.title}
                   for o in person.exchange_offers.order_by("id")],
        "wants": [{"subject": w.subject_key, "languages": list(w.languages)}
                  for w in person.exchange_wants.order_by("id")],
        "lessons": lessons,
    }}
