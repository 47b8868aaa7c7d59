"""Helpers for exchange tests: give a member offers, wants, languages and free times."""

from __future__ import annotations

import pytest

from tests.conftest import make_user, person_of
from verbinding.exchange import services
from verbinding.people.models import PersonLanguage


def setup_member(person, *, offers=(), wants=(), speaks=("nl",), free=("sat-morning",)):
    for code in speaks:
        PersonLanguage.objects.get_or_create(person=person, language=code, kind="speaks",
                                             defaults={"level": "fluent"})
    person.availability = list(free)
    person.save(update_fields=["availability"])
    for subject in offers:
        services.add_offer(person=person, subject=subject)
    for subject in wants:
        services.add_want(person=person, subject=subject)
    return person


@pytest.fixture
def pair(initiative, newcomer, local):
    """Amal (newcomer) teaches Joost Arabic; Joost (local) teaches Amal bike repair."""
    amal = setup_member(person_of(newcomer, initiative), offers=["language:ar"], wants=["talent:bike_repair"],
                        speaks=("ar", "en"))
    joost = setup_member(person_of(local, initiative), offers=["talent:bike_repair"], wants=["language:ar"],
                         speaks=("nl", "en"))
    return amal, joost


@pytest.fixture
def member(initiative):
    return make_user(initiative, "mira", "member", display_name="Mira")
