"""Stored team-formation runs: what the solver saw, what it answered, and the teams a
coordinator adjusted and published.

What belongs here: `TeamRun` (one solve for one project, with its input snapshot and
parameters so it can be reproduced and explained later), `Team` and `TeamMember` (the
assignment, which the coordinator may edit), and `PairRule` (keep two people apart or
together). The snapshot holds solver integer ids only plus a map from those ids to Person
ids; names never enter it. See README.md and docs/algorithms/team-formation.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from verbinding.activities.models import Activity
from verbinding.core.models import Initiative
from verbinding.people.models import Person


class TeamRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="team_runs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # 0..100, for the progress bar
    # Input: the pool exactly as the solver saw it (integer ids, vocab codes as indices) and
    # the parameters; `snapshot["people"]` maps solver ids to Person ids.
    snapshot = models.JSONField(default=dict)
    params = models.JSONField(default=dict)
    # Output of the solver, kept as it answered (the teams below may be edited later).
    solver_status = models.CharField(max_length=12, blank=True)
    method = models.CharField(max_length=20, blank=True)
    objective = models.IntegerField(null=True, blank=True)
    bound = models.IntegerField(null=True, blank=True)
    elastic_minimum_proven = models.BooleanField(default=False)
    wall_time = models.FloatField(null=True, blank=True)
    relaxed_rules = models.JSONField(default=list, blank=True)
    relaxations = models.JSONField(default=list, blank=True)
    explanations = models.JSONField(default=dict, blank=True)
    error = models.CharField(max_length=200, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="teamrun_progress_pct"),
        ]

    def __str__(self) -> str:
        return f"team run {self.pk} of activity {self.activity_id} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def person_ids(self) -> dict[int, int]:
        """Solver id -> Person id."""
        return {int(k): int(v) for k, v in self.snapshot.get("people", {}).items()}


class Team(models.Model):
    run = models.ForeignKey(TeamRun, on_delete=models.CASCADE, related_name="teams")
    number = models.PositiveSmallIntegerField()
    slot = models.CharField(max_length=20, blank=True)  # people.vocab AVAILABILITY_SLOTS code
    theme = models.CharField(max_length=20, blank=True)  # people.vocab Interest code
    women_only = models.BooleanField(default=False)
    locked = models.BooleanField(default=False)
    published = models.BooleanField(default=False)

    class Meta:
        ordering = ["run_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["run", "number"], name="team_number_unique"),
        ]

    def __str__(self) -> str:
        return f"team {self.number} of run {self.run_id}"


class TeamMember(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="team_memberships")
    pinned = models.BooleanField(default=False)

    class Meta:
        ordering = ["team_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["team", "person"], name="team_member_unique"),
        ]

    def __str__(self) -> str:
        return f"person {self.person_id} in team {self.team_id}"


class PairRule(models.Model):
    """A coordinator's rule for two people of a project's pool (solver rule 8)."""

    class Kind(models.TextChoices):
        APART = "apart", _("Keep apart")
        TOGETHER = "together", _("Keep together")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="pair_rules")
    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["activity_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "person_a", "person_b"], name="pair_rule_unique"),
            models.CheckConstraint(condition=models.Q(person_a__lt=models.F("person_b")),
                                   name="pair_rule_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.person_a_id}/{self.person_b_id} in {self.activity_id}"
