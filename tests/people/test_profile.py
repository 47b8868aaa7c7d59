"""A member's own profile, languages and the optional self-description with its consent."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import person_of
from verbinding.people.models import ConsentRecord, PersonLanguage, SelfDescription


def url(name):
    return reverse(name, kwargs={"initiative_slug": "voorkamer"})


@pytest.mark.django_db
def test_a_member_saves_talents_interests_and_a_weekly_availability_grid(client, initiative, local):
    client.force_login(local)
    page = client.get(url("people:profile")).content.decode()
    assert page.count('name="availability"') == 21
    response = client.post(url("people:profile"), {
        "display_name": "Joost", "email": "joost@example.org", "phone": "+31 6 12345678",
        "talents": ["cooking", "bike_repair"], "interests": ["music"],
        "availability": ["mon-evening", "sat-morning"],
    })
    assert response.status_code == 302
    person = person_of(local, initiative)
    assert person.talents == ["cooking", "bike_repair"]
    assert person.interests == ["music"]
    assert person.availability == ["mon-evening", "sat-morning"]
    assert person.email == "joost@example.org"


@pytest.mark.django_db
@pytest.mark.parametrize("overrides", [
    {"talents": ["cooking", "legal_status"]},
    {"availability": ["mon-night"]},
    {"display_name": "J" * 10_000},
    {"display_name": "\u202eJoost"},
    {"brought_by": "partner--5"},
])
def test_a_bad_profile_change_is_refused_and_nothing_changes(client, initiative, local, overrides):
    client.force_login(local)
    data = {"display_name": "Joost 2", "talents": ["cooking"]}
    data.update(overrides)
    response = client.post(url("people:profile"), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    person = person_of(local, initiative)
    assert person.display_name == "Joost"
    assert person.talents == []


@pytest.mark.django_db
def test_a_member_sets_spoken_languages_with_levels_and_wanted_languages(client, initiative,
                                                                         newcomer):
    client.force_login(newcomer)
    response = client.post(url("people:languages"), {
        "speaks_ar": "fluent", "speaks_nl": "basic", "wants": ["nl", "en"],
    })
    assert response.status_code == 302
    rows = set(PersonLanguage.objects.filter(person=person_of(newcomer, initiative))
               .values_list("language", "kind", "level"))
    assert rows == {("ar", "speaks", "fluent"), ("nl", "speaks", "basic"),
                    ("nl", "wants", "basic"), ("en", "wants", "basic")}
    response = client.post(url("people:languages"), {"speaks_ar": "native!!", "wants": ["xx"]})
    assert response.status_code == 200
    assert PersonLanguage.objects.filter(person__user=newcomer).count() == 4


@pytest.mark.django_db
def test_self_description_needs_its_own_consent(client, initiative, organiser):
    client.force_login(organiser)
    response = client.post(url("people:self-description"), {"group": "local", "gender": "man"})
    assert response.status_code == 200
    assert "consent" in response.context["form"].errors
    assert not SelfDescription.objects.exists()
    assert not ConsentRecord.objects.exists()


@pytest.mark.django_db
def test_self_description_is_saved_with_consent_and_deleted_on_withdrawal(client, initiative,
                                                                          organiser):
    client.force_login(organiser)
    person = person_of(organiser, initiative)
    page = client.get(url("people:self-description")).content.decode()
    assert "balanced teams" in page
    response = client.post(url("people:self-description"),
                           {"group": "newcomer", "gender": "woman", "consent": "on"})
    assert response.status_code == 302
    described = SelfDescription.objects.get(person=person)
    assert (described.group, described.gender) == ("newcomer", "woman")
    assert described.consented_at is not None
    consent = ConsentRecord.objects.get(person=person, purpose="self_description")
    assert consent.withdrawn_at is None

    client.post(url("people:self-description"), {"withdraw": "1"})
    assert not SelfDescription.objects.filter(person=person).exists()
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize("data", [
    {"group": "refugee", "gender": "woman", "consent": "on"},
    {"group": "newcomer", "gender": "x" * 10_000, "consent": "on"},
    {"group": "", "gender": "", "consent": "on"},
])
def test_self_description_rejects_values_outside_the_list(client, organiser, data):
    client.force_login(organiser)
    response = client.post(url("people:self-description"), data)
    assert response.status_code == 200
    assert not SelfDescription.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["people:profile", "people:languages", "people:self-description",
                                  "people:export-json", "people:export-csv", "people:erase"])
def test_own_pages_send_anonymous_visitors_to_login_and_refuse_logins_without_a_person(
    client, kiosk, partner, outsider, name
):
    response = client.get(url(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login",
                                           kwargs={"initiative_slug": "voorkamer"}))
    for user in (kiosk, partner, outsider):
        client.force_login(user)
        assert client.get(url(name)).status_code == 403


@pytest.mark.django_db
def test_the_profile_page_renders_a_hostile_name_escaped(client, initiative, local):
    person = person_of(local, initiative)
    person.display_name = "<script>alert(1)</script>"
    person.save()
    client.force_login(local)
    page = client.get(url("people:profile")).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
