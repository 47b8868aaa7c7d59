"""Views of the accounts app: login per initiative (rate-limited), logout, two-factor set-up
and verification for staff."""

from __future__ import annotations

import base64
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from verbinding.accounts import services
from verbinding.accounts.access import login_url, roles_for
from verbinding.accounts.forms import LoginForm, OtpForm
from verbinding.accounts.models import STAFF_ROLES
from verbinding.core.errors import DomainError


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _home(request) -> str:
    """Where a login lands without a `next`: a kiosk tablet on its check-in screen, everyone
    else on the calendar."""
    slug = {"initiative_slug": request.initiative.slug}
    if request.user.is_authenticated and roles_for(request.user, request.initiative) == {"kiosk"}:
        return reverse("door:kiosk", kwargs=slug)
    return reverse("activities:calendar", kwargs=slug)


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}"


@require_http_methods(["GET", "POST"])
def login(request):
    initiative = request.initiative
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.check_credentials(
                request=request, initiative=initiative,
                username=form.cleaned_data["username"], password=form.cleaned_data["password"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            auth_login(request, user)
            next_url = _next_url(request, _home(request))
            if settings.VERBINDING_REQUIRE_STAFF_2FA and roles_for(user, initiative) & STAFF_ROLES:
                name = "accounts:verify-otp" if user_has_device(user) else "accounts:two-factor"
                url = reverse(name, kwargs={"initiative_slug": initiative.slug})
                return redirect(_with_next(url, next_url))
            return redirect(next_url)
    return render(request, "accounts/login.html", {
        "form": form, "next": _next_url(request, ""),
    })


@require_POST
def logout(request):
    auth_logout(request)
    messages.success(request, _("You are logged out. See you soon!"))
    return redirect(_home(request))


@require_http_methods(["GET", "POST"])
def verify_otp(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), login_url=login_url(request))
    next_url = _next_url(request, _home(request))
    if request.user.is_verified():
        return redirect(next_url)
    if not user_has_device(request.user):
        url = reverse("accounts:two-factor", kwargs={"initiative_slug": request.initiative.slug})
        return redirect(_with_next(url, next_url))
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is None:
            form.add_error("token", DomainError("otp_invalid").message)
        else:
            otp_login(request, device)
            return redirect(next_url)
    return render(request, "accounts/verify_otp.html", {"form": form, "next": next_url})


def _qr_data_uri(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), login_url=login_url(request))
    next_url = _next_url(request, _home(request))
    user = request.user
    if user_has_device(user) and not user.is_verified():
        # Adding a device needs the existing one first, or a stolen password would be enough.
        url = reverse("accounts:verify-otp", kwargs={"initiative_slug": request.initiative.slug})
        return redirect(_with_next(url, next_url))
    if user_has_device(user):
        return render(request, "accounts/two_factor_setup.html", {"enabled": True})
    device = services.get_or_start_totp_device(user=user)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.confirm_totp_device(
                user=user, device_id=device.pk, token=form.cleaned_data["token"]
            )
        except DomainError as error:
            form.add_error("token", error.message)
        else:
            otp_login(request, device)
            messages.success(request, _("Two-step login is on. Thank you!"))
            return redirect(next_url)
    secret = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/two_factor_setup.html", {
        "enabled": False, "form": form, "next": next_url, "qr": _qr_data_uri(device),
        "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
    })
