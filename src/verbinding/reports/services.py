"""Writes and renders of the reports app: the audit rows of every export, the CSV and the PDF.

Every figure that leaves an initiative as a file (CSV, PDF) writes one `EXPORT` audit row per
initiative it covers (privacy rule 4), so each coordinator sees in their own audit log what
left their initiative, when, and for whom. The rows hold the period and the format, never a
number or a person.
"""

from __future__ import annotations

import csv
import io

from django.db import transaction

from verbinding.accounts.services import audit
from verbinding.core.models import AuditEntry
from verbinding.reports import external
from verbinding.reports.present import Section

CSV_HEADER = ("period", "initiative", "figure", "row", "column", "value", "unit")


@transaction.atomic
def record_export(*, initiatives, by, view: str, period: str, fmt: str, language: str = "") -> None:
    detail = {"period": period, "format": fmt}
    if language:
        detail["language"] = language
    for initiative in initiatives:
        audit(initiative=initiative, action=AuditEntry.Action.EXPORT, by=by, view=view,
              detail={**detail, "initiatives": len(initiatives)})


def figures_csv(*, period: str, sections: list[Section]) -> str:
    """One line per published (or suppressed) cell, long format, stable English keys.

    `row` is the initiative's name or "all" for the pooled row; a suppressed cell says
    `suppressed` (never blank, never 0) so nobody mistakes it for a zero.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for section in sections:
        for row in section.rows:
            for key, cell in zip(section.column_keys, row.cells, strict=True):
                value = cell.value
                writer.writerow((
                    period, _safe(row.label) if not row.pooled else "all", section.key,
                    "all" if row.pooled else "initiative", key,
                    external.SUPPRESSED_CSV if value.suppressed else value.text(),
                    value.unit,
                ))
    return out.getvalue()


def _safe(text: str) -> str:
    """Keep a spreadsheet from reading a name as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def render_pdf(html: str) -> bytes:
    """The PDF of a self-contained HTML page (styles inline, charts inline SVG).

    WeasyPrint may fetch nothing: a report must not reach the network or the file system.
    """
    from weasyprint import HTML

    def refuse(url, *args, **kwargs):
        raise ValueError("the report fetches nothing")

    return HTML(string=html, url_fetcher=refuse, base_url="/").write_pdf()
