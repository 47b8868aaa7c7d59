"""The words for the solver's codes: rules, per-team and per-person explanations, warnings.

What belongs here: translating `solver.model.Code`, `Rule` and `Violation` records (ids only)
into sentences for the coordinator, with display names looked up by the caller. The solver
never produces prose; every sentence a coordinator reads about a run is made here.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from verbinding.matching.solver.model import Code, Gender, Rule
from verbinding.people.vocab import Interest, Language, Talent, slot_label

RULE_NAMES = {
    Rule.SIZE: gettext_lazy("Team size"),
    Rule.BALANCE: gettext_lazy("Newcomers and locals in balance"),
    Rule.GENDER: gettext_lazy("No single woman or man in a mixed team"),
    Rule.WOMEN_ONLY: gettext_lazy("Women-only teams"),
    Rule.SLOT: gettext_lazy("One weekly time for the whole team"),
    Rule.BACKGROUND: gettext_lazy("No single person of one background"),
    Rule.LANGUAGE: gettext_lazy("A language path into Dutch"),
    Rule.CONSTRAINTS: gettext_lazy("Pins and pair rules"),
}


def rule_name(rule) -> str:
    try:
        return str(RULE_NAMES[Rule(int(rule))])
    except (ValueError, KeyError):
        return "?"


def label(kind: str, code: str) -> str:
    """A vocabulary code as its translated label ('' stays '')."""
    if not code:
        return ""
    try:
        if kind == "slots":
            return slot_label(code)
        return str({"interests": Interest, "talents": Talent, "languages": Language}[kind](code).label)
    except (ValueError, KeyError):
        return code


def _vocab(run, kind: str, index: int) -> str:
    codes = run.snapshot.get("vocab", {}).get(kind, [])
    return label(kind, codes[index]) if 0 <= index < len(codes) else "?"


def isolate(name: str) -> str:
    """Wrap a name in Unicode first-strong isolates: a Latin name ending in "." inside an
    Arabic sentence (or an Arabic name in a Dutch one) keeps its own direction."""
    return f"\u2068{name}\u2069"


def _names(ids, names: dict[int, str]) -> str:
    return ", ".join(isolate(names.get(i, "?")) for i in ids)


def person_lines(run, explanations, names: dict[int, str]) -> list[str]:
    """Why a person is in their team, one sentence per explanation.

    `explanations` are solver Explanation records (fresh from solver.evaluate) or the stored
    dicts of the run; `names` maps solver ids to display names.
    """
    out = []
    for e in explanations:
        code, ids, rule = _parts(e)
        if code == Code.PINNED:
            out.append(_("A coordinator pinned this person to this team."))
        elif code == Code.KEPT_TOGETHER:
            out.append(_("Kept together with %(names)s (a coordinator's rule).")
                       % {"names": _names(ids, names)})
        elif code == Code.NEEDS_WOMEN_ONLY:
            out.append(_("Takes part in a women-only setting."))
        elif code == Code.AVAILABLE_AT_SLOT:
            out.append(_("Is free at the team's weekly time: %(slot)s.")
                       % {"slot": _vocab(run, "slots", ids[0])})
        elif code == Code.SHARES_THEME:
            out.append(_("Shares the team's theme: %(theme)s.")
                       % {"theme": _vocab(run, "interests", ids[0])})
        elif code == Code.KNOWS:
            out.append(_("Already knows %(names)s from earlier sessions.")
                       % {"names": _names(ids, names)})
        elif code == Code.SAME_BACKGROUND:
            out.append(_("Shares a background with %(names)s.") % {"names": _names(ids, names)})
        elif code == Code.LANGUAGE_BRIDGE_FROM:
            out.append(_("%(names)s speak Dutch and a language in common with this person.")
                       % {"names": _names(ids, names)})
        elif code == Code.BRIDGES_FOR:
            out.append(_("Speaks Dutch and a shared language with %(names)s, and can help them along.")
                       % {"names": _names(ids, names)})
        elif code == Code.VIOLATES:
            out.append(_("Rule not met for this person: %(rule)s.") % {"rule": rule_name(rule)})
        elif code == Code.WAIVED:
            out.append(_("Nobody in the whole pool can meet “%(rule)s” for this person: "
                         "arrange an interpreter or a buddy.") % {"rule": rule_name(rule)})
    return out


def team_lines(run, explanations) -> list[str]:
    out = []
    for e in explanations:
        code, ids, _rule = _parts(e)
        if code == Code.TEAM_THEME_COUNT and len(ids) == 2:
            out.append(ngettext("%(count)d person shares the theme %(theme)s.",
                                "%(count)d people share the theme %(theme)s.", ids[1])
                       % {"count": ids[1], "theme": _vocab(run, "interests", ids[0])})
        elif code == Code.TEAM_WOMEN_ONLY:
            out.append(_("A women-only team."))
    return out


def note_lines(run, notes) -> list[str]:
    """The run's general notes. Suggested changes of the rules (Code.RELAXATION) are not
    among them: the run page lists those from run.relaxations, each with its own button."""
    out = []
    for e in notes:
        code, ids, _rule = _parts(e)
        if code == Code.BALANCE_WIDENED and ids:
            out.append(_("The pool has more of one group than the other, so a team may have up to "
                         "%(n)d more newcomers than locals or the other way round.") % {"n": ids[0]})
    return out


def relaxation_text(rule, ids, names, parameter: str = "") -> str:
    value = ids[0]
    rule = Rule(int(rule))
    if parameter == "min_size":
        return _("allow teams of as few as %(n)d people.") % {"n": value}
    if parameter == "max_size":
        return _("allow teams of up to %(n)d people.") % {"n": value}
    if rule == Rule.BALANCE:
        return (_("allow a difference of %(n)d between newcomers and locals.") % {"n": value}
                if value else _("switch off the balance of newcomers and locals."))
    if rule == Rule.WOMEN_ONLY:
        return (_("allow women-only teams of %(n)d people.") % {"n": value}
                if value else _("switch off women-only teams."))
    if rule == Rule.GENDER:
        return _("switch off the rule against a single woman or man.")
    if rule == Rule.SLOT:
        if len(ids) > 1:
            return _("leave out %(names)s, who cannot make any workable time.") % {
                "names": _names(ids[1:], names)}
        return _("switch off the common weekly time.")
    if rule == Rule.SIZE:
        return _("change the team size to include %(n)d people.") % {"n": value}
    return _("switch off pins and pair rules.")


def warning(run, v, team_numbers: dict[int, int], names: dict[int, str], check) -> str:
    """One sentence for a violation of the current teams (after an edit)."""
    number = team_numbers.get(v.team) if v.team is not None else None
    name = isolate(names.get(v.person, "?")) if v.person is not None else ""
    rule = v.rule
    if rule == Rule.SIZE:
        low, high = check.inst.params.size_bounds(check.teams[v.team].women_only)
        size = len(check.members[check.teams[v.team].pk])
        return _("Team %(team)d now has %(size)d people; the size is %(low)d–%(high)d.") % {
            "team": number, "size": size, "low": low, "high": high}
    if rule == Rule.GENDER and v.team is not None:
        members = check.members[check.teams[v.team].pk]
        women = sum(check.inst.people[check.inst.index[check.sid_of[m.person_id]]].gender
                    == Gender.WOMAN for m in members if m.person_id in check.sid_of)
        if women == 1:
            return _("Team %(team)d now has a single woman.") % {"team": number}
        return _("Team %(team)d now has a single man.") % {"team": number}
    if rule == Rule.BALANCE:
        return _("Team %(team)d is now out of balance between newcomers and locals.") % {"team": number}
    if rule == Rule.WOMEN_ONLY:
        return _("%(name)s and team %(team)d: the women-only rule is broken.") % {
            "name": name, "team": number}
    if rule == Rule.SLOT:
        return _("%(name)s cannot make team %(team)d's weekly time.") % {"name": name, "team": number}
    if rule == Rule.LANGUAGE:
        return _("%(name)s now has nobody in team %(team)d who speaks Dutch and a shared language.") % {
            "name": name, "team": number}
    if rule == Rule.BACKGROUND:
        return _("%(name)s is now the only one of their background in team %(team)d.") % {
            "name": name, "team": number}
    if name:
        return _("A pin or pair rule for %(name)s is broken.") % {"name": name}
    if number:
        return _("A pin or pair rule in team %(team)d is broken.") % {"team": number}
    return _("A pin or pair rule is broken.")


def _parts(e):
    if isinstance(e, dict):
        return Code(e["code"]), tuple(e.get("ids") or ()), e.get("rule")
    return e.code, tuple(e.ids), e.rule


STATUS_NAMES = {
    "optimal": gettext_lazy("the best possible teams (proven)"),
    "feasible": gettext_lazy("all firm rules hold"),
    "relaxed": gettext_lazy("some firm rules could not hold"),
    "infeasible": gettext_lazy("the firm rules cannot all hold in this pool"),
}
METHOD_NAMES = {
    "greedy": gettext_lazy("quick first answer"),
    "random": gettext_lazy("random"),
    "cpsat": gettext_lazy("CP-SAT solver"),
    "cpsat_blocks": gettext_lazy("CP-SAT solver, in blocks"),
    "cpsat_all_elastic": gettext_lazy("CP-SAT solver, breaking as few rules as possible"),
}


def status_name(code: str) -> str:
    return str(STATUS_NAMES.get(code, code))


def method_name(code: str) -> str:
    return str(METHOD_NAMES.get(code, code))
