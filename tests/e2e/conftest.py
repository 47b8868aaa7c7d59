"""Browser journeys: Playwright driving Debian's Chromium (/usr/bin/chromium, never a
downloaded browser) against pytest-django's live server.

Every test under tests/e2e is marked `e2e`. Set SCREENSHOTS=1 to save screenshots of each
`shot(page, name)` call into ./screenshots/ for looking at the pages.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("VERBINDING_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "screenshots"

VIEWPORTS = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 390, "height": 844},
    # A 10" tablet at the door, landscape and portrait.
    "tablet": {"width": 1280, "height": 800},
    "tablet-portrait": {"width": 800, "height": 1280},
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage",
        ],
    }


@pytest.fixture
def new_page(browser, live_server):
    """Open a page in a fresh context: new_page(viewport="phone", lang="ar")."""
    contexts = []

    def factory(*, viewport="desktop", lang="nl"):
        context = browser.new_context(
            viewport=VIEWPORTS[viewport], locale={"nl": "nl-NL", "en": "en-GB", "ar": "ar"}[lang],
            base_url=live_server.url,
        )
        context.add_cookies([{"name": "verbinding_language", "value": lang, "url": live_server.url}])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield factory
    for context in contexts:
        context.close()


def shot(page, name: str) -> None:
    if os.environ.get("SCREENSHOTS"):
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def login(page, initiative_slug: str, username: str, password: str) -> None:
    page.goto(f"/{initiative_slug}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("form.stack button[type=submit], form.stack input[type=submit]").first.click()
    page.wait_for_load_state()
