"""The partner view, its CSV export and the printable report: who may see them, what they show,
and that every export is audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess

import pytest
from django.urls import reverse

from tests.conftest import make_user
from tests.reports.conftest import random_synthetic, store
from verbinding.accounts.models import Role
from verbinding.core.models import AuditEntry

pytestmark = pytest.mark.django_db

Q1 = dt.date(2026, 1, 1)


@pytest.fixture
def shared(initiative, other_initiative, partner, busy_payload):
    """Both initiatives have a Q1 snapshot; only `initiative` shares with the partner."""
    store(initiative, busy_payload)
    store(initiative, busy_payload, kind="year", start=Q1)
    store(other_initiative, random_synthetic(5, n_persons=90, n_sessions=60, n_att=700).payload)
    return initiative


def url(name, initiative, **query):
    base = reverse(f"reports:{name}", kwargs={"initiative_slug": initiative.slug})
    if name == "report-pdf":
        return base + (f"?period={query['period']}&lang={query['lang']}" if query else PDF_QUERY)
    return base


PAGES = [("partner", {}), ("partner-csv", {}), ("report-index", {}), ("report-pdf", {})]
PDF_QUERY = "?period=2026-q1&lang=nl"


@pytest.mark.parametrize("name,kw", PAGES)
def test_an_anonymous_visitor_is_sent_to_login(client, shared, name, kw):
    response = client.get(url(name, shared, **kw))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["newcomer", "organiser", "host", "kiosk", "outsider"])
@pytest.mark.parametrize("name,kw", PAGES)
def test_everyone_without_the_partner_or_coordinator_role_is_refused(
        client, shared, request, persona, name, kw):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url(name, shared, **kw)).status_code == 403


@pytest.mark.parametrize("name", ["partner", "partner-csv"])
def test_the_coordinator_has_no_partner_view(client, shared, coordinator, name):
    client.force_login(coordinator)
    assert client.get(url(name, shared)).status_code == 403


def test_a_partner_is_refused_for_an_initiative_that_does_not_share_with_it(
        client, shared, partner, other_initiative):
    client.force_login(partner)
    for name, kw in PAGES:
        assert client.get(url(name, other_initiative, **kw)).status_code == 403


def test_a_partner_of_another_initiative_is_refused_here(client, shared, other_initiative):
    elsewhere = make_user(other_initiative, "provincie", "partner")
    client.force_login(elsewhere)
    for name, kw in PAGES:
        assert client.get(url(name, shared, **kw)).status_code == 403


def test_the_partner_view_shows_only_the_initiatives_that_share(
        client, shared, partner, other_initiative):
    client.force_login(partner)
    response = client.get(url("partner", shared))
    assert response.status_code == 200
    html = response.content.decode()
    assert shared.name in html and other_initiative.name not in html
    assert "2026-q1" in html and 'type="date"' not in html


def test_the_partner_sees_every_initiative_that_shares_with_it(
        client, shared, partner, other_initiative):
    Role.objects.create(initiative=other_initiative, user=partner, name=Role.Name.PARTNER)
    client.force_login(partner)
    html = client.get(url("partner", shared) + "?period=2026-q1").content.decode()
    assert shared.name in html and other_initiative.name in html
    assert "Alles samen" in html  # the pooled row (Dutch is the default language)


@pytest.mark.parametrize("period", ["2025-q4", "2026-q5", "2026-01-01", "x" * 5000, "2026' OR 1=1",
                                    "<script>", "%00"])
def test_a_period_that_is_not_in_the_list_is_a_clear_error(client, shared, partner, period):
    client.force_login(partner)
    response = client.get(url("partner", shared), {"period": period})
    assert response.status_code == 400
    assert "<script>" not in response.content.decode()
    assert response.context["error"]
    assert client.get(url("partner-csv", shared), {"period": period}).status_code == 400
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_the_csv_export_marks_suppressed_cells_and_is_audited(client, shared, partner):
    client.force_login(partner)
    response = client.get(url("partner-csv", shared), {"period": "2026-q1"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows and {r["period"] for r in rows} == {"2026-q1"}
    values = [r["value"] for r in rows]
    assert "" not in values and "0" not in values
    assert "suppressed" in values
    for v in values:
        assert v == "suppressed" or re.fullmatch(r"\u2212?\d+(\.\d\d)?", v)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.initiative == shared and entry.actor == partner
    assert entry.detail == {"period": "2026-q1", "format": "csv", "initiatives": 1}


def test_the_csv_export_neutralises_a_formula_in_an_initiative_name(client, shared, partner):
    shared.name = "=HYPERLINK(\"http://evil\")"
    shared.save()
    client.force_login(partner)
    body = client.get(url("partner-csv", shared), {"period": "2026-q1"}).content.decode()
    assert "\n=HYPERLINK" not in body and ",=HYPERLINK" not in body


def pdf_text(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True,
                         check=True)
    return out.stdout.decode()


@pytest.mark.parametrize("lang,words", [("nl", "Wie komt terug"), ("en", "Who comes back")])
def test_the_coordinator_downloads_the_report_as_pdf_and_it_is_audited(
        client, shared, coordinator, lang, words):
    client.force_login(coordinator)
    response = client.get(url("report-pdf", shared, period="2026-q1", lang=lang))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert shared.name in text and words in text
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.actor == coordinator and entry.detail["language"] == lang


def test_a_partner_downloads_the_report_of_a_shared_initiative(client, shared, partner):
    client.force_login(partner)
    response = client.get(url("report-pdf", shared, period="2026", lang="en"))
    assert response.status_code == 200
    assert "adapted, not validated" in pdf_text(response.content)


@pytest.mark.parametrize("period,lang", [("2025-q1", "nl"), ("2026-q1", "fr"), ("2026-q9", "en"),
                                         ("../../etc", "nl")])
def test_a_report_that_does_not_exist_is_a_404_without_an_audit_row(
        client, shared, coordinator, period, lang):
    client.force_login(coordinator)
    response = client.get(url("report-pdf", shared), {"period": period, "lang": lang})
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_the_report_list_offers_fixed_periods_only(client, shared, coordinator):
    client.force_login(coordinator)
    html = client.get(url("report-index", shared)).content.decode()
    assert "/report/download.pdf?period=2026-q1&amp;lang=nl" in html
    assert "/report/download.pdf?period=2026&amp;lang=en" in html


def test_an_initiative_without_snapshots_shows_an_empty_partner_view(client, initiative, partner):
    client.force_login(partner)
    response = client.get(url("partner", initiative))
    assert response.status_code == 200
    assert response.context["period"] is None


def test_the_partner_view_reads_a_fixed_number_of_queries_for_any_number_of_initiatives(
        client, shared, partner, other_initiative, django_assert_max_num_queries):
    client.force_login(partner)
    client.get(url("partner", shared))  # warm the session and the role cache
    with django_assert_max_num_queries(8):
        assert client.get(url("partner", shared), {"period": "2026-q1"}).status_code == 200
    Role.objects.create(initiative=other_initiative, user=partner, name=Role.Name.PARTNER)
    with django_assert_max_num_queries(8):
        assert client.get(url("partner", shared), {"period": "2026-q1"}).status_code == 200


def test_nothing_outside_shows_a_person_a_minimum_a_maximum_or_a_free_date_range(
        client, shared, partner):
    """Research note §5 target 11: checked on the rendered page and on the templates."""
    from pathlib import Path

    import verbinding.reports

    client.force_login(partner)
    html = client.get(url("partner", shared), {"period": "2026-q1"}).content.decode().lower()
    for word in ("minimum", "maximum", "top attender", 'type="date"', "datetime-local",
                 'name="start"', 'name="end"'):
        assert word not in html
    templates = Path(verbinding.reports.__file__).parent / "templates" / "reports"
    for path in templates.iterdir():
        text = path.read_text(encoding="utf-8")
        # No template variable or tag touches a person (prose may say "never about one person").
        code = re.sub(r'"[^"]*"', '""', " ".join(re.findall(r"\{[{%].*?[%}]\}", text)))
        assert not re.search(r"person|display_name|user\.", code), path.name
        assert "|min" not in text and "|max" not in text
