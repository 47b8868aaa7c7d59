"""Writes for activities and their sessions: create, edit, publish/archive, materialise sessions
from the repeat rule, cancel and move one session.

Every function is atomic, takes keyword arguments only and the acting user as `by=` (None for
the system: the nightly command, the demo seeder). Broken rules raise DomainError(code).
The materialisation rules are written up in docs/algorithms/recurrence.md.

Layering: attendance depends on activities, not the other way round, so this module never
imports attendance; it asks a session whether it has sign-ups or check-ins through the
reverse relations (`session.registrations`, `session.checkins`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from verbinding.activities import hooks, recurrence
from verbinding.activities.models import Activity, Session
from verbinding.core.errors import DomainError
from verbinding.core.models import Initiative
from verbinding.core.services import bump_content_version
from verbinding.people.models import Person
from verbinding.people.vocab import Language

TITLE_MAX = 200
DESCRIPTION_MAX = 5000
GOAL_MAX = 1000
ROOM_MAX = 120
PROJECT_SESSIONS_DEFAULT = 6
PROJECT_SESSIONS_MAX = 20
TEAM_SIZE_RANGE = (2, 30)
DURATION_RANGE = (5, 24 * 60)
PRICE_MAX_CENTS = 1_000_000
EARLIEST_YEAR = 2000
LATEST_YEARS_AHEAD = 10

EDITABLE_FIELDS = (
    "title", "description", "kind", "format", "language_needed", "languages_spoken",
    "interpreter", "cost", "cost_cents", "audience", "status", "organisers", "room", "capacity",
    "first_start", "duration_minutes", "rrule", "common_goal", "planned_sessions", "team_size",
)


@dataclass(frozen=True)
class MaterialiseResult:
    created: int = 0
    deleted: int = 0
    cancelled: int = 0


# --- Activities -------------------------------------------------------------------------------

@transaction.atomic
def create_activity(*, initiative: Initiative, by, title: Mapping[str, str],
                    first_start: dt.datetime, materialise: bool = True, **fields) -> Activity:
    """Create an activity and its sessions (from the first start, past ones included, so a
    seeded history and a newly entered series both get every session)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown activity fields: {sorted(unknown)}")
    bump_content_version(initiative)
    activity = Activity(initiative=initiative)
    organisers = fields.pop("organisers", ())
    values = {"title": title, "first_start": first_start, **fields}
    _apply(activity, values)
    activity.save()
    activity.organisers.set(_organisers(initiative, organisers))
    if materialise:
        materialise_sessions(activity=activity, since=activity.first_start)
    return activity


@transaction.atomic
def update_activity(*, activity: Activity, by, **changes) -> Activity:
    """Change an activity. A new time or length moves the future sessions that were neither
    moved nor cancelled; a new rule re-materialises the future (keeping every session that has
    sign-ups or check-ins)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown activity fields: {sorted(unknown)}")
    bump_content_version(activity.initiative_id)
    activity = Activity.objects.select_for_update().select_related("initiative").get(pk=activity.pk)
    before = (activity.first_start, activity.duration_minutes, activity.kind)
    organisers = changes.pop("organisers", None)
    _apply(activity, changes)
    activity.save()
    if organisers is not None:
        activity.organisers.set(_organisers(activity.initiative, organisers))
    if activity.status != Activity.Status.ARCHIVED:
        if before != (activity.first_start, activity.duration_minutes, activity.kind):
            _shift_future_sessions(activity, old_start=before[0])
        materialise_sessions(activity=activity)
    return activity


@transaction.atomic
def publish_activity(*, activity: Activity, by) -> Activity:
    bump_content_version(activity.initiative_id)
    activity.status = Activity.Status.PUBLISHED
    activity.save(update_fields=["status", "updated_at"])
    materialise_sessions(activity=activity)
    return activity


@transaction.atomic
def archive_activity(*, activity: Activity, by) -> Activity:
    """Hide an activity. Its sessions stay (history and attendance are kept)."""
    bump_content_version(activity.initiative_id)
    activity.status = Activity.Status.ARCHIVED
    activity.save(update_fields=["status", "updated_at"])
    return activity


def _apply(activity: Activity, values: Mapping) -> None:
    """Validate `values` and set them on `activity` (unsaved). Raises DomainError."""
    initiative = activity.initiative
    langs = _content_languages(initiative)
    for name, value in values.items():
        if name == "title":
            title = _texts(value, langs, TITLE_MAX, "title_too_long")
            if not title:
                raise DomainError("title_required")
            activity.title = title
        elif name == "description":
            activity.description = _texts(value, langs, DESCRIPTION_MAX, "description_too_long")
        elif name == "common_goal":
            activity.common_goal = _texts(value, langs, GOAL_MAX, "description_too_long")
        elif name in ("kind", "format", "language_needed", "cost", "audience", "status"):
            field = Activity._meta.get_field(name)
            if value not in {c[0] for c in field.choices}:
                raise DomainError("choice_invalid", field=name)
            setattr(activity, name, value)
        elif name == "languages_spoken":
            codes = list(dict.fromkeys(value or []))
            if not set(codes) <= set(Language.values):
                raise DomainError("choice_invalid", field=name)
            activity.languages_spoken = codes
        elif name == "interpreter":
            activity.interpreter = bool(value)
        elif name == "cost_cents":
            activity.cost_cents = _optional_int(value, "price_required")
        elif name == "room":
            room = (value or "").strip()
            if len(room) > ROOM_MAX:
                raise DomainError("choice_invalid", field="room")
            activity.room = room
        elif name == "capacity":
            capacity = _optional_int(value, "capacity_invalid")
            if capacity is not None and capacity < 1:
                raise DomainError("capacity_invalid")
            activity.capacity = capacity
        elif name == "first_start":
            activity.first_start = _start(value)
        elif name == "duration_minutes":
            duration = _optional_int(value, "duration_invalid")
            if duration is None or not DURATION_RANGE[0] <= duration <= DURATION_RANGE[1]:
                raise DomainError("duration_invalid")
            activity.duration_minutes = duration
        elif name == "rrule":
            activity.rrule = (value or "").strip()
        elif name == "planned_sessions":
            activity.planned_sessions = _optional_int(value, "planned_sessions_invalid")
        elif name == "team_size":
            team_size = _optional_int(value, "team_size_invalid")
            if team_size is not None and not TEAM_SIZE_RANGE[0] <= team_size <= TEAM_SIZE_RANGE[1]:
                raise DomainError("team_size_invalid")
            activity.team_size = team_size
    _check_whole(activity)


def _check_whole(activity: Activity) -> None:
    """Rules across fields: price, project series, the repeat rule per kind."""
    if activity.cost == Activity.Cost.AMOUNT:
        if activity.cost_cents is None or not 0 <= activity.cost_cents <= PRICE_MAX_CENTS:
            raise DomainError("price_required")
    else:
        activity.cost_cents = None
    if activity.first_start is None:
        raise DomainError("start_invalid")
    if activity.kind == Activity.Kind.PROJECT:
        if activity.planned_sessions is None:
            activity.planned_sessions = PROJECT_SESSIONS_DEFAULT
        if not 1 <= activity.planned_sessions <= PROJECT_SESSIONS_MAX:
            raise DomainError("planned_sessions_invalid")
        activity.rrule = f"FREQ=WEEKLY;COUNT={activity.planned_sessions}"
    elif activity.kind == Activity.Kind.ONE_OFF:
        activity.rrule = ""
        activity.planned_sessions = None
        activity.team_size = None
    else:
        activity.planned_sessions = None
        activity.team_size = None
        if activity.rrule:
            rule = recurrence.parse_rule(
                activity.rrule, first_start=activity.first_start,
                tz=recurrence.zone(activity.initiative.time_zone),
            )
            activity.rrule = rule.body


def _content_languages(initiative: Initiative) -> list[str]:
    return list(dict.fromkeys([*(initiative.languages or []), "nl", "en", "ar"]))


def _texts(value, langs: list[str], limit: int, too_long: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise DomainError("choice_invalid")
    result = {}
    for lang, text in value.items():
        if lang not in langs:
            continue
        text = (text or "").strip() if isinstance(text, str) else ""
        if len(text) > limit:
            raise DomainError(too_long, lang=lang)
        if text:
            result[lang] = text
    return result


def _optional_int(value, code: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise DomainError(code) from exc
    if number < 0:
        raise DomainError(code)
    return number


def _start(value) -> dt.datetime:
    if not isinstance(value, dt.datetime) or timezone.is_naive(value):
        raise DomainError("start_invalid")
    latest = timezone.now().year + LATEST_YEARS_AHEAD
    if not EARLIEST_YEAR <= value.year <= latest:
        raise DomainError("start_invalid")
    # Rule expansion works on whole minutes (dateutil drops microseconds).
    return value.replace(second=0, microsecond=0)


def _organisers(initiative: Initiative, organisers: Iterable) -> list[Person]:
    ids = {p.pk if isinstance(p, Person) else int(p) for p in organisers or ()}
    people = list(Person.objects.filter(initiative=initiative, pk__in=ids, anonymised_at__isnull=True))
    if len(people) != len(ids):
        raise DomainError("organiser_not_here")
    return people


# --- Sessions ---------------------------------------------------------------------------------

def planned_occurrences(activity: Activity, *, since: dt.datetime | None = None,
                        horizon: dt.datetime | None = None) -> list[dt.datetime]:
    """The occurrences (aware) the activity's rule asks for, from `since` up to the horizon.

    One-off: its first start. Project and bounded rules: every occurrence. Open-ended rules:
    up to `horizon` (default: now + VERBINDING_MATERIALISE_DAYS), the rolling window.
    """
    first = activity.first_start
    if activity.kind == Activity.Kind.ONE_OFF or not activity.rrule:
        return [first] if since is None or first >= since else []
    tz = recurrence.zone(activity.initiative.time_zone)
    rule = recurrence.parse_rule(activity.rrule, first_start=first, tz=tz)
    if horizon is None:
        horizon = timezone.now() + dt.timedelta(days=settings.VERBINDING_MATERIALISE_DAYS)
    return recurrence.occurrences(
        rule, first_start=first, tz=tz, since=since, until=None if rule.bounded else horizon
    )


@transaction.atomic
def materialise_sessions(*, activity: Activity, since: dt.datetime | None = None,
                         now: dt.datetime | None = None, by=None) -> MaterialiseResult:
    """Make the sessions match the rule from `since` (default: now) onwards. Idempotent.

    - an occurrence without a session gets one (planned);
    - a session whose occurrence the rule no longer has is deleted if nobody signed up or
      checked in, and otherwise kept and cancelled;
    - moved sessions keep their time, cancelled sessions stay cancelled;
    - sessions before `since` are history and are left alone.
    """
    now = now or timezone.now()
    since = now if since is None else since
    if activity.status == Activity.Status.ARCHIVED:
        return MaterialiseResult()
    wanted = planned_occurrences(activity, since=since)
    existing = {
        s.occurrence: s
        for s in activity.sessions.filter(occurrence__isnull=False, occurrence__gte=since)
    }
    length = dt.timedelta(minutes=activity.duration_minutes)
    missing = [
        Session(initiative_id=activity.initiative_id, activity=activity, start=moment,
                end=moment + length, occurrence=moment)
        for moment in wanted if moment not in existing
    ]
    # Sessions before `since` are not in `existing` but may share an occurrence (since inside a
    # session's span): never create a duplicate of those.
    taken = set(activity.sessions.filter(occurrence__in=[s.occurrence for s in missing])
                .values_list("occurrence", flat=True))
    missing = [s for s in missing if s.occurrence not in taken]
    wanted_set = set(wanted)
    if missing or not set(existing) <= wanted_set:
        # Only when something will change: the nightly run leaves an unchanged activity's
        # cached pages alone. Before the first write, so the initiative row is locked first.
        bump_content_version(activity.initiative_id)
    Session.objects.bulk_create(missing)
    deleted = cancelled = 0
    for occurrence, session in existing.items():
        if occurrence in wanted_set:
            continue
        if _has_attendance(session):
            if session.status != Session.Status.CANCELLED:
                session.status = Session.Status.CANCELLED
                session.save(update_fields=["status"])
                hooks.run_after_session_cancelled(session, by=by, message="")
                cancelled += 1
        else:
            session.delete()
            deleted += 1
    return MaterialiseResult(created=len(missing), deleted=deleted, cancelled=cancelled)


def _has_attendance(session: Session) -> bool:
    # Reverse relations from attendance (no import: attendance depends on us, not we on it).
    return session.registrations.exists() or session.checkins.exists()


def _shift_future_sessions(activity: Activity, *, old_start: dt.datetime) -> None:
    """After a change of start or length, carry the future sessions along so that sign-ups stay
    with their session: each keeps its date (for a one-off or project: moves by the same number
    of days) and takes the new time of day; moved sessions keep their time, cancelled ones their
    status, but both follow in `occurrence` so the rule still recognises them."""
    tz = recurrence.zone(activity.initiative.time_zone)
    old_local = recurrence.to_local_naive(old_start, tz)
    new_local = recurrence.to_local_naive(activity.first_start, tz)
    whole_series = activity.kind in (Activity.Kind.ONE_OFF, Activity.Kind.PROJECT)
    day_shift = (new_local.date() - old_local.date()) if whole_series else dt.timedelta(0)
    length = dt.timedelta(minutes=activity.duration_minutes)
    sessions = list(
        activity.sessions.filter(occurrence__isnull=False, start__gte=timezone.now())
    )
    if not sessions:
        return
    # Move in an order that never lands on an occurrence still held by another session.
    targets = {}
    for s in sessions:
        local = recurrence.to_local_naive(s.occurrence, tz)
        new = dt.datetime.combine(local.date() + day_shift, new_local.time())
        targets[s.pk] = recurrence.from_local_naive(new, tz)
    forward = any(targets[s.pk] > s.occurrence for s in sessions)
    sessions.sort(key=lambda s: s.occurrence, reverse=forward)
    held = set(activity.sessions.values_list("occurrence", flat=True))
    for s in sessions:
        target = targets[s.pk]
        if target != s.occurrence and target in held:
            continue  # another session stands there already; re-materialisation sorts it out
        held.discard(s.occurrence)
        held.add(target)
        s.occurrence = target
        fields = ["occurrence"]
        if s.status == Session.Status.PLANNED and not s.moved:
            s.start, s.end = target, target + length
            fields += ["start", "end"]
        s.save(update_fields=fields)


@transaction.atomic
def cancel_session(*, session: Session, by, message: str = "") -> Session:
    """Cancel one date. The session is kept (sign-ups stay visible as cancelled), and a
    re-materialisation will not bring it back. The first time, the hooks of
    `activities.hooks` run (organising tells everyone signed up, with `message` if given)."""
    bump_content_version(session.initiative_id)
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status != Session.Status.CANCELLED:
        session.status = Session.Status.CANCELLED
        session.save(update_fields=["status"])
        hooks.run_after_session_cancelled(session, by=by, message=message)
    return session


@transaction.atomic
def move_session(*, session: Session, start: dt.datetime, end: dt.datetime, by) -> Session:
    """Move one date to another time; it keeps its occurrence, so the rule still knows it."""
    bump_content_version(session.initiative_id)
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status == Session.Status.CANCELLED:
        raise DomainError("session_cancelled_cannot_move")
    start, end = _start(start), _start(end)
    if end <= start:
        raise DomainError("end_before_start")
    if end - start > dt.timedelta(minutes=DURATION_RANGE[1]):
        raise DomainError("duration_invalid")
    session.start, session.end, session.moved = start, end, True
    session.save(update_fields=["start", "end", "moved"])
    return session


def materialise_all(*, now: dt.datetime | None = None) -> MaterialiseResult:
    """The nightly job: every activity that is not archived, each in its own transaction."""
    created = deleted = cancelled = 0
    activities = (Activity.objects.exclude(status=Activity.Status.ARCHIVED)
                  .exclude(kind=Activity.Kind.ONE_OFF).select_related("initiative").order_by("pk"))
    for activity in activities.iterator(chunk_size=200):
        try:
            result = materialise_sessions(activity=activity, now=now)
        except DomainError:
            continue  # a rule that no longer validates (settings changed): leave it as it is
        created += result.created
        deleted += result.deleted
        cancelled += result.cancelled
    return MaterialiseResult(created=created, deleted=deleted, cancelled=cancelled)
