"""The pulse screens: the kiosk flow after a check-in, the member's phone, hostile input, who may
use which screen, and that the kiosk stays confined."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.conftest import make_user, person_of
from verbinding.attendance.checkin import check_in
from verbinding.surveys import services
from verbinding.surveys.items import RATHER_NOT_SAY, items_for
from verbinding.surveys.models import PulseAnswer, PulseAnswered, PulseResponse, SurveyLink

pytestmark = pytest.mark.django_db


def url(name, initiative, **kwargs):
    return reverse(f"surveys:{name}", kwargs={"initiative_slug": initiative.slug, **kwargs})


def kiosk_url(initiative, session):
    return f"{url('kiosk-pulse', initiative)}?t={services.mint_kiosk_token(session=session)}"


def hidden(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


def answer_all(client, initiative, action, first_html, *, choose=lambda item: item.answers[0].code):
    """Tap through every screen as a visitor would: post the hidden fields plus the tap."""
    html = first_html
    for item in items_for(services.local_day(initiative)):
        assert f'value="{item.answers[0].code}"' in html
        fields = {k: v for k, v in hidden(html).items() if k != "csrfmiddlewaretoken"}
        response = client.post(action, {**fields, "answer": choose(item)})
        html = response.content.decode()
    return response


# --- at the kiosk ------------------------------------------------------------------------------

def test_the_door_offers_the_pulse_after_a_check_in_with_htmx(kiosk_client, initiative, today_session, local):
    response = kiosk_client.post(
        reverse("door:checkin", kwargs={"initiative_slug": initiative.slug, "pk": today_session.pk}),
        {"person": person_of(local, initiative).pk}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "/pulse/kiosk/?t=" in html and 'data-seconds="8"' in html
    token = re.search(r"/pulse/kiosk/\?t=([^\"&]+)", html).group(1)
    assert services.read_kiosk_token(initiative=initiative, token=token).session == today_session


def test_the_door_offers_the_pulse_without_javascript_and_never_keeps_the_link(
    kiosk_client, initiative, today_session
):
    door = reverse("door:guest", kwargs={"initiative_slug": initiative.slug, "pk": today_session.pk})
    response = kiosk_client.post(door, {"group": "unspecified"}, follow=True)
    assert "/pulse/kiosk/?t=" in response.content.decode()
    assert "pulse" not in str(dict(kiosk_client.session))


def test_the_door_offers_no_pulse_after_an_error(kiosk_client, initiative, today_session):
    response = kiosk_client.post(
        reverse("door:checkin", kwargs={"initiative_slug": initiative.slug, "pk": today_session.pk}),
        {"person": "999999"}, HTTP_HX_REQUEST="true")
    assert "/pulse/kiosk/" not in response.content.decode()


def test_a_visitor_answers_every_screen_at_the_kiosk_and_goes_back_to_the_door(
    kiosk_client, initiative, today_session
):
    kiosk_client.cookies["verbinding_language"] = "ar"
    first = kiosk_client.get(kiosk_url(initiative, today_session))
    assert first.status_code == 200 and first["Cache-Control"] == "no-store"
    assert 'dir="rtl"' in first.content.decode()
    action = url("kiosk-pulse", initiative)
    done = answer_all(kiosk_client, initiative, action, first.content.decode())
    assert done.status_code == 200
    html = done.content.decode()
    assert reverse("door:session", kwargs={"initiative_slug": initiative.slug, "pk": today_session.pk}) in html
    response = PulseResponse.objects.get()
    assert response.channel == "kiosk" and response.session == today_session and response.language == "ar"
    assert PulseAnswer.objects.count() == len(items_for(response.day))


def test_nothing_is_stored_until_the_last_screen(kiosk_client, initiative, today_session):
    first = kiosk_client.get(kiosk_url(initiative, today_session)).content.decode()
    fields = {k: v for k, v in hidden(first).items() if k != "csrfmiddlewaretoken"}
    second = kiosk_client.post(url("kiosk-pulse", initiative), {**fields, "answer": "one"})
    assert second.status_code == 200 and 'name="a_talked_new" value="one"' in second.content.decode()
    assert not PulseResponse.objects.exists()


def test_back_goes_to_the_previous_question_and_forgets_its_answer(kiosk_client, initiative, today_session):
    first = kiosk_client.get(kiosk_url(initiative, today_session)).content.decode()
    token = hidden(first)["t"]
    response = kiosk_client.post(url("kiosk-pulse", initiative),
                                 {"t": token, "step": "1", "a_talked_new": "more", "back": "1"})
    html = response.content.decode()
    assert 'name="step" value="0"' in html and "a_talked_new" not in html


def test_done_on_a_module_question_stores_what_was_answered(kiosk_client, initiative, today_session):
    token = hidden(kiosk_client.get(kiosk_url(initiative, today_session)).content.decode())["t"]
    answers = {"a_talked_new": "one", "a_pleasant": "5", "a_ideas_count": RATHER_NOT_SAY,
               "a_together": "yes", "a_met_outside": "no"}
    response = kiosk_client.post(url("kiosk-pulse", initiative),
                                 {"t": token, "step": "5", **answers, "finish": "1"})
    assert response.status_code == 200
    assert PulseAnswer.objects.count() == 5
    assert kiosk_client.post(url("kiosk-pulse", initiative),
                             {"t": token, "step": "5", **answers, "finish": "1"}).status_code == 410
    assert PulseResponse.objects.count() == 1


def test_done_is_ignored_on_the_five_weekly_questions(kiosk_client, initiative, today_session):
    token = hidden(kiosk_client.get(kiosk_url(initiative, today_session)).content.decode())["t"]
    response = kiosk_client.post(url("kiosk-pulse", initiative), {"t": token, "step": "0", "finish": "1"})
    assert response.status_code == 200 and not PulseResponse.objects.exists()


@pytest.mark.parametrize("data", [
    {"step": "0", "answer": "lots"},
    {"step": "0", "answer": "<script>alert(1)</script>"},
    {"step": "99", "answer": "one"},
    {"step": "-1", "answer": "one"},
    {"step": "x", "answer": "one"},
    {"step": "1", "a_talked_new": "x" * 100_000, "answer": "5"},
    {"step": "1", "a_talked_new": "one", "answer": "5", "a_pleasant": "1", "a_made_up": "yes"},
])
def test_hostile_screens_get_a_clear_message_and_store_nothing(kiosk_client, initiative, today_session, data):
    token = hidden(kiosk_client.get(kiosk_url(initiative, today_session)).content.decode())["t"]
    response = kiosk_client.post(url("kiosk-pulse", initiative), {"t": token, **data})
    html = response.content.decode()
    if "a_made_up" in data:  # unknown fields are ignored, not stored
        assert response.status_code == 200 and "a_made_up" not in html
    else:
        assert response.status_code == 400 and 'role="alert"' in html
        assert "<script>alert" not in html
    assert not PulseResponse.objects.exists()


@pytest.mark.parametrize("token", ["", "forged", "x" * 10_000])
def test_a_forged_or_missing_link_is_refused(kiosk_client, initiative, token):
    response = kiosk_client.get(f"{url('kiosk-pulse', initiative)}?t={token}")
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()


def test_a_replayed_link_is_refused(kiosk_client, initiative, today_session):
    link = kiosk_url(initiative, today_session)
    token = link.split("t=")[1]
    services.submit_kiosk_pulse(initiative=initiative, token=token, language="nl", answers={})
    assert kiosk_client.get(link).status_code == 410


def test_a_link_of_another_initiative_is_refused(kiosk_client, initiative, their_session):
    assert kiosk_client.get(kiosk_url(initiative, their_session)).status_code == 400


@pytest.mark.parametrize("role", ["member", "organiser", "partner", "volunteer"])
def test_people_without_a_door_role_cannot_use_a_kiosk_link(client, initiative, today_session, role):
    client.force_login(make_user(initiative, f"someone-{role}", role))
    assert client.get(kiosk_url(initiative, today_session)).status_code == 403
    assert not PulseResponse.objects.exists()


def test_an_anonymous_visitor_is_sent_to_login(client, initiative, today_session):
    response = client.get(kiosk_url(initiative, today_session))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_kiosk_of_another_initiative_is_refused(client, initiative, other_initiative, today_session):
    client.force_login(make_user(other_initiative, "kiosk-elders", "kiosk"))
    assert client.get(kiosk_url(initiative, today_session)).status_code == 403


def test_the_kiosk_cannot_open_the_member_pages(kiosk_client, initiative, today_session):
    for name, kwargs in (("mine", {}), ("phone-pulse", {"pk": today_session.pk})):
        assert kiosk_client.get(url(name, initiative, **kwargs)).status_code == 403
    assert kiosk_client.post(url("linking", initiative), {"action": "give", "consent": "yes"}).status_code == 403


# --- on the member's phone ---------------------------------------------------------------------

def test_a_member_sees_the_sessions_they_can_answer(client, initiative, today_session, last_week_session, local):
    person = person_of(local, initiative)
    check_in(session=today_session, person=person)
    client.force_login(local)
    html = client.get(url("mine", initiative)).content.decode()
    assert url("phone-pulse", initiative, pk=today_session.pk) in html
    assert url("phone-pulse", initiative, pk=last_week_session.pk) not in html  # not there


def test_a_member_answers_on_their_phone_once(client, initiative, today_session, local):
    person = person_of(local, initiative)
    check_in(session=today_session, person=person)
    client.force_login(local)
    action = url("phone-pulse", initiative, pk=today_session.pk)
    done = answer_all(client, initiative, action, client.get(action).content.decode(),
                      choose=lambda item: item.answers[-1].code)
    assert done.status_code == 200
    response = PulseResponse.objects.get()
    assert response.channel == "phone" and response.pseudonym_id is None
    assert PulseAnswered.objects.filter(person=person, session=today_session).exists()
    again = client.get(action)
    assert again.status_code == 409
    assert action not in client.get(url("mine", initiative)).content.decode()


def test_a_member_cannot_answer_for_a_session_they_missed(client, initiative, today_session, local):
    client.force_login(local)
    assert client.get(url("phone-pulse", initiative, pk=today_session.pk)).status_code == 403


def test_another_initiatives_session_is_404(client, initiative, their_session, local):
    client.force_login(local)
    assert client.get(url("phone-pulse", initiative, pk=their_session.pk)).status_code == 404
    assert client.get(url("phone-pulse", initiative, pk=2**70)).status_code == 404


@pytest.mark.parametrize("role", ["kiosk", "partner"])
def test_kiosk_and_partner_logins_are_refused_the_member_pages(client, initiative, today_session, role):
    client.force_login(make_user(initiative, f"someone-{role}", role))
    assert client.get(url("mine", initiative)).status_code == 403
    assert client.get(url("phone-pulse", initiative, pk=today_session.pk)).status_code == 403


def test_a_member_gives_and_withdraws_the_linking_consent(client, initiative, local):
    client.force_login(local)
    refused = client.post(url("linking", initiative), {"action": "give"})  # box not ticked
    assert refused.status_code == 400 and not SurveyLink.objects.exists()
    client.post(url("linking", initiative), {"action": "give", "consent": "yes"})
    assert SurveyLink.objects.filter(person=person_of(local, initiative)).exists()
    client.post(url("linking", initiative), {"action": "withdraw"})
    assert not SurveyLink.objects.exists()


def test_the_linking_form_is_post_only_with_csrf(initiative, local):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(local)
    assert strict.get(url("linking", initiative)).status_code == 405
    assert strict.post(url("linking", initiative), {"action": "give", "consent": "yes"}).status_code == 403
    assert not SurveyLink.objects.exists()


def test_the_member_area_links_to_the_pulse(client, initiative, local):
    client.force_login(local)
    html = client.get(reverse("attendance:my-signups", kwargs={"initiative_slug": initiative.slug})).content.decode()
    assert url("mine", initiative) in html


def test_each_kiosk_screen_takes_a_fixed_number_of_queries(kiosk_client, initiative, today_session,
                                                           django_assert_max_num_queries):
    link = kiosk_url(initiative, today_session)
    kiosk_client.get(link)  # warm the session and role caches
    with django_assert_max_num_queries(8):
        first = kiosk_client.get(link).content.decode()
    fields = {k: v for k, v in hidden(first).items() if k != "csrfmiddlewaretoken"}
    with django_assert_max_num_queries(8):
        kiosk_client.post(url("kiosk-pulse", initiative), {**fields, "answer": "one"})
