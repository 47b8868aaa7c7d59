"""Talent exchange records: what members offer and want, the stored matching rounds and the
lessons (matches) each round proposed.

A subject ("what") is either a talent from people.vocab.Talent or a language to teach (from
people.vocab.Language): exactly one of the two fields is set (a named constraint checks it).
Nothing here is free text about a person: an offer's optional title says something about the
skill ("Syrian home cooking"), never about the person.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from verbinding.core.models import Initiative
from verbinding.people.models import Person
from verbinding.people.vocab import Language, Talent

ONE_SUBJECT = (Q(talent="") & ~Q(language="")) | (~Q(talent="") & Q(language=""))


class Subject(models.Model):
    """What is taught: a talent or a language (exactly one)."""

    talent = models.CharField(_("talent"), max_length=30, blank=True, choices=Talent.choices)
    language = models.CharField(_("language"), max_length=10, blank=True, choices=Language.choices)

    class Meta:
        abstract = True

    @property
    def subject_key(self) -> str:
        return f"talent:{self.talent}" if self.talent else f"language:{self.language}"

    @property
    def subject_label(self) -> str:
        from verbinding.exchange.subjects import subject_label

        return subject_label(self.subject_key)

    @property
    def language_labels(self) -> list[str]:
        """The names of `languages` (offers and wants), in the reader's language."""
        return [str(Language(code).label) for code in getattr(self, "languages", []) if code in Language.values]


class Offer(Subject):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="exchange_offers")
    # Languages the person can teach this in (Language codes).
    languages = models.JSONField(_("languages you can teach in"), default=list, blank=True)
    title = models.CharField(_("a few words about the skill (optional)"), max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person_id", "talent", "language", "id"]
        constraints = [
            models.CheckConstraint(condition=ONE_SUBJECT, name="exchange_offer_one_subject"),
            models.UniqueConstraint(fields=["person", "talent", "language"], name="exchange_offer_unique"),
        ]

    def __str__(self) -> str:
        return f"offer {self.subject_key} by person {self.person_id}"


class Want(Subject):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="exchange_wants")
    # Languages the person can learn in (Language codes).
    languages = models.JSONField(_("languages you can learn in"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person_id", "talent", "language", "id"]
        constraints = [
            models.CheckConstraint(condition=ONE_SUBJECT, name="exchange_want_one_subject"),
            models.UniqueConstraint(fields=["person", "talent", "language"], name="exchange_want_unique"),
        ]

    def __str__(self) -> str:
        return f"want {self.subject_key} of person {self.person_id}"


class ExchangeRound(models.Model):
    """One run of the matcher, stored with its input so it can be reproduced and explained.

    `snapshot` holds the solver input with integer ids only (members as plain lists) and
    `person_map` maps those ids to Person pks; `parameters` the ExchangeParameters used.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Matching")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="exchange_rounds")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    snapshot = models.JSONField(default=dict)
    person_map = models.JSONField(default=dict)
    parameters = models.JSONField(default=dict)
    pool_size = models.PositiveIntegerField(default=0)
    matched = models.PositiveIntegerField(null=True, blank=True)
    upper_bound = models.PositiveIntegerField(null=True, blank=True)
    cover_bound = models.PositiveIntegerField(null=True, blank=True)
    proven_optimal = models.BooleanField(default=False)
    method = models.CharField(max_length=30, blank=True)
    cross_group_lessons = models.PositiveIntegerField(null=True, blank=True)
    wall_time = models.FloatField(null=True, blank=True)
    # Person pk (as a string) -> reason code, for the people this round left unmatched.
    unmatched = models.JSONField(default=dict)
    task_id = models.CharField(max_length=64, blank=True)
    error = models.CharField(max_length=200, blank=True)  # an exception class name, never data
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"exchange round {self.pk} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class Answer(models.TextChoices):
    PENDING = "pending", _("No answer yet")
    YES = "yes", _("Yes")
    NO = "no", _("No")


class Happened(models.TextChoices):
    UNKNOWN = "unknown", _("Not answered")
    YES = "yes", _("Yes")
    NO = "no", _("No")


class ExchangeMatch(Subject):
    """One lesson of a matched cycle: `giver` teaches `receiver` the subject.

    Every person in a cycle gives once and receives once. Each of the two people answers for
    their own side; the lesson is confirmed when both said yes and declined when either said
    no (then the whole cycle is declined and its people return to the pool).
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed")
        # A member said no (not a coordinator declining a proposal, as in activities).
        DECLINED = "declined", pgettext_lazy("exchange answer", "Declined")

    round = models.ForeignKey(ExchangeRound, on_delete=models.CASCADE, related_name="matches")
    cycle = models.PositiveIntegerField()
    giver = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="exchange_gives")
    receiver = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="exchange_receives")
    taught_in = models.CharField(max_length=10, choices=Language.choices)
    slot = models.CharField(max_length=20)
    bridges_groups = models.BooleanField(default=False)  # shown to coordinators as counts only
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    giver_answer = models.CharField(max_length=10, choices=Answer.choices, default=Answer.PENDING)
    receiver_answer = models.CharField(max_length=10, choices=Answer.choices, default=Answer.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    giver_happened = models.CharField(max_length=10, choices=Happened.choices, default=Happened.UNKNOWN)
    receiver_happened = models.CharField(max_length=10, choices=Happened.choices, default=Happened.UNKNOWN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round_id", "cycle", "id"]
        constraints = [
            models.CheckConstraint(condition=ONE_SUBJECT, name="exchange_match_one_subject"),
            models.CheckConstraint(condition=~Q(giver=models.F("receiver")), name="exchange_match_two_people"),
            models.UniqueConstraint(fields=["round", "giver"], name="exchange_match_gives_once"),
            models.UniqueConstraint(fields=["round", "receiver"], name="exchange_match_receives_once"),
        ]

    def __str__(self) -> str:
        return f"lesson {self.subject_key}: {self.giver_id} -> {self.receiver_id} (round {self.round_id})"

    @property
    def slot_label(self) -> str:
        from verbinding.people.vocab import slot_label

        return slot_label(self.slot) if self.slot else ""
