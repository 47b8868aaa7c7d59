"""The coordinator's insights dashboard in Debian's Chromium, on the demo data: seed_demo, then
the same recompute the nightly job runs, then a coordinator opens the dashboard in Dutch,
English and Arabic, on a desktop and on a 390 px phone.

Checks what a coordinator would notice: figures are there (numbers, not only headings), the
charts are drawn from the reading side (bars from the right in Arabic), nothing overflows the
phone's width, and no group split shows a number below 5.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from tests.e2e.conftest import login, shot
from verbinding.accounts.models import Role

ARABIC = re.compile(r"[\u0600-\u06FF]")


@pytest.fixture
def demo(transactional_db, settings):
    settings.VERBINDING_REQUIRE_STAFF_2FA = False
    # seed_demo adds the demo pulses and computes the snapshots itself.
    call_command("seed_demo", "--seed", "1", verbosity=0)
    role = (Role.objects.filter(name="coordinator", initiative__slug="trefpunt")
            .select_related("user", "initiative").first())
    return role.initiative, role.user


@pytest.mark.parametrize("lang", ["nl", "en", "ar"])
def test_a_coordinator_reads_the_dashboard_on_the_demo_data(new_page, demo, lang):
    from verbinding.attendance import demo as demo_data

    initiative, user = demo
    for viewport in ("desktop", "phone"):
        page = new_page(viewport=viewport, lang=lang)
        login(page, initiative.slug, user.username, demo_data.DEMO_PASSWORD)
        page.goto(f"/{initiative.slug}/manage/insights/")
        assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
        heading = page.locator("h1").inner_text()
        assert heading.strip()
        if lang == "ar":
            assert ARABIC.search(heading)
        # Every section of the brief is on the page, each with a chart or an honest note.
        for key in ("reach", "mix", "ties", "durable", "retention", "investment", "balance",
                    "surveys"):
            assert page.locator(f"#in-{key}").count() == 1, key
        # Real figures: the reach facts hold digits, and bars were drawn.
        facts = page.locator("#in-reach .in-facts dd").all_inner_texts()
        assert any(re.search(r"\d", f) for f in facts)
        assert page.locator("#ch-reach-groups rect.ch-bar").count() >= 1
        assert page.locator("#ch-reach-months path.ch-line").count() >= 1
        # Bars grow from the reading side.
        box = page.locator("#ch-reach-groups svg.ch-barbox").first.bounding_box()
        bar = page.locator("#ch-reach-groups rect.ch-bar").first.bounding_box()
        if lang == "ar":
            assert abs((bar["x"] + bar["width"]) - (box["x"] + box["width"])) < 2
        else:
            assert abs(bar["x"] - box["x"]) < 2
        # No group split rests on fewer than 5 persons: no person count 1-4 in those tables.
        for fig in ("reach-groups", "reach-months", "durable-share", "balance"):
            cells = page.locator(f"#fig-{fig} .ch-table td").all_text_contents()
            assert cells, fig
            for cell in cells:
                assert not re.fullmatch(r"[1-4]", cell.strip()), (fig, cell)
                assert not re.search(r"\(([1-4])(/\d+)?\)", cell), (fig, cell)
        # Survey answers from the demo pulses, each item with its answer bars.
        assert page.locator("#in-surveys figure").count() >= 5
        assert page.locator("#in-surveys rect.ch-bar").count() >= 10
        # Nothing wider than the screen on the phone.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"] + 1, width
        # The data tables are there for screen readers, and open for sighted users.
        assert page.locator(".ch-table table").count() >= 5
        page.locator("#fig-reach-groups details.ch-data summary").click()
        assert page.locator("#fig-reach-groups .ch-table").is_visible()
        shot(page, f"insights-dashboard-{lang}-{viewport}")


def test_the_coordinator_switches_period_and_asks_for_a_recompute(new_page, demo):
    from verbinding.attendance import demo as demo_data

    initiative, user = demo
    page = new_page(lang="en")
    login(page, initiative.slug, user.username, demo_data.DEMO_PASSWORD)
    page.goto(f"/{initiative.slug}/manage/insights/")
    page.locator(".in-kinds a", has_text="Month").click()
    page.wait_for_load_state()
    assert "kind=month" in page.url
    options = page.locator("#in-start option")
    assert options.count() >= 2
    page.select_option("#in-start", index=1)
    page.locator(".in-period-form button").click()
    page.wait_for_load_state()
    assert "start=" in page.url
    assert page.locator(".in-period-title").inner_text() == options.nth(1).inner_text()
    page.locator("form[action$='/recompute/'] button").click()
    page.wait_for_load_state()
    assert page.locator(".messages").inner_text().strip()
    assert "start=" in page.url  # back on the same period
