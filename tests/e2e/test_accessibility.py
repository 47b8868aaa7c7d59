"""Accessibility measured in the browser: axe-core (WCAG 2.1 A and AA rules) on the public,
member and staff pages, plus the sign-up flow by keyboard alone.

Many visitors read little Dutch, use cheap phones and some use screen readers. axe-core comes
bundled with axe-playwright-python and is injected with `page.evaluate` (a DevTools call), so
our strict Content-Security-Policy does not block it the way an added <script> tag would be.
Only violations of impact "serious" or "critical" fail a test; the message lists every one
with the selectors of the elements concerned.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.test_layout import MEMBER, STAFF, logged_in
from tests.e2e.test_layout import place as layout_place  # noqa: F401  (fixture used below)
from tests.factories import ActivityFactory, SessionFactory
from verbinding.activities.models import Session
from verbinding.attendance.models import Registration
from verbinding.core.models import Initiative

AXE = Axe()
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}

PUBLIC = ["/", "/voorkamer/", "/voorkamer/week/", "/voorkamer/activities/{regular}/",
          "/voorkamer/activities/{project}/", "/voorkamer/join/", "/voorkamer/login/"]
STAFF_PAGES = [path for path in STAFF if not path.endswith("/edit/")]


@pytest.fixture
def place(layout_place):  # noqa: F811  (the imported fixture, extended)
    """The layout test's meeting place plus an activity written in Dutch only."""
    initiative = Initiative.objects.get(slug="voorkamer")
    start = (timezone.now() + dt.timedelta(days=1)).replace(hour=14, minute=0, second=0,
                                                            microsecond=0)
    dutch_only = ActivityFactory(
        initiative=initiative, kind="regular", format="coffee_games", first_start=start,
        title={"nl": "Breicafé"}, description={"nl": "Samen breien."},
    )
    SessionFactory(activity=dutch_only, start=start)
    return {**layout_place, "dutch_only": dutch_only.pk}


def blocking_violations(page) -> list[str]:
    """axe's serious and critical WCAG 2.1 A/AA violations on the page, one line per element."""
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA},
                                     "resultTypes": ["violations"]})
    found = [
        f"{page.url}: {violation['id']} ({violation['impact']}) at {' >> '.join(node['target'])}"
        for violation in results.response["violations"] if violation["impact"] in BLOCKING
        for node in violation["nodes"]
    ]
    # axe 4.x dropped its duplicate-id rules with WCAG 2.2, but a repeated id still breaks
    # label, aria-labelledby and htmx targets, so we check it here.
    duplicates = page.evaluate("""() => {
        const seen = {};
        document.querySelectorAll('[id]').forEach(el => { seen[el.id] = (seen[el.id] || 0) + 1; });
        return Object.keys(seen).filter(id => seen[id] > 1);
    }""")
    return found + [f"{page.url}: duplicate-id (serious) at #{id_}" for id_ in duplicates]


def audit(page, paths, place) -> list[str]:
    found = []
    for path in paths:
        response = page.goto(path.format(**place))
        assert response is not None and response.status == 200, f"{path}: {response and response.status}"
        found += blocking_violations(page)
    return found


def test_the_check_reports_a_serious_violation_with_its_selector(new_page, place):
    page = new_page()
    page.goto("/voorkamer/join/")
    # Style set through the CSSOM: the Content-Security-Policy forbids style="" attributes.
    page.evaluate("""() => {
        document.querySelector('main').insertAdjacentHTML('beforeend',
            '<p id="faint">Hard to read</p><input id="nameless">');
        document.getElementById('faint').style.color = '#ccc';
    }""")
    found = "\n".join(blocking_violations(page))
    assert "color-contrast (serious) at #faint" in found
    assert "label (critical) at #nameless" in found


@pytest.mark.parametrize(("lang", "viewport"), [("nl", "desktop"), ("ar", "phone")])
def test_public_pages_have_no_serious_accessibility_violations(new_page, place, lang, viewport):
    page = new_page(lang=lang, viewport=viewport)
    found = audit(page, PUBLIC, place)
    # The join form after a submit with nothing filled in: errors must be readable too.
    page.goto("/voorkamer/join/")
    page.locator("main form.stack button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator(".errorlist").count() > 0
    found += blocking_violations(page)
    assert not found, "\n".join(found)


def test_member_pages_have_no_serious_accessibility_violations(new_page, live_server, place):
    page = logged_in(new_page, live_server, place["member"], lang="nl")
    assert not (found := audit(page, MEMBER, place)), "\n".join(found)


def test_staff_pages_have_no_serious_accessibility_violations(new_page, live_server, place):
    page = logged_in(new_page, live_server, place["coordinator"], lang="nl")
    assert not (found := audit(page, STAFF_PAGES, place)), "\n".join(found)


def test_a_title_shown_in_another_language_says_which(new_page, place):
    page = new_page(lang="ar")
    page.goto("/voorkamer/")
    assert page.get_by_role("link", name="Breicafé").get_attribute("lang") == "nl"
    assert page.get_by_role("link", name="قهوة وألعاب").first.get_attribute("lang") == "ar"
    # The week that holds the session: "tomorrow" is already next week on a Sunday.
    start = Session.objects.filter(activity_id=place["dutch_only"]).get().start
    page.goto(f"/voorkamer/week/?start={timezone.localdate(start).isoformat()}")
    assert page.locator(".week-item [lang=nl]", has_text="Breicafé").count() == 1
    page.goto(f"/voorkamer/activities/{place['project']}/")
    # The project's goal has no Arabic text, so the Dutch one is shown and marked as Dutch.
    assert page.get_by_text("Samen een wandkleed maken").get_attribute("lang") == "nl"


def test_a_member_signs_up_with_the_keyboard_alone(new_page, live_server, place):
    page = logged_in(new_page, live_server, place["member"], lang="nl")
    page.goto(f"/voorkamer/activities/{place['regular']}/")
    first = Session.objects.filter(activity_id=place["regular"]).order_by("start").first()
    signup = page.locator(f"#signup-{first.pk} form button[type=submit]")
    assert signup.count() == 1
    for _ in range(40):
        page.keyboard.press("Tab")
        if signup.evaluate("button => button === document.activeElement"):
            break
    else:
        raise AssertionError("Tab never reached the sign-up button")
    page.keyboard.press("Enter")
    page.locator(f"#signup-{first.pk} .message").wait_for()
    assert Registration.objects.filter(session=first, status="confirmed").count() == 1
    # The keyboard user is not thrown back to the top of the page: focus stays on the controls.
    assert page.evaluate(f"!!document.activeElement.closest('#signup-{first.pk}')")


def test_enrolling_from_a_later_calendar_card_updates_that_card(new_page, live_server, place):
    page = logged_in(new_page, live_server, place["member"], lang="nl")
    page.goto("/voorkamer/")
    cards = page.locator(f"[id^='enrol-{place['project']}-']:not([id$='-action'])")
    assert cards.count() >= 2
    second_id = cards.nth(1).get_attribute("id")
    page.locator(f"#{second_id} form[action$='/enrol/'] button").click()
    page.locator(f"#{second_id} form[action$='/leave/']").wait_for()
    assert page.locator(f"#{second_id} .message[role=status]").count() == 1
    # The first card was not swapped in its place (it still offers to join).
    assert cards.first.locator("form[action$='/enrol/']").count() == 1
    assert Registration.objects.filter(activity_id=place["project"], status="confirmed").count() == 1


def test_the_forms_about_yourself_let_the_browser_fill_in_your_details(new_page, live_server, place):
    """WCAG 1.3.5: fields asking for the visitor's own details say what they hold."""
    own_fields = """() => Object.fromEntries([...document.querySelectorAll(
        'main input[name=display_name], main input[name=username], main input[name=password],'
        + ' main input[name=email], main input[name=phone]')].map(i => [i.name, i.autocomplete]))"""
    page = new_page(lang="nl")
    page.goto("/voorkamer/join/")
    assert page.evaluate(own_fields) == {
        "display_name": "nickname", "username": "username", "password": "new-password",
        "email": "email", "phone": "tel",
    }
    page = logged_in(new_page, live_server, place["member"], lang="nl")
    page.goto("/voorkamer/me/")
    assert page.evaluate(own_fields) == {"display_name": "nickname", "email": "email", "phone": "tel"}
    # The navigation says which of its pages is open.
    assert page.locator("nav.main-nav a[aria-current=page]").get_attribute("href") == "/voorkamer/me/"


def test_each_sign_up_button_on_the_calendar_says_which_session_it_is_for(new_page, live_server, place):
    page = logged_in(new_page, live_server, place["member"], lang="nl")
    page.goto("/voorkamer/")
    first = Session.objects.filter(activity_id=place["regular"]).order_by("start").first()
    button = page.locator(f"#signup-{first.pk}-action")
    expect(button).to_have_accessible_name("Aanmelden")
    expect(button).to_have_accessible_description(re.compile(r"^Koffie & spelletjes \d{1,2}[:.]\d\d"))


@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_every_page_reflows_into_320_pixels(new_page, live_server, place, lang):
    """WCAG 1.4.10: at 320 CSS px (a 1280 px screen zoomed to 400 %) nothing scrolls sideways;
    a wide table may scroll inside its own box."""
    page = logged_in(new_page, live_server, place["coordinator"], lang=lang, viewport="phone")
    page.set_viewport_size({"width": 320, "height": 640})
    wide = []
    for path in [*PUBLIC, *MEMBER, *STAFF]:
        page.goto(path.format(**place))
        if (width := page.evaluate("document.documentElement.scrollWidth")) > 320:
            wide.append(f"{path}: {width}px")
    assert not wide, "\n".join(wide)
