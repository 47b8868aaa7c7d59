"""Exchange services: DB → solver input → stored round, answers, re-matching, outcomes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import make_user, person_of
from tests.exchange.conftest import setup_member
from verbinding.core.errors import DomainError
from verbinding.exchange import selectors, services
from verbinding.exchange.models import ExchangeMatch, ExchangeRound, Offer, Want

pytestmark = pytest.mark.django_db


def _run(initiative, by=None, **kwargs):
    round_ = services.start_round(initiative=initiative, by=by, time_limit=2.0, **kwargs)
    assert round_.status == ExchangeRound.Status.DONE, round_.error
    return round_


def test_a_round_stores_its_input_with_integer_ids_and_matches_the_pair(initiative, pair, coordinator):
    amal, joost = pair
    round_ = _run(initiative, by=coordinator)
    members = round_.snapshot["members"]
    assert [m["id"] for m in members] == [1, 2]
    assert sorted(round_.person_map.values()) == sorted([amal.pk, joost.pk])
    # Integers only: no names, no codes of people in the snapshot.
    for m in members:
        assert all(isinstance(v, int) for key in ("availability", "offers", "wants") for v in m[key])
        assert isinstance(m["group"], int)
    assert {m["group"] for m in members} == {1, 2}  # consented self-description: newcomer, local
    assert round_.matched == 2 and round_.upper_bound == 2 and round_.cross_group_lessons == 2
    assert round_.created_by == coordinator and round_.task_id
    lessons = {(m.giver_id, m.receiver_id): m for m in round_.matches.all()}
    arabic = lessons[amal.pk, joost.pk]
    assert arabic.language == "ar" and arabic.taught_in == "en"  # taught through another shared language
    assert arabic.slot == "sat-morning" and arabic.bridges_groups
    assert lessons[joost.pk, amal.pk].talent == "bike_repair"


def test_everyone_matched_both_gives_and_receives(initiative):
    people = []
    # A ring of three: A teaches cooking to B, B sewing to C, C music to A; plus a loner.
    for name, offer, want in [("a", "cooking", "music"), ("b", "sewing", "cooking"),
                              ("c", "music", "sewing"), ("d", "gardening", "baking")]:
        person = person_of(make_user(initiative, name, "member"), initiative)
        people.append(setup_member(person, offers=[f"talent:{offer}"], wants=[f"talent:{want}"]))
    round_ = _run(initiative)
    matches = list(round_.matches.all())
    assert round_.matched == 3 and len(matches) == 3
    givers = [m.giver_id for m in matches]
    receivers = [m.receiver_id for m in matches]
    assert sorted(givers) == sorted(receivers) == sorted(p.pk for p in people[:3])
    assert round_.unmatched == {str(people[3].pk): "nobody_to_teach"}


def test_people_without_free_times_are_told_why(initiative, pair):
    _amal, joost = pair
    joost.availability = []
    joost.save()
    round_ = _run(initiative)
    assert round_.matched == 0
    assert round_.unmatched[str(joost.pk)] == "no_times"


def test_a_confirmed_cycle_needs_everyone_and_a_no_declines_it_whole(initiative, pair):
    amal, joost = pair
    round_ = _run(initiative)
    lesson = round_.matches.get(giver=amal)
    services.answer_exchange(match=lesson, person=amal, answer="yes")
    assert set(round_.matches.values_list("status", flat=True)) == {"proposed"}
    services.answer_exchange(match=lesson, person=joost, answer="yes")
    assert set(round_.matches.values_list("status", flat=True)) == {"confirmed"}
    with pytest.raises(DomainError) as error:
        services.answer_exchange(match=lesson, person=joost, answer="no")
    assert error.value.code == "exchange_already_decided"


def test_declined_people_return_to_the_pool_and_are_matched_again(initiative, pair):
    amal, joost = pair
    first = _run(initiative)
    assert services.pool_people(initiative).count() == 0  # both in a proposed exchange
    with pytest.raises(DomainError):
        _run(initiative)  # nobody left to match
    # A third person who also teaches bike repair arrives.
    kim = setup_member(person_of(make_user(initiative, "kim", "member"), initiative),
                       offers=["talent:bike_repair"], wants=["language:ar"], speaks=("en",))
    services.answer_exchange(match=first.matches.first(), person=joost, answer="no")
    assert set(first.matches.values_list("status", flat=True)) == {"declined"}
    assert set(services.pool_people(initiative)) == {amal, joost, kim}
    second = _run(initiative)
    pairs = {(m.giver_id, m.receiver_id) for m in second.matches.all()}
    # Amal is matched again, with Kim: Joost said no to this exchange and sits this run out.
    assert pairs == {(amal.pk, kim.pk), (kim.pk, amal.pk)}
    assert second.unmatched == {str(joost.pk): "declined_before"}


def test_a_declined_lesson_is_not_proposed_again_but_the_decliner_can_match_others(initiative, pair):
    _amal, joost = pair
    first = _run(initiative)
    services.answer_exchange(match=first.matches.first(), person=joost, answer="no")
    second = _run(initiative)
    assert second.matched == 0 and second.unmatched[str(joost.pk)] == "declined_before"
    # After the memory window the pair may be proposed again.
    later = timezone.now() + timedelta(weeks=services.DECLINE_MEMORY_WEEKS + 1)
    snapshot, _map = services.build_snapshot(initiative, now=later)
    assert snapshot["avoid"] == []


def test_did_it_happen_is_asked_only_after_the_follow_up_weeks_and_only_of_the_two(initiative, pair, member):
    amal, joost = pair
    round_ = _run(initiative)
    lesson = round_.matches.get(giver=amal)
    for person in (amal, joost):
        services.answer_exchange(match=lesson, person=person, answer="yes")
    lesson.refresh_from_db()
    with pytest.raises(DomainError) as error:
        services.record_happened(match=lesson, person=amal, happened="yes")
    assert error.value.code == "exchange_too_early"
    later = lesson.decided_at + timedelta(weeks=services.FOLLOW_UP_WEEKS)
    services.record_happened(match=lesson, person=amal, happened="yes", now=later)
    services.record_happened(match=lesson, person=joost, happened="no", now=later)
    stranger = person_of(member, initiative)
    with pytest.raises(DomainError):
        services.record_happened(match=lesson, person=stranger, happened="yes", now=later)
    with pytest.raises(DomainError):
        services.record_happened(match=lesson, person=amal, happened="maybe", now=later)
    lesson.refresh_from_db()
    assert (lesson.giver_happened, lesson.receiver_happened) == ("yes", "no")
    outcomes = selectors.count_outcomes(initiative)
    assert (outcomes.confirmed, outcomes.happened_yes, outcomes.happened_unknown) == (2, 1, 1)


def test_a_declined_lesson_cannot_get_a_did_it_happen(initiative, pair):
    amal, _joost = pair
    round_ = _run(initiative)
    lesson = round_.matches.get(giver=amal)
    services.answer_exchange(match=lesson, person=amal, answer="no")
    lesson.refresh_from_db()
    with pytest.raises(DomainError) as error:
        services.record_happened(match=lesson, person=amal, happened="yes",
                                 now=timezone.now() + timedelta(weeks=10))
    assert error.value.code == "exchange_not_confirmed"


def test_confirmed_people_wait_until_the_follow_up_before_a_new_match(initiative, pair):
    amal, joost = pair
    round_ = _run(initiative)
    for person in (amal, joost):
        services.answer_exchange(match=round_.matches.first(), person=person, answer="yes")
    assert services.pool_people(initiative).count() == 0
    later = timezone.now() + timedelta(weeks=services.FOLLOW_UP_WEEKS, days=1)
    assert services.pool_people(initiative, now=later).count() == 2


def test_only_one_run_at_a_time_and_a_stale_one_is_given_up(initiative, pair):
    stuck = ExchangeRound.objects.create(initiative=initiative, status="running")
    with pytest.raises(DomainError) as error:
        services.start_round(initiative=initiative)
    assert error.value.code == "exchange_round_running"
    ExchangeRound.objects.filter(pk=stuck.pk).update(
        created_at=timezone.now() - timedelta(minutes=services.STALE_ROUND_MINUTES + 1))
    _run(initiative)
    stuck.refresh_from_db()
    assert stuck.status == "failed"


def test_a_failing_solver_marks_the_round_failed(initiative, pair, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("solver broke")

    monkeypatch.setattr(services, "solve_snapshot", boom)
    round_ = services.start_round(initiative=initiative)
    assert round_.status == "failed" and round_.error == "RuntimeError"
    assert not round_.matches.exists()


def test_a_round_can_be_reproduced_from_its_snapshot(initiative, pair):
    round_ = _run(initiative)
    result, left_out = services.solve_snapshot(round_.snapshot, round_.parameters)
    assert result.matched == round_.matched and left_out == set()


@pytest.mark.parametrize("subject", ["", "talent:", "talent:astrology", "language:xx", "<script>",
                                     "talent:cooking\x00", "x" * 100_000])
def test_bad_subjects_are_refused(initiative, member, subject):
    person = person_of(member, initiative)
    with pytest.raises(DomainError) as error:
        services.add_offer(person=person, subject=subject)
    assert error.value.code == "exchange_subject_invalid"
    assert not Offer.objects.exists()


@pytest.mark.parametrize("title, code", [("x" * 81, "exchange_title_too_long"),
                                         ("ab\u202ecd", "exchange_title_characters"),
                                         ("nul\x00", "exchange_title_characters")])
def test_bad_titles_are_refused(initiative, member, title, code):
    with pytest.raises(DomainError) as error:
        services.add_offer(person=person_of(member, initiative), subject="talent:cooking", title=title)
    assert error.value.code == code


def test_offers_and_wants_are_unique_and_limited(initiative, member):
    person = person_of(member, initiative)
    services.add_want(person=person, subject="talent:cooking", languages=["nl", "ar", "nl"])
    assert Want.objects.get().languages == ["nl", "ar"]
    with pytest.raises(DomainError) as error:
        services.add_want(person=person, subject="talent:cooking")
    assert error.value.code == "exchange_want_exists"
    with pytest.raises(DomainError):
        services.add_want(person=person, subject="talent:baking", languages=["klingon"])
    for talent in ["music", "sewing", "dance", "singing", "theatre", "drawing", "woodwork", "sport", "games"]:
        services.add_offer(person=person, subject=f"talent:{talent}")
    services.add_offer(person=person, subject="language:nl")
    with pytest.raises(DomainError) as error:
        services.add_offer(person=person, subject="talent:baking")
    assert error.value.code == "exchange_too_many_offers"
    assert Offer.objects.filter(person=person).count() == services.MAX_OFFERS


def test_topic_counts_hold_no_people(initiative, pair):
    rows = selectors.count_topics(initiative)
    assert {(r.key, r.offers, r.wants) for r in rows} == {("language:ar", 1, 1), ("talent:bike_repair", 1, 1)}


def test_a_member_sees_who_teaches_them_what(initiative, pair):
    amal, joost = pair
    _run(initiative)
    [mine] = selectors.list_my_exchanges(amal)
    assert mine.teach.receiver == joost and mine.learn.giver == joost and mine.size == 2
    assert mine.status == ExchangeMatch.Status.PROPOSED


def test_the_weekly_command_starts_a_round_per_initiative_and_skips_small_pools(initiative, other_initiative, pair):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = StringIO()
    call_command("run_exchange", "--initiative", "voorkamer", "--inline", stdout=out)
    assert "matched 2 of at most 2" in out.getvalue()
    assert ExchangeRound.objects.get(initiative=initiative).matched == 2
    out = StringIO()
    call_command("run_exchange", "--all", stdout=out)
    # Both voorkamer members are now in a proposed exchange; huiskamer has nobody.
    assert out.getvalue().splitlines() == ["huiskamer: skipped (exchange_pool_too_small)",
                                           "voorkamer: skipped (exchange_pool_too_small)"]
    with pytest.raises(CommandError):
        call_command("run_exchange")
    with pytest.raises(CommandError):
        call_command("run_exchange", "--initiative", "nowhere")
