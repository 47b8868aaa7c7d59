"""seed_demo: two fictional places, realistic proportions, real scripts, deterministic, private.

The demo is seeded once for TestTheSeededDemo at a small scale (inside a transaction that is
rolled back after the class), and its tests read it; determinism and --if-empty seed again on their own.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F

from verbinding.activities.models import Activity, Session
from verbinding.attendance import demo, demo_content
from verbinding.attendance.models import Registration
from verbinding.core.models import Initiative
from verbinding.people.models import Person, PersonLanguage, SelfDescription

TODAY = dt.date(2026, 12, 1)
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
SCALE = 0.2
ARGS = ["--seed", "7", "--today", TODAY.isoformat(), "--scale", str(SCALE)]
TINY = ["--seed", "7", "--today", TODAY.isoformat(), "--scale", "0.05"]

ARABIC = re.compile(r"[\u0600-\u06FF]")
ETHIOPIC = re.compile(r"[\u1200-\u137F]")
PERSIAN_ONLY = re.compile(r"[\u067E\u0686\u06AF\u06A9\u06CC]")  # پ چ گ ک ی
LATIN = re.compile(r"[A-Za-z]")
ONE_DAY = dt.timedelta(days=1)


@pytest.fixture(scope="class")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the class below; roll everything back after its last test."""
    out = io.StringIO()
    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=True):
        with transaction.atomic():
            call_command("seed_demo", *ARGS, stdout=out)
            yield out.getvalue()
            transaction.set_rollback(True)


def described(slug):
    return SelfDescription.objects.filter(person__initiative__slug=slug)


@pytest.mark.django_db
class TestTheSeededDemo:
    """Reads one small seeded demo (see the `seeded` fixture)."""

    def test_seed_demo_creates_the_two_fictional_places_with_about_the_planned_members(self, seeded):
        assert sorted(Initiative.objects.values_list("slug", flat=True)) == sorted(demo.DEMO_SLUGS)
        for spec in demo_content.PLACES:
            assert Person.objects.filter(initiative__slug=spec.slug).count() == round(
                spec.members * SCALE
            )
        # The real initiatives of the report are not named (the demo is fictional).
        names = set(Initiative.objects.values_list("name", flat=True))
        assert not names & {"De Voorkamer", "De Huiskamer", "De Huiskamer voor Vluchtelingen"}


    def test_about_three_quarters_describe_themselves_and_the_rest_do_not(self, seeded):
        people = Person.objects.filter(initiative__slug__in=demo.DEMO_SLUGS).count()
        with_description = SelfDescription.objects.filter(
            person__initiative__slug__in=demo.DEMO_SLUGS
        ).count()
        assert 0.6 <= with_description / people <= 0.95
        assert with_description < people  # some people chose not to say anything


    def test_proportions_follow_the_report_locals_mostly_women_at_the_evening_place(self, seeded):
        evening = described("buurtkamer")
        newcomers = evening.filter(group="newcomer").count()
        locals_ = evening.filter(group="local").count()
        assert 0.3 <= newcomers / (newcomers + locals_) <= 0.7
        assert evening.filter(group="local", gender="woman").count() > evening.filter(
            group="local", gender="man"
        ).count()
        daytime = described("trefpunt")
        # Visitors of the daytime place were mostly men; the locals (seniors) mostly women.
        assert daytime.filter(group="newcomer", gender="man").count() > daytime.filter(
            group="newcomer", gender="woman"
        ).count()


    def test_names_are_written_in_arabic_ethiopic_persian_and_latin_scripts(self, seeded):
        names = list(
            Person.objects.filter(initiative__slug__in=demo.DEMO_SLUGS).values_list(
                "display_name", flat=True
            )
        )
        assert any(ARABIC.search(n) for n in names)
        assert any(ETHIOPIC.search(n) for n in names)
        assert any(PERSIAN_ONLY.search(n) for n in names)
        assert any(LATIN.search(n) for n in names)
        # A name is in one script, never mixed (e.g. a Latin initial after a Ge'ez name).
        for name in names:
            scripts = {unicodedata.name(ch).split()[0] for ch in name if ch.isalpha()}
            assert len(scripts) == 1, name


    def test_newcomers_want_dutch_and_profiles_use_the_vocabularies(self, seeded):
        newcomer_ids = described("buurtkamer").filter(group="newcomer").values_list(
            "person_id", flat=True
        )
        wanting_dutch = PersonLanguage.objects.filter(
            person_id__in=newcomer_ids, kind="wants", language="nl"
        ).count()
        assert wanting_dutch == len(newcomer_ids)
        from verbinding.people.vocab import AVAILABILITY_SLOTS, Interest, Talent

        for person in Person.objects.filter(initiative__slug__in=demo.DEMO_SLUGS):
            assert set(person.talents) <= set(Talent.values)
            assert set(person.interests) <= set(Interest.values)
            assert set(person.availability) <= set(AVAILABILITY_SLOTS)
            assert person.talents and person.interests and person.availability


    def test_people_were_brought_by_partner_organisations_and_by_other_members(self, seeded):
        people = Person.objects.filter(initiative__slug__in=demo.DEMO_SLUGS)
        assert people.filter(referred_by_partner__kind="reception").exists()
        assert people.filter(referred_by_partner__kind="charity").exists()
        assert people.filter(referred_by_partner__kind="municipality").exists()
        assert people.filter(referred_by_person__isnull=False).exists()
        for person in people.filter(referred_by_person__isnull=False).select_related(
            "referred_by_person"
        ):
            assert person.referred_by_person.initiative_id == person.initiative_id


    def test_nothing_forbidden_is_stored_and_the_planning_background_never_leaves_the_plan(self, seeded):
        deny = re.compile(
            r"national|nationaliteit|birth|geboorte|religi|geloof|health|gezondheid|bsn|"
            r"residence|verblijf|asylum|asiel|legal_status|alien|v_nummer|passport"
        )
        for model in apps.get_models():
            if model._meta.app_label in {"core", "accounts", "people", "activities", "attendance"}:
                for f in model._meta.get_fields():
                    assert not deny.search(f.name.lower()), f"{model.__name__}.{f.name}"
        backgrounds = "|".join(demo_content.BACKGROUND_SCRIPT)
        leak = re.compile(backgrounds + r"|syri|eritre|afghan|iran|sudan", re.IGNORECASE)
        for person in Person.objects.filter(initiative__slug__in=demo.DEMO_SLUGS):
            stored = " ".join(
                str(v) for v in (person.display_name, person.email, person.phone, person.talents,
                                 person.interests, person.availability, person.user.username)
            )
            assert not leak.search(stored), stored


    def test_twelve_or_more_regular_activities_and_four_projects_in_three_languages(self, seeded):
        activities = Activity.objects.filter(initiative__slug__in=demo.DEMO_SLUGS)
        assert activities.filter(kind="regular").count() >= 12
        projects = activities.filter(kind="project")
        assert projects.count() == 4
        for activity in activities:
            assert {"nl", "en", "ar"} <= {k for k, v in activity.title.items() if v}
            assert {"nl", "en", "ar"} <= {k for k, v in activity.description.items() if v}
            assert activity.rrule
        for project in projects:
            sessions = project.sessions.all()
            assert 6 <= sessions.count() <= 8
            assert all(s.end - s.start == dt.timedelta(hours=2) for s in sessions)
            assert project.common_goal
        assert activities.filter(audience="women", kind="regular").exists()
        assert activities.filter(audience="women", kind="project").exists()


    def test_every_activity_is_organised_by_a_newcomer_and_a_local_together(self, seeded):
        for activity in Activity.objects.filter(initiative__slug__in=demo.DEMO_SLUGS):
            groups = set(
                SelfDescription.objects.filter(person__in=activity.organisers.all()).values_list(
                    "group", flat=True
                )
            )
            assert {"newcomer", "local"} <= groups, activity.title["en"]


    def test_sessions_span_the_past_year_and_half_a_year_ahead_with_some_cancelled_and_moved(
        self, seeded,
    ):
        sessions = Session.objects.filter(initiative__slug__in=demo.DEMO_SLUGS)
        first = sessions.order_by("start").first().start
        last = sessions.order_by("-start").first().start
        assert first < NOW - dt.timedelta(days=330)
        assert last > NOW + dt.timedelta(days=150)
        assert Activity.objects.filter(
            initiative__slug__in=demo.DEMO_SLUGS, first_start__lt=NOW
        ).count() >= 12
        assert sessions.filter(status="cancelled", start__lt=NOW).exists()
        assert sessions.filter(status="cancelled", start__gt=NOW).exists()
        assert sessions.filter(moved=True).exists()
        assert not sessions.filter(start__lt=NOW - dt.timedelta(days=1), status="planned").exists()


    def test_sign_ups_enrolments_and_waiting_lists_respect_the_rules(self, seeded):
        registrations = Registration.objects.filter(initiative__slug__in=demo.DEMO_SLUGS)
        assert registrations.filter(session__isnull=False, status="confirmed").count() > 100
        assert registrations.filter(session__isnull=True, status="confirmed").exists()
        assert registrations.filter(status="waitlisted").exists()
        assert registrations.filter(session__isnull=True, status="waitlisted").exists()
        # Nobody signed up for a session before they had joined.
        early = registrations.filter(session__isnull=False,
                                     person__created_at__gt=F("session__start") + ONE_DAY)
        assert not early.exists()
        for registration in registrations.filter(activity__audience="women"):
            assert SelfDescription.objects.filter(
                person_id=registration.person_id, gender="woman"
            ).exists()
        for registration in registrations.filter(session__isnull=False).select_related("session")[:500]:
            capacity = registration.session.effective_capacity
            if capacity is not None and registration.session.start > NOW:
                confirmed = registrations.filter(session=registration.session,
                                                 status="confirmed").count()
                assert confirmed <= capacity


    def test_the_demo_logins_work_with_the_demo_password_and_other_members_have_no_password(
        self, seeded, settings
    ):
        # The class fixture hashed with the production hasher, outside the fast test hasher.
        settings.PASSWORD_HASHERS = [
            "django.contrib.auth.hashers.PBKDF2PasswordHasher",
            "django.contrib.auth.hashers.MD5PasswordHasher",
        ]
        assert demo.DEMO_PASSWORD in seeded
        from verbinding.accounts.models import User

        for slug in demo.DEMO_SLUGS:
            coordinator = authenticate(username=f"{slug}-coordinator",
                                       password=demo.DEMO_PASSWORD)
            assert coordinator is not None
            assert coordinator.roles.filter(initiative__slug=slug, name="coordinator").exists()
            for role in demo.DEMO_ROLES:
                username = f"{slug}-{role}"
                assert username in seeded
                user = User.objects.get(username=username)
                # One hash of the demo password serves every demo login (checked once above).
                assert user.password == coordinator.password
                assert user.roles.filter(initiative__slug=slug).exists()
        silent = Person.objects.filter(initiative__slug__in=demo.DEMO_SLUGS,
                                       user__username__regex=r"-m\d{3}$").select_related("user")
        assert silent.exists()
        assert not any(p.user.has_usable_password() for p in silent)
        # The cheap hasher used for throwaway passwords leaves no hash behind.
        assert not User.objects.filter(password__startswith="md5$").exists()


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    with time_machine.travel(NOW, tick=True):
        call_command("seed_demo", *TINY, stdout=io.StringIO())
        first = demo.signature()
        call_command("seed_demo", *TINY, "--flush-demo", stdout=io.StringIO())
        again = demo.signature()
        other_args = ["--seed", "8", *TINY[2:]]
        call_command("seed_demo", *other_args, "--flush-demo", stdout=io.StringIO())
        other = demo.signature()
    assert first == again
    assert other != first


@pytest.mark.django_db
def test_if_empty_leaves_existing_demo_data_alone_and_a_second_plain_run_refuses():
    with time_machine.travel(NOW, tick=True):
        call_command("seed_demo", *TINY, stdout=io.StringIO())
        people = Person.objects.count()
        out = io.StringIO()
        call_command("seed_demo", *TINY, "--if-empty", stdout=out)
        assert "nothing to do" in out.getvalue()
        # A second `make demo` still tells the visitor how to log in.
        assert "/buurtkamer/login/" in out.getvalue()
        assert "coordinator" in out.getvalue()
        assert Person.objects.count() == people
        with pytest.raises(CommandError):
            call_command("seed_demo", *TINY, stdout=io.StringIO())


@pytest.mark.django_db
def test_flush_demo_removes_only_the_demo_places_and_their_logins(initiative, coordinator):
    with time_machine.travel(NOW, tick=True):
        call_command("seed_demo", *TINY, stdout=io.StringIO())
        assert demo.flush_demo() == 2
    assert Initiative.objects.filter(slug="voorkamer").exists()
    assert not Initiative.objects.filter(slug__in=demo.DEMO_SLUGS).exists()
    from verbinding.accounts.models import User

    assert list(User.objects.values_list("username", flat=True)) == ["coco"]


@pytest.mark.parametrize("bad", [["--scale", "0"], ["--scale", "-1"], ["--scale", "5"],
                                 ["--today", "yesterday"], ["--today", "2026-13-45"],
                                 ["--seed", "x"]])
@pytest.mark.django_db
def test_wrong_options_are_refused_with_a_clear_message_and_nothing_is_written(bad):
    with pytest.raises((CommandError, SystemExit)):
        call_command("seed_demo", *bad, stdout=io.StringIO(), stderr=io.StringIO())
    assert not Initiative.objects.exists()


@pytest.mark.parametrize("seed", range(1, 9))
@pytest.mark.parametrize("scale", [0.05, 0.2, 1.0])
def test_every_plan_gives_mixed_organiser_pairs_and_women_for_women_only_activities(seed, scale):
    for plan in demo.make_plan(seed, scale=scale):
        by_index = {m.index: m for m in plan.members}
        specs = {a.key: a for a in demo_content.ACTIVITIES if a.place == plan.spec.slug}
        assert set(plan.organisers) == set(specs)
        for key, pair in plan.organisers.items():
            lead, partner = (by_index[i] for i in pair)
            assert {lead.group, partner.group} == {"newcomer", "local"}
            assert lead.group == specs[key].lead
            assert lead.consent and partner.consent  # the pair is visible as mixed to staff
            if specs[key].audience == "women":
                assert lead.gender == partner.gender == "woman"
        logins = sorted(m.demo_login for m in plan.members if m.demo_login)
        assert logins == sorted(set(demo.DEMO_ROLES) - {"kiosk"})
        assert len({m.display_name for m in plan.members}) == len(plan.members)
