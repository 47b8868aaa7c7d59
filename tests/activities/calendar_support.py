"""Shared helpers for the public calendar, activity page and iCal tests.

The clock is pinned to Monday 3 March 2025, 10:00 in Amsterdam, so "the coming four weeks"
and "this week" are the same on every run.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.urls import reverse

from tests.factories import ActivityFactory, SessionFactory

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2025, 3, 3, 10, 0, tzinfo=AMS)  # a Monday


def at(days: int, hour: int = 19, minute: int = 0) -> dt.datetime:
    """A local time `days` after NOW's date."""
    day = NOW.date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=AMS)


def make_session(initiative, *, days: int = 2, hour: int = 19, status: str = "planned",
                 session_capacity=None, **activity_fields):
    """An activity with one session `days` from today at `hour` (local)."""
    start = at(days, hour)
    activity_fields.setdefault("first_start", start)
    activity = ActivityFactory(initiative=initiative, **activity_fields)
    return SessionFactory(activity=activity, start=start, status=status, capacity=session_capacity)


def add_session(activity, *, days: int, hour: int = 19, status: str = "planned"):
    return SessionFactory(activity=activity, start=at(days, hour), status=status)


def url(name: str, slug: str = "voorkamer", **kwargs) -> str:
    return reverse(f"activities:{name}", kwargs={"initiative_slug": slug, **kwargs})


def titled(text: str) -> dict:
    """A title in all three languages, distinct enough to find in a page."""
    return {"nl": f"{text} (nl)", "en": f"{text} (en)", "ar": f"{text} (ar)"}
