"""Views of the organising app: an organiser's sessions, one session's registrations and
attendance (mark present afterwards, undo, add members who did not sign up, count guests, see
who is new), cancelling a session with a notice, and messaging the people signed up.

Organisers and coordinators only (`role_required`); an organiser sees the sessions of the
activities they organise, and another activity's session is a 403; another initiative's is a
404 (selectors.get_session_for). Every write answers with a redirect and a flash message, so
the pages work without JavaScript.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from verbinding.accounts.access import can_coordinate, role_required
from verbinding.accounts.models import Role
from verbinding.attendance.models import GuestTally
from verbinding.core.errors import DomainError
from verbinding.organising import selectors, services
from verbinding.organising.forms import (
    CancelForm,
    GuestForm,
    MessageForm,
    PresentForm,
    SearchForm,
    UndoForm,
    attach_domain_error,
)

R = Role.Name
ORGANISERS = (R.COORDINATOR, R.ORGANISER)


def _session_url(request, session) -> str:
    return reverse("organising:session",
                   kwargs={"initiative_slug": request.initiative.slug, "pk": session.pk})


def _form_error(request, form) -> None:
    errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
    messages.error(request, errors[0] if errors else _("Something went wrong. Please try again."))


@role_required(*ORGANISERS)
@require_GET
def session_list(request):
    sessions = selectors.list_sessions(user=request.user, initiative=request.initiative)
    return render(request, "organising/session_list.html", {
        "upcoming": sessions.upcoming, "recent": sessions.recent,
        "is_coordinator": can_coordinate(request.user, request.initiative),
    })


@role_required(*ORGANISERS)
@require_GET
def session_detail(request, pk: int):
    session = selectors.get_session_for(request.user, request.initiative, pk)
    context = {"session": session, "activity": session.activity}
    if selectors.is_beyond_history(session):
        # Privacy rule 6: per-person history older than the window is not shown to staff.
        context["totals"] = selectors.get_totals(session)
        return render(request, "organising/session_detail.html", context)
    search = SearchForm(request.GET or None)
    found = []
    if search.is_valid():
        found = selectors.search_members(session=session, query=search.cleaned_data["q"])
    attendance = selectors.get_attendance(session)
    services.record_reads(initiative=request.initiative, by=request.user,
                          person_ids=attendance.person_ids() | {p.pk for p in found})
    context.update({
        "attendance": attendance, "search": search, "found": found,
        "searched": search.is_valid() and bool(search.cleaned_data["q"].strip()),
        "guest_form": GuestForm(), "guest_groups": GuestTally.Group,
        "messages_sent": selectors.list_messages(session),
        "has_started": session.start <= timezone.now(),
        "is_over": session.end < timezone.now(),
    })
    return render(request, "organising/session_detail.html", context)


@role_required(*ORGANISERS)
@require_POST
def mark_present(request, pk: int):
    session = selectors.get_session_for(request.user, request.initiative, pk)
    form = PresentForm(request.POST)
    if not form.is_valid():
        _form_error(request, form)
        return redirect(_session_url(request, session))
    try:
        created = services.mark_present(session=session, person_ids=form.cleaned_data["person"],
                                        by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, ngettext(
            "%(n)s person marked present.", "%(n)s people marked present.", created,
        ) % {"n": created})
    return redirect(_session_url(request, session))


@role_required(*ORGANISERS)
@require_POST
def undo_present(request, pk: int):
    session = selectors.get_session_for(request.user, request.initiative, pk)
    form = UndoForm(request.POST)
    if not form.is_valid():
        _form_error(request, form)
        return redirect(_session_url(request, session))
    try:
        removed = services.undo_present(session=session, person_id=form.cleaned_data["person"],
                                        by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if removed:
            messages.success(request, _("No longer marked present."))
        else:
            messages.warning(request, _("This person was not marked present."))
    return redirect(_session_url(request, session))


@role_required(*ORGANISERS)
@require_POST
def add_guests(request, pk: int):
    session = selectors.get_session_for(request.user, request.initiative, pk)
    form = GuestForm(request.POST)
    if not form.is_valid():
        _form_error(request, form)
        return redirect(_session_url(request, session) + "#guests")
    try:
        tally = services.add_guests(session=session, count=form.cleaned_data["count"],
                                    group=form.cleaned_data["group"], by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, ngettext(
            "%(n)s guest counted.", "%(n)s guests counted.", tally.count,
        ) % {"n": tally.count})
    return redirect(_session_url(request, session) + "#guests")


@role_required(*ORGANISERS)
@require_http_methods(["GET", "POST"])
def cancel(request, pk: int):
    session = selectors.get_session_for(request.user, request.initiative, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.cancel_with_notice(session=session, by=request.user,
                                                 message=form.cleaned_data["message"])
        except DomainError as error:
            attach_domain_error(form, error, "message")
        else:
            messages.success(request, _sent_text(
                notice, _("The session is cancelled. Nobody had signed up, so nobody was told.")))
            return redirect(_session_url(request, session))
    return render(request, "organising/session_cancel.html", {
        "session": session, "activity": session.activity, "form": form,
        "recipients": len(selectors.list_recipients(session)),
    }, status=400 if form.errors else 200)


@role_required(*ORGANISERS)
@require_http_methods(["GET", "POST"])
def message(request, pk: int):
    session = selectors.get_session_for(request.user, request.initiative, pk)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.send_message(session=session, by=request.user,
                                         body=form.cleaned_data["body"])
        except DomainError as error:
            attach_domain_error(form, error, "body")
        else:
            messages.success(request, _sent_text(
                sent, _("The message is saved, but nobody is signed up yet to read it.")))
            return redirect(_session_url(request, session))
    return render(request, "organising/session_message.html", {
        "session": session, "activity": session.activity, "form": form,
        "recipients": len(selectors.list_recipients(session)),
        "too_old": selectors.is_beyond_history(session),
    }, status=400 if form.errors else 200)


def _sent_text(sent, nobody: str) -> str:
    if sent is None or not sent.recipients:
        return nobody
    return ngettext(
        "Sent to %(n)s person, %(emailed)s by email.",
        "Sent to %(n)s people, %(emailed)s by email.", sent.recipients,
    ) % {"n": sent.recipients, "emailed": sent.emailed}
