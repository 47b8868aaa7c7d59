"""Writes of the surveys app: kiosk pulse links, storing a pulse, the linking consent, pruning.

The kiosk link (`mint_kiosk_token`) is signed with the project's SECRET_KEY (django.core.signing,
salted), carries only the session id and a random nonce, and is valid for
`VERBINDING_PULSE_TOKEN_SECONDS` (default 20 minutes). Using it stores the SHA-256 of the nonce
in `UsedPulseToken`, so it works once; the nonce itself is never stored, and nothing in the
token or the table says who checked in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verbinding.activities.models import Session
from verbinding.attendance.models import CheckIn
from verbinding.core.errors import DomainError, register_messages
from verbinding.surveys.items import BY_CODE, items_for, module_for
from verbinding.surveys.models import (
    PulseAnswer,
    PulseAnswered,
    PulseResponse,
    SurveyLink,
    SurveyPseudonym,
    UsedPulseToken,
)
from verbinding.surveys.selectors import PHONE_WINDOW_DAYS

register_messages({
    "pulse_link_invalid": _("This survey link does not work. Please check in again to get a new one."),
    "pulse_link_expired": _("This survey link has expired. Thank you anyway!"),
    "pulse_link_used": _("These questions have already been answered. Thank you!"),
    "pulse_answer_invalid": _("One of the answers is not one of the options. Please try again."),
    "pulse_already_answered": _("You have already answered for this session. Thank you!"),
    "pulse_not_attended": _("You can only answer for a session you were at in the last days."),
    "pulse_language_invalid": _("This language is not available."),
})

SALT = "verbinding.surveys.pulse"
MAX_TOKEN_LENGTH = 200


def token_seconds() -> int:
    return int(getattr(settings, "VERBINDING_PULSE_TOKEN_SECONDS", 20 * 60))


def local_day(initiative, now: dt.datetime | None = None) -> dt.date:
    try:
        zone = zoneinfo.ZoneInfo(initiative.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return timezone.localtime(now or timezone.now(), zone).date()


def _hash(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def mint_kiosk_token(*, session: Session) -> str:
    """A one-time, short-lived pulse link for `session`, shown after a check-in at the kiosk."""
    return signing.dumps({"s": session.pk, "n": secrets.token_urlsafe(18)}, salt=SALT, compress=False)


@dataclass(frozen=True)
class KioskPulse:
    session: Session
    nonce: str


def read_kiosk_token(*, initiative, token: object) -> KioskPulse:
    """The session of a kiosk link, if it is genuine, fresh, unused and of this initiative.

    Raises DomainError `pulse_link_invalid` (forged, malformed, huge, another initiative's or an
    unknown or cancelled session), `pulse_link_expired` or `pulse_link_used`."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise DomainError("pulse_link_invalid")
    try:
        data = signing.loads(token, salt=SALT, max_age=token_seconds())
    except signing.SignatureExpired as error:
        raise DomainError("pulse_link_expired") from error
    except signing.BadSignature as error:
        raise DomainError("pulse_link_invalid") from error
    if (not isinstance(data, dict) or not isinstance(data.get("s"), int)
            or not isinstance(data.get("n"), str)):
        raise DomainError("pulse_link_invalid")
    session = (Session.objects.filter(initiative=initiative, pk=data["s"])
               .exclude(status=Session.Status.CANCELLED).select_related("activity").first())
    if session is None:
        raise DomainError("pulse_link_invalid")
    if UsedPulseToken.objects.filter(nonce_hash=_hash(data["n"])).exists():
        raise DomainError("pulse_link_used")
    return KioskPulse(session=session, nonce=data["n"])


def clean_answers(answers: Mapping[str, object], *, day: dt.date) -> dict[str, str]:
    """Keep the answers to items offered on `day`; an unknown item or answer code is an error
    (`pulse_answer_invalid`), an empty value means "not reached" and is left out."""
    offered = {item.code for item in items_for(day)}
    cleaned: dict[str, str] = {}
    for code, value in answers.items():
        if value in (None, ""):
            continue
        item = BY_CODE.get(code) if isinstance(code, str) else None
        if item is None or code not in offered or not isinstance(value, str) or value not in item.codes:
            raise DomainError("pulse_answer_invalid")
        cleaned[code] = value
    return cleaned


def _store(*, initiative, session: Session, language: str, day: dt.date, channel: str,
           answers: dict[str, str], pseudonym=None) -> PulseResponse:
    if language not in dict(settings.LANGUAGES):
        raise DomainError("pulse_language_invalid")
    response = PulseResponse.objects.create(
        initiative=initiative, session=session, language=language, day=day, channel=channel,
        module=module_for(day), pseudonym=pseudonym,
    )
    PulseAnswer.objects.bulk_create(
        PulseAnswer(response=response, item=code, answer=value) for code, value in answers.items()
    )
    return response


@transaction.atomic
def submit_kiosk_pulse(*, initiative, token: object, language: str,
                       answers: Mapping[str, object], now: dt.datetime | None = None) -> PulseResponse:
    """Store a pulse answered at the kiosk with a link from `mint_kiosk_token`, and use the link up.
    Nothing is written when any check fails."""
    pulse = read_kiosk_token(initiative=initiative, token=token)
    day = local_day(initiative, now)
    cleaned = clean_answers(answers, day=day)
    try:
        with transaction.atomic():
            UsedPulseToken.objects.create(nonce_hash=_hash(pulse.nonce), day=day)
    except IntegrityError as error:  # two taps of "Done" racing: one wins
        raise DomainError("pulse_link_used") from error
    return _store(initiative=initiative, session=pulse.session, language=language, day=day,
                  channel=PulseResponse.Channel.KIOSK, answers=cleaned)


def as_id(value: object) -> int | None:
    """A database id from a URL or a form, or None (not a number, or beyond a 64-bit key)."""
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        return None
    return number if 0 < number < 2**63 else None


def get_phone_session(*, person, pk: object, now: dt.datetime | None = None) -> Session:
    """A session the person may answer the pulse for (checked in, last days, not answered yet)."""
    from verbinding.surveys.selectors import list_answerable_sessions

    pk = as_id(pk)
    if pk is None:
        raise DomainError("pulse_not_attended")
    for session in list_answerable_sessions(person=person, now=now):
        if session.pk == pk:
            return session
    if PulseAnswered.objects.filter(person=person, session_id=pk).exists():
        raise DomainError("pulse_already_answered")
    raise DomainError("pulse_not_attended")


@transaction.atomic
def submit_phone_pulse(*, person, session_id: object, language: str,
                       answers: Mapping[str, object], now: dt.datetime | None = None) -> PulseResponse:
    """Store a member's pulse for a session they attended. The marker `PulseAnswered` (person,
    session — no answers) makes it once per person and session; the response itself carries
    the survey pseudonym only when the person consented to linking."""
    session = get_phone_session(person=person, pk=session_id, now=now)
    day = local_day(person.initiative, now)
    cleaned = clean_answers(answers, day=day)
    if not CheckIn.objects.filter(person=person, session=session).exists():  # re-checked under lock
        raise DomainError("pulse_not_attended")
    try:
        with transaction.atomic():
            PulseAnswered.objects.create(person=person, session=session)
    except IntegrityError as error:
        raise DomainError("pulse_already_answered") from error
    link = SurveyLink.objects.filter(person=person).select_related("pseudonym").first()
    return _store(initiative=person.initiative, session=session, language=language, day=day,
                  channel=PulseResponse.Channel.PHONE, answers=cleaned,
                  pseudonym=link.pseudonym if link else None)


@transaction.atomic
def give_link_consent(*, person, by) -> SurveyLink:
    """The person agrees that their later pulse answers are linked to each other through a
    survey pseudonym (never their name or id). Only the person themselves may give it."""
    if by is None or by.pk != person.user_id:
        raise DomainError("consent_required")
    link = SurveyLink.objects.filter(person=person).first()
    if link:
        return link
    pseudonym = SurveyPseudonym.objects.create(initiative_id=person.initiative_id)
    return SurveyLink.objects.create(person=person, pseudonym=pseudonym, consented_at=timezone.now())


@transaction.atomic
def withdraw_link_consent(*, person, by=None) -> None:
    """Withdrawal deletes the link and the pseudonym: earlier answers stay, unlinked."""
    link = SurveyLink.objects.filter(person=person).select_related("pseudonym").first()
    if link is None:
        return
    pseudonym = link.pseudonym
    PulseResponse.objects.filter(pseudonym=pseudonym).update(pseudonym=None)
    link.delete()
    pseudonym.delete()


def unlink_before_erase(person) -> None:
    """people.hooks: erasing a person deletes their survey link and their answered markers."""
    withdraw_link_consent(person=person)
    PulseAnswered.objects.filter(person=person).delete()


@transaction.atomic
def prune_markers(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Delete what only served to stop double answers once it can no longer matter: used kiosk
    links older than two days (a link lives minutes) and answered markers of sessions that
    started before the phone window. Returns (links, markers) deleted."""
    now = now or timezone.now()
    links, _ = UsedPulseToken.objects.filter(day__lt=(now - dt.timedelta(days=2)).date()).delete()
    markers, _ = PulseAnswered.objects.filter(
        session__start__lt=now - dt.timedelta(days=PHONE_WINDOW_DAYS + 1)
    ).delete()
    return links, markers


def retention_months() -> int:
    return int(getattr(settings, "VERBINDING_PULSE_RETENTION_MONTHS", 36))


@transaction.atomic
def delete_old_responses(*, now: dt.datetime | None = None) -> int:
    """Delete pulse responses (and their answers) older than VERBINDING_PULSE_RETENTION_MONTHS
    (default 36, research note §4.4); the stored insight snapshots keep the aggregates.
    Returns how many responses were deleted."""
    now = now or timezone.now()
    cutoff = (now - dt.timedelta(days=round(retention_months() * 30.44))).date()
    old = PulseResponse.objects.filter(day__lt=cutoff)
    count = old.count()
    PulseAnswer.objects.filter(response__in=old).delete()
    old.delete()
    return count


def export_sections(person) -> dict:
    """people.hooks: the person's survey link, their linked answers and "answered" markers.

    Unlinked answers carry no person and cannot be found (that is the point); linked ones are
    found through the person's own link, which exists only with their consent."""
    link = SurveyLink.objects.filter(person=person).select_related("pseudonym").first()
    linked = []
    if link is not None:
        responses = (PulseResponse.objects.filter(pseudonym=link.pseudonym)
                     .prefetch_related("answers").order_by("day", "id"))
        linked = [{"day": r.day.isoformat(), "channel": r.channel, "module": r.module,
                   "language": r.language,
                   "answers": {a.item: a.answer for a in r.answers.all()}} for r in responses]
    answered = (PulseAnswered.objects.filter(person=person).select_related("session")
                .order_by("session__start", "session_id"))
    return {"surveys": {
        "linking_consent": ({"consented_at": link.consented_at.isoformat(),
                             "consent_version": link.consent_version} if link else None),
        "linked_answers": linked,
        "answered_sessions": [m.session.start.isoformat() for m in answered],
    }}
