"""Writes of the volunteers app. The path itself is derived, never written: the only write is
the audit trail of a coordinator reading who might take the next step (privacy rule 4)."""

from __future__ import annotations

from django.db import transaction

from verbinding.accounts.services import audit
from verbinding.core.models import AuditEntry, Initiative

FUNNEL_VIEW = "volunteers:funnel"


@transaction.atomic
def record_funnel_view(*, initiative: Initiative, by, person_ids: list[int]) -> int:
    """One PROFILE_VIEW row per person named on the page, like the person page
    (people.services.record_profile_view): each person's own trail shows the read. Nothing but
    ids goes into the log. Returns the number of rows written."""
    for person_id in person_ids:
        audit(initiative=initiative, action=AuditEntry.Action.PROFILE_VIEW, by=by,
              subject_person_id=person_id, view=FUNNEL_VIEW)
    return len(person_ids)
