"""Reads of the surveys app: the aggregate of a period (for insights snapshots and dashboards),
the sessions a member can still answer, the state of a member's linking consent.

Every query is scoped to one initiative.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from verbinding.surveys.items import (
    ADAPTED_LABEL,
    MODULE_ITEMS,
    MODULE_ROTATION,
    MODULES,
    PULSE_ITEMS,
    RATHER_NOT_SAY,
    RATHER_NOT_SAY_LABEL,
    Item,
    module_items,
)
from verbinding.surveys.models import PulseAnswer, PulseResponse

# A member may answer on their phone for sessions that started at most this many days ago.
PHONE_WINDOW_DAYS = 7


def _item_result(item: Item, counts: Counter, n_offered: int) -> dict:
    per_code = {code: counts.get((item.code, code), 0) for code in item.codes}
    n = sum(per_code.values())
    rather_not = per_code[RATHER_NOT_SAY]
    return {
        "code": item.code,
        "module": item.module,
        "label": item.label,
        "prompt": item.prompt,
        "adapted": item.adapted,
        "source": item.source,
        "answer_codes": [a.code for a in item.answers],
        "answer_labels": {a.code: a.label for a in item.answers},
        "counts": per_code,
        "n_offered": n_offered,
        "n_responses": n,
        "n_rather_not_say": rather_not,
        "n_answered": n - rather_not,
    }


def period_results(initiative, start: dt.date, end: dt.date) -> dict:
    """The pulse and module answers of `initiative` on the days `start`..`end` (both included),
    counted, as a JSON-able dict. No disclosure control is applied here: the caller (dashboard,
    report, export) applies it, and every figure comes with the n it rests on.

    Days are the answer days stored on the responses (the initiative's local date; no time of
    day is ever stored). A response is one filled-in pulse (kiosk or phone); it carries no person.

    Returns::

        {
          "adapted_label": "adapted, not validated",  # msgid to print beside every adapted item
          "rather_not_say_label": "Rather not say",   # msgid of the RATHER_NOT_SAY answer code
          "start": "2026-12-01", "end": "2026-12-31",       # ISO dates, as asked
          "n_responses": 42,          # pulses filled in during the period
          "n_sessions": 7,            # distinct sessions they were about (deleted sessions not counted)
          "n_linked": 3,              # responses of people who consented to linking (pseudonym set)
          "languages": {"nl": 20, "en": 2, "ar": 20},     # responses per site language, every
                                                          # language of settings.LANGUAGES, zeros too
          "channels": {"kiosk": 30, "phone": 12},
          "items": [ITEM, ...],       # the five weekly items, in the order asked (P1..P5)
          "modules": [                # every module, in rotation order, also when not asked
            {"code": "closeness",
             "label": "Closeness to the other group",     # msgid
             "adapted": False,        # True when any of its items is adapted
             "n_offered": 12,         # responses in the period that were offered this module
             "n_responses": 11,       # of those, responses with an answer (rather-not-say
                                      # included) to at least one of its items
             "languages": {"nl": 6, "en": 0, "ar": 5},    # n_responses per language
             "items": [ITEM, ...]},
            ...
          ],
        }

    where each ITEM is::

        {
          "code": "pleasant",         # stable item code
          "module": "pulse",          # "pulse" or the module code
          "label": "How pleasant",    # msgid: show with gettext(label) (the surveys catalogs
                                      # hold nl and ar; do not re-mark it in another app)
          "prompt": "How was talking with people here today?",  # msgid (may hold %(place)s)
          "adapted": True,            # "adapted, not validated": every report must say so
          "source": "Islam & Hewstone 1993 (quality: pleasant)",  # citation, not translated
          "answer_codes": ["1", "2", "3", "4", "5"],     # substantive answers, lowest → highest
          "answer_labels": {"1": "Very unpleasant", ...},  # msgids
          "counts": {"1": 0, "2": 1, "3": 4, "4": 9, "5": 20, "rather_not_say": 2},
                                      # every code including zeros and "rather_not_say"
          "n_offered": 42,            # responses that were shown this item
          "n_responses": 36,          # responses that answered it (= sum of counts)
          "n_rather_not_say": 2,
          "n_answered": 34,           # n_responses - n_rather_not_say: the base of any share
                                      # or mean of the substantive answers
        }

    n_offered − n_responses is the number who left before this item (a kiosk pulse left idle
    is not stored at all, so this counts those who finished early with "Done").
    Four queries, whatever the size of the period.
    """
    responses = PulseResponse.objects.filter(initiative=initiative, day__gte=start, day__lte=end)
    summary = list(responses.order_by().values("language", "channel", "module")
                   .annotate(n=Count("id")))
    languages = {code: 0 for code, _name in settings.LANGUAGES}
    channels = {code: 0 for code in PulseResponse.Channel.values}
    offered_module: Counter = Counter()
    for row in summary:
        languages[row["language"]] = languages.get(row["language"], 0) + row["n"]
        channels[row["channel"]] = channels.get(row["channel"], 0) + row["n"]
        offered_module[row["module"]] += row["n"]
    n_responses = sum(languages.values())

    # A join on the response, not `response__in=<subquery>`: right after a bulk insert (no
    # statistics yet) PostgreSQL planned the IN-subquery as a nested loop with a join
    # filter, i.e. every answer against every response (seconds per period).
    of_period = {"response__initiative": initiative, "response__day__gte": start,
                 "response__day__lte": end}
    answer_rows = (PulseAnswer.objects.filter(**of_period).order_by()
                   .values("item", "answer").annotate(n=Count("id")))
    counts: Counter = Counter()
    for row in answer_rows:
        counts[(row["item"], row["answer"])] += row["n"]

    # Per module: responses with at least one answer to one of its items, per language.
    module_langs: dict[str, Counter] = {code: Counter() for code in MODULE_ROTATION}
    module_rows = (PulseAnswer.objects.filter(**of_period,
                                              item__in=[i.code for i in MODULE_ITEMS])
                   .order_by().values("response__module", "response__language")
                   .annotate(n=Count("response", distinct=True)))
    for row in module_rows:
        module_langs[row["response__module"]][row["response__language"]] += row["n"]

    stats = responses.order_by().aggregate(
        sessions=Count("session", distinct=True), linked=Count("pseudonym"),
    )
    modules = []
    for code in MODULE_ROTATION:
        items = module_items(code)
        langs = {lang: module_langs[code].get(lang, 0) for lang in languages}
        modules.append({
            "code": code,
            "label": MODULES[code],
            "adapted": any(item.adapted for item in items),
            "n_offered": offered_module[code],
            "n_responses": sum(langs.values()),
            "languages": langs,
            "items": [_item_result(item, counts, offered_module[code]) for item in items],
        })
    return {
        "adapted_label": ADAPTED_LABEL,
        "rather_not_say_label": RATHER_NOT_SAY_LABEL,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "n_responses": n_responses,
        "n_sessions": stats["sessions"],
        "n_linked": stats["linked"],
        "languages": languages,
        "channels": channels,
        "items": [_item_result(item, counts, n_responses) for item in PULSE_ITEMS],
        "modules": modules,
    }


def list_answerable_sessions(*, person, now: dt.datetime | None = None) -> list:
    """Sessions of the person's initiative that the person was checked in at, that started in
    the last PHONE_WINDOW_DAYS days (and have started), are not cancelled, and whose pulse the
    person has not answered yet; newest first."""
    from verbinding.activities.models import Session
    from verbinding.surveys.models import PulseAnswered

    now = now or timezone.now()
    answered = PulseAnswered.objects.filter(person=person).values("session_id")
    return list(
        Session.objects.filter(
            initiative_id=person.initiative_id, checkins__person=person,
            start__lte=now, start__gte=now - dt.timedelta(days=PHONE_WINDOW_DAYS),
        ).exclude(status=Session.Status.CANCELLED).exclude(pk__in=answered)
        .select_related("activity").distinct().order_by("-start", "-id")
    )


def has_link_consent(person) -> bool:
    from verbinding.surveys.models import SurveyLink

    return SurveyLink.objects.filter(person=person).exists()
