"""Who may do what in the attendance app.

Signing up, enrolling and "my sign-ups" need a person in the current initiative (kiosk and
partner accounts have none: 403). Seeing who signed up for a session is for the activity's
organisers and the initiative's coordinators. Anonymous visitors are sent to log in.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from verbinding.accounts.access import can_coordinate, login_url
from verbinding.activities.models import Activity
from verbinding.attendance import selectors
from verbinding.people.models import Person


def login_first(view):
    """Anonymous visitors go to the login page (and come back afterwards)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), login_url=login_url(request))
        return view(request, *args, **kwargs)

    return wrapper


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
