"""Exchange pages: who may see and do what, bad input, htmx progress."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.conftest import person_of
from verbinding.core.models import AuditEntry
from verbinding.exchange import services
from verbinding.exchange.models import ExchangeMatch, ExchangeRound, Offer, Want

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"exchange:{name}", kwargs={"initiative_slug": "voorkamer", **kwargs})


def test_anonymous_visitors_are_sent_to_login(client, initiative):
    for name in ("mine", "manage"):
        response = client.get(url(name))
        assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["newcomer", "kiosk", "partner", "organiser", "host"])
def test_only_coordinators_reach_the_manage_pages(client, initiative, persona, request):
    client.force_login(request.getfixturevalue(persona))
    round_ = ExchangeRound.objects.create(initiative=initiative, status="done")
    assert client.get(url("manage")).status_code == 403
    assert client.post(url("run")).status_code == 403
    assert client.get(url("round-detail", pk=round_.pk)).status_code == 403
    assert client.get(url("round-progress", pk=round_.pk)).status_code == 403
    assert not ExchangeRound.objects.exclude(pk=round_.pk).exists()


@pytest.mark.parametrize("persona", ["kiosk", "partner"])
def test_kiosk_and_partner_have_no_member_page(client, initiative, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url("mine")).status_code == 403
    assert client.post(url("offer-add"), {"offer-subject": "talent:cooking"}).status_code == 403


def test_a_member_adds_and_removes_offers_and_wants(client, initiative, newcomer):
    client.force_login(newcomer)
    response = client.post(url("offer-add"), {"offer-subject": "language:ar", "offer-languages": ["en"],
                                               "offer-title": "Levantine Arabic"})
    assert response.status_code == 302
    response = client.post(url("want-add"), {"want-subject": "talent:bike_repair"})
    assert response.status_code == 302
    page = client.get(url("mine")).content.decode()
    assert "Levantine Arabic" in page
    offer, want = Offer.objects.get(), Want.objects.get()
    assert offer.languages == ["en"] and want.talent == "bike_repair"
    assert client.post(url("offer-remove", pk=offer.pk)).status_code == 302
    assert client.post(url("want-remove", pk=want.pk)).status_code == 302
    assert not Offer.objects.exists() and not Want.objects.exists()


HOSTILE = [
    {"offer-subject": "<script>alert(1)</script>"},
    {"offer-subject": "talent:cooking' OR 1=1 --"},
    {"offer-subject": "talent:cooking", "offer-title": "<b>hi</b>\u202e"},
    {"offer-subject": "talent:cooking", "offer-title": "a\x00b"},
    {"offer-subject": "talent:cooking", "offer-title": "x" * 100_000},
    {"offer-subject": "x" * 100_000},
    {"offer-subject": "talent:cooking", "offer-languages": ["nl", "x" * 100_000]},
    {},
]


@pytest.mark.parametrize("data", HOSTILE)
def test_hostile_or_huge_offers_get_a_clear_error_and_write_nothing(client, initiative, newcomer, data):
    client.force_login(newcomer)
    response = client.post(url("offer-add"), data)
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert "<script>alert" not in response.content.decode()
    assert not Offer.objects.exists()


@pytest.mark.parametrize("data", [{}, {"want-subject": "\x00"}, {"want-subject": "y" * 100_000},
                                  {"want-subject": "talent:cooking", "want-languages": "<svg onload=x>"}])
def test_hostile_wants_are_refused(client, initiative, newcomer, data):
    client.force_login(newcomer)
    response = client.post(url("want-add"), data)
    assert response.status_code == 400 and not Want.objects.exists()


def test_errors_are_translated(client, initiative, newcomer):
    client.force_login(newcomer)
    client.cookies["verbinding_language"] = "nl"
    response = client.post(url("offer-add"), {"offer-subject": "talent:cooking", "offer-title": "x" * 81},
                           HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 400
    assert "Hou het kort" in response.content.decode()


def test_a_duplicate_offer_is_an_error_on_the_field(client, initiative, newcomer):
    client.force_login(newcomer)
    client.post(url("offer-add"), {"offer-subject": "talent:cooking"})
    response = client.post(url("offer-add"), {"offer-subject": "talent:cooking"})
    assert response.status_code == 400 and Offer.objects.count() == 1


def test_a_member_cannot_touch_someone_elses_offer(client, initiative, newcomer, local):
    offer = services.add_offer(person=person_of(local, initiative), subject="talent:cooking")
    want = services.add_want(person=person_of(local, initiative), subject="talent:music")
    client.force_login(newcomer)
    assert client.post(url("offer-remove", pk=offer.pk)).status_code == 404
    assert client.post(url("want-remove", pk=want.pk)).status_code == 404
    assert Offer.objects.filter(pk=offer.pk).exists() and Want.objects.filter(pk=want.pk).exists()


def _matched(initiative, pair):
    return services.start_round(initiative=initiative, time_limit=2.0)


def test_a_member_sees_and_confirms_only_their_own_match(client, initiative, pair, member):
    amal, joost = pair
    round_ = _matched(initiative, pair)
    lesson = round_.matches.get(giver=amal)
    # Someone outside the exchange cannot see or answer it.
    client.force_login(member)
    assert "Joost" not in client.get(url("mine")).content.decode()
    assert client.post(url("match-answer", pk=lesson.pk), {"answer": "no"}).status_code == 404
    assert client.post(url("match-happened", pk=lesson.pk), {"happened": "yes"}).status_code == 404
    assert set(round_.matches.values_list("status", flat=True)) == {"proposed"}
    # Amal sees who teaches her what and answers for herself only.
    client.force_login(amal.user)
    client.cookies["verbinding_language"] = "en"
    page = client.get(url("mine")).content.decode()
    assert "Joost" in page and "Bike repair" in page
    assert client.post(url("match-answer", pk=lesson.pk), {"answer": "yes"}).status_code == 302
    lesson.refresh_from_db()
    assert (lesson.giver_answer, lesson.receiver_answer, lesson.status) == ("yes", "pending", "proposed")
    assert client.post(url("match-answer", pk=lesson.pk), {"answer": "perhaps"}).status_code == 302
    lesson.refresh_from_db()
    assert lesson.status == "proposed"
    client.force_login(joost.user)
    client.post(url("match-answer", pk=lesson.pk), {"answer": "yes"})
    assert set(round_.matches.values_list("status", flat=True)) == {"confirmed"}


def test_did_it_happen_buttons_appear_after_the_follow_up_weeks(client, initiative, pair):
    amal, joost = pair
    round_ = _matched(initiative, pair)
    for person in (amal, joost):
        services.answer_exchange(match=round_.matches.first(), person=person, answer="yes")
    client.force_login(amal.user)
    assert 'name="happened"' not in client.get(url("mine")).content.decode()
    lesson = round_.matches.get(giver=amal)
    response = client.post(url("match-happened", pk=lesson.pk), {"happened": "yes"})
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.giver_happened == "unknown"  # too early: refused
    ExchangeMatch.objects.filter(round=round_).update(
        decided_at=lesson.decided_at - timedelta(weeks=services.FOLLOW_UP_WEEKS))
    assert 'name="happened"' in client.get(url("mine")).content.decode()
    client.post(url("match-happened", pk=lesson.pk), {"happened": "yes"})
    lesson.refresh_from_db()
    assert lesson.giver_happened == "yes" and lesson.receiver_happened == "unknown"


def test_a_coordinator_runs_matching_and_sees_the_result(client, initiative, pair, coordinator):
    _amal, _joost = pair
    client.force_login(coordinator)
    page = client.get(url("manage")).content.decode()
    assert "bike" in page.lower() or "fiets" in page.lower()
    response = client.post(url("run"))
    round_ = ExchangeRound.objects.get()
    assert response.status_code == 302 and response["Location"] == url("round-detail", pk=round_.pk)
    assert round_.status == "done" and round_.matched == 2
    page = client.get(response["Location"]).content.decode()
    assert "Joost" in page and "أمل" in page
    # Group is shown as a count only; never a person's group.
    assert "newcomer" not in page.lower().replace("a newcomer and a local", "")
    assert AuditEntry.objects.filter(view="exchange:round-detail", actor=coordinator).exists()


def test_a_second_run_while_one_is_active_is_refused(client, initiative, pair, coordinator):
    ExchangeRound.objects.create(initiative=initiative, status="queued")
    client.force_login(coordinator)
    response = client.post(url("run"), follow=True)
    assert ExchangeRound.objects.count() == 1
    assert response.status_code == 200


def test_the_progress_fragment_polls_while_running_and_refreshes_when_done(client, initiative, coordinator):
    round_ = ExchangeRound.objects.create(initiative=initiative, status="running", pool_size=5)
    client.force_login(coordinator)
    fragment = client.get(url("round-progress", pk=round_.pk), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 2s"' in fragment.content.decode() and "HX-Refresh" not in fragment
    page = client.get(url("round-detail", pk=round_.pk)).content.decode()
    assert 'hx-trigger="every 2s"' in page
    ExchangeRound.objects.filter(pk=round_.pk).update(status="done", matched=0, upper_bound=0)
    fragment = client.get(url("round-progress", pk=round_.pk), HTTP_HX_REQUEST="true")
    assert fragment["HX-Refresh"] == "true" and "every 2s" not in fragment.content.decode()


def test_objects_of_another_initiative_are_404(client, initiative, other_initiative, outsider, coordinator):
    round_ = ExchangeRound.objects.create(initiative=other_initiative, status="done")
    client.force_login(coordinator)
    assert client.get(url("round-detail", pk=round_.pk)).status_code == 404
    assert client.get(url("round-progress", pk=round_.pk)).status_code == 404
