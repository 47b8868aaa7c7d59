"""Pages of the talent exchange.

Members (/me/exchange/…): add and remove offers and wants, see their exchange, say yes or no,
and some weeks later say whether it happened. Coordinators (/manage/exchange/…): counts by
topic, start a matching run (a background task; the page polls a progress fragment), the
result against the solver's bound, unmatched people with the reason, and outcome counts.
Anonymous visitors go to login; kiosk and partner accounts (no person here) get 403, as does
anyone but a coordinator on /manage/. Another member's objects and other initiatives' are 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from verbinding.accounts.access import role_required
from verbinding.accounts.models import Role
from verbinding.accounts.services import audit
from verbinding.core.errors import DomainError
from verbinding.core.models import AuditEntry
from verbinding.exchange import selectors, services
from verbinding.exchange.forms import (
    AnswerForm,
    HappenedForm,
    OfferForm,
    WantForm,
    attach_domain_error,
)
from verbinding.exchange.models import Answer
from verbinding.people.models import Person

R = Role.Name
MEMBERS = (R.MEMBER, R.VOLUNTEER, R.COORDINATOR, R.ORGANISER, R.HOST)
COORDINATORS = (R.COORDINATOR,)

REASONS = {
    "nobody_to_teach": gettext_lazy(
        "Nobody in the pool wants what this person offers, in a shared language at a shared time."),
    "nobody_teaches": gettext_lazy(
        "Nobody in the pool can teach what this person wants, in a shared language at a shared time."),
    "not_chosen": gettext_lazy("Partners exist, but they were matched with others this time."),
    "no_times": gettext_lazy("No free times in the profile yet."),
    "declined_before": gettext_lazy("Sat this run out: the only match was one they said no to before."),
}


def _url(request, name: str, **kwargs) -> str:
    return reverse(f"exchange:{name}", kwargs={"initiative_slug": request.initiative.slug, **kwargs})


def _me(request) -> Person:
    person = Person.objects.filter(
        initiative=request.initiative, user=request.user, anonymised_at__isnull=True
    ).first()
    if person is None:
        raise PermissionDenied
    return person


# --- Members ------------------------------------------------------------------------------------

def _mine(request, person, *, offer_form=None, want_form=None, status=200):
    return render(request, "exchange/mine.html", {
        "person": person,
        "offer_form": offer_form or OfferForm(prefix="offer"),
        "want_form": want_form or WantForm(prefix="want"),
        "offers": selectors.list_my_offers(person),
        "wants": selectors.list_my_wants(person),
        "exchanges": selectors.list_my_exchanges(person),
        "follow_up_weeks": services.FOLLOW_UP_WEEKS,
        "max_offers": services.MAX_OFFERS,
    }, status=status)


@role_required(*MEMBERS)
@require_GET
def mine(request):
    return _mine(request, _me(request))


@role_required(*MEMBERS)
@require_POST
def offer_add(request):
    person = _me(request)
    form = OfferForm(request.POST, prefix="offer")
    if form.is_valid():
        try:
            services.add_offer(person=person, by=request.user, **form.service_kwargs())
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            messages.success(request, _("Thank you! Your offer is on the list."))
            return redirect(_url(request, "mine"))
    return _mine(request, person, offer_form=form, status=400)


@role_required(*MEMBERS)
@require_POST
def want_add(request):
    person = _me(request)
    form = WantForm(request.POST, prefix="want")
    if form.is_valid():
        try:
            services.add_want(person=person, by=request.user, **form.service_kwargs())
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            messages.success(request, _("Your wish is on the list."))
            return redirect(_url(request, "mine"))
    return _mine(request, person, want_form=form, status=400)


@role_required(*MEMBERS)
@require_POST
def offer_remove(request, pk: int):
    person = _me(request)
    services.remove_offer(offer=selectors.get_my_offer(person, pk), by=request.user)
    messages.success(request, _("Removed."))
    return redirect(_url(request, "mine"))


@role_required(*MEMBERS)
@require_POST
def want_remove(request, pk: int):
    person = _me(request)
    services.remove_want(want=selectors.get_my_want(person, pk), by=request.user)
    messages.success(request, _("Removed."))
    return redirect(_url(request, "mine"))


@role_required(*MEMBERS)
@require_POST
def match_answer(request, pk: int):
    person = _me(request)
    match = selectors.get_my_match(person, pk)
    form = AnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("exchange_answer_invalid")
        services.answer_exchange(match=match, person=person, answer=form.cleaned_data["answer"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        match.refresh_from_db()
        if match.status == match.Status.CONFIRMED:
            messages.success(request, _("Everyone said yes. Agree a first meeting together."))
        elif form.cleaned_data["answer"] == Answer.YES:
            messages.success(request, _("Thank you! You will see here when everyone has said yes."))
        else:
            messages.success(request, _("That is fine. We will look for another match for you at the next round."))
    return redirect(_url(request, "mine"))


@role_required(*MEMBERS)
@require_POST
def match_happened(request, pk: int):
    person = _me(request)
    match = selectors.get_my_match(person, pk)
    form = HappenedForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("exchange_answer_invalid")
        services.record_happened(match=match, person=person, happened=form.cleaned_data["happened"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Thank you for telling us."))
    return redirect(_url(request, "mine"))


# --- Coordinators -------------------------------------------------------------------------------

@role_required(*COORDINATORS)
@require_GET
def manage(request):
    return render(request, "exchange/manage.html", {
        "overview": selectors.get_overview(request.initiative),
        "follow_up_weeks": services.FOLLOW_UP_WEEKS,
    })


@role_required(*COORDINATORS)
@require_POST
def run(request):
    try:
        round_ = services.start_round(initiative=request.initiative, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_url(request, "manage"))
    return redirect(_url(request, "round-detail", pk=round_.pk))


@role_required(*COORDINATORS)
@require_GET
def round_detail(request, pk: int):
    round_ = selectors.get_round(request.initiative, pk)
    view = selectors.get_round_view(round_)
    # The result names people and what they offer and want: a read of personal data (rule 4).
    audit(initiative=request.initiative, action=AuditEntry.Action.PROFILE_VIEW, by=request.user,
          view="exchange:round-detail", detail={"exchange_round": round_.pk})
    return render(request, "exchange/round_detail.html", {
        "view": view, "round": round_, "reasons": REASONS,
    })


@role_required(*COORDINATORS)
@require_GET
def round_progress(request, pk: int):
    round_ = selectors.get_round(request.initiative, pk)
    response = render(request, "exchange/_progress.html", {"round": round_})
    if not round_.is_active and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"  # done: reload the page to show the result
    return response
