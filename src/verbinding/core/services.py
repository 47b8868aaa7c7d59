"""Writes shared by every app that belong to the initiative itself.

`bump_content_version` is the invalidation key of the public page cache
(activities.views_public): every service that changes what the calendar or an activity page
shows calls it inside its own transaction, so the new number and the change commit together
and a cached fragment can never outlive the data it was rendered from.
"""

from __future__ import annotations

from django.db.models import F

from verbinding.core.models import Initiative


def bump_content_version(initiative: Initiative | int) -> None:
    """Add one to the initiative's `content_version`, in the caller's transaction.

    Call it first thing in a write service (before other rows are locked): the UPDATE locks the
    initiative row until commit, and taking that lock first in every writer keeps the lock order
    the same everywhere, so two writers can wait on each other but never deadlock.
    """
    pk = initiative.pk if isinstance(initiative, Initiative) else int(initiative)
    Initiative.objects.filter(pk=pk).update(content_version=F("content_version") + 1)
    if isinstance(initiative, Initiative) and "content_version" in initiative.__dict__:
        # Drop the caller's stale number: a later read loads the new one, and a later save()
        # of this object leaves the column alone (Django saves only the fields it has loaded).
        initiative.__dict__.pop("content_version")
