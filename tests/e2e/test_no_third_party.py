"""No page asks a third party for anything, and the strict CSP is never violated."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse

import pytest
from django.utils import timezone

from tests.e2e.conftest import shot
from tests.factories import ActivityFactory, SessionFactory

PAGES = ["/voorkamer/", "/voorkamer/week/", "/voorkamer/join/", "/voorkamer/login/", "/"]


@pytest.fixture
def public_activity(transactional_db):
    from tests.factories import InitiativeFactory

    initiative = InitiativeFactory(slug="voorkamer", name="De Voorkamer")
    start = (timezone.now() + dt.timedelta(days=2)).replace(hour=19, minute=0, second=0, microsecond=0)
    activity = ActivityFactory(initiative=initiative, first_start=start, status="published")
    SessionFactory(activity=activity)
    return activity


@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_public_pages_make_no_third_party_request_and_violate_no_csp(
    new_page, live_server, public_activity, lang
):
    page = new_page(lang=lang)
    own = urlparse(live_server.url).netloc
    foreign: list[str] = []
    problems: list[str] = []
    page.on("request", lambda r: foreign.append(r.url)
            if urlparse(r.url).scheme in {"http", "https"} and urlparse(r.url).netloc != own else None)
    page.on("console", lambda m: problems.append(m.text)
            if m.type == "error" and ("Content Security Policy" in m.text or "Refused" in m.text) else None)
    for path in [*PAGES, f"/voorkamer/activities/{public_activity.pk}/"]:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    shot(page, f"activity-{lang}")
    assert foreign == []
    assert problems == []
