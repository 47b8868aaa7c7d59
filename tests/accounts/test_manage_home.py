"""The staff start page shows each role the tools it opens, and a kiosk login lands on the
check-in screen."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def hub(client, user):
    client.force_login(user)
    response = client.get(reverse("accounts:manage-home", kwargs={"initiative_slug": "voorkamer"}))
    assert response.status_code == 200
    return response.content.decode()


def test_a_host_sees_the_door_tools_only(client, host):
    page = hub(client, host)
    assert "/voorkamer/manage/welcome/" in page and "/voorkamer/kiosk/" in page
    assert "/voorkamer/manage/organise/" not in page
    assert "/voorkamer/manage/volunteers/" not in page


def test_an_organiser_sees_sessions_and_activities_but_not_coordination(client, organiser):
    page = hub(client, organiser)
    assert "/voorkamer/manage/organise/" in page and "/voorkamer/manage/activities/" in page
    assert "/voorkamer/manage/welcome/" not in page
    assert "/voorkamer/manage/proposals/" not in page
    assert "/voorkamer/manage/volunteers/" not in page


def test_a_coordinator_sees_every_tool(client, coordinator):
    page = hub(client, coordinator)
    for path in ("welcome/", "organise/", "activities/", "proposals/", "volunteers/", "people/",
                 "audit/", "initiative/"):
        assert f"/voorkamer/manage/{path}" in page, path


@pytest.mark.parametrize("role_fixture", ["newcomer", "kiosk", "partner"])
def test_members_kiosks_and_partners_are_refused(client, request, role_fixture):
    client.force_login(request.getfixturevalue(role_fixture))
    url = reverse("accounts:manage-home", kwargs={"initiative_slug": "voorkamer"})
    assert client.get(url).status_code == 403


def test_a_kiosk_login_lands_on_the_check_in_screen(client, kiosk):
    url = reverse("accounts:login", kwargs={"initiative_slug": "voorkamer"})
    response = client.post(url, {"username": kiosk.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/voorkamer/kiosk/"


def test_a_member_login_lands_on_the_calendar(client, newcomer):
    url = reverse("accounts:login", kwargs={"initiative_slug": "voorkamer"})
    response = client.post(url, {"username": newcomer.username, "password": PASSWORD})
    assert response["Location"] == "/voorkamer/"
