"""The public calendar (list view): what it shows, to whom, paging and htmx."""

from __future__ import annotations

import pytest
import time_machine

from tests.activities.calendar_support import NOW, add_session, make_session, titled, url
from tests.factories import ActivityFactory, PersonFactory
from verbinding.activities.models import Activity

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def page(client, **params):
    response = client.get(url("calendar"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_calendar_lists_the_coming_sessions_grouped_by_day_in_time_order(client, initiative):
    make_session(initiative, days=1, hour=20, title=titled("Late"))
    make_session(initiative, days=1, hour=9, title=titled("Early"))
    make_session(initiative, days=8, title=titled("Next week"))
    html = page(client)
    assert html.index("Early (nl)") < html.index("Late (nl)") < html.index("Next week (nl)")
    # one heading per day with sessions, in Dutch (the default language)
    assert html.count('class="day-heading"') == 2
    assert "dinsdag 4 maart" in html and "dinsdag 11 maart" in html


def test_calendar_shows_four_weeks_and_not_what_comes_after(client, initiative):
    make_session(initiative, days=27, title=titled("Inside"))
    make_session(initiative, days=28, title=titled("Outside"))
    make_session(initiative, days=-1, title=titled("Yesterday"))
    html = page(client)
    assert "Inside (nl)" in html
    assert "Outside (nl)" not in html
    assert "Yesterday (nl)" not in html


def test_calendar_pages_forward_and_back_by_four_weeks(client, initiative):
    make_session(initiative, days=30, title=titled("Later"))
    make_session(initiative, days=-20, title=titled("Earlier"))
    html = page(client)
    assert 'href="/voorkamer/?start=2025-03-31"' in html
    assert 'href="/voorkamer/?start=2025-02-03"' in html
    later = page(client, start="2025-03-31")
    assert "Later (nl)" in later and "Earlier" not in later
    earlier = page(client, start="2025-02-03")
    assert "Earlier (nl)" in earlier and "Later" not in earlier


def test_paging_links_keep_the_filters(client, initiative):
    html = page(client, free="1", kind="regular")
    assert 'href="/voorkamer/?start=2025-03-31&amp;free=1&amp;kind=regular"' in html


def test_calendar_shows_a_cancelled_session_struck_through_instead_of_hiding_it(client, initiative):
    session = make_session(initiative, status="cancelled", title=titled("Called off"))
    html = page(client)
    assert "<del>Called off (nl)</del>" in html
    assert f'id="signup-{session.pk}"' not in html  # no sign-up for a cancelled session


def test_calendar_never_shows_draft_or_archived_activities(client, initiative, coordinator):
    draft = ActivityFactory(initiative=initiative, status=Activity.Status.DRAFT, title=titled("Draft"))
    archived = ActivityFactory(
        initiative=initiative, status=Activity.Status.ARCHIVED, title=titled("Archived")
    )
    add_session(draft, days=1)
    add_session(archived, days=1)
    make_session(initiative, title=titled("Published"))
    for viewer in (None, coordinator):
        if viewer:
            client.force_login(viewer)
        html = page(client)
        assert "Published (nl)" in html
        assert "Draft (nl)" not in html
        assert "Archived (nl)" not in html


def test_members_only_activities_are_hidden_from_the_public_and_shown_to_members(
    client, initiative, newcomer, kiosk, outsider
):
    make_session(initiative, audience=Activity.Audience.MEMBERS, title=titled("Members night"))
    assert "Members night" not in page(client)
    for not_a_member in (kiosk, outsider):
        client.force_login(not_a_member)
        assert "Members night" not in page(client)
    client.force_login(newcomer)
    assert "Members night (nl)" in page(client)


def test_women_only_activities_are_public_and_marked(client, initiative):
    make_session(initiative, audience=Activity.Audience.WOMEN, title=titled("Women's swim"))
    html = page(client)
    assert "Women&#x27;s swim (nl)" in html
    assert "badge-accent" in html


def test_calendar_never_shows_another_initiatives_sessions(client, initiative, other_initiative):
    make_session(other_initiative, title=titled("Elsewhere"))
    make_session(initiative, title=titled("Here"))
    html = page(client)
    assert "Here (nl)" in html and "Elsewhere" not in html


def test_calendar_never_shows_a_person_to_anonymous_visitors(client, initiative):
    organiser = PersonFactory(initiative=initiative, display_name="Zerihun Organiser")
    session = make_session(initiative, title=titled("Café"))
    session.activity.organisers.add(organiser)
    html = page(client)
    assert "Café (nl)" in html
    assert "Zerihun" not in html


def test_hostile_titles_are_escaped(client, initiative):
    make_session(initiative, title={"nl": "<script>alert(1)</script>\u202eevil"})
    html = page(client)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_title_missing_in_the_visitors_language_falls_back(client, initiative):
    make_session(initiative, title={"nl": "Alleen Nederlands"})
    client.cookies["verbinding_language"] = "ar"
    assert "Alleen Nederlands" in page(client)


def test_htmx_filter_request_renders_only_the_results(client, initiative):
    make_session(initiative, cost=Activity.Cost.FREE, title=titled("Free one"))
    response = client.get(
        url("calendar"), {"free": "1"},
        headers={"HX-Request": "true", "HX-Target": "calendar-results"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'class="filters"' not in html
    assert "Free one (nl)" in html
    assert 'href="/voorkamer/?start=2025-03-31&amp;free=1"' in html  # paging keeps the filter
    assert 'href="/voorkamer/week/?free=1"' in html  # so does switching to the week view
    assert "HX-Request" in response["Vary"]


def test_a_request_without_htmx_renders_the_whole_page_with_the_filter_form(client, initiative):
    html = page(client, free="1")
    assert "<html" in html
    assert 'class="filters"' in html and 'hx-get="/voorkamer/"' in html
    assert 'name="free" value="1" checked' in html


def test_the_calendar_links_each_session_to_its_activity_page(client, initiative):
    session = make_session(initiative)
    assert f'href="/voorkamer/activities/{session.activity_id}/"' in page(client)


def test_a_project_session_on_the_calendar_offers_the_enrol_controls(client, initiative):
    session = make_session(initiative, kind=Activity.Kind.PROJECT, title=titled("Mural"))
    add_session(session.activity, days=9)
    html = page(client)
    # One set per session card, each with its own id (an id is unique on a page).
    assert html.count(f'id="enrol-{session.activity_id}-') == 2
    assert f'id="enrol-{session.activity_id}-{session.pk}"' in html
    assert f'id="signup-{session.pk}"' not in html


def test_sessions_of_the_same_activity_are_all_listed(client, initiative):
    activity = ActivityFactory(
        initiative=initiative, kind=Activity.Kind.REGULAR, title=titled("Weekly")
    )
    for days in (1, 8, 15, 22):
        add_session(activity, days=days)
    assert page(client).count("Weekly (nl)") == 4
