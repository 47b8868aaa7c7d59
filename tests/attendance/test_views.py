"""Sign-up views, the organiser's list, "my sign-ups" and the private iCal feed."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from tests.attendance.conftest import NOW, make_people, make_project, make_session
from tests.conftest import make_user, person_of
from tests.factories import SessionFactory
from verbinding.activities.models import Activity, Session
from verbinding.attendance import services
from verbinding.attendance.models import Registration
from verbinding.core.models import AuditEntry
from verbinding.people.models import Person

S = Registration.Status
SLUG = "voorkamer"


def url(name, **kwargs):
    return reverse(f"attendance:{name}", kwargs={"initiative_slug": SLUG, **kwargs})


def activity_url(activity):
    return reverse("activities:activity-detail", kwargs={"initiative_slug": SLUG, "pk": activity.pk})


def live_statuses(person):
    return list(Registration.objects.filter(person=person).exclude(status=S.CANCELLED)
                .values_list("status", flat=True))


# --- sign up / cancel ---------------------------------------------------------------------


def test_a_member_signs_up_and_is_sent_back_to_the_activity_with_a_message(
    client, initiative, session, local
):
    client.force_login(local)
    response = client.post(url("session-signup", pk=session.pk), follow=False)
    assert response.status_code == 302
    assert response["Location"] == activity_url(session.activity)
    assert live_statuses(person_of(local, initiative)) == [S.CONFIRMED]
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["You are signed up. See you there!"]


def test_an_htmx_sign_up_gets_the_updated_controls_back(client, initiative, small_session, local):
    client.force_login(local)
    response = client.post(url("session-signup", pk=small_session.pk), headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="signup-{small_session.pk}"' in html
    assert "You are signed up" in html
    assert "1 place left" in html
    assert url("session-cancel-signup", pk=small_session.pk) in html


def test_an_htmx_sign_up_to_a_full_session_shows_the_waiting_list_position(
    client, initiative, small_session, local
):
    for p in make_people(initiative, 2):
        services.sign_up(session=small_session, person=p, by=None)
    client.force_login(local)
    response = client.post(url("session-signup", pk=small_session.pk), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "On the waiting list: number 1" in html
    assert "Leave the waiting list" in html


def test_a_refused_sign_up_shows_the_translated_reason(client, initiative, local):
    session = make_session(initiative, audience=Activity.Audience.WOMEN)
    client.force_login(local)
    response = client.post(url("session-signup", pk=session.pk), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "This activity is for women" in response.content.decode()
    assert not Registration.objects.exists()


@pytest.mark.parametrize(("lang", "text"), [("nl", "Je bent aangemeld"), ("ar", "تم تسجيلك")])
def test_the_feedback_is_in_the_visitors_language(client, initiative, session, local, lang, text):
    client.force_login(local)
    client.cookies["verbinding_language"] = lang
    response = client.post(url("session-signup", pk=session.pk), headers={"HX-Request": "true"})
    assert text in response.content.decode()


def test_a_member_cancels_and_the_next_person_moves_up(client, initiative, small_session, local):
    person = person_of(local, initiative)
    services.sign_up(session=small_session, person=person, by=None)
    other, waiting = make_people(initiative, 2)
    services.sign_up(session=small_session, person=other, by=None)
    services.sign_up(session=small_session, person=waiting, by=None)
    client.force_login(local)
    response = client.post(url("session-cancel-signup", pk=small_session.pk))
    assert response.status_code == 302
    assert live_statuses(person) == []
    assert live_statuses(waiting) == [S.CONFIRMED]


def test_cancelling_without_a_sign_up_says_so(client, initiative, session, local):
    client.force_login(local)
    response = client.post(url("session-cancel-signup", pk=session.pk), follow=True)
    assert "You are not signed up for this." in response.content.decode() or any(
        "not signed up" in str(m) for m in response.context["messages"]
    )


def test_a_safe_next_url_is_followed_and_a_foreign_one_is_ignored(client, initiative, session, local):
    client.force_login(local)
    mine = url("my-signups")
    response = client.post(url("session-signup", pk=session.pk), {"next": mine})
    assert response["Location"] == mine
    services.cancel_sign_up(session=session, person=person_of(local, initiative), by=None)
    for hostile in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)",
                    "/" + "a" * 10_000):
        response = client.post(url("session-signup", pk=session.pk), {"next": hostile})
        assert response["Location"] == activity_url(session.activity), hostile
        services.cancel_sign_up(session=session, person=person_of(local, initiative), by=None)


@pytest.mark.parametrize("name", ["session-signup", "session-cancel-signup"])
def test_get_instead_of_post_is_not_allowed(client, initiative, session, local, name):
    client.force_login(local)
    assert client.get(url(name, pk=session.pk)).status_code == 405
    assert not Registration.objects.exists()


@pytest.mark.parametrize("name", ["enrol", "leave"])
def test_get_instead_of_post_is_not_allowed_for_projects(client, initiative, project, local, name):
    client.force_login(local)
    assert client.get(url(name, pk=project.pk)).status_code == 405


def test_a_post_without_csrf_token_is_refused(initiative, session, local):
    client = Client(enforce_csrf_checks=True)
    client.force_login(local)
    assert client.post(url("session-signup", pk=session.pk)).status_code == 403
    assert not Registration.objects.exists()


@pytest.mark.parametrize("name", ["session-signup", "session-cancel-signup"])
def test_anonymous_visitors_are_sent_to_log_in_and_back(client, initiative, session, name):
    response = client.post(url(name, pk=session.pk))
    assert response.status_code == 302
    login = reverse("accounts:login", kwargs={"initiative_slug": SLUG})
    # After logging in they come back to the activity, not to a POST-only address.
    assert response["Location"] == f"{login}?next={activity_url(session.activity)}"


@pytest.mark.parametrize("persona", ["kiosk", "partner"])
def test_accounts_without_a_person_cannot_sign_up(client, initiative, session, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(url("session-signup", pk=session.pk)).status_code == 403
    assert client.post(url("enrol", pk=make_project(initiative).pk)).status_code == 403
    assert client.get(url("my-signups")).status_code == 403
    assert not Registration.objects.exists()


def test_a_session_of_another_initiative_is_404(client, initiative, other_initiative, local):
    theirs = make_session(other_initiative)
    client.force_login(local)
    assert client.post(url("session-signup", pk=theirs.pk)).status_code == 404
    assert client.post(url("session-cancel-signup", pk=theirs.pk)).status_code == 404
    assert client.get(url("session-registrations", pk=theirs.pk)).status_code == 404
    assert not Registration.objects.exists()


def test_an_unknown_or_huge_session_id_is_404(client, initiative, local):
    client.force_login(local)
    assert client.post(url("session-signup", pk=999_999)).status_code == 404
    assert client.post(f"/{SLUG}/sessions/{'9' * 40}/signup/").status_code == 404
    assert client.post(f"/{SLUG}/sessions/-1/signup/").status_code == 404


def test_the_outsider_cannot_sign_up_here(client, initiative, session, outsider):
    client.force_login(outsider)  # a coordinator of another initiative, no person here
    assert client.post(url("session-signup", pk=session.pk)).status_code == 403


# --- projects --------------------------------------------------------------------------------


def test_a_member_enrols_in_a_project_and_leaves_it(client, initiative, project, local):
    person = person_of(local, initiative)
    client.force_login(local)
    response = client.post(url("enrol", pk=project.pk))
    assert response.status_code == 302 and response["Location"] == activity_url(project)
    assert live_statuses(person) == [S.CONFIRMED]
    response = client.post(url("leave", pk=project.pk), headers={"HX-Request": "true"})
    assert f'id="enrol-{project.pk}"' in response.content.decode()
    assert live_statuses(person) == []


def test_an_htmx_enrolment_to_a_full_project_shows_the_position(client, initiative, project, local):
    for p in make_people(initiative, 3):
        services.enrol(activity=project, person=p, by=None)
    client.force_login(local)
    response = client.post(url("enrol", pk=project.pk), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "On the waiting list: number 2" in html
    assert "Leave the waiting list" in html


def test_signing_up_for_one_session_of_a_project_through_the_url_is_refused(
    client, initiative, project, local
):
    client.force_login(local)
    session = project.sessions.first()
    response = client.post(url("session-signup", pk=session.pk), follow=True)
    assert not Registration.objects.exists()
    assert "you join the whole series at once" in response.content.decode()


def test_a_project_of_another_initiative_is_404(client, initiative, other_initiative, local):
    theirs = make_project(other_initiative)
    client.force_login(local)
    assert client.post(url("enrol", pk=theirs.pk)).status_code == 404
    assert client.post(url("leave", pk=theirs.pk)).status_code == 404


# --- the organiser's list ---------------------------------------------------------------------


@pytest.fixture
def organised_session(initiative, organiser):
    session = make_session(initiative, capacity=1)
    session.activity.organisers.add(person_of(organiser, initiative))
    return session


def test_the_organiser_sees_who_is_coming_and_who_waits(
    client, initiative, organised_session, organiser
):
    coming, waiting = make_people(initiative, 2)
    services.sign_up(session=organised_session, person=coming, by=None)
    services.sign_up(session=organised_session, person=waiting, by=None)
    client.force_login(organiser)
    audit_before = AuditEntry.objects.count()
    response = client.get(url("session-registrations", pk=organised_session.pk))
    assert response.status_code == 200
    assert [r.person.display_name for r in response.context["confirmed"]] == ["Lid 0"]
    assert [r.person.display_name for r in response.context["waitlisted"]] == ["Lid 1"]
    # Names only, no profile: no audit row.
    assert AuditEntry.objects.count() == audit_before


def test_a_coordinator_sees_who_is_coming(client, initiative, organised_session, coordinator):
    client.force_login(coordinator)
    assert client.get(url("session-registrations", pk=organised_session.pk)).status_code == 200


def test_an_organiser_of_another_activity_cannot_see_the_list(client, initiative, organiser):
    session = make_session(initiative)  # organiser persona is not among its organisers
    client.force_login(organiser)
    assert client.get(url("session-registrations", pk=session.pk)).status_code == 403


@pytest.mark.parametrize("persona", ["local", "host", "kiosk", "partner"])
def test_others_cannot_see_who_is_coming(client, initiative, organised_session, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url("session-registrations", pk=organised_session.pk)).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in_for_the_list(client, initiative, organised_session):
    response = client.get(url("session-registrations", pk=organised_session.pk))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_hostile_names_on_the_list_are_rendered_escaped(
    client, initiative, organised_session, organiser
):
    hostile = Person.objects.create(
        initiative=initiative, display_name="<script>alert(1)</script>\u202eevil"
    )
    services.sign_up(session=organised_session, person=hostile, by=None)
    client.force_login(organiser)
    html = client.get(url("session-registrations", pk=organised_session.pk)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<bdi>&lt;script&gt;" in html  # isolated so the override cannot flip the page


def test_the_list_of_a_project_session_shows_the_projects_people(
    client, initiative, organiser
):
    project = make_project(initiative, capacity=5)
    project.organisers.add(person_of(organiser, initiative))
    for p in make_people(initiative, 2):
        services.enrol(activity=project, person=p, by=None)
    client.force_login(organiser)
    response = client.get(url("session-registrations", pk=project.sessions.first().pk))
    assert len(response.context["confirmed"]) == 2


def test_the_list_needs_a_bounded_number_of_queries(
    client, initiative, organiser, django_assert_max_num_queries
):
    session = make_session(initiative, capacity=20)
    session.activity.organisers.add(person_of(organiser, initiative))
    for p in make_people(initiative, 30):
        services.sign_up(session=session, person=p, by=None)
    client.force_login(organiser)
    with django_assert_max_num_queries(12):
        response = client.get(url("session-registrations", pk=session.pk))
    assert len(response.context["confirmed"]) == 20
    assert len(response.context["waitlisted"]) == 10


# --- my sign-ups --------------------------------------------------------------------------------


def test_my_signups_lists_upcoming_sign_ups_waiting_positions_and_projects(
    client, initiative, local
):
    person = person_of(local, initiative)
    open_session = make_session(initiative, days=2)
    full = make_session(initiative, capacity=1, days=4)
    services.sign_up(session=full, person=make_people(initiative, 1)[0], by=None)
    project = make_project(initiative)
    past = make_session(initiative, days=-10)
    Registration.objects.create(initiative=initiative, activity=past.activity, session=past,
                                person=person)
    services.sign_up(session=open_session, person=person, by=None)
    services.sign_up(session=full, person=person, by=None)
    services.enrol(activity=project, person=person, by=None)
    client.force_login(local)
    response = client.get(url("my-signups"))
    assert response.status_code == 200
    mine = response.context["mine"]
    assert [r.session_id for r in mine.upcoming] == [open_session.pk, full.pk]
    assert [r.waitlist_position for r in mine.upcoming] == [None, 1]
    assert [r.activity_id for r in mine.enrolments] == [project.pk]
    assert [r.session_id for r in mine.past] == [past.pk]
    html = response.content.decode()
    assert "On the waiting list: number 1" in html
    assert url("session-cancel-signup", pk=open_session.pk) in html
    assert url("leave", pk=project.pk) in html
    assert person.calendar_token in html


def test_my_signups_shows_nobody_elses_sign_ups(client, initiative, local, newcomer):
    session = make_session(initiative)
    services.sign_up(session=session, person=person_of(newcomer, initiative), by=None)
    client.force_login(local)
    response = client.get(url("my-signups"))
    assert response.context["mine"].upcoming == []
    assert person_of(newcomer, initiative).calendar_token not in response.content.decode()


def test_my_signups_tells_once_that_you_moved_up(client, initiative, small_session, local):
    first, second = make_people(initiative, 2)
    services.sign_up(session=small_session, person=first, by=None)
    services.sign_up(session=small_session, person=second, by=None)
    services.sign_up(session=small_session, person=person_of(local, initiative), by=None)
    services.cancel_sign_up(session=small_session, person=first, by=None)
    client.force_login(local)
    html = client.get(url("my-signups")).content.decode()
    assert "you moved up from the waiting list" in html
    html = client.get(url("my-signups")).content.decode()
    assert "you moved up from the waiting list" not in html


def test_my_signups_needs_a_bounded_number_of_queries(
    client, initiative, local, django_assert_max_num_queries
):
    person = person_of(local, initiative)
    for days in range(1, 16):
        session = make_session(initiative, days=days, capacity=1)
        if days % 3 == 0:
            services.sign_up(session=session, person=make_people(initiative, 1, prefix=f"x{days}")[0],
                             by=None)
        services.sign_up(session=session, person=person, by=None)
    for _ in range(3):
        services.enrol(activity=make_project(initiative), person=person, by=None)
    client.force_login(local)
    with django_assert_max_num_queries(12):
        response = client.get(url("my-signups"))
    assert len(response.context["mine"].upcoming) == 15
    assert len(response.context["mine"].enrolments) == 3


def test_anonymous_visitors_are_sent_to_log_in_for_my_signups(client, initiative):
    response = client.get(url("my-signups"))
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- the private calendar feed ---------------------------------------------------------------


def feed_uids(response):
    cal = icalendar.Calendar.from_ical(response.content)
    return sorted(str(e["UID"]) for e in cal.walk("VEVENT"))


def test_the_private_feed_has_exactly_my_confirmed_sessions_and_my_projects_sessions(
    client, initiative, local, newcomer
):
    person = person_of(local, initiative)
    mine = make_session(initiative, days=2)
    services.sign_up(session=mine, person=person, by=None)
    waiting = make_session(initiative, days=3, capacity=1)
    services.sign_up(session=waiting, person=make_people(initiative, 1)[0], by=None)
    services.sign_up(session=waiting, person=person, by=None)  # waitlisted: not in the feed
    cancelled = make_session(initiative, days=4)
    services.sign_up(session=cancelled, person=person, by=None)
    services.cancel_sign_up(session=cancelled, person=person, by=None)
    someone_elses = make_session(initiative, days=5)
    services.sign_up(session=someone_elses, person=person_of(newcomer, initiative), by=None)
    project = make_project(initiative, sessions=3)
    services.enrol(activity=project, person=person, by=None)
    other_project = make_project(initiative, sessions=2)  # not enrolled

    response = Client().get(url("my-ics", token=person.calendar_token))  # no login needed
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    expected = [mine.pk, *project.sessions.values_list("pk", flat=True)]
    assert feed_uids(response) == sorted(f"session-{pk}@verbinding" for pk in expected)
    assert not set(other_project.sessions.values_list("pk", flat=True)) & set(expected)
    body = response.content.decode()
    assert "Joost" not in body and "amal" not in body.lower()


def test_a_wrong_or_huge_token_is_404(client, initiative, local):
    assert client.get(url("my-ics", token="not-a-token")).status_code == 404
    assert client.get(url("my-ics", token="x" * 10_000)).status_code == 404


def test_a_token_of_another_initiative_is_404(client, initiative, other_initiative, outsider):
    token = person_of(outsider, other_initiative).calendar_token
    assert client.get(url("my-ics", token=token)).status_code == 404
    theirs = reverse("attendance:my-ics", kwargs={"initiative_slug": "huiskamer", "token": token})
    assert client.get(theirs).status_code == 200


def test_the_feed_keeps_a_session_that_was_cancelled_marked_as_cancelled(client, initiative, local):
    person = person_of(local, initiative)
    session = make_session(initiative)
    services.sign_up(session=session, person=person, by=None)
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED)
    cal = icalendar.Calendar.from_ical(client.get(url("my-ics", token=person.calendar_token)).content)
    assert [str(e["STATUS"]) for e in cal.walk("VEVENT")] == ["CANCELLED"]


def test_the_feed_needs_a_bounded_number_of_queries(
    client, initiative, local, django_assert_max_num_queries
):
    person = person_of(local, initiative)
    for days in range(1, 21):
        services.sign_up(session=make_session(initiative, days=days), person=person, by=None)
    project = make_project(initiative, sessions=3)
    SessionFactory(activity=project, start=NOW + dt.timedelta(days=60))
    services.enrol(activity=project, person=person, by=None)
    with django_assert_max_num_queries(6):
        response = client.get(url("my-ics", token=person.calendar_token))
    assert len(feed_uids(response)) == 20 + 4


def test_a_person_who_is_not_a_member_anymore_has_no_feed(client, initiative):
    user = make_user(initiative, "gone", "member")
    person = person_of(user, initiative)
    Person.objects.filter(pk=person.pk).update(anonymised_at=NOW)
    assert client.get(url("my-ics", token=person.calendar_token)).status_code == 404
