"""Coordinator pages of the accounts app: the initiative's own settings (name, address, time
zone, languages, welcome text and opening hours). The web address (slug) is shown, never edited.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from verbinding.accounts import services
from verbinding.accounts.access import R, role_required
from verbinding.accounts.forms_manage import InitiativeSettingsForm
from verbinding.core.errors import DomainError


@role_required(R.COORDINATOR)
@require_http_methods(["GET", "POST"])
def initiative_settings(request):
    initiative = request.initiative
    form = InitiativeSettingsForm(request.POST or None, initiative=initiative)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_initiative(initiative=initiative, by=request.user,
                                       **form.service_kwargs())
        except DomainError as error:
            form.attach_domain_error(error)
        else:
            messages.success(request, _("The settings of the meeting place are saved."))
            return redirect(reverse("accounts:initiative-settings",
                                    kwargs={"initiative_slug": initiative.slug}))
    return render(request, "accounts/initiative_settings.html", {
        "form": form,
        "public_url": request.build_absolute_uri(
            reverse("activities:calendar", kwargs={"initiative_slug": initiative.slug})
        ),
    }, status=400 if form.errors else 200)


@role_required(R.COORDINATOR, R.ORGANISER, R.HOST)
@require_http_methods(["GET"])
def manage_home(request):
    """The staff start page: every tool the viewer's roles open, grouped by task."""
    return render(request, "accounts/manage_home.html")
