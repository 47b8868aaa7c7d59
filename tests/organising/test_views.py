"""Views of the organising app: who may see what, the attendance page, the writes behind it,
hostile input, and what members see on "My sign-ups"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import make_user, person_of
from tests.organising.conftest import make_session, people, sign_up_before
from verbinding.attendance import services as attendance
from verbinding.attendance.models import CheckIn, GuestTally, SessionMessage
from verbinding.core.models import AuditEntry
from verbinding.organising import services


def url(name, session=None, **params):
    kwargs = {"initiative_slug": "voorkamer"}
    if session is not None:
        kwargs["pk"] = session.pk
    return reverse(f"organising:{name}", kwargs=kwargs)


def client_for(user, lang="en"):
    client = Client(headers={"accept-language": lang})
    client.force_login(user)
    return client


def flashes(response):
    """The flash messages stored so far (unread ones pile up while redirects are not followed)."""
    return [str(m) for m in response.wsgi_request._messages]


# --- who may see what ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["member", "kiosk", "partner", "host"])
def test_people_without_the_organiser_or_coordinator_role_are_refused(
    initiative, past_session, role
):
    user = make_user(initiative, f"someone-{role}", role)
    client = client_for(user)
    for name in ("sessions",):
        assert client.get(url(name)).status_code == 403
    for name in ("session", "cancel", "message"):
        assert client.get(url(name, past_session)).status_code == 403
    for name in ("present", "undo", "guests", "cancel", "message"):
        assert client.post(url(name, past_session), {"person": "1", "count": "1"}).status_code == 403
    assert not CheckIn.objects.exists() and not GuestTally.objects.exists()


def test_an_organiser_of_another_activity_is_refused_its_sessions(
    initiative, organiser, other_activity
):
    theirs = make_session(other_activity, days=-1)
    amal, = people(initiative, "Amal")
    client = client_for(organiser)
    for name in ("session", "cancel", "message"):
        assert client.get(url(name, theirs)).status_code == 403
    for name in ("present", "cancel", "message", "guests"):
        response = client.post(url(name, theirs),
                               {"person": str(amal.pk), "count": "2", "group": "local",
                                "body": "Hi", "message": ""})
        assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.status == "planned"
    assert not CheckIn.objects.exists() and not GuestTally.objects.exists()
    assert not SessionMessage.objects.exists()
    assert "Sewing café" not in client.get(url("sessions")).content.decode()


def test_an_unknown_session_is_404(organiser):
    client = client_for(organiser)
    response = client.get(reverse("organising:session",
                                  kwargs={"initiative_slug": "voorkamer", "pk": 999999}))
    assert response.status_code == 404


def test_the_list_shows_my_sessions_with_counts(initiative, organiser, past_session,
                                                future_session):
    a, = people(initiative, "A")
    services.mark_present(session=past_session, person_ids=[a.pk], by=organiser)
    page = client_for(organiser).get(url("sessions"))
    assert page.status_code == 200
    html = page.content.decode()
    assert url("session", past_session) in html and url("session", future_session) in html
    assert "Present <strong>1</strong>" in html and "New <strong>1</strong>" in html


# --- the attendance page ---------------------------------------------------------------------


def test_the_page_shows_signed_up_present_and_who_is_new_and_is_audited_once_a_day(
    initiative, organiser, activity, past_session, other_activity
):
    signed, walkin, regular = people(initiative, "Signedup", "Walkin", "Regular")
    sign_up_before(past_session, signed, regular)
    earlier = make_session(activity, days=-9)
    services.mark_present(session=earlier, person_ids=[regular.pk], by=organiser)
    services.mark_present(session=past_session, person_ids=[walkin.pk, regular.pk], by=organiser)
    client = client_for(organiser)

    html = client.get(url("session", past_session)).content.decode()
    assert "New here: first visit" in html
    assert "Did not sign up" in html
    assert f'name="person" value="{signed.pk}"' in html  # still to tick
    rows = AuditEntry.objects.filter(action="profile_view", view="organising:session",
                                     actor=organiser)
    assert set(rows.values_list("subject_person_id", flat=True)) == {
        signed.pk, walkin.pk, regular.pk
    }
    client.get(url("session", past_session))
    assert rows.count() == 3


def test_an_organiser_marks_two_people_present_afterwards(initiative, organiser, past_session):
    a, b = people(initiative, "Aya", "Bram")
    sign_up_before(past_session, a, b)
    client = client_for(organiser)
    response = client.post(url("present", past_session), {"person": [str(a.pk), str(b.pk)]})
    assert response.status_code == 302
    assert flashes(response) == ["2 people marked present."]
    assert set(CheckIn.objects.filter(session=past_session, method="organiser")
               .values_list("person_id", flat=True)) == {a.pk, b.pk}
    response = client.post(url("undo", past_session), {"person": str(a.pk)})
    assert flashes(response)[-1] == "No longer marked present."
    assert list(CheckIn.objects.filter(session=past_session).values_list("person_id", flat=True)) == [b.pk]


def test_a_member_who_did_not_sign_up_is_found_by_name_and_added(
    initiative, other_initiative, organiser, past_session
):
    fatima, = people(initiative, "Fatima")
    people(other_initiative, "Fatima elders")
    client = client_for(organiser)
    html = client.get(url("session", past_session), {"q": "fati"}).content.decode()
    assert "Fatima" in html and "Fatima elders" not in html
    assert f'value="{fatima.pk}"' in html
    client.post(url("present", past_session), {"person": str(fatima.pk)})
    assert CheckIn.objects.filter(session=past_session, person=fatima).exists()


@pytest.mark.parametrize("value", ["abc", "-1", "0", "1.5", "9" * 40, "1\x00", "<script>",
                                   "1 OR 1=1", "x" * 100_000])
def test_hostile_person_ids_are_refused_with_a_message_and_nothing_is_written(
    organiser, past_session, value
):
    response = client_for(organiser).post(url("present", past_session), {"person": value})
    assert response.status_code == 302
    assert flashes(response) and "marked present" not in flashes(response)[0]
    assert not CheckIn.objects.exists()


def test_a_person_of_another_initiative_is_refused(other_initiative, organiser, past_session):
    stranger, = people(other_initiative, "Bea")
    response = client_for(organiser).post(url("present", past_session), {"person": str(stranger.pk)})
    assert flashes(response) == ["This person is not a member of this meeting place."]
    assert not CheckIn.objects.exists()


def test_guests_are_counted_and_bad_counts_refused_with_a_message(organiser, past_session):
    client = client_for(organiser)
    response = client.post(url("guests", past_session), {"count": "4", "group": "newcomer"})
    assert response.status_code == 302
    assert GuestTally.objects.get(session=past_session).count == 4
    for count, group in (("abc", "local"), ("501", "local"), ("-2", "local"),
                         ("x" * 100_000, "local"), ("2", "<script>"), ("2", "alien")):
        response = client.post(url("guests", past_session), {"count": count, "group": group})
        message = flashes(response)[-1]
        assert message in {"Count between 1 and 500 guests at a time.", "Choose one of the buttons."}
    assert GuestTally.objects.filter(session=past_session).count() == 1


def test_nothing_can_be_marked_before_the_session_began(initiative, organiser, future_session):
    a, = people(initiative, "A")
    client = client_for(organiser)
    html = client.get(url("session", future_session)).content.decode()
    assert "You can mark people present once the session has begun." in html or "Nobody" in html
    response = client.post(url("present", future_session), {"person": str(a.pk)})
    assert "has not started yet" in flashes(response)[0]
    assert not CheckIn.objects.exists()


def test_an_old_session_shows_totals_only(settings, initiative, organiser, activity):
    settings.VERBINDING_HISTORY_MONTHS = 1
    old = make_session(activity, days=-60)
    a, = people(initiative, "Oldname")
    CheckIn.objects.create(initiative=initiative, session=old, person=a, at=old.start)
    html = client_for(organiser).get(url("session", old)).content.decode()
    assert "Oldname" not in html
    assert "only the totals are shown" in html
    assert not AuditEntry.objects.filter(view="organising:session").exists()


# --- message -----------------------------------------------------------------------------------


def test_a_message_is_sent_and_the_counts_are_shown(
    initiative, organiser, future_session, mailoutbox, django_capture_on_commit_callbacks
):
    a, = people(initiative, "Aya", email=True)
    b, = people(initiative, "Bram")
    for p in (a, b):
        attendance.sign_up(session=future_session, person=p, by=None)
    client = client_for(organiser)
    assert "Goes to 2 people signed up." in client.get(url("message", future_session)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("message", future_session), {"body": "See you at 7!"})
    assert response.status_code == 302
    assert flashes(response) == ["Sent to 2 people, 1 by email."]
    assert [m.to for m in mailoutbox] == [["aya@example.org"]]
    html = client.get(url("session", future_session)).content.decode()
    assert "See you at 7!" in html and "to 2 people, 1 by email" in html


@pytest.mark.parametrize(("body", "error"), [
    ("", "Schrijf eerst een bericht."),
    ("x" * 100_000, "Een bericht kan hoogstens 2000 tekens lang zijn."),
    ("<script>alert('x')</script>", "Schrijf gewone tekst: HTML-tags of code worden niet verstuurd."),
    ("Hallo\x00", None),
    ("Hallo \u202e", None),
])
def test_a_bad_message_gets_a_translated_error_and_nothing_is_sent(
    initiative, organiser, future_session, mailoutbox, django_capture_on_commit_callbacks,
    body, error,
):
    a, = people(initiative, "Aya", email=True)
    attendance.sign_up(session=future_session, person=a, by=None)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(organiser, lang="nl").post(url("message", future_session),
                                                         {"body": body})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="errorlist' in html
    if error:
        assert error in html
    assert "<script>alert" not in html
    assert not SessionMessage.objects.exists() and mailoutbox == []


# --- cancellation --------------------------------------------------------------------------------


def test_an_organiser_cancels_with_a_message_and_members_see_it_on_my_signups(
    initiative, organiser, newcomer, future_session, mailoutbox,
    django_capture_on_commit_callbacks,
):
    amal = person_of(newcomer, initiative)
    attendance.sign_up(session=future_session, person=amal, by=None)
    client = client_for(organiser)
    assert "1 person is signed up." in client.get(url("cancel", future_session)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("cancel", future_session),
                               {"message": "The room is flooded <b>sorry</b>"})
    assert response.status_code == 400  # markup refused, nothing cancelled
    future_session.refresh_from_db()
    assert future_session.status == "planned"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("cancel", future_session), {"message": "The room is flooded."})
    assert response.status_code == 302
    assert flashes(response) == ["Sent to 1 person, 0 by email."]
    future_session.refresh_from_db()
    assert future_session.status == "cancelled"

    page = client_for(newcomer).get(reverse("attendance:my-signups",
                                            kwargs={"initiative_slug": "voorkamer"}))
    html = page.content.decode()
    assert "Messages from the organisers" in html
    assert "The room is flooded." in html
    assert "This session is cancelled" in html


def test_the_coordinators_cancel_button_notifies_members_too(
    initiative, coordinator, local, future_session, mailoutbox, django_capture_on_commit_callbacks
):
    joost = person_of(local, initiative)
    joost.email, joost.preferred_language = "joost@example.org", "nl"
    joost.save()
    attendance.sign_up(session=future_session, person=joost, by=None)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(reverse(
            "activities:session-cancel", kwargs={"initiative_slug": "voorkamer",
                                                 "pk": future_session.pk}))
    assert response.status_code == 302
    notice = SessionMessage.objects.get(session=future_session)
    assert notice.is_cancellation and (notice.recipients, notice.emailed) == (1, 1)
    [mail] = mailoutbox
    assert mail.to == ["joost@example.org"] and mail.subject.startswith("Afgelast")
    html = client_for(local).get(reverse("attendance:my-signups",
                                         kwargs={"initiative_slug": "voorkamer"})).content.decode()
    assert "Messages from the organisers" in html and "This session is cancelled" in html


def test_my_signups_shows_only_messages_of_my_sessions_escaped_and_not_old_ones(
    initiative, organiser, newcomer, activity, future_session
):
    amal = person_of(newcomer, initiative)
    attendance.sign_up(session=future_session, person=amal, by=None)
    other = make_session(activity, days=5)
    services.send_message(session=future_session, by=organiser, body="Mine: 1 < 2 & 3 > 2")
    services.send_message(session=other, by=organiser, body="Not for Amal")
    old = services.send_message(session=future_session, by=organiser, body="Long ago")
    SessionMessage.objects.filter(pk=old.pk).update(sent_at=old.sent_at - dt.timedelta(days=40))
    html = client_for(newcomer).get(reverse("attendance:my-signups",
                                            kwargs={"initiative_slug": "voorkamer"})).content.decode()
    assert "Mine: 1 &lt; 2 &amp; 3 &gt; 2" in html
    assert "Not for Amal" not in html and "Long ago" not in html


def test_cancelling_a_session_nobody_signed_up_for_says_so(organiser, future_session):
    response = client_for(organiser).post(url("cancel", future_session), {"message": ""})
    assert response.status_code == 302
    assert flashes(response) == ["The session is cancelled. Nobody had signed up, so nobody was told."]
