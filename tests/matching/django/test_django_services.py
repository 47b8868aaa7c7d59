"""Team formation, Django tier: the pool built from the database, the acquaintance rule, a
stored run that reproduces, edits re-checked by the solver's evaluator, publishing."""

from __future__ import annotations

import dataclasses

import pytest

from tests.conftest import make_user, person_of
from tests.factories import ActivityFactory
from tests.matching.django.conftest import co_attend, enrol, make_member
from verbinding.attendance.models import Registration
from verbinding.core.errors import DomainError
from verbinding.matching import pool as poolmod
from verbinding.matching import services
from verbinding.matching.models import PairRule, Team, TeamMember, TeamRun
from verbinding.matching.solver.model import Gender, Group, Rule

pytestmark = pytest.mark.django_db


def fast(activity, **changes):
    """A small deterministic budget (0.6 units) with a generous wall-clock safety net, so a
    loaded test machine cannot cut the run short and make it non-reproducible."""
    values = {"time_limit": 6.0, "dtime_per_second": 0.1, "seed": 3, **changes}
    return dataclasses.replace(services.default_params(activity), **values)


def test_the_pool_holds_confirmed_enrolments_only_with_self_described_group_and_gender(
    initiative, project, team_pool
):
    waiting = make_member(initiative, "Wacht", group="local", gender="man", speaks=[("nl", "fluent")])
    Registration.objects.create(initiative=initiative, activity=project, person=waiting,
                                status="waitlisted")
    undescribed = make_member(initiative, "Anoniem", group=None, gender=None, speaks=[("nl", "basic")])
    enrol(project, undescribed)
    snap = poolmod.build_snapshot(project)
    people = {int(k): v for k, v in snap["people"].items()}
    assert waiting.pk not in people.values()
    assert len(snap["participants"]) == 21
    by_person = {people[p["id"]]: p for p in snap["participants"]}
    amal = by_person[team_pool[0].pk]
    assert (amal["group"], amal["gender"]) == (Group.NEWCOMER, Gender.WOMAN)
    assert (by_person[undescribed.pk]["group"], by_person[undescribed.pk]["gender"]) == (0, 0)
    # "A little" Dutch is level 1: below the level that counts as speaking it.
    assert by_person[undescribed.pk]["languages"] == [[poolmod.bridge_language(), 1]]
    wed = snap["vocab"]["slots"].index("wed-evening")
    assert amal["availability"] == [wed]
    assert snap["vocab"]["interests"][amal["interests"][0]] == "food"
    # Integer ids only: no name, no Person id inside the participants.
    assert "display_name" not in str(snap["participants"])
    assert not any(p["women_only"] for p in snap["participants"])


def test_a_women_project_makes_every_participant_need_a_women_only_team(initiative):
    project = ActivityFactory(initiative=initiative, kind="project", audience="women")
    for i in range(3):
        enrol(project, make_member(initiative, f"Vrouw{i}", group="local", gender="woman", speaks=[]))
    snap = poolmod.build_snapshot(project)
    assert [p["women_only"] for p in snap["participants"]] == [True, True, True]


def test_people_at_two_small_sessions_together_know_each_other(initiative, project, team_pool):
    a, b, c, d = team_pool[:4]
    co_attend(initiative, [a, b], 2)
    co_attend(initiative, [a, c], 1, tag="one")  # once is not enough
    co_attend(initiative, [c, d], 2, crowd=25, tag="crowd")  # 27 people: too crowded to count
    pairs = poolmod.acquaintances(initiative.pk, [p.pk for p in team_pool])
    assert pairs == {tuple(sorted([a.pk, b.pk]))}


def test_a_stored_run_reproduces_its_teams_from_the_snapshot(initiative, project, team_pool, coordinator):
    co_attend(initiative, team_pool[:2], 2)
    run = services.start_run(activity=project, by=coordinator, params=fast(project))
    run.refresh_from_db()
    assert run.status == TeamRun.Status.DONE
    assert run.solver_status in {"optimal", "feasible"}
    assert run.explanations["deterministic"] is True
    stored = sorted(sorted(t.members.values_list("person_id", flat=True)) for t in run.teams.all())
    assert sum(len(t) for t in stored) == 20 and len(stored) == 2
    again = services.solve_snapshot(run)
    people = run.person_ids()
    replay = sorted(sorted(people[sid] for sid in t.members) for t in again.teams)
    assert replay == stored
    assert again.score.objective == run.objective
    # Explanations are stored as codes, and every person has some.
    assert set(run.explanations["persons"]) == {str(s) for s in people}


def test_edits_are_rechecked_and_a_single_woman_is_reported(initiative, project, team_pool, coordinator):
    run = services.start_run(activity=project, by=coordinator, params=fast(project, balance=False))
    run.refresh_from_db()
    check = services.check(run)
    assert check.score.strict_violations == 0
    t1, t2 = check.teams
    women = {p.pk for p in team_pool if p.display_name in {f"Nieuw{i}" for i in range(5)}
             | {f"Lokaal{i}" for i in range(5)}}
    w1 = [m.person_id for m in check.members[t1.pk] if m.person_id in women]
    m2 = [m.person_id for m in check.members[t2.pk] if m.person_id not in women]
    # Swap women out of team 1 for men of team 2 until one woman is left there.
    for a, b in zip(w1[:-1], m2, strict=False):
        services.swap(run=run, person_a=a, person_b=b)
    after = services.check(run)
    rules = {(v.rule, v.team) for v in services.new_violations(check.score, after.score)}
    assert (Rule.GENDER, 0) in rules
    from verbinding.matching import explain

    names = {after.sid_of[m.person_id]: m.person.display_name
             for ms in after.members.values() for m in ms}
    texts = [explain.warning(run, v, {0: 1, 1: 2}, names, after) for v in after.score.violations]
    assert "Team 1 now has a single woman." in texts


def test_pins_locks_and_bad_ids_never_write(initiative, project, team_pool, coordinator, outsider):
    run = services.start_run(activity=project, by=coordinator, params=fast(project))
    run.refresh_from_db()
    t1, t2 = run.teams.order_by("number")
    a = t1.members.first()
    b = t2.members.first()
    for bad in ("abc", None, -1, 10**20, person_of(outsider, outsider.roles.first().initiative).pk):
        with pytest.raises(DomainError):
            services.move(run=run, person_id=bad, team_number=2)
    with pytest.raises(DomainError):
        services.move(run=run, person_id=a.person_id, team_number="3; DROP TABLE")
    assert services.toggle_pin(run=run, person_id=a.person_id) is True
    with pytest.raises(DomainError) as error:
        services.swap(run=run, person_a=a.person_id, person_b=b.person_id)
    assert error.value.code == "teams_pinned"
    services.toggle_pin(run=run, person_id=a.person_id)
    services.toggle_lock(run=run, team_number=2)
    with pytest.raises(DomainError) as error:
        services.move(run=run, person_id=a.person_id, team_number=2)
    assert error.value.code == "teams_locked"
    assert TeamMember.objects.get(pk=a.pk).team_id == t1.pk
    # A locked team stays together in the next run.
    nxt = services.start_run(activity=project, by=coordinator, params=fast(project), previous=run)
    pins = nxt.snapshot["pins"]
    assert len(pins) == t2.members.count() and {k for _sid, k in pins} == {2}
    nxt.refresh_from_db()
    locked = set(t2.members.values_list("person_id", flat=True))
    assert any(set(t.members.values_list("person_id", flat=True)) == locked for t in nxt.teams.all())


def test_publishing_one_run_withdraws_the_other(initiative, project, team_pool, coordinator):
    first = services.start_run(activity=project, by=coordinator, params=fast(project))
    first.refresh_from_db()
    services.publish(run=first)
    second = services.start_run(activity=project, by=coordinator, params=fast(project, seed=9))
    second.refresh_from_db()
    services.publish(run=second)
    assert not Team.objects.filter(run=first, published=True).exists()
    assert Team.objects.filter(run=second, published=True).count() == 2


def test_a_run_needs_a_project_and_a_pool(initiative, coordinator):
    regular = ActivityFactory(initiative=initiative, kind="regular")
    with pytest.raises(DomainError) as error:
        services.start_run(activity=regular, by=coordinator, params=fast(regular))
    assert error.value.code == "teams_not_a_project"
    empty = ActivityFactory(initiative=initiative, kind="project")
    with pytest.raises(DomainError) as error:
        services.start_run(activity=empty, by=coordinator, params=fast(empty))
    assert error.value.code == "teams_pool_too_small"
    assert not TeamRun.objects.exists()


def test_a_failing_solver_ends_as_a_failed_run(monkeypatch, initiative, project, team_pool, coordinator):
    def boom(*_args, **_kwargs):
        raise RuntimeError("solver exploded")

    monkeypatch.setattr(services, "form_teams", boom)
    run = services.start_run(activity=project, by=coordinator, params=fast(project))
    run.refresh_from_db()
    assert run.status == TeamRun.Status.FAILED and run.error == "RuntimeError"
    assert not run.teams.exists()


def test_pair_rules_reach_the_solver(initiative, project, team_pool, coordinator):
    a, b = team_pool[0], team_pool[1]
    services.add_pair_rule(activity=project, by=coordinator, person_a=b, person_b=a, kind="apart")
    with pytest.raises(DomainError):
        services.add_pair_rule(activity=project, by=coordinator, person_a=a, person_b=b, kind="together")
    outsider_person = person_of(make_user(initiative, "nope", "member"), initiative)
    with pytest.raises(DomainError):  # not enrolled in the project
        services.add_pair_rule(activity=project, by=coordinator, person_a=a, person_b=outsider_person,
                               kind="apart")
    assert PairRule.objects.count() == 1
    run = services.start_run(activity=project, by=coordinator, params=fast(project))
    assert len(run.snapshot["forbidden"]) == 1
    run.refresh_from_db()
    team_of = dict(TeamMember.objects.filter(team__run=run).values_list("person_id", "team_id"))
    assert team_of[a.pk] != team_of[b.pk]
