"""iCalendar (RFC 5545) feeds of sessions, built with the `icalendar` library.

`build_calendar` is the one entry point and its signature is stable: the public feeds
(per initiative, per activity) use it here, and the attendance app reuses it for a member's
private feed of their own sign-ups. A feed never carries person data: no organisers, no
attendees, no counts of who signed up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.utils import timezone
from icalendar import Calendar, Event

from verbinding.activities.models import Activity, Session
from verbinding.core.i18n import localized

PRODID = "-//verbinding//verbinding calendar//EN"
UID_DOMAIN = "verbinding"


def session_uid(session: Session) -> str:
    """Stable across rebuilds and moves, so calendar apps update an event instead of adding one."""
    return f"session-{session.pk}@{UID_DOMAIN}"


def _location(session: Session) -> str:
    initiative = session.activity.initiative
    parts = [session.activity.room, initiative.name, initiative.address]
    return ", ".join(p.strip() for p in parts if p and p.strip())


def build_calendar(
    *,
    name: str,
    sessions: Iterable[Session],
    url_for_activity: Callable[[Activity], str],
    lang: str | None = None,
    now: dt.datetime | None = None,
) -> bytes:
    """A VCALENDAR with one VEVENT per session, as bytes (UTF-8).

    name: the calendar's display name (X-WR-CALNAME).
    sessions: Session objects whose `activity` and `activity.initiative` are loaded (use
        select_related or the selectors, else this costs a query per session).
    url_for_activity: absolute URL of an activity's page, for the event's URL property.
    lang: language of SUMMARY and DESCRIPTION (falls back like the web pages); default the
        active language.
    now: DTSTAMP (default: the current time), a parameter so tests can pin it.

    DTSTART/DTEND are in UTC, so no VTIMEZONE is needed. A cancelled session stays in the feed
    with STATUS:CANCELLED so subscribed calendars remove or strike it.
    """
    stamp = (now or timezone.now()).astimezone(dt.UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    for session in sessions:
        activity = session.activity
        fallbacks = activity.initiative.languages or ()
        event = Event()
        event.add("uid", session_uid(session))
        event.add("dtstamp", stamp)
        event.add("dtstart", session.start.astimezone(dt.UTC))
        event.add("dtend", session.end.astimezone(dt.UTC))
        event.add("summary", localized(activity.title, lang=lang, fallbacks=fallbacks))
        description = localized(activity.description, lang=lang, fallbacks=fallbacks)
        if description:
            event.add("description", description)
        location = _location(session)
        if location:
            event.add("location", location)
        event.add("url", url_for_activity(activity))
        cancelled = session.status == Session.Status.CANCELLED
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()
