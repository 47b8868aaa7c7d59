"""Views of the welcome app: the host's panel of today's arrivals (live through htmx polling,
with a plain refresh link and a meta refresh without JavaScript), registering someone on their
behalf, and personal QR cards.

Hosts and coordinators only (organisers have their own attendance pages in `organising`).
Every page that shows a person writes an audit row; the panel does so once per staff user,
person and day, not once per poll.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from verbinding.accounts.access import role_required
from verbinding.accounts.models import Role
from verbinding.core.errors import DomainError
from verbinding.people.services import record_profile_view
from verbinding.people.vocab import Interest, Talent
from verbinding.welcome import selectors, services
from verbinding.welcome.forms import CardIssueForm, RegisterForm
from verbinding.welcome.qr import qr_svg

HOST, COORDINATOR = Role.Name.HOST, Role.Name.COORDINATOR


def _url(request, name: str, **kwargs) -> str:
    return reverse(name, kwargs={"initiative_slug": request.initiative.slug, **kwargs})


def htmx_follows_redirects(view):
    """An htmx poll that is sent to log in (session expired, second factor needed) reloads the
    whole page there instead of swapping a login form into the arrivals list."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if getattr(request, "htmx", False) and response.status_code in (301, 302):
            reload = HttpResponse(status=204)
            reload["HX-Redirect"] = response["Location"]
            return reload
        return response

    return wrapper


# --- The host panel --------------------------------------------------------------------------

def _arrival_context(request, fingerprint: selectors.Fingerprint | None = None) -> dict:
    initiative = request.initiative
    # The fingerprint first: a check-in landing in between makes the next poll render again.
    fingerprint = fingerprint or selectors.arrivals_fingerprint(initiative=initiative)
    arrivals = selectors.list_arrivals_today(initiative=initiative)
    for row in arrivals:
        if row.first_visit:
            row.interest_labels = [Interest(c).label for c in row.person.interests
                                   if c in Interest.values]
            row.talent_labels = [Talent(c).label for c in row.person.talents if c in Talent.values]
    services.record_panel_views(initiative=initiative, by=request.user,
                                person_ids=[row.person_id for row in arrivals])
    return {
        "version": fingerprint.version,
        "arrivals": arrivals,
        "first_count": sum(1 for row in arrivals if row.first_visit),
        "guests": fingerprint.guests,
    }


@require_GET
@never_cache
@role_required(HOST, COORDINATOR)
def panel(request):
    return render(request, "welcome/panel.html", _arrival_context(request))


@require_GET
@never_cache
@htmx_follows_redirects
@role_required(HOST, COORDINATOR)
def arrivals(request):
    """The list alone, for the htmx poll; an empty 204 (htmx swaps nothing) when the poll's
    fingerprint `v` says nothing changed — then no personal data is sent, so none is audited."""
    fingerprint = selectors.arrivals_fingerprint(initiative=request.initiative)
    if request.GET.get("v") == fingerprint.version:
        return HttpResponse(status=204)
    return render(request, "welcome/panel.html#arrivals", _arrival_context(request, fingerprint))


@require_POST
@htmx_follows_redirects
@role_required(HOST, COORDINATOR)
def welcomed(request, pk: int):
    checkin = selectors.get_checkin_today(initiative=request.initiative, pk=pk)
    services.mark_welcomed(checkin=checkin, by=request.user)
    if request.htmx:
        return render(request, "welcome/panel.html#arrivals", _arrival_context(request))
    return redirect(_url(request, "welcome:panel") + f"#arrival-{checkin.pk}")


# --- Registering someone on their behalf -------------------------------------------------------

def agreement_texts() -> list[dict]:
    """What the person agrees to, in plain words, in every language of the site, so the host
    can show it in the person's own language (the page shows the one chosen in the form)."""
    texts = []
    for code in [code for code, _name in settings.LANGUAGES]:
        info = get_language_info(code)
        with translation.override(code):
            texts.append({
                "code": code, "dir": "rtl" if info["bidi"] else "ltr", "name": info["name_local"],
                "heading": _("What you agree to"),
                "profile": _("We keep your name, the languages you speak and what you like, so "
                             "you can take part. We never ask about your papers, country, "
                             "religion or health."),
                "card": _("If you want, you get a personal card with a code to check in at "
                          "the door. The code is random: your name is not in it."),
                "contact": _("If you give an email or phone number, we only use it for your "
                             "sign-ups."),
                "withdraw": _("You can stop at any time: ask the host or a coordinator, and we "
                              "delete your data."),
            })
    return texts


@require_http_methods(["GET", "POST"])
@role_required(HOST, COORDINATOR)
def register(request):
    sessions = list(selectors.list_sessions_today(initiative=request.initiative))
    form = RegisterForm(request.POST if request.method == "POST" else None, sessions=sessions)
    name_clash = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.register_person(
                initiative=request.initiative, by=request.user,
                display_name=data["display_name"], preferred_language=data["preferred_language"],
                speaks=form.speaks(), interests=data["interests"], talents=data["talents"],
                email=data["email"], phone=data["phone"], consents=form.consents(),
                check_in_session=form.chosen_session(),
                confirm_new_name=data["confirm_new_name"],
            )
        except DomainError as error:
            name_clash = error.code == "welcome_name_exists"
            field = {"welcome_name_exists": "display_name",
                     "welcome_contact_consent_required": "consent_contact",
                     "welcome_profile_consent_required": "consent_profile",
                     "welcome_session_not_today": "check_in_session"}.get(error.code)
            form.add_error(field, error.message)
        else:
            messages.success(request, _("%(name)s is registered.") % {"name": person.display_name})
            return redirect(_url(request, "welcome:card", pk=person.pk))
    return render(request, "welcome/register.html", {
        "form": form, "agreements": agreement_texts(), "sessions": sessions,
        "name_clash": name_clash or bool(form.data.get("confirm_new_name")),
        "open_details": form.is_bound and any(
            form[name].errors for name in ("interests", "talents", *[
                f.name for f in form.speak_fields()])
        ),
    })


# --- Cards ----------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@role_required(HOST, COORDINATOR)
def card(request, pk: int):
    person = selectors.get_person(initiative=request.initiative, pk=pk)
    form = CardIssueForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.issue_card(person=person, by=request.user,
                                consent=form.cleaned_data["consent"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The card is ready. Print it and give it to them."))
        return redirect(_url(request, "welcome:card", pk=person.pk))
    record_profile_view(person=person, by=request.user, view="welcome:card")
    return render(request, "welcome/card.html", {
        "person": person, "live_card": selectors.get_live_card(person=person),
        "revoked": selectors.count_revoked_cards(person=person),
        "has_consent": selectors.has_live_consent(person=person, purpose="card"),
        "form": form,
    })


@require_POST
@role_required(HOST, COORDINATOR)
def card_reissue(request, pk: int):
    person = selectors.get_person(initiative=request.initiative, pk=pk)
    try:
        services.reissue_card(person=person, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The old card no longer works. Print the new one."))
    return redirect(_url(request, "welcome:card", pk=person.pk))


@require_POST
@role_required(HOST, COORDINATOR)
def card_revoke(request, pk: int):
    person = selectors.get_person(initiative=request.initiative, pk=pk)
    try:
        services.revoke_card(person=person, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The card no longer works."))
    return redirect(_url(request, "welcome:card", pk=person.pk))


@require_GET
@never_cache
@role_required(HOST, COORDINATOR)
def card_print(request, pk: int):
    """The printable card: credit-card size, in the PERSON's language (right-to-left for
    Arabic), while the buttons around it stay in the host's language. The QR code holds the
    token only; the page is never cached (the code is a key to check in)."""
    member_card = selectors.get_live_card_for_print(initiative=request.initiative, pk=pk)
    person = member_card.person
    record_profile_view(person=person, by=request.user, view="welcome:card-print")
    language = person.preferred_language or (request.initiative.languages or ["nl"])[0]
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language()
    with translation.override(language):
        card_html = render_to_string("welcome/_member_card.html", {
            "initiative": request.initiative, "person": person, "qr": qr_svg(member_card.token),
            "card_lang": language,
            "card_dir": "rtl" if get_language_info(language)["bidi"] else "ltr",
        })
    return render(request, "welcome/card_print.html", {
        "person": person, "member_card": member_card, "card_html": card_html,
    })
