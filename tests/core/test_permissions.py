"""Every staff page refuses everyone without the role — walked over every URL, not listed by hand.

Staff pages are the URLs under /<initiative>/manage/. An anonymous visitor is sent to the
login page; a logged-in member, kiosk or partner gets 403. (Objects of another initiative
are covered by test_tenancy.py.)
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import make_user
from tests.core.test_tenancy import ALL_PATTERNS, OBJECT_KINDS, part_two_objects
from tests.factories import ActivityFactory, SessionFactory
from verbinding.people.models import PartnerOrganisation, Person

STAFF_PATTERNS = [(n, r) for n, r in ALL_PATTERNS if "/manage/" in r]
MEMBER_PATTERNS = [(n, r) for n, r in ALL_PATTERNS if "/me/" in r and n != "attendance:my-ics"]


@pytest.fixture
def objects(initiative):
    start = (timezone.now() + dt.timedelta(days=5)).replace(microsecond=0)
    activity = ActivityFactory(initiative=initiative, first_start=start)
    project = ActivityFactory(initiative=initiative, first_start=start, kind="project")
    session = SessionFactory(activity=activity)
    person = Person.objects.create(initiative=initiative, display_name="Bea")
    partner = PartnerOrganisation.objects.create(initiative=initiative, name="Vluchtelingenhulp")
    return {"activity": activity.pk, "project": project.pk, "session": session.pk,
            "person": person.pk, "partner": partner.pk, "token": person.calendar_token,
            "partner-login": make_user(initiative, "gemeente-a", "partner").pk,
            **part_two_objects(initiative, session, person)}


def url_for(name, initiative, objects):
    kwargs = {"initiative_slug": initiative.slug}
    kind = OBJECT_KINDS.get(name)
    if kind:
        kwargs["token" if kind == "token" else "pk"] = objects[kind]
    return reverse(name, kwargs=kwargs)


def test_there_are_staff_pages_to_walk():
    assert len(STAFF_PATTERNS) >= 10


@pytest.mark.parametrize(("name", "route"), STAFF_PATTERNS, ids=[n for n, _ in STAFF_PATTERNS])
def test_an_anonymous_visitor_is_sent_to_login_from_every_staff_page(
    client, initiative, objects, name, route
):
    url = url_for(name, initiative, objects)
    for response in (client.get(url), client.post(url)):
        if response.status_code == 405:
            continue
        assert response.status_code == 302, name
        assert "/login/" in response["Location"]


@pytest.mark.parametrize("role", ["member", "kiosk", "partner"])
@pytest.mark.parametrize(("name", "route"), STAFF_PATTERNS, ids=[n for n, _ in STAFF_PATTERNS])
def test_a_member_kiosk_or_partner_is_refused_every_staff_page(
    client, initiative, objects, name, route, role
):
    user = make_user(initiative, f"someone-{role}", role)
    client.force_login(user)
    url = url_for(name, initiative, objects)
    statuses = {client.get(url).status_code, client.post(url).status_code}
    assert statuses <= {403, 405} and 403 in statuses, f"{name} as {role}: {statuses}"


@pytest.mark.parametrize(("name", "route"), MEMBER_PATTERNS, ids=[n for n, _ in MEMBER_PATTERNS])
def test_an_anonymous_visitor_is_sent_to_login_from_every_personal_page(
    client, initiative, objects, name, route
):
    url = url_for(name, initiative, objects)
    response = client.get(url)
    assert response.status_code == 302, name
    assert "/login/" in response["Location"]
