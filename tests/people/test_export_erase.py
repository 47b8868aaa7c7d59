"""A person sees, takes away (JSON/CSV) and erases their own data (privacy rule 5)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse

from tests.conftest import person_of
from tests.factories import SessionFactory
from verbinding.accounts.models import Role, User
from verbinding.attendance.models import CheckIn, Registration
from verbinding.core.models import AuditEntry
from verbinding.people import services
from verbinding.people.models import ConsentRecord, Person, PersonLanguage, SelfDescription


def url(name):
    return reverse(name, kwargs={"initiative_slug": "voorkamer"})


@pytest.fixture
def amal(initiative, newcomer):
    person = person_of(newcomer, initiative)
    services.update_profile(person=person, by=newcomer, display_name="أمل",
                            email="amal@example.org", phone="+31 6 11111111",
                            talents=["cooking"], interests=["music"],
                            availability=["tue-evening"])
    services.set_languages(person=person, by=newcomer, speaks={"ar": "fluent"}, wants=["nl"])
    ConsentRecord.objects.create(person=person, purpose="profile", given_at=person.created_at)
    session = SessionFactory(activity__initiative=initiative)
    Registration.objects.create(initiative=initiative, activity=session.activity, session=session,
                                person=person)
    CheckIn.objects.create(initiative=initiative, session=session, person=person)
    return person


@pytest.mark.django_db
def test_json_export_holds_the_persons_data_and_nothing_of_others(client, amal, newcomer, local):
    client.force_login(newcomer)
    response = client.get(url("people:export-json"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["profile"]["display_name"] == "أمل"
    assert data["profile"]["email"] == "amal@example.org"
    assert data["profile"]["talents"] == ["cooking"]
    assert {"language": "ar", "kind": "speaks", "level": "fluent"} in data["languages"]
    assert data["self_description"]["group"] == "newcomer"
    assert [c["purpose"] for c in data["consents"]] == ["profile"]
    assert len(data["registrations"]) == 1
    assert len(data["check_ins"]) == 1
    text = response.content.decode()
    assert "Joost" not in text and "joost" not in text
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert (entry.actor, entry.subject_person_id) == (newcomer, amal.pk)


@pytest.mark.django_db
def test_csv_export_holds_the_same_data_and_defuses_formulas(client, amal, newcomer, initiative):
    amal.display_name = "=HYPERLINK(1)"
    amal.save()
    client.force_login(newcomer)
    response = client.get(url("people:export-csv"))
    rows = dict(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows["profile.display_name"] == "'=HYPERLINK(1)"
    assert rows["profile.email"] == "amal@example.org"
    assert rows["self_description.gender"] == "woman"
    assert rows["languages[0].language"] == "ar"
    assert AuditEntry.objects.filter(action="export", detail__format="csv").count() == 1


@pytest.mark.django_db
def test_erase_asks_for_confirmation_first(client, amal, newcomer):
    client.force_login(newcomer)
    assert client.get(url("people:erase")).status_code == 200
    response = client.post(url("people:erase"), {})
    assert response.status_code == 200
    assert Person.objects.get(pk=amal.pk).display_name == "أمل"


@pytest.mark.django_db
def test_erase_leaves_no_name_contact_or_login_and_keeps_the_counts(client, amal, newcomer, local,
                                                                     initiative):
    joost = person_of(local, initiative)
    joost.referred_by_person = amal
    joost.save()
    token = amal.calendar_token
    client.force_login(newcomer)
    response = client.post(url("people:erase"), {"confirm": "on"})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    shell = Person.objects.get(pk=amal.pk)
    assert shell.display_name == "—"
    assert (shell.email, shell.phone) == ("", "")
    assert shell.talents == [] and shell.interests == [] and shell.availability == []
    assert shell.user is None and shell.anonymised_at is not None
    assert shell.calendar_token != token
    assert not User.objects.filter(username="amal").exists()
    assert not Role.objects.filter(user_id=newcomer.pk).exists()
    assert not PersonLanguage.objects.filter(person=shell).exists()
    assert not SelfDescription.objects.filter(person=shell).exists()
    assert not ConsentRecord.objects.filter(person=shell).exists()
    joost.refresh_from_db()
    assert joost.referred_by_person is None
    assert CheckIn.objects.filter(person=shell).count() == 1
    assert Registration.objects.filter(person=shell).count() == 1
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ERASE)
    assert entry.subject_person_id == shell.pk
    assert "أمل" not in json.dumps(entry.detail, ensure_ascii=False) + entry.view


@pytest.mark.django_db
def test_the_export_holds_team_places_exchange_lessons_proposals_and_survey_links(
    client, amal, newcomer, local, initiative
):
    import datetime as dt

    from verbinding.activities.proposals import propose
    from verbinding.exchange.models import ExchangeMatch, ExchangeRound, Offer, Want
    from verbinding.matching.models import Team, TeamMember, TeamRun
    from verbinding.surveys import services as surveys
    from verbinding.surveys.models import PulseAnswer, PulseAnswered, PulseResponse

    joost = person_of(local, initiative)
    session = amal.checkins.get().session
    project = session.activity
    run = TeamRun.objects.create(initiative=initiative, activity=project, status="done")
    team = Team.objects.create(run=run, number=3, slot="tue-evening", theme="music", published=True)
    TeamMember.objects.create(team=team, person=amal)
    TeamMember.objects.create(team=team, person=joost)
    Offer.objects.create(person=amal, language="ar", languages=["ar", "nl"], title="Arabisch café")
    Want.objects.create(person=amal, talent="cycling", languages=["ar"])
    Offer.objects.create(person=joost, talent="cycling", languages=["nl"], title="Fietsles van Joost")
    rnd = ExchangeRound.objects.create(initiative=initiative, status="done")
    ExchangeMatch.objects.create(round=rnd, cycle=0, giver=amal, receiver=joost, language="ar",
                                 taught_in="ar", slot="tue-evening", giver_answer="yes",
                                 receiver_answer="no")
    ExchangeMatch.objects.create(round=rnd, cycle=0, giver=joost, receiver=amal, talent="cycling",
                                 taught_in="nl", slot="tue-evening")
    propose(initiative=initiative, proposer=amal, by=newcomer, title="Samen koken",
            description="Syrisch eten", when="zaterdag", languages=["ar"], cost="free")
    propose(initiative=initiative, proposer=joost, by=local, title="Joosts wandeling",
            description="Langs de gracht", when="zondag", languages=["nl"], cost="free")
    link = surveys.give_link_consent(person=amal, by=newcomer)
    day = dt.date(2026, 11, 30)
    mine = PulseResponse.objects.create(initiative=initiative, session=session, language="ar",
                                        day=day, channel="phone", module="trust",
                                        pseudonym=link.pseudonym)
    PulseAnswer.objects.create(response=mine, item="talked_new", answer="more")
    other = PulseResponse.objects.create(initiative=initiative, session=session, language="nl",
                                         day=day, channel="kiosk", module="trust")
    PulseAnswer.objects.create(response=other, item="talked_new", answer="none")
    PulseAnswered.objects.create(person=amal, session=session)

    client.force_login(newcomer)
    data = json.loads(client.get(url("people:export-json")).content)
    assert data["team_places"] == [{
        "project": str(project), "run_started_at": run.created_at.isoformat(), "team": 3,
        "weekly_time": "tue-evening", "theme": "music", "published": True, "pinned": False}]
    exchange = data["exchange"]
    assert exchange["offers"] == [{"subject": "language:ar", "languages": ["ar", "nl"],
                                   "title": "Arabisch café"}]
    assert exchange["wants"] == [{"subject": "talent:cycling", "languages": ["ar"]}]
    assert [(x["role"], x["subject"], x["my_answer"]) for x in exchange["lessons"]] == [
        ("teach", "language:ar", "yes"), ("learn", "talent:cycling", "pending")]
    assert [p["title"] for p in data["proposals"]] == ["Samen koken"]
    assert data["surveys"]["linking_consent"]["consent_version"] == link.consent_version
    assert data["surveys"]["linked_answers"] == [
        {"day": "2026-11-30", "channel": "phone", "module": "trust", "language": "ar",
         "answers": {"talked_new": "more"}}]
    assert data["surveys"]["answered_sessions"] == [session.start.isoformat()]
    # Nothing of Joost: not his name, his offer, his proposal or his side of a lesson, and no
    # unlinked answer (the kiosk one, which nobody can trace back to anyone).
    text = json.dumps(data, ensure_ascii=False)
    for foreign in ("Joost", "Fietsles", "Joosts wandeling", '"no"', "none"):
        assert foreign not in text, foreign
    # The CSV carries the same sections.
    rows = dict(csv.reader(io.StringIO(client.get(url("people:export-csv")).content.decode("utf-8-sig"))))
    assert rows["team_places[0].team"] == "3"
    assert rows["exchange.lessons[0].subject"] == "language:ar"
    assert rows["surveys.linked_answers[0].answers.talked_new"] == "more"
    assert rows["proposals[0].title"] == "Samen koken"


@pytest.mark.django_db
def test_without_the_linking_consent_the_export_has_no_survey_answers(client, amal, newcomer):
    client.force_login(newcomer)
    data = json.loads(client.get(url("people:export-json")).content)
    assert data["surveys"] == {"linking_consent": None, "linked_answers": [], "answered_sessions": []}
    assert data["team_places"] == [] and data["proposals"] == []
    assert data["exchange"] == {"offers": [], "wants": [], "lessons": []}
