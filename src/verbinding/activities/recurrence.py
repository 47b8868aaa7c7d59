"""Repeat rules: validating RFC 5545 RRULE bodies, expanding them into occurrences, and building
them from the simple form a coordinator fills in.

The rules are written up in docs/algorithms/recurrence.md. In short:
- a rule is expanded with python-dateutil from the activity's first start in the initiative's
  time zone, on *naive local wall-clock time*, and each occurrence is then placed in that time
  zone: a café at 19:00 stays at 19:00 across the change to and from summer time;
- only DAILY, WEEKLY and MONTHLY rules are accepted (DomainError "rule_too_frequent"), with no
  BYHOUR/BYMINUTE/BYSECOND (that would be several sessions a day);
- a rule with COUNT or UNTIL may make at most settings.VERBINDING_MAX_SESSIONS_PER_RULE
  occurrences ("rule_too_many"); a rule without an end is allowed and is materialised on a
  rolling window (settings.VERBINDING_MATERIALISE_DAYS ahead);
- anything else that does not parse is "rule_invalid".

Iteration is always bounded (an UNTIL is imposed on the expansion), so a hostile rule that
never matches (BYMONTH=2;BYMONTHDAY=31) cannot keep the process busy.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from itertools import islice
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrulestr
from django.conf import settings

from verbinding.core.errors import DomainError

MAX_RULE_LENGTH = 500  # Activity.rrule max_length
ALLOWED_FREQ = {"DAILY", "WEEKLY", "MONTHLY"}
TOO_FREQUENT_FREQ = {"SECONDLY", "MINUTELY", "HOURLY", "YEARLY"}
# Per frequency, the parts a rule may use besides FREQ, INTERVAL, COUNT and UNTIL. Kept small on
# purpose: dateutil only stops looking for a match at year 9999, so a filter combination that
# never matches must be refused before expansion (see _check_satisfiable).
ALLOWED_PARTS = {
    "DAILY": {"BYDAY"},
    "WEEKLY": {"BYDAY", "WKST"},
    "MONTHLY": {"BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "WKST"},
}
COMMON_PARTS = {"FREQ", "INTERVAL", "COUNT", "UNTIL"}
DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
SUB_DAILY_PARTS = {"BYHOUR", "BYMINUTE", "BYSECOND"}
PART_ORDER = [
    "FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "WKST", "COUNT", "UNTIL",
]
# A rule whose end lies further than this from its start is treated like an open-ended one
# (materialised on the rolling window); it is also the hard bound on any expansion.
ITERATION_YEARS = 10
MAX_INTERVAL = 52
# Whatever else holds, no expansion yields more than this (a daily rule over 50 years).
HARD_LIMIT = 20_000

_TOKEN = re.compile(r"^[A-Z]+=[A-Z0-9,+\-]+$")
_UNTIL = re.compile(r"^(\d{8})(?:T(\d{6})(Z?))?$")
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


@dataclass(frozen=True)
class Rule:
    """A validated rule body, normalised (upper case, canonical order, UNTIL in local time)."""

    body: str
    freq: str
    count: int | None
    until_local: dt.datetime | None  # naive, in the initiative's time zone

    @property
    def bounded(self) -> bool:
        return self.count is not None or self.until_local is not None


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def to_local_naive(moment: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    return moment.astimezone(tz).replace(tzinfo=None, second=0, microsecond=0)


def from_local_naive(local: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """Place a wall-clock time in `tz` and return it in UTC. A time that does not exist (the hour
    skipped in spring) resolves forward as zoneinfo does with fold=0; a repeated hour takes the
    first of the two."""
    aware = local.replace(tzinfo=tz, fold=0)
    # Normalise through UTC so non-existent local times become real instants.
    return aware.astimezone(dt.UTC)


def parse_rule(body: str, *, first_start: dt.datetime, tz: ZoneInfo) -> Rule:
    """Validate an RRULE body against the activity's first start; return it normalised."""
    if not isinstance(body, str):
        raise DomainError("rule_invalid")
    text = body.strip().upper()
    if text.startswith("RRULE:"):
        text = text[len("RRULE:"):]
    if not text or len(text) > MAX_RULE_LENGTH:
        raise DomainError("rule_invalid")
    parts: dict[str, str] = {}
    for token in text.rstrip(";").split(";"):
        token = token.strip()
        if not _TOKEN.match(token):
            raise DomainError("rule_invalid")
        key, _sep, value = token.partition("=")
        if key in parts:
            raise DomainError("rule_invalid")
        parts[key] = value
    freq = parts.get("FREQ")
    if freq in TOO_FREQUENT_FREQ or SUB_DAILY_PARTS & parts.keys():
        raise DomainError("rule_too_frequent")
    if freq not in ALLOWED_FREQ or not parts.keys() <= COMMON_PARTS | ALLOWED_PARTS[freq]:
        raise DomainError("rule_invalid")
    if "COUNT" in parts and "UNTIL" in parts:
        raise DomainError("rule_invalid")  # RFC 5545: MUST NOT occur together
    if "INTERVAL" in parts:
        interval = _int(parts["INTERVAL"])
        if not 1 <= interval <= MAX_INTERVAL:
            raise DomainError("rule_invalid")
    dtstart = to_local_naive(first_start, tz)
    _check_satisfiable(parts, freq, dtstart)
    count = None
    if "COUNT" in parts:
        count = _int(parts["COUNT"])
        if count < 1:
            raise DomainError("rule_invalid")
        if count > settings.VERBINDING_MAX_SESSIONS_PER_RULE:
            raise DomainError("rule_too_many")
    until_local = None
    if "UNTIL" in parts:
        until_local = _parse_until(parts["UNTIL"], tz)
        parts["UNTIL"] = until_local.strftime("%Y%m%dT%H%M%S")
    normalised = ";".join(f"{k}={parts[k]}" for k in PART_ORDER if k in parts)
    rule = Rule(body=normalised, freq=freq, count=count, until_local=until_local)
    expansion = _expand(rule, dtstart, end_local=dtstart + _years(ITERATION_YEARS))
    first = list(islice(expansion, settings.VERBINDING_MAX_SESSIONS_PER_RULE + 1))
    if not first:
        raise DomainError("rule_invalid")  # a rule that never happens
    far_end = until_local is not None and until_local > dtstart + _years(ITERATION_YEARS)
    if until_local is not None and not far_end and len(first) > settings.VERBINDING_MAX_SESSIONS_PER_RULE:
        raise DomainError("rule_too_many")
    if far_end:
        # Practically open-ended: materialise it on the rolling window like a rule without end.
        rule = Rule(body=normalised, freq=freq, count=None, until_local=until_local)
    return rule


def occurrences(rule: Rule, *, first_start: dt.datetime, tz: ZoneInfo,
                since: dt.datetime | None = None, until: dt.datetime | None = None) -> list[dt.datetime]:
    """The occurrences (aware, UTC) of `rule` from `first_start` within [since, until].

    `until` bounds open-ended rules (the rolling window); a bounded rule is expanded to its end
    (and never further than ITERATION_YEARS, nor past `until` when one is given).
    """
    dtstart = to_local_naive(first_start, tz)
    if until is not None:
        # The rolling window; never more than a lifetime ahead, whatever the caller passes.
        end_local = min(to_local_naive(until, tz) + dt.timedelta(minutes=1),
                        dtstart + _years(5 * ITERATION_YEARS))
    else:
        end_local = dtstart + _years(ITERATION_YEARS)
    result = []
    for local in islice(_expand(rule, dtstart, end_local=end_local), HARD_LIMIT):
        moment = from_local_naive(local, tz)
        if until is not None and moment > until:
            break
        if since is not None and moment < since:
            continue
        result.append(moment)
    return result


def _expand(rule: Rule, dtstart: dt.datetime, *, end_local: dt.datetime):
    """Iterate naive local occurrences, never past end_local (hard bound on the work done)."""
    try:
        parsed = rrulestr(rule.body, dtstart=dtstart)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        raise DomainError("rule_invalid") from exc
    bound = end_local if rule.until_local is None else min(rule.until_local, end_local)
    try:
        capped = parsed.replace(count=None, until=bound)
    except (ValueError, OverflowError) as exc:
        raise DomainError("rule_invalid") from exc
    iterator = iter(capped)
    if rule.count is not None:
        return islice(iterator, rule.count)
    return iterator


_BYDAY = re.compile(r"^([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$")


def _check_satisfiable(parts: dict[str, str], freq: str, dtstart: dt.datetime) -> None:
    """Refuse values out of range and filter combinations that can never match."""
    interval = _int(parts.get("INTERVAL", "1"))
    plain_days = set()
    for value in _list(parts.get("BYDAY")):
        match = _BYDAY.match(value)
        if not match or (match[1] and freq != "MONTHLY"):
            raise DomainError("rule_invalid")
        if not match[1]:
            plain_days.add(match[2])
    if "WKST" in parts and parts["WKST"] not in WEEKDAYS:
        raise DomainError("rule_invalid")
    monthdays = [_signed(v, 31) for v in _list(parts.get("BYMONTHDAY"))]
    months = [_signed(v, 12, negative=False) for v in _list(parts.get("BYMONTH"))]
    setpos = [_signed(v, 5) for v in _list(parts.get("BYSETPOS"))]
    if setpos and not ("BYDAY" in parts or "BYMONTHDAY" in parts):
        raise DomainError("rule_invalid")
    if freq == "DAILY" and plain_days and interval % 7 == 0:
        # Every 7th (14th…) day is always the same weekday.
        if WEEKDAYS[dtstart.weekday()] not in plain_days:
            raise DomainError("rule_invalid")
    if freq == "MONTHLY":
        # The months the rule visits (every INTERVAL months from the first), then those of them
        # that BYMONTH keeps: one of them must have one of the BYMONTHDAY days.
        visited = {(dtstart.month - 1 + k * interval) % 12 + 1 for k in range(12)}
        if months:
            visited &= set(months)
        if not visited:
            raise DomainError("rule_invalid")
        if monthdays and not any(abs(d) <= DAYS_IN_MONTH[m - 1] for m in visited for d in monthdays):
            raise DomainError("rule_invalid")  # e.g. 30 or 31 February
    if setpos:
        # BYSETPOS picks the n-th of the days a month offers; it can offer at most this many.
        days = _list(parts.get("BYDAY"))
        bounds = [5 * len(plain_days) + sum(1 for d in days if _BYDAY.match(d)[1])] if days else []
        if monthdays:
            bounds.append(len(set(monthdays)))
        if max(abs(p) for p in setpos) > min(bounds):
            raise DomainError("rule_invalid")


def _list(value: str | None) -> list[str]:
    if value is None:
        return []
    items = value.split(",")
    if not all(items) or len(items) > 31:
        raise DomainError("rule_invalid")
    return items


def _signed(value: str, limit: int, *, negative: bool = True) -> int:
    sign = -1 if value.startswith("-") else 1
    number = _int(value.lstrip("+-")) * sign
    if number == 0 or abs(number) > limit or (number < 0 and not negative):
        raise DomainError("rule_invalid")
    return number


def _int(value: str) -> int:
    if not value.isdigit() or len(value) > 6:
        raise DomainError("rule_invalid")
    return int(value)


def _parse_until(value: str, tz: ZoneInfo) -> dt.datetime:
    match = _UNTIL.match(value)
    if not match:
        raise DomainError("rule_invalid")
    date_part, time_part, utc = match.groups()
    try:
        if time_part is None:
            return dt.datetime.strptime(date_part, "%Y%m%d").replace(hour=23, minute=59, second=59)
        moment = dt.datetime.strptime(date_part + time_part, "%Y%m%d%H%M%S")
    except ValueError as exc:
        raise DomainError("rule_invalid") from exc
    if utc:
        moment = moment.replace(tzinfo=dt.UTC).astimezone(tz).replace(tzinfo=None)
    return moment


def _years(n: int) -> dt.timedelta:
    return dt.timedelta(days=365 * n + n // 4)


# --- The simple builder ----------------------------------------------------------------------

REPEAT_WEEKLY = "weekly"
REPEAT_MONTHLY = "monthly"
REPEAT_DAILY = "daily"


def build_rule(*, repeat: str, interval: int = 1, weekdays: list[str] | None = None,
               month_week: int | None = None, weekday_of: dt.date | None = None,
               until: dt.date | None = None, count: int | None = None) -> str:
    """An RRULE body from what a coordinator chose: weekly on some weekdays every N weeks,
    monthly on the Nth (or last, -1) weekday, or daily; ending on a date, after a count, or not.
    `weekday_of` (the first session's date) supplies the weekday when none was chosen."""
    interval = max(1, int(interval or 1))
    parts = []
    if repeat == REPEAT_DAILY:
        parts.append("FREQ=DAILY")
    elif repeat == REPEAT_WEEKLY:
        parts.append("FREQ=WEEKLY")
    elif repeat == REPEAT_MONTHLY:
        parts.append("FREQ=MONTHLY")
    else:
        raise DomainError("rule_invalid")
    if interval > 1:
        parts.append(f"INTERVAL={interval}")
    if repeat == REPEAT_WEEKLY:
        days = [d for d in WEEKDAYS if d in set(weekdays or [])]
        if not days and weekday_of is not None:
            days = [WEEKDAYS[weekday_of.weekday()]]
        if days:
            parts.append("BYDAY=" + ",".join(days))
    elif repeat == REPEAT_MONTHLY and month_week:
        day = (weekdays or [None])[0] if weekdays else None
        if day not in WEEKDAYS:
            day = WEEKDAYS[weekday_of.weekday()] if weekday_of else "MO"
        parts.append(f"BYDAY={int(month_week):+d}{day}")
    if count:
        parts.append(f"COUNT={int(count)}")
    elif until:
        parts.append(f"UNTIL={until:%Y%m%d}T235959")
    return ";".join(parts)


_SIMPLE = re.compile(
    r"^FREQ=(?P<freq>DAILY|WEEKLY|MONTHLY)"
    r"(?:;INTERVAL=(?P<interval>\d+))?"
    r"(?:;BYDAY=(?P<byday>(?:[+-]?\d)?(?:MO|TU|WE|TH|FR|SA|SU)(?:,(?:MO|TU|WE|TH|FR|SA|SU))*))?"
    r"(?:;COUNT=(?P<count>\d+)|;UNTIL=(?P<until>\d{8})T235959)?$"
)


def describe_for_builder(body: str) -> dict | None:
    """The builder inputs that produce `body`, or None when only the advanced field can hold it."""
    match = _SIMPLE.match(body or "")
    if not match:
        return None
    freq, byday = match["freq"], match["byday"] or ""
    data: dict = {"repeat": freq.lower(), "interval": int(match["interval"] or 1), "weekdays": [],
                  "month_week": None, "count": None, "until": None}
    if byday:
        ordinal = re.match(r"^([+-]?\d)([A-Z]{2})$", byday)
        if ordinal:
            if freq != "MONTHLY":
                return None
            data["month_week"] = int(ordinal[1])
            data["weekdays"] = [ordinal[2]]
        elif freq == "WEEKLY":
            data["weekdays"] = byday.split(",")
        else:
            return None
    elif freq == "MONTHLY":
        return None  # monthly on a date: advanced field
    if match["count"]:
        data["count"] = int(match["count"])
    if match["until"]:
        data["until"] = dt.datetime.strptime(match["until"], "%Y%m%d").date()
    return data
