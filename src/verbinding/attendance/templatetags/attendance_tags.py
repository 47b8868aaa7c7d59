"""Template tags for the sign-up controls that the calendar and activity pages include.

`{% my_registration session as reg %}` and `{% my_enrolment activity as reg %}` give the
viewer's own live registration (with `waitlist_position`) or None. The first use in a request
loads all of the viewer's live registrations in the initiative in one query and caches them on
the request, so a page with fifty sessions costs one query, not fifty.

`{% session_places session as places %}` and `{% project_places activity as places %}` give
the capacity picture. They read a `confirmed_count` / `enrolled_count` annotation when the
page provided one; otherwise they load the counts for all sessions of that activity (or all
projects on the page) once per request.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django import template
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from verbinding.accounts.access import can_coordinate
from verbinding.attendance import selectors
from verbinding.core.csrf_cache import with_token, without_tokens

register = template.Library()

_VIEWER = "_attendance_viewer_registrations"
_PERSON = "_attendance_viewer_person"
_SESSION_COUNTS = "_attendance_session_counts"
_PROJECT_COUNTS = "_attendance_project_counts"
_ORGANISED = "_attendance_organised_activity_ids"


@dataclass(frozen=True)
class Places:
    capacity: int | None
    taken: int

    @property
    def left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.taken, 0)

    @property
    def full(self) -> bool:
        return self.capacity is not None and self.taken >= self.capacity


def viewer_person(request):
    """The viewer's Person in request.initiative (cached on the request), or None."""
    if request is None:
        return None
    if not hasattr(request, _PERSON):
        initiative = getattr(request, "initiative", None)
        person = None
        if initiative is not None:
            person = selectors.get_member_person(initiative=initiative, user=request.user)
        setattr(request, _PERSON, person)
    return getattr(request, _PERSON)


def _viewer_registrations(request) -> selectors.ViewerRegistrations:
    if request is None:
        return selectors.ViewerRegistrations()
    cached = getattr(request, _VIEWER, None)
    if cached is None:
        cached = selectors.get_viewer_registrations(person=viewer_person(request))
        setattr(request, _VIEWER, cached)
    return cached


def forget_viewer_state(request) -> None:
    """After a sign-up changed something, let the next render read fresh state."""
    for name in (_VIEWER, _SESSION_COUNTS, _PROJECT_COUNTS):
        if hasattr(request, name):
            delattr(request, name)


@register.simple_tag(takes_context=True)
def my_registration(context, session):
    return _viewer_registrations(context.get("request")).by_session.get(session.pk)


@register.simple_tag(takes_context=True)
def my_enrolment(context, activity):
    return _viewer_registrations(context.get("request")).by_project.get(activity.pk)


@register.simple_tag(takes_context=True)
def session_places(context, session):
    capacity = session.effective_capacity
    taken = getattr(session, "confirmed_count", None)
    if taken is None:
        request = context.get("request")
        by_activity = getattr(request, _SESSION_COUNTS, None) if request is not None else None
        if by_activity is None:
            by_activity = {}
            if request is not None:
                setattr(request, _SESSION_COUNTS, by_activity)
        if session.activity_id not in by_activity:
            by_activity[session.activity_id] = selectors.count_confirmed_for_activity(
                session.activity_id
            )
        taken = by_activity[session.activity_id].get(session.pk, 0)
    return Places(capacity=capacity, taken=taken)


@register.simple_tag(takes_context=True)
def project_places(context, activity):
    taken = getattr(activity, "enrolled_count", None)
    if taken is None:
        request = context.get("request")
        counts = getattr(request, _PROJECT_COUNTS, None) if request is not None else None
        if counts is None:
            counts = {}
        if activity.pk not in counts:
            counts.update({activity.pk: selectors.count_enrolled(activity)})
            if request is not None:
                setattr(request, _PROJECT_COUNTS, counts)
        taken = counts[activity.pk]
    return Places(capacity=activity.capacity, taken=taken)


@register.simple_tag
def is_past(session) -> bool:
    return session.start <= timezone.now()


@register.simple_tag
def project_open(activity) -> bool:
    """Whether people can still enrol: the project has a planned session still to come."""
    coming = getattr(activity, "coming_sessions", None)
    if coming is not None:
        return any(s.status == "planned" and s.start > timezone.now() for s in coming)
    return activity.sessions.filter(status="planned", start__gt=timezone.now()).exists()


@register.simple_tag(takes_context=True)
def viewer_can_sign_up(context) -> bool:
    """Whether the viewer has a person here (kiosk and partner accounts do not)."""
    return viewer_person(context.get("request")) is not None


@register.simple_tag(takes_context=True)
def can_see_who_is_coming(context, activity) -> bool:
    """Coordinators, and organisers of this activity (one query per request for the ids of
    the activities the viewer organises)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return False
    if can_coordinate(request.user, getattr(request, "initiative", None)):
        return True
    organised = getattr(request, _ORGANISED, None)
    if organised is None:
        organised = selectors.list_organised_activity_ids(person=viewer_person(request))
        setattr(request, _ORGANISED, organised)
    return activity.pk in organised


_URLS = "_attendance_url_patterns"
_PK_SENTINEL = 987654321


def _url_for(request, name: str, pk: int) -> str:
    """reverse(name, initiative_slug=…, pk=pk), reversing each name once per request: a page
    with fifty cards would otherwise reverse the same pattern 150 times."""
    initiative = getattr(request, "initiative", None)
    cache = getattr(request, _URLS, None) if request is not None else None
    if cache is None:
        cache = {}
        if request is not None:
            setattr(request, _URLS, cache)
    parts = cache.get(name)
    if parts is None:
        url = reverse(name, kwargs={"initiative_slug": initiative.slug, "pk": _PK_SENTINEL})
        head, sep, tail = url.partition(f"/{_PK_SENTINEL}/")
        parts = (head + "/", "/" + tail) if sep else None
        cache[name] = parts
    if parts is None:  # the pattern has no /<pk>/ segment: no shortcut
        return reverse(name, kwargs={"initiative_slug": initiative.slug, "pk": pk})
    return f"{parts[0]}{int(pk)}{parts[1]}"


@dataclass(frozen=True)
class SignupState:
    """Everything the sign-up controls of one session show, worked out in one pass."""

    past: bool
    places: Places | None = None
    can_sign_up: bool = False
    reg: object = None
    can_see: bool = False
    signup_url: str = ""
    cancel_url: str = ""
    registrations_url: str = ""


@register.simple_tag(takes_context=True)
def signup_state(context, session) -> SignupState:
    """The state of `session`'s sign-up controls for the viewer. Loads only what the controls
    show: places, the viewer's registration and who-is-coming only for a session still open."""
    past = session.start <= timezone.now()
    if past or session.status != "planned" or session.activity.is_project:
        return SignupState(past=past)
    request = context.get("request")
    places = session_places(context, session)
    can_sign_up = reg = False
    authenticated = request is not None and request.user.is_authenticated
    if authenticated:
        can_sign_up = viewer_person(request) is not None
        if can_sign_up:
            reg = _viewer_registrations(request).by_session.get(session.pk)
    can_see = can_see_who_is_coming(context, session.activity)
    signup_url = cancel_url = registrations_url = ""
    if can_sign_up:
        if reg is not None and reg.status in ("confirmed", "waitlisted"):
            cancel_url = _url_for(request, "attendance:session-cancel-signup", session.pk)
        else:
            signup_url = _url_for(request, "attendance:session-signup", session.pk)
    if can_see:
        registrations_url = _url_for(request, "attendance:session-registrations", session.pk)
    return SignupState(
        past=past, places=places, can_sign_up=can_sign_up, reg=reg or None, can_see=can_see,
        signup_url=signup_url, cancel_url=cancel_url, registrations_url=registrations_url,
    )


# --- Cached session cards for logged-in viewers ---------------------------------------------

CARD_CACHE_VERSION = 1
CARD_CACHE_SECONDS = 300  # a safety net: the key already holds everything the card depends on


def _card_key(context, request, session) -> str | None:
    """Everything one session card renders differently by, for a logged-in viewer — or None
    when the card should not be cached (feedback after a sign-up is shown once).

    The card's content is the same for every viewer in the same *state*: the initiative's
    content_version (raised by every write that changes cards: sign-ups, cancellations, edits),
    the language, time zone and date, the page address (posted back as `next`), whether the
    session or project has started or closed, and the viewer's own registration, whether they
    can sign up and whether they may see who is coming. Two members with the same state share
    the card; the CSRF token is swapped in per request."""
    if context.get("feedback"):
        return None
    initiative = getattr(request, "initiative", None)
    if initiative is None:
        return None
    activity = session.activity
    registrations = _viewer_registrations(request)
    if activity.is_project:
        reg = registrations.by_project.get(activity.pk)
        clock = ("open", project_open(activity))
    else:
        reg = registrations.by_session.get(session.pk)
        clock = ("past", session.start <= timezone.now())
    words = (
        CARD_CACHE_VERSION, initiative.pk, initiative.created_at.timestamp(),
        initiative.content_version, translation.get_language(),
        timezone.get_current_timezone_name(), timezone.localdate().isoformat(),
        request.get_full_path(), context.get("next_url") or "", bool(context.get("in_activity")),
        session.pk, session.status, activity.pk, clock,
        viewer_person(request) is not None, can_see_who_is_coming(context, activity),
        (reg.status, getattr(reg, "waitlist_position", None)) if reg is not None else None,
    )
    digest = hashlib.blake2b(repr(words).encode(), digest_size=20).hexdigest()
    return f"verbinding:card:{digest}"


class CachedCardNode(template.Node):
    def __init__(self, nodelist, session_expr):
        self.nodelist = nodelist
        self.session_expr = session_expr

    def render(self, context):
        request = context.get("request")
        if request is None or not request.user.is_authenticated:
            # Anonymous visitors get whole cached fragments from activities.views_public.
            return self.nodelist.render(context)
        key = _card_key(context, request, self.session_expr.resolve(context))
        if key is None:
            return self.nodelist.render(context)
        hit = cache.get(key)
        if hit is not None:
            # HTML this tag rendered (escaped by its templates) with the CSRF tokens taken out.
            return mark_safe(with_token(hit, str(context.get("csrf_token") or "")))  # noqa: S308
        html = self.nodelist.render(context)
        cache.set(key, without_tokens(html), timeout=CARD_CACHE_SECONDS)
        return html


@register.tag
def cached_card(parser, token):
    """{% cached_card s %}…{% endcached_card %}: one session card, rendered once per viewer
    state (see `_card_key`) and reused across requests and members."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("cached_card takes one argument: the session")
    nodelist = parser.parse(("endcached_card",))
    parser.delete_first_token()
    return CachedCardNode(nodelist, parser.compile_filter(bits[1]))
