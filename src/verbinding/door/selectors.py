"""Reads of the door app: today's sessions for the kiosk, the name search, the head count.

Everything is scoped to one initiative passed in explicitly. The kiosk sees display names and
nothing else about a person: the search returns (id, display name) pairs only, never group,
gender, contact data or history.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from verbinding.activities.models import Activity, Session
from verbinding.attendance.models import CheckIn, GuestTally
from verbinding.core.models import Initiative
from verbinding.people.models import Person

MIN_QUERY = 2
MAX_QUERY = 60  # a display name is at most 60 characters
MAX_RESULTS = 12


# --- today's sessions ---------------------------------------------------------------------


def today_bounds(now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    """Start and end of today in the active time zone (the initiative's, set by the
    tenancy middleware)."""
    tz = timezone.get_current_timezone()
    day = timezone.localtime(now or timezone.now(), tz).date()
    # Midnight to midnight in local terms: a day with a DST change is 23 or 25 hours long.
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min), tz)
    end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min), tz)
    return start, end


def _today_q(now: dt.datetime | None = None) -> Q:
    """Sessions starting today, and those that started earlier and are still going on."""
    now = now or timezone.now()
    start, end = today_bounds(now)
    return Q(start__gte=start, start__lt=end) | Q(start__lt=start, end__gt=now)


def _kiosk_sessions(initiative: Initiative) -> QuerySet[Session]:
    return (
        Session.objects.filter(initiative=initiative, activity__status=Activity.Status.PUBLISHED)
        .select_related("activity", "activity__initiative")
    )


def list_today_sessions(*, initiative: Initiative, now: dt.datetime | None = None) -> list[Session]:
    """Today's sessions here (cancelled ones included, so the door can say so), by start."""
    return list(_kiosk_sessions(initiative).filter(_today_q(now)).order_by("start", "id"))


def get_kiosk_session(*, initiative: Initiative, pk) -> Session:
    """A session of this initiative (404 for another initiative's or an unknown one)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < pk < 2**63:
        raise Http404
    # By its primary key, on every tap of a check-in screen: no ordering, and the initiative
    # we already have instead of a second join.
    found = list(
        Session.objects.filter(initiative=initiative, pk=pk,
                               activity__status=Activity.Status.PUBLISHED)
        .select_related("activity").order_by()[:1]
    )
    if not found:
        raise Http404
    session = found[0]
    session.initiative = session.activity.initiative = initiative
    return session


def is_today(session: Session, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    start, end = today_bounds(now)
    return start <= session.start < end or (session.start < start and session.end > now)


@dataclass(frozen=True)
class HeadCount:
    people: int
    guests: int

    @property
    def total(self) -> int:
        return self.people + self.guests


# The table names come from the models; every value is a parameter.
_COUNT_SQL = (
    f"SELECT (SELECT COUNT(*) FROM {CheckIn._meta.db_table} WHERE session_id = %s), "  # noqa: S608
    f"(SELECT COALESCE(SUM(count), 0) FROM {GuestTally._meta.db_table} WHERE session_id = %s)"
)
# The same, and whether the person of a check-in had come before — the rule of
# attendance.checkin.is_first_visit (an earlier check-in here), in the same round trip.
_EARLIER_SQL = (
    f"EXISTS (SELECT 1 FROM {CheckIn._meta.db_table} WHERE initiative_id = %s "  # noqa: S608
    "AND person_id = %s AND at < %s AND id <> %s)"
)
_COUNT_AND_EARLIER_SQL = f"{_COUNT_SQL}, {_EARLIER_SQL}"


def count_present(*, session: Session) -> HeadCount:
    """How many are here: people checked in and walk-in guests (numbers only, no names).

    One plain SQL statement: the kiosk asks after every tap, and building the same two
    counts through the ORM (as subqueries) cost more than running them."""
    with connection.cursor() as cursor:
        cursor.execute(_COUNT_SQL, [session.pk, session.pk])
        people, guests = cursor.fetchone()
    return HeadCount(people=int(people), guests=int(guests))


def count_present_after(*, session: Session, checkin: CheckIn) -> tuple[HeadCount, bool]:
    """(the head count, whether `checkin` is its person's first visit here) in one statement:
    the kiosk greets a first-timer and shows the new count after every tap."""
    with connection.cursor() as cursor:
        cursor.execute(_COUNT_AND_EARLIER_SQL, [session.pk, session.pk, checkin.initiative_id,
                                                checkin.person_id, checkin.at, checkin.pk])
        people, guests, earlier = cursor.fetchone()
    return HeadCount(people=int(people), guests=int(guests)), not earlier


# --- the name search ----------------------------------------------------------------------

# Arabic letters people type interchangeably: hamza forms of alef, taa marbuta, alef maqsura.
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ـ": ""})


@lru_cache(maxsize=50_000)
def fold(text: str) -> str:
    """Lower-case, accent-free, Arabic-normalised form of `text` for matching.

    Pure, so memoised per process: a kiosk searches the same few hundred names all evening."""
    if text.isascii():
        return text.lower().replace("-", " ")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.translate(_ARABIC_FOLD).casefold().replace("-", " ")


def clean_query(raw: str | None) -> str:
    """The query as the search uses it: printable letters only, bounded length."""
    if not raw:
        return ""
    raw = raw[: MAX_QUERY * 4]
    kept = "".join(
        c if unicodedata.category(c)[0] in "LNMP" or c == " " else " " for c in raw
    )
    return " ".join(kept.split())[:MAX_QUERY]


@dataclass(frozen=True)
class NameHit:
    pk: int
    display_name: str


def search_names(*, initiative: Initiative, query: str) -> list[NameHit]:
    """Members of this initiative whose name (or a word in it) starts with `query`.

    Accent-, case- and (for Arabic) hamza-insensitive, which SQLite and PostgreSQL cannot do
    alike in SQL, so the names (id and display name only) are matched here. Whole-name
    matches come before word matches; at most MAX_RESULTS.
    """
    needle = fold(clean_query(query))
    if len(needle.replace(" ", "")) < MIN_QUERY:
        return []
    rows = (
        Person.objects.filter(initiative=initiative, anonymised_at__isnull=True)
        .order_by("display_name", "id")
        .values_list("pk", "display_name")
    )
    starts: list[NameHit] = []
    inside: list[NameHit] = []
    for pk, name in rows.iterator(chunk_size=2000):
        folded = fold(name)
        if folded.startswith(needle):
            starts.append(NameHit(pk, name))
        elif f" {needle}" in folded:  # a later word starts with it
            inside.append(NameHit(pk, name))
        if len(starts) >= MAX_RESULTS:
            break
    return (starts + inside)[:MAX_RESULTS]


def get_person_here(*, initiative: Initiative, pk) -> Person | None:
    """A non-anonymised person of this initiative by id, or None (bad or foreign id)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if not 0 < pk < 2**63:
        return None
    found = list(Person.objects.filter(initiative=initiative, anonymised_at__isnull=True, pk=pk)
                 .order_by()[:1])
    return found[0] if found else None
