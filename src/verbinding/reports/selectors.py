"""Reads of the reports app: which initiatives a partner sees, which fixed periods exist, and the
outside figures of a period (built from stored snapshots only, never from attendance).

Periods are fixed quarters and years (research note §4.7 rule 4: no free date range); a period
is named by a short slug, `2026-q3` or `2026`, that `parse_period` accepts and nothing else.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from verbinding.accounts.models import Role
from verbinding.core.models import Initiative
from verbinding.insights.models import Snapshot
from verbinding.reports import external

KINDS = (Snapshot.Kind.QUARTER, Snapshot.Kind.YEAR)
_PERIOD = re.compile(r"^(?P<year>(19|20|21)\d\d)(-q(?P<q>[1-4]))?$")


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    kind: str

    @property
    def slug(self) -> str:
        if self.kind == Snapshot.Kind.YEAR:
            return f"{self.start.year}"
        return f"{self.start.year}-q{(self.start.month - 1) // 3 + 1}"

    @property
    def quarter(self) -> int | None:
        return (self.start.month - 1) // 3 + 1 if self.kind == Snapshot.Kind.QUARTER else None

    @property
    def label(self) -> str:
        if self.kind == Snapshot.Kind.YEAR:
            return _("Year %(year)s") % {"year": self.start.year}
        return _("Quarter %(quarter)s of %(year)s") % {
            "quarter": self.quarter, "year": self.start.year}

    @property
    def end(self) -> dt.date:
        if self.kind == Snapshot.Kind.YEAR:
            return dt.date(self.start.year + 1, 1, 1)
        m = self.start.year * 12 + self.start.month - 1 + 3
        return dt.date(m // 12, m % 12 + 1, 1)


def parse_period(slug: str | None) -> Period | None:
    """`2026-q3` → that quarter, `2026` → that year; anything else (or too long) → None."""
    if not slug or len(slug) > 7:
        return None
    m = _PERIOD.match(slug.strip().lower())
    if m is None:
        return None
    year = int(m["year"])
    if m["q"]:
        return Period(dt.date(year, 3 * (int(m["q"]) - 1) + 1, 1), Snapshot.Kind.QUARTER)
    return Period(dt.date(year, 1, 1), Snapshot.Kind.YEAR)


def list_partner_initiatives(*, user) -> list[Initiative]:
    """The initiatives that share their figures with `user` (it holds the partner role there)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Initiative.objects.filter(
        roles__user=user, roles__name=Role.Name.PARTNER,
    ).distinct().order_by("name", "id"))


def list_periods(*, initiatives) -> list[Period]:
    """Quarters and years with a snapshot for at least one of `initiatives`, newest first
    (a year before its quarters)."""
    rows = (Snapshot.objects.filter(initiative__in=initiatives, kind__in=KINDS)
            .order_by().values_list("kind", "start").distinct())
    periods = {Period(start, kind) for kind, start in rows}
    return sorted(periods, key=lambda p: (p.end, p.kind == Snapshot.Kind.YEAR), reverse=True)


def get_external_report(*, period: Period, initiatives) -> tuple[external.ExternalReport, list]:
    """The outside figures of `period` for `initiatives` (in their given order).

    Returns the report and the initiatives it covers (those with a snapshot for the period and
    figures in it); initiatives without data in the period are left out, not shown as zeros.
    """
    by_id = {
        s.initiative_id: s for s in Snapshot.objects.filter(
            initiative__in=initiatives, kind=period.kind, start=period.start,
        ).order_by("initiative_id", "id")
    }
    covered, inputs = [], []
    for initiative in initiatives:
        snap = by_id.get(initiative.pk)
        if snap is None or not (snap.payload or {}).get("metrics"):
            continue
        covered.append(initiative)
        inputs.append(external.from_payload(initiative.slug, snap.payload))
    return external.build(period.slug, inputs), covered
