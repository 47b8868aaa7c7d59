"""Check-in and guest counting: the writes every door-side screen shares.

Kiosk (by name or card), host panel and organiser's attendance all record presence through
`check_in`, so the rules hold everywhere:

- one check-in per person per session, enforced by the database (`checkin_once_per_session`);
  a second call — the same person tapping twice, or two kiosks in the same second — returns the
  existing row with `created=False` and writes nothing;
- the person and the session belong to the same initiative, the session is not cancelled, and
  it is today (kiosk) or already started (organiser marking afterwards);
- a first-time visitor is someone whose check-in here is their first one in the initiative.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from functools import cached_property

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from verbinding.activities.models import Session
from verbinding.attendance.models import CheckIn, GuestTally
from verbinding.core.errors import DomainError, register_messages
from verbinding.people.models import Person

register_messages({
    "checkin_wrong_place": _("This person or session belongs to another meeting place."),
    "checkin_session_cancelled": _("This session has been cancelled, so nobody can check in."),
    "guest_count_invalid": _("Count between 1 and 500 guests at a time."),
    "guest_group_invalid": _("Choose one of the buttons."),
    "person_erased": _("This person is no longer a member here."),
})


@dataclass(frozen=True)
class CheckInResult:
    checkin: CheckIn
    created: bool

    @cached_property
    def first_visit(self) -> bool:
        """Asked only by a caller that greets (one query then, none otherwise)."""
        return is_first_visit(self.checkin)


def check_in(*, session: Session, person: Person, method: str = CheckIn.Method.NAME,
             by=None, at=None) -> CheckInResult:
    """Record that `person` is at `session`; idempotent and safe under concurrency."""
    if person.initiative_id != session.initiative_id:
        raise DomainError("checkin_wrong_place")
    if person.anonymised_at is not None:
        raise DomainError("person_erased")
    if session.status == Session.Status.CANCELLED:
        raise DomainError("checkin_session_cancelled")
    if method not in CheckIn.Method.values:
        raise ValueError(method)
    recorded_by = by if getattr(by, "is_authenticated", False) else None
    extra = {"at": at} if at is not None else {}
    # Insert first and let the unique constraint say "already here": a first tap (the common
    # case) costs one statement, a repeated tap one more. One INSERT on its own when nobody
    # else has opened a transaction: SQLite then holds its single write lock only inside that
    # statement, not across BEGIN … COMMIT and the Python between them, so kiosks writing at
    # the same moment hardly ever wait for each other. Inside a caller's transaction, a
    # savepoint keeps the refused insert from spoiling it.
    in_transaction = transaction.get_connection().in_atomic_block
    try:
        with transaction.atomic() if in_transaction else contextlib.nullcontext():
            checkin = CheckIn.objects.create(
                initiative_id=session.initiative_id, session=session, person=person,
                method=method, recorded_by=recorded_by, **extra,
            )
    except IntegrityError:
        # Already checked in (a second tap, or another kiosk in the same instant): that row is
        # the one check-in, and nothing is written.
        checkin = CheckIn.objects.get(session=session, person=person)
        checkin.person = person  # the caller's object: no second query for its name
        return CheckInResult(checkin, created=False)
    return CheckInResult(checkin, created=True)


def is_first_visit(checkin: CheckIn) -> bool:
    """True when no earlier check-in of this person exists in this initiative."""
    if checkin.person_id is None:
        return False
    return not CheckIn.objects.filter(
        initiative_id=checkin.initiative_id, person_id=checkin.person_id, at__lt=checkin.at,
    ).exclude(pk=checkin.pk).exists()


def count_guest(*, session: Session, group: str = GuestTally.Group.UNSPECIFIED, count: int = 1,
                by=None) -> GuestTally:
    """Count walk-ins without an account (one tap = one guest; organisers may add several)."""
    if session.status == Session.Status.CANCELLED:
        raise DomainError("checkin_session_cancelled")
    if group not in GuestTally.Group.values:
        raise DomainError("guest_group_invalid")
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= 500:
        raise DomainError("guest_count_invalid")
    recorded_by = by if getattr(by, "is_authenticated", False) else None
    return GuestTally.objects.create(
        initiative_id=session.initiative_id, session=session, group=group, count=count,
        recorded_by=recorded_by,
    )


def undo_check_in(*, session: Session, person: Person) -> bool:
    """Remove a check-in made by mistake (organiser's attendance list). True if one was removed."""
    deleted, _rows = CheckIn.objects.filter(session=session, person=person).delete()
    return bool(deleted)
