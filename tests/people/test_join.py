"""Joining: a nickname and a PIN are enough; bad input leaves nothing half-written."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD
from verbinding.accounts.models import Role, User
from verbinding.people.models import ConsentRecord, PartnerOrganisation, Person

JOIN = reverse("people:join", kwargs={"initiative_slug": "voorkamer"})


def valid(**overrides):
    data = {"display_name": "Sam", "username": "sam", "password": "482915", "consent": "on"}
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_join_with_only_a_nickname_and_a_pin_makes_a_member(client, initiative):
    response = client.post(JOIN, valid())
    assert response.status_code == 302
    person = Person.objects.get(initiative=initiative)
    assert person.display_name == "Sam"
    assert person.email == "" and person.phone == ""
    assert person.user.check_password("482915")
    assert list(Role.objects.filter(user=person.user).values_list("name", flat=True)) == ["member"]
    consent = ConsentRecord.objects.get(person=person)
    assert consent.purpose == ConsentRecord.Purpose.PROFILE and consent.withdrawn_at is None
    assert client.session["_auth_user_id"] == str(person.user.pk)


@pytest.mark.django_db
def test_join_records_a_partner_organisation_as_referral(client, initiative):
    partner = PartnerOrganisation.objects.create(initiative=initiative, name="COA Utrecht")
    client.post(JOIN, valid(brought_by=f"partner-{partner.pk}"))
    assert Person.objects.get(initiative=initiative).referred_by_partner == partner


@pytest.mark.django_db
def test_join_matches_a_referring_member_by_login_name_within_the_initiative_only(
    client, initiative, newcomer, outsider
):
    client.post(JOIN, valid(brought_by="member", member_login="AMAL"))
    assert Person.objects.get(user__username="sam").referred_by_person.user == newcomer
    client.logout()
    client.post(JOIN, valid(username="kim", brought_by="member", member_login="otto"))
    assert Person.objects.get(user__username="kim").referred_by_person is None


@pytest.mark.django_db
def test_join_offers_only_active_partners_of_this_initiative(client, initiative, other_initiative):
    PartnerOrganisation.objects.create(initiative=initiative, name="Vluchtelingenwerk")
    PartnerOrganisation.objects.create(initiative=initiative, name="Oud partner", active=False)
    PartnerOrganisation.objects.create(initiative=other_initiative, name="Andere gemeente")
    page = client.get(JOIN).content.decode()
    assert "Vluchtelingenwerk" in page
    assert "Oud partner" not in page
    assert "Andere gemeente" not in page
    inactive = PartnerOrganisation.objects.get(name="Oud partner")
    response = client.post(JOIN, valid(brought_by=f"partner-{inactive.pk}"))
    assert response.status_code == 200
    assert not User.objects.filter(username="sam").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("overrides,field", [
    ({"display_name": "<script>alert(1)</script>"}, "display_name"),
    ({"display_name": "Sam\u202eevil"}, "display_name"),
    ({"display_name": "x" * 10_000}, "display_name"),
    ({"display_name": ""}, "display_name"),
    ({"username": "amal"}, "username"),
    ({"username": "AMAL"}, "username"),
    ({"username": "has space"}, "username"),
    ({"username": "u" * 10_000}, "username"),
    ({"password": "123456"}, "password"),
    ({"password": "111111"}, "password"),
    ({"password": "12345"}, "password"),
    ({"password": "short"}, "password"),
    ({"password": "p" * 10_000}, "password"),
    ({"consent": ""}, "consent"),
    ({"email": "not-an-email"}, "email"),
    ({"phone": "call me maybe"}, "phone"),
    ({"phone": "-" * 10_000}, "phone"),
    ({"brought_by": "partner-999999"}, "brought_by"),
    ({"member_login": "m" * 10_000, "brought_by": "member"}, "member_login"),
])
def test_join_with_bad_input_shows_an_error_and_writes_nothing(client, initiative, newcomer,
                                                                  overrides, field):
    users, people = User.objects.count(), Person.objects.count()
    response = client.post(JOIN, valid(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert User.objects.count() == users
    assert Person.objects.count() == people
    assert "_auth_user_id" not in client.session
    page = response.content.decode()
    assert "<script>alert(1)" not in page
    assert 'class="errorlist' in page


@pytest.mark.django_db
def test_a_failure_halfway_through_joining_leaves_no_user(client, initiative, monkeypatch):
    from verbinding.people import services

    def boom(**kwargs):
        raise RuntimeError("database fell over")

    monkeypatch.setattr(services.ConsentRecord.objects, "create", boom)
    with pytest.raises(RuntimeError):
        services.join(initiative=initiative, display_name="Sam", username="sam",
                      password="482915", consent=True)
    assert not User.objects.filter(username="sam").exists()
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_a_member_who_is_logged_in_is_sent_to_their_profile(client, newcomer):
    client.force_login(newcomer)
    response = client.get(JOIN)
    assert response.url == reverse("people:profile", kwargs={"initiative_slug": "voorkamer"})


@pytest.mark.django_db
def test_an_arabic_name_with_zero_width_joiners_is_accepted(client, initiative):
    client.post(JOIN, valid(display_name="نور\u200cالهدى", username="noor", password=PASSWORD))
    assert Person.objects.get(user__username="noor").display_name == "نور\u200cالهدى"
