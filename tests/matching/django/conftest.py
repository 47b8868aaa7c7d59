"""A project with an enrolled pool for the Django tier of team formation.

`team_pool` builds 20 enrolled members in `voorkamer`: 10 newcomers (women and men, Arabic,
half of them also Dutch) and 10 locals (Dutch, a few Arabic), all free on Wednesday evening,
most interested in food; plus co-attendance history for one pair of acquaintances.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import make_user, person_of
from tests.factories import ActivityFactory, SessionFactory
from verbinding.attendance.models import CheckIn, Registration
from verbinding.people.models import PersonLanguage

FAST = {"min_size": 8, "max_size": 10, "balance": "on", "balance_tolerance": 1, "gender": "on", "slot": "on",
        "language": "on", "time_limit": 2, "seed": 7}


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    # The site default is Dutch; assertions read English unless a test picks a language.
    settings.LANGUAGE_CODE = "en"


def enrol(activity, person):
    return Registration.objects.create(initiative=activity.initiative, activity=activity,
                                       person=person, status="confirmed")


def make_member(initiative, name, *, group, gender, speaks, free=("wed-evening",),
                interests=("food",), talents=()):
    user = make_user(initiative, name.lower(), "member", display_name=name, group=group, gender=gender)
    person = person_of(user, initiative)
    person.availability = list(free)
    person.interests = list(interests)
    person.talents = list(talents)
    person.save()
    for lang, level in speaks:
        PersonLanguage.objects.create(person=person, language=lang, level=level)
    return person


@pytest.fixture
def project(initiative):
    start = (timezone.now() + dt.timedelta(days=7)).replace(microsecond=0)
    return ActivityFactory(initiative=initiative, kind="project", first_start=start,
                           title={"nl": "Samen koken", "en": "Cooking together", "ar": "نطبخ معاً"})


@pytest.fixture
def team_pool(initiative, project):
    people = []
    for i in range(10):
        speaks = [("ar", "fluent")] + ([("nl", "good")] if i % 2 == 0 else [])
        people.append(make_member(initiative, f"Nieuw{i}", group="newcomer",
                                  gender="woman" if i < 5 else "man", speaks=speaks,
                                  talents=("cooking",) if i % 3 == 0 else ()))
    for i in range(10):
        speaks = [("nl", "fluent")] + ([("ar", "good")] if i < 3 else [])
        people.append(make_member(initiative, f"Lokaal{i}", group="local",
                                  gender="woman" if i < 5 else "man", speaks=speaks,
                                  interests=("food", "music") if i % 2 else ("music",)))
    for p in people:
        enrol(project, p)
    return people


def co_attend(initiative, people, times, *, crowd=0, tag="x"):
    """`people` were together at `times` small past sessions (plus `crowd` extra visitors)."""
    past = timezone.now() - dt.timedelta(days=30)
    activity = ActivityFactory(initiative=initiative, kind="regular", first_start=past)
    extra = [make_member(initiative, f"Crowd{tag}{k}", group="local", gender="man", speaks=[])
             for k in range(crowd)]
    for t in range(times):
        session = SessionFactory(activity=activity, start=past + dt.timedelta(days=t))
        for p in [*people, *extra]:
            CheckIn.objects.create(initiative=initiative, session=session, person=p,
                                   at=past + dt.timedelta(days=t))
