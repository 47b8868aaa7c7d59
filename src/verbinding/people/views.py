"""A member's own pages: joining, profile, languages, the optional self-description, and
seeing (export), taking away and erasing their own data (privacy rule 5)."""

from __future__ import annotations

import csv
import io
import json
from functools import wraps

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from verbinding.accounts.access import login_url
from verbinding.core.errors import DomainError
from verbinding.people import selectors, services
from verbinding.people.forms import (
    EraseForm,
    JoinForm,
    LanguagesForm,
    ProfileForm,
    SelfDescriptionForm,
)
from verbinding.people.models import PersonLanguage, SelfDescription


def person_required(view):
    """The logged-in user's own Person in this initiative (kiosk/partner logins have none: 403)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), login_url=login_url(request))
        person = selectors.get_own_person(user=request.user, initiative=request.initiative)
        if person is None:
            raise PermissionDenied
        return view(request, person, *args, **kwargs)

    return wrapper


def _url(request, name: str) -> str:
    return reverse(name, kwargs={"initiative_slug": request.initiative.slug})


def _referral_initial(person) -> dict:
    if person.referred_by_partner_id:
        return {"brought_by": f"partner-{person.referred_by_partner_id}"}
    if person.referred_by_person_id:
        user = person.referred_by_person.user
        return {"brought_by": "member", "member_login": user.username if user else ""}
    return {}


@require_http_methods(["GET", "POST"])
def join(request):
    initiative = request.initiative
    if selectors.get_own_person(user=request.user, initiative=initiative) is not None:
        return redirect(_url(request, "people:profile"))
    form = JoinForm(request.POST or None, initiative=initiative)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.join(
                initiative=initiative, display_name=data["display_name"],
                username=data["username"], password=data["password"], email=data["email"],
                phone=data["phone"], brought_by=data["brought_by"],
                member_login=data["member_login"], consent=data["consent"],
                # The language the person joined in is the one they read best (for now).
                preferred_language=translation.get_language() or "",
            )
        except DomainError as error:
            form.add_error("username" if error.code == "username_taken" else None, error.message)
        except ValidationError as error:
            form.add_error("password", error)
        else:
            auth_login(request, person.user,
                       backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome, %(name)s! You are now a member.")
                             % {"name": person.display_name})
            return redirect(_url(request, "people:profile"))
    return render(request, "people/join.html", {"form": form})


@require_http_methods(["GET", "POST"])
@person_required
def profile(request, person):
    initial = {
        "display_name": person.display_name, "email": person.email, "phone": person.phone,
        "talents": person.talents, "interests": person.interests,
        "availability": person.availability, "preferred_language": person.preferred_language,
        **_referral_initial(person),
    }
    form = ProfileForm(request.POST or None, initial=initial, initiative=request.initiative)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.update_profile(
            person=person, by=request.user, display_name=data["display_name"],
            email=data["email"], phone=data["phone"], talents=data["talents"],
            interests=data["interests"], availability=data["availability"],
            brought_by=data["brought_by"], member_login=data["member_login"],
            preferred_language=data["preferred_language"],
        )
        messages.success(request, _("Your profile is saved."))
        return redirect(_url(request, "people:profile"))
    return render(request, "people/profile_edit.html", {
        "form": form, "person": person,
        "has_self_description": SelfDescription.objects.filter(person=person).exists(),
    })


@require_http_methods(["GET", "POST"])
@person_required
def languages(request, person):
    rows = list(person.languages.all())
    initial = {f"speaks_{row.language}": row.level for row in rows
               if row.kind == PersonLanguage.Kind.SPEAKS}
    initial["wants"] = [row.language for row in rows if row.kind == PersonLanguage.Kind.WANTS]
    form = LanguagesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.set_languages(person=person, by=request.user, speaks=form.speaks(),
                               wants=form.cleaned_data["wants"])
        messages.success(request, _("Your languages are saved."))
        return redirect(_url(request, "people:profile"))
    return render(request, "people/languages_edit.html", {"form": form})


@require_http_methods(["GET", "POST"])
@person_required
def self_description(request, person):
    current = SelfDescription.objects.filter(person=person).first()
    if request.method == "POST" and "withdraw" in request.POST:
        services.withdraw_self_description(person=person, by=request.user)
        messages.success(request, _("Done: your answers are deleted and your consent is withdrawn."))
        return redirect(_url(request, "people:self-description"))
    initial = {"group": current.group, "gender": current.gender} if current else {}
    form = SelfDescriptionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.set_self_description(person=person, by=request.user, group=data["group"],
                                      gender=data["gender"], consent=data["consent"])
        messages.success(request, _("Thank you. Your answers are saved."))
        return redirect(_url(request, "people:profile"))
    return render(request, "people/self_description_edit.html", {
        "form": form, "current": current,
    })


@require_GET
@person_required
def export_json(request, person):
    data = services.export_person(person=person, by=request.user, fmt="json")
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


def _flatten(data, prefix: str = ""):
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _flatten(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(data, list):
        if not data:
            yield prefix, ""
        for index, value in enumerate(data):
            yield from _flatten(value, f"{prefix}[{index}]")
    else:
        yield prefix, "" if data is None else str(data)


def _csv_safe(value: str) -> str:
    # A spreadsheet would run a cell that starts with = + - @ as a formula.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@require_GET
@person_required
def export_csv(request, person):
    data = services.export_person(person=person, by=request.user, fmt="csv")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["field", "value"])
    for key, value in _flatten(data):
        writer.writerow([key, _csv_safe(value)])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-data.csv"'
    return response


@require_http_methods(["GET", "POST"])
@person_required
def erase(request, person):
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.erase_person(person=person, by=request.user)
        auth_logout(request)
        messages.success(request, _("Your data is deleted. Thank you for taking part."))
        return redirect(reverse("activities:calendar",
                                kwargs={"initiative_slug": request.initiative.slug}))
    return render(request, "people/erase_confirm.html", {"form": form, "person": person})
