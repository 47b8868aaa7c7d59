"""Disclosure control of what actually leaves: the rendered partner page, the CSV export and
the PDF's text. Hypothesis generates random attendance sets for one to three initiatives; each
is computed by the insights app's own payload code, stored as a snapshot and rendered through
the real views. Every number that appears must be a published figure resting on >= 10 distinct
persons, or one of the few fixed numbers of the explanations (thresholds, the period).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess
import zoneinfo

import numpy as np
import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reports.conftest import random_synthetic, store, survey_result
from tests.reports.test_external import assert_not_recomputable, ground_truth_persons
from verbinding.accounts.models import Role
from verbinding.insights.models import Snapshot
from verbinding.reports import external

pytestmark = pytest.mark.django_db

# Numbers written in the explanations (thresholds, rule parameters, the E-I scale) and the
# period (2026, quarter 1). Nothing else may appear outside the figure tables.
STATIC = {"0", "1", "2", "3", "4", "5", "10", "20", "25", "2026"}
NUMBER = re.compile(r"\d+(?:\.\d+)?")
CELL = re.compile(r'<td class="rp-num[^"]*">(.*?)</td>', re.S)
TAG = re.compile(r"<[^>]+>")
SVG = re.compile(r"<svg.*?</svg>", re.S)
CHART = re.compile(r'<div class="ch ch-bars".*?</div>', re.S)
CHART_VALUE = re.compile(r'<span class="ch-seg[^"]*">(.*?)</span>', re.S)
GROUPING = re.compile(r"[.,\u00a0\u202f \u066c%]")


def assert_chart_values_are_published(html: str, cells) -> None:
    """The bars' printed values (locale-formatted) are the tables' published values or x."""
    published = {c.text for c in cells if not c.value.suppressed}
    for chart in CHART.findall(html):
        for raw in CHART_VALUE.findall(chart):
            text = TAG.sub("", raw).strip()
            assert text == "x" or GROUPING.sub("", text) in published, text


@st.composite
def initiatives_data(draw):
    out = []
    for _ in range(draw(st.integers(1, 3))):
        out.append(random_synthetic(
            draw(st.integers(0, 10_000)), n_persons=draw(st.integers(0, 150)),
            n_sessions=draw(st.integers(1, 80)), n_att=draw(st.integers(0, 1000)),
            surveys=survey_result([{k: draw(st.integers(0, 25)) for k in "12345"}
                                   for _ in range(draw(st.integers(0, 3)))]),
        ))
    return out


def _setup(initiatives, partner, sets):
    Snapshot.objects.all().delete()
    for initiative, s in zip(initiatives, sets, strict=False):
        store(initiative, s.payload)
    return initiatives[: len(sets)]


@pytest.fixture
def three(initiative, other_initiative, partner):
    from tests.factories import InitiativeFactory

    third = InitiativeFactory(slug="buurthuis", name="Buurthuis Oost", district="Oost")
    for i in (other_initiative, third):
        Role.objects.create(initiative=i, user=partner, name=Role.Name.PARTNER)
    return [initiative, other_initiative, third]


def _published(sections):
    cells = [c for s in sections for r in s.rows for c in r.cells]
    for c in cells:
        assert c.value.suppressed or c.value.basis >= 10, c
    return cells


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sets=initiatives_data())
def test_every_number_on_the_partner_page_is_suppressed_or_rests_on_ten_persons(
        client, three, partner, sets):
    covered = _setup(three, partner, sets)
    client.force_login(partner)
    response = client.get(f"/{covered[0].slug}/partner/", {"period": "2026-q1"})
    assert response.status_code == 200
    html = response.content.decode()
    cells = _published(response.context["sections"])
    shown = CELL.findall(html)
    assert len(shown) == len(cells)
    for raw, cell in zip(shown, cells, strict=True):
        text = TAG.sub("", raw)
        if cell.value.suppressed:
            assert text == "x"
        else:
            assert text == cell.text + cell.suffix
    main = html[html.index('<main'):html.index('</main>')]
    assert_chart_values_are_published(main, cells)
    outside = TAG.sub(" ", CELL.sub(" ", SVG.sub(" ", CHART.sub(" ", main))))
    assert set(NUMBER.findall(outside)) <= STATIC, set(NUMBER.findall(outside)) - STATIC
    # The reach table, against the attendance itself: shown cells rest on >= 10 persons, and
    # no hidden cell follows from what is shown.
    by_name = {i.name: s for i, s in zip(three, sets, strict=False)}
    reach = next(s for s in response.context["sections"] if s.key == "reach")
    rows = [r for r in reach.rows if not r.pooled]
    truth = np.array([ground_truth_persons(by_name[r.label].dataset) for r in rows], dtype=float)
    for row, t in zip(rows, truth, strict=True):
        for j, cell in enumerate(row.cells[:3]):
            if not cell.value.suppressed:
                assert t[j] >= 10
    if len(rows):
        table = external.Table("reach", reach.column_keys,
                               tuple((r.key, tuple(c.value for c in r.cells)) for r in reach.rows))
        assert_not_recomputable(table, truth.reshape(len(rows), 3))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sets=initiatives_data())
def test_every_value_in_the_csv_export_is_marked_suppressed_or_rests_on_ten_persons(
        client, three, partner, sets):
    covered = _setup(three, partner, sets)
    client.force_login(partner)
    page = client.get(f"/{covered[0].slug}/partner/", {"period": "2026-q1"})
    cells = _published(page.context["sections"])
    response = client.get(f"/{covered[0].slug}/partner/figures.csv", {"period": "2026-q1"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == len(cells)
    for row, cell in zip(rows, cells, strict=True):
        if cell.value.suppressed:
            assert row["value"] == "suppressed"
        else:
            assert row["value"] == cell.text and cell.value.basis >= 10
        assert row["value"] not in ("", None)


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode()


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sets=initiatives_data(), lang=st.sampled_from(["nl", "en"]))
def test_every_number_in_the_pdf_is_published_on_ten_persons_or_fixed_text(
        client, three, partner, sets, lang):
    covered = _setup(three, partner, sets)
    client.force_login(partner)
    initiative = covered[0]
    response = client.get(f"/{initiative.slug}/report/download.pdf",
                          {"period": "2026-q1", "lang": lang})
    if not sets[0].payload.get("metrics") and not Snapshot.objects.filter(
            initiative=initiative).exists():
        return
    assert response.status_code == 200
    text = pdf_text(response.content)
    page = client.get(f"/{initiative.slug}/report/")
    assert page.status_code == 200
    from verbinding.reports import present, selectors
    report, _ = selectors.get_external_report(
        period=selectors.parse_period("2026-q1"), initiatives=[initiative])
    cells = [c for s in present.sections(report, {}) for r in s.rows for c in r.cells]
    allowed = set(STATIC)
    for c in cells:
        if not c.value.suppressed:
            assert c.value.basis >= 10
            allowed.update(NUMBER.findall(c.text))
    # The report's date is the place's, which after 23:00 UTC is already tomorrow.
    for today in (dt.date.today(), timezone.localdate(timezone=zoneinfo.ZoneInfo(initiative.time_zone))):
        allowed.update({str(today.day), str(today.year), str(today.month)})
    allowed.update(str(n) for n in range(1, 10))  # page numbers "2 / 3"
    # Thousands are grouped in the bars' labels ("1.175" in Dutch, "1,175" in English).
    text = re.sub(r"(\d)[.,\u00a0\u202f](?=\d{3}\b)", r"\1", text)
    found = set(NUMBER.findall(text))
    assert found <= allowed, found - allowed
