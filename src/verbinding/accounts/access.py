"""Who may do what, per initiative. Views authorise through these functions only.

A refusal for someone logged in is a 403 (PermissionDenied); for an anonymous visitor it is a
redirect to login (handled by `role_required`). Objects of another initiative are a 404, which
the selectors guarantee by always filtering on the initiative.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from verbinding.accounts.models import STAFF_ROLES, Role
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
            Role.objects.filter(user=user, initiative=initiative).order_by()
            .values_list("name", flat=True)  # a set: no ordering to compute on every request
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
    return has_role(user, initiative, R.MEMBER, R.VOLUNTEER, R.COORDINATOR, R.ORGANISER, R.HOST)


def needs_second_factor(user, initiative: Initiative | None, names) -> bool:
    """True when `user` reaches a view only through a staff role and has not passed 2FA.

    Staff roles (coordinator, organiser, host) see other people's data, so they need a second
    factor (privacy rule 7). A view that a plain member may also open (its `names` include
    member) does not ask a member for one: only the roles that actually grant access count.
    """
    if not getattr(settings, "VERBINDING_REQUIRE_STAFF_2FA", True):
        return False
    granting = roles_for(user, initiative) & set(names)
    if not granting or granting - STAFF_ROLES:
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (callable(is_verified) and is_verified())


def second_factor_url(request) -> str:
    """Where a staff user without a verified session goes: set-up (no device yet) or verify."""
    from django.urls import reverse
    from django_otp import user_has_device

    name = "accounts:verify-otp" if user_has_device(request.user) else "accounts:two-factor"
    url = reverse(name, kwargs={"initiative_slug": request.initiative.slug})
    return f"{url}?{urlencode({'next': request.get_full_path()})}"


def role_required(*names: str):
    """View decorator: the user needs one of `names` in request.initiative.

    Anonymous → login; logged in without the role → 403; reaching the view only through a staff
    role without a verified second factor → two-factor set-up or verification.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), login_url=login_url(request))
            if not has_role(request.user, request.initiative, *names):
                raise PermissionDenied
            if needs_second_factor(request.user, request.initiative, names):
                return redirect(second_factor_url(request))
            return view(request, *args, **kwargs)

        wrapper.required_roles = names  # read by the permission tests
        return wrapper

    return decorator


def login_url(request) -> str:
    from django.urls import reverse

    if getattr(request, "initiative", None) is not None:
        return reverse("accounts:login", kwargs={"initiative_slug": request.initiative.slug})
    return reverse("core:home")
