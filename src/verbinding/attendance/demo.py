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
from verbinding.activities.models import Activity, Proposal, Session
from verbinding.attendance import demo_content as content
from verbinding.attendance import demo_history
from verbinding.attendance import services as attendance_services
from verbinding.attendance.models import CheckIn, GuestTally, Registration, SessionMessage
from verbinding.core.errors import DomainError
from verbinding.core.models import AuditEntry, Initiative
from verbinding.people import services as people_services
from verbinding.people.models import (
    ConsentRecord,
    MemberCard,
    Person,
    PersonLanguage,
    SelfDescription,
)
from verbinding.people.vocab import AVAILABILITY_SLOTS, Interest, Talent

DEMO_PASSWORD = "verbinding-demo"  # noqa: S105 — the public demo password, demo only
DEMO_SLUGS = content.DEMO_SLUGS
CONSENT_SHARE = 0.75
SITE_LANGUAGES = {code for code, _label in settings.LANGUAGES}
DEMO_ROLES = ("coordinator", "organiser", "host", "kiosk", "newcomer", "local")
# One partner login (a municipality, say) that both demo places share their figures with.
DEMO_PARTNER = "demo-partner"
HISTORY_DAYS = 546  # 78 weeks: the oldest activities started this long before `today`

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
    # Registered by staff on their behalf: no login, no email or phone, a QR card instead.
    on_behalf: bool = False


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


def _arrival_days_ago(rng: random.Random) -> int:
    """When someone first came: a wave in the first weeks after the opening, then steadily."""
    if rng.random() < 0.2:
        return rng.randint(HISTORY_DAYS - 42, HISTORY_DAYS - 1)
    return rng.randint(3, HISTORY_DAYS - 1)


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
        availability=_availability(rng, spec), joined_days_ago=_arrival_days_ago(rng),
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
    # as the report found (KIS 2019 §4): at both, the organisers are more local than the visitors. Every activity gets a mixed pair anyway, and both
    # groups have women among their organisers (for the women-only activities).
    share_new = 0.4 if spec.slug == "buurtkamer" else 0.3
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
            m.joined_days_ago = HISTORY_DAYS + 7 + m.index % 14  # before the opening
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
    # A few people were registered by a host or coordinator on their behalf (no email, no
    # phone): mostly newcomers brought by a partner, and a senior or two at the daytime place.
    for k in range(max(1, round(n * 0.03))):
        group = "local" if spec.local_kind == "senior" and k % 3 == 2 else "newcomer"
        gender = "woman" if k % 2 else "man"
        m = _member(rng, spec, n + k, group, gender, False, used)
        m.on_behalf, m.username = True, ""
        m.referral_partner = rng.choice(partners) if group == "newcomer" else None
        members.append(m)
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
    per_place: dict[str, dict[str, int]] = field(default_factory=dict)


class DemoBuilder:
    """Writes a plan through the services. `today` is the reference date of the plan."""

    def __init__(self, *, seed: int, today: dt.date, scale: float = 1.0) -> None:
        self.seed = seed
        self.rng = random.Random(seed * 7919 + 1)  # noqa: S311 — as above
        self.today = today
        self.scale = scale
        self.notes: list[str] = []
        self.counts: dict[str, int] = {}
        self.per_place: dict[str, dict[str, int]] = {}
        self._place = ""
        # The demo's "now": sessions before noon of `today` took place (held) — unless the
        # clock says noon has not come yet, so a session later today is still ahead.
        self.reference = _aware_noon(today)
        self.cutoff = min(self.reference, timezone.now())
        # One hash of the shared demo password, reused by every demo login: hashing is the
        # slow part of making a login (~0.25 s each with PBKDF2).
        self._demo_hash = make_password(DEMO_PASSWORD)

    def _count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n
        place = self.per_place.setdefault(self._place, {})
        place[key] = place.get(key, 0) + n

    def _note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    # -- entry point
    def build(self) -> DemoResult:
        plans = make_plan(self.seed, scale=self.scale)
        initiatives, logins = [], []
        tz = ZoneInfo("Europe/Amsterdam")
        for number, plan in enumerate(plans):
            self._place = plan.spec.slug
            specs = [a for a in content.ACTIVITIES if a.place == plan.spec.slug]
            starts = {a.key: _first_start(a, self.today, tz) for a in specs}
            # The history has its own generator, so its draws do not shift the rest.
            history_rng = random.Random(self.seed * 104729 + number)  # noqa: S311 — as above
            history = demo_history.plan_history(history_rng, plan, specs, starts, self.reference)
            with transaction.atomic():
                initiative, place_logins = self._build_place(plan, history, history_rng)
            initiatives.append(initiative)
            logins += place_logins
        self._build_partner(initiatives)
        logins += [(i.name, "partner", DEMO_PARTNER) for i in initiatives]
        return DemoResult(initiatives=initiatives, logins=logins, counts=self.counts,
                          notes=self.notes, per_place=self.per_place)

    def _build_place(self, plan: PlacePlan, history, history_rng):
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
                                      coordinator_username, history)
        for m in plan.members:
            if m.demo_login and m.demo_login != "coordinator":
                logins.append((spec.name, m.demo_login, persons[m.index].user.username))
        logins.append((spec.name, "kiosk", kiosk_username))
        logins.sort(key=lambda login: DEMO_ROLES.index(login[1]))
        built = self._build_activities(initiative, plan, persons, coordinator_user, tz, history)
        staff = _Staff(coordinator=coordinator_user, kiosk=kiosk, hosts=[
            persons[m.index].user for m in plan.members
            if "host" in m.roles and persons[m.index].user_id
        ] or [coordinator_user])
        self._build_history(initiative, plan, persons, built, history, history_rng, staff)
        self._build_future_sign_ups(plan, persons, built, history)
        self._build_volunteer_path(initiative, plan, persons, history, coordinator_user)
        self._build_cards(plan, persons, history, coordinator_user)
        self._build_proposals(initiative, plan, persons, history, coordinator_user, tz)
        self._build_messages(initiative, built, persons, plan, coordinator_user)
        return initiative, logins

    @transaction.atomic
    def _build_partner(self, initiatives: list[Initiative]) -> User:
        """The demo partner: created by the first place's coordinator, then shared with by
        the others, the way a real coordinator does it on the partner-logins screen."""
        first, *others = initiatives
        with _fast_hasher():
            partner = account_services.create_partner_account(
                initiative=first, username=DEMO_PARTNER, password=secrets.token_urlsafe(16),
                by=User.objects.get(username=f"{first.slug}-coordinator"),
            )
        self._set_demo_password(partner)
        for initiative in others:
            account_services.share_with_partner(
                initiative=initiative, username=DEMO_PARTNER,
                by=User.objects.get(username=f"{initiative.slug}-coordinator"),
            )
        return partner

    def _set_demo_password(self, user: User) -> None:
        user.password = self._demo_hash
        user.save(update_fields=["password"])

    # -- members
    def _build_members(self, initiative, plan: PlacePlan, partners, coordinator_user,
                       coordinator_username: str, history):
        persons: dict[int, Person] = {}
        for m in plan.members:
            if m.on_behalf:
                persons[m.index] = self._register_on_behalf(initiative, m, partners,
                                                            coordinator_user)
                self._count("registered_on_behalf")
                self._count("members")
                continue
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
        # When people joined: spread over the 18 months (join stamps "now"; history is written
        # directly, since no service backdates a join). Their roles date from then too.
        for m in plan.members:
            joined = _joined_at(self.reference, m)
            person = persons[m.index]
            person.created_at = joined
            Person.objects.filter(pk=person.pk).update(created_at=joined)
            ConsentRecord.objects.filter(person=person).update(given_at=joined)
            if person.user_id:
                roles = Role.objects.filter(initiative=initiative, user_id=person.user_id)
                roles.update(granted_at=joined)
                roles.filter(name__in=("organiser", "host")).update(
                    granted_at=joined + dt.timedelta(days=14 + m.index % 30))
        return persons

    def _register_on_behalf(self, initiative, m: MemberPlan, partners, coordinator_user):
        """As welcome.register_person does it: no login, consents recorded by the coordinator
        (profile and card), languages and interests; the card itself comes with the history."""
        joined = _joined_at(self.reference, m)
        person = Person.objects.create(
            initiative=initiative, user=None, display_name=m.display_name,
            talents=m.talents, interests=m.interests, availability=m.availability,
            referred_by_partner=partners[m.referral_partner] if m.referral_partner else None,
            last_active_at=joined,
        )
        people_services.set_languages(person=person, by=coordinator_user, speaks=m.speaks,
                                      wants=m.wants)
        ConsentRecord.objects.bulk_create([
            ConsentRecord(person=person, purpose=purpose, given_at=joined,
                          recorded_by=coordinator_user)
            for purpose in (ConsentRecord.Purpose.PROFILE, ConsentRecord.Purpose.CARD)
        ])
        self._note("People registered on their behalf are written directly with their consents "
                   "(as welcome.register_person records them), dated when they came.")
        return person

    # -- activities and sessions
    def _build_activities(self, initiative, plan: PlacePlan, persons, coordinator_user, tz,
                          history) -> list[_Built]:
        specs = [a for a in content.ACTIVITIES if a.place == plan.spec.slug]
        built: list[_Built] = []
        for spec in specs:
            organiser_ids = list(plan.organisers[spec.key])
            for i in history.extra_organisers.get(spec.key, ()):
                if i not in organiser_ids:
                    organiser_ids.append(i)
            if spec.path:
                # The first-time organiser leads; the experienced one of the other group helps.
                newcomer = history.extra_organisers[spec.key][0] if history.extra_organisers.get(
                    spec.key) else None
                if newcomer is not None:
                    group = next(m.group for m in plan.members if m.index == newcomer)
                    pair = plan.organisers[spec.key]
                    by_index = {m.index: m for m in plan.members}
                    helper = next((i for i in pair if by_index[i].group != group), pair[1])
                    organiser_ids = [newcomer, helper]
            if spec.solo:
                organiser_ids = organiser_ids[:1]  # still looking for a second organiser
            first_start = _first_start(spec, self.today, tz)
            activity = _create_activity(
                initiative=initiative, by=coordinator_user, spec=spec, first_start=first_start,
                organisers=[persons[i] for i in organiser_ids],
            )
            self._count("activities")
            self._count({"project": "projects", "one_off": "one_offs"}.get(
                spec.kind, "regular_activities"))
            sessions = _materialise(activity=activity, by=coordinator_user)
            self._count("sessions", len(sessions))
            if spec.kind == "regular":
                self._cancel_and_move_some(activity, sessions, coordinator_user, self.reference)
            # Sessions that took place are "held" (no service marks the past; written directly).
            Session.objects.filter(activity=activity, start__lt=self.cutoff,
                                   status=Session.Status.PLANNED).update(status=Session.Status.HELD)
            built.append(_Built(spec=spec, activity=activity, organiser_ids=organiser_ids))
        return built

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

    # -- the 18 months of visits (see demo_history.py for the patterns)
    def _build_history(self, initiative, plan: PlacePlan, persons, built: list[_Built], history,
                       rng: random.Random, staff: _Staff) -> None:
        infos: list[demo_history.SessionInfo] = []
        for b in built:
            for s in b.activity.sessions.filter(status=Session.Status.HELD).order_by("start", "id"):
                infos.append(demo_history.SessionInfo(
                    id=s.pk, key=b.spec.key, kind=b.spec.kind, format=b.spec.format,
                    audience=b.spec.audience, weekly=demo_history._is_weekly(b.spec.rrule),
                    start=s.start, capacity=s.capacity or b.activity.capacity,
                    activity_id=b.activity.pk,
                ))
        by_key = {b.spec.key: b for b in built}
        self._enrol_project_teams(plan, persons, by_key, history)
        organisers = {b.spec.key: b.organiser_ids for b in built}
        festive = {b.spec.key for b in built if b.spec.format == "festive"}
        pulls = {b.spec.key: b.spec.newcomer_pull for b in built}
        present = demo_history.simulate(rng, history, infos, organisers, festive, pulls)

        lead_user = {}
        for b in built:
            users = [persons[i].user for i in b.organiser_ids if persons[i].user_id]
            lead_user[b.spec.key] = users[0] if users else staff.coordinator
        checkins: list[CheckIn] = []
        tallies: list[GuestTally] = []
        registrations: list[Registration] = []
        signed_up_on: list[dt.datetime] = []
        first_seen: set[int] = set()
        last_seen: dict[int, dt.datetime] = {}
        visitors = history.visitors
        for info in sorted(infos, key=lambda s: (s.start, s.id)):
            here = present[info.id]
            project = info.kind == "project"
            for i in here:
                card_day = history.cards.get(i)
                roll = rng.random()
                if card_day is not None and card_day <= info.start.date():
                    method = (CheckIn.Method.CARD if roll < 0.8 else CheckIn.Method.ORGANISER
                              if roll < 0.86 else CheckIn.Method.NAME)
                else:
                    method = (CheckIn.Method.ORGANISER if roll < (0.3 if project else 0.1)
                              else CheckIn.Method.NAME)
                if method == CheckIn.Method.ORGANISER:
                    # Marked present afterwards by an organiser: the session's start counts.
                    at, recorded_by = info.start, lead_user[info.key]
                else:
                    minutes = round(rng.triangular(-12, 35, 0))
                    at = min(info.start + dt.timedelta(minutes=minutes, seconds=i % 60),
                             self.cutoff)
                    recorded_by = staff.kiosk
                welcomed_at = welcomed_by = None
                if i not in first_seen:
                    first_seen.add(i)
                    # The host on duty greets most first-timers personally.
                    if method != CheckIn.Method.ORGANISER and rng.random() < 0.65:
                        welcomed_at = min(at + dt.timedelta(minutes=rng.randint(1, 15)),
                                          self.cutoff)
                        welcomed_by = rng.choice(staff.hosts)
                checkins.append(CheckIn(
                    initiative_id=initiative.pk, session_id=info.id, person=persons[i], at=at,
                    method=method, recorded_by=recorded_by, welcomed_at=welcomed_at,
                    welcomed_by=welcomed_by,
                ))
                last_seen[i] = max(last_seen.get(i, at), at)
            if not project:
                registrations += self._past_sign_ups(info, here, plan, persons, visitors, rng,
                                                     signed_up_on)
            if info.audience == "open":
                tallies += self._guest_taps(initiative, info, by_key[info.key], rng, staff,
                                            lead_user[info.key], info.key in festive,
                                            len(here))
        CheckIn.objects.bulk_create(checkins, batch_size=2000)
        GuestTally.objects.bulk_create(tallies, batch_size=2000)
        # Sign-up dates: days before the session, not the moment of seeding.
        for registration, when in zip(registrations, signed_up_on, strict=True):
            registration.created_at = when
        with _keep_created_at(Registration):
            Registration.objects.bulk_create(registrations, batch_size=2000)
        for i, when in last_seen.items():
            persons[i].last_active_at = when
        Person.objects.bulk_update([persons[i] for i in last_seen], ["last_active_at"],
                                   batch_size=500)
        self._count("checkins", len(checkins))
        self._count("guests", sum(t.count for t in tallies))
        self._count("past_sign_ups", len(registrations))
        self._count("welcomed", sum(1 for c in checkins if c.welcomed_at))
        self._note("Check-ins, guest counts and past sign-ups are written in bulk (the check_in "
                   "service writes one row at a time: too slow for 15 000+); the database's "
                   "one-check-in-per-person-per-session rule holds.")

    def _enrol_project_teams(self, plan, persons, by_key, history) -> None:
        """Teams of projects that have started: finished ones written directly (the enrol
        service refuses a project that has ended), running ones through `enrol` (the last to
        enrol may land on the waiting list and then do not come)."""
        direct: list[Registration] = []
        for key, team in history.teams.items():
            b = by_key[key]
            ongoing = b.activity.sessions.filter(start__gt=self.cutoff).exists()
            if not ongoing:
                direct += [Registration(initiative_id=b.activity.initiative_id,
                                        activity=b.activity, session=None, person=persons[i],
                                        status=Registration.Status.CONFIRMED) for i in team]
                continue
            confirmed = []
            for i in team:
                person = persons[i]
                registration = _try(lambda p=person, a=b.activity: attendance_services.enrol(
                    activity=a, person=p, by=p.user))
                if registration is None:
                    continue
                self._count("enrolments")
                if registration.status == Registration.Status.WAITLISTED:
                    self._count("waitlisted")
                else:
                    confirmed.append(i)
            history.teams[key] = confirmed
        if direct:
            Registration.objects.bulk_create(direct)
            self._count("enrolments", len(direct))
            self._note("Enrolments in finished projects are written directly (the enrol "
                       "service refuses a project that has ended).")

    def _past_sign_ups(self, info, here, plan, persons, visitors, rng, signed_up_on):
        """Most people just walk in; where places are limited most sign up first. Of those who
        signed up, 10-20 % do not come (no-shows)."""
        share = 0.6 if info.capacity else (0.1 if info.format == "festive" else 0.2)
        on_behalf = {m.index for m in plan.members if m.on_behalf}
        signed = [i for i in here if i not in on_behalf and rng.random() < share]
        day = info.start.date()
        no_show_share = rng.uniform(0.1, 0.2)
        n_absent = round(len(signed) * no_show_share / (1 - no_show_share))
        if info.capacity:
            n_absent = max(0, min(n_absent, info.capacity - len(signed)))
        present = set(here)
        pool = [v for v in visitors.values() if v.index not in present
                and v.index not in on_behalf and v.kind != "once" and v.arrive < day
                and (v.leave is None or v.leave >= day)
                and (info.audience != "women" or v.women_ok)
                and (v.starts_after is None or v.starts_after <= info.start)]
        pool.sort(key=lambda v: (info.key not in v.homes, v.index))
        absent = pool[: n_absent * 3]
        rng.shuffle(absent)
        rows = []
        for i, status in ([(i, Registration.Status.CONFIRMED) for i in signed]
                          + [(v.index, Registration.Status.CONFIRMED) for v in absent[:n_absent]]
                          + [(v.index, Registration.Status.CANCELLED)
                             for v in absent[n_absent:n_absent + (rng.random() < 0.3)]]):
            person = persons[i]
            rows.append(Registration(initiative_id=person.initiative_id,
                                     activity_id=info.activity_id,
                                     session_id=info.id, person=person, status=status))
            joined = person.created_at
            when = info.start - dt.timedelta(days=rng.randint(1, 10), hours=rng.randint(0, 9))
            signed_up_on.append(max(when, joined))
        return rows

    def _guest_taps(self, initiative, info, b: _Built, rng, staff: _Staff, organiser_user,
                    festive: bool, members_present: int) -> list[GuestTally]:
        """Walk-ins without an account, one tap each at the kiosk; most say nothing about
        themselves. On a festive day the organiser adds the crowd the kiosk missed."""
        groups = ([GuestTally.Group.UNSPECIFIED] * 60 + [GuestTally.Group.NEWCOMER] * 27
                  + [GuestTally.Group.LOCAL] * 13)
        if festive:
            taps = rng.randint(20, 40)
        elif rng.random() < 0.8:
            taps = rng.choice((1, 1, 1, 2, 2, 3, 4, 5))
        else:
            return []
        rows = [GuestTally(initiative_id=initiative.pk, session_id=info.id,
                           group=rng.choice(groups), count=1, recorded_by=staff.kiosk,
                           at=min(info.start + dt.timedelta(minutes=rng.randint(-5, 90)),
                                  self.cutoff))
                for _ in range(taps)]
        if festive:
            rows.append(GuestTally(
                initiative_id=initiative.pk, session_id=info.id,
                group=GuestTally.Group.UNSPECIFIED, count=rng.randint(20, 45),
                recorded_by=organiser_user,
                at=min(info.start + dt.timedelta(minutes=b.spec.duration), self.cutoff),
            ))
        return rows

    # -- what is still ahead: sign-ups and enrolments through the services
    def _build_future_sign_ups(self, plan: PlacePlan, persons, built: list[_Built],
                               history) -> None:
        now = timezone.now()
        today = self.reference.date()
        visitors = history.visitors
        active = [m for m in plan.members if not m.on_behalf
                  and visitors[m.index].leave is None
                  and (visitors[m.index].kind != "once"
                       or (today - visitors[m.index].arrive).days <= 30)]
        for b in built:
            spec, activity = b.spec, b.activity
            eligible = [m for m in active if spec.audience != "women"
                        or (m.consent and m.described_gender == "woman")]
            weights = {}
            for m in eligible:
                w = 1.0 + 2.0 * len(set(spec.draws) & set(m.interests))
                w *= spec.newcomer_pull if m.group == "newcomer" else 1 - spec.newcomer_pull
                w *= 4.0 if spec.key in visitors[m.index].homes else 1.0
                weights[m.index] = w
            organiser_ids = set(b.organiser_ids)

            def draw(k: int, eligible=eligible, weights=weights,
                     organiser_ids=organiser_ids) -> list[MemberPlan]:
                pool = [m for m in eligible if m.index not in organiser_ids]
                w = [weights[m.index] for m in pool]
                chosen: list[MemberPlan] = []
                while pool and len(chosen) < k:
                    i = self.rng.choices(range(len(pool)), weights=w)[0]
                    chosen.append(pool.pop(i))
                    w.pop(i)
                return chosen

            if spec.kind == "project":
                if activity.first_start <= self.cutoff:
                    continue  # its team enrolled with the history
                k = (spec.capacity or 10) + self.rng.randint(2, 4)
                for m in draw(math.ceil(k * max(self.scale, 0.5))):
                    registration = _try(lambda m=m, a=activity: attendance_services.enrol(
                        activity=a, person=persons[m.index], by=persons[m.index].user))
                    if registration is not None:
                        self._count("enrolments")
                        if registration.status == Registration.Status.WAITLISTED:
                            self._count("waitlisted")
                continue
            sessions = list(activity.sessions.filter(status=Session.Status.PLANNED,
                                                     start__gt=now).order_by("start", "id"))
            for session in sessions:
                weeks_ahead = (session.start - self.reference).days / 7
                capacity = session.effective_capacity
                if weeks_ahead < 5:
                    k = (self.rng.randint(2, 9) if capacity is None
                         else self.rng.randint(capacity // 2, capacity + 3))
                else:
                    k = self.rng.randint(0, 3)
                for m in draw(math.ceil(k * self.scale)):
                    person = persons[m.index]
                    registration = _try(lambda s=session, p=person: attendance_services.sign_up(
                        session=s, person=p, by=p.user))
                    if registration is not None:
                        self._count("sign_ups")
                        if registration.status == Registration.Status.WAITLISTED:
                            self._count("waitlisted")
                # Now and then someone cannot come after all; the waiting list moves up.
                if self.rng.random() < 0.15:
                    live = list(Registration.objects.filter(
                        session=session, status=Registration.Status.CONFIRMED).order_by("id"))
                    if live:
                        leaving = self.rng.choice(live)
                        if _try(lambda r=leaving: attendance_services.cancel_sign_up(
                                registration=r, by=r.person.user)) is not None:
                            self._count("sign_ups_cancelled")

    # -- the volunteer path, cards, proposals, messages
    def _build_volunteer_path(self, initiative, plan, persons, history, coordinator_user) -> None:
        self._count("path_organised_once", len(history.path))
        for i, since in sorted(history.volunteer_since.items()):
            person = persons[i]
            current = set(Role.objects.filter(initiative=initiative, user_id=person.user_id)
                          .values_list("name", flat=True))
            people_services.change_roles(person=person, by=coordinator_user,
                                         roles=sorted(current | {Role.Name.VOLUNTEER}))
            # granted_at is stamped "now" on create; the role was granted back then.
            Role.objects.filter(initiative=initiative, user_id=person.user_id,
                                name=Role.Name.VOLUNTEER).update(granted_at=since)
            self._count("volunteers")
        self._count("path_recurring", len(history.recurring))

    def _build_cards(self, plan, persons, history, coordinator_user) -> None:
        """QR cards, issued by the coordinator when the person asked (with the card consent
        recorded); one card was lost, revoked and reissued in one step."""
        tz = ZoneInfo("Europe/Amsterdam")
        by_index = {m.index: m for m in plan.members}
        cards: list[MemberCard] = []
        consents: list[ConsentRecord] = []
        lost_one = False
        for i, day in sorted(history.cards.items()):
            person = persons[i]
            issued = dt.datetime(day.year, day.month, day.day, 9, 30 + i % 20, tzinfo=tz)
            issued = min(issued, self.cutoff)
            if not by_index[i].on_behalf:
                consents.append(ConsentRecord(person=person, purpose=ConsentRecord.Purpose.CARD,
                                              given_at=issued, recorded_by=coordinator_user))
            lost = issued + dt.timedelta(days=75)
            if by_index[i].on_behalf and not lost_one and lost < self.cutoff:
                lost_one = True
                cards.append(MemberCard(initiative_id=person.initiative_id, person=person,
                                        issued_at=issued, issued_by=coordinator_user,
                                        revoked_at=lost, revoked_by=coordinator_user))
                issued = lost
                self._count("cards_revoked")
            cards.append(MemberCard(initiative_id=person.initiative_id, person=person,
                                    issued_at=issued, issued_by=coordinator_user))
        MemberCard.objects.bulk_create(cards)
        ConsentRecord.objects.bulk_create(consents)
        self._count("cards", sum(1 for c in cards if c.revoked_at is None))

    def _build_proposals(self, initiative, plan, persons, history, coordinator_user, tz) -> None:
        """Bottom-up ideas: some waiting, one approved (now a draft activity with the proposer
        as organiser), one declined with a kind message, one withdrawn."""
        visitors = history.visitors
        proposers = [persons[m.index] for m in plan.members
                     if not m.on_behalf and not m.roles and not m.demo_login
                     and visitors[m.index].kind == "core" and visitors[m.index].leave is None]
        path_people = [persons[i] for i in sorted(history.volunteer_since)]
        if not proposers:
            return
        rows = content.PROPOSALS[plan.spec.slug]
        for n, idea in enumerate(rows):
            status = idea["status"]
            proposer = (path_people[0] if status == "approved" and path_people
                        else proposers[(n * 7) % len(proposers)])
            created = self.reference - dt.timedelta(days=idea["days_ago"])
            proposal = Proposal.objects.create(
                initiative=initiative, proposer=proposer, title=idea["title"],
                description=idea["description"], when=idea["when"],
                languages=list(idea["languages"]), cost=idea.get("cost", "free"),
                cost_cents=idea.get("cost_cents"), status=status, created_at=created,
            )
            if status in ("approved", "declined"):
                proposal.decided_at = created + dt.timedelta(days=6)
                proposal.decided_by = coordinator_user
                proposal.response = idea.get("response", "")
            if status == "approved":
                target = self.today + dt.timedelta(weeks=5)
                first = _first_start(content.ActivitySpec(
                    key="proposal", place=plan.spec.slug, kind="regular", format="other",
                    title={}, description={}, rrule=idea["rrule"], start_time=idea["start_time"],
                    duration=90, weeks_from_today=5), self.today, tz)
                assert first.date() >= target
                proposal.activity = activity_services.create_activity(
                    initiative=initiative, by=coordinator_user, title=idea["activity_title"],
                    description=idea["activity_description"], first_start=first,
                    kind="regular", format=idea["format"], rrule=idea["rrule"],
                    languages_spoken=list(idea["languages"]), duration_minutes=90,
                    status=Activity.Status.DRAFT, organisers=[proposer],
                )
                self._count("draft_activities")
            proposal.save()
            self._count(f"proposals_{status}")

    def _build_messages(self, initiative, built: list[_Built], persons, plan,
                        coordinator_user) -> None:
        """A cancellation notice and two ordinary messages from organisers."""
        now = timezone.now()
        cancelled = (Session.objects.filter(initiative=initiative, status=Session.Status.CANCELLED)
                     .order_by("-start", "id"))
        session = cancelled.filter(start__gt=now).first() or cancelled.first()
        messages = []
        if session is not None and not SessionMessage.objects.filter(
                session=session, is_cancellation=True).exists():
            title = session.activity.title.get("nl", "")
            messages.append(SessionMessage(
                initiative=initiative, session=session, sender=coordinator_user,
                body=content.CANCELLATION_TEXT.format(title=title,
                                                      day=session.start.strftime("%d-%m")),
                is_cancellation=True, sent_at=min(now, session.start - dt.timedelta(days=3)),
                recipients=Registration.objects.filter(
                    session=session, status=Registration.Status.CONFIRMED).count(),
            ))
        for b in built:
            text = content.MESSAGES.get(b.spec.key)
            if not text:
                continue
            upcoming = b.activity.sessions.filter(status=Session.Status.PLANNED,
                                                  start__gt=now).order_by("start", "id").first()
            sender = next((persons[i].user for i in b.organiser_ids if persons[i].user_id),
                          coordinator_user)
            if upcoming is not None:
                messages.append(SessionMessage(
                    initiative=initiative, session=upcoming, sender=sender, body=text,
                    sent_at=min(now, upcoming.start - dt.timedelta(days=2)),
                    recipients=Registration.objects.filter(
                        session=upcoming, status=Registration.Status.CONFIRMED).count(),
                ))
        SessionMessage.objects.bulk_create(messages)
        self._count("messages", len(messages))


@dataclass
class _Built:
    spec: content.ActivitySpec
    activity: Activity
    organiser_ids: list[int]


@dataclass
class _Staff:
    coordinator: User
    kiosk: User
    hosts: list[User]


def _joined_at(reference: dt.datetime, m: MemberPlan) -> dt.datetime:
    # Early on the day they first came (their first visit is that day or later).
    return reference - dt.timedelta(days=m.joined_days_ago, hours=3 + m.index % 9)


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

    join() hashes the password it is given (~0.25 s with PBKDF2, 440 times = too slow for the
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
def _keep_created_at(model):
    """Let bulk_create keep the `created_at` we set (auto_now_add would stamp "now"), for
    history rows written by this single-threaded command only."""
    created_at = model._meta.get_field("created_at")
    saved = created_at.auto_now_add
    created_at.auto_now_add = False
    try:
        yield
    finally:
        created_at.auto_now_add = saved


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
    `make demo` can print them again. Demo logins are named `<slug>-<role>`, except the one
    partner login shared by both places (DEMO_PARTNER)."""
    found = []
    for initiative in Initiative.objects.filter(slug__in=DEMO_SLUGS).order_by("name", "id"):
        names = {f"{initiative.slug}-{role}": role for role in DEMO_ROLES}
        existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
        found += [(initiative.name, names[u], u, initiative.slug) for u in names if u in existing]
        if Role.objects.filter(initiative=initiative, user__username=DEMO_PARTNER,
                               name=Role.Name.PARTNER).exists():
            found.append((initiative.name, "partner", DEMO_PARTNER, initiative.slug))
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
    GuestTally.objects.filter(initiative__in=initiatives).delete()
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
        # The history: who came when and how, the guests, cards (never their tokens), ideas.
        rows += sorted(
            ("checkin", people[c.person_id], c.session.start.isoformat(), c.at.isoformat(),
             c.method, c.welcomed_at is not None)
            for c in CheckIn.objects.filter(initiative=initiative).select_related("session")
        )
        rows += sorted(
            ("guests", t.session.start.isoformat(), t.group, t.count)
            for t in GuestTally.objects.filter(initiative=initiative).select_related("session")
        )
        rows += sorted(
            ("card", people[c.person_id], c.issued_at.isoformat(), c.revoked_at is not None)
            for c in MemberCard.objects.filter(initiative=initiative)
        )
        rows += sorted(
            ("proposal", people.get(p.proposer_id), p.title, p.status)
            for p in Proposal.objects.filter(initiative=initiative)
        )
    blob = json.dumps(rows, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()
