"""Pulse and periodic survey answers, stored so that nobody can be found in them.

- `PulseResponse` + `PulseAnswer`: one filled-in pulse and its answers. No person, no user, no
  check-in, no time of day: the initiative, the session, the language, the day, the channel
  (kiosk or phone) and which module was asked. Primary keys are random UUIDs, so the order in
  which rows were written cannot be lined up with the order of check-ins at the door.
- `UsedPulseToken`: the SHA-256 of the one-time nonce of a kiosk pulse link, so a link can be
  used once. It holds no session, no response and no person.
- `PulseAnswered`: "this person has answered the pulse for this session" — a marker that stops
  a member answering twice from their phone. It holds no answers and no link to a response.
- `SurveyPseudonym` + `SurveyLink`: only when a person gave the consent to link their answers
  over time. The pseudonym is a random UUID unrelated to the person's id; the link (person ↔
  pseudonym) is the consent itself: it exists while the consent lasts and is deleted, with the
  pseudonym on the responses, when it is withdrawn or the person is erased. Without that
  consent no `SurveyLink` or `SurveyPseudonym` row is ever written (tests/surveys/test_privacy.py).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from verbinding.activities.models import Session
from verbinding.core.models import Initiative
from verbinding.people.models import Person
from verbinding.surveys.items import ALL_ITEMS, ITEM_CHOICES, MODULE_ROTATION


class SurveyPseudonym(models.Model):
    """A random survey identity, joined to a person only through `SurveyLink`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"survey pseudonym {self.id}"


class SurveyLink(models.Model):
    """The person's consent to link their answers over time, and the link itself."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="survey_link")
    pseudonym = models.OneToOneField(SurveyPseudonym, on_delete=models.CASCADE, related_name="link")
    consented_at = models.DateTimeField()
    consent_version = models.CharField(max_length=20, default="2026-12")

    class Meta:
        ordering = ["person_id"]

    def __str__(self) -> str:
        return f"survey link of person {self.person_id}"


class PulseResponse(models.Model):
    class Channel(models.TextChoices):
        KIOSK = "kiosk", _("At the kiosk")
        PHONE = "phone", _("On their phone")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+")
    # Kept when a session is deleted with its activity: the answers still count for the period.
    session = models.ForeignKey(Session, null=True, on_delete=models.SET_NULL, related_name="+")
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    day = models.DateField(db_index=True)  # in the initiative's time zone; never a time
    channel = models.CharField(max_length=8, choices=Channel.choices)
    module = models.CharField(max_length=16, choices=[(m, m) for m in MODULE_ROTATION])
    pseudonym = models.ForeignKey(
        SurveyPseudonym, null=True, blank=True, on_delete=models.SET_NULL, related_name="responses"
    )

    class Meta:
        ordering = ["day", "id"]
        indexes = [models.Index(fields=["initiative", "day"], name="pulse_initiative_day")]

    def __str__(self) -> str:
        return f"pulse {self.day} ({self.channel})"


def _known_answers() -> Q:
    condition = Q()
    for item in ALL_ITEMS:
        condition |= Q(item=item.code, answer__in=list(item.codes))
    return condition


class PulseAnswer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(PulseResponse, on_delete=models.CASCADE, related_name="answers")
    item = models.CharField(max_length=24, choices=ITEM_CHOICES)
    answer = models.CharField(max_length=16)

    class Meta:
        ordering = ["response_id", "item", "id"]
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="pulse_answer_once_per_item"),
            models.CheckConstraint(condition=_known_answers(), name="pulse_answer_known_code"),
        ]

    def __str__(self) -> str:
        return f"{self.item}={self.answer}"


class UsedPulseToken(models.Model):
    """A kiosk pulse link that has been used (its nonce's SHA-256), so it works only once."""

    nonce_hash = models.CharField(max_length=64, primary_key=True)
    day = models.DateField()  # only to prune rows once the link would have expired anyway

    class Meta:
        ordering = ["day", "nonce_hash"]

    def __str__(self) -> str:
        return f"used pulse link {self.nonce_hash[:8]}…"


class PulseAnswered(models.Model):
    """A member answered the pulse of this session on their phone (no answers, no time)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["session_id", "person_id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "session"], name="pulse_answered_once"),
        ]

    def __str__(self) -> str:
        return f"person {self.person_id} answered session {self.session_id}"
