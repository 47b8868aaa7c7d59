"""The coordinator's insights dashboard: renders from stored snapshots only, picks a period,
refuses everyone but coordinators, answers hostile query parameters with a translated 400/404,
offers the recompute button, and works right-to-left."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.insights.test_figures import payload
from verbinding.insights.models import RecomputeRun, Snapshot

pytestmark = pytest.mark.django_db


def url(initiative, **query):
    base = reverse("insights:dashboard", kwargs={"initiative_slug": initiative.slug})
    if query:
        base += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return base


def recompute_url(initiative):
    return reverse("insights:recompute", kwargs={"initiative_slug": initiative.slug})


def snapshot(initiative, kind="quarter", start=dt.date(2026, 1, 1), **overrides):
    p = payload(**overrides)
    ends = {"month": 32, "quarter": 95, "year": 370}
    end = (start + dt.timedelta(days=ends[kind])).replace(day=1)
    if kind == "year":
        end = dt.date(start.year + 1, 1, 1)
    p["period"] = {"kind": kind, "start": start.isoformat(), "end": end.isoformat()}
    return Snapshot.objects.create(initiative=initiative, kind=kind, start=start, end=end,
                                   payload=p)


def get(client, user, path, lang="en"):
    client.force_login(user)
    client.cookies["verbinding_language"] = lang
    return client.get(path)


def test_a_coordinator_sees_the_latest_quarter_with_its_figures(client, initiative, coordinator):
    snapshot(initiative, start=dt.date(2025, 10, 1))
    snapshot(initiative, start=dt.date(2026, 1, 1))
    response = get(client, coordinator, url(initiative))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Q1 2026" in html  # the latest quarter by default
    assert 'class="ch-plot"' in html and 'class="ch-bar' in html
    for key in ("reach", "mix", "ties", "durable", "retention", "investment", "balance",
                "surveys"):
        assert f'id="in-{key}"' in html
    assert "Language café" in html
    assert "fewer than 5" in html
    assert "<table>" in html  # data tables for screen readers
    assert "Recompute now" in html


def test_the_figures_need_no_inline_style_or_script_under_the_strict_csp(
    client, initiative, coordinator
):
    snapshot(initiative)
    html = get(client, coordinator, url(initiative)).content.decode()
    main = html[html.index('<h2 class="in-period-title">'):]
    assert " style=" not in main
    assert "<script" not in main
    assert "<style" not in main


def test_the_page_is_built_from_the_snapshot_in_a_few_queries(client, initiative, coordinator):
    snapshot(initiative)
    client.force_login(coordinator)
    client.get(url(initiative))  # warm up session and caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url(initiative))
    assert response.status_code == 200
    tables = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "attendance_" not in tables  # never reads check-ins at request time
    assert len(ctx.captured_queries) <= 12


def test_a_chosen_month_is_shown(client, initiative, coordinator):
    snapshot(initiative, "month", dt.date(2026, 2, 1))
    snapshot(initiative, "month", dt.date(2026, 3, 1))
    response = get(client, coordinator, url(initiative, kind="month", start="2026-02-01"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h2 class="in-period-title">February 2026</h2>' in html
    assert 'value="2026-03-01"' in html  # the other month is in the picker


def test_no_snapshot_yet_shows_the_empty_state_with_the_button(client, initiative, coordinator):
    response = get(client, coordinator, url(initiative))
    assert response.status_code == 200
    html = response.content.decode()
    assert "No figures yet" in html
    assert "Recompute now" in html


@pytest.mark.parametrize("query,status", [
    ({"kind": "decade"}, 400),
    ({"kind": "<script>"}, 400),
    ({"start": "yesterday"}, 400),
    ({"start": "99999-01-01"}, 400),
    ({"start": "1900-01-01"}, 400),
    ({"start": "2026-13-01"}, 400),
    ({"start": "9" * 5000}, 400),
    ({"kind": "quarter", "start": "2031-01-01"}, 404),
])
def test_hostile_or_unknown_periods_get_a_clear_translated_answer(
    client, initiative, coordinator, query, status
):
    snapshot(initiative)
    response = get(client, coordinator, url(initiative, **query), lang="nl")
    assert response.status_code == status
    html = response.content.decode()
    assert 'class="notice notice-error in-error"' in html
    assert ("Dit is geen datum" in html or "Kies een maand" in html
            or "Er zijn geen cijfers voor deze periode" in html)
    assert "<script>" not in html.split("<main")[1] if "<main" in html else True


def test_another_initiatives_period_is_not_found(client, initiative, other_initiative,
                                                  coordinator, outsider):
    snapshot(other_initiative, start=dt.date(2025, 7, 1))
    response = get(client, coordinator, url(initiative, kind="quarter", start="2025-07-01"))
    assert response.status_code == 404
    # and the outsider's own dashboard does not show ours
    snapshot(initiative, start=dt.date(2026, 1, 1))
    response = get(client, outsider, url(other_initiative))
    assert "Q3 2025" in response.content.decode()
    assert "Q1 2026" not in response.content.decode()


@pytest.mark.parametrize("persona", ["organiser", "host", "kiosk", "partner", "newcomer",
                                     "local", "outsider"])
def test_everyone_but_a_coordinator_is_refused(client, initiative, persona, request):
    snapshot(initiative)
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get(url(initiative)).status_code == 403
    assert client.post(recompute_url(initiative)).status_code == 403
    assert not RecomputeRun.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login(client, initiative):
    snapshot(initiative)
    response = client.get(url(initiative))
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    response = client.post(recompute_url(initiative))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not RecomputeRun.objects.exists()


def test_recompute_queues_one_run_and_returns_to_the_same_period(client, initiative, coordinator):
    snapshot(initiative)
    client.force_login(coordinator)
    client.cookies["verbinding_language"] = "en"
    response = client.post(recompute_url(initiative), {"kind": "quarter", "start": "2026-01-01"})
    assert response.status_code == 302
    assert response["Location"].endswith("?kind=quarter&start=2026-01-01")
    run = RecomputeRun.objects.get()
    assert run.requested_by == coordinator and run.initiative == initiative
    page = client.get(response["Location"]).content.decode()
    assert "The figures are being recomputed. This can take a minute" in page


def test_while_a_run_is_pending_the_button_is_disabled(client, initiative, coordinator):
    snapshot(initiative)
    RecomputeRun.objects.create(initiative=initiative, status=RecomputeRun.Status.QUEUED)
    html = get(client, coordinator, url(initiative)).content.decode()
    assert "The figures are being recomputed now." in html
    button = html.split("Recompute now")[0].rsplit("<button", 1)[1]
    assert "disabled" in button


def test_a_second_recompute_while_one_is_pending_is_refused_politely(client, initiative,
                                                                     coordinator):
    RecomputeRun.objects.create(initiative=initiative, status=RecomputeRun.Status.RUNNING)
    client.force_login(coordinator)
    client.cookies["verbinding_language"] = "en"
    response = client.post(recompute_url(initiative), {"kind": "bogus", "start": "x" * 10000},
                           follow=True)
    assert response.status_code == 200
    assert "already being recomputed" in response.content.decode()
    assert RecomputeRun.objects.count() == 1
    assert response.redirect_chain[-1][0].endswith("/manage/insights/")


def test_recompute_only_accepts_post(client, initiative, coordinator):
    client.force_login(coordinator)
    assert client.get(recompute_url(initiative)).status_code == 405


def test_the_dashboard_renders_right_to_left_in_arabic(client, initiative, coordinator):
    snapshot(initiative)
    response = get(client, coordinator, url(initiative), lang="ar")
    html = response.content.decode()
    assert 'dir="rtl"' in html
    assert 'direction="rtl"' in html  # the line charts are mirrored
    assert "رؤى حول التواصل" in html
    assert "أقل من 5" in html
    assert "fewer than" not in html


def test_a_failed_last_run_is_reported(client, initiative, coordinator):
    snapshot(initiative)
    RecomputeRun.objects.create(initiative=initiative, status=RecomputeRun.Status.FAILED,
                                error="ValueError")
    html = get(client, coordinator, url(initiative)).content.decode()
    assert "The last recompute failed" in html


def test_the_rendered_figures_are_cached_per_language_until_the_snapshot_is_recomputed(
    client, initiative, coordinator
):
    from django.utils import timezone

    snap = snapshot(initiative)
    assert "People who came" in get(client, coordinator, url(initiative)).content.decode()
    assert "رؤى حول التواصل" in get(client, coordinator, url(initiative), lang="ar").content.decode()
    assert "الأشخاص الذين حضروا" in get(client, coordinator, url(initiative),
                                        lang="ar").content.decode()
    snap.payload["counts"]["persons"] = 4321
    snap.save(update_fields=["payload"])  # same computed_at: still the cached figures
    assert "4,321" not in get(client, coordinator, url(initiative)).content.decode()
    snap.computed_at = timezone.now()
    snap.save(update_fields=["computed_at"])  # a recompute writes a new computed_at
    assert "4,321" in get(client, coordinator, url(initiative)).content.decode()
