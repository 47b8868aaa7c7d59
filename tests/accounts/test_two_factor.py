"""Two-step login (TOTP) for staff: set-up, verification at login, and enforcement on staff views."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD


def url(name, **kwargs):
    return reverse(name, kwargs={"initiative_slug": "voorkamer", **kwargs})


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.fixture
def staff_2fa_on(settings):
    settings.VERBINDING_REQUIRE_STAFF_2FA = True


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["coordinator", "organiser", "host"])
def test_a_staff_login_goes_to_two_factor_setup_first(client, staff_2fa_on, persona, request):
    user = request.getfixturevalue(persona)
    response = client.post(url("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url.startswith(url("accounts:two-factor"))


@pytest.mark.django_db
def test_a_member_is_never_asked_for_a_second_factor(client, staff_2fa_on, newcomer):
    response = client.post(url("accounts:login"), {"username": "amal", "password": PASSWORD})
    assert response.url == url("activities:calendar")
    assert client.get(url("people:profile")).status_code == 200


@pytest.mark.django_db
def test_a_staff_view_refuses_an_unverified_staff_session(client, staff_2fa_on, coordinator):
    client.force_login(coordinator)
    response = client.get(url("people:manage-list"))
    assert response.status_code == 302
    assert response.url.startswith(url("accounts:two-factor"))
    TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    response = client.get(url("people:manage-list"))
    assert response.url.startswith(url("accounts:verify-otp"))


@pytest.mark.django_db
def test_staff_without_the_flag_reach_staff_views_without_a_second_factor(client, coordinator):
    client.force_login(coordinator)
    assert client.get(url("people:manage-list")).status_code == 200


@pytest.mark.django_db
def test_setup_shows_a_qr_code_and_a_wrong_code_keeps_two_factor_off(client, staff_2fa_on,
                                                                       coordinator):
    client.force_login(coordinator)
    page = client.get(url("accounts:two-factor")).content.decode()
    assert re.search(r'<img src="data:image/svg\+xml', page)
    device = TOTPDevice.objects.get(user=coordinator)
    assert not device.confirmed
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post(url("accounts:two-factor"), {"token": wrong})
    assert response.status_code == 200
    assert "not right" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    response = client.post(url("accounts:two-factor"), {"token": "<script>\u202e" + "9" * 10_000})
    assert response.status_code == 200
    assert "<script>\u202e" not in response.content.decode()


@pytest.mark.django_db
def test_setup_then_staff_views_open_and_the_next_login_asks_for_a_code(client, staff_2fa_on,
                                                                          coordinator):
    client.force_login(coordinator)
    client.get(url("accounts:two-factor"))
    device = TOTPDevice.objects.get(user=coordinator)
    response = client.post(url("accounts:two-factor") + "?next=" + url("people:manage-list"),
                           {"token": code_for(device)})
    assert response.url == url("people:manage-list")
    assert client.get(url("people:manage-list")).status_code == 200

    client.post(url("accounts:logout"))
    response = client.post(url("accounts:login"), {"username": "coco", "password": PASSWORD})
    assert response.url.startswith(url("accounts:verify-otp"))
    assert client.get(url("people:manage-list")).status_code == 302
    # Adding another device needs the existing one first.
    assert client.get(url("accounts:two-factor")).url.startswith(url("accounts:verify-otp"))
    response = client.post(url("accounts:verify-otp"), {"token": "000000"})
    assert response.status_code == 200
    assert client.get(url("people:manage-list")).status_code == 302


@pytest.mark.django_db
def test_verify_accepts_the_current_code(client, staff_2fa_on, coordinator):
    device = TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    client.force_login(coordinator)
    response = client.post(url("accounts:verify-otp"), {"token": code_for(device)})
    assert response.status_code == 302
    assert client.get(url("people:manage-list")).status_code == 200


@pytest.mark.django_db
def test_two_factor_pages_send_anonymous_visitors_to_login(client, initiative):
    for name in ("accounts:two-factor", "accounts:verify-otp"):
        response = client.get(url(name))
        assert response.status_code == 302
        assert response.url.startswith(url("accounts:login"))
