"""Reads of the talent exchange, always scoped to one initiative (another initiative's object
is a 404) and, for members, to their own offers, wants and lessons."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from verbinding.exchange import subjects
from verbinding.exchange.models import Answer, ExchangeMatch, ExchangeRound, Happened, Offer, Want
from verbinding.exchange.services import can_ask_happened, pool_people
from verbinding.people.models import Person


def get_my_offer(person: Person, pk: int) -> Offer:
    return get_object_or_404(Offer, pk=pk, person=person)


def get_my_want(person: Person, pk: int) -> Want:
    return get_object_or_404(Want, pk=pk, person=person)


def get_my_match(person: Person, pk: int) -> ExchangeMatch:
    """A lesson the person gives or receives; anyone else's is a 404."""
    return get_object_or_404(
        ExchangeMatch.objects.filter(Q(giver=person) | Q(receiver=person)),
        pk=pk, round__initiative_id=person.initiative_id,
    )


def get_round(initiative, pk: int) -> ExchangeRound:
    return get_object_or_404(ExchangeRound, pk=pk, initiative=initiative)


@dataclass
class MyExchange:
    """One cycle from a member's point of view."""

    teach: ExchangeMatch  # the lesson the person gives
    learn: ExchangeMatch  # the lesson the person receives
    status: str
    my_answer: str
    size: int
    ask_happened: list[tuple[ExchangeMatch, str, str]] = field(default_factory=list)  # (lesson, role, answer)


def list_my_exchanges(person: Person, *, now=None) -> list[MyExchange]:
    now = now or timezone.now()
    lessons = list(
        ExchangeMatch.objects.filter(round__initiative_id=person.initiative_id)
        .filter(Q(giver=person) | Q(receiver=person))
        .select_related("giver", "receiver", "round")
        .order_by("-round__created_at", "cycle", "pk")
    )
    by_cycle: dict[tuple[int, int], list[ExchangeMatch]] = {}
    for lesson in lessons:
        by_cycle.setdefault((lesson.round_id, lesson.cycle), []).append(lesson)
    sizes = Counter()
    if by_cycle:
        keys = Q()
        for round_id, cycle in by_cycle:
            keys |= Q(round_id=round_id, cycle=cycle)
        sizes = Counter(ExchangeMatch.objects.filter(keys).values_list("round_id", "cycle"))
    out = []
    for key, pair in by_cycle.items():
        teach = next(m for m in pair if m.giver_id == person.pk)
        learn = next(m for m in pair if m.receiver_id == person.pk)
        status = teach.status if teach.status == learn.status else ExchangeMatch.Status.PROPOSED
        if ExchangeMatch.Status.DECLINED in (teach.status, learn.status):
            status = ExchangeMatch.Status.DECLINED
        item = MyExchange(teach=teach, learn=learn, status=status, my_answer=teach.giver_answer,
                          size=sizes[key])
        if can_ask_happened(teach, now=now):
            item.ask_happened.append((teach, "giver", teach.giver_happened))
        if can_ask_happened(learn, now=now):
            item.ask_happened.append((learn, "receiver", learn.receiver_happened))
        out.append(item)
    # Declined cycles older than the newest round are history: show the live ones first.
    order = {ExchangeMatch.Status.PROPOSED: 0, ExchangeMatch.Status.CONFIRMED: 1,
             ExchangeMatch.Status.DECLINED: 2}
    out.sort(key=lambda e: (order[e.status], -e.teach.round.created_at.timestamp()))
    return out


def list_my_offers(person: Person):
    return Offer.objects.filter(person=person).order_by("pk")


def list_my_wants(person: Person):
    return Want.objects.filter(person=person).order_by("pk")


@dataclass
class TopicCount:
    key: str
    label: str
    offers: int
    wants: int


def count_topics(initiative) -> list[TopicCount]:
    """People offering and wanting each subject (topics only, no persons)."""
    offers = Counter(
        (t, lang) for t, lang in Offer.objects.filter(
            person__initiative=initiative, person__anonymised_at__isnull=True
        ).values_list("talent", "language")
    )
    wants = Counter(
        (t, lang) for t, lang in Want.objects.filter(
            person__initiative=initiative, person__anonymised_at__isnull=True
        ).values_list("talent", "language")
    )
    rows = []
    for talent, language in sorted(set(offers) | set(wants)):
        key = f"talent:{talent}" if talent else f"language:{language}"
        rows.append(TopicCount(key, subjects.subject_label(key), offers[talent, language],
                               wants[talent, language]))
    rows.sort(key=lambda r: (-(r.offers + r.wants), r.label))
    return rows


@dataclass
class Outcomes:
    lessons: int = 0
    confirmed: int = 0
    declined: int = 0
    proposed: int = 0
    happened_yes: int = 0  # lessons at least one side says took place
    happened_no: int = 0  # lessons where someone said no and nobody yes
    happened_unknown: int = 0  # confirmed lessons with no answer yet


def count_outcomes(initiative) -> Outcomes:
    out = Outcomes()
    rows = ExchangeMatch.objects.filter(round__initiative=initiative).values_list(
        "status", "giver_happened", "receiver_happened"
    )
    for status, giver, receiver in rows:
        out.lessons += 1
        if status == ExchangeMatch.Status.CONFIRMED:
            out.confirmed += 1
            if Happened.YES in (giver, receiver):
                out.happened_yes += 1
            elif Happened.NO in (giver, receiver):
                out.happened_no += 1
            else:
                out.happened_unknown += 1
        elif status == ExchangeMatch.Status.DECLINED:
            out.declined += 1
        else:
            out.proposed += 1
    return out


@dataclass
class Overview:
    topics: list[TopicCount]
    pool: int
    offering: int
    wanting: int
    outcomes: Outcomes
    rounds: list[ExchangeRound]
    active: ExchangeRound | None


def get_overview(initiative) -> Overview:
    rounds = list(ExchangeRound.objects.filter(initiative=initiative).order_by("-created_at", "-pk")[:10])
    return Overview(
        topics=count_topics(initiative),
        pool=pool_people(initiative).count(),
        offering=Person.objects.filter(initiative=initiative, exchange_offers__isnull=False).distinct().count(),
        wanting=Person.objects.filter(initiative=initiative, exchange_wants__isnull=False).distinct().count(),
        outcomes=count_outcomes(initiative),
        rounds=rounds,
        active=next((r for r in rounds if r.is_active), None),
    )


@dataclass
class CycleView:
    number: int
    lessons: list[ExchangeMatch]
    bridging: int  # lessons between a newcomer and a local: a count, never who is which
    status: str


@dataclass
class RoundView:
    round: ExchangeRound
    cycles: list[CycleView]
    unmatched: list[tuple[Person, str]]
    answers_pending: int


def get_round_view(round_: ExchangeRound) -> RoundView:
    lessons = list(round_.matches.select_related("giver", "receiver").order_by("cycle", "pk"))
    cycles: dict[int, list[ExchangeMatch]] = {}
    for lesson in lessons:
        cycles.setdefault(lesson.cycle, []).append(lesson)
    views = []
    for number, group in cycles.items():
        statuses = {m.status for m in group}
        status = (ExchangeMatch.Status.DECLINED if ExchangeMatch.Status.DECLINED in statuses
                  else ExchangeMatch.Status.CONFIRMED if statuses == {ExchangeMatch.Status.CONFIRMED}
                  else ExchangeMatch.Status.PROPOSED)
        views.append(CycleView(number, group, sum(m.bridges_groups for m in group), status))
    people = Person.objects.in_bulk([int(pk) for pk in round_.unmatched])
    unmatched = sorted(
        ((people[int(pk)], code) for pk, code in round_.unmatched.items() if int(pk) in people),
        key=lambda item: (item[0].display_name.casefold(), item[0].pk),
    )
    pending = sum(1 for m in lessons for a in (m.giver_answer, m.receiver_answer)
                  if a == Answer.PENDING and m.status == ExchangeMatch.Status.PROPOSED)
    return RoundView(round_, views, unmatched, pending)
