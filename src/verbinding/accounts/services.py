"""Writes of the accounts app: logging in (with a rate limit), two-factor devices, kiosk logins,
creating an initiative with its first coordinator, and the audit helper every app uses.

Services raise DomainError(code) for a rule a user broke; views turn the code into a message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zoneinfo
from collections.abc import Iterable

from django.apps import apps
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from verbinding.accounts.models import Role, User
from verbinding.core.errors import DomainError, register_messages
from verbinding.core.models import AuditEntry, Initiative
from verbinding.core.services import bump_content_version

MAX_USERNAME = 150


def audit(*, initiative: Initiative, action: str, by=None, subject_person_id: int | None = None,
          view: str = "", detail: dict | None = None) -> AuditEntry:
    """Append one row to the audit log (privacy rule 4). Never pass names, contact or secrets."""
    actor = by if getattr(by, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        initiative=initiative, actor=actor, subject_person_id=subject_person_id,
        action=action, view=view[:100], detail=detail or {},
    )


def audit_reads_once_a_day(*, initiative: Initiative, by, person_ids: Iterable[int | None],
                           view: str, now: dt.datetime | None = None) -> int:
    """PROFILE_VIEW rows for a staff page that shows several people at once (the host's panel,
    an organiser's session): one per (staff user, person, page, day in the initiative's time
    zone), not one per page load or 5-second poll. Returns how many rows were written."""
    wanted = sorted({pid for pid in person_ids if pid is not None})
    if not wanted or not getattr(by, "is_authenticated", False):
        return 0
    try:
        tz = zoneinfo.ZoneInfo(initiative.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    local = (now or timezone.now()).astimezone(tz)
    since = dt.datetime.combine(local.date(), dt.time.min, tzinfo=tz)
    view = view[:100]
    done = set(AuditEntry.objects.filter(
        initiative=initiative, actor=by, action=AuditEntry.Action.PROFILE_VIEW, view=view,
        subject_person_id__in=wanted, at__gte=since,
    ).values_list("subject_person_id", flat=True))
    missing = [pid for pid in wanted if pid not in done]
    AuditEntry.objects.bulk_create([
        AuditEntry(initiative=initiative, actor=by, subject_person_id=pid,
                   action=AuditEntry.Action.PROFILE_VIEW, view=view, detail={})
        for pid in missing
    ])
    return len(missing)


# --- Login with a rate limit ---------------------------------------------------------------

def _attempts_key(username: str, ip: str) -> str:
    # Hash so that a hostile login name cannot make an invalid or huge cache key.
    raw = f"{username.strip().lower()}\x00{ip}".encode()
    return "login-attempts:" + hashlib.sha256(raw).hexdigest()


def login_attempts(*, username: str, ip: str) -> int:
    return int(cache.get(_attempts_key(username, ip), 0))


def _count_failure(*, username: str, ip: str) -> None:
    key = _attempts_key(username, ip)
    # The window starts at the first failure; add() is a no-op if the key already exists.
    cache.add(key, 0, timeout=settings.VERBINDING_LOGIN_WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.VERBINDING_LOGIN_WINDOW_SECONDS)


def check_credentials(*, request, initiative: Initiative, username: str, password: str) -> User:
    """The user for these credentials, if they have a role in `initiative`.

    Refuses (DomainError "login_rate_limited") after VERBINDING_LOGIN_ATTEMPTS failures for
    this login name from this address within VERBINDING_LOGIN_WINDOW_SECONDS; each failure
    writes an audit row LOGIN_FAILED with the login name tried (never the password).
    """
    ip = request.META.get("REMOTE_ADDR", "") or ""
    if login_attempts(username=username, ip=ip) >= settings.VERBINDING_LOGIN_ATTEMPTS:
        raise DomainError("login_rate_limited")
    user = authenticate(request, username=username, password=password)
    if user is not None and not Role.objects.filter(user=user, initiative=initiative).exists():
        user = None  # a login of another place: same answer as a wrong password
    if user is None:
        _count_failure(username=username, ip=ip)
        audit(initiative=initiative, action=AuditEntry.Action.LOGIN_FAILED, view="accounts:login",
              detail={"username": username[:MAX_USERNAME]})
        raise DomainError("login_failed")
    cache.delete(_attempts_key(username, ip))
    return user


# --- Two-factor (TOTP) -----------------------------------------------------------------------

def get_or_start_totp_device(*, user: User) -> TOTPDevice:
    """The user's unconfirmed TOTP device to set up, created if there is none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="verbinding", confirmed=False)
    return device


@transaction.atomic
def confirm_totp_device(*, user: User, device_id: int, token: str) -> TOTPDevice:
    device = TOTPDevice.objects.select_for_update().filter(
        user=user, pk=device_id, confirmed=False
    ).first()
    if device is None or not token.isdigit() or not device.verify_token(token):
        raise DomainError("otp_invalid")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # Any other unconfirmed leftovers are useless now.
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return device


# --- Accounts created by staff or an operator ------------------------------------------------

def _new_user(*, username: str, password: str) -> User:
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError("username_taken")
    user = User(username=username)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def create_kiosk_account(*, initiative: Initiative, username: str, password: str, by) -> User:
    """A login for the tablet at the door: role kiosk only, no Person."""
    user = _new_user(username=username, password=password)
    Role.objects.create(initiative=initiative, user=user, name=Role.Name.KIOSK, granted_by=by)
    audit(initiative=initiative, action=AuditEntry.Action.ROLE_CHANGE, by=by,
          view="people:kiosk-create",
          detail={"role": Role.Name.KIOSK, "change": "granted", "user_id": user.pk})
    return user


@transaction.atomic
def create_initiative(*, name: str, slug: str, coordinator_username: str, password: str,
                      languages: list[str], time_zone: str, display_name: str = "") -> Initiative:
    """An initiative with its first coordinator (roles coordinator + member, and a Person)."""
    if Initiative.objects.filter(slug=slug).exists():
        raise DomainError("slug_taken")
    zoneinfo.ZoneInfo(time_zone)  # raises for an unknown zone before anything is written
    initiative = Initiative.objects.create(
        name=name, slug=slug, languages=languages, time_zone=time_zone
    )
    user = _new_user(username=coordinator_username, password=password)
    for role in (Role.Name.COORDINATOR, Role.Name.MEMBER):
        Role.objects.create(initiative=initiative, user=user, name=role)
    # people sits above accounts in the layering; look the model up instead of importing it.
    person_model = apps.get_model("people", "Person")
    person_model.objects.create(
        initiative=initiative, user=user, display_name=display_name or user.username
    )
    return initiative


# --- The initiative's own settings (edited by its coordinators) ------------------------------

INITIATIVE_NAME_MAX = 120
INITIATIVE_ADDRESS_MAX = 200
INITIATIVE_DISTRICT_MAX = 120
TAGLINE_MAX = 200
OPENING_HOURS_MAX = 1000


def _check_length(value: str, limit: int, field: str) -> None:
    if len(value) > limit:
        raise DomainError("initiative_text_too_long", field=field, limit=limit)


@transaction.atomic
def update_initiative(*, initiative: Initiative, by, name: str, address: str, district: str,
                      time_zone: str, languages: list[str], tagline: dict[str, str],
                      opening_hours: dict[str, str]) -> Initiative:
    """Change what a coordinator may change about their initiative; never the slug (web address),
    because links, iCal subscriptions and printed QR cards depend on it.

    `languages` is in order: the first is the main language, used first when a text is missing
    in the visitor's language. `tagline` and `opening_hours` map a site language to plain text;
    empty texts are dropped. Every rule is checked before anything is written. No audit row:
    no person's data is concerned (privacy rule 4 is about people).
    """
    site_languages = {code for code, _label in settings.LANGUAGES}
    name = name.strip()
    if not name:
        raise DomainError("initiative_name_required")
    for value, limit, field in ((name, INITIATIVE_NAME_MAX, "name"),
                                (address, INITIATIVE_ADDRESS_MAX, "address"),
                                (district, INITIATIVE_DISTRICT_MAX, "district")):
        _check_length(value, limit, field)
    try:
        zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError) as error:
        raise DomainError("time_zone_unknown") from error
    languages = list(dict.fromkeys(languages))
    if not languages:
        raise DomainError("languages_required")
    texts = {"tagline": (tagline, TAGLINE_MAX), "opening_hours": (opening_hours, OPENING_HOURS_MAX)}
    if set(languages) - site_languages or any(set(values) - site_languages
                                              for values, _limit in texts.values()):
        raise DomainError("language_unknown")
    cleaned: dict[str, dict[str, str]] = {}
    for field, (values, limit) in texts.items():
        cleaned[field] = {lang: text.strip() for lang, text in values.items() if text.strip()}
        for lang, text in cleaned[field].items():
            _check_length(text, limit, f"{field}_{lang}")
    initiative.name = name
    initiative.address = address.strip()
    initiative.district = district.strip()
    initiative.time_zone = time_zone
    initiative.languages = languages
    initiative.tagline = cleaned["tagline"]
    initiative.opening_hours = cleaned["opening_hours"]
    initiative.save(update_fields=["name", "address", "district", "time_zone", "languages",
                                   "tagline", "opening_hours"])
    bump_content_version(initiative)  # name, time zone and languages show on the public pages
    return initiative


# --- Sharing the initiative's figures with a partner -----------------------------------------

register_messages({
    # One message for an unknown login name and for a login that is not a partner's, so the
    # form cannot be used to find out which login names exist.
    "partner_login_unknown": _(
        "There is no partner login with this name. Check the spelling with the partner, or "
        "create a new partner login."
    ),
    "partner_already_here": _("This partner already sees the figures of this meeting place."),
    "partner_not_here": _("This partner does not see the figures of this meeting place."),
})

PARTNER_VIEW = "people:partner-logins"


def _audit_partner(*, initiative: Initiative, by, user: User, change: str) -> None:
    audit(initiative=initiative, action=AuditEntry.Action.ROLE_CHANGE, by=by, view=PARTNER_VIEW,
          detail={"role": Role.Name.PARTNER, "change": change, "user_id": user.pk})


@transaction.atomic
def create_partner_account(*, initiative: Initiative, username: str, password: str, by) -> User:
    """A login for a partner (municipality, funder, researcher): role partner only, no Person.
    It sees this initiative's aggregated, disclosure-controlled figures and nothing else."""
    user = _new_user(username=username, password=password)
    Role.objects.create(initiative=initiative, user=user, name=Role.Name.PARTNER, granted_by=by)
    _audit_partner(initiative=initiative, by=by, user=user, change="granted")
    return user


@transaction.atomic
def share_with_partner(*, initiative: Initiative, username: str, by) -> User:
    """Give an existing partner login (one that holds only partner roles, in another
    initiative) the partner role here too, so its partner view adds this initiative.

    Any other login — unknown, inactive, with a person anywhere, a member's, staff's or a
    kiosk's — is refused with the same code, "partner_login_unknown": a coordinator must never
    turn a person's login into a partner login, and the answer must not reveal which login
    names exist."""
    name = User.normalize_username(username.strip())
    user = (User.objects.select_for_update().filter(username__iexact=name, is_active=True)
            .order_by("id").first()) if name else None
    roles = set(Role.objects.filter(user=user).values_list("name", flat=True)) if user else set()
    # A login with a person anywhere is someone's own login, whatever roles it holds now.
    has_person = user is not None and apps.get_model("people", "Person").objects.filter(
        user=user).exists()
    if roles != {Role.Name.PARTNER} or has_person:
        raise DomainError("partner_login_unknown")
    if Role.objects.filter(initiative=initiative, user=user, name=Role.Name.PARTNER).exists():
        raise DomainError("partner_already_here")
    Role.objects.create(initiative=initiative, user=user, name=Role.Name.PARTNER, granted_by=by)
    _audit_partner(initiative=initiative, by=by, user=user, change="granted")
    return user


@transaction.atomic
def stop_sharing_with_partner(*, initiative: Initiative, user_id: int, by) -> None:
    """Take the partner role here away from this login: its partner view no longer shows this
    initiative. The login itself stays (it may be a partner of other initiatives)."""
    if not 0 < user_id < 2**63:  # no such id; a bigger one would overflow the database integer
        raise DomainError("partner_not_here")
    role = (Role.objects.select_for_update()
            .filter(initiative=initiative, user_id=user_id, name=Role.Name.PARTNER).first())
    if role is None:
        raise DomainError("partner_not_here")
    user = role.user
    role.delete()
    _audit_partner(initiative=initiative, by=by, user=user, change="revoked")
