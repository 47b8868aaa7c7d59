"""Explicit hooks other apps register to act when something happens to a Session.

Activities may not import the apps above it (attendance, organising…), yet cancelling a
session has to reach the people signed up for it. As in `people.hooks`, an app registers a
plain function here in its `AppConfig.ready()` instead of listening to a signal (hidden, easy
to forget).

`activities.services.cancel_session` (and a re-materialisation that cancels a dropped date)
calls every registered function inside its transaction, right after the session's status
became "cancelled": a hook's own rows (the notice members read) commit or roll back together
with the cancellation, and a failing hook undoes it. Anything that leaves the database — an
email — must be deferred by the hook with `transaction.on_commit`, so nobody is told about a
cancellation that did not happen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from verbinding.activities.models import Session


class SessionCancelledHook(Protocol):
    def __call__(self, session: Session, *, by, message: str) -> None: ...


# Called as fn(session, by=user_or_None, message=str) in registration order.
after_session_cancelled: list[Callable[..., None]] = []


def register_after_session_cancelled(fn: SessionCancelledHook) -> SessionCancelledHook:
    """Register `fn` once (a second registration of the same function is ignored)."""
    if fn not in after_session_cancelled:
        after_session_cancelled.append(fn)
    return fn


def run_after_session_cancelled(session: Session, *, by=None, message: str = "") -> None:
    for fn in list(after_session_cancelled):
        fn(session, by=by, message=message)
