"""Login per initiative: credentials, the rate limit and the audit row of a failed attempt."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from tests.conftest import PASSWORD, make_user
from verbinding.core.models import AuditEntry


def login_url(slug="voorkamer"):
    return reverse("accounts:login", kwargs={"initiative_slug": slug})


def calendar_url(slug="voorkamer"):
    return reverse("activities:calendar", kwargs={"initiative_slug": slug})


@pytest.mark.django_db
def test_a_member_logs_in_with_login_name_and_pin(client, initiative):
    user = make_user(initiative, "pinuser", "member")
    user.set_password("482915")
    user.save()
    response = client.post(login_url(), {"username": "pinuser", "password": "482915"})
    assert response.status_code == 302
    assert response.url == calendar_url()
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_login_follows_a_local_next_but_not_an_external_one(client, newcomer):
    response = client.post(login_url() + "?next=/voorkamer/me/",
                           {"username": "amal", "password": PASSWORD})
    assert response.url == "/voorkamer/me/"
    client.logout()
    response = client.post(login_url() + "?next=https://evil.example/",
                           {"username": "amal", "password": PASSWORD})
    assert response.url == calendar_url()


@pytest.mark.django_db
def test_a_wrong_password_is_refused_and_audited_without_the_password(client, initiative, newcomer):
    response = client.post(login_url(), {"username": "amal", "password": "wrong-secret-99"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "do not match" in response.content.decode()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN_FAILED)
    assert entry.initiative == initiative
    assert entry.detail == {"username": "amal"}
    assert "wrong-secret-99" not in str(entry.detail) + entry.view


@pytest.mark.django_db
def test_a_user_of_another_initiative_cannot_log_in_here(client, initiative, outsider):
    response = client.post(login_url(), {"username": "otto", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_is_refused_after_too_many_failures_even_with_the_right_password(
    client, settings, newcomer
):
    settings.VERBINDING_LOGIN_ATTEMPTS = 3
    settings.VERBINDING_LOGIN_WINDOW_SECONDS = 600
    with time_machine.travel("2026-03-02 10:00 +0000", tick=False) as clock:
        for _ in range(3):
            client.post(login_url(), {"username": "amal", "password": "wrong-secret-99"})
        response = client.post(login_url(), {"username": "AMAL", "password": PASSWORD})
        assert "_auth_user_id" not in client.session
        assert "Too many attempts" in response.content.decode()
        # Another login name from the same address is not blocked.
        make_user(newcomer.roles.first().initiative, "bram", "member")
        client.post(login_url(), {"username": "bram", "password": PASSWORD})
        assert "_auth_user_id" in client.session
        client.logout()
        clock.shift(601)
        client.post(login_url(), {"username": "amal", "password": PASSWORD})
        assert client.session["_auth_user_id"] == str(newcomer.pk)


@pytest.mark.django_db
def test_a_successful_login_resets_the_failure_count(client, settings, newcomer):
    settings.VERBINDING_LOGIN_ATTEMPTS = 3
    for _ in range(2):
        client.post(login_url(), {"username": "amal", "password": "wrong-secret-99"})
    client.post(login_url(), {"username": "amal", "password": PASSWORD})
    client.logout()
    for _ in range(2):
        client.post(login_url(), {"username": "amal", "password": "wrong-secret-99"})
    client.post(login_url(), {"username": "amal", "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(newcomer.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("username,password", [
    ("", ""),
    ("a" * 10_000, PASSWORD),
    ("amal", "x" * 10_000),
    ("<script>alert(1)</script>\u202e", PASSWORD),
])
def test_hostile_or_huge_login_input_is_refused_escaped(client, newcomer, username, password):
    response = client.post(login_url(), {"username": username, "password": password})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "<script>alert(1)" not in response.content.decode()


@pytest.mark.django_db
def test_logout_needs_post(client, newcomer):
    client.force_login(newcomer)
    url = reverse("accounts:logout", kwargs={"initiative_slug": "voorkamer"})
    assert client.get(url).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(url)
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_page_of_an_unknown_initiative_is_404(client, initiative):
    assert client.get(login_url("nowhere")).status_code == 404
