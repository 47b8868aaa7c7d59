"""Team formation screens. Coordinators (under /manage/teams/): projects and their pools,
parameters with their evidence, a run in the background worker with a progress fragment,
teams as cards with counts only, explanations, pin / move / swap with the rules re-checked,
lock and publish. Members (/me/team/): their published team, weekly time and teammates'
display names. Logic lives in services.py and selectors.py."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from verbinding.accounts.access import role_required
from verbinding.accounts.models import Role
from verbinding.accounts.services import audit
from verbinding.core.errors import DomainError
from verbinding.core.models import AuditEntry
from verbinding.matching import explain, selectors, services
from verbinding.matching.forms import (
    MoveForm,
    PairRuleForm,
    ParamsForm,
    PersonForm,
    RelaxationForm,
    SwapForm,
    TeamForm,
)
from verbinding.matching.models import TeamRun
from verbinding.matching.pool import params_from_json
from verbinding.matching.solver.model import Gender, Group
from verbinding.people.models import Person

R = Role.Name
COORDINATOR = R.COORDINATOR
MEMBERS = (R.MEMBER, R.VOLUNTEER, R.COORDINATOR, R.ORGANISER, R.HOST)


def _url(request, name: str, **kwargs) -> str:
    return reverse(f"matching:{name}", kwargs={"initiative_slug": request.initiative.slug, **kwargs})


def _error(request, error: DomainError) -> None:
    messages.error(request, error.message)


# --- Projects and their pool ----------------------------------------------------------------


@require_GET
@role_required(COORDINATOR)
def project_list(request):
    projects = list(selectors.list_projects(initiative=request.initiative))
    for p in projects:
        p.latest_run = selectors.latest_run(p)
    return render(request, "matching/manage_projects.html", {"projects": projects})


def _params_form(activity, data=None):
    latest = selectors.latest_run(activity)
    base = params_from_json(latest.params) if latest else services.default_params(activity)
    return ParamsForm(data, initial=ParamsForm.initial_from(base)), latest


@require_GET
@role_required(COORDINATOR)
def project_detail(request, pk: int):
    activity = selectors.get_project(initiative=request.initiative, pk=pk)
    form, latest = _params_form(activity)
    return _project_page(request, activity, form, latest)


def _project_page(request, activity, form, latest, pair_form=None, status=200):
    people = list(selectors.pool_people(activity))
    audit(initiative=request.initiative, action=AuditEntry.Action.PROFILE_VIEW, by=request.user,
          view="matching:manage-project", detail={"activity": activity.pk, "pool": len(people)})
    return render(request, "matching/manage_project.html", {
        "activity": activity, "form": form, "latest": latest,
        "overview": selectors.pool_overview(activity),
        "pair_form": pair_form or PairRuleForm(people=people),
        "pair_rules": activity.pair_rules.select_related("person_a", "person_b"),
        "runs": activity.team_runs.all()[:10],
        "women_project": activity.audience == activity.Audience.WOMEN,
    }, status=status)


@require_POST
@role_required(COORDINATOR)
def run_start(request, pk: int):
    activity = selectors.get_project(initiative=request.initiative, pk=pk)
    form, latest = _params_form(activity, request.POST)
    if not form.is_valid():
        return _project_page(request, activity, form, latest, status=400)
    base = services.default_params(activity)
    try:
        run = services.start_run(activity=activity, by=request.user, params=form.to_params(base),
                                 previous=latest)
    except DomainError as error:
        _error(request, error)
        return redirect(_url(request, "manage-project", pk=activity.pk))
    return redirect(_url(request, "manage-run", pk=run.pk))


@require_POST
@role_required(COORDINATOR)
def pair_add(request, pk: int):
    activity = selectors.get_project(initiative=request.initiative, pk=pk)
    people = list(selectors.pool_people(activity))
    form = PairRuleForm(request.POST, people=people)
    if form.is_valid():
        by_pk = {p.pk: p for p in people}
        try:
            services.add_pair_rule(activity=activity, by=request.user,
                                   person_a=by_pk[form.cleaned_data["person_a"]],
                                   person_b=by_pk[form.cleaned_data["person_b"]],
                                   kind=form.cleaned_data["kind"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Rule saved. It counts from the next run."))
            return redirect(_url(request, "manage-project", pk=activity.pk))
    latest_form, latest = _params_form(activity)
    return _project_page(request, activity, latest_form, latest, pair_form=form, status=400)


@require_POST
@role_required(COORDINATOR)
def pair_delete(request, pk: int):
    rule = selectors.get_pair_rule(initiative=request.initiative, pk=pk)
    activity_pk = rule.activity_id
    services.delete_pair_rule(rule=rule)
    messages.success(request, _("Rule removed."))
    return redirect(_url(request, "manage-project", pk=activity_pk))


# --- A run -------------------------------------------------------------------------------------


def _progress(run: TeamRun) -> int:
    if run.finished:
        return 100
    if run.status == TeamRun.Status.RUNNING and run.started_at:
        limit = max(1.0, float(run.params.get("time_limit", services.DEFAULT_TIME_LIMIT)))
        elapsed = (timezone.now() - run.started_at).total_seconds()
        return min(95, 5 + int(90 * elapsed / limit))
    return run.progress


@require_GET
@role_required(COORDINATOR)
def run_progress(request, pk: int):
    run = selectors.get_run(initiative=request.initiative, pk=pk)
    if run.finished and request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = _url(request, "manage-run", pk=run.pk)
        return response
    return render(request, "matching/_progress.html", {"run": run, "percent": _progress(run)})


def _cards(run: TeamRun, check) -> tuple[list[dict], dict[int, str]]:
    inst = check.inst
    voc = run.snapshot["vocab"]
    names = {check.sid_of[m.person_id]: m.person.display_name
             for ms in check.members.values() for m in ms if m.person_id in check.sid_of}
    by_team: dict[int, list] = {}
    for v in check.score.violations:
        by_team.setdefault(v.team, []).append(v)
    numbers = {t: team.number for t, team in enumerate(check.teams)}
    cards = []
    for t, team in enumerate(check.teams):
        members = check.members[team.pk]
        idx = [inst.index[check.sid_of[m.person_id]] for m in members if m.person_id in check.sid_of]
        people = [inst.people[i] for i in idx]
        group = Counter(p.group for p in people)
        gender = Counter(p.gender for p in people)
        langs = Counter(voc["languages"][lang] for i in idx for lang in inst.speaks[i]
                        if 0 <= lang < len(voc["languages"]))
        member_set = set(idx)
        knows_pairs = sum(len(inst.acquaintances[i] & member_set) for i in idx) // 2
        knows_someone = sum(bool(inst.acquaintances[i] & member_set) for i in idx)
        solver_team = check.solver_teams.get(team.pk)
        cards.append({
            "team": team, "members": members, "size": len(members),
            "newcomers": group[Group.NEWCOMER], "locals": group[Group.LOCAL],
            "group_unknown": group[Group.UNKNOWN],
            "women": gender[Gender.WOMAN], "men": gender[Gender.MAN],
            "gender_unknown": gender[Gender.UNKNOWN],
            "languages": [(explain.label("languages", code), n) for code, n in langs.most_common()],
            "slot": explain.label("slots", team.slot), "theme": explain.label("interests", team.theme),
            "knows_pairs": knows_pairs, "knows_someone": knows_someone,
            "lines": explain.team_lines(run, solver_team.explanations if solver_team else ()),
            "warnings": [explain.warning(run, v, numbers, names, check) for v in by_team.get(t, [])],
        })
    return cards, names


@require_GET
@role_required(COORDINATOR)
def run_detail(request, pk: int):
    run = selectors.get_run(initiative=request.initiative, pk=pk)
    context = {"run": run, "activity": run.activity, "percent": _progress(run)}
    if run.status == TeamRun.Status.DONE:
        check = services.check(run)
        cards, names = _cards(run, check)
        pool_notes = [explain.warning(run, v, {t: tm.number for t, tm in enumerate(check.teams)},
                                      names, check)
                      for v in check.score.violations if v.team is None]
        all_people = [{"pk": m.person_id, "name": m.person.display_name, "team": card["team"].number}
                      for card in cards for m in card["members"]]
        context.update({
            "cards": cards,
            "notes": explain.note_lines(run, run.explanations.get("notes", [])),
            "relaxations": [(k, explain.rule_name(r["rule"]),
                             explain.relaxation_text(r["rule"], [r["value"]], names, r["parameter"]))
                            for k, r in services.relaxation_choices(run)],
            "left_out": [explain.relaxation_text(r["rule"], [r["value"], *r["people"]], names)
                         for r in run.relaxations or [] if r.get("parameter") == "exclude"],
            "pool_warnings": pool_notes, "all_people": sorted(all_people, key=lambda x: (x["team"], x["name"])),
            "strict": sum(v.rule not in (6, 7) for v in check.score.violations),
            "elastic": sum(v.rule in (6, 7) for v in check.score.violations),
            "relaxed": [explain.rule_name(r) for r in run.relaxed_rules],
            "status_name": explain.status_name(run.solver_status),
            "method_name": explain.method_name(run.method),
            "enrolled_since": _enrolled_since(run),
        })
        audit(initiative=request.initiative, action=AuditEntry.Action.PROFILE_VIEW, by=request.user,
              view="matching:manage-run", detail={"run": run.pk, "people": len(all_people)})
    return render(request, "matching/manage_run.html", context)


def _enrolled_since(run: TeamRun) -> int:
    from verbinding.matching.pool import enrolled_people

    known = set(run.person_ids().values())
    return sum(1 for pk in enrolled_people(run.activity).values_list("pk", flat=True) if pk not in known)


@require_GET
@role_required(COORDINATOR)
def run_why(request, pk: int):
    """Why is this person in this team? From the solver's evaluator on the current teams."""
    run = selectors.get_run(initiative=request.initiative, pk=pk)
    form = PersonForm(request.GET)
    if run.status != TeamRun.Status.DONE or not form.is_valid():
        raise Http404
    check = services.check(run)
    member = next((m for ms in check.members.values() for m in ms
                   if m.person_id == form.cleaned_data["person"]), None)
    if member is None or member.person_id not in check.sid_of:
        raise Http404
    names = {check.sid_of[m.person_id]: m.person.display_name
             for ms in check.members.values() for m in ms if m.person_id in check.sid_of}
    sid = check.sid_of[member.person_id]
    team = next(t for t in check.teams if t.pk == member.team_id)
    stored = run.explanations.get("persons", {}).get(str(sid), [])
    audit(initiative=request.initiative, action=AuditEntry.Action.PROFILE_VIEW, by=request.user,
          subject_person_id=member.person_id, view="matching:manage-run-why", detail={"run": run.pk})
    return render(request, "matching/manage_why.html", {
        "run": run, "activity": run.activity, "member": member, "team": team,
        "lines": explain.person_lines(run, check.person_explanations.get(sid, ()), names),
        "solver_lines": explain.person_lines(run, stored, names),
        "moved": _moved(run, sid, team.number),
    })


def _moved(run: TeamRun, sid: int, number: int) -> bool:
    """Did a coordinator move this person after the solver placed them?"""
    placed = run.explanations.get("placed", {}).get(str(sid))
    return placed is not None and placed != number


def _edit(request, pk: int, form_class, action):
    run = selectors.get_run(initiative=request.initiative, pk=pk)
    form = form_class(request.POST)
    back = redirect(_url(request, "manage-run", pk=run.pk))
    if not form.is_valid():
        messages.error(request, _("Choose a person and a team from this page."))
        return back
    if run.status != TeamRun.Status.DONE:
        messages.error(request, DomainError("teams_run_not_done").message)
        return back
    before = services.check(run).score
    try:
        note = action(run, form.cleaned_data)
    except DomainError as error:
        _error(request, error)
        return back
    after = services.check(run)
    fresh = services.new_violations(before, after.score)
    names = {after.sid_of[m.person_id]: m.person.display_name
             for ms in after.members.values() for m in ms if m.person_id in after.sid_of}
    numbers = {t: tm.number for t, tm in enumerate(after.teams)}
    for v in fresh:
        messages.warning(request, explain.warning(run, v, numbers, names, after))
    if note:
        messages.success(request, note)
    return back


@require_POST
@role_required(COORDINATOR)
def run_move(request, pk: int):
    def act(run, d):
        services.move(run=run, person_id=d["person"], team_number=d["team"])
        return _("Moved. The rules were checked again.")
    return _edit(request, pk, MoveForm, act)


@require_POST
@role_required(COORDINATOR)
def run_swap(request, pk: int):
    def act(run, d):
        services.swap(run=run, person_a=d["person_a"], person_b=d["person_b"])
        return _("Swapped. The rules were checked again.")
    return _edit(request, pk, SwapForm, act)


@require_POST
@role_required(COORDINATOR)
def run_pin(request, pk: int):
    def act(run, d):
        pinned = services.toggle_pin(run=run, person_id=d["person"])
        return _("Pinned: stays in this team in the next run.") if pinned else _("Unpinned.")
    return _edit(request, pk, PersonForm, act)


@require_POST
@role_required(COORDINATOR)
def run_lock(request, pk: int):
    def act(run, d):
        locked = services.toggle_lock(run=run, team_number=d["team"])
        return _("Team locked: nobody moves in or out, and the next run keeps it.") if locked \
            else _("Team unlocked.")
    return _edit(request, pk, TeamForm, act)


@require_POST
@role_required(COORDINATOR)
def run_publish(request, pk: int):
    run = selectors.get_run(initiative=request.initiative, pk=pk)
    try:
        if request.POST.get("undo") == "1":
            services.unpublish(run=run)
            messages.success(request, _("Teams withdrawn: members no longer see them."))
        else:
            services.publish(run=run)
            messages.success(request, _("Teams published: members now see their team."))
    except DomainError as error:
        _error(request, error)
    return redirect(_url(request, "manage-run", pk=run.pk))


@require_POST
@role_required(COORDINATOR)
def run_relax(request, pk: int):
    """Run again with one of the changes the diagnosis suggested (the coordinator's choice)."""
    run = selectors.get_run(initiative=request.initiative, pk=pk)
    form = RelaxationForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("teams_relaxation_unknown")
        new = services.rerun_with_relaxation(run=run, option=form.cleaned_data["option"],
                                             by=request.user)
    except DomainError as error:
        _error(request, error)
        return redirect(_url(request, "manage-run", pk=run.pk))
    return redirect(_url(request, "manage-run", pk=new.pk))


# --- Members ---------------------------------------------------------------------------------


@require_GET
@role_required(*MEMBERS)
def my_team(request):
    person = Person.objects.filter(initiative=request.initiative, user=request.user,
                                   anonymised_at__isnull=True).first()
    if person is None:
        raise PermissionDenied
    teams = [
        {"team": team, "mates": mates, "slot": explain.label("slots", team.slot),
         "theme": explain.label("interests", team.theme), "activity": team.run.activity}
        for team, mates in selectors.my_team(person=person)
    ]
    return render(request, "matching/my_team.html", {"teams": teams, "me": person})
