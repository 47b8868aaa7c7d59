"""Pages for bottom-up proposals.

Members (/me/proposals/…): propose an activity, see their proposals with the coordinator's
answer, withdraw a pending one. Coordinators (/manage/proposals/…): the list (pending first),
one proposal with edit, approve and decline. Anonymous visitors are sent to log in; a kiosk or
partner account (no person here) and, on /manage/, anyone who is not a coordinator get 403.
Objects of another initiative, and another member's proposals, are a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from verbinding.accounts.access import role_required
from verbinding.accounts.models import Role
from verbinding.accounts.services import audit
from verbinding.activities import proposals
from verbinding.activities.forms_proposals import DecisionForm, ProposalForm, attach_domain_error
from verbinding.core.errors import DomainError
from verbinding.core.models import AuditEntry
from verbinding.people.models import Person

R = Role.Name
MEMBERS = (R.MEMBER, R.VOLUNTEER, R.COORDINATOR, R.ORGANISER, R.HOST)
COORDINATORS = (R.COORDINATOR,)


def _url(request, name: str, **kwargs) -> str:
    return reverse(f"activities:{name}", kwargs={"initiative_slug": request.initiative.slug, **kwargs})


def _me(request) -> Person:
    person = Person.objects.filter(
        initiative=request.initiative, user=request.user, anonymised_at__isnull=True
    ).first()
    if person is None:
        raise PermissionDenied
    return person


# --- Members ------------------------------------------------------------------------------------

@role_required(*MEMBERS)
@require_http_methods(["GET", "POST"])
def propose(request):
    person = _me(request)
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposals.propose(initiative=request.initiative, proposer=person, by=request.user,
                              **form.service_kwargs())
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            messages.success(request, _("Thank you! Your idea is sent. A coordinator will answer you here."))
            return redirect(_url(request, "my-proposals"))
    return render(request, "activities/proposals/propose.html", {"form": form},
                  status=400 if form.errors else 200)


@role_required(*MEMBERS)
def my_proposals(request):
    person = _me(request)
    return render(request, "activities/proposals/mine.html", {
        "proposals": proposals.list_my_proposals(person),
    })


@role_required(*MEMBERS)
@require_POST
def withdraw(request, pk: int):
    person = _me(request)
    proposal = proposals.get_my_proposal(person, pk)
    try:
        proposals.withdraw_proposal(proposal=proposal, person=person, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your proposal is withdrawn."))
    return redirect(_url(request, "my-proposals"))


# --- Coordinators -------------------------------------------------------------------------------

@role_required(*COORDINATORS)
def proposal_list(request):
    return render(request, "activities/proposals/manage_list.html", {
        "lists": proposals.list_proposals_for_coordinators(request.initiative),
    })


def _detail_context(request, proposal, **extra) -> dict:
    return {
        "proposal": proposal,
        "approve_form": DecisionForm(prefix="approve"),
        "decline_form": DecisionForm(prefix="decline", require_message=True),
        **extra,
    }


def _audit_read(request, proposal) -> None:
    """A coordinator reading a member's proposal reads that member's words: leave a trace
    (privacy rule 4). Nothing of the content goes into the log."""
    if proposal.proposer_id is not None:
        audit(initiative=request.initiative, action=AuditEntry.Action.PROFILE_VIEW, by=request.user,
              subject_person_id=proposal.proposer_id, view="activities:proposal-detail",
              detail={"proposal_id": proposal.pk})


@role_required(*COORDINATORS)
def proposal_detail(request, pk: int):
    proposal = proposals.get_proposal_for_coordinators(request.initiative, pk)
    _audit_read(request, proposal)
    return render(request, "activities/proposals/manage_detail.html",
                  _detail_context(request, proposal))


@role_required(*COORDINATORS)
@require_http_methods(["GET", "POST"])
def proposal_edit(request, pk: int):
    proposal = proposals.get_proposal_for_coordinators(request.initiative, pk)
    if proposal.status != proposal.Status.PENDING:
        messages.error(request, _("This proposal has already been decided or withdrawn."))
        return redirect(_url(request, "proposal-detail", pk=proposal.pk))
    form = ProposalForm(request.POST or None, proposal=proposal)
    if request.method == "POST" and form.is_valid():
        try:
            proposals.update_proposal(proposal=proposal, by=request.user, **form.service_kwargs())
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(_url(request, "proposal-detail", pk=proposal.pk))
    if request.method == "GET":
        _audit_read(request, proposal)
    return render(request, "activities/proposals/manage_edit.html",
                  {"form": form, "proposal": proposal}, status=400 if form.errors else 200)


def _decide(request, pk: int, *, approve: bool):
    proposal = proposals.get_proposal_for_coordinators(request.initiative, pk)
    prefix = "approve" if approve else "decline"
    form = DecisionForm(request.POST, prefix=prefix, require_message=not approve)
    if form.is_valid():
        try:
            if approve:
                decided = proposals.approve_proposal(
                    proposal=proposal, by=request.user, response=form.cleaned_data["response"])
            else:
                proposals.decline_proposal(
                    proposal=proposal, by=request.user, response=form.cleaned_data["response"])
        except DomainError as error:
            if error.code == "proposal_not_pending":
                messages.error(request, error.message)
                return redirect(_url(request, "proposal-detail", pk=proposal.pk))
            attach_domain_error(form, error)
        else:
            if approve:
                messages.success(request, _(
                    "Approved. This is the new activity, still a draft: give it a time and a "
                    "place, then make it visible. The proposer suggested: %(when)s"
                ) % {"when": decided.when})
                return redirect(_url(request, "manage-edit", pk=decided.activity_id))
            messages.success(request, _("Declined. The proposer sees your message."))
            return redirect(_url(request, "proposal-list"))
    context = _detail_context(request, proposal)
    context[f"{prefix}_form"] = form
    return render(request, "activities/proposals/manage_detail.html", context, status=400)


@role_required(*COORDINATORS)
@require_POST
def proposal_approve(request, pk: int):
    return _decide(request, pk, approve=True)


@role_required(*COORDINATORS)
@require_POST
def proposal_decline(request, pk: int):
    return _decide(request, pk, approve=False)
