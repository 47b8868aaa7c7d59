"""factory_boy factories for raw rows. Prefer building state through services in tests;
these are for the bottom layer (initiatives, users, roles) and for bulk data."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from verbinding.accounts.models import Role, User
from verbinding.activities.models import Activity, Session
from verbinding.core.models import Initiative
from verbinding.people.models import Person


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Ontmoetingsplek {n}")
    slug = factory.Sequence(lambda n: f"plek-{n}")
    address = "Kanaalstraat 1, Utrecht"
    district = "Lombok"
    languages = ["nl", "en", "ar"]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct-horse-battery")


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    initiative = factory.SubFactory(InitiativeFactory)
    user = factory.SubFactory(UserFactory)
    name = Role.Name.MEMBER


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    initiative = factory.SubFactory(InitiativeFactory)
    display_name = factory.Sequence(lambda n: f"Person {n}")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    initiative = factory.SubFactory(InitiativeFactory)
    title = factory.LazyFunction(lambda: {"nl": "Taalcafé", "en": "Language café", "ar": "مقهى اللغة"})
    description = factory.LazyFunction(lambda: {"nl": "Oefen Nederlands.", "en": "Practise Dutch."})
    kind = Activity.Kind.ONE_OFF
    first_start = factory.LazyFunction(
        lambda: (timezone.now() + dt.timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    )
    duration_minutes = 120


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    activity = factory.SubFactory(ActivityFactory)
    initiative = factory.SelfAttribute("activity.initiative")
    start = factory.SelfAttribute("activity.first_start")
    end = factory.LazyAttribute(lambda o: o.start + dt.timedelta(minutes=o.activity.duration_minutes))
    occurrence = factory.SelfAttribute("start")
