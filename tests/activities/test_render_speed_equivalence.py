"""The cheaper render prints what the per-card template filters and tags printed before.

The calendar and activity pages now get their times, titles, title languages and prices as
strings worked out once per page (`selectors.add_card_display`) and the sign-up controls'
state from one tag (`signup_state`, which reverses each URL pattern once per request). These
tests render the old template expressions on the same data and compare, so a difference in
format, time zone, language fallback or URL shows up here.
"""

from __future__ import annotations

import re

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from tests.activities.calendar_support import NOW, add_session, make_session, titled, url
from tests.conftest import make_user, person_of
from verbinding.accounts.models import Role
from verbinding.activities import selectors
from verbinding.attendance import services as attendance

pytestmark = pytest.mark.django_db

OLD_CARD = Template(
    "{% load content_lang calendar_tags l10n %}"
    "{{ s.start|date:'c' }}|{{ s.start|time }}|{{ s.end|date:'c' }}|{{ s.end|time }}|"
    "{{ s.start|date:'l j F' }}|{{ s.activity.title|text_lang:languages }}|"
    "{{ s.activity.title_text }}|{% localize on %}{{ s.activity.cost_cents|money }}{% endlocalize %}"
)
NEW_CARD = Template(
    "{{ s.start_iso }}|{{ s.start_time }}|{{ s.end_iso }}|{{ s.end_time }}|{{ s.start_day }}|"
    "{{ s.activity.card_title_lang }}|{{ s.activity.card_title }}|{{ s.activity.card_money }}"
)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _varied_sessions(initiative):
    """Sessions at awkward times (midnight, before and after the DST change of 30 March), an
    activity titled only in Dutch (a fallback on other pages), one with a price, a cancelled one."""
    tea = make_session(initiative, days=1, hour=0, title=titled("Tea <b>"))
    add_session(tea.activity, days=27, hour=23)  # after the clocks go forward
    make_session(initiative, days=2, hour=9, title={"nl": "Alleen Nederlands"})
    make_session(initiative, days=3, hour=13, title=titled("Paid"), cost="amount", cost_cents=1250)
    make_session(initiative, days=4, hour=19, status="cancelled", title=titled("Off"))


@pytest.mark.parametrize("lang", ["nl", "en", "ar"])
@pytest.mark.parametrize("zone", ["Europe/Amsterdam", "America/Sao_Paulo"])
def test_the_card_strings_worked_out_once_equal_what_the_template_filters_printed(
    initiative, lang, zone
):
    _varied_sessions(initiative)
    with translation.override(lang), timezone.override(zone):
        sessions = selectors.list_public_sessions(
            initiative, start=NOW, end=NOW + (NOW - NOW.replace(month=2)), viewer=None
        )
        selectors.add_card_display(sessions, initiative)
        assert len(sessions) == 5
        for s in sessions:
            context = {"s": s, "languages": initiative.languages}
            assert NEW_CARD.render(Context(context)) == OLD_CARD.render(Context(context))


@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_the_calendar_cards_show_the_times_titles_and_title_languages_of_the_old_filters(
    client, initiative, lang
):
    _varied_sessions(initiative)
    client.cookies["verbinding_language"] = lang
    html = client.get(url("calendar")).content.decode()
    with translation.override(lang):
        sessions = selectors.list_public_sessions(
            initiative, start=NOW, end=NOW + (NOW - NOW.replace(month=2)), viewer=None
        )
        for s in sessions:
            old = Template(
                "{% load content_lang %}"
                "<time datetime=\"{{ s.start|date:'c' }}\">{{ s.start|time }}</time>–"
                "<time datetime=\"{{ s.end|date:'c' }}\">{{ s.end|time }}</time>"
                "|id=\"session-{{ s.pk }}-title\" dir=\"auto\" "
                "lang=\"{{ s.activity.title|text_lang:languages }}\"|{{ s.activity.title_text }}"
            ).render(Context({"s": s, "languages": initiative.languages}))
            for piece in old.split("|"):
                assert piece in html
    assert "Tea &lt;b&gt;" in html and "<b>" not in html.split("<main", 1)[-1]


def _form_actions(html: str, pk: int) -> list[str]:
    block = re.search(rf'<div class="signup-controls" id="signup-{pk}">(.*?)\n</div>', html, re.S)
    assert block, f"no sign-up controls for session {pk}"
    return re.findall(r'(?:action|hx-post|href)="([^"#][^"]*)"', block.group(1))


def test_each_cards_sign_up_forms_post_to_the_urls_of_their_own_session(client, initiative):
    user = make_user(initiative, "nour", Role.Name.MEMBER)
    joined = make_session(initiative, days=1, title=titled("Joined"))
    other = make_session(initiative, days=2, title=titled("Other"))
    attendance.sign_up(session=joined, person=person_of(user, initiative), by=user)
    client.force_login(user)
    html = client.get(url("calendar")).content.decode()
    slug = {"initiative_slug": initiative.slug}
    cancel = reverse("attendance:session-cancel-signup", kwargs={**slug, "pk": joined.pk})
    signup = reverse("attendance:session-signup", kwargs={**slug, "pk": other.pk})
    assert set(_form_actions(html, joined.pk)) == {cancel}
    assert set(_form_actions(html, other.pk)) == {signup}


def test_a_coordinator_gets_the_who_is_coming_link_of_each_session(client, initiative):
    user = make_user(initiative, "coord", Role.Name.COORDINATOR)
    first = make_session(initiative, days=1, title=titled("One"))
    second = make_session(initiative, days=2, title=titled("Two"))
    client.force_login(user)
    html = client.get(url("calendar")).content.decode()
    for s in (first, second):
        who = reverse("attendance:session-registrations",
                      kwargs={"initiative_slug": initiative.slug, "pk": s.pk})
        assert who in _form_actions(html, s.pk)
