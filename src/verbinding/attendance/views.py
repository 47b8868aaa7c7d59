"""Views of the attendance app: sign up / cancel for a session, enrol in / leave a project,
the organiser's list of who is coming, the member's own sign-ups and their private iCal feed.

Sign-up views answer htmx requests with the updated controls partial (the same template the
calendar and activity pages include) and everything else with a redirect and a flash message,
so the pages work without JavaScript.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from verbinding.activities.ical import build_calendar
from verbinding.attendance import access, selectors, services
from verbinding.attendance.models import Registration
from verbinding.attendance.templatetags.attendance_tags import forget_viewer_state
from verbinding.core.errors import DomainError

S = Registration.Status


# --- helpers ----------------------------------------------------------------------------


def _next_url(request, fallback: str) -> str:
    return access.safe_next(request) or fallback


def _activity_url(request, activity_id: int) -> str:
    return reverse(
        "activities:activity-detail",
        kwargs={"initiative_slug": request.initiative.slug, "pk": activity_id},
    )


def _respond(request, *, partial: str, context: dict, fallback: str,
             feedback: str, ok: bool):
    """htmx: the updated partial with the feedback inside it; otherwise flash and redirect."""
    next_url = _next_url(request, fallback)
    if request.htmx:
        forget_viewer_state(request)
        return render(request, partial, {
            **context, "feedback": feedback, "feedback_level": "success" if ok else "error",
            "next_url": next_url,
        })
    (messages.success if ok else messages.error)(request, feedback)
    return redirect(next_url)


def _signed_up_message(registration: Registration) -> str:
    if registration.status == S.WAITLISTED:
        return _(
            "It is full, so you are on the waiting list: number %(position)s. "
            "When a place frees up you move up automatically."
        ) % {"position": registration.waitlist_position}
    return _("You are signed up. See you there!")


def _enrolled_message(registration: Registration) -> str:
    if registration.status == S.WAITLISTED:
        return _(
            "The project is full, so you are on the waiting list: number %(position)s. "
            "When a place frees up you move up automatically."
        ) % {"position": registration.waitlist_position}
    return _("You take part in this project. Welcome!")


# --- sessions -----------------------------------------------------------------------------


@require_POST
@access.login_first
def session_signup(request, pk: int):
    session = selectors.get_session(initiative=request.initiative, pk=pk)
    person = access.get_member_person_for(request)
    try:
        registration = services.sign_up(session=session, person=person, by=request.user)
        feedback, ok = _signed_up_message(registration), True
    except DomainError as error:
        feedback, ok = error.message, False
    return _session_response(request, session.pk, feedback=feedback, ok=ok)


@require_POST
@access.login_first
def session_cancel_signup(request, pk: int):
    session = selectors.get_session(initiative=request.initiative, pk=pk)
    person = access.get_member_person_for(request)
    try:
        registration = services.cancel_sign_up(session=session, person=person, by=request.user)
        feedback = (
            _("You left the waiting list.") if _was_waitlisted(registration)
            else _("Your sign-up is cancelled. Thank you for letting us know.")
        )
        ok = True
    except DomainError as error:
        feedback, ok = error.message, False
    return _session_response(request, session.pk, feedback=feedback, ok=ok)


def _was_waitlisted(registration: Registration) -> bool:
    return getattr(registration, "was_waitlisted", False)


def _session_response(request, session_pk: int, *, feedback: str, ok: bool):
    session = selectors.with_confirmed_count(
        selectors.get_session_queryset(initiative=request.initiative)
    ).get(pk=session_pk)
    return _respond(
        request, partial="attendance/_signup_controls.html", context={"session": session},
        fallback=_activity_url(request, session.activity_id), feedback=feedback, ok=ok,
    )


# --- projects -----------------------------------------------------------------------------


@require_POST
@access.login_first
def project_enrol(request, pk: int):
    activity = selectors.get_activity(initiative=request.initiative, pk=pk)
    person = access.get_member_person_for(request)
    try:
        registration = services.enrol(activity=activity, person=person, by=request.user)
        feedback, ok = _enrolled_message(registration), True
    except DomainError as error:
        feedback, ok = error.message, False
    return _project_response(request, activity.pk, feedback=feedback, ok=ok)


@require_POST
@access.login_first
def project_leave(request, pk: int):
    activity = selectors.get_activity(initiative=request.initiative, pk=pk)
    person = access.get_member_person_for(request)
    try:
        registration = services.leave(activity=activity, person=person, by=request.user)
        feedback = (
            _("You left the waiting list.") if _was_waitlisted(registration)
            else _("You left the project. Thank you for letting us know.")
        )
        ok = True
    except DomainError as error:
        feedback, ok = error.message, False
    return _project_response(request, activity.pk, feedback=feedback, ok=ok)


def _project_response(request, activity_pk: int, *, feedback: str, ok: bool):
    activity = selectors.get_activity(initiative=request.initiative, pk=activity_pk)
    return _respond(
        request, partial="attendance/_enrol_controls.html", context={"activity": activity},
        fallback=_activity_url(request, activity.pk), feedback=feedback, ok=ok,
    )


# --- organisers -----------------------------------------------------------------------------


@require_GET
@access.login_first
def session_registrations(request, pk: int):
    """Who is coming and who waits: display names only, so no profile is read and no audit
    row is written (product.md, privacy rule 4 concerns profiles)."""
    session = selectors.get_session(initiative=request.initiative, pk=pk)
    if not access.can_see_registrations(request, session.activity):
        raise PermissionDenied
    lists = selectors.get_session_registrations(session)
    return render(request, "attendance/session_registrations.html", {
        "session": session, "activity": session.activity,
        "confirmed": lists.confirmed, "waitlisted": lists.waitlisted,
    })


# --- the member's own -------------------------------------------------------------------------


@require_GET
@access.login_first
def my_signups(request):
    person = access.get_member_person_for(request)
    mine = selectors.list_my_registrations(person)
    if mine.promoted_unseen:
        # Shown once on this page; the email (if any) went out when it happened.
        services.mark_promotions_seen(person=person, by=request.user)
    feed_url = request.build_absolute_uri(reverse(
        "attendance:my-ics",
        kwargs={"initiative_slug": request.initiative.slug, "token": person.calendar_token},
    ))
    return render(request, "attendance/my_signups.html", {
        "person": person, "mine": mine, "feed_url": feed_url,
        "session_messages": selectors.list_my_messages(person),
        "next_url": request.get_full_path(),
    })


@require_GET
def my_ics(request, token: str):
    """The member's private calendar feed. The token in the URL is the only key: calendar apps
    cannot log in. A wrong token, or one of another initiative, is a 404."""
    person = selectors.get_person_by_calendar_token(initiative=request.initiative, token=token)
    if person is None:
        raise Http404
    initiative = request.initiative
    body = build_calendar(
        name=_("My sign-ups at %(place)s") % {"place": initiative.name},
        sessions=selectors.list_feed_sessions(person),
        url_for_activity=lambda activity: request.build_absolute_uri(
            _activity_url(request, activity.pk)
        ),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
