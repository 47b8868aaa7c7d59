"""The kiosk at the door: today's sessions, tap your name, scan a card, count a guest."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import make_user, person_of
from tests.door.conftest import session_at
from verbinding.activities.models import Activity, Session
from verbinding.attendance.checkin import check_in
from verbinding.attendance.models import CheckIn, GuestTally
from verbinding.door.selectors import HeadCount
from verbinding.people.models import MemberCard, Person

pytestmark = pytest.mark.django_db


def url(name, initiative, session=None):
    kwargs = {"initiative_slug": initiative.slug}
    if session is not None:
        kwargs["pk"] = session.pk
    return reverse(f"door:{name}", kwargs=kwargs)


def followed(client, response):
    """The check-in screen after a write (post/redirect/get)."""
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode()


# --- today's sessions ------------------------------------------------------------------------


def test_the_kiosk_lists_todays_sessions_and_shows_a_cancelled_one_as_cancelled(
    kiosk_client, initiative, other_initiative, today_session, later_session
):
    now = timezone.now().replace(microsecond=0)
    cancelled = session_at(initiative, now - dt.timedelta(minutes=10),
                           title={"nl": "Kookavond", "en": "Cooking", "ar": "طبخ"})
    cancelled.status = Session.Status.CANCELLED
    cancelled.save()
    session_at(initiative, now, title={"nl": "Concept", "en": "Draft"}, status=Activity.Status.DRAFT)
    session_at(other_initiative, now, title={"nl": "Elders", "en": "Elsewhere"})
    html = kiosk_client.get(url("kiosk", initiative)).content.decode()
    assert url("session", initiative, today_session) in html
    assert url("session", initiative, cancelled) in html
    assert "is-cancelled" in html and "Kookavond" in html
    assert url("session", initiative, later_session) not in html
    assert "Concept" not in html and "Elders" not in html


def test_a_session_that_started_yesterday_and_still_goes_on_is_on_todays_list(kiosk_client, initiative):
    night = session_at(initiative, (timezone.now() - dt.timedelta(hours=30)).replace(microsecond=0),
                       minutes=60 * 32)  # the session runs longer than its activity says
    assert url("session", initiative, night) in kiosk_client.get(url("kiosk", initiative)).content.decode()


def test_the_kiosk_says_so_when_there_is_nothing_today(kiosk_client, initiative, later_session):
    html = kiosk_client.get(url("kiosk", initiative)).content.decode()
    assert "door-sessions" not in html
    assert reverse("activities:calendar", kwargs={"initiative_slug": initiative.slug}) in html


def test_the_check_in_screen_shows_the_count_but_no_list_of_names(
    kiosk_client, initiative, today_session, newcomer, local
):
    check_in(session=today_session, person=person_of(newcomer, initiative))
    GuestTally.objects.create(initiative=initiative, session=today_session, count=2)
    html = kiosk_client.get(url("session", initiative, today_session)).content.decode()
    assert "3 here now" in html or "3 nu hier" in html
    assert "أمل" not in html and "Joost" not in html


# --- the name search ------------------------------------------------------------------------


@pytest.fixture
def names(initiative, other_initiative):
    made = {}
    for name in ["Zoë de Vries", "Zoran", "Joost", "أمل", "Anne-Marie", "Jo"]:
        made[name] = Person.objects.create(initiative=initiative, display_name=name)
    made["gone"] = Person.objects.create(initiative=initiative, display_name="Zoe Gone",
                                         anonymised_at=timezone.now())
    made["elsewhere"] = Person.objects.create(initiative=other_initiative, display_name="Zoe Elders")
    return made


def search(client, initiative, session, q):
    response = client.get(url("search", initiative, session), {"q": q}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def test_the_name_search_needs_two_letters(kiosk_client, initiative, today_session, names):
    html = search(kiosk_client, initiative, today_session, "z")
    assert "Zoran" not in html
    assert "door-hint" in html


def test_the_name_search_ignores_case_and_accents_and_finds_word_starts(
    kiosk_client, initiative, today_session, names
):
    html = search(kiosk_client, initiative, today_session, "ZOE")
    assert "Zoë de Vries" in html
    assert "Zoran" not in html
    assert "Zoë de Vries" in search(kiosk_client, initiative, today_session, "vri")
    assert "Anne-Marie" in search(kiosk_client, initiative, today_session, "ANNE")
    assert "Anne-Marie" in search(kiosk_client, initiative, today_session, "mar")
    assert "Anne-Marie" in search(kiosk_client, initiative, today_session, "anne-m")


def test_the_name_search_folds_arabic_hamza(kiosk_client, initiative, today_session, names):
    assert "أمل" in search(kiosk_client, initiative, today_session, "امل")


def test_the_name_search_shows_only_this_initiatives_living_members(
    kiosk_client, initiative, today_session, names
):
    html = search(kiosk_client, initiative, today_session, "zo")
    assert "Zoë de Vries" in html and "Zoran" in html
    assert "Gone" not in html and "Elders" not in html


def test_the_name_search_shows_display_names_only(kiosk_client, initiative, today_session, newcomer):
    person = person_of(newcomer, initiative)
    person.email = "amal@example.org"
    person.phone = "0612345678"
    person.save()
    html = search(kiosk_client, initiative, today_session, "أم")
    assert "أمل" in html
    for secret in ("amal@example.org", "0612345678", "newcomer", "woman", "Nieuw in Nederland"):
        assert secret not in html


def test_the_name_search_shows_at_most_twelve(kiosk_client, initiative, today_session):
    for n in range(20):
        Person.objects.create(initiative=initiative, display_name=f"Sam {n:02d}")
    html = search(kiosk_client, initiative, today_session, "sa")
    assert html.count('name="person"') == 12


def test_the_search_works_without_javascript_in_the_page(kiosk_client, initiative, today_session, names):
    html = kiosk_client.get(url("session", initiative, today_session), {"q": "joo"}).content.decode()
    assert "Joost" in html
    assert url("checkin", initiative, today_session) in html


@pytest.mark.parametrize("q", [
    "x" * 100_000, "Jo\x00ost", "<script>alert(1)</script>", "\u202eJoost", "' OR 1=1 --", "%%__",
])
def test_hostile_or_huge_search_input_is_answered_calmly(kiosk_client, initiative, today_session, names, q):
    html = search(kiosk_client, initiative, today_session, q)
    assert "<script>alert" not in html
    assert "\x00" not in html and "\u202e" not in html
    page = kiosk_client.get(url("session", initiative, today_session), {"q": q})
    assert page.status_code == 200
    assert "<script>alert" not in page.content.decode()


# --- check in by name ------------------------------------------------------------------------


def test_tapping_a_name_checks_in_and_welcomes_a_first_time_visitor(
    kiosk_client, kiosk, initiative, today_session, local
):
    person = person_of(local, initiative)
    response = kiosk_client.post(url("checkin", initiative, today_session), {"person": person.pk})
    html = followed(kiosk_client, response)
    checkin = CheckIn.objects.get(session=today_session, person=person)
    assert checkin.method == "name"
    assert checkin.recorded_by == kiosk
    assert "Joost" in html and "door-outcome" in html and "is-first" in html
    # Shown once: a reload is the plain screen again.
    assert "door-outcome" not in kiosk_client.get(url("session", initiative, today_session)).content.decode()


def test_tapping_twice_is_idempotent_and_says_already_checked_in(
    kiosk_client, initiative, today_session, local
):
    person = person_of(local, initiative)
    kiosk_client.post(url("checkin", initiative, today_session), {"person": person.pk})
    kiosk_client.get(url("session", initiative, today_session))
    html = followed(kiosk_client, kiosk_client.post(url("checkin", initiative, today_session),
                                                    {"person": person.pk}))
    assert CheckIn.objects.filter(session=today_session, person=person).count() == 1
    assert "is-first" not in html
    assert "already checked in" in html or "al ingecheckt" in html


def test_a_returning_visitor_is_not_greeted_as_first_time(kiosk_client, initiative, today_session, local):
    person = person_of(local, initiative)
    earlier = session_at(initiative, timezone.now() - dt.timedelta(days=7))
    CheckIn.objects.create(initiative=initiative, session=earlier, person=person,
                           at=timezone.now() - dt.timedelta(days=7))
    html = followed(kiosk_client, kiosk_client.post(url("checkin", initiative, today_session),
                                                    {"person": person.pk}))
    assert "door-outcome" in html and "is-first" not in html


@pytest.mark.parametrize("person", ["", "abc", "-1", "0", "9" * 40, "1.5", "<b>1</b>", "\x00", "x" * 100_000])
def test_a_bad_person_id_checks_in_nobody(kiosk_client, initiative, today_session, person):
    html = followed(kiosk_client, kiosk_client.post(url("checkin", initiative, today_session),
                                                    {"person": person}))
    assert not CheckIn.objects.exists()
    assert "is-error" in html


def test_a_person_of_another_initiative_or_anonymised_is_not_checked_in(
    kiosk_client, initiative, today_session, outsider, other_initiative
):
    gone = Person.objects.create(initiative=initiative, display_name="Gone", anonymised_at=timezone.now())
    for pk in (person_of(outsider, other_initiative).pk, gone.pk):
        html = followed(kiosk_client, kiosk_client.post(url("checkin", initiative, today_session),
                                                        {"person": pk}))
        assert "is-error" in html
    assert not CheckIn.objects.exists()


def test_checking_in_to_a_cancelled_session_says_so_and_writes_nothing(
    kiosk_client, initiative, today_session, local
):
    today_session.status = Session.Status.CANCELLED
    today_session.save()
    page = kiosk_client.get(url("session", initiative, today_session)).content.decode()
    assert "door-stop" in page and url("checkin", initiative, today_session) not in page
    for name, data in (("checkin", {"person": person_of(local, initiative).pk}),
                       ("guest", {"group": "local"}), ("scan", {"token": "x" * 43})):
        html = followed(kiosk_client, kiosk_client.post(url(name, initiative, today_session), data))
        assert "is-error" in html and ("cancelled" in html or "afgelast" in html)
    assert not CheckIn.objects.exists() and not GuestTally.objects.exists()


def test_a_session_of_another_day_cannot_be_checked_in_at_the_kiosk(
    kiosk_client, initiative, later_session, local
):
    page = kiosk_client.get(url("session", initiative, later_session)).content.decode()
    assert url("checkin", initiative, later_session) not in page
    html = followed(kiosk_client, kiosk_client.post(url("checkin", initiative, later_session),
                                                    {"person": person_of(local, initiative).pk}))
    assert "is-error" in html
    kiosk_client.post(url("guest", initiative, later_session))
    assert not CheckIn.objects.exists() and not GuestTally.objects.exists()


# --- scan a card ------------------------------------------------------------------------------


@pytest.fixture
def card(initiative, newcomer):
    return MemberCard.objects.create(initiative=initiative, person=person_of(newcomer, initiative))


def test_scanning_a_live_card_checks_its_holder_in(kiosk_client, initiative, today_session, card):
    response = kiosk_client.post(url("scan", initiative, today_session), {"token": card.token + "\r\n"})
    html = followed(kiosk_client, response)
    checkin = CheckIn.objects.get(session=today_session)
    assert checkin.person == card.person and checkin.method == "card"
    assert "أمل" in html
    assert card.token not in html and card.token not in response["Location"]


def test_a_revoked_forged_or_foreign_card_checks_in_nobody(
    kiosk_client, initiative, other_initiative, today_session, card, outsider
):
    revoked = MemberCard.objects.create(
        initiative=initiative, person=Person.objects.create(initiative=initiative, display_name="Rik"),
        revoked_at=timezone.now(),
    )
    foreign = MemberCard.objects.create(initiative=other_initiative,
                                        person=person_of(outsider, other_initiative))
    for token in (revoked.token, foreign.token, card.token[:-2] + "xy", "A" * 43):
        response = kiosk_client.post(url("scan", initiative, today_session), {"token": token})
        html = followed(kiosk_client, response)
        assert "is-error" in html
        assert token not in html
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize("token", [
    "x" * 100_000, "abc\x00def" * 6, "<script>alert(1)</script>", "\u202e" + "a" * 42, "", " ",
    "' OR '1'='1", "../../etc/passwd",
])
def test_hostile_or_huge_tokens_check_in_nobody(kiosk_client, initiative, today_session, card, token):
    html = followed(kiosk_client, kiosk_client.post(url("scan", initiative, today_session), {"token": token}))
    assert "is-error" in html and "<script>alert" not in html
    assert not CheckIn.objects.exists()


def test_a_card_of_an_erased_person_checks_in_nobody(kiosk_client, initiative, today_session, card):
    Person.objects.filter(pk=card.person_id).update(anonymised_at=timezone.now())
    html = followed(kiosk_client, kiosk_client.post(url("scan", initiative, today_session), {"token": card.token}))
    assert "is-error" in html and not CheckIn.objects.exists()


def test_scanning_is_rate_limited_per_kiosk_login_and_address(
    client, kiosk, initiative, today_session, card, settings
):
    settings.VERBINDING_KIOSK_SCAN_ATTEMPTS = 3
    client.force_login(kiosk)
    for n in range(3):
        client.post(url("scan", initiative, today_session), {"token": f"forged{n:040d}"})
    html = followed(client, client.post(url("scan", initiative, today_session), {"token": card.token}))
    assert not CheckIn.objects.exists()
    assert "is-error" in html and ("Too many" in html or "Te veel" in html)
    # Another kiosk login (another tablet) is not blocked by this one's failures.
    other = make_user(initiative, "kiosk-2", "kiosk")
    client.force_login(other)
    client.post(url("scan", initiative, today_session), {"token": card.token})
    assert CheckIn.objects.filter(person=card.person).count() == 1


def test_a_successful_scan_does_not_count_as_a_failure(client, kiosk, initiative, today_session, card, settings):
    settings.VERBINDING_KIOSK_SCAN_ATTEMPTS = 2
    client.force_login(kiosk)
    for _ in range(5):
        client.post(url("scan", initiative, today_session), {"token": card.token})
    html = followed(client, client.post(url("scan", initiative, today_session), {"token": card.token}))
    assert "is-error" not in html


# --- walk-in guests ---------------------------------------------------------------------------


@pytest.mark.parametrize("group", ["unspecified", "newcomer", "local"])
def test_one_tap_counts_a_walk_in_guest(kiosk_client, initiative, today_session, group):
    html = followed(kiosk_client, kiosk_client.post(url("guest", initiative, today_session), {"group": group}))
    tally = GuestTally.objects.get(session=today_session)
    assert (tally.group, tally.count) == (group, 1)
    assert "door-outcome" in html and ("1 here now" in html or "1 nu hier" in html)


def test_a_guest_without_a_group_is_counted_as_rather_not_say(kiosk_client, initiative, today_session):
    kiosk_client.post(url("guest", initiative, today_session))
    assert GuestTally.objects.get().group == "unspecified"


@pytest.mark.parametrize("group", ["refugee", "<b>x</b>", "x" * 100_000, "local\x00"])
def test_a_made_up_guest_group_counts_nobody(kiosk_client, initiative, today_session, group):
    html = followed(kiosk_client, kiosk_client.post(url("guest", initiative, today_session), {"group": group}))
    assert "is-error" in html and not GuestTally.objects.exists()


# --- methods and CSRF -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["checkin", "scan", "guest"])
def test_writes_are_post_only(kiosk_client, initiative, today_session, name):
    assert kiosk_client.get(url(name, initiative, today_session)).status_code == 405


@pytest.mark.parametrize("name", ["checkin", "scan", "guest"])
def test_writes_need_the_csrf_token(initiative, today_session, kiosk, local, name):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(kiosk)
    data = {"person": person_of(local, initiative).pk, "group": "local", "token": "x" * 43}
    assert client.post(url(name, initiative, today_session), data).status_code == 403
    assert not CheckIn.objects.exists() and not GuestTally.objects.exists()


def test_the_search_fragment_is_not_cached(kiosk_client, initiative, today_session):
    response = kiosk_client.get(url("search", initiative, today_session), {"q": "jo"})
    assert "no-store" in response["Cache-Control"]


# --- the kiosk with JavaScript: one htmx request per check-in ---------------------------------

HX = {"HX-Request": "true"}


def test_with_htmx_a_check_in_answers_the_greeting_and_the_count_in_one_response(
    kiosk_client, initiative, today_session, local, newcomer
):
    check_in(session=today_session, person=person_of(newcomer, initiative))
    person = person_of(local, initiative)
    response = kiosk_client.post(url("checkin", initiative, today_session), {"person": person.pk},
                                 headers=HX)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="door-live">')
    assert "Joost" in html and "is-first" in html and "door-outcome" in html
    # The head count comes along out of band: two people now.
    assert 'id="door-count" hx-swap-oob="true"' in html and "(ingecheckt: 2 · gasten: 0)" in html
    assert CheckIn.objects.get(session=today_session, person=person).method == "name"
    # Nothing is kept for a later page: the plain screen shows no outcome.
    assert "door_result" not in kiosk_client.session
    assert "door-outcome" not in kiosk_client.get(url("session", initiative, today_session)).content.decode()


def test_with_htmx_tapping_twice_says_already_checked_in_and_writes_one_row(
    kiosk_client, initiative, today_session, local, django_assert_max_num_queries
):
    person = person_of(local, initiative)
    # Tenancy, session, user, roles; the kiosk session and the person; the insert (inside a
    # savepoint here, because the test runs in a transaction: + 2); the head count and whether
    # it is a first visit, in one statement.
    with django_assert_max_num_queries(10):
        kiosk_client.post(url("checkin", initiative, today_session), {"person": person.pk},
                          headers=HX)
    # A second tap: the refused insert (savepoint, insert, rollback to and release here), then
    # the existing row, and the head count with the first-visit question.
    with django_assert_max_num_queries(12):
        html = kiosk_client.post(url("checkin", initiative, today_session), {"person": person.pk},
                                 headers=HX).content.decode()
    assert "al ingecheckt" in html and "is-first" not in html
    assert CheckIn.objects.filter(session=today_session, person=person).count() == 1


def test_with_htmx_a_card_a_guest_and_an_error_answer_in_place(
    kiosk_client, initiative, today_session, card
):
    html = kiosk_client.post(url("scan", initiative, today_session), {"token": card.token},
                             headers=HX).content.decode()
    assert "أمل" in html and card.token not in html
    html = kiosk_client.post(url("guest", initiative, today_session), {"group": "newcomer"},
                             headers=HX).content.decode()
    assert "geteld als gast" in html and "(ingecheckt: 1 · gasten: 1)" in html
    assert GuestTally.objects.get(session=today_session).group == "newcomer"
    html = kiosk_client.post(url("scan", initiative, today_session), {"token": "x" * 100_000},
                             headers=HX).content.decode()
    assert "is-error" in html and "<script" not in html
    html = kiosk_client.post(url("checkin", initiative, today_session), {"person": "<b>1</b>"},
                             headers=HX).content.decode()
    assert "is-error" in html and "<b>1" not in html
    assert CheckIn.objects.count() == 1


def test_the_screen_sends_its_writes_with_htmx_and_keeps_plain_forms(
    kiosk_client, initiative, today_session, local
):
    html = kiosk_client.get(url("session", initiative, today_session), {"q": "jo"}).content.decode()
    for name in ("checkin", "scan", "guest"):
        action = url(name, initiative, today_session)
        assert f'action="{action}" hx-post="{action}" hx-target="#door-live"' in html, name
    assert '<div id="door-live">' in html


def test_the_kiosk_asks_first_visit_by_the_same_rule_as_the_check_in_service(
    initiative, other_initiative, today_session, local, outsider
):
    from verbinding.attendance.checkin import is_first_visit
    from verbinding.door.selectors import count_present_after

    person = person_of(local, initiative)
    earlier = session_at(initiative, timezone.now() - dt.timedelta(days=7))
    elsewhere = session_at(other_initiative, timezone.now() - dt.timedelta(days=3))
    CheckIn.objects.create(initiative=other_initiative, session=elsewhere,
                           person=person_of(outsider, other_initiative),
                           at=timezone.now() - dt.timedelta(days=3))
    first = check_in(session=earlier, person=person,
                     at=timezone.now() - dt.timedelta(days=7)).checkin
    again = check_in(session=today_session, person=person).checkin
    GuestTally.objects.create(initiative=initiative, session=today_session, count=3)
    for checkin, expected in ((first, True), (again, False)):
        _count, first_visit = count_present_after(session=checkin.session, checkin=checkin)
        assert first_visit is expected is is_first_visit(checkin)
    assert count_present_after(session=today_session, checkin=again)[0] == HeadCount(1, 3)
