"""Reads of team formation, always scoped by the initiative (another initiative's object is a
404): projects with their pool size, one project, one run, a pool overview in counts only,
and a member's own published team."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from verbinding.activities.models import Activity
from verbinding.attendance.models import Registration
from verbinding.matching import pool as poolmod
from verbinding.matching.models import PairRule, Team, TeamMember, TeamRun
from verbinding.people.models import Person, SelfDescription


def list_projects(*, initiative):
    confirmed = Q(registrations__session__isnull=True,
                  registrations__status=Registration.Status.CONFIRMED,
                  registrations__person__anonymised_at__isnull=True)
    return (
        Activity.objects.filter(initiative=initiative, kind=Activity.Kind.PROJECT)
        .exclude(status=Activity.Status.ARCHIVED)
        .annotate(pool_size=Count("registrations", filter=confirmed, distinct=True))
        .order_by("-first_start", "pk")
    )


def get_project(*, initiative, pk: int) -> Activity:
    return get_object_or_404(
        Activity.objects.filter(initiative=initiative, kind=Activity.Kind.PROJECT), pk=pk
    )


def get_run(*, initiative, pk: int) -> TeamRun:
    return get_object_or_404(
        TeamRun.objects.filter(initiative=initiative).select_related("activity", "activity__initiative"),
        pk=pk,
    )


def get_pair_rule(*, initiative, pk: int) -> PairRule:
    return get_object_or_404(PairRule.objects.filter(initiative=initiative), pk=pk)


def latest_run(activity: Activity) -> TeamRun | None:
    return activity.team_runs.order_by("-created_at", "-id").first()


def pool_overview(activity: Activity) -> dict:
    """Counts only: how many, in which group, of which gender, speaking Dutch or not."""
    people = list(poolmod.enrolled_people(activity).values_list("pk", flat=True))
    described = SelfDescription.objects.filter(person_id__in=people)
    groups = Counter(described.values_list("group", flat=True))
    genders = Counter(described.values_list("gender", flat=True))
    n = len(people)
    newcomers = groups.get(SelfDescription.Group.NEWCOMER, 0)
    locals_ = groups.get(SelfDescription.Group.LOCAL, 0)
    women = genders.get(SelfDescription.Gender.WOMAN, 0)
    men = genders.get(SelfDescription.Gender.MAN, 0)
    dutch = (Person.objects.filter(pk__in=people, languages__language="nl",
                                   languages__kind="speaks").exclude(languages__level="basic")
             .distinct().count())
    with_time = Person.objects.filter(pk__in=people).exclude(availability=[]).count()
    return {
        "size": n, "newcomers": newcomers, "locals": locals_,
        "group_unknown": n - newcomers - locals_,
        "women": women, "men": men, "gender_unknown": n - women - men,
        "dutch": dutch, "no_time": n - with_time,
    }


def pool_people(activity: Activity):
    return poolmod.enrolled_people(activity).only("pk", "display_name")


def my_team(*, person: Person) -> list[tuple[Team, list[TeamMember]]]:
    """The person's published teams (one per project), with teammates' display names only."""
    teams = (
        Team.objects.filter(published=True, members__person=person,
                            run__initiative_id=person.initiative_id)
        .select_related("run__activity", "run__activity__initiative")
        .order_by("run__activity__first_start", "pk")
        .distinct()
    )
    out = []
    for team in teams:
        mates = list(team.members.select_related("person").filter(person__anonymised_at__isnull=True)
                     .only("person__display_name", "person_id", "team_id")
                     .order_by("person__display_name", "person_id"))
        out.append((team, mates))
    return out
