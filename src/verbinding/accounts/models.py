"""Users and roles. A role is a permission within one initiative, never an identity."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from verbinding.core.models import Initiative


class User(AbstractUser):
    """A login. Names and contact live on the Person (per initiative), not here.

    `username` is the login name a member picks (a nickname is fine); email is optional.
    """

    class Meta(AbstractUser.Meta):
        ordering = ["username", "id"]
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.username


class Role(models.Model):
    class Name(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        ORGANISER = "organiser", _("Organiser")
        HOST = "host", _("Host on duty")
        KIOSK = "kiosk", _("Kiosk")
        MEMBER = "member", _("Member")
        PARTNER = "partner", _("Partner")
        VOLUNTEER = "volunteer", _("Volunteer")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles")
    name = models.CharField(_("role"), max_length=20, choices=Name.choices)
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["initiative_id", "user_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "user", "name"], name="role_unique_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_name_display()} · {self.initiative}"


STAFF_ROLES = frozenset({Role.Name.COORDINATOR, Role.Name.ORGANISER, Role.Name.HOST})
# Roles that make someone a volunteer on the volunteer path (a permission, never an identity).
VOLUNTEER_ROLES = frozenset({Role.Name.VOLUNTEER, Role.Name.HOST, Role.Name.ORGANISER, Role.Name.COORDINATOR})
