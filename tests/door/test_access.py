"""Who may use the door: kiosk, host and coordinator; the kiosk can do this and nothing else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import make_user, person_of

pytestmark = pytest.mark.django_db

DOOR_PAGES = [("kiosk", "get"), ("session", "get"), ("search", "get"),
              ("checkin", "post"), ("scan", "post"), ("guest", "post")]


def door_url(name, initiative, session):
    kwargs = {"initiative_slug": initiative.slug}
    if name != "kiosk":
        kwargs["pk"] = session.pk
    return reverse(f"door:{name}", kwargs=kwargs)


@pytest.mark.parametrize(("name", "method"), DOOR_PAGES)
@pytest.mark.parametrize("role", ["member", "organiser", "partner", "volunteer"])
def test_members_organisers_and_partners_are_refused_the_door(
    client, initiative, today_session, name, method, role
):
    client.force_login(make_user(initiative, f"someone-{role}", role))
    response = getattr(client, method)(door_url(name, initiative, today_session))
    assert response.status_code == 403


@pytest.mark.parametrize(("name", "method"), DOOR_PAGES)
def test_an_anonymous_visitor_is_sent_to_login(client, initiative, today_session, name, method):
    response = getattr(client, method)(door_url(name, initiative, today_session))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize("role", ["kiosk", "host", "coordinator"])
def test_kiosk_host_and_coordinator_can_check_people_in(client, initiative, today_session, local, role):
    client.force_login(make_user(initiative, f"door-{role}", role))
    assert client.get(door_url("kiosk", initiative, today_session)).status_code == 200
    assert client.get(door_url("session", initiative, today_session)).status_code == 200
    response = client.post(door_url("checkin", initiative, today_session),
                           {"person": person_of(local, initiative).pk})
    assert response.status_code == 302
    assert today_session.checkins.count() == 1


def test_a_host_without_a_second_factor_is_sent_to_set_one_up(client, initiative, today_session, settings):
    settings.VERBINDING_REQUIRE_STAFF_2FA = True
    client.force_login(make_user(initiative, "host-no-otp", "host"))
    response = client.get(door_url("kiosk", initiative, today_session))
    assert response.status_code == 302 and "/login/" not in response["Location"]
    # A kiosk login is not staff: no second factor asked.
    client.force_login(make_user(initiative, "kiosk-no-otp", "kiosk"))
    assert client.get(door_url("kiosk", initiative, today_session)).status_code == 200


@pytest.mark.parametrize(("name", "method"), [p for p in DOOR_PAGES if p[0] != "kiosk"])
def test_another_initiatives_session_is_404_for_a_kiosk(
    client, initiative, other_initiative, kiosk, name, method
):
    from django.utils import timezone

    from tests.door.conftest import session_at

    theirs = session_at(other_initiative, timezone.now().replace(microsecond=0))
    client.force_login(kiosk)
    assert getattr(client, method)(door_url(name, initiative, theirs)).status_code == 404


def test_a_kiosk_of_another_initiative_is_refused(client, initiative, other_initiative, today_session):
    client.force_login(make_user(other_initiative, "kiosk-elders", "kiosk"))
    assert client.get(door_url("kiosk", initiative, today_session)).status_code == 403


# --- the kiosk can do nothing else --------------------------------------------------------------


def test_a_kiosk_login_is_refused_member_and_staff_pages(client, initiative, kiosk, today_session, local):
    slug = {"initiative_slug": initiative.slug}
    person = person_of(local, initiative)
    client.force_login(kiosk)
    refused = [
        reverse("people:profile", kwargs=slug),
        reverse("people:languages", kwargs=slug),
        reverse("people:self-description", kwargs=slug),
        reverse("people:export-json", kwargs=slug),
        reverse("attendance:my-signups", kwargs=slug),
        reverse("activities:my-proposals", kwargs=slug),
        reverse("people:manage-list", kwargs=slug),
        reverse("people:manage-detail", kwargs={**slug, "pk": person.pk}),
        reverse("people:audit", kwargs=slug),
        reverse("activities:manage-list", kwargs=slug),
        reverse("attendance:session-registrations", kwargs={**slug, "pk": today_session.pk}),
    ]
    answers = {u: client.get(u).status_code for u in refused}
    assert all(code == 403 for code in answers.values()), answers


def test_a_kiosk_cannot_read_a_profile_through_any_url(client, initiative, kiosk, local):
    """Walk every URL of the project that takes a person's id: the kiosk never gets a 200."""
    from tests.core.test_tenancy import ALL_PATTERNS, OBJECT_KINDS

    person = person_of(local, initiative)
    client.force_login(kiosk)
    person_urls = [name for name, _route in ALL_PATTERNS if OBJECT_KINDS.get(name) == "person"]
    assert person_urls
    for name in person_urls:
        response = client.get(reverse(name, kwargs={"initiative_slug": initiative.slug, "pk": person.pk}))
        assert response.status_code in (403, 405), name
        assert b"Joost" not in response.content
