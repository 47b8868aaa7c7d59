"""Staff pages for activities: the list, create and edit, an activity's sessions, and cancelling
or moving one session.

Coordinators manage every activity of their initiative; organisers only the ones they organise
(others are a 403). Objects of another initiative are a 404. Views stay thin: authorise, parse
with a form, call one service, render.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from verbinding.accounts.access import can_coordinate, role_required
from verbinding.accounts.models import Role
from verbinding.activities import selectors_manage as sel
from verbinding.activities import services
from verbinding.activities.forms import ActivityForm, SessionMoveForm, attach_domain_error
from verbinding.core.errors import DomainError

R = Role.Name
MANAGERS = (R.COORDINATOR, R.ORGANISER)


def _sessions_url(request, activity) -> str:
    return reverse("activities:manage-sessions",
                   kwargs={"initiative_slug": request.initiative.slug, "pk": activity.pk})


def _activity_for(request, pk: int):
    activity = sel.get_managed_activity(request.initiative, pk)
    if not sel.may_manage(request.user, activity):
        raise PermissionDenied
    return activity


def _with_self_as_organiser(request, kwargs: dict) -> dict:
    """An organiser (not a coordinator) always stays among the organisers of what they edit,
    so they never lock themselves out of their own activity."""
    if can_coordinate(request.user, request.initiative):
        return kwargs
    me = sel.person_for(request.user, request.initiative)
    if me is not None and me not in kwargs["organisers"]:
        kwargs["organisers"] = [*kwargs["organisers"], me]
    return kwargs


@role_required(*MANAGERS)
def activity_list(request):
    activities = sel.list_managed_activities(request.initiative, request.user)
    return render(request, "activities/manage_list.html", {
        "activities": activities,
        "is_coordinator": can_coordinate(request.user, request.initiative),
    })


@role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def activity_create(request):
    form = ActivityForm(request.POST or None, initiative=request.initiative)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.create_activity(
                initiative=request.initiative, by=request.user,
                **_with_self_as_organiser(request, form.service_kwargs()),
            )
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            messages.success(request, _("The activity is saved. These are its sessions."))
            return redirect(_sessions_url(request, activity))
    return render(request, "activities/manage_form.html", {"form": form, "activity": None},
                  status=400 if form.errors else 200)


@role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk):
    activity = _activity_for(request, pk)
    form = ActivityForm(request.POST or None, initiative=request.initiative, activity=activity)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_activity(
                activity=activity, by=request.user,
                **_with_self_as_organiser(request, form.service_kwargs()),
            )
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(_sessions_url(request, activity))
    return render(request, "activities/manage_form.html", {
        "form": form, "activity": activity, "mix_hint": sel.organiser_mix_hint(activity),
    }, status=400 if form.errors else 200)


@role_required(*MANAGERS)
def activity_sessions(request, pk):
    activity = _activity_for(request, pk)
    upcoming, past = sel.list_sessions_for_manage(activity)
    return render(request, "activities/manage_sessions.html", {
        "activity": activity,
        "upcoming": upcoming,
        "past": past,
        "enrolments": sel.count_project_enrolments(activity) if activity.is_project else None,
        "mix_hint": sel.organiser_mix_hint(activity),
    })


@role_required(*MANAGERS)
@require_POST
def session_cancel(request, pk):
    session = sel.get_managed_session(request.initiative, pk)
    if not sel.may_manage(request.user, session.activity):
        raise PermissionDenied
    services.cancel_session(session=session, by=request.user)
    messages.success(request, _("The session is cancelled."))
    return redirect(_sessions_url(request, session.activity))


@role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def session_move(request, pk):
    session = sel.get_managed_session(request.initiative, pk)
    activity = session.activity
    if not sel.may_manage(request.user, activity):
        raise PermissionDenied
    form = SessionMoveForm(request.POST or None, initiative=request.initiative, session=session)
    if request.method == "POST" and form.is_valid():
        start, end = form.moments()
        try:
            services.move_session(session=session, start=start, end=end, by=request.user)
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            messages.success(request, _("The session is moved."))
            return redirect(_sessions_url(request, activity))
    return render(request, "activities/manage_session_move.html", {
        "form": form, "session": session, "activity": activity,
    }, status=400 if form.errors else 200)
