"""Who may do what, per initiative. Views authorise through these functions only.

A refusal for someone logged in is a 403 (PermissionDenied); for an anonymous visitor it is a
redirect to login (handled by `role_required`). Objects of another initiative are a 404, which
the selectors guarantee by always filtering on the initiative.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from verbinding.accounts.models import Role
from verbinding.core.models import Initiative

R = Role.Name


def roles_for(user, initiative: Initiative | None) -> frozenset[str]:
    if initiative is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cache = getattr(user, "_verbinding_roles", None)
    if cache is None:
        cache = {}
        user._verbinding_roles = cache
    if initiative.pk not in cache:
        cache[initiative.pk] = frozenset(
            Role.objects.filter(user=user, initiative=initiative).values_list("name", flat=True)
        )
    return cache[initiative.pk]


def has_role(user, initiative: Initiative | None, *names: str) -> bool:
    return bool(roles_for(user, initiative) & set(names))


def can_manage_activities(user, initiative) -> bool:
    return has_role(user, initiative, R.COORDINATOR, R.ORGANISER)


def can_coordinate(user, initiative) -> bool:
    return has_role(user, initiative, R.COORDINATOR)


def is_member(user, initiative) -> bool:
    """Anyone with a person record here (any role except kiosk/partner) counts as a member."""
    return has_role(user, initiative, R.MEMBER, R.COORDINATOR, R.ORGANISER, R.HOST)


def role_required(*names: str):
    """View decorator: the user needs one of `names` in request.initiative."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), login_url=login_url(request))
            if not has_role(request.user, request.initiative, *names):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.required_roles = names  # read by the permission tests
        return wrapper

    return decorator


def login_url(request) -> str:
    from django.urls import reverse

    if getattr(request, "initiative", None) is not None:
        return reverse("accounts:login", kwargs={"initiative_slug": request.initiative.slug})
    return reverse("core:home")
