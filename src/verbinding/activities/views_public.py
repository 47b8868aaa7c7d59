"""Public pages of an initiative: the calendar (list and week), activity pages, iCal feeds.

Anyone may read these. They show only published activities (members-only ones to members)
and never a person: organisers' names appear only for logged-in members of the initiative.
Query strings are untrusted: anything that does not parse is ignored, never a 500.

For anonymous visitors the rendered results of the calendar and week view and the sessions
section of an activity page are cached (`_fragment`): never a whole page (it carries the CSRF
token and the CSP nonce). A logged-in viewer's pieces are cached for them alone (their user and roles in
the key, CSRF tokens swapped per request); below that, session cards are shared between viewers
in the same state (attendance_tags.cached_card), so a first render after a change is cheap. The key
holds everything the fragment depends on: the initiative and its `content_version` (raised in
the same transaction by every write that changes these pages, see core.services), the language,
the time zone, today's date, and the normalised filters and period. A fragment also expires at
the first moment it would render differently by the clock alone (a session starting turns into
"has taken place"; a project whose last date starts closes), so nothing is ever stale.
Production can share the cache between processes with VERBINDING_CACHE_BACKEND.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from verbinding.accounts.access import is_member, roles_for
from verbinding.activities import selectors
from verbinding.activities.filters import (
    clamp_day,
    filters_query,
    local_midnight,
    parse_calendar_query,
)
from verbinding.activities.ical import build_calendar
from verbinding.activities.models import Activity, Format
from verbinding.core.csrf_cache import with_token, without_tokens
from verbinding.core.i18n import localized, localized_lang

LIST_DAYS = 28  # the list view shows four weeks and pages by four weeks
WEEK_DAYS = 7
MAX_SESSIONS_PER_PAGE = 500  # a hostile or huge initiative cannot make one page unbounded
FEED_PAST = dt.timedelta(days=30)
FEED_FUTURE = dt.timedelta(days=180)
FEED_MAX_SESSIONS = 2000
RESULTS_ID = "calendar-results"
UPCOMING_SESSIONS = 12
FRAGMENT_SECONDS = 300  # a safety net only: content_version and the clock decide freshness


def _fragment_key(request, parts: Iterable) -> str:
    initiative = request.initiative
    words = [
        initiative.pk, initiative.created_at.timestamp(), initiative.content_version,
        translation.get_language(), timezone.get_current_timezone_name(),
        timezone.localdate().isoformat(), *parts,
    ]
    digest = hashlib.blake2b("|".join(map(str, words)).encode(), digest_size=20).hexdigest()
    return f"verbinding:public:{digest}"


Fragments = dict[str, str]  # name -> rendered, escaped HTML


def _fragment(request, parts: Iterable, build: Callable[[], tuple[Fragments, dt.datetime | None]]
              ) -> Fragments:
    """The HTML pieces `build()` renders, from the cache for an anonymous viewer.

    `build` returns (pieces, changes_at): the pieces are HTML (escaped by the templates, or by
    conditional_escape for a plain text), changes_at the first moment the same data would render
    differently by the clock alone (None: not before tomorrow, which is in the key)."""
    token = ""
    if request.user.is_authenticated:
        # A logged-in viewer sees their own sign-ups and, as a member, organisers' names: their
        # pieces are theirs alone (user and roles in the key) and carry CSRF tokens, which are
        # taken out before storing and replaced by this request's on a hit (core.csrf_cache).
        roles = sorted(roles_for(request.user, request.initiative))
        parts = (*parts, "viewer", request.user.pk, *roles)
        token = str(get_token(request))
    key = _fragment_key(request, parts)
    now = time.time()
    hit = cache.get(key)
    if hit is not None and hit[0] > now:
        # HTML this module rendered and escaped before storing it.
        return {name: mark_safe(with_token(html, token)) for name, html in hit[1].items()}  # noqa: S308
    pieces, changes_at = build()
    expires = now + FRAGMENT_SECONDS
    if changes_at is not None:
        expires = min(expires, changes_at.timestamp())
    if expires > now:
        stored = {name: without_tokens(str(html)) for name, html in pieces.items()}
        cache.set(key, (expires, stored), timeout=math.ceil(expires - now))
    return pieces



def _next_change(sessions: Iterable) -> dt.datetime | None:
    """When the clock alone next changes how `sessions` render: the first start still to come
    (a session that has started shows "has taken place", and drops off an activity's coming
    dates), including the coming dates that keep a project open for enrolment."""
    now = timezone.now()
    starts = []
    for s in sessions:
        starts.append(s.start)
        starts.extend(c.start for c in getattr(s.activity, "coming_sessions", ()) or ())
    return min((start for start in starts if start > now), default=None)


def _wants_results_only(request) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and htmx.target == RESULTS_ID and not htmx.history_restore_request


def _calendar_pieces(request, template: str, context: dict) -> Fragments:
    """The results (what htmx swaps in) and the page content around them (heading, welcome,
    filter form): everything of the page but its frame, which carries the CSRF token and the
    nonce and is rendered for each request."""
    results = render_to_string(f"{template}#results", context, request)
    content = render_to_string(f"{template}#content", {**context, "results": results}, request)
    return {"results": results, "content": content}


def _calendar_response(request, template: str, pieces: Fragments):
    """The whole page, or for htmx only the results."""
    if _wants_results_only(request):
        response = HttpResponse(pieces["results"])
    else:
        response = render(request, template, {"content": pieces["content"]})
    # Same URL, two shapes (whole page or the results partial): caches must keep them apart.
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


def _filter_context(request, filters, start_param: str) -> dict:
    slug = {"initiative_slug": request.initiative.slug}
    return {
        # Passed in (not {% url as %} in the page) so the results partial has them on its own.
        "calendar_url": reverse("activities:calendar", kwargs=slug),
        "week_url": reverse("activities:week", kwargs=slug),
        "filters": filters,
        "filter_query": filters_query(filters),
        "start_param": start_param,
        "kind_choices": Activity.Kind.choices,
        "format_choices": Format.choices,
        "results_id": RESULTS_ID,
    }


def _page_url(path: str, *params: str) -> str:
    """`path` with the non-empty query parts: the normalised address of a calendar page (the
    login link returns there; a cached fragment cannot carry each visitor's own query string)."""
    query = "&".join(p for p in params if p)
    return f"{path}?{query}" if query else path


@require_safe
def calendar(request):
    """The coming four weeks as a list grouped by day; ?start=YYYY-MM-DD pages."""
    initiative = request.initiative
    filters, requested = parse_calendar_query(request.GET)
    today = timezone.localdate()
    first = clamp_day(requested, today=today)
    after = first + dt.timedelta(days=LIST_DAYS)
    page = _filter_context(request, filters, first.isoformat() if requested else "")

    def build():
        sessions = selectors.list_public_sessions(
            initiative, start=local_midnight(first), end=local_midnight(after), filters=filters,
            viewer=request.user, limit=MAX_SESSIONS_PER_PAGE,
        )
        selectors.add_card_display(sessions, initiative)
        prev_start = clamp_day(first - dt.timedelta(days=LIST_DAYS), today=today)
        next_start = clamp_day(after, today=today)
        start = f"start={page['start_param']}" if page["start_param"] else ""
        context = {
            **page,
            "days": selectors.group_by_day(sessions),
            "period_start": first,
            "period_end": after - dt.timedelta(days=1),
            "prev_start": prev_start.isoformat() if prev_start < first else "",
            "next_start": next_start.isoformat() if next_start > first else "",
            "is_today": first == today,
            "next_url": _page_url(page["calendar_url"], start, page["filter_query"]),
        }
        return _calendar_pieces(request, "activities/calendar.html", context), _next_change(sessions)

    pieces = _fragment(request, ("calendar", first, page["start_param"], page["filter_query"]),
                       build)
    return _calendar_response(request, "activities/calendar.html", pieces)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@require_safe
def week(request):
    """Seven days from the Monday of ?start=YYYY-MM-DD (default this week) as a grid."""
    initiative = request.initiative
    filters, requested = parse_calendar_query(request.GET)
    today = timezone.localdate()
    monday = _monday(clamp_day(requested, today=today))
    after = monday + dt.timedelta(days=WEEK_DAYS)
    page = _filter_context(request, filters, monday.isoformat() if requested else "")

    def build():
        sessions = selectors.list_public_sessions(
            initiative, start=local_midnight(monday), end=local_midnight(after), filters=filters,
            viewer=request.user, limit=MAX_SESSIONS_PER_PAGE,
        )
        selectors.add_card_display(sessions, initiative)
        by_day = dict(selectors.group_by_day(sessions))
        days = [(d, by_day.get(d, []))
                for d in (monday + dt.timedelta(days=i) for i in range(WEEK_DAYS))]
        prev_monday = _monday(clamp_day(monday - dt.timedelta(days=WEEK_DAYS), today=today))
        next_monday = _monday(clamp_day(after, today=today))
        context = {
            **page,
            "days": days,
            "has_sessions": bool(sessions),
            "today": today,
            "period_start": monday,
            "period_end": after - dt.timedelta(days=1),
            "prev_start": prev_monday.isoformat() if prev_monday < monday else "",
            "next_start": next_monday.isoformat() if next_monday > monday else "",
        }
        # The week grid shows no sign-up state: only the date (in the key) changes it.
        return _calendar_pieces(request, "activities/week.html", context), None

    pieces = _fragment(request, ("week", monday, page["start_param"], page["filter_query"]),
                       build)
    return _calendar_response(request, "activities/week.html", pieces)


@require_safe
def activity_detail(request, pk: int):
    """One activity: its facts and its coming dates (a project: all of its dates)."""
    initiative = request.initiative

    def build():
        activity = selectors.get_public_activity(initiative, pk, request.user)
        member = is_member(request.user, initiative)
        if activity.is_project:
            # The whole series: a person enrols once for all of it.
            # (list_activity_sessions also loads its enrolments and coming sessions.)
            sessions = selectors.list_activity_sessions(initiative, activity, viewer=request.user)
        else:
            sessions = selectors.list_activity_sessions(
                initiative, activity, viewer=request.user, start=timezone.now(),
                limit=UPCOMING_SESSIONS,
            )
            selectors.add_card_display(sessions, initiative)
        fallbacks = initiative.languages or ()
        context = {
            "activity": activity,
            # The language each text is really in (a fallback may differ from the page's).
            "title_lang": localized_lang(activity.title, fallbacks=fallbacks),
            "description_lang": localized_lang(activity.description, fallbacks=fallbacks),
            "sessions": sessions,
            "organiser_names": selectors.list_organiser_names(activity) if member else [],
            "show_organisers": member,
            "now": timezone.now(),
            "next_url": request.path,
        }
        content = render_to_string("activities/activity_detail.html#content", context, request)
        return ({"title": conditional_escape(activity.title_text()), "content": content},
                _next_change(sessions))

    # A hit needs no query for the activity: whatever hides it (archive, back to draft, members
    # only) raises the content version, and a 404 (Http404 from build) is never stored.
    pieces = _fragment(request, ("activity", pk), build)
    return render(request, "activities/activity_detail.html",
                  {"page_title": pieces["title"], "content": pieces["content"]})


def _feed_language(request) -> str:
    wanted = (request.GET.get("lang") or "").strip().lower()
    codes = {code for code, _name in settings.LANGUAGES}
    if wanted in codes:
        return wanted
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _activity_url(request):
    slug = request.initiative.slug

    def url_for_activity(activity: Activity) -> str:
        return request.build_absolute_uri(
            reverse("activities:activity-detail", kwargs={"initiative_slug": slug, "pk": activity.pk})
        )

    return url_for_activity


@require_safe
def calendar_ics(request):
    """The initiative's public activities from 30 days ago to 180 days ahead.

    Always the public view (no members-only activities), whoever asks: a feed URL is shared
    and fetched by calendar apps without a login."""
    initiative = request.initiative
    now = timezone.now()
    sessions = selectors.list_public_sessions(
        initiative, start=now - FEED_PAST, end=now + FEED_FUTURE, viewer=None,
        limit=FEED_MAX_SESSIONS,
    )
    body = build_calendar(
        name=initiative.name, sessions=sessions, url_for_activity=_activity_url(request),
        lang=_feed_language(request), now=now,
    )
    return _ics_response(body, f"{initiative.slug}.ics")


@require_safe
def activity_ics(request, pk: int):
    """One activity's sessions from 30 days ago on."""
    initiative = request.initiative
    activity = selectors.get_public_activity(initiative, pk, request.user)
    now = timezone.now()
    sessions = selectors.list_activity_sessions(
        initiative, activity, viewer=request.user, start=now - FEED_PAST,
        limit=FEED_MAX_SESSIONS,
    )
    lang = _feed_language(request)
    title = localized(activity.title, lang=lang, fallbacks=initiative.languages or ())
    body = build_calendar(
        name=f"{title} · {initiative.name}", sessions=sessions,
        url_for_activity=_activity_url(request), lang=lang, now=now,
    )
    return _ics_response(body, f"{initiative.slug}-activity-{activity.pk}.ics")
