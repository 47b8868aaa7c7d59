"""Registering someone without email or phone on their behalf: consent recorded (who, when,
what), no login, a card when they want one, optional check-in now; bad input writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.welcome.conftest import NOW, make_session, url
from verbinding.attendance.models import CheckIn
from verbinding.core.models import AuditEntry
from verbinding.people.models import ConsentRecord, MemberCard, Person, PersonLanguage

pytestmark = pytest.mark.django_db


def form(**overrides):
    data = {
        "display_name": "Rahel", "preferred_language": "ar", "consent_profile": "on",
        "consent_card": "on", "interests": ["music", "food"], "talents": ["cooking"],
        "speaks_ti": "fluent", "speaks_ar": "good", "email": "", "phone": "",
        "check_in_session": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def counts():
    return (Person.objects.count(), ConsentRecord.objects.count(), MemberCard.objects.count(),
            PersonLanguage.objects.count(), CheckIn.objects.count(),
            AuditEntry.objects.filter(action=AuditEntry.Action.CONSENT).count())


def test_a_host_registers_someone_without_email_or_phone(client, host, initiative):
    client.force_login(host)
    response = client.post(url("welcome:register"), form())
    person = Person.objects.get(display_name="Rahel")
    assert response.status_code == 302
    assert response["Location"] == url("welcome:card", pk=person.pk)
    assert person.initiative == initiative
    assert person.user is None and person.email == "" and person.phone == ""
    assert person.preferred_language == "ar"
    assert person.interests == ["food", "music"]  # vocabulary order
    assert person.talents == ["cooking"]
    assert {(row.language, row.level) for row in person.languages.all()} == {
        ("ti", "fluent"), ("ar", "good")
    }
    consents = ConsentRecord.objects.filter(person=person)
    assert {row.purpose for row in consents} == {"profile", "card"}
    for row in consents:
        assert row.recorded_by == host
        assert abs(row.given_at - NOW) < dt.timedelta(minutes=1)
        assert row.withdrawn_at is None
    audit = AuditEntry.objects.filter(action=AuditEntry.Action.CONSENT, subject_person_id=person.pk,
                                      view="welcome:register")
    assert sorted(row.detail.get("purpose") for row in audit) == ["card", "card", "profile"]
    assert all(row.actor == host for row in audit)
    card = MemberCard.objects.get(person=person)
    assert card.revoked_at is None and card.issued_by == host and card.initiative == initiative
    assert not any(card.token in str(row.detail) for row in AuditEntry.objects.all())


def test_without_a_card_consent_no_card_is_made(client, coordinator, initiative):
    client.force_login(coordinator)
    client.post(url("welcome:register"), form(consent_card=None))
    person = Person.objects.get(display_name="Rahel")
    assert not MemberCard.objects.filter(person=person).exists()
    assert list(ConsentRecord.objects.filter(person=person).values_list("purpose", flat=True)) == [
        "profile"
    ]


def test_without_the_profile_consent_nothing_is_written(client, host, initiative):
    client.force_login(host)
    before = counts()
    response = client.post(url("welcome:register"), form(consent_profile=None))
    assert response.status_code == 200
    assert "without it we cannot register them" in response.content.decode()
    assert counts() == before


def test_a_contact_needs_the_contact_consent(client, host, initiative):
    client.force_login(host)
    before = counts()
    response = client.post(url("welcome:register"), form(phone="+31 6 12345678"))
    assert "tick that they agree to be contacted" in response.content.decode()
    assert counts() == before
    client.post(url("welcome:register"), form(phone="+31 6 12345678", consent_contact="on"))
    person = Person.objects.get(display_name="Rahel")
    assert person.phone == "+31 6 12345678"
    assert set(person.consents.values_list("purpose", flat=True)) == {"profile", "card", "contact"}


def test_a_contact_consent_without_a_contact_is_not_recorded(client, host, initiative):
    client.force_login(host)
    client.post(url("welcome:register"), form(consent_contact="on"))
    person = Person.objects.get(display_name="Rahel")
    assert "contact" not in set(person.consents.values_list("purpose", flat=True))


def test_check_them_in_now_to_one_of_todays_sessions(client, host, initiative, today_session):
    client.force_login(host)
    page = client.get(url("welcome:register")).content.decode()
    assert "Language café" in page
    client.post(url("welcome:register"), form(check_in_session=str(today_session.pk)))
    person = Person.objects.get(display_name="Rahel")
    checkin = CheckIn.objects.get(person=person)
    assert checkin.session == today_session
    assert checkin.method == "name" and checkin.recorded_by == host
    # They appear on the panel as a first-time visitor.
    panel = client.get(url("welcome:panel")).content.decode()
    assert "Rahel" in panel and "First visit" in panel


def test_a_session_that_is_not_today_cannot_be_chosen(client, host, initiative,
                                                     yesterday_session, other_initiative):
    elsewhere = make_session(other_initiative, NOW)
    client.force_login(host)
    before = counts()
    for session in (yesterday_session, elsewhere):
        response = client.post(url("welcome:register"), form(check_in_session=str(session.pk)))
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
    assert counts() == before


def test_a_failing_check_in_rolls_the_registration_back(client, host, initiative, today_session,
                                                      monkeypatch):
    from verbinding.core.errors import DomainError
    from verbinding.welcome import services

    def refuse(**kwargs):
        raise DomainError("checkin_session_cancelled")

    monkeypatch.setattr(services, "check_in", refuse)
    client.force_login(host)
    before = counts()
    response = client.post(url("welcome:register"), form(check_in_session=str(today_session.pk)))
    assert response.status_code == 200
    assert "cancelled" in response.content.decode()
    assert counts() == before


def test_a_name_that_exists_asks_to_confirm_a_different_person(client, host, initiative):
    Person.objects.create(initiative=initiative, display_name="Rahel")
    client.force_login(host)
    response = client.post(url("welcome:register"), form(display_name="rahel"))
    page = response.content.decode()
    assert "Someone with this name is already registered here" in page
    assert 'name="confirm_new_name"' in page
    assert Person.objects.filter(display_name__iexact="rahel").count() == 1
    client.post(url("welcome:register"), form(display_name="rahel", confirm_new_name="on"))
    assert Person.objects.filter(display_name__iexact="rahel").count() == 2


HOSTILE_NAMES = [
    "<script>alert(1)</script>",
    "Ra\u202ehel",  # right-to-left override
    "Ra\x00hel",  # NUL
    "'; DROP TABLE people_person; --{}",
    "x" * 100_000,
    "",
    "   ",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=["html", "rlo", "nul", "sql", "huge", "empty",
                                                     "blank"])
def test_hostile_or_huge_names_are_refused_and_nothing_is_written(client, host, initiative, name):
    client.force_login(host)
    before = counts()
    response = client.post(url("welcome:register"), form(display_name=name))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    assert 'class="errorlist' in page
    assert counts() == before


@pytest.mark.parametrize(("field", "value"), [
    ("preferred_language", "xx"),
    ("preferred_language", "<b>nl</b>"),
    ("interests", ["music", "religion"]),
    ("talents", ["x" * 100_000]),
    ("speaks_ar", "native<script>"),
    ("email", "not-an-email"),
    ("email", "a@" + "b" * 100_000 + ".nl"),
    ("phone", "call me maybe"),
    ("phone", "1" * 100_000),
    ("check_in_session", "1 OR 1=1"),
    ("check_in_session", "\x00"),
])
def test_wrong_values_are_refused_with_a_message_and_nothing_is_written(
    client, host, initiative, field, value
):
    client.force_login(host)
    before = counts()
    response = client.post(url("welcome:register"), form(**{field: value}))
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert counts() == before


def test_a_refusal_is_translated(client, host, initiative):
    from django.test import Client

    client = Client(headers={"accept-language": "ar"})
    client.force_login(host)
    page = client.post(url("welcome:register"), form(consent_profile=None)).content.decode()
    assert 'lang="ar" dir="rtl"' in page
    assert "without it we cannot register them" not in page
    assert "لا يمكننا تسجيله" in page


def test_the_form_shows_what_they_agree_to_in_every_language(client, host, initiative):
    client.force_login(host)
    page = client.get(url("welcome:register")).content.decode()
    assert '<div class="agreement" lang="ar" dir="rtl">' in page
    assert '<div class="agreement" lang="nl" dir="ltr">' in page
    assert "You can stop at any time" in page  # English version
    assert "Je kunt altijd stoppen" in page  # Dutch version
    # The person's language is preselected as the page's language.
    assert '<option value="en" selected lang="en" dir="ltr">' in page


def test_the_form_never_asks_for_sensitive_data(client, host, initiative):
    client.force_login(host)
    page = client.get(url("welcome:register")).content.decode().lower()
    for word in ("nationality", "religion\"", "birth", "residence", "gender", "group"):
        assert f'name="{word}' not in page
