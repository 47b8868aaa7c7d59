"""Writes of the door app: check in by name, by card, and count a walk-in guest.

Every write goes through `verbinding.attendance.checkin` (transactional, idempotent, race-safe);
this module adds the kiosk's own rules: only today's sessions, and card scans that are
rate-limited per kiosk login and address. A card token is never logged, stored elsewhere or
echoed back: a failed scan is counted under a hash of the kiosk and address, not of the token.
"""

from __future__ import annotations

import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from verbinding.activities.models import Session
from verbinding.attendance.checkin import CheckInResult, check_in, count_guest
from verbinding.attendance.models import CheckIn, GuestTally
from verbinding.core.errors import DomainError, register_messages
from verbinding.core.models import Initiative
from verbinding.door import selectors
from verbinding.people.models import MemberCard

register_messages({
    "door_not_today": _("You can only check in for today's sessions here."),
    "door_person_unknown": _("We could not find this name. Please try again or ask the host."),
    "door_card_unknown": _(
        "This card is not valid here. Please tap your name instead, or ask the host for a new card."
    ),
    "door_scan_rate_limited": _(
        "Too many cards that did not work. Please wait a few minutes, tap your name, or ask the host."
    ),
})

# A card token is 43 URL-safe characters (32 random bytes); anything else cannot be one.
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{20,64}")


def _require_today(session: Session) -> None:
    if session.status != Session.Status.CANCELLED and not selectors.is_today(session):
        raise DomainError("door_not_today")


def check_in_by_name(*, initiative: Initiative, session: Session, person_id, by) -> CheckInResult:
    """Check in the person with this id (one of this initiative's members) at a kiosk."""
    person = selectors.get_person_here(initiative=initiative, pk=person_id)
    if person is None:
        raise DomainError("door_person_unknown")
    _require_today(session)
    return check_in(session=session, person=person, method=CheckIn.Method.NAME, by=by)


# --- card scans with a rate limit ---------------------------------------------------------


def _scan_key(*, kiosk_id, ip: str) -> str:
    raw = f"{kiosk_id}\x00{ip}".encode()
    return "door-scan-failures:" + hashlib.sha256(raw).hexdigest()


def _window() -> int:
    return int(getattr(settings, "VERBINDING_KIOSK_SCAN_WINDOW_SECONDS", 600))


def failed_scans(*, kiosk_id, ip: str) -> int:
    return int(cache.get(_scan_key(kiosk_id=kiosk_id, ip=ip), 0))


def _count_failed_scan(*, kiosk_id, ip: str) -> None:
    key = _scan_key(kiosk_id=kiosk_id, ip=ip)
    cache.add(key, 0, timeout=_window())  # the window starts at the first failure
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=_window())


def normalise_token(raw: str | None) -> str | None:
    """The token in what a scanner typed, or None when it cannot be one."""
    if not raw or len(raw) > 512:
        return None
    text = raw.strip()
    return text if TOKEN_RE.fullmatch(text) else None


def check_in_by_card(*, initiative: Initiative, session: Session, token: str | None, by,
                     ip: str) -> CheckInResult:
    """Check in the holder of a live card of this initiative.

    A forged, revoked or other initiative's token checks in nobody and counts as a failed scan;
    after VERBINDING_KIOSK_SCAN_ATTEMPTS failures within VERBINDING_KIOSK_SCAN_WINDOW_SECONDS
    from this kiosk login and address, every scan is refused until the window ends (so guessing
    learns nothing, not even whether a guess was right).
    """
    kiosk_id = getattr(by, "pk", None)
    limit = int(getattr(settings, "VERBINDING_KIOSK_SCAN_ATTEMPTS", 20))
    if failed_scans(kiosk_id=kiosk_id, ip=ip) >= limit:
        raise DomainError("door_scan_rate_limited")
    if session.status == Session.Status.CANCELLED:
        raise DomainError("checkin_session_cancelled")
    _require_today(session)
    clean = normalise_token(token)
    card = None
    if clean is not None:
        card = (
            MemberCard.objects.filter(initiative=initiative, token=clean, revoked_at__isnull=True,
                                      person__initiative=initiative,
                                      person__anonymised_at__isnull=True)
            .select_related("person")
            .first()
        )
    if card is None:
        _count_failed_scan(kiosk_id=kiosk_id, ip=ip)
        raise DomainError("door_card_unknown")
    return check_in(session=session, person=card.person, method=CheckIn.Method.CARD, by=by)


def count_walk_in(*, session: Session, group: str | None, by) -> GuestTally:
    """One walk-in guest without an account, with the group they chose (or none)."""
    _require_today(session)
    return count_guest(session=session, group=group or GuestTally.Group.UNSPECIFIED, count=1, by=by)
