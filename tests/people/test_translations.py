"""The member pages speak Dutch (the default) and Arabic, right to left."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

JOIN = reverse("people:join", kwargs={"initiative_slug": "voorkamer"})


@pytest.mark.django_db
@pytest.mark.parametrize("lang,direction,heading,error", [
    ("nl", "ltr", "Word lid van De Voorkamer", "Deze pincode is te makkelijk te raden."),
    ("ar", "rtl", "انضم إلى De Voorkamer", "هذا الرقم السري سهل التخمين جدًا."),
])
def test_the_join_page_and_its_errors_are_translated(initiative, lang, direction, heading, error):
    client = Client(headers={"accept-language": lang})
    page = client.get(JOIN).content.decode()
    assert f'lang="{lang}" dir="{direction}"' in page
    assert heading in page
    response = client.post(JOIN, {"display_name": "Sam", "username": "sam", "password": "123456",
                                  "consent": "on"})
    assert error in response.content.decode()


@pytest.mark.django_db
def test_the_login_rate_limit_message_is_translated(initiative, newcomer, settings):
    settings.VERBINDING_LOGIN_ATTEMPTS = 1
    client = Client(headers={"accept-language": "nl"})
    url = reverse("accounts:login", kwargs={"initiative_slug": "voorkamer"})
    client.post(url, {"username": "amal", "password": "wrong-secret-99"})
    response = client.post(url, {"username": "amal", "password": "wrong-secret-99"})
    assert "Te veel pogingen" in response.content.decode()
