"""Views of the reports app: the partner view, its CSV export and the printable report (PDF).

Thin: `accounts.access` authorises, `selectors` reads snapshots and builds the protected figures
(`external`), `present` adds the words, `services` audits and renders files. Periods come only
from the fixed list of stored quarters and years; an unknown period is a translated 400.
"""

from __future__ import annotations

import dataclasses
import re

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from verbinding.accounts.access import has_role, role_required
from verbinding.accounts.models import Role
from verbinding.reports import present, selectors, services

R = Role.Name
PDF_LANGUAGES = ("nl", "en", "ar")


def _choose_period(request, periods):
    """The period asked for (must be one of `periods`), or the newest; (period, error)."""
    asked = request.GET.get("period")
    if asked is None:
        return (periods[0] if periods else None), None
    period = selectors.parse_period(asked)
    if period is None or period not in periods:
        return None, _("This period is not available. Choose one from the list.")
    return period, None


def _partner_context(request):
    initiatives = selectors.list_partner_initiatives(user=request.user)
    periods = selectors.list_periods(initiatives=initiatives)
    period, error = _choose_period(request, periods)
    ctx = {"initiatives": initiatives, "periods": periods, "period": period, "error": error,
           "sections": [], "covered": [], "limits": present.limits(),
           "mark": present.SUPPRESSED_MARK}
    if period is not None:
        report, covered = selectors.get_external_report(period=period, initiatives=initiatives)
        ctx["covered"] = covered
        ctx["sections"] = present.sections(report, {i.slug: i.name for i in covered})
        ctx["missing"] = [i for i in initiatives if i not in covered]
    return ctx


@require_GET
@role_required(R.PARTNER)
def partner(request):
    ctx = _partner_context(request)
    return render(request, "reports/partner.html", ctx, status=400 if ctx["error"] else 200)


@require_GET
@role_required(R.PARTNER)
def partner_csv(request):
    ctx = _partner_context(request)
    if ctx["error"] or ctx["period"] is None:
        return render(request, "reports/partner.html", ctx, status=400 if ctx["error"] else 404)
    period = ctx["period"]
    services.record_export(initiatives=ctx["covered"], by=request.user,
                           view="reports:partner-csv", period=period.slug, fmt="csv")
    body = services.figures_csv(period=period.slug, sections=ctx["sections"])
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="verbinding-{period.slug}.csv"'
    return response


def _may_report(user, initiative) -> bool:
    return has_role(user, initiative, R.COORDINATOR, R.PARTNER)


@require_GET
@role_required(R.COORDINATOR, R.PARTNER)
def report_index(request):
    initiative = request.initiative
    periods = selectors.list_periods(initiatives=[initiative])
    return render(request, "reports/report_index.html", {
        "periods": periods, "pdf_languages": PDF_LANGUAGES,
    })


@require_GET
@role_required(R.COORDINATOR, R.PARTNER)
def report_pdf(request):
    initiative = request.initiative
    wanted = selectors.parse_period(request.GET.get("period"))
    lang = request.GET.get("lang", "")
    periods = selectors.list_periods(initiatives=[initiative])
    if lang not in PDF_LANGUAGES or wanted is None or wanted not in periods:
        return render(request, "reports/report_index.html", {
            "periods": periods, "pdf_languages": PDF_LANGUAGES,
            "error": _("This report does not exist. Choose a period and language from the list."),
        }, status=404)
    html = report_html(initiative=initiative, period=wanted, lang=lang)
    pdf = services.render_pdf(html)
    services.record_export(initiatives=[initiative], by=request.user, view="reports:report-pdf",
                           period=wanted.slug, fmt="pdf", language=lang)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{initiative.slug}-{wanted.slug}-{lang}.pdf"')
    return response


# The PDF renderer styles inline SVG only from a <style> inside the SVG itself, not from the
# page's stylesheet, so printed charts carry their colours with them (same as charts.css).
_SVG_PRINT_STYLE = mark_safe(
    "<style>.ch-track{fill:#f1ece3}.ch-bar{fill:#0b6b5c}.ch-bar.ch-s1{fill:#c2410c}"
    ".ch-bar.ch-s2{fill:#6b5ca5}.ch-bar.ch-s3{fill:#8a8f98}.ch-bar.ch-s4{fill:#074c41}"
    ".ch-bar.ch-s5{fill:#b7791f}.ch-zero,.ch-marker{stroke:#1f2328}</style>"
)


def _print_chart(chart):
    markup = re.sub(r"(<svg\b[^>]*>)", lambda m: m.group(1) + _SVG_PRINT_STYLE, str(chart))
    return mark_safe(markup)  # noqa: S308 — the chart's own escaped markup plus a constant


def report_html(*, initiative, period, lang: str) -> str:
    """The printable report's HTML in `lang` (rendered to PDF by `services.render_pdf`)."""
    with translation.override(lang):
        report, covered = selectors.get_external_report(period=period, initiatives=[initiative])
        sections = [
            dataclasses.replace(s, chart=_print_chart(s.chart) if s.chart else None)
            for s in present.sections(report, {initiative.slug: initiative.name})
        ]
        return render_to_string("reports/report_pdf.html", {
            "initiative": initiative, "period": period, "sections": sections,
            "has_data": bool(covered), "limits": present.limits(),
            "mark": present.SUPPRESSED_MARK, "made": timezone.localdate(),
            "LANG": lang, "RTL": translation.get_language_bidi(),
        })
