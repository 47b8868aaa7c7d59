"""Shared fixtures: the personas of conventions.md and test-wide settings.

Personas (all in initiative `voorkamer` unless said otherwise):
coordinator, organiser, host, kiosk, partner, newcomer (a member who self-described as new in
the Netherlands, a woman), local (a member who self-described as having lived here longer, a man),
and outsider (a coordinator of another initiative, `huiskamer`). Each persona fixture returns
the User; `person_of(user, initiative)` gives the Person.
"""

from __future__ import annotations

import os

import pytest
from django.utils import timezone

# Playwright runs an event loop in the test thread; the live server and ORM calls in the
# same test are synchronous and safe here (see toolchain-check.md).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def initiative(db):
    from tests.factories import InitiativeFactory

    return InitiativeFactory(slug="voorkamer", name="De Voorkamer", district="Lombok")


@pytest.fixture
def other_initiative(db):
    from tests.factories import InitiativeFactory

    return InitiativeFactory(slug="huiskamer", name="De Huiskamer", district="Centrum")


def make_user(initiative, username, *roles, display_name=None, group=None, gender=None):
    """A user with a Person in `initiative` and the given roles (member is implied)."""
    from tests.factories import UserFactory
    from verbinding.accounts.models import Role
    from verbinding.people.models import Person, SelfDescription

    user = UserFactory(username=username, password=PASSWORD)
    for name in {*roles}:
        Role.objects.create(initiative=initiative, user=user, name=name)
    if not {"kiosk", "partner"} & set(roles):
        person = Person.objects.create(
            initiative=initiative, user=user, display_name=display_name or username.title()
        )
        if group or gender:
            SelfDescription.objects.create(
                person=person, group=group or "unspecified", gender=gender or "unspecified",
                consented_at=timezone.now(),
            )
    return user


def person_of(user, initiative):
    from verbinding.people.models import Person

    return Person.objects.get(user=user, initiative=initiative)


@pytest.fixture
def coordinator(initiative):
    return make_user(initiative, "coco", "coordinator", "member", display_name="Coco")


@pytest.fixture
def organiser(initiative):
    return make_user(initiative, "omar", "organiser", "member", display_name="Omar")


@pytest.fixture
def host(initiative):
    return make_user(initiative, "hanna", "host", "member", display_name="Hanna")


@pytest.fixture
def kiosk(initiative):
    return make_user(initiative, "kiosk-voorkamer", "kiosk")


@pytest.fixture
def partner(initiative):
    return make_user(initiative, "gemeente", "partner")


@pytest.fixture
def newcomer(initiative):
    return make_user(
        initiative, "amal", "member", display_name="أمل", group="newcomer", gender="woman"
    )


@pytest.fixture
def local(initiative):
    return make_user(initiative, "joost", "member", display_name="Joost", group="local", gender="man")


@pytest.fixture
def outsider(other_initiative):
    return make_user(other_initiative, "otto", "coordinator", "member", display_name="Otto")


@pytest.fixture(autouse=True)
def _staff_2fa_off(settings):
    """Staff views need a verified second factor; tests that log staff in with force_login
    switch that off here. tests/accounts turns it back on to prove the enforcement."""
    settings.VERBINDING_REQUIRE_STAFF_2FA = False


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the public page cache keys on the initiative's id
    and content_version, which repeat from test to test (rolled-back rows, factory state)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
