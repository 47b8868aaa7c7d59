"""Demo data: two fictional meeting places, built through the services (`seed_demo`).

What is here: the plan (who the members are, which activities run, who signs up), made with
one `random.Random(seed)` so a seed always gives the same data, and the builder that writes
that plan through the same services a real visitor or coordinator would use (join, profile,
languages, self-description, roles, create activity, materialise sessions, cancel, sign up,
enrol). Where a service refuses by design — signing up for a session that already took place,
enrolling in a finished project — the history is written directly, marked as such below.

The content (names, places, activities) is in `demo_content.py`. Nothing here describes a real
person. Nationality is never stored: a "background" only picks plausible names and languages.
The demo password lives here and nowhere else.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import math
import random
import secrets
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from verbinding.accounts import services as account_services
from verbinding.accounts.models import Role, User
from verbinding.activities import services as activity_services
from verbinding.activities.models import Activity, Session
from verbinding.attendance import demo_content as content
from verbinding.attendance import services as attendance_services
from verbinding.attendance.models import CheckIn, Registration
from verbinding.core.errors import DomainError
from verbinding.core.models import AuditEntry, Initiative
from verbinding.people import services as people_services
from verbinding.people.models import Person, PersonLanguage, SelfDescription
from verbinding.people.vocab import AVAILABILITY_SLOTS, Interest, Talent

DEMO_PASSWORD = "verbinding-demo"  # noqa: S105 — the public demo password, demo only
DEMO_SLUGS = content.DEMO_SLUGS
CONSENT_SHARE = 0.75
SITE_LANGUAGES = {code for code, _label in settings.LANGUAGES}
DEMO_ROLES = ("coordinator", "organiser", "host", "kiosk", "newcomer", "local")

# Talents and interests by who people are (plausible, never exclusive).
NEWCOMER_TALENTS = ("cooking", "baking", "music", "singing", "dance", "sewing", "hairdressing",
                    "sport", "games", "drawing", "photography", "computers", "crafts",
                    "childcare", "theatre", "woodwork", "teaching_language")
YOUNG_LOCAL_TALENTS = ("teaching_language", "organising", "music", "photography", "computers",
                       "sport", "cooking", "theatre", "drawing", "games", "singing", "crafts")
SENIOR_TALENTS = ("bike_repair", "sewing", "baking", "gardening", "woodwork", "cooking",
                  "singing", "crafts", "teaching_language", "games")


# --- The plan ----------------------------------------------------------------------------------


@dataclass
class MemberPlan:
    index: int
    place: str
    group: str  # newcomer | local — stored only when the member consents (self-description)
    background: str  # for names and languages while planning; NEVER stored
    gender: str
    display_name: str
    username: str
    consent: bool
    described_group: str
    described_gender: str
    speaks: dict[str, str]
    wants: list[str]
    talents: list[str]
    interests: list[str]
    availability: list[str]
    joined_days_ago: int
    referral_partner: str | None = None
    referral_member: int | None = None  # index of the member who brought them
    roles: set[str] = field(default_factory=set)
    demo_login: str | None = None


@dataclass
class PlacePlan:
    spec: content.PlaceSpec
    members: list[MemberPlan]
    organisers: dict[str, list[int]]  # activity key → member indexes (lead first)


def _pick_name(rng: random.Random, names: tuple[str, ...], used: set[str], script: str) -> str:
    base = rng.choice(names)
    for _attempt in range(3):  # prefer a first name nobody here has yet
        if base not in used:
            break
        base = rng.choice(names)
    name = base
    initials = content.INITIALS[script]
    while name in used:
        name = f"{base} {rng.choice(initials)}."
    used.add(name)
    return name


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    keys = sorted(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _availability(rng: random.Random, spec: content.PlaceSpec) -> list[str]:
    days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    slots = []
    for day in days:
        for part in ("morning", "afternoon", "evening"):
            weekend = day in ("sat", "sun")
            fits = part in spec.day_parts or (weekend and part == "afternoon"
                                               and spec.slug == "buurtkamer")
            if spec.slug == "trefpunt" and day == "sun":
                fits = False
            if fits and rng.random() < 0.45:
                slots.append(f"{day}-{part}")
    if not slots:
        slots.append(f"{rng.choice(days[:5])}-{spec.day_parts[0]}")
    return [s for s in AVAILABILITY_SLOTS if s in slots]


def _member(rng: random.Random, spec: content.PlaceSpec, index: int, group: str, gender: str,
            consent: bool, used: set[str]) -> MemberPlan:
    if group == "newcomer":
        background = _weighted(rng, spec.backgrounds)
        script, native_share = content.BACKGROUND_SCRIPT[background]
        g = 0 if gender == "woman" else 1
        if rng.random() < native_share:
            name = _pick_name(rng, content.NATIVE_NAMES[script][g], used, script)
        else:
            name = _pick_name(rng, content.TRANSLIT_NAMES[background][g], used, "latin")
        speaks = {}
        for lang, level, p in content.BACKGROUND_LANGUAGES[background]:
            if rng.random() < p:
                speaks[lang] = level
        dutch = rng.random()
        if dutch < 0.6:
            speaks["nl"] = "basic"
        elif dutch < 0.85:
            speaks["nl"] = "good"
        wants = ["nl"] + (["en"] if "en" not in speaks and rng.random() < 0.3 else [])
        talents = rng.sample(NEWCOMER_TALENTS, rng.randint(1, 3))
    else:
        background = spec.local_kind
        g = 0 if gender == "woman" else 1
        pool = content.DUTCH_YOUNG if spec.local_kind == "young" else content.DUTCH_SENIOR
        name = _pick_name(rng, pool[g], used, "latin")
        speaks = {"nl": "fluent"}
        if spec.local_kind == "young":
            speaks["en"] = rng.choice(("good", "fluent"))
            for lang in ("fr", "de", "es"):
                if rng.random() < 0.15:
                    speaks[lang] = "basic"
            first = name.split()[0]
            if first in ("Naima", "Yasmina", "Youssef"):
                speaks["ar"] = "good"
            elif first in ("Fatma", "Mehmet", "Elif"):
                speaks["tr"] = "fluent"
            wants = [lang for lang, p in (("ar", 0.22), ("ti", 0.05), ("fa", 0.04))
                     if rng.random() < p and lang not in speaks]
            talents = rng.sample(YOUNG_LOCAL_TALENTS, rng.randint(1, 3))
        else:
            if rng.random() < 0.4:
                speaks["en"] = "basic"
            if rng.random() < 0.3:
                speaks["de"] = "basic"
            wants = ["ar"] if rng.random() < 0.06 else []
            talents = rng.sample(SENIOR_TALENTS, rng.randint(1, 3))
    interests = rng.sample(sorted(Interest.values), rng.randint(2, 4))
    described_group = group if rng.random() > 0.05 else "unspecified"
    roll = rng.random()
    described_gender = gender if roll > 0.05 else ("non_binary" if roll < 0.02 else "unspecified")
    return MemberPlan(
        index=index, place=spec.slug, group=group, background=background, gender=gender,
        display_name=name, username=f"{spec.slug}-m{index:03d}", consent=consent,
        described_group=described_group, described_gender=described_gender,
        speaks=speaks, wants=wants, talents=[t for t in Talent.values if t in talents],
        interests=[i for i in Interest.values if i in interests],
        availability=_availability(rng, spec), joined_days_ago=rng.randint(3, 365),
    )


def plan_place(rng: random.Random, spec: content.PlaceSpec, *, scale: float) -> PlacePlan:
    n = max(20, round(spec.members * scale))
    n_new = round(n * spec.newcomer_share)
    # Exact shares (shuffled) rather than a coin per person, so the proportions hold at any
    # scale: group, gender within each group, and ~75% who describe themselves.
    people = []
    for group, count, women_share in (("newcomer", n_new, spec.newcomer_women_share),
                                      ("local", n - n_new, spec.local_women_share)):
        women = round(count * women_share)
        people += [(group, "woman")] * women + [(group, "man")] * (count - women)
    consents = [True] * round(n * CONSENT_SHARE) + [False] * (n - round(n * CONSENT_SHARE))
    rng.shuffle(people)
    rng.shuffle(consents)
    used: set[str] = set()
    members = [_member(rng, spec, i, g, gender, consent, used)
               for i, ((g, gender), consent) in enumerate(zip(people, consents, strict=True))]

    newcomers = [m for m in members if m.group == "newcomer"]
    locals_ = [m for m in members if m.group == "local"]

    def pick(pool: list[MemberPlan], *, gender: str | None = None,
             exclude: set[int] = frozenset()) -> MemberPlan:
        candidates = [m for m in pool if m.index not in exclude and m.demo_login is None
                      and (gender is None or m.gender == gender)]
        return candidates[0] if candidates else next(m for m in pool if m.index not in exclude)

    # The demo logins: a coordinator and a host team from both groups.
    coordinator = pick(locals_, gender="woman")
    coordinator.demo_login = "coordinator"
    coordinator.roles |= {"coordinator", "member"}
    organiser = pick(newcomers if spec.slug == "buurtkamer" else locals_, gender="man")
    organiser.demo_login = "organiser"
    host = pick(newcomers if spec.slug == "trefpunt" else locals_)
    host.demo_login = "host"
    host.roles |= {"host", "member"}
    newcomer = pick(newcomers, gender="woman")
    newcomer.demo_login = "newcomer"
    local = pick(locals_)
    local.demo_login = "local"
    for m in (coordinator, organiser, host, newcomer, local):
        m.consent = True
        m.described_group, m.described_gender = m.group, m.gender

    # Volunteer organisers: an equal split at the evening place; mostly locals at the day place,
    # as the report found (KIS 2019 §4). Every activity gets a mixed pair anyway, and both
    # groups have women among their organisers (for the women-only activities).
    share_new = 0.5 if spec.slug == "buurtkamer" else 0.3
    n_org = max(6, round(n * 0.09))
    want_new = max(2, round(n_org * share_new))
    need_woman = any(a.place == spec.slug and a.audience == "women" for a in content.ACTIVITIES)
    org_new = _volunteers(newcomers, want_new, first=organiser, skip=(newcomer, host),
                          need_woman=need_woman)
    org_loc = _volunteers(locals_, max(2, n_org - want_new), first=organiser,
                          skip=(coordinator, local, host), need_woman=need_woman)
    for m in org_new + org_loc:
        m.roles |= {"organiser", "member"}
        # Volunteers fill in their profile: the mixed-pair nudge and team formation read it.
        m.consent = True
        m.described_group, m.described_gender = m.group, m.gender
    extra_hosts = rng.sample([m for m in members if not m.roles and not m.demo_login],
                             k=min(3, n // 20 + 1))
    for m in extra_hosts:
        m.roles |= {"host", "member"}

    organisers: dict[str, list[int]] = {}
    specs = [a for a in content.ACTIVITIES if a.place == spec.slug]
    # The demo organiser leads the first activity that fits them (a newcomer teaching Arabic,
    # a senior running the bike workshop).
    own = next(a for a in specs if a.lead == organiser.group and a.audience != "women")
    for activity in specs:
        women = activity.audience == "women"
        leads, partners = (org_new, org_loc) if activity.lead == "newcomer" else (org_loc, org_new)
        if activity is own:
            lead = organiser
        else:
            lead = _pick_organiser(rng, leads, activity.organiser_talent, women)
        partner = _pick_organiser(rng, partners, activity.organiser_talent, women)
        for m in (lead, partner):
            if activity.organiser_talent not in m.talents:
                m.talents = [t for t in Talent.values if t in {*m.talents,
                                                                activity.organiser_talent}]
        organisers[activity.key] = [lead.index, partner.index]

    # Organisers and hosts have been around longest; then who brought whom.
    for m in members:
        if m.roles or m.demo_login:
            m.joined_days_ago = max(m.joined_days_ago, 300 + m.index % 60)
    members.sort(key=lambda m: (-m.joined_days_ago, m.index))
    seen: list[MemberPlan] = []
    partners = [name for name, _kind in spec.partners]
    for m in members:
        roll = rng.random()
        if m.group == "newcomer":
            if roll < spec.partner_referral_share:
                m.referral_partner = rng.choice(partners)
            elif roll < spec.partner_referral_share + spec.member_referral_share:
                m.referral_member = _referrer(rng, seen, "newcomer")
        else:
            if roll < 0.08:
                m.referral_partner = partners[-1] if spec.slug == "buurtkamer" else partners[0]
            elif roll < 0.35:
                m.referral_member = _referrer(rng, seen, None)
        seen.append(m)
    return PlacePlan(spec=spec, members=members, organisers=organisers)


def _volunteers(pool: list[MemberPlan], k: int, *, first: MemberPlan,
                skip: tuple[MemberPlan, ...], need_woman: bool) -> list[MemberPlan]:
    def free(m: MemberPlan) -> bool:
        return all(m is not other for other in (first, *skip))

    chosen = [first] if any(m is first for m in pool) else []
    chosen += [m for m in pool if free(m)][: k - len(chosen)]
    if need_woman and not any(m.gender == "woman" for m in chosen):
        women = [m for m in pool if m.gender == "woman" and all(m is not c for c in chosen)]
        # Prefer someone who is not already a demo login; in a very small demo take anyone.
        chosen.append(next((m for m in women if free(m)), women[0]))
    return chosen


def _pick_organiser(rng: random.Random, pool: list[MemberPlan], talent: str,
                    women: bool) -> MemberPlan:
    candidates = [m for m in pool if not women or m.gender == "woman"]
    if women and not candidates:
        raise RuntimeError("a women-only activity needs women organisers in both groups")
    skilled = [m for m in candidates if talent in m.talents]
    return rng.choice(skilled or candidates)


def _referrer(rng: random.Random, seen: list[MemberPlan], group: str | None) -> int | None:
    pool = [m for m in seen if group is None or m.group == group]
    return rng.choice(pool).index if pool else None


def make_plan(seed: int, *, scale: float = 1.0) -> list[PlacePlan]:
    rng = random.Random(seed)  # noqa: S311 — reproducible demo data, not cryptography
    plans = []
    for spec in content.PLACES:
        plan = plan_place(rng, spec, scale=scale)
        _ensure_women_organisers(plan)
        plans.append(plan)
    return plans


def _ensure_women_organisers(plan: PlacePlan) -> None:
    """Women-only activities are run by women from both groups; _pick_organiser guarantees it."""
    by_index = {m.index: m for m in plan.members}
    for activity in content.ACTIVITIES:
        if activity.place == plan.spec.slug and activity.audience == "women":
            pair = [by_index[i] for i in plan.organisers[activity.key]]
            assert all(m.gender == "woman" for m in pair)


# --- The builder -------------------------------------------------------------------------------


@dataclass
class DemoResult:
    initiatives: list[Initiative]
    logins: list[tuple[str, str, str]]  # (place, role, username)
    counts: dict[str, int]
    notes: list[str]


class DemoBuilder:
    """Writes a plan through the services. `today` is the reference date of the plan."""

    def __init__(self, *, seed: int, today: dt.date, scale: float = 1.0) -> None:
        self.seed = seed
        self.rng = random.Random(seed * 7919 + 1)  # noqa: S311 — as above
        self.today = today
        self.scale = scale
        self.notes: list[str] = []
        self.counts: dict[str, int] = {}
        # One hash of the shared demo password, reused by every demo login: hashing is the
        # slow part of making a login (~0.25 s each with PBKDF2).
        self._demo_hash = make_password(DEMO_PASSWORD)

    def _count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def _note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    # -- entry point
    def build(self) -> DemoResult:
        plans = make_plan(self.seed, scale=self.scale)
        initiatives, logins = [], []
        for plan in plans:
            with transaction.atomic():
                initiative, place_logins = self._build_place(plan)
            initiatives.append(initiative)
            logins += place_logins
        return DemoResult(initiatives=initiatives, logins=logins, counts=self.counts,
                          notes=self.notes)

    def _build_place(self, plan: PlacePlan):
        spec = plan.spec
        tz = ZoneInfo("Europe/Amsterdam")
        coordinator_plan = next(m for m in plan.members if m.demo_login == "coordinator")
        coordinator_username = f"{spec.slug}-coordinator"
        # Staff logins get the one demo hash below; their first, throwaway password need not
        # be hashed slowly.
        with _fast_hasher():
            initiative = account_services.create_initiative(
                name=spec.name, slug=spec.slug, coordinator_username=coordinator_username,
                password=secrets.token_urlsafe(16), languages=list(spec.languages),
                time_zone="Europe/Amsterdam", display_name=coordinator_plan.display_name,
            )
        coordinator_user = User.objects.get(username=coordinator_username)
        initiative = account_services.update_initiative(
            initiative=initiative, by=coordinator_user, name=spec.name, address=spec.address,
            district=spec.district, time_zone="Europe/Amsterdam",
            languages=[code for code in spec.languages if code in SITE_LANGUAGES],
            tagline=dict(spec.tagline), opening_hours=dict(spec.opening_hours),
        )
        self._set_demo_password(coordinator_user)
        logins = [(spec.name, "coordinator", coordinator_username)]

        partners = {
            name: people_services.add_partner(initiative=initiative, by=coordinator_user,
                                              name=name, kind=kind)
            for name, kind in spec.partners
        }
        kiosk_username = f"{spec.slug}-kiosk"
        with _fast_hasher():
            kiosk = account_services.create_kiosk_account(
                initiative=initiative, username=kiosk_username,
                password=secrets.token_urlsafe(16), by=coordinator_user,
            )
        self._set_demo_password(kiosk)

        persons = self._build_members(initiative, plan, partners, coordinator_user,
                                      coordinator_username)
        for m in plan.members:
            if m.demo_login and m.demo_login != "coordinator":
                logins.append((spec.name, m.demo_login, persons[m.index].user.username))
        logins.append((spec.name, "kiosk", kiosk_username))
        logins.sort(key=lambda login: DEMO_ROLES.index(login[1]))
        self._build_activities(initiative, plan, persons, coordinator_user, tz)
        return initiative, logins

    def _set_demo_password(self, user: User) -> None:
        user.password = self._demo_hash
        user.save(update_fields=["password"])

    # -- members
    def _build_members(self, initiative, plan: PlacePlan, partners, coordinator_user,
                       coordinator_username: str):
        persons: dict[int, Person] = {}
        for m in plan.members:
            if m.demo_login == "coordinator":
                person = Person.objects.get(initiative=initiative,
                                            user__username=coordinator_username)
            else:
                username = (f"{plan.spec.slug}-{m.demo_login}" if m.demo_login else m.username)
                brought_by, member_login = "", ""
                if m.referral_partner:
                    brought_by = f"partner-{partners[m.referral_partner].pk}"
                elif m.referral_member is not None and m.referral_member in persons:
                    brought_by = "member"
                    member_login = persons[m.referral_member].user.username
                person = _join_fast(
                    initiative=initiative, display_name=m.display_name, username=username,
                    brought_by=brought_by, member_login=member_login,
                )
                if m.demo_login:
                    self._set_demo_password(person.user)
            persons[m.index] = person
            people_services.update_profile(
                person=person, by=person.user, display_name=m.display_name, email="", phone="",
                talents=m.talents, interests=m.interests, availability=m.availability,
            )
            people_services.set_languages(person=person, by=person.user, speaks=m.speaks,
                                          wants=m.wants)
            if m.consent:
                people_services.set_self_description(
                    person=person, by=person.user, group=m.described_group,
                    gender=m.described_gender, consent=True,
                )
            wanted_roles = set(m.roles) | {"member"}
            if m.demo_login == "organiser":
                wanted_roles.add("organiser")
            if wanted_roles != {"member"} and m.demo_login != "coordinator":
                people_services.change_roles(person=person, by=coordinator_user,
                                             roles=sorted(wanted_roles))
            self._count("members")
        # When people joined: spread over the past year (join stamps "now"; history is written
        # directly, since no service backdates a join).
        reference = _aware_noon(self.today)
        for m in plan.members:
            joined = reference - dt.timedelta(days=m.joined_days_ago, hours=m.index % 9)
            Person.objects.filter(pk=persons[m.index].pk).update(
                created_at=joined,
                last_active_at=reference - dt.timedelta(days=min(m.joined_days_ago, m.index % 40)),
            )
        return persons

    # -- activities, sessions, sign-ups
    def _build_activities(self, initiative, plan: PlacePlan, persons, coordinator_user, tz):
        by_index = {m.index: m for m in plan.members}
        specs = [a for a in content.ACTIVITIES if a.place == plan.spec.slug]
        for spec in specs:
            organisers = [persons[i] for i in plan.organisers[spec.key]]
            first_start = _first_start(spec, self.today, tz)
            activity = _create_activity(
                initiative=initiative, by=coordinator_user, spec=spec, first_start=first_start,
                organisers=organisers,
            )
            self._count("activities")
            self._count("projects" if spec.kind == "project" else "regular_activities")
            sessions = _materialise(activity=activity, by=coordinator_user)
            self._count("sessions", len(sessions))
            self._cancel_and_move(activity, sessions, coordinator_user)
            self._sign_ups(activity, spec, plan, by_index, persons)

    def _cancel_and_move(self, activity: Activity, sessions: list[Session], by) -> None:
        reference = _aware_noon(self.today)
        if activity.kind != Activity.Kind.PROJECT:
            self._cancel_and_move_some(activity, sessions, by, reference)
        # Sessions that took place are "held" (no service marks the past; written directly).
        Session.objects.filter(activity=activity, start__lt=reference,
                               status=Session.Status.PLANNED).update(status=Session.Status.HELD)

    def _cancel_and_move_some(self, activity, sessions, by, reference) -> None:
        past = [s for s in sessions if s.start < reference]
        future = [s for s in sessions if s.start > reference + dt.timedelta(days=2)]
        rng = self.rng
        # A few cancelled sessions (a holiday, an ill organiser) and a few moved ones.
        for session in rng.sample(past, k=min(len(past), 1 if rng.random() < 0.6 else 0)):
            _cancel_session(session=session, by=by)
            self._count("sessions_cancelled")
        if future and rng.random() < 0.4:
            session = rng.choice(future)
            _cancel_session(session=session, by=by)
            self._count("sessions_cancelled")
        if future and rng.random() < 0.35:
            session = rng.choice(future)
            if session.status == Session.Status.PLANNED:
                _move_session(session=session, by=by, hours=rng.choice((-1, 1, 24)))
                self._count("sessions_moved")

    def _sign_ups(self, activity: Activity, spec: content.ActivitySpec, plan: PlacePlan,
                  by_index, persons) -> None:
        rng = self.rng
        members = plan.members
        eligible = [m for m in members
                    if spec.audience != "women"
                    or (m.consent and m.described_gender == "woman")]

        base_weights = {}
        for m in eligible:
            w = 1.0 + 2.0 * len(set(spec.draws) & set(m.interests))
            w *= spec.newcomer_pull if m.group == "newcomer" else 1 - spec.newcomer_pull
            base_weights[m.index] = w

        def draw(k: int, days_ago: int = 0) -> list[MemberPlan]:
            # Only people who had joined by then (join dates are spread over the past year).
            pool = [m for m in eligible if m.joined_days_ago >= days_ago]
            weights = [base_weights[m.index] for m in pool]
            chosen: list[MemberPlan] = []
            while pool and len(chosen) < k:
                i = rng.choices(range(len(pool)), weights=weights)[0]
                chosen.append(pool.pop(i))
                weights.pop(i)
            return chosen

        reference = _aware_noon(self.today)
        now = timezone.now()
        organiser_ids = {persons[i].pk for i in plan.organisers[spec.key]}
        if spec.kind == "project":
            capacity = spec.capacity or 10
            ongoing = activity.sessions.filter(start__gt=max(reference, now)).exists()
            k = capacity + (rng.randint(2, 4) if ongoing else -rng.randint(0, 2))
            started_days_ago = max(0, (reference - activity.first_start).days)
            team = [m for m in draw(k, days_ago=started_days_ago)
                    if persons[m.index].pk not in organiser_ids]
            history = []
            for m in team:
                if ongoing:
                    registration = _try(lambda m=m: attendance_services.enrol(
                        activity=activity, person=persons[m.index], by=persons[m.index].user))
                    if registration is not None:
                        self._count("enrolments")
                        if registration.status == Registration.Status.WAITLISTED:
                            self._count("waitlisted")
                        continue
                history.append(Registration(
                    initiative_id=activity.initiative_id, activity=activity, session=None,
                    person=persons[m.index], status=Registration.Status.CONFIRMED,
                ))
            if history:
                Registration.objects.bulk_create(history)
                self._count("enrolments", len(history))
                self._note("Enrolments in finished projects are written directly (the enrol "
                           "service refuses a project that has ended).")
            return

        history: list[Registration] = []
        sessions = list(activity.sessions.exclude(status=Session.Status.CANCELLED)
                        .order_by("start", "id"))
        for session in sessions:
            weeks_ahead = (session.start - reference).days / 7
            capacity = session.effective_capacity
            if weeks_ahead < 0:
                # The past: most people just walked in; some had signed up.
                k = rng.randint(1, 6) if capacity is None else rng.randint(capacity // 3,
                                                                            capacity)
            elif weeks_ahead < 5:
                k = (rng.randint(2, 9) if capacity is None
                     else rng.randint(capacity // 2, capacity + 3))
                k = math.ceil(k * self.scale)  # a smaller demo has fewer people signing up
            else:
                k = math.ceil(rng.randint(0, 3) * self.scale)
            people = draw(k, days_ago=max(0, -round(weeks_ahead * 7)))
            for m in people:
                person = persons[m.index]
                if session.start > now and weeks_ahead >= 0:
                    registration = _try(lambda s=session, p=person: attendance_services.sign_up(
                        session=s, person=p, by=p.user))
                    if registration is not None:
                        self._count("sign_ups")
                        if registration.status == Registration.Status.WAITLISTED:
                            self._count("waitlisted")
                        continue
                status = (Registration.Status.CANCELLED if rng.random() < 0.08
                          else Registration.Status.CONFIRMED)
                history.append(Registration(
                    initiative_id=activity.initiative_id, activity=activity, session=session,
                    person=person, status=status,
                ))
            # Now and then someone cannot come after all; the waiting list moves up.
            if session.start > now and weeks_ahead >= 0 and rng.random() < 0.15:
                live = list(Registration.objects.filter(
                    session=session, status=Registration.Status.CONFIRMED).order_by("id"))
                if live:
                    leaving = rng.choice(live)
                    if _try(lambda r=leaving: attendance_services.cancel_sign_up(
                            registration=r, by=r.person.user)) is not None:
                        self._count("sign_ups_cancelled")
        if history:
            Registration.objects.bulk_create(history)
            self._count("past_sign_ups", len(history))
            self._note("Sign-ups for sessions that already took place are written directly "
                       "(the sign-up service refuses the past).")


def _try(call):
    try:
        return call()
    except DomainError:
        return None


def _aware_noon(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 12, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


def _first_start(spec: content.ActivitySpec, today: dt.date, tz: ZoneInfo) -> dt.datetime:
    """The first day on or after `today + weeks_from_today` that the rule hits, at start_time."""
    from dateutil.rrule import rrulestr

    target = today + dt.timedelta(weeks=spec.weeks_from_today)
    hour, minute = spec.start_time
    base = dt.datetime(target.year, target.month, target.day, hour, minute)
    body = ";".join(p for p in spec.rrule.split(";") if not p.startswith("COUNT"))
    first = rrulestr(body, dtstart=base).after(base, inc=True)
    return first.replace(tzinfo=tz)


# --- Joining without a login of their own -------------------------------------------------------


def _join_fast(*, initiative, display_name: str, username: str, brought_by: str,
               member_login: str) -> Person:
    """people.services.join, for a fictional member who will never log in.

    join() hashes the password it is given (~0.25 s with PBKDF2, 300 times = too slow for the
    60-second budget), so the demo hands it a throwaway password and a one-round hasher for
    that call only, then removes the login password altogether: these members take part through
    the kiosk and their QR card, like many real visitors. Demo logins get the demo password.
    """
    with _fast_hasher():
        person = people_services.join(
            initiative=initiative, display_name=display_name, username=username,
            password=secrets.token_urlsafe(12), brought_by=brought_by,
            member_login=member_login, consent=True,
        )
    user = person.user
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return person


@contextlib.contextmanager
def _fast_hasher():
    """Hash with one cheap round while inside (for passwords that are thrown away at once).

    Swaps the process-wide hasher list, so it is for this single-threaded command only; no hash
    made inside survives the command (see _join_fast and _set_demo_password)."""
    from django.contrib.auth import hashers

    saved = settings.PASSWORD_HASHERS
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    hashers.get_hashers.cache_clear()
    hashers.get_hashers_by_algorithm.cache_clear()
    try:
        yield
    finally:
        settings.PASSWORD_HASHERS = saved
        hashers.get_hashers.cache_clear()
        hashers.get_hashers_by_algorithm.cache_clear()


# --- Activities, through activities.services ----------------------------------------------------


def _create_activity(*, initiative, by, spec: content.ActivitySpec, first_start,
                     organisers) -> Activity:
    return activity_services.create_activity(
        initiative=initiative, by=by, title=spec.title, first_start=first_start,
        organisers=organisers, description=spec.description, kind=spec.kind, format=spec.format,
        language_needed=spec.language_needed, languages_spoken=list(spec.languages_spoken),
        interpreter=False, cost=spec.cost, cost_cents=spec.cost_cents, audience=spec.audience,
        room=spec.room, capacity=spec.capacity, duration_minutes=spec.duration,
        rrule=spec.rrule, common_goal=spec.common_goal, planned_sessions=spec.planned_sessions,
        team_size=spec.team_size,
    )


def _materialise(*, activity: Activity, by) -> list[Session]:
    # create_activity materialised from the first start; this is the nightly top-up (a no-op
    # here), kept so the demo follows the same path as a real place.
    activity_services.materialise_sessions(activity=activity, by=by)
    return list(activity.sessions.order_by("start", "id"))


def _cancel_session(*, session: Session, by) -> None:
    _try(lambda: activity_services.cancel_session(session=session, by=by))


def _move_session(*, session: Session, by, hours: int) -> None:
    start = session.start + dt.timedelta(hours=hours)
    end = session.end + dt.timedelta(hours=hours)
    _try(lambda: activity_services.move_session(session=session, by=by, start=start, end=end))


# --- Flushing and fingerprinting ---------------------------------------------------------------


def demo_exists() -> bool:
    return Initiative.objects.filter(slug__in=DEMO_SLUGS).exists()


def existing_demo_logins() -> list[tuple[str, str, str, str]]:
    """(place, role, username, slug) of the demo logins already in the database, so a second
    `make demo` can print them again. Demo logins are named `<slug>-<role>`."""
    found = []
    for initiative in Initiative.objects.filter(slug__in=DEMO_SLUGS).order_by("name", "id"):
        names = {f"{initiative.slug}-{role}": role for role in DEMO_ROLES}
        existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
        found += [(initiative.name, names[u], u, initiative.slug) for u in names if u in existing]
    return found


@transaction.atomic
def flush_demo() -> int:
    """Delete the demo initiatives and every login that belongs only to them.

    The audit log cannot be changed through the app; its rows about the fictional demo people
    are removed here through the base manager, for the demo initiatives only, so the demo can
    be rebuilt. Nothing outside DEMO_SLUGS is touched.
    """
    initiatives = list(Initiative.objects.filter(slug__in=DEMO_SLUGS))
    if not initiatives:
        return 0
    user_ids = set(Role.objects.filter(initiative__in=initiatives).values_list("user_id", flat=True))
    user_ids |= set(Person.objects.filter(initiative__in=initiatives, user__isnull=False)
                    .values_list("user_id", flat=True))
    # Keep logins that also belong to a place outside the demo.
    keep = set(Role.objects.filter(user_id__in=user_ids).exclude(initiative__in=initiatives)
               .values_list("user_id", flat=True))
    Registration.objects.filter(initiative__in=initiatives).delete()
    CheckIn.objects.filter(initiative__in=initiatives).delete()
    # The base manager is a plain Manager, not the append-only AuditQuerySet.
    AuditEntry._base_manager.filter(initiative__in=initiatives).delete()
    for initiative in initiatives:
        initiative.delete()
    User.objects.filter(pk__in=user_ids - keep).delete()
    return len(initiatives)


def signature(slugs=DEMO_SLUGS) -> str:
    """A fingerprint of the demo data that ignores ids, timestamps, tokens and password salts."""
    rows: list = []
    for initiative in Initiative.objects.filter(slug__in=slugs).order_by("slug"):
        people = {}
        for p in Person.objects.filter(initiative=initiative).select_related(
                "referred_by_partner", "referred_by_person").order_by("display_name", "id"):
            people[p.pk] = p.display_name
            rows.append(("person", initiative.slug, p.display_name, p.talents, p.interests,
                         p.availability,
                         p.referred_by_partner.name if p.referred_by_partner else None,
                         p.referred_by_person.display_name if p.referred_by_person else None))
        rows += sorted(
            ("lang", people[pl.person_id], pl.language, pl.kind, pl.level)
            for pl in PersonLanguage.objects.filter(person__initiative=initiative)
        )
        rows += sorted(
            ("self", people[sd.person_id], sd.group, sd.gender)
            for sd in SelfDescription.objects.filter(person__initiative=initiative)
        )
        rows += sorted(
            ("role", r.user.username, r.name)
            for r in Role.objects.filter(initiative=initiative).select_related("user")
        )
        for a in Activity.objects.filter(initiative=initiative).order_by("first_start", "id"):
            rows.append(("activity", a.title.get("en"), a.kind, a.rrule,
                         a.first_start.isoformat(),
                         sorted(people[o.pk] for o in a.organisers.all())))
            rows += [("session", s.start.isoformat(), s.status, s.moved)
                     for s in a.sessions.order_by("start", "id")]
        rows += sorted(
            ("registration", people[r.person_id], r.activity.title.get("en"),
             r.session.start.isoformat() if r.session else None, r.status)
            for r in Registration.objects.filter(activity__initiative=initiative)
            .select_related("activity", "session")
        )
    blob = json.dumps(rows, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()
