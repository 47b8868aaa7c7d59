"""Views of the volunteers app: the coordinator's funnel (who might take the next step, the
newcomer/local balance) and a member's own path. Thin: selectors compute, services audit."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language_bidi
from django.views.decorators.http import require_GET

from verbinding.accounts.access import role_required
from verbinding.accounts.models import Role
from verbinding.people.selectors import get_own_person, history_cutoff
from verbinding.people.vocab import Talent
from verbinding.volunteers import selectors, services
from verbinding.volunteers.labels import MY_NEXT_STEP, NEXT_STEP_HINTS, STAGE_LABELS, STAGE_RULES
from verbinding.volunteers.path import DRIFT_POINTS, MIN_GROUP, STAGES, Drift

R = Role.Name


def _bars(funnel) -> list[dict]:
    """Bar geometry in a 0–100 wide box. In right-to-left languages the bars grow from the
    right (x = 100 − width), like the text around them."""
    top = max((row.reached for row in funnel), default=0)
    rtl = get_language_bidi()
    bars = []
    for row in funnel:
        width = 100 * row.reached / top if top else 0.0
        # Strings, not floats: a localised float ("37,5") is not an SVG number.
        bars.append({
            "row": row, "label": STAGE_LABELS[row.stage], "rule": STAGE_RULES[row.stage],
            "width": f"{width:.2f}", "x": f"{100 - width:.2f}" if rtl else "0",
            "key": row.stage.key,
        })
    return bars


def _talent_labels(codes) -> list[str]:
    return [Talent(code).label for code in codes if code in Talent.values]


@require_GET
@role_required(R.COORDINATOR)
def funnel(request):
    page = selectors.get_funnel_page(initiative=request.initiative)
    services.record_funnel_view(initiative=request.initiative, by=request.user,
                                person_ids=page.named_ids)
    groups = [{
        "stage": group.stage, "label": STAGE_LABELS[group.stage],
        "next_label": STAGE_LABELS[group.stage.next], "hint": NEXT_STEP_HINTS[group.stage],
        "more": group.total - len(group.rows),
        "rows": [{
            "person": row.person,
            "dates": [{"label": STAGE_LABELS[d.stage], "at": d.at} for d in row.dates],
            "talents": _talent_labels(row.talents), "needs": row.needs,
        } for row in group.rows],
    } for group in page.groups]
    balance = page.balance
    return render(request, "volunteers/funnel.html", {
        "page": page, "bars": _bars(page.funnel), "groups": groups,
        "balance_rows": [
            ("visitors", balance.visitors), ("volunteers", balance.volunteers),
            ("organisers", balance.organisers),
        ],
        "volunteer_drift": balance.volunteer_drift, "organiser_drift": balance.organiser_drift,
        "Drift": {d.name: d for d in Drift}, "min_group": MIN_GROUP, "drift_points": DRIFT_POINTS,
    })


@require_GET
@role_required(R.MEMBER, R.VOLUNTEER, R.COORDINATOR, R.ORGANISER, R.HOST)
def my_path(request):
    person = get_own_person(user=request.user, initiative=request.initiative)
    if person is None:
        raise Http404
    now = timezone.now()
    path = selectors.get_person_path(person=person, now=now)
    since = history_cutoff(now=now)
    steps = [{
        "label": STAGE_LABELS[stage], "rule": STAGE_RULES[stage], "at": path.dates.get(stage),
        "reached": path.reached(stage), "current": path.stage == stage, "key": stage.key,
    } for stage in STAGES]
    return render(request, "volunteers/my_path.html", {
        "person": person, "path": path, "steps": steps, "since": since,
        "next_step": MY_NEXT_STEP[path.stage],
    })
