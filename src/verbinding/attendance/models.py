"""Sign-ups (with waiting list), project enrolments and check-ins.

A Registration is either for one session (regular, one-off) or, for a project, for the whole
activity (session is null): a person enrols once for the series. At most one live (not
cancelled) registration per person per session or per project, enforced by the database.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from verbinding.activities.models import Activity, Session
from verbinding.core.models import Initiative
from verbinding.people.models import Person


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Signed up")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

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
    """A person was there. Part 2 adds the kiosk; here it exists so sessions with attendance
    are recognised and kept when a rule is edited."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="checkins")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="checkins"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], condition=models.Q(person__isnull=False),
                name="checkin_once_per_session",
            ),
        ]

    def __str__(self) -> str:
        return f"check-in {self.person_id} @ {self.session_id}"
