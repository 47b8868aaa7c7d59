"""Activities and their sessions.

An Activity is what people come for (a language café, a project); a Session is one dated
occurrence to which sign-ups and attendance attach. Regular activities repeat by an RFC 5545
rule and their sessions are materialised ahead (services.materialise_sessions); a project has
a fixed series and people enrol once for the whole of it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verbinding.core.i18n import localized
from verbinding.core.models import Initiative
from verbinding.people.models import Person


class Format(models.TextChoices):
    """Proven formats from the report (KIS 2019 §3.5, §4); the knowledge app explains each."""

    LANGUAGE_CAFE = "language_cafe", _("Language café")
    COFFEE_GAMES = "coffee_games", _("Coffee and games")
    SHARED_DINNER = "shared_dinner", _("Shared dinner")
    COOKING = "cooking", _("Cooking together")
    CREATIVE_PROJECT = "creative_project", _("Creative project")
    REMINISCENCE = "reminiscence", _("Sharing memories")
    SPORT = "sport", _("Sport and exercise")
    MUSIC_THEATRE = "music_theatre", _("Music and theatre")
    FILM = "film", _("Film night")
    WOMENS_CAFE = "womens_cafe", _("Women's café")
    WORKSHOP = "workshop", _("Workshop or course")
    ADVICE = "advice", _("Questions and advice")
    FESTIVE = "festive", _("Festive event")
    OTHER = "other", _("Other")


class Activity(models.Model):
    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular")
        PROJECT = "project", _("Project")
        ONE_OFF = "one_off", _("One-off")

    class LanguageNeeded(models.TextChoices):
        NONE = "none", _("No Dutch needed")
        BASIC_DUTCH = "basic_dutch", _("A little Dutch")
        GOOD_DUTCH = "good_dutch", _("Good Dutch")
        ENGLISH = "english", _("English")

    class Cost(models.TextChoices):
        FREE = "free", _("Free")
        PAY_WHAT_YOU_CAN = "pay_what_you_can", _("Pay what you can")
        AMOUNT = "amount", _("Fixed price")

    class Audience(models.TextChoices):
        OPEN = "open", _("Everyone welcome")
        WOMEN = "women", _("Women only")
        MEMBERS = "members", _("Members only")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="activities")
    title = models.JSONField(_("title"), default=dict)
    description = models.JSONField(_("description"), default=dict, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REGULAR)
    format = models.CharField(_("format"), max_length=20, choices=Format.choices, default=Format.OTHER)
    language_needed = models.CharField(
        _("language needed"), max_length=12, choices=LanguageNeeded.choices,
        default=LanguageNeeded.NONE,
    )
    languages_spoken = models.JSONField(_("languages spoken"), default=list, blank=True)
    interpreter = models.BooleanField(_("interpreter present"), default=False)
    cost = models.CharField(_("cost"), max_length=20, choices=Cost.choices, default=Cost.FREE)
    cost_cents = models.PositiveIntegerField(_("price in cents"), null=True, blank=True)
    audience = models.CharField(
        _("who can come"), max_length=10, choices=Audience.choices, default=Audience.OPEN
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    organisers = models.ManyToManyField(
        Person, related_name="organised_activities", blank=True, verbose_name=_("organisers")
    )
    room = models.CharField(_("room or place"), max_length=120, blank=True)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    # Recurrence: first_start + duration; rrule is an RFC 5545 RRULE body without DTSTART.
    first_start = models.DateTimeField(_("first session starts"))
    duration_minutes = models.PositiveIntegerField(_("length in minutes"), default=120)
    rrule = models.CharField(_("repeat rule"), max_length=500, blank=True)
    # Projects: what the team works towards, planned sessions and team size.
    common_goal = models.JSONField(_("common goal"), default=dict, blank=True)
    planned_sessions = models.PositiveSmallIntegerField(_("number of sessions"), null=True, blank=True)
    team_size = models.PositiveSmallIntegerField(_("team size"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["initiative_id", "first_start", "id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gte=1),
                name="activity_capacity_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=5) & models.Q(duration_minutes__lte=24 * 60),
                name="activity_duration_sane",
            ),
            models.CheckConstraint(
                condition=~models.Q(cost="amount") | models.Q(cost_cents__isnull=False),
                name="activity_amount_has_price",
            ),
        ]

    def __str__(self) -> str:
        return self.title_text() or f"activity {self.pk}"

    def title_text(self) -> str:
        return localized(self.title, fallbacks=self.initiative.languages if self.initiative_id else ())

    def description_text(self) -> str:
        return localized(
            self.description, fallbacks=self.initiative.languages if self.initiative_id else ()
        )

    def common_goal_text(self) -> str:
        return localized(self.common_goal)

    @property
    def is_project(self) -> bool:
        return self.kind == self.Kind.PROJECT

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.audience != self.Audience.MEMBERS


class Session(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="sessions")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="sessions")
    start = models.DateTimeField(_("start"), db_index=True)
    end = models.DateTimeField(_("end"))
    # The rule occurrence this session stands for; kept when the session is moved so a
    # re-materialisation recognises it. Null for a session added by hand.
    occurrence = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    moved = models.BooleanField(default=False)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="session_end_after_start"),
            models.UniqueConstraint(
                fields=["activity", "occurrence"], condition=models.Q(occurrence__isnull=False),
                name="session_one_per_occurrence",
            ),
        ]
        indexes = [models.Index(fields=["initiative", "start"], name="session_initiative_start")]

    def __str__(self) -> str:
        return f"{self.activity} @ {self.start:%Y-%m-%d %H:%M}"

    @property
    def effective_capacity(self) -> int | None:
        return self.capacity if self.capacity is not None else self.activity.capacity


class Proposal(models.Model):
    """A member's idea for an activity (bottom-up). A coordinator approves it (it becomes a
    draft activity with the proposer as organiser), or declines it with a message."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a coordinator")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="proposals")
    proposer = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("what will you do together?"), max_length=2000)
    when = models.CharField(_("when (day and time)"), max_length=200)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    cost = models.CharField(
        _("cost"), max_length=20, choices=Activity.Cost.choices, default=Activity.Cost.FREE
    )
    cost_cents = models.PositiveIntegerField(_("price in cents"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    response = models.TextField(_("message to the proposer"), max_length=1000, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(cost="amount") | models.Q(cost_cents__isnull=False),
                name="proposal_amount_has_price",
            ),
        ]

    def __str__(self) -> str:
        return self.title
