"""The host's welcome and the personal card, in Debian's Chromium, on a 10" tablet and a
390 px phone, in Dutch and Arabic:

1. the host panel is open when a first-time visitor checks in; within a few seconds (htmx
   polling) the visitor appears, highlighted, with what they like and the languages they
   speak, and the host ticks "welcomed";
2. a coordinator registers someone without email or phone, checks them in, and prints their
   card: the print page is rendered to a credit-card-sized PDF, rasterised at 300 dpi, and its
   QR code decodes to the card's token.

With SCREENSHOTS=1 the pages (and the card's PDF as PNG) are saved in ./screenshots/.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
import zxingcpp
from django.utils import timezone

from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import SHOTS, login, shot
from tests.factories import ActivityFactory, InitiativeFactory, SessionFactory
from verbinding.attendance.checkin import check_in
from verbinding.attendance.models import CheckIn
from verbinding.people.models import ConsentRecord, MemberCard, Person, PersonLanguage

CASES = [("tablet", "nl"), ("tablet", "ar"), ("phone", "nl"), ("phone", "ar")]
IDS = [f"{viewport}-{lang}" for viewport, lang in CASES]


@pytest.fixture
def place(transactional_db):
    initiative = InitiativeFactory(slug="voorkamer", name="De Voorkamer", district="Lombok")
    # Started a minute ago: "today" in Utrecht whatever the hour.
    start = (timezone.now() - dt.timedelta(minutes=1)).replace(microsecond=0)
    cafe = ActivityFactory(
        initiative=initiative, kind="one_off", first_start=start,
        title={"nl": "Taalcafé Nederlands", "en": "Dutch language café",
               "ar": "مقهى اللغة الهولندية"},
    )
    session = SessionFactory(activity=cafe, start=start)
    host = make_user(initiative, "hanna", "host", "member", display_name="Hanna")
    coordinator = make_user(initiative, "coco", "coordinator", "member", display_name="Coco")
    regular = Person.objects.create(initiative=initiative, display_name="Joost")
    earlier = SessionFactory(activity=ActivityFactory(initiative=initiative,
                                                      first_start=start - dt.timedelta(days=7)))
    check_in(session=earlier, person=regular, at=start - dt.timedelta(days=7))
    check_in(session=session, person=regular)
    return {"initiative": initiative, "session": session, "host": host,
            "coordinator": coordinator}


@pytest.mark.parametrize(("viewport", "lang"), CASES, ids=IDS)
def test_the_host_panel_shows_a_first_time_visitor_within_seconds(new_page, place, viewport, lang):
    page = new_page(viewport=viewport, lang=lang)
    login(page, "voorkamer", place["host"].username, PASSWORD)
    page.goto("/voorkamer/manage/welcome/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    page.locator(".arrival", has_text="Joost").wait_for()
    assert page.locator(".arrival.is-first").count() == 0
    # Wait for htmx to have started polling, then someone new taps their name at the kiosk.
    page.wait_for_function("() => window.htmx !== undefined")
    name = "رحاب" if lang == "ar" else "Rahel"
    newcomer = Person.objects.create(initiative=place["initiative"], display_name=name,
                                     interests=["music", "food"], talents=["cooking"])
    PersonLanguage.objects.create(person=newcomer, language="ti", level="fluent")
    PersonLanguage.objects.create(person=newcomer, language="ar", level="good")
    began = time.monotonic()
    check_in(session=place["session"], person=newcomer)
    first = page.locator(".arrival.is-first", has_text=name)
    first.wait_for(timeout=9_000)
    seen_after = time.monotonic() - began
    assert seen_after < 8, f"the new visitor appeared after {seen_after:.1f} s"
    print(f"\nwelcome panel ({viewport}, {lang}): first-time visitor shown {seen_after:.1f} s after check-in")
    text = first.inner_text()
    expected = {"ar": ("الزيارة الأولى", "التغرينية", "الموسيقى"),
                "nl": ("Eerste bezoek", "Tigrinya", "Muziek")}[lang]
    for words in expected:
        assert words in text, f"{words!r} not in {text!r}"
    # Newest first.
    assert page.locator(".arrival").first.inner_text().startswith(name)
    # The page never scrolls sideways on this screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1
    shot(page, f"welcome-panel-{lang}-{viewport}")
    first.locator("button[type=submit]").click()
    page.locator(".arrival.is-first.is-welcomed", has_text=name).wait_for()
    checkin = CheckIn.objects.get(person=newcomer)
    assert checkin.welcomed_by == place["host"] and checkin.welcomed_at is not None
    shot(page, f"welcome-panel-welcomed-{lang}-{viewport}")


def read_pgm(path: Path) -> np.ndarray:
    """A binary greyscale PGM (P5), as pdftoppm -gray writes it (Pillow is not needed)."""
    data = path.read_bytes()
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    magic, width, height, maxval = fields[0], int(fields[1]), int(fields[2]), int(fields[3])
    assert magic == b"P5" and maxval == 255
    pixels = np.frombuffer(data, dtype=np.uint8, count=width * height, offset=pos + 1)
    return pixels.reshape(height, width)


@pytest.mark.parametrize(("viewport", "lang"), CASES, ids=IDS)
def test_a_coordinator_registers_someone_without_email_and_prints_their_card(
    new_page, place, viewport, lang, tmp_path
):
    page = new_page(viewport=viewport, lang=lang)
    login(page, "voorkamer", place["coordinator"].username, PASSWORD)
    page.goto("/voorkamer/manage/welcome/register/")
    name = "سلمى" if lang == "ar" else "Selma"
    page.fill("input[name=display_name]", name)
    page.select_option("select[name=preferred_language]", lang)
    agreement = page.locator(".agreement:visible")
    assert agreement.count() == 1 and agreement.get_attribute("lang") == lang
    page.check("input[name=consent_profile]")
    page.check("input[name=consent_card]")
    page.locator("details.more summary").first.click()
    page.select_option("select[name=speaks_ti]", "fluent")
    page.check("input[name=interests][value=music]")
    page.select_option("select[name=check_in_session]", str(place["session"].pk))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1
    shot(page, f"welcome-register-{lang}-{viewport}")
    page.locator("form.register-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/voorkamer/manage/people/\d+/card/$"))
    person = Person.objects.get(display_name=name)
    assert person.user is None and person.email == "" and person.phone == ""
    assert set(ConsentRecord.objects.filter(person=person).values_list("purpose", flat=True)) == {
        "profile", "card"}
    assert CheckIn.objects.filter(person=person, session=place["session"]).exists()
    shot(page, f"welcome-card-page-{lang}-{viewport}")

    page.locator("a[href*='/manage/cards/']").click()
    page.wait_for_url(re.compile(r"/voorkamer/manage/cards/\d+/print/$"))
    card = MemberCard.objects.get(person=person, revoked_at__isnull=True)
    assert card.token not in page.url
    member_card = page.locator("article.member-card")
    assert member_card.get_attribute("lang") == lang
    assert member_card.get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert page.locator("button[data-print]").is_visible()
    box = member_card.bounding_box()
    assert abs(box["width"] - 85.6 / 25.4 * 96) < 2 and abs(box["height"] - 54 / 25.4 * 96) < 2
    shot(page, f"welcome-card-print-{lang}-{viewport}")

    pdf = tmp_path / "card.pdf"
    page.pdf(path=str(pdf), width="85.6mm", height="54mm", print_background=True)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    subprocess.run(["pdftoppm", "-png", "-r", "300", "-singlefile", str(pdf),
                    str(tmp_path / "card")], check=True)
    subprocess.run(["pdftoppm", "-gray", "-r", "300", "-singlefile", str(pdf),
                    str(tmp_path / "card")], check=True)
    image = read_pgm(tmp_path / "card.pgm")
    # Credit-card size at 300 dpi, within 0.7 mm (Chromium rounds the page to whole points).
    height, width = image.shape
    assert abs(height - 54 / 25.4 * 300) <= 8 and abs(width - 85.6 / 25.4 * 300) <= 8, image.shape
    codes = zxingcpp.read_barcodes(image)
    assert [code.text for code in codes] == [card.token]
    assert codes[0].format == zxingcpp.BarcodeFormat.QRCode
    if os.environ.get("SCREENSHOTS"):
        SHOTS.mkdir(exist_ok=True)
        shutil.copy(tmp_path / "card.png", SHOTS / f"welcome-card-pdf-{lang}-{viewport}.png")
