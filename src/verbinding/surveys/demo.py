"""Demo pulse answers for the demo places, so the dashboards and reports show survey figures.

Deterministic for a seed: for every held session in the past that people were checked in at,
about a third of the check-ins (plus a few guests) filled in the pulse, in the place's languages,
at the kiosk or on a phone. Answers lean positive, with "rather not say" now and then, and with
activity-specific flavour: projects more often "did something together". Only plausible, never
person-linked: no markers, no pseudonyms.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from verbinding.activities.models import Session
from verbinding.attendance.models import GuestTally
from verbinding.surveys.items import PULSE_ITEMS, RATHER_NOT_SAY, items_for, module_for
from verbinding.surveys.models import PulseAnswer, PulseResponse

# Answer weights per item, lowest → highest (then the chance of "rather not say").
WEIGHTS = {
    "talked_new": [35, 40, 25],
    "pleasant": [2, 4, 14, 45, 35],
    "ideas_count": [10, 35, 55],
    "together": [45, 55],
    "met_outside": [60, 28, 12],
    "ios_newcomers": [6, 10, 18, 24, 20, 14, 8],
    "ios_longer": [8, 12, 20, 24, 18, 12, 6],
    "trust": [8, 17, 35, 28, 12],
    "lonely": [30, 30, 28, 12],
}
RATHER_NOT = 0.04
SHARE_ANSWERING = 0.33
STOP_AFTER_WEEKLY = 0.3  # of those asked a module, how many tap "Done" straight away


def _answers(rng: random.Random, day: dt.date, *, project: bool) -> dict[str, str]:
    answers: dict[str, str] = {}
    for index, item in enumerate(items_for(day)):
        if index == len(PULSE_ITEMS) and rng.random() < STOP_AFTER_WEEKLY:
            break
        if rng.random() < RATHER_NOT:
            answers[item.code] = RATHER_NOT_SAY
            continue
        weights = list(WEIGHTS[item.code])
        if project and item.code == "together":
            weights = [15, 85]
        answers[item.code] = rng.choices([a.code for a in item.answers], weights=weights)[0]
    return answers


@transaction.atomic
def seed_pulses(initiative, *, seed: int = 7, now: dt.datetime | None = None) -> int:
    """Add demo pulses for `initiative`'s past held sessions; returns how many. Replaces the
    initiative's earlier pulses (a re-run gives the same result)."""
    rng = random.Random(f"{seed}:{initiative.slug}")  # noqa: S311 (demo data, not a secret)
    now = now or timezone.now()
    try:
        zone = zoneinfo.ZoneInfo(initiative.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    site_languages = [code for code, _name in settings.LANGUAGES]
    languages = [code for code in (initiative.languages or []) if code in site_languages] or ["nl"]
    lang_weights = [6 if code == "nl" else 3 if code == "ar" else 2 for code in languages]
    PulseAnswer.objects.filter(response__initiative=initiative).delete()
    PulseResponse.objects.filter(initiative=initiative).delete()
    sessions = (Session.objects.filter(initiative=initiative, end__lt=now)
                .exclude(status=Session.Status.CANCELLED)
                .annotate(present=Count("checkins"))
                .filter(present__gt=0).select_related("activity").order_by("start", "id"))
    guests = dict(GuestTally.objects.filter(initiative=initiative).order_by()
                  .values_list("session_id").annotate(n=Sum("count")))
    responses, answers = [], []
    for session in sessions:
        day = timezone.localtime(session.start, zone).date()
        project = session.activity.kind == "project"
        for _ in range(sum(rng.random() < SHARE_ANSWERING for _ in range(session.present + guests.get(session.pk, 0)))):
            response = PulseResponse(
                initiative=initiative, session=session, day=day,
                language=rng.choices(languages, weights=lang_weights)[0],
                channel=rng.choice(("kiosk", "kiosk", "phone")), module=module_for(day),
            )
            responses.append(response)
            answers.extend(PulseAnswer(response=response, item=code, answer=value)
                           for code, value in _answers(rng, day, project=project).items())
    PulseResponse.objects.bulk_create(responses, batch_size=2000)
    PulseAnswer.objects.bulk_create(answers, batch_size=5000)
    if connection.vendor == "postgresql":
        # Thousands of rows at once into tables the planner believes empty: without fresh
        # statistics PostgreSQL joins answers to responses by a nested loop with a join filter
        # (every answer against every response, seconds per period in recompute_insights).
        # ANALYZE also counts this transaction's own new rows.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {PulseResponse._meta.db_table}, {PulseAnswer._meta.db_table}")
    return len(responses)
