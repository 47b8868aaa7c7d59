"""What the survey tables can and cannot hold: no person on an answer, no free text, no time of
day, and the linking table stays empty unless a person consents."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, models

from tests.conftest import make_user, person_of
from tests.surveys.conftest import all_answers, kiosk_pulse
from verbinding.attendance.checkin import check_in
from verbinding.people.services import erase_person
from verbinding.surveys import services
from verbinding.surveys.models import (
    PulseAnswer,
    PulseAnswered,
    PulseResponse,
    SurveyLink,
    SurveyPseudonym,
    UsedPulseToken,
)

pytestmark = pytest.mark.django_db

ANSWER_TABLES = (PulseResponse, PulseAnswer, UsedPulseToken)


def _columns(model) -> set[str]:
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, model._meta.db_table)}


@pytest.mark.parametrize("model", ANSWER_TABLES)
def test_no_answer_table_has_a_column_that_points_to_a_person_or_a_time(model):
    columns = _columns(model)
    for forbidden in ("person_id", "user_id", "checkin_id", "created_at", "at", "ip", "name"):
        assert forbidden not in columns, (model.__name__, forbidden)
    for field in model._meta.get_fields():
        related = getattr(field, "related_model", None)
        assert related is None or related._meta.label not in (
            "people.Person", "accounts.User", "attendance.CheckIn", "surveys.PulseAnswered"), field
        assert not isinstance(field, models.DateTimeField), field


def test_responses_have_random_keys_so_their_order_reveals_nothing():
    assert isinstance(PulseResponse._meta.pk, models.UUIDField)
    assert isinstance(PulseAnswer._meta.pk, models.UUIDField)


def test_no_survey_model_has_a_free_text_field():
    from django.apps import apps

    for model in apps.get_app_config("surveys").get_models():
        for field in model._meta.get_fields():
            assert not isinstance(field, models.TextField), field
            if isinstance(field, models.CharField) and field.name not in ("nonce_hash", "consent_version"):
                assert field.choices or field.max_length <= 24, field


def test_the_answered_marker_holds_no_answer_and_no_time():
    assert _columns(PulseAnswered) == {"id", "person_id", "session_id"}


def test_the_database_refuses_an_answer_code_the_item_does_not_have(initiative, today_session):
    response = PulseResponse.objects.create(initiative=initiative, session=today_session, language="nl",
                                            day=dt.date(2026, 12, 5), channel="kiosk", module="loneliness")
    PulseAnswer.objects.create(response=response, item="together", answer="yes")
    with pytest.raises(IntegrityError):
        PulseAnswer.objects.create(response=response, item="pleasant", answer="I hate Joost")


def test_without_linking_consent_the_linking_tables_stay_empty(initiative, today_session, newcomer):
    person = person_of(newcomer, initiative)
    check_in(session=today_session, person=person)
    day = services.local_day(initiative)
    services.submit_phone_pulse(person=person, session_id=today_session.pk, language="ar",
                                answers=all_answers(day))
    kiosk_pulse(initiative, today_session, all_answers(day, 1))
    assert PulseResponse.objects.count() == 2
    assert not SurveyLink.objects.exists() and not SurveyPseudonym.objects.exists()
    assert not PulseResponse.objects.filter(pseudonym__isnull=False).exists()


def test_with_consent_phone_answers_carry_the_pseudonym_and_never_the_person(initiative, today_session, local):
    person = person_of(local, initiative)
    link = services.give_link_consent(person=person, by=local)
    check_in(session=today_session, person=person)
    response = services.submit_phone_pulse(person=person, session_id=today_session.pk, language="nl",
                                           answers={"together": "yes"})
    assert response.pseudonym_id == link.pseudonym_id
    assert str(link.pseudonym_id) != str(person.pk)


def test_only_the_person_can_give_the_linking_consent(initiative, local, coordinator):
    from verbinding.core.errors import DomainError

    with pytest.raises(DomainError):
        services.give_link_consent(person=person_of(local, initiative), by=coordinator)
    assert not SurveyLink.objects.exists()


def test_withdrawing_unlinks_every_earlier_answer(initiative, today_session, local):
    person = person_of(local, initiative)
    services.give_link_consent(person=person, by=local)
    check_in(session=today_session, person=person)
    services.submit_phone_pulse(person=person, session_id=today_session.pk, language="nl",
                                answers={"together": "no"})
    services.withdraw_link_consent(person=person, by=local)
    assert not SurveyLink.objects.exists() and not SurveyPseudonym.objects.exists()
    assert PulseResponse.objects.get().pseudonym_id is None
    assert PulseAnswer.objects.get().answer == "no"  # the answer stays, unlinked


def test_erasing_a_person_removes_their_link_and_markers_and_keeps_the_answers(initiative, today_session):
    user = make_user(initiative, "sara")
    person = person_of(user, initiative)
    services.give_link_consent(person=person, by=user)
    check_in(session=today_session, person=person)
    services.submit_phone_pulse(person=person, session_id=today_session.pk, language="nl",
                                answers={"together": "yes"})
    erase_person(person=person, by=user)
    assert not SurveyLink.objects.exists() and not PulseAnswered.objects.exists()
    assert PulseResponse.objects.get().pseudonym_id is None


def test_a_used_kiosk_link_is_stored_as_a_hash_only(initiative, today_session):
    token = services.mint_kiosk_token(session=today_session)
    nonce = services.read_kiosk_token(initiative=initiative, token=token).nonce
    services.submit_kiosk_pulse(initiative=initiative, token=token, language="nl", answers={"together": "yes"})
    used = UsedPulseToken.objects.get()
    assert nonce not in used.nonce_hash and token not in used.nonce_hash and len(used.nonce_hash) == 64
    assert _columns(UsedPulseToken) == {"nonce_hash", "day"}
