"""Reads of the welcome app, always scoped to one initiative and explicitly ordered.

"Today" is the calendar day in the initiative's own time zone, whatever the server's zone is:
the host panel shows check-ins of sessions that start today there, and nothing older.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from verbinding.activities.models import Session
from verbinding.activities.recurrence import zone
from verbinding.attendance.models import CheckIn, GuestTally
from verbinding.core.models import Initiative
from verbinding.people.models import ConsentRecord, MemberCard, Person, PersonLanguage

PANEL_LIMIT = 200  # a busy evening has far fewer; the panel never grows without bound


def today_bounds(*, initiative: Initiative, now: dt.datetime | None = None
                 ) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of today in the initiative's time zone, as aware datetimes."""
    tz = zone(initiative.time_zone)
    local = (now or timezone.now()).astimezone(tz)
    start = dt.datetime.combine(local.date(), dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def list_sessions_today(*, initiative: Initiative, now: dt.datetime | None = None
                        ) -> QuerySet[Session]:
    """Today's sessions that are not cancelled (for "check them in now")."""
    start, end = today_bounds(initiative=initiative, now=now)
    return (
        Session.objects.filter(initiative=initiative, start__gte=start, start__lt=end)
        .exclude(status=Session.Status.CANCELLED)
        .select_related("activity", "activity__initiative")
        .order_by("start", "id")
    )


def list_arrivals_today(*, initiative: Initiative, now: dt.datetime | None = None
                        ) -> list[CheckIn]:
    """Check-ins of today's sessions, newest first, each with `first_visit` (bool).

    `first_visit` is computed in the same query with the rule of
    `attendance.checkin.is_first_visit` (no earlier check-in of this person in this
    initiative); a test holds the two equal. The person's spoken languages are prefetched;
    nothing about group, gender, contact or earlier visits is loaded.
    """
    start, end = today_bounds(initiative=initiative, now=now)
    earlier = CheckIn.objects.filter(
        initiative_id=OuterRef("initiative_id"), person_id=OuterRef("person_id"),
        at__lt=OuterRef("at"),
    ).exclude(pk=OuterRef("pk"))
    spoken = PersonLanguage.objects.filter(kind=PersonLanguage.Kind.SPEAKS).order_by(
        "language", "id"
    )
    rows = (
        CheckIn.objects.filter(
            initiative=initiative, session__start__gte=start, session__start__lt=end,
            person__isnull=False, person__anonymised_at__isnull=True,
        )
        .annotate(seen_before=Exists(earlier))
        .select_related("session", "session__activity", "session__activity__initiative")
        .prefetch_related(Prefetch(
            "person", queryset=Person.objects.only(
                "id", "initiative_id", "display_name", "talents", "interests",
            ).prefetch_related(Prefetch("languages", queryset=spoken)),
        ))
        .order_by("-at", "-id")[:PANEL_LIMIT]
    )
    arrivals = list(rows)
    for row in arrivals:
        row.first_visit = not row.seen_before
    return arrivals


@dataclass(frozen=True)
class Fingerprint:
    version: str
    guests: int


def arrivals_fingerprint(*, initiative: Initiative, now: dt.datetime | None = None
                         ) -> Fingerprint:
    """A short fingerprint of what the panel shows: it changes when someone checks in (or a
    check-in is undone), someone is ticked as welcomed, or a guest is counted. The htmx poll
    sends the fingerprint it has; when nothing changed the answer is an empty 204, so a poll
    every 5 seconds costs two small queries instead of rendering the whole list again."""
    start, end = today_bounds(initiative=initiative, now=now)
    seen = CheckIn.objects.filter(
        initiative=initiative, session__start__gte=start, session__start__lt=end,
        person__isnull=False, person__anonymised_at__isnull=True,
    ).aggregate(n=Count("id"), last=Max("id"), welcomed=Count("welcomed_at"))
    guests = count_guests_today(initiative=initiative, now=now)
    return Fingerprint(
        version=f"{start:%Y%m%d}.{seen['n']}.{seen['last'] or 0}.{seen['welcomed']}.{guests}",
        guests=guests,
    )


def count_guests_today(*, initiative: Initiative, now: dt.datetime | None = None) -> int:
    start, end = today_bounds(initiative=initiative, now=now)
    total = GuestTally.objects.filter(
        initiative=initiative, session__start__gte=start, session__start__lt=end,
    ).aggregate(total=Sum("count"))["total"]
    return total or 0


def get_checkin_today(*, initiative: Initiative, pk: int, now: dt.datetime | None = None
                      ) -> CheckIn:
    """One of today's check-ins of this initiative (the panel deals with today only); 404
    otherwise."""
    start, end = today_bounds(initiative=initiative, now=now)
    checkin = CheckIn.objects.filter(
        initiative=initiative, pk=pk, session__start__gte=start, session__start__lt=end,
        person__isnull=False,
    ).first()
    if checkin is None:
        raise Http404
    return checkin


def get_person(*, initiative: Initiative, pk: int) -> Person:
    """A (not erased) person of this initiative; 404 otherwise."""
    person = (
        Person.objects.filter(initiative=initiative, pk=pk, anonymised_at__isnull=True)
        .select_related("initiative").first()
    )
    if person is None:
        raise Http404
    return person


def get_live_card(*, person: Person) -> MemberCard | None:
    return MemberCard.objects.filter(
        initiative_id=person.initiative_id, person=person, revoked_at__isnull=True
    ).order_by("-issued_at", "-id").first()


def get_live_card_for_print(*, initiative: Initiative, pk: int) -> MemberCard:
    """A live (not revoked) card of this initiative whose person is not erased; 404 otherwise."""
    card = (
        MemberCard.objects.filter(
            initiative=initiative, pk=pk, revoked_at__isnull=True,
            person__initiative=initiative, person__anonymised_at__isnull=True,
        )
        .select_related("person", "initiative").first()
    )
    if card is None:
        raise Http404
    return card


def count_revoked_cards(*, person: Person) -> int:
    return MemberCard.objects.filter(person=person, revoked_at__isnull=False).count()


def has_live_consent(*, person: Person, purpose: str) -> bool:
    return ConsentRecord.objects.filter(
        person=person, purpose=purpose, withdrawn_at__isnull=True
    ).exists()


def display_name_taken(*, initiative: Initiative, display_name: str) -> bool:
    return Person.objects.filter(
        initiative=initiative, anonymised_at__isnull=True,
        display_name__iexact=display_name.strip(),
    ).exists()
