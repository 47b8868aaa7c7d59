"""Who may do what in the attendance app.

Signing up, enrolling and "my sign-ups" need a person in the current initiative (kiosk and
partner accounts have none: 403). Seeing who signed up for a session is for the activity's
organisers and the initiative's coordinators. Anonymous visitors are sent to log in.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from verbinding.accounts.access import can_coordinate, login_url
from verbinding.activities.models import Activity
from verbinding.attendance import selectors
from verbinding.people.models import Person


def login_first(view):
    """Anonymous visitors go to the login page and come back afterwards: to the page they were
    on for a GET, and for a POST (a sign-up button) to the page the form named in `next`, or
    the activity, since a POST-only address cannot be returned to."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            back = request.get_full_path()
            if request.method == "POST":
                back = return_after_login(request, kwargs.get("pk"), view.__name__)
            return redirect_to_login(back, login_url=login_url(request))
        return view(request, *args, **kwargs)

    return wrapper


def safe_next(request) -> str | None:
    """The POSTed `next` address if it stays on this site, else None."""
    nxt = request.POST.get("next", "")
    if nxt and len(nxt) <= 2000 and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nxt
    return None


def return_after_login(request, pk, view_name: str) -> str:
    nxt = safe_next(request)
    if nxt:
        return nxt
    slug = request.initiative.slug
    if pk is not None and view_name in {"session_signup", "session_cancel_signup"}:
        pk = selectors.get_session(initiative=request.initiative, pk=pk).activity_id
    if pk is not None:
        return reverse("activities:activity-detail", kwargs={"initiative_slug": slug, "pk": pk})
    return reverse("activities:calendar", kwargs={"initiative_slug": slug})


def get_member_person_for(request) -> Person:
    """The logged-in user's person here; 403 for accounts without one (kiosk, partner)."""
    person = selectors.get_member_person(initiative=request.initiative, user=request.user)
    if person is None:
        raise PermissionDenied
    return person


def can_see_registrations(request, activity: Activity) -> bool:
    if can_coordinate(request.user, request.initiative):
        return True
    person = selectors.get_member_person(initiative=request.initiative, user=request.user)
    return selectors.is_organiser_of(person, activity)
