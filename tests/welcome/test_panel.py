"""The host's welcome panel: today's arrivals, first-time visitors with what they like and the
languages they speak, the "welcomed" tick, the guest count, and the audit trail it leaves."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from tests.conftest import make_user, person_of
from tests.welcome.conftest import NOW, make_session, url
from verbinding.attendance.checkin import check_in, count_guest, is_first_visit
from verbinding.attendance.models import CheckIn
from verbinding.core.models import AuditEntry
from verbinding.people.models import Person, PersonLanguage
from verbinding.welcome import selectors

pytestmark = pytest.mark.django_db


def newcomer_person(initiative, name="Rahel", **fields):
    person = Person.objects.create(initiative=initiative, display_name=name,
                                   interests=["music", "food"], talents=["cooking"],
                                   email="rahel@example.org", phone="+31 6 1234 5678", **fields)
    PersonLanguage.objects.create(person=person, language="ti", level="fluent")
    PersonLanguage.objects.create(person=person, language="en", level="basic")
    PersonLanguage.objects.create(person=person, language="nl", kind="wants", level="basic")
    return person


def test_the_panel_shows_a_first_time_visitor_with_likes_and_languages(
    client, host, initiative, today_session
):
    person = newcomer_person(initiative)
    check_in(session=today_session, person=person)
    client.force_login(host)
    page = client.get(url("welcome:panel")).content.decode()
    assert "Rahel" in page
    assert "First visit" in page
    assert "Language café" in page
    assert "Tigrinya · Fluently / mother tongue" in page
    assert "English · A little" in page
    assert "Music" in page and "Food and cooking" in page  # interests, vocabulary labels
    assert "Cooking" in page  # talent
    assert 'hx-trigger="every 5s"' in page
    assert url("welcome:arrivals") in page
    # Never contact data, and a language they want to learn is not one they speak.
    assert "rahel@example.org" not in page and "1234" not in page
    assert "Dutch · A little" not in page


def test_the_panel_never_shows_group_or_gender(client, host, newcomer, initiative, today_session):
    check_in(session=today_session, person=person_of(newcomer, initiative))
    client.force_login(host)
    page = client.get(url("welcome:panel")).content.decode()
    assert "أمل" in page
    for word in ("New in the Netherlands", "Woman", "newcomer", "woman", "Gender", "Group"):
        assert word not in page


def test_a_returning_visitor_is_listed_without_the_first_visit_details(
    client, host, initiative, today_session, yesterday_session
):
    person = newcomer_person(initiative, name="Yonas")
    check_in(session=yesterday_session, person=person, at=NOW - dt.timedelta(days=1))
    check_in(session=today_session, person=person)
    client.force_login(host)
    page = client.get(url("welcome:panel")).content.decode()
    assert "Yonas" in page
    assert "First visit" not in page
    assert "Tigrinya" not in page  # details are for greeting newcomers, not for everyone
    assert "Coffee night" not in page  # yesterday is history


def test_only_today_in_the_initiatives_time_zone_newest_first(client, host, initiative):
    # 00:30 today in Utrecht is 23:30 yesterday in UTC; 00:30 tomorrow is 23:30 today in UTC.
    early = make_session(initiative, dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC),
                         title={"en": "Night owls"})
    late = make_session(initiative, dt.datetime(2026, 12, 1, 23, 30, tzinfo=dt.UTC),
                        title={"en": "Tomorrow early"})
    first = Person.objects.create(initiative=initiative, display_name="Early Bird")
    second = Person.objects.create(initiative=initiative, display_name="Later Arrival")
    third = Person.objects.create(initiative=initiative, display_name="Not Today")
    check_in(session=early, person=first, at=NOW - dt.timedelta(hours=2))
    check_in(session=early, person=second, at=NOW - dt.timedelta(hours=1))
    check_in(session=late, person=third)
    arrivals = selectors.list_arrivals_today(initiative=initiative)
    assert [row.person.display_name for row in arrivals] == ["Later Arrival", "Early Bird"]
    client.force_login(host)
    page = client.get(url("welcome:panel")).content.decode()
    assert page.index("Later Arrival") < page.index("Early Bird")
    assert "Not Today" not in page


def test_first_visit_on_the_panel_is_the_check_in_services_rule(
    initiative, other_initiative, today_session, yesterday_session
):
    people = [Person.objects.create(initiative=initiative, display_name=f"P{i}") for i in range(4)]
    check_in(session=yesterday_session, person=people[0], at=NOW - dt.timedelta(days=1))
    # An earlier visit at ANOTHER session today also counts as "seen before".
    other_today = make_session(initiative, NOW - dt.timedelta(hours=3))
    check_in(session=other_today, person=people[1], at=NOW - dt.timedelta(hours=3))
    for person in people:
        check_in(session=today_session, person=person)
    arrivals = selectors.list_arrivals_today(initiative=initiative)
    assert len(arrivals) == 5
    for row in arrivals:
        assert row.first_visit == is_first_visit(row), row.person.display_name
    flags = {(row.person.display_name, row.session_id): row.first_visit for row in arrivals}
    assert flags[("P0", today_session.pk)] is False
    assert flags[("P1", other_today.pk)] is True
    assert flags[("P1", today_session.pk)] is False
    assert flags[("P2", today_session.pk)] is True


def test_guests_of_today_are_counted_not_named(client, host, initiative, today_session,
                                                yesterday_session):
    count_guest(session=today_session)
    count_guest(session=today_session, group="newcomer", count=3)
    count_guest(session=yesterday_session, count=7)
    assert selectors.count_guests_today(initiative=initiative) == 4
    client.force_login(host)
    page = client.get(url("welcome:panel")).content.decode()
    assert "<strong>4</strong> guests without an account" in page


def test_the_arrivals_fragment_is_the_list_alone_for_htmx(client, host, initiative, today_session):
    check_in(session=today_session, person=newcomer_person(initiative))
    client.force_login(host)
    response = client.get(url("welcome:arrivals"), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="arrivals"')
    assert "<html" not in body
    assert "Rahel" in body
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]


def test_an_expired_login_during_polling_reloads_the_page_to_log_in(client, initiative):
    response = client.get(url("welcome:arrivals"), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert "/login/" in response["HX-Redirect"]


def test_welcomed_is_a_tick_with_who_and_when(client, host, initiative, today_session):
    result = check_in(session=today_session, person=newcomer_person(initiative))
    client.force_login(host)
    response = client.post(url("welcome:welcomed", pk=result.checkin.pk),
                           {"note": "should be ignored"})
    assert response.status_code == 302
    checkin = CheckIn.objects.get(pk=result.checkin.pk)
    assert checkin.welcomed_by == host
    assert checkin.welcomed_at is not None
    page = client.get(url("welcome:panel")).content.decode()
    assert "Welcomed at" in page


def test_welcomed_twice_keeps_the_first_tick(client, host, coordinator, initiative, today_session):
    result = check_in(session=today_session, person=newcomer_person(initiative))
    client.force_login(host)
    client.post(url("welcome:welcomed", pk=result.checkin.pk))
    first = CheckIn.objects.get(pk=result.checkin.pk).welcomed_at
    client.force_login(coordinator)
    client.post(url("welcome:welcomed", pk=result.checkin.pk))
    checkin = CheckIn.objects.get(pk=result.checkin.pk)
    assert checkin.welcomed_by == host and checkin.welcomed_at == first


def test_welcomed_by_htmx_answers_with_the_updated_list(client, host, initiative, today_session):
    result = check_in(session=today_session, person=newcomer_person(initiative))
    client.force_login(host)
    response = client.post(url("welcome:welcomed", pk=result.checkin.pk),
                           headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="arrivals"')
    assert "Welcomed at" in body


def test_welcomed_refuses_a_check_in_of_another_day(client, host, initiative, yesterday_session):
    result = check_in(session=yesterday_session, person=newcomer_person(initiative),
                      at=NOW - dt.timedelta(days=1))
    client.force_login(host)
    assert client.post(url("welcome:welcomed", pk=result.checkin.pk)).status_code == 404
    assert CheckIn.objects.get(pk=result.checkin.pk).welcomed_at is None


def test_welcomed_needs_post(client, host, initiative, today_session):
    result = check_in(session=today_session, person=newcomer_person(initiative))
    client.force_login(host)
    assert client.get(url("welcome:welcomed", pk=result.checkin.pk)).status_code == 405


# --- Audit: once per staff user, person and day ---------------------------------------------

def panel_rows(person=None):
    rows = AuditEntry.objects.filter(action=AuditEntry.Action.PROFILE_VIEW, view="welcome:panel")
    return rows.filter(subject_person_id=person.pk) if person else rows


def test_the_panel_audits_each_person_once_per_staff_user_and_day(
    client, host, coordinator, initiative, today_session
):
    rahel = newcomer_person(initiative)
    check_in(session=today_session, person=rahel)
    client.force_login(host)
    client.get(url("welcome:panel"))
    for _poll in range(5):
        client.get(url("welcome:arrivals"), headers={"HX-Request": "true"})
    assert panel_rows(rahel).count() == 1
    row = panel_rows(rahel).get()
    assert row.actor == host and row.initiative == initiative
    assert row.detail == {}  # no name, no token, nothing but the fact of the read
    # A second person arriving is audited on the next poll, the first is not again.
    yonas = Person.objects.create(initiative=initiative, display_name="Yonas")
    check_in(session=today_session, person=yonas)
    client.get(url("welcome:arrivals"), headers={"HX-Request": "true"})
    assert panel_rows(yonas).count() == 1 and panel_rows(rahel).count() == 1
    # Another staff user's read is their own row.
    client.force_login(coordinator)
    client.get(url("welcome:panel"))
    assert panel_rows(rahel).count() == 2
    assert set(panel_rows(rahel).values_list("actor__username", flat=True)) == {"hanna", "coco"}


def test_the_panel_audits_again_on_the_next_day(client, host, initiative):
    late = make_session(initiative, dt.datetime(2026, 12, 1, 22, 0, tzinfo=dt.UTC))  # 23:00 local
    rahel = newcomer_person(initiative)
    check_in(session=late, person=rahel, at=dt.datetime(2026, 12, 1, 22, 5, tzinfo=dt.UTC))
    client.force_login(host)
    with time_machine.travel(dt.datetime(2026, 12, 1, 22, 50, tzinfo=dt.UTC), tick=False):
        client.get(url("welcome:panel"))
        client.get(url("welcome:panel"))
    assert panel_rows(rahel).count() == 1
    # 00:10 the next day in Utrecht (still 1 December in UTC): a new day, nobody to show.
    with time_machine.travel(dt.datetime(2026, 12, 1, 23, 10, tzinfo=dt.UTC), tick=False):
        page = client.get(url("welcome:panel")).content.decode()
    assert "Rahel" not in page
    assert panel_rows(rahel).count() == 1
    # A check-in on the new day is read again: one new row for the new day.
    tomorrow = make_session(initiative, dt.datetime(2026, 12, 2, 18, 0, tzinfo=dt.UTC))
    check_in(session=tomorrow, person=rahel, at=dt.datetime(2026, 12, 2, 18, 0, tzinfo=dt.UTC))
    with time_machine.travel(dt.datetime(2026, 12, 2, 18, 10, tzinfo=dt.UTC), tick=False):
        client.get(url("welcome:panel"))
        client.get(url("welcome:panel"))
    assert panel_rows(rahel).count() == 2


def test_an_empty_panel_writes_no_audit_rows(client, host, initiative):
    client.force_login(host)
    page = client.get(url("welcome:panel")).content.decode()
    assert "Nobody has checked in yet today." in page
    assert not panel_rows().exists()


def test_the_poll_costs_a_fixed_number_of_queries(client, host, initiative, today_session,
                                                  django_assert_max_num_queries):
    for i in range(20):
        check_in(session=today_session, person=newcomer_person(initiative, name=f"N{i}"))
    client.force_login(host)
    client.get(url("welcome:arrivals"))  # the audit rows of the day are written once
    with django_assert_max_num_queries(10):
        response = client.get(url("welcome:arrivals"), headers={"HX-Request": "true"})
    assert response.content.decode().count("First visit") == 20


# --- Who may ---------------------------------------------------------------------------------

PANEL_URLS = ["welcome:panel", "welcome:arrivals", "welcome:register"]


@pytest.mark.parametrize("name", PANEL_URLS)
def test_hosts_and_coordinators_open_the_welcome_pages(client, host, coordinator, name):
    for user in (host, coordinator):
        client.force_login(user)
        assert client.get(url(name)).status_code == 200


@pytest.mark.parametrize("name", PANEL_URLS)
@pytest.mark.parametrize("role", ["member", "kiosk", "partner", "organiser", "volunteer"])
def test_other_roles_are_refused_the_welcome_pages(client, initiative, name, role):
    client.force_login(make_user(initiative, f"u-{role}", role))
    assert client.get(url(name)).status_code == 403


def test_others_cannot_tick_welcomed(client, initiative, organiser, kiosk, today_session):
    result = check_in(session=today_session, person=newcomer_person(initiative))
    for user in (organiser, kiosk):
        client.force_login(user)
        assert client.post(url("welcome:welcomed", pk=result.checkin.pk)).status_code == 403
    assert CheckIn.objects.get(pk=result.checkin.pk).welcomed_at is None


def test_a_staff_user_of_another_initiative_is_refused(client, outsider, initiative):
    client.force_login(outsider)
    assert client.get(url("welcome:panel")).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, initiative):
    response = client.get(url("welcome:panel"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_staff_need_a_second_factor(client, host, settings):
    settings.VERBINDING_REQUIRE_STAFF_2FA = True
    client.force_login(host)
    response = client.get(url("welcome:panel"))
    assert response.status_code == 302 and "two-factor" in response["Location"]


def test_a_poll_when_nothing_changed_is_an_empty_answer(client, host, initiative, today_session):
    rahel = newcomer_person(initiative)
    check_in(session=today_session, person=rahel)
    client.force_login(host)
    page = client.get(url("welcome:panel")).content.decode()
    version = re.search(r'arrivals/\?v=([^"]+)"', page).group(1)
    poll = client.get(url("welcome:arrivals") + f"?v={version}", headers={"HX-Request": "true"})
    assert poll.status_code == 204 and poll.content == b""
    # A new arrival, a tick or a guest changes the answer.
    yonas = Person.objects.create(initiative=initiative, display_name="Yonas")
    result = check_in(session=today_session, person=yonas)
    poll = client.get(url("welcome:arrivals") + f"?v={version}", headers={"HX-Request": "true"})
    assert poll.status_code == 200 and "Yonas" in poll.content.decode()
    version = re.search(r'arrivals/\?v=([^"]+)"', poll.content.decode()).group(1)
    client.post(url("welcome:welcomed", pk=result.checkin.pk))
    assert client.get(url("welcome:arrivals") + f"?v={version}").status_code == 200
    version = selectors.arrivals_fingerprint(initiative=initiative).version
    count_guest(session=today_session)
    assert client.get(url("welcome:arrivals") + f"?v={version}").status_code == 200
    version = selectors.arrivals_fingerprint(initiative=initiative).version
    assert client.get(url("welcome:arrivals") + f"?v={version}").status_code == 204
    # A poll that sent nothing showed nothing: no more audit rows than the first reads.
    assert panel_rows(rahel).count() == 1 and panel_rows(yonas).count() == 1


def test_an_unchanged_poll_costs_few_queries(client, host, initiative, today_session,
                                             django_assert_max_num_queries):
    for i in range(30):
        check_in(session=today_session, person=newcomer_person(initiative, name=f"N{i}"))
    client.force_login(host)
    version = selectors.arrivals_fingerprint(initiative=initiative).version
    with django_assert_max_num_queries(6):
        response = client.get(url("welcome:arrivals") + f"?v={version}",
                              headers={"HX-Request": "true"})
    assert response.status_code == 204
