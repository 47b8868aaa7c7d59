"""The coordinator's views of people: the member list, one person's profile (every read is
audited), roles, kiosk logins, partner organisations, partner logins (sharing the figures) and the
read-only audit log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from verbinding.accounts import services as account_services
from verbinding.accounts.access import role_required
from verbinding.accounts.forms import KioskForm
from verbinding.accounts.models import Role
from verbinding.core.errors import DomainError
from verbinding.people import selectors, services
from verbinding.people.forms import (
    PartnerForm,
    PartnerLoginForm,
    PartnerShareForm,
    PersonSearchForm,
    RolesForm,
)
from verbinding.people.models import SelfDescription
from verbinding.people.vocab import Interest, Talent, slot_label

COORDINATOR = Role.Name.COORDINATOR
PAGE_SIZE = 50


def _url(request, name: str, **kwargs) -> str:
    return reverse(name, kwargs={"initiative_slug": request.initiative.slug, **kwargs})


@require_GET
@role_required(COORDINATOR)
def person_list(request):
    form = PersonSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(selectors.list_people(initiative=request.initiative, query=query),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "people/manage_list.html", {
        "form": form, "page": page, "query": query,
    })


@require_GET
@role_required(COORDINATOR)
def person_detail(request, pk: int):
    person = selectors.get_person_for_staff(initiative=request.initiative, pk=pk)
    services.record_profile_view(person=person, by=request.user, view="people:manage-detail")
    since = selectors.history_cutoff()
    try:
        described = person.self_description
    except SelfDescription.DoesNotExist:
        described = None
    return render(request, "people/manage_detail.html", {
        "person": person, "described": described, "since": since,
        "availability": [slot_label(slot) for slot in person.availability],
        "talents": [Talent(code).label for code in person.talents if code in Talent.values],
        "interests": [Interest(code).label for code in person.interests
                      if code in Interest.values],
        "registrations": selectors.list_recent_registrations(person=person, since=since)[:100],
        "checkins": selectors.count_recent_checkins(person=person, since=since),
        "roles_form": RolesForm(initial={
            "roles": [role.name for role in person.user.roles.all()] if person.user else []
        }),
    })


@require_POST
@role_required(COORDINATOR)
def person_roles(request, pk: int):
    person = selectors.get_person_for_staff(initiative=request.initiative, pk=pk)
    form = RolesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose roles from the list."))
    else:
        try:
            granted, revoked = services.change_roles(
                person=person, by=request.user, roles=form.cleaned_data["roles"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            if granted or revoked:
                messages.success(request, _("Roles saved."))
    return redirect(_url(request, "people:manage-detail", pk=person.pk))


@require_http_methods(["GET", "POST"])
@role_required(COORDINATOR)
def partner_list(request):
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_partner(initiative=request.initiative, by=request.user,
                                 name=form.cleaned_data["name"], kind=form.cleaned_data["kind"])
        except DomainError as error:
            form.add_error("name", error.message)
        else:
            messages.success(request, _("Organisation added."))
            return redirect(_url(request, "people:partners"))
    return render(request, "people/partner_list.html", {
        "form": form, "partners": selectors.list_partners(initiative=request.initiative),
    })


@require_POST
@role_required(COORDINATOR)
def partner_toggle(request, pk: int):
    partner = selectors.get_partner(initiative=request.initiative, pk=pk)
    services.toggle_partner(partner=partner, by=request.user)
    return redirect(_url(request, "people:partners"))


@require_http_methods(["GET", "POST"])
@role_required(COORDINATOR)
def kiosk_create(request):
    form = KioskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_services.create_kiosk_account(
                initiative=request.initiative, username=form.cleaned_data["username"],
                password=form.cleaned_data["password"], by=request.user,
            )
        except DomainError as error:
            form.add_error("username", error.message)
        except ValidationError as error:
            form.add_error("password", error)
        else:
            messages.success(request, _("Kiosk login created. Log in with it on the tablet."))
            return redirect(_url(request, "people:manage-list"))
    return render(request, "people/kiosk_create.html", {"form": form})


@require_http_methods(["GET", "POST"])
@role_required(COORDINATOR)
def partner_logins(request):
    """The partner logins that see this initiative's figures; create one, or share with a
    partner login that already sees another meeting place. Partners see only aggregated,
    disclosure-controlled figures (the reports app), never a person."""
    action = request.POST.get("action") if request.method == "POST" else None
    create_form = PartnerLoginForm(request.POST if action == "create" else None, prefix="new")
    share_form = PartnerShareForm(request.POST if action == "share" else None, prefix="share")
    if action == "create" and create_form.is_valid():
        try:
            account_services.create_partner_account(
                initiative=request.initiative, username=create_form.cleaned_data["username"],
                password=create_form.cleaned_data["password"], by=request.user,
            )
        except DomainError as error:
            create_form.add_error("username", error.message)
        except ValidationError as error:
            create_form.add_error("password", error)
        else:
            messages.success(request, _("Partner login created. Give the login name and "
                                        "password to the partner in person or by phone."))
            return redirect(_url(request, "people:partner-logins"))
    elif action == "share" and share_form.is_valid():
        try:
            account_services.share_with_partner(
                initiative=request.initiative, username=share_form.cleaned_data["username"],
                by=request.user,
            )
        except DomainError as error:
            share_form.add_error("username", error.message)
        else:
            messages.success(request, _("This partner now also sees the figures of this "
                                        "meeting place."))
            return redirect(_url(request, "people:partner-logins"))
    if request.method == "POST" and action not in ("create", "share"):
        messages.error(request, _("Please use one of the forms on this page."))
    return render(request, "people/partner_logins.html", {
        "create_form": create_form, "share_form": share_form,
        "roles": selectors.list_partner_logins(initiative=request.initiative),
    })


@require_POST
@role_required(COORDINATOR)
def partner_login_stop(request, pk: int):
    try:
        account_services.stop_sharing_with_partner(initiative=request.initiative, user_id=pk,
                                                   by=request.user)
    except DomainError as error:  # not a partner here (perhaps of another initiative)
        raise Http404 from error
    messages.success(request, _("Stopped sharing. This partner no longer sees the figures of "
                                "this meeting place."))
    return redirect(_url(request, "people:partner-logins"))


@require_GET
@role_required(COORDINATOR)
def audit_log(request):
    page = Paginator(selectors.list_audit(initiative=request.initiative), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "people/audit_log.html", {"page": page})
