"""Core models: the Initiative (tenant) and the append-only audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from verbinding.core.i18n import localized


class Initiative(models.Model):
    """One meeting place. Every piece of tenant data points at exactly one initiative."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("web address"), max_length=60, unique=True)
    address = models.CharField(_("address of the place"), max_length=200, blank=True)
    district = models.CharField(_("district"), max_length=120, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Amsterdam")
    languages = models.JSONField(_("languages it works in"), default=list)
    tagline = models.JSONField(_("short welcome per language"), default=dict, blank=True)
    opening_hours = models.JSONField(_("opening hours per language"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Goes up by one in the same transaction as every write that changes what the public pages
    # show (core.services.bump_content_version); the public page cache keys on it. Only that
    # helper changes it: save an Initiative with `update_fields`, or a stale copy could put an
    # old number back and bring an old cached page back with it.
    content_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        constraints = [
            models.CheckConstraint(condition=~models.Q(slug=""), name="initiative_slug_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    def tagline_text(self) -> str:
        return localized(self.tagline, fallbacks=self.languages)

    def opening_hours_text(self) -> str:
        return localized(self.opening_hours, fallbacks=self.languages)


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit log cannot be changed.")

    def delete(self):
        raise PermissionError("The audit log cannot be changed.")


class AuditEntry(models.Model):
    """Who read or changed what about a person. Append-only: the app cannot edit or delete rows.

    `subject` is the person concerned (kept as a plain id so erasure of the person does not
    silently rewrite history; the id alone says nothing once the person is gone).
    """

    class Action(models.TextChoices):
        PROFILE_VIEW = "profile_view", _("viewed a profile")
        EXPORT = "export", _("exported data")
        ROLE_CHANGE = "role_change", _("changed a role")
        ERASE = "erase", _("erased a person")
        CONSENT = "consent", _("recorded consent")
        LOGIN_FAILED = "login_failed", _("failed login")

    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_person_id = models.BigIntegerField(null=True, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    view = models.CharField(max_length=100, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.view}"

    def save(self, *args, **kwargs):
        # Integrity guard, not business logic: an audit row, once written, is final.
        if self.pk is not None:
            raise PermissionError("The audit log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log cannot be changed.")
