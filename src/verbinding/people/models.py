"""People: a member's profile within one initiative, their languages, consents and referral.

Privacy rules (product.md) shape this module: no field for legal status, nationality,
religion, health, ID numbers or date of birth; group and gender live apart in
`SelfDescription`, only with explicit consent, and are deleted when consent is withdrawn.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verbinding.core.models import Initiative
from verbinding.people.vocab import Language, LanguageLevel


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class PartnerOrganisation(models.Model):
    """An organisation that refers people (reception centre, charity, municipality…)."""

    class Kind(models.TextChoices):
        RECEPTION = "reception", _("Reception centre")
        CHARITY = "charity", _("Refugee-support charity")
        MUNICIPALITY = "municipality", _("Municipality")
        SCHOOL = "school", _("School or language course")
        OTHER = "other", _("Other organisation")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "name"], name="partner_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="people")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="people",
    )
    display_name = models.CharField(_("name you go by"), max_length=60)
    email = models.EmailField(_("email (optional)"), blank=True)
    phone = models.CharField(_("phone (optional)"), max_length=30, blank=True)
    talents = models.JSONField(_("talents you can offer"), default=list, blank=True)
    interests = models.JSONField(_("interests"), default=list, blank=True)
    availability = models.JSONField(_("when you are usually free"), default=list, blank=True)
    referred_by_person = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("brought by a member"),
    )
    referred_by_partner = models.ForeignKey(
        PartnerOrganisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("brought by an organisation"),
    )
    # The language messages to this person are written in (emails, later QR cards); blank
    # means the meeting place's first language.
    preferred_language = models.CharField(
        _("language for messages to you"), max_length=10, blank=True, choices=settings.LANGUAGES,
    )
    calendar_token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(auto_now_add=True)
    last_active_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["display_name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "user"], condition=models.Q(user__isnull=False),
                name="person_one_per_user_per_initiative",
            ),
            models.CheckConstraint(
                condition=~models.Q(display_name=""), name="person_display_name_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name


class PersonLanguage(models.Model):
    """A language a person speaks (with a level) or wants to learn."""

    class Kind(models.TextChoices):
        SPEAKS = "speaks", _("speaks")
        WANTS = "wants", _("wants to learn")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=10, choices=Language.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SPEAKS)
    level = models.CharField(
        _("level"), max_length=10, choices=LanguageLevel.choices, default=LanguageLevel.GOOD
    )

    class Meta:
        ordering = ["person_id", "kind", "language", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "language", "kind"], name="person_language_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.language}:{self.kind}:{self.level}"


class SelfDescription(models.Model):
    """Optional, self-declared group and gender, stored apart and only with explicit consent.

    Withdrawing consent deletes the row. Read only where a task needs it (women-only
    eligibility, team formation, aggregates); never shown on a public page or in a URL.
    """

    class Group(models.TextChoices):
        NEWCOMER = "newcomer", _("New in the Netherlands (came in recent years)")
        LOCAL = "local", _("Lived here longer")
        UNSPECIFIED = "unspecified", _("Rather not say")

    class Gender(models.TextChoices):
        WOMAN = "woman", _("Woman")
        MAN = "man", _("Man")
        NON_BINARY = "non_binary", _("Non-binary")
        UNSPECIFIED = "unspecified", _("Rather not say")

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="self_description")
    group = models.CharField(max_length=12, choices=Group.choices, default=Group.UNSPECIFIED)
    gender = models.CharField(max_length=12, choices=Gender.choices, default=Gender.UNSPECIFIED)
    consented_at = models.DateTimeField()
    consent_version = models.CharField(max_length=20, default="2026-11")

    class Meta:
        ordering = ["person_id", "id"]

    def __str__(self) -> str:
        return f"self-description of person {self.person_id}"


class ConsentRecord(models.Model):
    """What a person agreed to, when, and who recorded it (themselves or staff on their behalf)."""

    class Purpose(models.TextChoices):
        PROFILE = "profile", _("Keep my profile to take part")
        SELF_DESCRIPTION = "self_description", _("Use my group and gender for balance and counts")
        CONTACT = "contact", _("Contact me by email or phone about my sign-ups")
        CARD = "card", _("Check me in with a personal card at the door")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    given_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["person_id", "purpose", "-given_at", "id"]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.purpose}"


def new_card_token() -> str:
    """A card's code: 32 random bytes (256 bits), URL-safe. Never a name or an id."""
    return secrets.token_urlsafe(32)


class MemberCard(models.Model):
    """A personal QR card for checking in at the door, for people without email or phone.

    The QR code holds only `token`: random, scoped to one initiative, revocable. A lost card
    is revoked and a new one issued in one step; at most one live card per person.
    """

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="cards")
    token = models.CharField(max_length=64, unique=True, default=new_card_token)
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(revoked_at__isnull=True),
                name="membercard_one_live_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"card of person {self.person_id}"
