"""Views of the surveys app: the pulse at the kiosk, the pulse on a member's phone, and the
member's page with the sessions they can still answer and their linking consent.

Who:
- `kiosk_pulse`: a kiosk login, a host or a coordinator (the tablet at the door), with a one-time
  link minted at check-in (`?t=` on the first screen, a hidden field after that). A member
  cannot use a kiosk link on their own phone (403), so the door cannot be used to stuff answers.
- `mine`, `phone_pulse`, `linking`: a member of the initiative (any role with a person here);
  the kiosk and partner logins get 403.
Every screen is a plain form POST (no JavaScript needed); `static/surveys/pulse.js` only sends
an idle kiosk back to the check-in screen.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_http_methods, require_POST

from verbinding.accounts.access import role_required
from verbinding.accounts.models import Role
from verbinding.activities.models import Session
from verbinding.core.errors import DomainError, message_for
from verbinding.people.models import Person
from verbinding.surveys import selectors, services
from verbinding.surveys.forms import parse_step
from verbinding.surveys.items import RATHER_NOT_SAY, items_for

R = Role.Name
KIOSK_ROLES = (R.KIOSK, R.HOST, R.COORDINATOR)
MEMBER_ROLES = (R.MEMBER, R.VOLUNTEER, R.COORDINATOR, R.ORGANISER, R.HOST)
# An untouched kiosk pulse screen goes back to the check-in screen after this many seconds.
KIOSK_IDLE_SECONDS = 45
STATUS = {"pulse_link_invalid": 400, "pulse_answer_invalid": 400, "pulse_language_invalid": 400,
          "pulse_link_expired": 410, "pulse_link_used": 410, "pulse_already_answered": 409,
          "pulse_not_attended": 403}


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


def _slug(request) -> dict:
    return {"initiative_slug": request.initiative.slug}


def _message(request, *, code: str, back_url: str, kiosk: bool, thanks: bool = False):
    return _no_store(render(request, "surveys/pulse_done.html", {
        "thanks": thanks, "message": message_for(code) if code else "", "back_url": back_url,
        "kiosk": kiosk,
    }, status=200 if thanks else STATUS.get(code, 400)))


def _flow(request, *, session: Session, kiosk: bool, back_url: str, token: str = "", person=None):
    """Show the next screen of the pulse, or store it after the last one."""
    day = services.local_day(request.initiative)
    items = items_for(day)
    error = ""
    if request.method == "POST":
        try:
            state = parse_step(request.POST, items)
        except DomainError as exc:
            error = message_for(exc.code)
            state = parse_step({}, items)
        if state.done and not error:
            try:
                if kiosk:
                    services.submit_kiosk_pulse(initiative=request.initiative, token=token,
                                                language=get_language(), answers=state.answers)
                else:
                    services.submit_phone_pulse(person=person, session_id=session.pk,
                                                language=get_language(), answers=state.answers)
            except DomainError as exc:
                return _message(request, code=exc.code, back_url=back_url, kiosk=kiosk)
            return _message(request, code="", back_url=back_url, kiosk=kiosk, thanks=True)
    else:
        state = parse_step({}, items)
    item = items[state.step]
    prompt = gettext(item.prompt)
    if "%(place)s" in item.prompt:
        prompt = prompt % {"place": request.initiative.name}
    response = render(request, "surveys/pulse.html", {
        "session": session, "item": item, "state": state, "prompt": prompt,
        "answers": [(a.code, gettext(a.label), a.picto) for a in item.answers],
        "step_number": state.step + 1, "steps": len(items),
        "in_module": item.module != "pulse", "first_module_step": item.module != "pulse"
        and items[state.step - 1].module == "pulse",
        "carried": [(code, value) for code, value in state.answers.items()
                    if code != item.code],
        "rather_not_say": RATHER_NOT_SAY, "kiosk": kiosk, "token": token,
        "action": request.path, "back_url": back_url, "error": error,
        "idle_seconds": KIOSK_IDLE_SECONDS,
    }, status=400 if error else 200)
    return _no_store(response)


@require_http_methods(["GET", "POST"])
@role_required(*KIOSK_ROLES)
def kiosk_pulse(request):
    token = request.POST.get("t", "") if request.method == "POST" else request.GET.get("t", "")
    kiosk_url = reverse("door:kiosk", kwargs=_slug(request))
    try:
        pulse = services.read_kiosk_token(initiative=request.initiative, token=token)
    except DomainError as exc:
        return _message(request, code=exc.code, back_url=kiosk_url, kiosk=True)
    back_url = reverse("door:session", kwargs={**_slug(request), "pk": pulse.session.pk})
    return _flow(request, session=pulse.session, kiosk=True, back_url=back_url, token=token)


def _person(request) -> Person:
    person = Person.objects.filter(initiative=request.initiative, user=request.user,
                                   anonymised_at__isnull=True).first()
    if person is None:
        raise Http404
    return person


@require_http_methods(["GET"])
@role_required(*MEMBER_ROLES)
def mine(request):
    person = _person(request)
    return _no_store(render(request, "surveys/mine.html", {
        "sessions": selectors.list_answerable_sessions(person=person),
        "linked": selectors.has_link_consent(person),
        "window_days": selectors.PHONE_WINDOW_DAYS,
    }))


@require_http_methods(["GET", "POST"])
@role_required(*MEMBER_ROLES)
def phone_pulse(request, pk: int):
    person = _person(request)
    pk = services.as_id(pk)
    session = pk and Session.objects.filter(initiative=request.initiative, pk=pk).select_related("activity").first()
    if not session:
        raise Http404
    back_url = reverse("surveys:mine", kwargs=_slug(request))
    try:
        services.get_phone_session(person=person, pk=pk)
    except DomainError as exc:
        return _message(request, code=exc.code, back_url=back_url, kiosk=False)
    return _flow(request, session=session, kiosk=False, back_url=back_url, person=person)


@require_POST
@role_required(*MEMBER_ROLES)
def linking(request):
    person = _person(request)
    if request.POST.get("action") == "withdraw":
        services.withdraw_link_consent(person=person, by=request.user)
    elif request.POST.get("action") == "give" and request.POST.get("consent") == "yes":
        services.give_link_consent(person=person, by=request.user)
    else:
        response = render(request, "surveys/mine.html", {
            "sessions": selectors.list_answerable_sessions(person=person),
            "linked": selectors.has_link_consent(person),
            "window_days": selectors.PHONE_WINDOW_DAYS,
            "consent_error": message_for("consent_required"),
        }, status=400)
        return _no_store(response)
    return redirect(reverse("surveys:mine", kwargs=_slug(request)) + "#linking")
