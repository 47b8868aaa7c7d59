"""Views of the door app: the kiosk's list of today's sessions and the check-in screen.

Who: a kiosk login, a host or a coordinator of the initiative (`role_required`). The kiosk
role reaches these pages and nothing else. Writes are POST-only with CSRF. The kiosk's
script sends them with htmx and gets the outcome ("Welcome, Amal!") and the new head count in
the same answer: one request per check-in, nothing kept in the session. Without JavaScript a
write answers with a redirect back to the check-in screen (post/redirect/get), which then
shows the outcome once from the session store (a person id and flags, never a token). The
name search is an htmx fragment of the same results the no-JavaScript form renders.
"""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from verbinding.accounts.access import role_required
from verbinding.accounts.models import Role
from verbinding.core.errors import DomainError, message_for
from verbinding.door import selectors, services
from verbinding.surveys.services import mint_kiosk_token

R = Role.Name
DOOR_ROLES = (R.KIOSK, R.HOST, R.COORDINATOR)
RESULT_KEY = "door_result"


def _session_url(request, session) -> str:
    return reverse("door:session", kwargs={"initiative_slug": request.initiative.slug, "pk": session.pk})


def _pulse_url(request, session) -> str:
    """The "How was it?" link offered after a check-in or a guest tap: a fresh one-time link
    that carries only the session (surveys.services.mint_kiosk_token), never who checked in."""
    url = reverse("surveys:kiosk-pulse", kwargs={"initiative_slug": request.initiative.slug})
    return f"{url}?t={mint_kiosk_token(session=session)}"


def _answer(request, session, *, name: str = "", count=None, **outcome):
    """The answer to a write: with htmx, the outcome and head count at once (`door/_answer.html`);
    without, remember the outcome (never the name or a token) and redirect to the screen."""
    if request.htmx:
        outcome["name"] = name
        if outcome.get("kind") == "error":
            outcome["message"] = message_for(str(outcome.get("code", "")))
        else:
            outcome["pulse_url"] = _pulse_url(request, session)
        response = render(request, "door/_answer.html", {
            "session": session, "outcome": outcome,
            "count": count or selectors.count_present(session=session),
        })
        response["Cache-Control"] = "no-store"
        return response
    request.session[RESULT_KEY] = {"session": session.pk, **outcome}
    return redirect(_session_url(request, session))


def _take_outcome(request, session) -> dict | None:
    """The outcome of the last write on this screen, shown once."""
    outcome = request.session.pop(RESULT_KEY, None)
    if not isinstance(outcome, dict) or outcome.get("session") != session.pk:
        return None
    if outcome.get("kind") == "checkin":
        person = selectors.get_person_here(initiative=request.initiative, pk=outcome.get("person"))
        if person is None:
            return None
        outcome["name"] = person.display_name
    elif outcome.get("kind") == "error":
        outcome["message"] = message_for(str(outcome.get("code", "")))
    if outcome.get("kind") in ("checkin", "guest"):
        outcome["pulse_url"] = _pulse_url(request, session)  # minted now, never kept in the session
    return outcome


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or ""


@require_GET
@role_required(*DOOR_ROLES)
def kiosk(request):
    sessions = selectors.list_today_sessions(initiative=request.initiative)
    return render(request, "door/kiosk.html", {"sessions": sessions})


@require_GET
@role_required(*DOOR_ROLES)
def session(request, pk: int):
    session = selectors.get_kiosk_session(initiative=request.initiative, pk=pk)
    query = selectors.clean_query(request.GET.get("q"))
    hits = selectors.search_names(initiative=request.initiative, query=query) if query else []
    return render(request, "door/session.html", {
        "session": session,
        "is_today": selectors.is_today(session),
        "is_cancelled": session.status == session.Status.CANCELLED,
        "count": selectors.count_present(session=session),
        "outcome": _take_outcome(request, session),
        "query": query,
        "hits": hits,
        "searched": bool(query),
        "too_short": bool(query) and len(query.replace(" ", "")) < selectors.MIN_QUERY,
    })


@require_GET
@role_required(*DOOR_ROLES)
def search(request, pk: int):
    session = selectors.get_kiosk_session(initiative=request.initiative, pk=pk)
    query = selectors.clean_query(request.GET.get("q"))
    hits = selectors.search_names(initiative=request.initiative, query=query) if query else []
    response = render(request, "door/_results.html", {
        "session": session, "query": query, "hits": hits, "searched": bool(query),
        "too_short": bool(query) and len(query.replace(" ", "")) < selectors.MIN_QUERY,
    })
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@role_required(*DOOR_ROLES)
def checkin(request, pk: int):
    session = selectors.get_kiosk_session(initiative=request.initiative, pk=pk)
    try:
        result = services.check_in_by_name(
            initiative=request.initiative, session=session, person_id=request.POST.get("person"),
            by=request.user,
        )
    except DomainError as error:
        return _answer(request, session, kind="error", code=error.code)
    return _checked_in(request, session, result)


def _checked_in(request, session, result):
    count = None
    if request.htmx:  # the count and the first-visit question in one round trip
        count, first = selectors.count_present_after(session=session, checkin=result.checkin)
    else:
        first = result.created and result.first_visit  # asked only for a new check-in
    return _answer(request, session, name=result.checkin.person.display_name, count=count,
                   kind="checkin", person=result.checkin.person_id, created=result.created,
                   first=first and result.created)


@require_POST
@role_required(*DOOR_ROLES)
def scan(request, pk: int):
    session = selectors.get_kiosk_session(initiative=request.initiative, pk=pk)
    try:
        result = services.check_in_by_card(
            initiative=request.initiative, session=session, token=request.POST.get("token"),
            by=request.user, ip=_client_ip(request),
        )
    except DomainError as error:
        return _answer(request, session, kind="error", code=error.code)
    return _checked_in(request, session, result)


@require_POST
@role_required(*DOOR_ROLES)
def guest(request, pk: int):
    session = selectors.get_kiosk_session(initiative=request.initiative, pk=pk)
    try:
        services.count_walk_in(session=session, group=request.POST.get("group"), by=request.user)
    except DomainError as error:
        return _answer(request, session, kind="error", code=error.code)
    return _answer(request, session, kind="guest")
