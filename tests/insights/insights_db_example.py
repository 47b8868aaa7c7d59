"""The research note's worked example (§2.3) as database rows, for the extract and snapshot
tests: 3 newcomers (a, b, c) and 4 residents (d, e, f, g); a language café on the Mondays
of three weeks in January 2026, cooking on the Tuesdays, one party with all seven on the
Wednesday of week 3. Every session lasts two hours; d organises the language café.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from tests.factories import ActivityFactory, PersonFactory, SessionFactory
from verbinding.activities.models import Activity, Format
from verbinding.attendance.models import CheckIn
from verbinding.people.models import SelfDescription

AMS = ZoneInfo("Europe/Amsterdam")
MONDAY_WEEK1 = dt.date(2026, 1, 5)
NAMES = "abcdefg"
GROUP = {"a": "newcomer", "b": "newcomer", "c": "newcomer",
         "d": "local", "e": "local", "f": "local", "g": "local"}
# (week, activity key, attendees); day offset in the week = index of the activity key.
SESSIONS = [
    (1, "cafe", "ad"), (2, "cafe", "ad"), (3, "cafe", "adb"),
    (1, "cooking", "bce"), (2, "cooking", "bc"), (3, "cooking", "bce"),
    (3, "party", "abcdefg"),
]
DAY_OFFSET = {"cafe": 0, "cooking": 1, "party": 2}


def local(day: dt.date, hour: int = 18, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=AMS)


def person(initiative, name: str, group: str | None = None):
    p = PersonFactory(initiative=initiative, display_name=name)
    if group is not None:
        SelfDescription.objects.create(person=p, group=group, consented_at=timezone.now())
    return p


def session(activity, start: dt.datetime, **kw):
    return SessionFactory(activity=activity, start=start, end=start + dt.timedelta(hours=2),
                          occurrence=start, **kw)


def check_in(s, *people):
    for p in people:
        CheckIn.objects.create(initiative=s.initiative, session=s, person=p, at=s.start)


def build(initiative) -> dict:
    """Create the worked example in ``initiative``; returns persons, activities, sessions."""
    people = {n: person(initiative, n, GROUP[n]) for n in NAMES}
    activities = {
        "cafe": ActivityFactory(initiative=initiative, kind=Activity.Kind.REGULAR,
                                format=Format.LANGUAGE_CAFE, first_start=local(MONDAY_WEEK1),
                                title={"nl": "Taalcafé", "en": "Language café"}),
        "cooking": ActivityFactory(initiative=initiative, kind=Activity.Kind.REGULAR,
                                   format=Format.COOKING,
                                   first_start=local(MONDAY_WEEK1 + dt.timedelta(days=1)),
                                   title={"nl": "Samen koken"}),
        "party": ActivityFactory(initiative=initiative, kind=Activity.Kind.ONE_OFF,
                                 format=Format.FESTIVE,
                                 first_start=local(MONDAY_WEEK1 + dt.timedelta(days=16)),
                                 title={"nl": "Feest"}),
    }
    activities["cafe"].organisers.add(people["d"])
    sessions = []
    for week, key, who in SESSIONS:
        day = MONDAY_WEEK1 + dt.timedelta(days=7 * (week - 1) + DAY_OFFSET[key])
        s = session(activities[key], local(day))
        check_in(s, *(people[n] for n in who))
        sessions.append(s)
    return {"people": people, "activities": activities, "sessions": sessions}
