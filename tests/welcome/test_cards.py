"""Personal QR cards: issue (with consent), revoke, reissue a lost card in one step, and the
printable card — in the person's language, the token only in the QR code, never elsewhere."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from tests.conftest import make_user
from tests.welcome.conftest import url
from verbinding.core.errors import DomainError
from verbinding.core.models import AuditEntry
from verbinding.people.models import ConsentRecord, MemberCard, Person
from verbinding.welcome import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(initiative, host):
    return services.register_person(
        initiative=initiative, by=host, display_name="Rahel", preferred_language="ar",
        consents=["profile", "card"],
    )


def live_cards(person):
    return MemberCard.objects.filter(person=person, revoked_at__isnull=True)


def resolves(token: str) -> bool:
    """What a scan at the door can find: a live card with this token."""
    return MemberCard.objects.filter(token=token, revoked_at__isnull=True).exists()


def test_the_card_page_shows_the_live_card_and_audits_the_read(client, host, person):
    client.force_login(host)
    page = client.get(url("welcome:card", pk=person.pk)).content.decode()
    card = live_cards(person).get()
    assert "There is a card that works" in page
    assert url("welcome:card-print", pk=card.pk) in page
    assert card.token not in page
    assert AuditEntry.objects.filter(action="profile_view", view="welcome:card",
                                     subject_person_id=person.pk, actor=host).count() == 1


def test_a_card_needs_the_persons_consent(client, coordinator, initiative):
    someone = Person.objects.create(initiative=initiative, display_name="Joost")
    client.force_login(coordinator)
    page = client.get(url("welcome:card", pk=someone.pk)).content.decode()
    assert 'name="consent"' in page
    client.post(url("welcome:card", pk=someone.pk))
    assert not MemberCard.objects.filter(person=someone).exists()
    client.post(url("welcome:card", pk=someone.pk), {"consent": "on"})
    card = live_cards(someone).get()
    assert card.issued_by == coordinator
    consent = ConsentRecord.objects.get(person=someone, purpose="card")
    assert consent.recorded_by == coordinator
    assert AuditEntry.objects.filter(action="consent", subject_person_id=someone.pk,
                                     detail__change="card_issued").count() == 1


def test_issuing_when_a_card_is_live_changes_nothing(client, host, person):
    card = live_cards(person).get()
    client.force_login(host)
    response = client.post(url("welcome:card", pk=person.pk), {"consent": "on"}, follow=True)
    assert "already has a card" in response.content.decode()
    assert list(live_cards(person)) == [card]


def test_reissue_leaves_exactly_one_live_card_and_the_old_token_stops_working(
    client, host, person
):
    old = live_cards(person).get()
    client.force_login(host)
    response = client.post(url("welcome:card-reissue", pk=person.pk))
    assert response.status_code == 302
    new = live_cards(person).get()
    assert new.pk != old.pk and new.token != old.token
    old.refresh_from_db()
    assert old.revoked_at is not None and old.revoked_by == host
    assert not resolves(old.token)
    assert resolves(new.token)
    changes = list(AuditEntry.objects.filter(subject_person_id=person.pk, view="welcome:card-reissue")
                   .order_by("id").values_list("detail__change", flat=True))
    assert changes == ["card_revoked", "card_reissued"]
    for token in (old.token, new.token):
        assert not AuditEntry.objects.filter(detail__icontains=token).exists()
        assert not any(token in str(row.detail) for row in AuditEntry.objects.all())


def test_a_failed_reissue_keeps_the_old_card(host, person, monkeypatch):
    old = live_cards(person).get()

    def broken(**kwargs):
        raise IntegrityError("disk full")

    monkeypatch.setattr(services, "_issue", broken)
    with pytest.raises(IntegrityError):
        services.reissue_card(person=person, by=host)
    old.refresh_from_db()
    assert old.revoked_at is None
    assert resolves(old.token)


def test_revoke_stops_the_card_without_a_new_one(client, host, person):
    old = live_cards(person).get()
    client.force_login(host)
    client.post(url("welcome:card-revoke", pk=person.pk))
    assert not live_cards(person).exists()
    assert not resolves(old.token)
    page = client.get(url("welcome:card", pk=person.pk)).content.decode()
    assert "There is no card that works." in page
    assert "1 earlier card no longer works." in page
    # Consent to a card was given once; a new card needs no new tick.
    assert 'name="consent"' not in page
    client.post(url("welcome:card", pk=person.pk))
    assert live_cards(person).count() == 1


def test_revoking_or_reissuing_without_a_card_says_so(client, host, initiative):
    someone = Person.objects.create(initiative=initiative, display_name="Joost")
    client.force_login(host)
    for name in ("welcome:card-revoke", "welcome:card-reissue"):
        page = client.post(url(name, pk=someone.pk), follow=True).content.decode()
        assert "no card that works, so there is none to stop" in page
    assert not MemberCard.objects.filter(person=someone).exists()


def test_two_issues_at_once_still_give_one_live_card(host, initiative):
    someone = Person.objects.create(initiative=initiative, display_name="Joost")
    services.issue_card(person=someone, by=host, consent=True)
    with pytest.raises(DomainError) as error:
        services.issue_card(person=someone, by=host, consent=True)
    assert error.value.code == "welcome_card_exists"
    assert live_cards(someone).count() == 1


# --- Printing --------------------------------------------------------------------------------

def test_the_print_page_is_in_the_persons_language_with_the_qr_only(client, host, person):
    card = live_cards(person).get()
    client.force_login(host)
    response = client.get(url("welcome:card-print", pk=card.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    # The host's page is English; the card itself is Arabic, right to left.
    assert '<html lang="en" dir="ltr">' in page
    assert '<article class="member-card" lang="ar" dir="rtl"' in page
    assert "De Voorkamer" in page and "Rahel" in page
    assert '<svg viewBox="0 0 41 41" class="card-qr">' in page
    assert "يمكنك التوقف في أي وقت" in page  # how to withdraw, in Arabic
    assert card.token not in page
    assert "welcome/card.css" in page and "welcome/print.js" in page
    assert AuditEntry.objects.filter(view="welcome:card-print", subject_person_id=person.pk,
                                     action="profile_view").count() == 1


def test_the_print_stylesheet_is_credit_card_size():
    from django.contrib.staticfiles import finders

    with open(finders.find("welcome/card.css"), encoding="utf-8") as handle:
        css = handle.read()
    assert "@page { size: 85.6mm 54mm; margin: 0; }" in css
    assert "margin-left" not in css and "padding-left" not in css


def test_a_person_without_a_language_gets_the_meeting_places_first_language(
    client, host, initiative
):
    someone = services.register_person(initiative=initiative, by=host, display_name="Sam",
                                       preferred_language="", consents=["profile", "card"])
    card = live_cards(someone).get()
    client.force_login(host)
    page = client.get(url("welcome:card-print", pk=card.pk)).content.decode()
    assert '<article class="member-card" lang="nl" dir="ltr"' in page


def test_a_revoked_card_does_not_print(client, host, person):
    old = live_cards(person).get()
    services.reissue_card(person=person, by=host)
    client.force_login(host)
    assert client.get(url("welcome:card-print", pk=old.pk)).status_code == 404
    new = live_cards(person).get()
    assert client.get(url("welcome:card-print", pk=new.pk)).status_code == 200


def test_a_card_of_another_initiative_cannot_be_printed_or_managed(
    client, host, outsider, other_initiative
):
    theirs = services.register_person(initiative=other_initiative, by=outsider,
                                      display_name="Bea", preferred_language="nl",
                                      consents=["profile", "card"])
    card = live_cards(theirs).get()
    boss = make_user(host.roles.first().initiative, "boss", "coordinator", "host")
    client.force_login(boss)
    assert client.get(url("welcome:card-print", pk=card.pk)).status_code == 404
    assert client.get(url("welcome:card", pk=theirs.pk)).status_code == 404
    for name in ("welcome:card", "welcome:card-reissue", "welcome:card-revoke"):
        assert client.post(url(name, pk=theirs.pk), {"consent": "on"}).status_code == 404
    assert list(live_cards(theirs)) == [card]


def test_an_erased_person_has_no_card_page(client, host, person):
    from verbinding.people.services import erase_person

    card = live_cards(person).get()
    erase_person(person=person, by=host)
    client.force_login(host)
    assert client.get(url("welcome:card", pk=person.pk)).status_code == 404
    assert client.get(url("welcome:card-print", pk=card.pk)).status_code == 404


CARD_URLS = ["welcome:card", "welcome:card-reissue", "welcome:card-revoke", "welcome:card-print"]


@pytest.mark.parametrize("role", ["member", "kiosk", "partner", "organiser"])
def test_only_hosts_and_coordinators_handle_cards(client, initiative, person, role):
    card = live_cards(person).get()
    client.force_login(make_user(initiative, f"u-{role}", role))
    for name in CARD_URLS:
        pk = card.pk if name == "welcome:card-print" else person.pk
        assert client.get(url(name, pk=pk)).status_code in (403, 405)
        assert client.post(url(name, pk=pk)).status_code in (403, 405)
    assert list(live_cards(person)) == [card]


def test_erasing_a_person_deletes_their_cards(host, person):
    from verbinding.people.services import erase_person

    old = live_cards(person).get()
    services.reissue_card(person=person, by=host)
    erase_person(person=person, by=host)
    assert not MemberCard.objects.filter(person=person).exists()
    assert not resolves(old.token)


def test_the_coordinators_person_page_links_to_the_card_page(client, coordinator, person):
    client.force_login(coordinator)
    page = client.get(url("people:manage-detail", pk=person.pk)).content.decode()
    assert url("welcome:card", pk=person.pk) in page
