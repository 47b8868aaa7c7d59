"""Sign-ups (with waiting list), project enrolments and check-ins.

A Registration is either for one session (regular, one-off) or, for a project, for the whole
activity (session is null): a person enrols once for the series. At most one live (not
cancelled) registration per person per session or per project, enforced by the database.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from verbinding.activities.models import Activity, Session
from verbinding.core.models import Initiative
from verbinding.people.models import Person


class Registration(models.Model):
    class Status(models.TextChoices):
        # Contexts: one person's sign-up, not the count of people signed up (organising) nor a
        # cancelled session (activities).
        CONFIRMED = "confirmed", pgettext_lazy("sign-up status", "Signed up")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", pgettext_lazy("sign-up status", "Cancelled")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="registrations")
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.PROTECT, related_name="registrations"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="registrations")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.CONFIRMED)
    # Set when the person moved up from the waiting list; `promotion_seen_at` once they have
    # seen the notice on their "my sign-ups" page.
    promoted_at = models.DateTimeField(null=True, blank=True)
    promotion_seen_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "session"],
                condition=models.Q(session__isnull=False) & ~models.Q(status="cancelled"),
                name="registration_one_live_per_session",
            ),
            models.UniqueConstraint(
                fields=["person", "activity"],
                condition=models.Q(session__isnull=True) & ~models.Q(status="cancelled"),
                name="registration_one_live_enrolment",
            ),
        ]
        indexes = [models.Index(fields=["session", "status"], name="registration_session_status")]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.session_id or self.activity_id} ({self.status})"


class CheckIn(models.Model):
    """A person was there: checked in at the kiosk (by name or card), marked present by an
    organiser afterwards, or (later) by the person. At most one per person per session; a
    second check-in is a no-op (see `services_checkin.check_in`)."""

    class Method(models.TextChoices):
        NAME = "name", _("Tapped their name at the kiosk")
        CARD = "card", _("Scanned their card at the kiosk")
        ORGANISER = "organiser", _("Marked present by an organiser")
        SELF = "self", _("Checked in themselves")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="checkins")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="checkins"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.NAME)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The host on duty greeted this person (a tick, never a note about them).
    welcomed_at = models.DateTimeField(null=True, blank=True)
    welcomed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], condition=models.Q(person__isnull=False),
                name="checkin_once_per_session",
            ),
        ]
        indexes = [models.Index(fields=["person", "at"], name="checkin_person_at")]

    def __str__(self) -> str:
        return f"check-in {self.person_id} @ {self.session_id}"


class GuestTally(models.Model):
    """Walk-ins without an account, counted at the door (the open door never requires
    registration). One row per tap (count 1) or per organiser's correction afterwards; the
    group is what the guest chose on the button, or unspecified. Nothing else about them."""

    class Group(models.TextChoices):
        NEWCOMER = "newcomer", _("New in the Netherlands")
        LOCAL = "local", _("From here")
        UNSPECIFIED = "unspecified", _("Rather not say")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="guest_tallies")
    group = models.CharField(max_length=12, choices=Group.choices, default=Group.UNSPECIFIED)
    count = models.PositiveSmallIntegerField(default=1)
    at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(count__gte=1) & models.Q(count__lte=500), name="guesttally_count_sane"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.count} guest(s) @ {self.session_id}"


class SessionMessage(models.Model):
    """A message from an organiser to the people signed up for a session (or enrolled in its
    project). Emailed to those with an email address; shown on everyone's "my sign-ups"."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=2000)
    # Set for the automatic notice when a session is cancelled.
    is_cancellation = models.BooleanField(default=False)
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)
    emailed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"message @ {self.session_id}"
