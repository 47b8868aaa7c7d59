"""Measure the volunteer path on a demo-sized initiative (not part of the test suite: the file
name does not start with test_). Run it explicitly and read the printed numbers:

    pytest -q -s -p no:cacheprovider tests/volunteers/bench_funnel.py
    PGPORT=54335 scripts/pg-throwaway.sh pytest -q -s -p no:cacheprovider tests/volunteers/bench_funnel.py

It builds ~300 members, ~20 000 check-ins over 18 months, 24 weekly activities and 40
volunteers with bulk inserts (a measurement fixture, not a story), then times the whole
coordinator page's computation and one person's path.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import time

import pytest
from django.db import connection
from django.db.models import Max, Min
from django.db.models.functions import TruncWeek
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import InitiativeFactory, UserFactory
from verbinding.accounts.models import Role
from verbinding.activities.models import Activity, Format, Session
from verbinding.attendance.models import CheckIn
from verbinding.people.models import Person, SelfDescription
from verbinding.people.vocab import Talent
from verbinding.volunteers import selectors

MEMBERS, ACTIVITIES, WEEKS, TARGET_CHECKINS = 300, 24, 78, 20_000


@pytest.mark.django_db
def test_measure_the_funnel_on_a_demo_sized_initiative():
    rng = random.Random(7)
    now = timezone.now().replace(microsecond=0)
    initiative = InitiativeFactory(slug="bench", name="Bench")
    people = Person.objects.bulk_create(
        Person(initiative=initiative, display_name=f"P{i}",
               talents=rng.sample(Talent.values, rng.randint(0, 3)))
        for i in range(MEMBERS)
    )
    SelfDescription.objects.bulk_create(
        SelfDescription(person=p, group=rng.choice(["newcomer", "local", "unspecified"]),
                        gender=rng.choice(["woman", "man"]), consented_at=now)
        for p in people if rng.random() < 0.8
    )
    start0 = now - dt.timedelta(weeks=WEEKS)
    activities = Activity.objects.bulk_create(
        Activity(initiative=initiative, title={"nl": f"A{i}"}, format=rng.choice(Format.values),
                 first_start=start0 + dt.timedelta(days=i % 7, hours=18))
        for i in range(ACTIVITIES)
    )
    for a in activities:
        a.organisers.set(rng.sample(people, rng.randint(0, 2)))
    sessions = Session.objects.bulk_create(
        Session(initiative=initiative, activity=a, start=a.first_start + dt.timedelta(weeks=w),
                end=a.first_start + dt.timedelta(weeks=w, hours=2))
        for a in activities for w in range(WEEKS + 6)
    )
    past = [s for s in sessions if s.start < now]
    # Regulars come often, most people a few times: weight persons by a heavy tail.
    weights = [rng.paretovariate(1.2) for _ in people]
    seen = set()
    rows = []
    while len(rows) < TARGET_CHECKINS:
        person = rng.choices(people, weights)[0]
        session = rng.choice(past)
        if (person.pk, session.pk) in seen:
            continue
        seen.add((person.pk, session.pk))
        rows.append(CheckIn(initiative=initiative, session=session, person=person, at=session.start))
    CheckIn.objects.bulk_create(rows, batch_size=2000)
    for p in rng.sample(people, 40):
        user = UserFactory(username=f"bench-{p.pk}")
        p.user = user
        p.save(update_fields=["user"])
        Role.objects.create(initiative=initiative, user=user, name=Role.Name.VOLUNTEER)

    def timed(call, n=7):
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            result = call()
            times.append(time.perf_counter() - t0)
        return result, statistics.median(times), max(times)

    with CaptureQueriesContext(connection) as queries:
        page = selectors.get_funnel_page(initiative=initiative, now=now)
    page, median, worst = timed(lambda: selectors.get_funnel_page(initiative=initiative, now=now))
    one = people[0]
    _path, median_one, _w = timed(lambda: selectors.get_person_path(person=one, now=now))
    paths, median_paths, _w = timed(lambda: selectors.list_paths(initiative=initiative, now=now))
    print(f"\n[{connection.vendor}] {CheckIn.objects.filter(initiative=initiative).count()} check-ins, "
          f"{len(past)} past sessions, {MEMBERS} members")
    print(f"  funnel page data: median {median * 1000:.0f} ms, worst {worst * 1000:.0f} ms, "
          f"{len(queries.captured_queries)} queries")
    print(f"  list_paths alone: median {median_paths * 1000:.0f} ms for {len(paths)} people")
    print(f"  one person's path: median {median_one * 1000:.1f} ms")
    print(f"  funnel: {[(r.stage.key, r.reached) for r in page.funnel]}")
    if os.environ.get("BENCH_PROFILE"):  # each query alone, and the two ways to group weeks
        tz = selectors.initiative_tz(initiative)
        checkins = CheckIn.objects.filter(initiative=initiative)
        parts = {
            "visits as used": lambda: list(selectors._visit_rows(initiative, tz)),
            "organised": lambda: list(selectors._organised_rows(initiative, tz, now)),
            "volunteers": lambda: list(selectors._volunteer_rows(initiative)),
            "raw (person, at) pairs": lambda: list(checkins.values_list("person_id", "at")),
            "TruncWeek grouped in SQL": lambda: list(
                checkins.annotate(week=TruncWeek("at", tzinfo=tz)).order_by()
                .values("person_id", "week").annotate(first=Min("at"), last=Max("at"))
                .values_list("person_id", "first", "last")),
        }
        for name, query in parts.items():
            print(f"  {name}: median {timed(query, 5)[1] * 1000:.0f} ms")
    assert page.people_count == len(paths)
