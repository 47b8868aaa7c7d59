"""Writes of the attendance app: signing up for a session, enrolling in a project, cancelling,
and moving people up from the waiting list.

Every capacity decision is taken while holding a row lock on the session (or, for a project,
on the activity) with `select_for_update`, so two sign-ups or cancellations at the same moment
can never oversubscribe a session. On PostgreSQL that is a real row lock; on SQLite the whole
database is the lock (transactions start IMMEDIATE, see config/env.py), which serialises
writers just as well.

Promotion from the waiting list happens in the same transaction as the cancellation that
freed the place; the person hears about it by email after commit (when they gave one) and on
their "my sign-ups" page.
"""

from __future__ import annotations

import logging
import zoneinfo

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from verbinding.accounts.access import is_member
from verbinding.activities.models import Activity, Session
from verbinding.attendance.models import Registration
from verbinding.core.errors import DomainError
from verbinding.core.services import bump_content_version
from verbinding.people.models import Person, SelfDescription

logger = logging.getLogger(__name__)

S = Registration.Status
LIVE = (S.CONFIRMED, S.WAITLISTED)


# --- sessions (regular and one-off activities) ----------------------------------------


@transaction.atomic
def sign_up(*, session: Session, person: Person, by=None) -> Registration:
    """Sign `person` up for `session`: confirmed while there is room, else on the waiting list.

    The returned registration carries `waitlist_position` (1 = next in line; None when
    confirmed).
    """
    bump_content_version(session.initiative_id)  # places left change; first lock, see core
    session = _lock_session(session.pk)
    activity = session.activity
    _check_same_initiative(activity, person)
    if activity.is_project:
        raise DomainError("project_enrol_whole")
    _check_open(activity)
    if session.status == Session.Status.CANCELLED:
        raise DomainError("session_cancelled")
    if session.status != Session.Status.PLANNED or session.start <= timezone.now():
        raise DomainError("session_past")
    _check_audience(activity, person)
    if Registration.objects.filter(session=session, person=person, status__in=LIVE).exists():
        raise DomainError("already_registered")

    return _take_place(activity=activity, session=session, person=person,
                       capacity=session.effective_capacity,
                       confirmed=_confirmed_for_session(session))


@transaction.atomic
def cancel_sign_up(*, registration: Registration | None = None, session: Session | None = None,
                   person: Person | None = None, by=None) -> Registration:
    """Cancel a sign-up (or leave the waiting list). When a confirmed place frees up, the
    earliest person on the waiting list moves up in the same transaction."""
    if registration is not None:
        session_id = registration.session_id
        if session_id is None:
            raise DomainError("project_enrol_whole")
        person_id, initiative_id = registration.person_id, registration.initiative_id
    elif session is not None and person is not None:
        session_id, person_id, initiative_id = session.pk, person.pk, session.initiative_id
    else:
        raise TypeError("cancel_sign_up needs a registration, or a session and a person")

    bump_content_version(initiative_id)  # places left change; first lock, see core.services
    locked = _lock_session(session_id)
    if locked.start <= timezone.now():
        raise DomainError("session_past")
    current = (
        Registration.objects.filter(session_id=session_id, person_id=person_id, status__in=LIVE)
        .first()
    )
    return _release(current, queue=Registration.objects.filter(session_id=session_id),
                    capacity=locked.effective_capacity)


# --- projects (one enrolment for the whole series) ------------------------------------


@transaction.atomic
def enrol(*, activity: Activity, person: Person, by=None) -> Registration:
    """Enrol `person` in a project for its whole series (session=None), or put them on the
    project's waiting list when it is full. The result carries `waitlist_position`."""
    bump_content_version(activity.initiative_id)  # places left change; first lock, see core
    activity = _lock_activity(activity.pk)
    _check_same_initiative(activity, person)
    if not activity.is_project:
        raise DomainError("not_a_project")
    _check_open(activity)
    if not _project_has_future_session(activity):
        raise DomainError("project_ended")
    _check_audience(activity, person)
    if Registration.objects.filter(
        activity=activity, session__isnull=True, person=person, status__in=LIVE
    ).exists():
        raise DomainError("already_registered")

    confirmed = Registration.objects.filter(
        activity=activity, session__isnull=True, status=S.CONFIRMED
    ).count()
    return _take_place(activity=activity, session=None, person=person,
                       capacity=activity.capacity, confirmed=confirmed)


@transaction.atomic
def leave(*, activity: Activity, person: Person, by=None) -> Registration:
    """Leave a project (or its waiting list); a freed place goes to the next in line."""
    bump_content_version(activity.initiative_id)  # places left change; first lock, see core
    activity = _lock_activity(activity.pk)
    current = Registration.objects.filter(
        activity=activity, session__isnull=True, person=person, status__in=LIVE
    ).first()
    return _release(
        current, queue=Registration.objects.filter(activity=activity, session__isnull=True),
        capacity=activity.capacity,
    )


# --- erasure (registered as a people hook in AttendanceConfig.ready) -------------------


@transaction.atomic
def cancel_future_sign_ups(*, person: Person, by=None) -> int:
    """Cancel every live sign-up of `person` for a session that has not started and every
    enrolment in a project that has not ended, through `cancel_sign_up` / `leave`, so the
    waiting lists move up (and the people who move up are told). Past sign-ups stay: they
    are the anonymous counts. Returns how many were cancelled."""
    now = timezone.now()
    live = Registration.objects.filter(person=person, status__in=LIVE)
    sessions = list(
        live.filter(session__isnull=False, session__start__gt=now)
        .order_by("session__start", "id").values_list("session_id", flat=True)
    )
    projects = list(
        Activity.objects.filter(
            pk__in=live.filter(session__isnull=True).values("activity_id"),
            sessions__status=Session.Status.PLANNED, sessions__start__gt=now,
        ).distinct().order_by("pk")
    )
    for session in Session.objects.filter(pk__in=sessions).order_by("start", "id"):
        cancel_sign_up(session=session, person=person, by=by)
    for activity in projects:
        leave(activity=activity, person=person, by=by)
    return len(sessions) + len(projects)


def cancel_future_sign_ups_before_erase(person: Person) -> None:
    """The `people.hooks.before_erase` hook: an erased person holds no place any more."""
    cancel_future_sign_ups(person=person, by=None)


@transaction.atomic
def mark_promotions_seen(*, person: Person, by=None) -> int:
    """The person has seen the "you moved up" notices on their page."""
    return Registration.objects.filter(
        person=person, promoted_at__isnull=False, promotion_seen_at__isnull=True
    ).update(promotion_seen_at=timezone.now())


# --- shared helpers -------------------------------------------------------------------


def waitlist_position(registration: Registration) -> int:
    """1-based place in the queue: waitlisted registrations created before this one, plus one."""
    queue = Registration.objects.filter(activity_id=registration.activity_id, status=S.WAITLISTED)
    if registration.session_id is None:
        queue = queue.filter(session__isnull=True)
    else:
        queue = queue.filter(session_id=registration.session_id)
    ahead = queue.filter(created_at__lt=registration.created_at).count() + queue.filter(
        created_at=registration.created_at, id__lt=registration.id
    ).count()
    return ahead + 1


def _lock_session(session_id: int) -> Session:
    return (
        Session.objects.select_for_update(of=("self",))
        .select_related("activity", "activity__initiative")
        .get(pk=session_id)
    )


def _lock_activity(activity_id: int) -> Activity:
    return (
        Activity.objects.select_for_update(of=("self",)).select_related("initiative")
        .get(pk=activity_id)
    )


def _check_same_initiative(activity: Activity, person: Person) -> None:
    # Views already scope both to request.initiative; this guards every other caller.
    if activity.initiative_id != person.initiative_id or person.anonymised_at is not None:
        raise DomainError("activity_not_open")


def _check_open(activity: Activity) -> None:
    if activity.status != Activity.Status.PUBLISHED:
        raise DomainError("activity_not_open")


def _check_audience(activity: Activity, person: Person) -> None:
    if activity.audience == Activity.Audience.MEMBERS and not _is_member(person, activity):
        raise DomainError("members_only")
    if activity.audience == Activity.Audience.WOMEN and not _is_eligible_for_women_only(person):
        # The message tells the person how to become eligible; nobody else learns anything.
        raise DomainError("not_eligible_women_only")


def _is_member(person: Person, activity: Activity) -> bool:
    # A person without a login (alias, QR card) is a member by having a record here; a person
    # with a login needs a member-like role (kiosk and partner accounts are not members).
    if person.user_id is None:
        return True
    return is_member(person.user, activity.initiative)


def _is_eligible_for_women_only(person: Person) -> bool:
    return SelfDescription.objects.filter(
        person=person, gender=SelfDescription.Gender.WOMAN
    ).exists()


def _project_has_future_session(activity: Activity) -> bool:
    return activity.sessions.filter(
        status=Session.Status.PLANNED, start__gt=timezone.now()
    ).exists()


def _confirmed_for_session(session: Session) -> int:
    return Registration.objects.filter(session=session, status=S.CONFIRMED).count()


def _take_place(*, activity: Activity, session: Session | None, person: Person,
                capacity: int | None, confirmed: int) -> Registration:
    """A confirmed place while there is room, else a place on the waiting list (with its
    position). The caller holds the lock on the session or project row."""
    full = capacity is not None and confirmed >= capacity
    registration = _create(
        initiative_id=activity.initiative_id, activity=activity, session=session, person=person,
        status=S.WAITLISTED if full else S.CONFIRMED,
    )
    registration.waitlist_position = (
        waitlist_position(registration) if registration.status == S.WAITLISTED else None
    )
    return registration


def _release(current: Registration | None, *, queue, capacity: int | None) -> Registration:
    """Cancel `current`; a freed confirmed place goes to the next in `queue`. The caller holds
    the lock on the session or project row."""
    if current is None:
        raise DomainError("not_registered")
    was_confirmed = current.status == S.CONFIRMED
    current.status = S.CANCELLED
    current.save(update_fields=["status", "updated_at"])
    current.was_waitlisted = not was_confirmed
    if was_confirmed:
        _promote(queue, capacity=capacity)
    return current


def _create(**fields) -> Registration:
    try:
        with transaction.atomic():
            return Registration.objects.create(**fields)
    except IntegrityError:
        # The partial unique constraints are the last line: a live registration exists.
        raise DomainError("already_registered") from None


def _promote(queue, *, capacity: int | None) -> list[Registration]:
    """Move the earliest waitlisted registrations of `queue` up while there is room.

    The caller holds the lock on the session or project row.
    """
    promoted: list[Registration] = []
    confirmed = queue.filter(status=S.CONFIRMED).count()
    while capacity is None or confirmed < capacity:
        nxt = (
            queue.filter(status=S.WAITLISTED)
            .select_related("person", "activity__initiative", "session")
            .order_by("created_at", "id")
            .first()
        )
        if nxt is None:
            break
        nxt.status = S.CONFIRMED
        nxt.promoted_at = timezone.now()
        nxt.save(update_fields=["status", "promoted_at", "updated_at"])
        confirmed += 1
        promoted.append(nxt)
        _notify_promoted(nxt)
    return promoted


def _notify_promoted(registration: Registration) -> None:
    """Email after commit (only if the person gave an address); the in-app notice is the
    `promoted_at` stamp, shown on the person's "my sign-ups" page.

    The email speaks the moved-up person's language (their preferred language, else the
    meeting place's first language), not the language of whoever freed the place."""
    person = registration.person
    if not person.email:
        return
    registration_id = registration.pk
    language = person.preferred_language or _initiative_language(registration.activity.initiative)

    def send() -> None:
        with translation.override(language):
            _send_promotion_email(registration_id)

    transaction.on_commit(send, robust=True)


def _initiative_language(initiative) -> str:
    site = {code for code, _label in settings.LANGUAGES}
    for code in initiative.languages or ():
        if code in site:
            return code
    return settings.LANGUAGE_CODE


def _send_promotion_email(registration_id: int) -> None:
    registration = (
        Registration.objects.select_related("person", "activity__initiative", "session")
        .filter(pk=registration_id, status=S.CONFIRMED)
        .first()
    )
    if registration is None or not registration.person.email:
        return
    activity = registration.activity
    initiative = activity.initiative
    title = activity.title_text()
    if registration.session_id is not None:
        try:
            tz = zoneinfo.ZoneInfo(initiative.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        when = date_format(timezone.localtime(registration.session.start, tz), "DATETIME_FORMAT")
        body = _(
            "Good news: a place came free and you moved up from the waiting list. "
            "You are now signed up for %(title)s on %(when)s at %(place)s."
        ) % {"title": title, "when": when, "place": initiative.name}
    else:
        body = _(
            "Good news: a place came free and you moved up from the waiting list. "
            "You are now part of the project %(title)s at %(place)s."
        ) % {"title": title, "place": initiative.name}
    path = reverse("attendance:my-signups", kwargs={"initiative_slug": initiative.slug})
    base_url = getattr(settings, "VERBINDING_BASE_URL", "").rstrip("/")
    body += "\n\n" + _("See your sign-ups: %(url)s") % {"url": base_url + path}
    body += "\n" + _("Cannot come after all? Please cancel there, so someone else can come.")
    send_mail(
        subject=_("You have a place: %(title)s") % {"title": title},
        message=body,
        from_email=None,
        recipient_list=[registration.person.email],
    )
