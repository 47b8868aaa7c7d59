"""The sign-up and enrol partials that the calendar and activity pages include: what they
show for each viewer, and that a page full of them costs a fixed number of queries."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory

from tests.attendance.conftest import make_people, make_project, make_session
from tests.conftest import person_of
from verbinding.attendance import selectors, services
from verbinding.attendance.templatetags.attendance_tags import forget_viewer_state


def render_request(initiative, user):
    request = RequestFactory().get(f"/{initiative.slug}/")
    request.user = user
    request.initiative = initiative
    return request


def render_session(session, request, **extra):
    return render_to_string(
        "attendance/_signup_controls.html",
        {"session": session, "initiative": request.initiative, "user": request.user, **extra},
        request=request,
    )


def render_project(activity, request):
    return render_to_string(
        "attendance/_enrol_controls.html",
        {"activity": activity, "initiative": request.initiative, "user": request.user},
        request=request,
    )


def test_anonymous_visitors_see_places_left_and_a_login_link(initiative):
    session = make_session(initiative, capacity=3)
    html = render_session(session, render_request(initiative, AnonymousUser()))
    assert "3 places left" in html
    assert "Log in to sign up" in html
    assert "/login/?next=" in html
    assert 'method="post"' not in html


def test_a_member_sees_a_sign_up_button_then_their_status(initiative, local):
    session = make_session(initiative, capacity=1)
    request = render_request(initiative, local)
    assert ">Sign up<" in render_session(session, request)
    services.sign_up(session=session, person=person_of(local, initiative), by=None)
    forget_viewer_state(request)
    html = render_session(session, request)
    assert "You are signed up" in html and "Cancel my sign-up" in html
    assert "Full: waiting list" in html


def test_a_member_of_a_full_session_is_offered_the_waiting_list(initiative, local):
    session = make_session(initiative, capacity=1)
    services.sign_up(session=session, person=make_people(initiative, 1)[0], by=None)
    html = render_session(session, render_request(initiative, local))
    assert "Join the waiting list" in html


def test_the_kiosk_sees_no_sign_up_button(initiative, kiosk):
    session = make_session(initiative)
    html = render_session(session, render_request(initiative, kiosk))
    assert 'method="post"' not in html


def test_organisers_of_the_activity_and_coordinators_get_the_who_is_coming_link(
    initiative, organiser, coordinator, local
):
    session = make_session(initiative)
    session.activity.organisers.add(person_of(organiser, initiative))
    link = f"/voorkamer/sessions/{session.pk}/registrations/"
    assert link in render_session(session, render_request(initiative, organiser))
    assert link in render_session(session, render_request(initiative, coordinator))
    assert link not in render_session(session, render_request(initiative, local))
    assert link not in render_session(session, render_request(initiative, AnonymousUser()))


def test_a_project_shows_enrol_controls_and_the_waiting_position(initiative, local):
    project = make_project(initiative, capacity=1)
    services.enrol(activity=project, person=make_people(initiative, 1)[0], by=None)
    request = render_request(initiative, local)
    assert "Join the waiting list" in render_project(project, request)
    services.enrol(activity=project, person=person_of(local, initiative), by=None)
    forget_viewer_state(request)
    html = render_project(project, request)
    assert "On the waiting list: number 1" in html
    assert "Leave the waiting list" in html


def test_a_project_that_has_ended_offers_no_enrolment(initiative, local):
    project = make_project(initiative, days=-30, sessions=2)
    html = render_project(project, render_request(initiative, local))
    assert "This project has ended." in html
    assert 'method="post"' not in html


@pytest.mark.parametrize("annotated", [True, False])
def test_a_page_with_many_sessions_costs_a_fixed_number_of_queries(
    initiative, local, django_assert_max_num_queries, annotated
):
    person = person_of(local, initiative)
    sessions = [make_session(initiative, capacity=2, days=d) for d in range(1, 31)]
    for s in sessions[::3]:
        services.sign_up(session=s, person=person, by=None)
    ids = [s.pk for s in sessions]
    qs = selectors.get_session_queryset(initiative=initiative).filter(pk__in=ids)
    if annotated:
        qs = selectors.with_confirmed_count(qs)
    page = list(qs.order_by("start"))
    request = render_request(initiative, local)
    # Annotated (as the calendar does): person + registrations + organised activities (+ roles).
    # Not annotated: one count query per activity shown on top (30 activities here).
    budget = 5 if annotated else 5 + 30
    with django_assert_max_num_queries(budget):
        html = "".join(render_session(s, request) for s in page)
    assert html.count("You are signed up") == 10
