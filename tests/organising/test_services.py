"""Services and selectors of the organising app: attendance afterwards, who is new, guests,
messages and cancellation notices (in each person's own language), and the list of sessions."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import translation

from tests.conftest import make_user, person_of
from tests.organising.conftest import NOW, make_activity, make_session, people, sign_up_before
from verbinding.activities import services as activity_services
from verbinding.activities.models import Activity, Session
from verbinding.attendance import checkin as checkins
from verbinding.attendance import services as attendance
from verbinding.attendance.models import CheckIn, GuestTally, Registration, SessionMessage
from verbinding.core.errors import DomainError
from verbinding.organising import selectors, services
from verbinding.people.models import Person

# --- attendance after the fact ---------------------------------------------------------------


def test_marking_present_afterwards_checks_people_in_at_the_session_start_by_the_organiser(
    initiative, organiser, past_session
):
    amal, joost = people(initiative, "Amal", "Joost")
    created = services.mark_present(session=past_session, person_ids=[amal.pk, joost.pk],
                                    by=organiser)
    assert created == 2
    rows = CheckIn.objects.filter(session=past_session).order_by("person_id")
    assert [(c.person_id, c.method, c.at, c.recorded_by_id) for c in rows] == [
        (amal.pk, "organiser", past_session.start, organiser.pk),
        (joost.pk, "organiser", past_session.start, organiser.pk),
    ]
    # A second time (the same ticks, or someone already checked in at the kiosk) adds nothing.
    assert services.mark_present(session=past_session, person_ids=[amal.pk], by=organiser) == 0
    assert CheckIn.objects.filter(session=past_session).count() == 2


def test_marking_present_is_all_or_nothing_when_one_person_belongs_elsewhere(
    initiative, other_initiative, organiser, past_session
):
    amal, = people(initiative, "Amal")
    stranger, = people(other_initiative, "Bea")
    with pytest.raises(DomainError) as error:
        services.mark_present(session=past_session, person_ids=[amal.pk, stranger.pk],
                              by=organiser)
    assert error.value.code == "organising_person_not_here"
    assert not CheckIn.objects.filter(session=past_session).exists()


def test_an_erased_person_cannot_be_marked_present(initiative, organiser, past_session):
    gone, = people(initiative, "Gone")
    Person.objects.filter(pk=gone.pk).update(anonymised_at=NOW)
    with pytest.raises(DomainError, match="organising_person_not_here"):
        services.mark_present(session=past_session, person_ids=[gone.pk], by=organiser)


@pytest.mark.parametrize("ids", [[], [0, 0]])
def test_marking_nobody_or_a_missing_id_is_refused(initiative, organiser, past_session, ids):
    with pytest.raises(DomainError):
        services.mark_present(session=past_session, person_ids=ids, by=organiser)
    assert not CheckIn.objects.exists()


def test_people_cannot_be_marked_present_before_the_session_begins(
    initiative, organiser, future_session
):
    amal, = people(initiative, "Amal")
    with pytest.raises(DomainError, match="organising_not_started"):
        services.mark_present(session=future_session, person_ids=[amal.pk], by=organiser)


def test_nobody_can_be_marked_present_at_a_cancelled_session(initiative, organiser, past_session):
    amal, = people(initiative, "Amal")
    Session.objects.filter(pk=past_session.pk).update(status=Session.Status.CANCELLED)
    past_session.refresh_from_db()
    with pytest.raises(DomainError, match="checkin_session_cancelled"):
        services.mark_present(session=past_session, person_ids=[amal.pk], by=organiser)


def test_a_session_older_than_the_history_window_is_not_written_to(
    settings, initiative, organiser, activity
):
    settings.VERBINDING_HISTORY_MONTHS = 12
    old = make_session(activity, days=-400)
    amal, = people(initiative, "Amal")
    with pytest.raises(DomainError, match="organising_too_old"):
        services.mark_present(session=old, person_ids=[amal.pk], by=organiser)
    with pytest.raises(DomainError, match="organising_too_old"):
        services.send_message(session=old, by=organiser, body="Thanks!")


def test_a_mistake_is_undone(initiative, organiser, past_session):
    amal, = people(initiative, "Amal")
    services.mark_present(session=past_session, person_ids=[amal.pk], by=organiser)
    assert services.undo_present(session=past_session, person_id=amal.pk, by=organiser) is True
    assert not CheckIn.objects.filter(session=past_session).exists()
    assert services.undo_present(session=past_session, person_id=amal.pk, by=organiser) is False


def test_guests_are_counted_afterwards_in_one_go(organiser, past_session):
    tally = services.add_guests(session=past_session, count=7, group="newcomer", by=organiser)
    assert (tally.count, tally.group, tally.recorded_by_id) == (7, "newcomer", organiser.pk)
    for bad in (0, 501, -3):
        with pytest.raises(DomainError, match="guest_count_invalid"):
            services.add_guests(session=past_session, count=bad, by=organiser)
    with pytest.raises(DomainError, match="guest_group_invalid"):
        services.add_guests(session=past_session, count=1, group="<script>", by=organiser)
    assert GuestTally.objects.filter(session=past_session).count() == 1


# --- who is new ---------------------------------------------------------------------------


def test_who_is_new_distinguishes_a_first_visit_from_a_first_time_at_this_activity(
    initiative, organiser, activity, past_session, other_activity
):
    new, elsewhere, regular = people(initiative, "New", "Elsewhere", "Regular")
    earlier_other = make_session(other_activity, days=-20)
    earlier_same = make_session(activity, days=-9)
    services.mark_present(session=earlier_other, person_ids=[elsewhere.pk], by=organiser)
    services.mark_present(session=earlier_same, person_ids=[regular.pk], by=organiser)
    services.mark_present(session=past_session, person_ids=[new.pk, elsewhere.pk, regular.pk],
                          by=organiser)

    attendance_ = selectors.get_attendance(past_session)
    flags = {c.person.display_name: (c.first_visit, c.first_at_activity)
             for c in attendance_.present}
    assert flags == {"New": (True, True), "Elsewhere": (False, True), "Regular": (False, False)}
    assert (attendance_.new_here, attendance_.new_at_activity) == (1, 1)
    # The same rule as the door's is_first_visit.
    for c in attendance_.present:
        assert c.first_visit == checkins.is_first_visit(c)


def test_the_attendance_lists_who_signed_up_and_who_was_not_marked_yet(
    initiative, organiser, activity
):
    session = make_session(activity, days=-1)
    Session.objects.filter(pk=session.pk).update(capacity=1)
    session.refresh_from_db()
    first, waiting, walk_in = people(initiative, "First", "Waiting", "Walkin")
    sign_up_before(session, first, waiting)
    services.mark_present(session=session, person_ids=[walk_in.pk], by=organiser)
    result = selectors.get_attendance(session)
    assert [r.person.display_name for r in result.confirmed] == ["First"]
    assert [r.person.display_name for r in result.waitlisted] == ["Waiting"]
    assert [r.person.display_name for r in result.not_yet_marked] == ["First", "Waiting"]
    [present] = result.present
    assert present.signed_up is False
    assert result.person_ids() == {first.pk, waiting.pk, walk_in.pk}


def test_search_finds_members_of_this_place_not_yet_present(
    initiative, other_initiative, organiser, past_session
):
    _fatima, fatma, _other = people(initiative, "Fatima", "Fatma", "Joost")
    people(other_initiative, "Fatima B")
    services.mark_present(session=past_session, person_ids=[fatma.pk], by=organiser)
    found = selectors.search_members(session=past_session, query="fat")
    assert [p.display_name for p in found] == ["Fatima"]
    assert selectors.search_members(session=past_session, query="f") == []
    assert selectors.search_members(session=past_session, query="x" * 100_000) == []
    assert selectors.search_members(session=past_session, query="'; DROP TABLE x; --") == []


# --- the list of sessions --------------------------------------------------------------------


def test_an_organiser_lists_only_the_sessions_of_what_they_organise_with_counts(
    initiative, organiser, coordinator, activity, past_session, future_session, other_activity
):
    not_mine = make_session(other_activity, days=-1)
    a, b, c = people(initiative, "A", "B", "C")
    sign_up_before(past_session, a, b)
    services.mark_present(session=past_session, person_ids=[a.pk, c.pk], by=organiser)
    services.add_guests(session=past_session, count=3, by=organiser)
    services.add_guests(session=past_session, count=2, group="local", by=organiser)

    mine = selectors.list_sessions(user=organiser, initiative=initiative)
    assert [s.pk for s in mine.upcoming] == [future_session.pk]
    assert [s.pk for s in mine.recent] == [past_session.pk]
    [s] = mine.recent
    assert (s.signed_up, s.waiting, s.present, s.guests, s.new) == (2, 0, 2, 5, 2)

    everything = selectors.list_sessions(user=coordinator, initiative=initiative)
    assert {s.pk for s in everything.recent} == {past_session.pk, not_mine.pk}


def test_project_sessions_count_the_project_enrolments(initiative, organiser):
    project = make_activity(initiative, organisers=[person_of(organiser, initiative)], days=3,
                            kind=Activity.Kind.PROJECT, capacity=1)
    session = make_session(project, days=3)
    a, b = people(initiative, "A", "B")
    attendance.enrol(activity=project, person=a, by=None)
    attendance.enrol(activity=project, person=b, by=None)
    [s] = selectors.list_sessions(user=organiser, initiative=initiative).upcoming
    assert (s.pk, s.signed_up, s.waiting) == (session.pk, 1, 1)


def test_sessions_older_than_the_history_window_are_not_listed(
    settings, initiative, organiser, activity
):
    settings.VERBINDING_HISTORY_MONTHS = 1
    make_session(activity, days=-40)
    assert selectors.list_sessions(user=organiser, initiative=initiative).recent == []


def test_listing_sessions_takes_a_fixed_number_of_queries(
    initiative, organiser, activity, django_assert_max_num_queries
):
    for day in range(-20, 20, 2):
        make_session(activity, days=day)
    with django_assert_max_num_queries(4):
        result = selectors.list_sessions(user=organiser, initiative=initiative)
        [(s.signed_up, s.new, s.activity.title_text()) for s in (*result.upcoming, *result.recent)]


# --- messages -----------------------------------------------------------------------------------


def test_a_message_reaches_everyone_signed_up_and_is_emailed_in_each_persons_language(
    initiative, organiser, future_session, mailoutbox, django_capture_on_commit_callbacks
):
    amal, = people(initiative, "Amal", email=True, language="ar")
    joost, = people(initiative, "Joost", email=True, language="nl")
    noemail, gone = people(initiative, "Noemail", "Gone")
    for p in (amal, joost, noemail, gone):
        attendance.sign_up(session=future_session, person=p, by=None)
    attendance.cancel_sign_up(session=future_session, person=gone, by=None)

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        sent = services.send_message(session=future_session, by=organiser,
                                     body="Bring a plate to share.\nWe start at 7.")
    assert (sent.recipients, sent.emailed, sent.is_cancellation) == (3, 2, False)
    assert sent.body == "Bring a plate to share.\nWe start at 7."
    by_address = {m.to[0]: m for m in mailoutbox}
    assert set(by_address) == {"amal@example.org", "joost@example.org"}
    arabic, dutch = by_address["amal@example.org"], by_address["joost@example.org"]
    assert arabic.subject.startswith("رسالة حول")
    assert "Bring a plate to share.\nWe start at 7." in arabic.body
    assert dutch.subject.startswith("Bericht over Taalcafé")
    assert "Bring a plate to share." in dutch.body
    assert "/voorkamer/me/signups/" in dutch.body


@pytest.mark.parametrize(("body", "code"), [
    ("", "organising_message_required"),
    ("   \n  ", "organising_message_required"),
    ("x" * 2001, "organising_message_too_long"),
    ("x" * 100_000, "organising_message_too_long"),
    ("Hallo\x00daar", "organising_message_characters"),
    ("Kom \u202egnirb\u202c mee", "organising_message_characters"),
    ("<script>alert(1)</script>", "organising_message_markup"),
    ("Zie <a href='http://x'>hier</a>", "organising_message_markup"),
])
def test_a_bad_or_hostile_message_is_refused_and_nothing_is_written(
    initiative, organiser, future_session, mailoutbox, django_capture_on_commit_callbacks,
    body, code,
):
    amal, = people(initiative, "Amal", email=True)
    attendance.sign_up(session=future_session, person=amal, by=None)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError) as error:
        services.send_message(session=future_session, by=organiser, body=body)
    assert error.value.code == code
    assert not SessionMessage.objects.exists()
    assert mailoutbox == []


def test_arabic_text_with_joiners_and_sql_looking_words_is_plain_text_and_sent_as_typed(
    initiative, organiser, future_session
):
    text = "مرحبا\u200c بكم — 1 < 2; SELECT * FROM people; 'quoted'"
    sent = services.send_message(session=future_session, by=organiser, body=text)
    assert sent.body == text


# --- cancellation ----------------------------------------------------------------------------


def test_cancelling_tells_everyone_signed_up_in_their_own_language_with_the_message(
    initiative, organiser, future_session, mailoutbox, django_capture_on_commit_callbacks
):
    amal, = people(initiative, "Amal", email=True, language="ar")
    joost, = people(initiative, "Joost", email=True, language="nl")
    noemail, = people(initiative, "Noemail")
    for p in (amal, joost, noemail):
        attendance.sign_up(session=future_session, person=p, by=None)

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        notice = services.cancel_with_notice(session=future_session, by=organiser,
                                             message="The heating is broken.")
    future_session.refresh_from_db()
    assert future_session.status == Session.Status.CANCELLED
    assert (notice.is_cancellation, notice.recipients, notice.emailed) == (True, 3, 2)
    assert notice.body == "The heating is broken."
    by_address = {m.to[0]: m for m in mailoutbox}
    assert by_address["joost@example.org"].subject.startswith("Afgelast: Taalcafé")
    assert "The heating is broken." in by_address["joost@example.org"].body
    assert by_address["amal@example.org"].subject.startswith("أُلغي")
    assert "مقهى اللغة" in by_address["amal@example.org"].subject
    # Registrations stay as they were: the member's page shows them as cancelled.
    assert Registration.objects.filter(session=future_session, status="confirmed").count() == 3


def test_cancelling_through_the_activities_service_notifies_too_but_only_once(
    initiative, coordinator, future_session, mailoutbox, django_capture_on_commit_callbacks
):
    amal, = people(initiative, "Amal", email=True)
    attendance.sign_up(session=future_session, person=amal, by=None)
    with django_capture_on_commit_callbacks(execute=True):
        activity_services.cancel_session(session=future_session, by=coordinator)
        activity_services.cancel_session(session=future_session, by=coordinator)
    [notice] = SessionMessage.objects.filter(session=future_session)
    assert (notice.is_cancellation, notice.body, notice.sender_id) == (True, "", coordinator.pk)
    [mail] = mailoutbox
    # No preferred language: the meeting place's first language (Dutch here).
    assert mail.to == ["amal@example.org"] and "gaat niet door" in mail.body


def test_a_project_session_cancelled_tells_the_people_enrolled_in_the_project(
    initiative, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    project = make_activity(initiative, organisers=[person_of(organiser, initiative)], days=3,
                            kind=Activity.Kind.PROJECT)
    session = make_session(project, days=3)
    make_session(project, days=10)
    amal, = people(initiative, "Amal", email=True)
    attendance.enrol(activity=project, person=amal, by=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_with_notice(session=session, by=organiser)
    assert SessionMessage.objects.get(session=session).recipients == 1
    assert [m.to for m in mailoutbox] == [["amal@example.org"]]


def test_no_email_leaves_when_the_cancelling_transaction_rolls_back(
    initiative, organiser, future_session, mailoutbox, django_capture_on_commit_callbacks
):
    from django.db import transaction

    amal, = people(initiative, "Amal", email=True)
    attendance.sign_up(session=future_session, person=amal, by=None)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.cancel_with_notice(session=future_session, by=organiser, message="Sorry")
            raise RuntimeError("something later failed")
    future_session.refresh_from_db()
    assert future_session.status == Session.Status.PLANNED
    assert not SessionMessage.objects.exists()
    assert mailoutbox == []


def test_a_session_that_is_over_or_already_cancelled_cannot_be_cancelled_here(
    initiative, organiser, past_session, future_session
):
    amal, = people(initiative, "Amal")
    attendance.sign_up(session=future_session, person=amal, by=None)
    with pytest.raises(DomainError, match="organising_session_over"):
        services.cancel_with_notice(session=past_session, by=organiser)
    services.cancel_with_notice(session=future_session, by=organiser)
    future_session.refresh_from_db()
    with pytest.raises(DomainError, match="session_cancelled"):
        services.cancel_with_notice(session=future_session, by=organiser)
    assert SessionMessage.objects.count() == 1


def test_a_hostile_cancellation_message_is_refused_before_anything_is_cancelled(
    organiser, future_session
):
    with pytest.raises(DomainError, match="organising_message_characters"):
        services.cancel_with_notice(session=future_session, by=organiser, message="a\x00b")
    future_session.refresh_from_db()
    assert future_session.status == Session.Status.PLANNED
    assert not SessionMessage.objects.exists()


def test_a_changed_repeat_rule_that_cancels_a_signed_up_date_notifies_too(
    initiative, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    start = NOW + dt.timedelta(days=1)
    weekly = activity_services.create_activity(
        initiative=initiative, by=coordinator, title={"nl": "Koffie"}, first_start=start,
        kind=Activity.Kind.REGULAR, rrule="FREQ=WEEKLY;COUNT=3",
    )
    last = weekly.sessions.order_by("start").last()
    amal, = people(initiative, "Amal", email=True)
    attendance.sign_up(session=last, person=amal, by=None)
    with django_capture_on_commit_callbacks(execute=True):
        activity_services.update_activity(activity=weekly, by=coordinator, rrule="FREQ=WEEKLY;COUNT=2")
    last.refresh_from_db()
    assert last.status == Session.Status.CANCELLED
    assert SessionMessage.objects.get(session=last).is_cancellation
    assert [m.to for m in mailoutbox] == [["amal@example.org"]]


# --- audit ------------------------------------------------------------------------------------


def test_reads_are_audited_once_per_person_per_day(initiative, organiser):
    from verbinding.core.models import AuditEntry

    a, b = people(initiative, "A", "B")
    assert services.record_reads(initiative=initiative, by=organiser, person_ids=[a.pk, b.pk]) == 2
    assert services.record_reads(initiative=initiative, by=organiser, person_ids=[a.pk, b.pk]) == 0
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        assert services.record_reads(initiative=initiative, by=organiser, person_ids=[a.pk]) == 1
    other = make_user(initiative, "other-org", "organiser")
    assert services.record_reads(initiative=initiative, by=other, person_ids=[a.pk]) == 1
    rows = AuditEntry.objects.filter(action="profile_view", view="organising:session")
    assert rows.count() == 4


def test_the_cancellation_hook_is_registered_once_and_calls_each_hook(monkeypatch):
    from verbinding.activities import hooks

    assert hooks.after_session_cancelled.count(services.notify_cancelled) == 1
    hooks.register_after_session_cancelled(services.notify_cancelled)
    assert hooks.after_session_cancelled.count(services.notify_cancelled) == 1

    calls = []

    def spy(session, *, by, message):
        calls.append((session, by, message))

    # Only the spy for this call: the real hook would need a database row.
    monkeypatch.setattr(hooks, "after_session_cancelled", [])
    hooks.register_after_session_cancelled(spy)
    hooks.run_after_session_cancelled("s", by="u", message="m")
    assert calls == [("s", "u", "m")]


def test_a_date_nobody_signed_up_for_is_cancelled_without_an_empty_notice(organiser, future_session):
    assert services.cancel_with_notice(session=future_session, by=organiser, message="Sorry") is None
    future_session.refresh_from_db()
    assert future_session.status == Session.Status.CANCELLED
    assert not SessionMessage.objects.exists()
