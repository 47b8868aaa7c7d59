"""Parsing the public calendar's query string (filters and the period shown).

Query strings come from anyone, so nothing here ever raises: a value that does not parse is
ignored and a date far away is clamped, and the visitor gets a normal page.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verbinding.activities.models import Activity, Format
from verbinding.activities.selectors import CalendarFilters

# How far from today the calendar can be paged (either way). Beyond this a date is clamped.
MAX_DISTANCE = dt.timedelta(days=2 * 366)
FLAG_TRUE = ("1", "on", "true", "yes")


class CalendarFilterForm(forms.Form):
    """The choice fields and the date; the three on/off filters are read by `_flag` (a
    checkbox sends "on", a link sends "1", anything else means off)."""

    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Activity.Kind.choices]
    )
    format = forms.ChoiceField(
        label=_("Format"), required=False, choices=[("", _("All formats")), *Format.choices]
    )
    start = forms.DateField(required=False, input_formats=["%Y-%m-%d"])


def _flag(value) -> bool:
    return str(value).strip().lower() in FLAG_TRUE


def parse_calendar_query(query) -> tuple[CalendarFilters, dt.date | None]:
    """(filters, requested start date or None) from a QueryDict; invalid parts are dropped."""
    form = CalendarFilterForm(query)
    form.is_valid()  # keeps the valid fields in cleaned_data, drops the others
    data = form.cleaned_data
    filters = CalendarFilters(
        no_dutch=_flag(query.get("no_dutch", "")),
        free=_flag(query.get("free", "")),
        women_only=_flag(query.get("women", "")),
        kind=data.get("kind") or "",
        format=data.get("format") or "",
    )
    return filters, data.get("start")


def filters_query(filters: CalendarFilters) -> str:
    """The filters as a query string (without the period), for paging links."""
    params = {}
    if filters.no_dutch:
        params["no_dutch"] = "1"
    if filters.free:
        params["free"] = "1"
    if filters.women_only:
        params["women"] = "1"
    if filters.kind:
        params["kind"] = filters.kind
    if filters.format:
        params["format"] = filters.format
    return urlencode(params)


def clamp_day(day: dt.date | None, *, today: dt.date | None = None) -> dt.date:
    """The requested day, or today when missing, kept within MAX_DISTANCE of today."""
    today = today or timezone.localdate()
    if day is None:
        return today
    return min(max(day, today - MAX_DISTANCE), today + MAX_DISTANCE)


def local_midnight(day: dt.date) -> dt.datetime:
    """Start of `day` in the active time zone (the initiative's), DST-safe."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
