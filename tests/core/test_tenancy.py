"""Tenancy: a user of initiative A gets a 404 for every object of initiative B.

The test walks EVERY URL pattern of the project. Patterns that take an object id or token must
be listed in OBJECT_KINDS (a new pattern that is not listed fails the test, so nobody forgets
to prove its isolation). The user is given every staff role in A, so a 404 cannot be a
permission refusal in disguise.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.conftest import make_user
from tests.factories import ActivityFactory, SessionFactory
from verbinding.people.models import PartnerOrganisation, Person

# URL name -> which kind of object its `pk`/`token` refers to.
OBJECT_KINDS = {
    "activities:activity-detail": "activity",
    "activities:activity-ics": "activity",
    "activities:manage-edit": "activity",
    "activities:manage-sessions": "activity",
    "activities:session-cancel": "session",
    "activities:session-move": "session",
    "activities:proposal-withdraw": "proposal",
    "activities:proposal-detail": "proposal",
    "activities:proposal-edit": "proposal",
    "activities:proposal-approve": "proposal",
    "activities:proposal-decline": "proposal",
    "attendance:session-signup": "session",
    "attendance:session-cancel-signup": "session",
    "attendance:session-registrations": "session",
    "attendance:enrol": "project",
    "attendance:leave": "project",
    "attendance:my-ics": "token",
    "door:session": "session",
    "door:search": "session",
    "door:checkin": "session",
    "door:scan": "session",
    "door:guest": "session",
    "surveys:phone-pulse": "session",
    "people:manage-detail": "person",
    "people:manage-roles": "person",
    "people:partner-toggle": "partner",
    "people:partner-login-stop": "partner-login",
    "exchange:offer-remove": "exchange-offer",
    "exchange:want-remove": "exchange-want",
    "exchange:match-answer": "exchange-lesson",
    "exchange:match-happened": "exchange-lesson",
    "exchange:round-detail": "exchange-round",
    "exchange:round-progress": "exchange-round",
    "organising:session": "session",
    "organising:present": "session",
    "organising:undo": "session",
    "organising:guests": "session",
    "organising:cancel": "session",
    "organising:message": "session",
    "welcome:welcomed": "checkin",
    "welcome:card": "person",
    "welcome:card-reissue": "person",
    "welcome:card-revoke": "person",
    "welcome:card-print": "card",
    "matching:manage-project": "project",
    "matching:manage-run-start": "project",
    "matching:manage-pair-add": "project",
    "matching:manage-pair-delete": "team-pair",
    "matching:manage-run": "team-run",
    "matching:manage-run-progress": "team-run",
    "matching:manage-run-why": "team-run",
    "matching:manage-run-move": "team-run",
    "matching:manage-run-swap": "team-run",
    "matching:manage-run-pin": "team-run",
    "matching:manage-run-lock": "team-run",
    "matching:manage-run-publish": "team-run",
    "matching:manage-run-relax": "team-run",
}


def part_two_objects(initiative, session, person) -> dict:
    """Objects of the door and behind it (issue 3): a card, a check-in, a proposal, a message."""
    from verbinding.activities.models import Proposal
    from verbinding.attendance.models import CheckIn, SessionMessage
    from verbinding.people.models import MemberCard

    card = MemberCard.objects.create(initiative=initiative, person=person)
    checkin = CheckIn.objects.create(initiative=initiative, session=session, person=person)
    proposal = Proposal.objects.create(
        initiative=initiative, proposer=person, title="Sewing", description="We sew.", when="Fri"
    )
    message = SessionMessage.objects.create(initiative=initiative, session=session, body="Hi")
    return {"card": card.pk, "checkin": checkin.pk, "proposal": proposal.pk, "message": message.pk,
            **exchange_objects(initiative, person), **team_objects(initiative, person)}


def team_objects(initiative, person) -> dict:
    """Team formation (issue 4): a finished run with one team, and a pair rule."""
    from verbinding.matching.models import PairRule, Team, TeamMember, TeamRun

    project = ActivityFactory(initiative=initiative, kind="project")
    run = TeamRun.objects.create(initiative=initiative, activity=project, status="done",
                                 snapshot={"people": {"1": person.pk}})
    TeamMember.objects.create(team=Team.objects.create(run=run, number=1), person=person)
    other = Person.objects.create(initiative=initiative, display_name="Dirk")
    low, high = sorted([person.pk, other.pk])
    pair = PairRule.objects.create(initiative=initiative, activity=project, person_a_id=low,
                                   person_b_id=high, kind="apart")
    return {"team-run": run.pk, "team-pair": pair.pk}


def exchange_objects(initiative, person) -> dict:
    """Talent exchange (issue 4): an offer, a want, a matching round and one of its lessons."""
    from verbinding.exchange.models import ExchangeMatch, ExchangeRound, Offer, Want

    other = Person.objects.create(initiative=initiative, display_name="Cas")
    offer = Offer.objects.create(person=person, talent="cooking")
    want = Want.objects.create(person=person, talent="music")
    round_ = ExchangeRound.objects.create(initiative=initiative, status="done")
    lesson = ExchangeMatch.objects.create(round=round_, cycle=1, giver=person, receiver=other,
                                          talent="cooking", taught_in="nl", slot="mon-evening")
    return {"exchange-offer": offer.pk, "exchange-want": want.pk, "exchange-round": round_.pk,
            "exchange-lesson": lesson.pk}


def walk(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from walk(entry, prefix + str(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), prefix + str(entry.pattern)


ALL_PATTERNS = sorted(walk())
OBJECT_PATTERNS = [(name, route) for name, route in ALL_PATTERNS if "<" in route.replace("<slug:initiative_slug>", "")]


def test_every_url_with_an_object_is_listed_for_the_tenancy_walk():
    unlisted = [name for name, _route in OBJECT_PATTERNS if name not in OBJECT_KINDS]
    assert unlisted == [], f"add these URL names to OBJECT_KINDS: {unlisted}"


def test_every_tenant_url_is_under_the_initiative_slug():
    outside = [name for name, route in ALL_PATTERNS
               if not route.startswith("<slug:initiative_slug>/")]
    assert sorted(outside) == ["core:healthz", "core:home", "set_language"]


@pytest.fixture
def objects_of_b(other_initiative):
    start = (timezone.now() + dt.timedelta(days=5)).replace(microsecond=0)
    activity = ActivityFactory(initiative=other_initiative, first_start=start)
    project = ActivityFactory(initiative=other_initiative, first_start=start, kind="project")
    session = SessionFactory(activity=activity)
    SessionFactory(activity=project)
    person = Person.objects.create(initiative=other_initiative, display_name="Bea")
    partner = PartnerOrganisation.objects.create(initiative=other_initiative, name="COA B")
    return {
        "activity": activity.pk, "project": project.pk, "session": session.pk,
        "person": person.pk, "partner": partner.pk, "token": person.calendar_token,
        "partner-login": make_user(other_initiative, "gemeente-b", "partner").pk,
        **part_two_objects(other_initiative, session, person),
    }


@pytest.mark.parametrize(("name", "route"), OBJECT_PATTERNS, ids=[n for n, _ in OBJECT_PATTERNS])
def test_a_user_of_initiative_a_gets_404_for_objects_of_initiative_b(
    client, initiative, objects_of_b, name, route
):
    boss = make_user(initiative, "boss", "coordinator", "organiser", "host", "member")
    client.force_login(boss)
    kind = OBJECT_KINDS[name]
    key = "token" if kind == "token" else "pk"
    url = reverse(name, kwargs={"initiative_slug": initiative.slug, key: objects_of_b[kind]})
    statuses = {client.get(url).status_code, client.post(url).status_code}
    assert 404 in statuses, f"{name}: {statuses}"
    assert statuses <= {404, 405}, f"{name} answered {statuses} for another initiative's object"


@pytest.mark.parametrize(("name", "route"), [p for p in ALL_PATTERNS if p[1].startswith("<slug")],
                         ids=[n for n, r in ALL_PATTERNS if r.startswith("<slug")])
def test_an_unknown_initiative_slug_is_404_for_every_tenant_url(client, db, name, route):
    kwargs = {"initiative_slug": "does-not-exist"}
    if name in OBJECT_KINDS:
        kwargs["token" if OBJECT_KINDS[name] == "token" else "pk"] = "abc" if OBJECT_KINDS[name] == "token" else 1
    url = reverse(name, kwargs=kwargs)
    assert client.get(url).status_code == 404
