"""What leaves an initiative, in Debian's Chromium: a partner (the municipality) logs in and
reads the figures of the two initiatives that share with it, on a desktop and on a 390 px phone,
in Dutch, English and Arabic; downloads the CSV; a coordinator downloads the PDF report.

Checks what a person would notice: the page reads in the right direction, nothing overflows the
phone's width, hidden numbers show the mark and the explanation of the mark is on the page.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import SHOTS, login, shot
from tests.factories import InitiativeFactory
from tests.reports.conftest import random_synthetic, store, survey_result
from verbinding.accounts.models import Role

Q1 = dt.date(2026, 1, 1)


@pytest.fixture
def shared(transactional_db):
    voorkamer = InitiativeFactory(slug="voorkamer", name="De Voorkamer", district="Lombok")
    huiskamer = InitiativeFactory(slug="huiskamer", name="De Huiskamer", district="Centrum")
    partner = make_user(voorkamer, "gemeente", "partner")
    Role.objects.create(initiative=huiskamer, user=partner, name=Role.Name.PARTNER)
    coordinator = make_user(voorkamer, "coco", "coordinator", "member")
    surveys = survey_result([{"1": 15, "2": 30, "3": 25}, {"4": 30, "5": 25, "2": 15}, {"1": 20, "2": 25, "3": 30},
                             {"1": 40, "2": 4}, {"1": 30, "2": 12, "3": 14}])
    store(voorkamer, random_synthetic(7, n_persons=200, n_sessions=120, n_att=1500,
                                      surveys=surveys).payload)
    store(voorkamer, random_synthetic(8, n_persons=400, n_sessions=450, n_att=5000,
                                      kind="year", surveys=surveys).payload, kind="year", start=Q1)
    store(huiskamer, random_synthetic(5, n_persons=60, n_sessions=50, n_att=500).payload)
    return {"voorkamer": voorkamer, "partner": partner, "coordinator": coordinator}


def _no_overflow(page):
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1


@pytest.mark.parametrize("lang", ["nl", "en", "ar"])
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_partner_reads_the_shared_figures(new_page, shared, lang, viewport):
    page = new_page(viewport=viewport, lang=lang)
    login(page, "voorkamer", "gemeente", PASSWORD)
    page.goto("/voorkamer/partner/?period=2026-q1")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert page.locator("#fig-reach table tbody tr").count() == 3  # two initiatives + together
    assert page.get_by_text("De Huiskamer").first.is_visible()
    assert page.locator("td.rp-hidden").count() > 0
    assert page.locator(".rp-limits").is_visible()
    _no_overflow(page)
    shot(page, f"reports-partner-{lang}-{viewport}")


def test_a_partner_downloads_the_csv(new_page, shared):
    page = new_page(lang="en")
    login(page, "voorkamer", "gemeente", PASSWORD)
    page.goto("/voorkamer/partner/?period=2026-q1")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download as CSV").click()
    body = Path(info.value.path()).read_text(encoding="utf-8")
    assert body.startswith("period,initiative,figure,row,column,value,unit")
    assert "suppressed" in body


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_coordinator_downloads_the_printable_report(new_page, shared, lang):
    page = new_page(lang=lang)
    login(page, "voorkamer", "coco", PASSWORD)
    page.goto("/voorkamer/report/")
    shot(page, f"reports-index-{lang}-desktop")
    with page.expect_download() as info:
        page.locator(f"a[href$='?period=2026-q1&lang={lang}']").click()
    data = Path(info.value.path()).read_bytes()
    assert data.startswith(b"%PDF")
    if os.environ.get("SCREENSHOTS"):
        SHOTS.mkdir(exist_ok=True)
        pdf = SHOTS / f"reports-pdf-{lang}.pdf"
        pdf.write_bytes(data)
        subprocess.run(["pdftoppm", "-r", "70", "-png", str(pdf), str(SHOTS / f"reports-pdf-{lang}")],
                       check=True)
        pdf.unlink()
