"""A person's preferred language: set at join from the page language, editable on the profile,
part of the export, cleared on erasure."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import person_of
from verbinding.people import services
from verbinding.people.models import Person


def url(name):
    return reverse(name, kwargs={"initiative_slug": "voorkamer"})


JOIN_DATA = {"display_name": "Sam", "username": "sam", "password": "482915", "consent": "on"}


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ar", "nl", "en"])
def test_joining_in_a_language_makes_it_the_preferred_language(initiative, lang):
    client = Client(headers={"accept-language": lang})
    response = client.post(url("people:join"), JOIN_DATA)
    assert response.status_code == 302
    assert Person.objects.get(initiative=initiative).preferred_language == lang


@pytest.mark.django_db
def test_joining_with_the_language_cookie_set_to_arabic_prefers_arabic(initiative):
    client = Client(headers={"accept-language": "nl"})
    client.cookies["verbinding_language"] = "ar"
    client.post(url("people:join"), JOIN_DATA)
    assert Person.objects.get(initiative=initiative).preferred_language == "ar"


@pytest.mark.django_db
@pytest.mark.parametrize(("given", "stored"), [
    ("ar", "ar"), ("AR", "ar"), ("ar-eg", "ar"), ("fr", ""), ("", ""), ("<script>", ""),
    ("x" * 10_000, ""),
])
def test_the_join_service_stores_only_site_languages(initiative, given, stored):
    person = services.join(initiative=initiative, display_name="Sam", username="sam",
                           password="482915", consent=True, preferred_language=given)
    assert person.preferred_language == stored


@pytest.mark.django_db
def test_the_profile_offers_each_language_in_its_own_name(client, local):
    client.force_login(local)
    html = client.get(url("people:profile")).content.decode()
    assert 'name="preferred_language"' in html
    assert 'value="ar" lang="ar" dir="rtl"' in html
    assert "العربيّة" in html
    assert "Nederlands" in html
    assert 'value="nl" lang="nl" dir="ltr"' in html


@pytest.mark.django_db
def test_a_member_changes_their_preferred_language_on_the_profile(client, initiative, local):
    client.force_login(local)
    response = client.post(url("people:profile"), {"display_name": "Joost",
                                                    "preferred_language": "ar"})
    assert response.status_code == 302
    assert person_of(local, initiative).preferred_language == "ar"
    client.post(url("people:profile"), {"display_name": "Joost", "preferred_language": ""})
    assert person_of(local, initiative).preferred_language == ""


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["fr", "<script>alert(1)</script>", "\u202ear", "a" * 10_000,
                                   "-1"])
def test_a_language_outside_the_list_is_refused_and_nothing_changes(client, initiative, local,
                                                                    value):
    Person.objects.filter(user=local).update(preferred_language="nl")
    client.force_login(local)
    response = client.post(url("people:profile"), {"display_name": "Joost 2",
                                                    "preferred_language": value})
    assert response.status_code == 200
    assert "preferred_language" in response.context["form"].errors
    assert "<script>alert" not in response.content.decode()
    person = person_of(local, initiative)
    assert (person.preferred_language, person.display_name) == ("nl", "Joost")


@pytest.mark.django_db
def test_the_preferred_language_is_in_the_export_and_gone_after_erasure(client, initiative,
                                                                         local):
    Person.objects.filter(user=local).update(preferred_language="ar")
    client.force_login(local)
    data = json.loads(client.get(url("people:export-json")).content)
    assert data["profile"]["preferred_language"] == "ar"
    person = person_of(local, initiative)
    services.erase_person(person=person, by=local)
    assert Person.objects.get(pk=person.pk).preferred_language == ""


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "label"), [("nl", "Taal voor berichten aan jou"),
                                             ("ar", "لغة الرسائل إليك")])
def test_the_language_choice_is_labelled_in_the_page_language(local, lang, label):
    client = Client(headers={"accept-language": lang})
    client.force_login(local)
    assert label in client.get(url("people:profile")).content.decode()
