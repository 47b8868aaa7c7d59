"""Writes of the organising app: marking people present after the fact (and undoing a mistake),
counting guests, cancelling a session with a notice, and messaging the people signed up.

Every function is atomic, takes keyword arguments only and the acting user as `by=`. Presence
goes through `attendance.checkin` (the one place check-ins are written). A message or a
cancellation notice is one `SessionMessage` row, written in the same transaction as the
cancellation; the emails go out after commit, each in the recipient's own language, so nobody
hears of a message or a cancellation that did not happen.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from verbinding.accounts.services import audit_reads_once_a_day
from verbinding.activities import services as activity_services
from verbinding.activities.models import Session
from verbinding.activities.recurrence import zone
from verbinding.attendance import checkin as checkins
from verbinding.attendance.models import GuestTally, SessionMessage
from verbinding.core.errors import DomainError, register_messages
from verbinding.core.i18n import localized
from verbinding.core.models import Initiative
from verbinding.organising import selectors
from verbinding.people.models import Person

logger = logging.getLogger(__name__)

MESSAGE_MAX = 2000
MARK_MAX = 500  # people marked present in one go; a session never has more

register_messages({
    "organising_message_required": gettext_lazy("Write a message first."),
    "organising_message_too_long": gettext_lazy("A message can be at most 2000 characters."),
    "organising_message_characters": gettext_lazy(
        "This message contains hidden or control characters. Please type it again as plain text."
    ),
    "organising_message_markup": gettext_lazy(
        "Please write plain text: HTML tags or code are not sent."
    ),
    "organising_not_started": gettext_lazy(
        "This session has not started yet: mark people present once it has begun."
    ),
    "organising_too_old": gettext_lazy(
        "This session is older than the period for which we keep per-person history."
    ),
    "organising_session_over": gettext_lazy("This session is over and can no longer be cancelled."),
    "organising_person_not_here": gettext_lazy("This person is not a member of this meeting place."),
    "organising_nobody_chosen": gettext_lazy("Tick at least one person."),
})

# Every control or format character except the joiners and direction marks that Arabic and
# Persian text needs, and line breaks (U+202E turns text around, NUL breaks databases).
_ALLOWED_CONTROL = {"\u200c", "\u200d", "\u200e", "\u200f", "\n", "\r", "\t"}
_MARKUP = re.compile(r"<\s*[/!?]?\s*[A-Za-z]")


def clean_text(text: str | None, *, required: bool) -> str:
    """The message as typed (trimmed, line breaks normalised), or DomainError."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        if required:
            raise DomainError("organising_message_required")
        return ""
    if len(text) > MESSAGE_MAX:
        raise DomainError("organising_message_too_long")
    if any(unicodedata.category(c).startswith("C") and c not in _ALLOWED_CONTROL for c in text):
        raise DomainError("organising_message_characters")
    if _MARKUP.search(text):
        raise DomainError("organising_message_markup")
    return text


# --- attendance after the fact ----------------------------------------------------------------


def _check_writable(session: Session, *, now=None, started: bool = True) -> None:
    now = now or timezone.now()
    if selectors.is_beyond_history(session, now=now):
        raise DomainError("organising_too_old")
    if session.status == Session.Status.CANCELLED:
        raise DomainError("checkin_session_cancelled")
    if started and session.start > now:
        raise DomainError("organising_not_started")


def _people_here(session: Session, person_ids: Iterable[int]) -> list[Person]:
    ids = set(person_ids)
    people = list(Person.objects.filter(initiative_id=session.initiative_id, pk__in=ids,
                                        anonymised_at__isnull=True).order_by("pk"))
    if len(people) != len(ids):
        raise DomainError("organising_person_not_here")
    return people


@transaction.atomic
def mark_present(*, session: Session, person_ids: Iterable[int], by, now=None) -> int:
    """Mark people present at a session that has begun, as checked in at its start (method
    "organiser"). All or nothing; people already present are left as they are. Returns how
    many were newly marked."""
    ids = list(dict.fromkeys(int(i) for i in person_ids))
    if not ids:
        raise DomainError("organising_nobody_chosen")
    if len(ids) > MARK_MAX:
        raise DomainError("organising_person_not_here")
    _check_writable(session, now=now)
    created = 0
    for person in _people_here(session, ids):
        result = checkins.check_in(session=session, person=person, method="organiser", by=by,
                                   at=session.start)
        created += result.created
    return created


@transaction.atomic
def undo_present(*, session: Session, person_id: int, by, now=None) -> bool:
    """Take back a check-in made by mistake (at the kiosk or here)."""
    _check_writable(session, now=now)
    (person,) = _people_here(session, [person_id])
    return checkins.undo_check_in(session=session, person=person)


@transaction.atomic
def add_guests(*, session: Session, count: int, group: str = GuestTally.Group.UNSPECIFIED,
               by, now=None) -> GuestTally:
    """Count walk-ins without an account afterwards (several at once)."""
    _check_writable(session, now=now)
    return checkins.count_guest(session=session, group=group, count=count, by=by)


# --- cancelling and messaging ------------------------------------------------------------------


@transaction.atomic
def cancel_with_notice(*, session: Session, by, message: str = "",
                       now=None) -> SessionMessage | None:
    """Cancel a session that is not over yet, through the activities service (which runs the
    `after_session_cancelled` hooks: `notify_cancelled` below writes the notice and emails).
    Returns the notice, or None when nobody was signed up to receive one."""
    text = clean_text(message, required=False)
    now = now or timezone.now()
    if session.status == Session.Status.CANCELLED:
        raise DomainError("session_cancelled")
    if session.end < now:
        raise DomainError("organising_session_over")
    activity_services.cancel_session(session=session, by=by, message=text)
    return (SessionMessage.objects.filter(session=session, is_cancellation=True)
            .order_by("-sent_at", "-id").first())


@transaction.atomic
def send_message(*, session: Session, by, body: str, now=None) -> SessionMessage:
    """Message everyone signed up for `session` (or enrolled in its project): one row they all
    see on "My sign-ups", and an email to those who gave an address."""
    text = clean_text(body, required=True)
    if selectors.is_beyond_history(session, now=now):
        raise DomainError("organising_too_old")
    return _deliver(session, by=by, body=text, is_cancellation=False)


def notify_cancelled(session: Session, *, by=None, message: str = "") -> None:
    """The `activities.hooks.after_session_cancelled` hook (registered in OrganisingConfig):
    whoever cancels — the organiser here, a coordinator on the activity's sessions page, a
    changed repeat rule — everyone with a live registration is told."""
    # A message that did not come through cancel_with_notice is still checked; a bad one is
    # dropped rather than blocking the cancellation, and the standard notice goes out.
    try:
        text = clean_text(message, required=False)
    except DomainError:
        text = ""
    if not selectors.registrations_of(session).exists():
        return  # nobody to tell (a date cancelled before anyone signed up): no empty notice
    _deliver(session, by=by, body=text, is_cancellation=True)


def _deliver(session: Session, *, by, body: str, is_cancellation: bool) -> SessionMessage:
    recipients = selectors.list_recipients(session)
    with_email = [p.pk for p in recipients if p.email]
    message = SessionMessage.objects.create(
        initiative_id=session.initiative_id, session=session, body=body,
        sender=by if getattr(by, "is_authenticated", False) else None,
        is_cancellation=is_cancellation, recipients=len(recipients), emailed=len(with_email),
    )
    if with_email:
        message_id = message.pk
        transaction.on_commit(lambda: send_emails(message_id, with_email), robust=True)
    return message


# --- email -------------------------------------------------------------------------------------


def language_for(person: Person, initiative: Initiative) -> str:
    """The person's preferred language, else the meeting place's first language we speak."""
    site = {code for code, _label in settings.LANGUAGES}
    if person.preferred_language in site:
        return person.preferred_language
    for code in initiative.languages or ():
        if code in site:
            return code
    return settings.LANGUAGE_CODE


def send_emails(message_id: int, person_ids: list[int]) -> int:
    """Send `message` to each person, in their own language. Returns how many were sent."""
    message = (SessionMessage.objects.select_related("session__activity__initiative")
               .filter(pk=message_id).first())
    if message is None:
        return 0
    session = message.session
    initiative = session.activity.initiative
    people = Person.objects.filter(initiative=initiative, pk__in=person_ids,
                                   anonymised_at__isnull=True).exclude(email="").order_by("pk")
    emails = []
    for person in people:
        with translation.override(language_for(person, initiative)):
            subject, body = _email_text(message, session, initiative)
        emails.append(EmailMessage(subject=subject, body=body, to=[person.email]))
    if not emails:
        return 0
    return get_connection().send_messages(emails) or 0


def _email_text(message: SessionMessage, session: Session, initiative: Initiative) -> tuple[str, str]:
    activity = session.activity
    title = localized(activity.title, fallbacks=initiative.languages)
    local = timezone.localtime(session.start, zone(initiative.time_zone))
    when = date_format(local, "DATETIME_FORMAT")
    day = date_format(local, "DATE_FORMAT")
    values = {"title": title, "when": when, "date": day, "place": initiative.name}
    if message.is_cancellation:
        subject = _("Cancelled: %(title)s on %(date)s") % values
        lines = [_("%(title)s on %(when)s at %(place)s is cancelled. We are sorry.") % values]
        if message.body:
            lines += [_("The organisers wrote:"), message.body]
    else:
        subject = _("Message about %(title)s on %(date)s") % values
        lines = [
            _("A message from the organisers of %(title)s (%(when)s) at %(place)s:") % values,
            message.body,
        ]
    path = reverse("attendance:my-signups", kwargs={"initiative_slug": initiative.slug})
    base_url = getattr(settings, "VERBINDING_BASE_URL", "").rstrip("/")
    lines.append(_("See your sign-ups: %(url)s") % {"url": base_url + path})
    return subject, "\n\n".join(lines)


# --- audit of staff reads -----------------------------------------------------------------------

SESSION_VIEW = "organising:session"


def record_reads(*, initiative: Initiative, by, person_ids: Iterable[int],
                 view: str = SESSION_VIEW) -> int:
    """The session page shows who signed up, who came and who is new — personal data — so it
    leaves PROFILE_VIEW rows like every staff read: one per (staff user, person, day), not one
    per page load."""
    return audit_reads_once_a_day(initiative=initiative, by=by, person_ids=person_ids, view=view)


