"""Views of the insights app: the coordinator's dashboard, rendered from one stored snapshot,
and the "recompute now" button. Thin: the form parses the period, selectors load the
snapshot, `figures` builds the protected charts, services queue the recompute."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from verbinding.accounts.access import role_required
from verbinding.accounts.models import Role
from verbinding.core.errors import DomainError
from verbinding.insights import figures, selectors, services
from verbinding.insights.forms import PeriodForm
from verbinding.insights.models import Snapshot

R = Role.Name
BOARD_CACHE_SECONDS = 60 * 60


def _dashboard_url(initiative, kind: str | None = None, start=None) -> str:
    url = reverse("insights:dashboard", kwargs={"initiative_slug": initiative.slug})
    query = {k: v for k, v in (("kind", kind), ("start", start)) if v}
    return f"{url}?{urlencode(query)}" if query else url


def _kinds() -> list[tuple[str, str]]:
    return [("month", _("Month")), ("quarter", _("Quarter")), ("year", _("Year"))]


@require_GET
@role_required(R.COORDINATOR)
def dashboard(request):
    initiative = request.initiative
    form = PeriodForm(request.GET)
    status = selectors.recompute_status(initiative)
    context = {"form": form, "status": status, "kinds": _kinds(), "error": None}
    if not form.is_valid():
        context["error"] = " ".join(str(e) for errors in form.errors.values() for e in errors)
        context["kind"] = "quarter"
        context["periods"] = []
        return render(request, "insights/dashboard.html", context, status=400)
    kind = form.cleaned_data["kind"]
    start = form.cleaned_data["start"]
    starts = selectors.periods(initiative, kind)
    context["kind"] = kind
    context["periods"] = [(s, figures.period_label(kind, s)) for s in starts]
    if start is None:
        snapshot = selectors.latest(initiative, kind)
    else:
        snapshot = selectors.for_period(initiative, kind, start)
        if snapshot is None:
            context["error"] = _("There are no figures for this period. Choose one of the "
                                 "periods in the list.")
            return render(request, "insights/dashboard.html", context, status=404)
    context["snapshot"] = snapshot
    if snapshot is not None:
        context["board_html"] = _board_html(request, snapshot)
    return render(request, "insights/dashboard.html", context)


def _board_html(request, snapshot: Snapshot) -> str:
    """The figures of one snapshot, rendered once per language and kept in the cache until the
    snapshot is recomputed (the key holds its computed_at): a snapshot never changes. Only
    the figures are cached; the permission check, the period picker and the recompute status
    are done on every request."""
    initiative = request.initiative
    # content_version moves when the initiative's name or languages (used for the survey
    # questions and activity titles) change.
    key = (f"insights:board:v1:{snapshot.pk}:{snapshot.computed_at.timestamp():.6f}:"
           f"{initiative.content_version}:{get_language()}")
    html = cache.get(key)
    if html is None:
        board = figures.dashboard(snapshot.payload, languages=list(initiative.languages or []),
                                  place=initiative.name)
        html = render_to_string("insights/_board.html", {
            "board": board, "initiative": initiative,
            "period_label": figures.period_label(snapshot.kind, snapshot.start),
        })
        cache.set(key, html, BOARD_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by our own autoescaping template


@require_POST
@role_required(R.COORDINATOR)
def recompute(request):
    initiative = request.initiative
    try:
        services.request_recompute(initiative, request.user)
    except DomainError as error:
        if error.code == "insights_recompute_busy":
            messages.error(request, _("The figures are already being recomputed. Please wait "
                                      "until that has finished."))
        else:
            messages.error(request, error.message)
    else:
        messages.success(request, _("The figures are being recomputed. This can take a "
                                    "minute; reload the page to see the new ones."))
    kind = request.POST.get("kind")
    start = request.POST.get("start")
    if kind not in Snapshot.Kind.values:
        kind, start = None, None
    form = PeriodForm({"kind": kind or "", "start": start or ""})
    if not form.is_valid():
        kind, start = None, None
    return redirect(_dashboard_url(initiative, kind, start))
