"""The coordinator's dashboard figures, read from one stored snapshot payload.

What belongs here: turning a snapshot payload (insights/README.md, "Snapshot payload") into
the sections of the dashboard — each figure a chart from `charts`, a one-line plain
explanation, its baseline where one exists, and the data table — with the *inside*
disclosure rules of `metrics.disclosure` applied: no group split rests on fewer than five
persons, and a suppressed value says "fewer than 5", never the number. Nothing here reads
the database; `dashboard(payload, ...)` is a pure function of the payload and the active
language, so it is tested with hand-made payloads.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from verbinding.core.i18n import localized
from verbinding.insights import charts
from verbinding.insights.charts import Bar, Baseline, Chart, Curve, Series
from verbinding.insights.metrics.disclosure import (
    RULES,
    Audience,
    network_metrics_publishable,
    protect_count,
    protect_share,
    protect_table,
)

AUDIENCE = Audience.INSIDE
MIN_PERSONS = RULES[AUDIENCE].min_persons


def too_few() -> str:
    """What a suppressed cell says instead of its number."""
    return _("fewer than %(n)s") % {"n": MIN_PERSONS}


def hidden() -> str:
    """What a cell hidden only to protect a small one (secondary suppression) says."""
    return _("hidden")


def _cell(table, i: int, j: int) -> tuple[float | None, str | None]:
    """Value and text of cell (i, j) of a ProtectedTable: the count, or why it is not shown."""
    v = table.cells[i, j]
    if not math.isnan(v):
        return float(v), None
    return None, too_few() if table.primary[i, j] else hidden()


def group_labels() -> list[str]:
    return [_("Newcomers"), _("Locals")]


def _no_label() -> str:
    return _("No label")


@dataclass
class Figure:
    key: str
    title: str
    explanation: str
    chart: Chart
    baseline: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass
class Fact:
    label: str
    value: str


@dataclass
class Section:
    key: str
    title: str
    intro: str
    facts: list[Fact] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Dashboard:
    kind: str
    start: dt.date
    end: dt.date
    has_metrics: bool
    sections: list[Section]


# --- small helpers ---------------------------------------------------------------------


def _num(x) -> float | None:
    if x is None:
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _int(x) -> int:
    f = _num(x)
    return int(f) if f is not None else 0


def _ok(n: int) -> bool:
    """A group split may rest on n persons (zero is fine: nobody is described)."""
    return protect_count(int(n), AUDIENCE) is not None


def _count_text(n: int) -> str:
    return charts.number(n) if _ok(n) else too_few()


def _share_bar(label: str, numerator: int, denominator: int, tone: int = 0) -> Bar:
    share = protect_share(int(numerator), int(denominator), AUDIENCE)
    if share is None:
        text = too_few() if denominator > 0 else "–"
        return Bar(label, None, text=text, tone=tone)
    return Bar(label, share, text=f"{charts.percent(share)} ({numerator}/{denominator})", tone=tone)


def month_labels(payload: Mapping, months: Sequence[int]) -> list[str]:
    cal = payload.get("calendar") or {}
    out = []
    for m in months:
        text = cal.get(str(int(m)))
        try:
            day = dt.date.fromisoformat(f"{text}-01") if text else None
        except ValueError:
            day = None
        if day is None:
            y, mo = divmod(int(m), 12)
            day = dt.date(y, mo + 1, 1)
        out.append(date_format(day, "M Y"))
    return out


def activity_title(payload: Mapping, key: str, languages: Sequence[str]) -> str:
    info = (payload.get("activities") or {}).get(str(key)) or {}
    return localized(info.get("title") or {}, fallbacks=languages) or _("Activity %(n)s") % {
        "n": key}


def format_label(payload: Mapping, key: str) -> str:
    from verbinding.activities.models import Format

    value = (payload.get("formats") or {}).get(str(key))
    if value in Format.values:
        return str(Format(value).label)
    return str(Format.OTHER.label)


# --- sections ----------------------------------------------------------------------------


def _reach(payload: Mapping, m: Mapping) -> Section:
    counts = payload.get("counts") or {}
    labels = [*group_labels(), _no_label()]
    section = Section("reach", _("Who is reached"), _(
        "Registered people who checked in, by the group they said they belong to, and "
        "walk-ins counted with the guest buttons. Walk-ins are visits, not people."))
    by_group = [_int(x) for x in (counts.get("persons_by_group") or [0, 0, 0])][:3]
    while len(by_group) < 3:
        by_group.append(0)
    table = protect_table(np.asarray([by_group]), AUDIENCE)
    total = _int(counts.get("persons"))
    guests = [_int(x) for x in (counts.get("guest_visits_by_group") or [0, 0, 0])][:3]
    guest_total = _int(counts.get("guest_visits"))
    section.facts = [
        Fact(_("People who came"), _count_text(total)),
        Fact(_("Walk-in visits (guests)"), charts.number(guest_total)),
    ]
    reach = m.get("reach") or {}
    unknown = _num(_safe_last_mean(reach.get("unknown_share_all")))
    if unknown is not None:
        section.facts.append(Fact(_("Share without a group label"), charts.percent(unknown)))
    bars = []
    for g, label in enumerate(labels):
        val, text = _cell(table, 0, g)
        bars.append(Bar(label, val, text=text, tone=g))
    section.figures.append(Figure(
        "reach-groups", _("People by group"),
        _("How many different registered people came in this period, by group."),
        charts.bar_chart(bars, key="reach-groups", caption=_("People by group"),
                         label_header=_("Group"), value_header=_("People")),
    ))
    guest_labels = [*group_labels(), _("Rather not say")]
    guest_bars = [Bar(lbl, guests[g] if _ok(guests[g]) else None,
                      text=None if _ok(guests[g]) else too_few(), tone=g)
                  for g, lbl in enumerate(guest_labels)]
    section.figures.append(Figure(
        "reach-guests", _("Walk-in visits by group button"),
        _("Visits counted at the door without registration. One person who comes three "
          "times counts three times."),
        charts.bar_chart(guest_bars, key="reach-guests",
                         caption=_("Walk-in visits by group button"),
                         label_header=_("Group button"), value_header=_("Visits")),
    ))
    months = [int(x) for x in reach.get("months") or []]
    persons = reach.get("persons") or []
    if months and persons:
        grid = np.asarray([[_int(v) for v in row][:3] for row in persons], dtype=np.int64)
        protected = protect_table(grid, AUDIENCE)
        series = []
        for g, label in enumerate(labels):
            cells = [_cell(protected, i, g) for i in range(grid.shape[0])]
            series.append(Series(label, tuple(v for v, _t in cells),
                                 tuple(t for _v, t in cells)))
        gv = reach.get("guest_visits_total") or []
        series.append(Series(_("Walk-in visits"), tuple(_num(v) for v in gv)))
        section.figures.append(Figure(
            "reach-months", _("People per month"),
            _("Different people per month, by group, next to the walk-in visits."),
            charts.line_chart(month_labels(payload, months), series, key="reach-months",
                              caption=_("People per month"), label_header=_("Month")),
        ))
    return section


def _safe_last_mean(values) -> float | None:
    vals = [v for v in (_num(x) for x in values or []) if v is not None]
    return sum(vals) / len(vals) if vals else None


def _mix_publishable(persons: Sequence[int]) -> bool:
    groups = [_int(x) for x in list(persons)[:2]]
    return sum(groups) >= MIN_PERSONS and all(_ok(n) for n in groups)


def _mix_chart(key: str, caption: str, label_header: str, rows: list[tuple[str, Mapping, list]],
               overall: Mapping) -> Chart:
    categories, pair, blau, mixed = [], [], [], []
    for label, summary, persons in rows:
        categories.append(label)
        if _mix_publishable(persons):
            pair.append((_num(summary.get("mean_pair_share")), None))
            blau.append((_num(summary.get("mean_blau")), None))
            mixed.append((_num(summary.get("share_attendances_in_mixed")), None))
        else:
            for col in (pair, blau, mixed):
                col.append((None, too_few()))
    # Blau is an index (0 to 0.5 for two groups), printed as a number, not a percentage.
    blau_texts = tuple(t if t is not None else charts.number(v, 2) for v, t in blau)
    series = [
        Series(_("Cross-group pairs"), tuple(v for v, _t in pair), tuple(t for _v, t in pair)),
        Series(_("Mixed attendance"), tuple(v for v, _t in mixed), tuple(t for _v, t in mixed)),
        Series(_("Blau heterogeneity"), tuple(v for v, _t in blau), blau_texts),
    ]
    base = _num(overall.get("share_attendances_in_mixed"))
    baseline = Baseline(base, _("Mixed attendance, all activities")) if base is not None else None
    return charts.grouped_bar_chart(categories, series, key=key, caption=caption,
                                    label_header=label_header, fmt=charts.percent,
                                    domain=(0, 1), baseline=baseline)


def _mix(payload: Mapping, m: Mapping, languages: Sequence[str]) -> Section:
    counts = payload.get("counts") or {}
    mix = m.get("mix") or {}
    overall = mix.get("overall") or {}
    section = Section("mix", _("How often contact is mixed"), _(
        "Cross-group pairs: the chance that two people at a session belong to different "
        "groups. Mixed attendance: the share of all visits that happened in a session where "
        "both groups had at least two people and a fifth of those present. Blau "
        "heterogeneity: 0 is one group only, 0.5 two equal groups."))
    labelled = sum(_int(x) for x in (counts.get("persons_by_group") or [0, 0])[:2])
    if labelled >= MIN_PERSONS and all(_ok(_int(x)) for x in (counts.get(
            "persons_by_group") or [0, 0])[:2]):
        section.facts = [
            Fact(_("Sessions in this period"), charts.number(_int(overall.get("n_sessions")))),
            Fact(_("Mixed sessions"), charts.percent(_num(overall.get("share_sessions_mixed")))),
            Fact(_("Visits in a mixed session"),
                 charts.percent(_num(overall.get("share_attendances_in_mixed")))),
        ]
    else:
        section.notes.append(_("Too few people with a group label in this period to show "
                               "how mixed the sessions were."))
    by_act = counts.get("persons_by_activity") or {}
    rows = [(activity_title(payload, k, languages), v, by_act.get(k) or [0, 0, 0])
            for k, v in (mix.get("by_activity") or {}).items()]
    rows.sort(key=lambda r: (-_int(r[1].get("n_attendances")), r[0]))
    section.figures.append(Figure(
        "mix-activity", _("Mix per activity"),
        _("Which activities bring newcomers and locals together, busiest first."),
        _mix_chart("mix-activity", _("Mix per activity"), _("Activity"), rows, overall),
        baseline=_("The dashed line is the share of visits in mixed sessions over all "
                   "activities."),
    ))
    by_fmt = counts.get("persons_by_format") or {}
    rows = [(format_label(payload, k), v, by_fmt.get(k) or [0, 0, 0])
            for k, v in (mix.get("by_format") or {}).items()]
    rows.sort(key=lambda r: (-_int(r[1].get("n_attendances")), r[0]))
    section.figures.append(Figure(
        "mix-format", _("Mix per format"),
        _("The same per kind of activity: a language café, a shared dinner, a project."),
        _mix_chart("mix-format", _("Mix per format"), _("Format"), rows, overall),
    ))
    return section


def _ties(m: Mapping) -> Section:
    ties = m.get("ties") or {}
    newman = (ties.get("bridging") or {}).get("newman") or {}
    n_by_group = [_int(x) for x in newman.get("n_by_group") or [0, 0]]
    section = Section("ties", _("Bridging or bonding"), _(
        "Who meets whom, from who was at the same small sessions (25 people or fewer; a "
        "big party makes no ties). The E-I index runs from −1 (all contact within the own "
        "group) to +1 (all contact with the other group). Only registered people with a "
        "group label count."))
    if not network_metrics_publishable(tuple(n_by_group), AUDIENCE):
        section.notes.append(_(
            "Not shown: this needs at least 10 people with a group label in the network "
            "and at least 5 in each group."))
        return section
    ei, exp = _num(newman.get("ei")), _num(newman.get("ei_expected"))
    pct = _num(newman.get("ei_percentile"))
    section.facts = [
        Fact(_("E-I index"), charts.signed(ei)),
        Fact(_("E-I at random mixing"), charts.signed(exp)),
        Fact(_("Difference"), charts.signed(_num(newman.get("ei_delta")))),
    ]
    if pct is not None:
        section.facts.append(Fact(_("More mixed than shuffled groups"),
                                  charts.percent(pct / 100)))
    labels = group_labels()
    bars = [Bar(_("Everyone"), ei, text=charts.signed(ei), marker=exp,
                marker_text=charts.signed(exp))]
    for g, label in enumerate(labels):
        v = _num((newman.get("ei_by_group") or [None, None])[g])
        e = _num((newman.get("ei_expected_by_group") or [None, None])[g])
        bars.append(Bar(label, v, text=charts.signed(v), marker=e, marker_text=charts.signed(e),
                        tone=g))
    section.figures.append(Figure(
        "ties-ei", _("E-I index"),
        _("Above the black tick: more contact across groups than if people mixed at random."),
        charts.bar_chart(bars, key="ties-ei", caption=_("E-I index"), label_header=_("Group"),
                         value_header=_("E-I index"), marker_header=_("At random mixing"),
                         fmt=charts.signed, domain=(-1, 1)),
        baseline=_("The black tick is the E-I index the groups' sizes would give if people "
                   "met at random."),
        notes=[_("Shuffling the group labels 1,000 times: the observed E-I is higher than "
                 "%(pct)s of the shuffles.") % {"pct": charts.percent(pct / 100)}]
        if pct is not None else [],
    ))
    ih = newman.get("inbreeding_homophily") or [None, None]
    bars = [Bar(label, _num(ih[g]) if g < len(ih) else None,
                text=charts.signed(_num(ih[g]) if g < len(ih) else None), tone=g)
            for g, label in enumerate(labels)]
    section.figures.append(Figure(
        "ties-homophily", _("Inward-looking groups"),
        _("Inbreeding homophily: above 0, a group's contact stays more within the group than "
          "chance; below 0, it reaches out more."),
        charts.bar_chart(bars, key="ties-homophily", caption=_("Inward-looking groups"),
                         label_header=_("Group"), value_header=_("Inbreeding homophily"),
                         fmt=charts.signed, domain=(-1, 1),
                         baseline=Baseline(0.0, _("Chance"))),
        baseline=_("0 is what random mixing gives."),
        notes=[_("Assortativity (all groups): %(r)s; below 0 means bridging.") % {
            "r": charts.signed(_num(newman.get("assortativity")))}],
    ))
    return section


def _durable(payload: Mapping, m: Mapping, languages: Sequence[str]) -> Section:
    dur = m.get("durable") or {}
    labels = group_labels()
    section = Section("durable", _("Contact that lasts"), _(
        "A tie is durable when two people were at the same small session in at least 3 "
        "different weeks spread over 4 weeks or more."))
    persons = [_int(x) for x in dur.get("persons_by_group") or [0, 0]]
    eligible = [_int(x) for x in dur.get("eligible_by_group") or [0, 0]]
    with_tie = [_int(x) for x in dur.get("with_cross_tie_by_group") or [0, 0]]
    bars = [_share_bar(lbl, with_tie[g], persons[g], g) for g, lbl in enumerate(labels)]
    elig = [_share_bar(lbl, with_tie[g], eligible[g], g) for g, lbl in enumerate(labels)]
    chart = charts.grouped_bar_chart(
        labels,
        [Series(_("Of everyone who came"), tuple(b.value for b in bars),
                tuple(b.text for b in bars)),
         Series(_("Of those who came in 3 weeks or more"), tuple(b.value for b in elig),
                tuple(b.text for b in elig))],
        key="durable-share", caption=_("People with a lasting tie to the other group"),
        label_header=_("Group"), fmt=charts.percent, domain=(0, 1))
    section.figures.append(Figure(
        "durable-share", _("People with a lasting tie to the other group"),
        _("The share of each group with at least one durable tie across groups: the most "
          "direct sign that contact continues."), chart))
    curves, hidden = [], []
    for g, curve in enumerate(dur.get("time_to_first_cross") or []):
        n = _int(curve.get("n"))
        if n == 0:
            continue
        if not _ok(n):
            hidden.append(labels[g] if g < len(labels) else str(g))
            continue
        curves.append(_curve(labels[g] if g < len(labels) else str(g), curve, payload))
    section.figures.append(Figure(
        "durable-time", _("Weeks until the first lasting tie across groups"),
        _("Of those who came, the share that already has a durable tie with someone of the "
          "other group, by weeks since their first visit in this period."),
        charts.survival_chart(curves, key="durable-time",
                              caption=_("Weeks until the first lasting tie across groups"),
                              time_header=_("Weeks"), x_title=_("weeks since the first visit"),
                              rising=True),
        notes=[_("Not shown, fewer than 5 people: %(groups)s.") % {"groups": ", ".join(hidden)}]
        if hidden else [],
    ))
    proj = dur.get("projects") or {}
    acts = proj.get("activity") or []
    formed = proj.get("formed") or []
    cont = proj.get("continued") or []
    bars = []
    for i, a in enumerate(acts):
        f = _int(formed[i]) if i < len(formed) else 0
        c = _int(cont[i]) if i < len(cont) else 0
        title = activity_title(payload, str(a), languages)
        if f == 0:
            bars.append(Bar(title, None, text=_("no ties formed")))
        elif f < MIN_PERSONS:
            bars.append(Bar(title, None, text=too_few()))
        else:
            bars.append(Bar(title, c / f, text=f"{charts.percent(c / f)} ({c}/{f})"))
    section.figures.append(Figure(
        "durable-projects", _("Ties from projects that continue afterwards"),
        _("Pairs who met in a project in at least two weeks, and were seen together again "
          "at any small session after the project's last meeting."),
        charts.bar_chart(bars, key="durable-projects",
                         caption=_("Ties from projects that continue afterwards"),
                         label_header=_("Project"), value_header=_("Continued"),
                         fmt=charts.percent, domain=(0, 1),
                         empty_text=_("No project in this period.")),
        notes=[_("A project that ended near the end of the period has had little time to "
                 "show it.")] if bars else [],
    ))
    return section


def _curve(label: str, curve: Mapping, payload: Mapping) -> Curve:
    times = tuple(float(t) for t in curve.get("times") or [] if _num(t) is not None)
    surv = tuple(float(s) for s in curve.get("survival") or [] if _num(s) is not None)
    period = payload.get("period") or {}
    try:
        weeks = (dt.date.fromisoformat(period["end"]) - dt.date.fromisoformat(
            period["start"])).days / 7
    except (KeyError, TypeError, ValueError):
        weeks = None
    until = max([*times, 0.0, *([weeks] if weeks else [])]) if weeks else None
    return Curve(label, times[: len(surv)], surv[: len(times)], until=until,
                 n=_int(curve.get("n")))


def _retention(payload: Mapping, m: Mapping) -> Section:
    ret = m.get("retention") or {}
    kinds = ret.get("by_first_kind") or {}
    names = {"regular": _("First came to a regular activity"),
             "project": _("First came to a project")}
    section = Section("retention", _("Who stays"), _(
        "Do projects bind people longer than regular activities? People are split by the "
        "kind of activity of their first visit in this period. Someone has dropped out "
        "after 8 weeks without a visit."))
    curves, hidden, bars = [], [], []
    for tone, key in enumerate(("regular", "project")):
        split = kinds.get(key) or {}
        n = _int(split.get("n_persons"))
        if n and not _ok(n):
            hidden.append(names[key])
        elif n:
            curves.append(_curve(names[key], split.get("survival") or {}, payload))
        bars.append(_share_bar(names[key], _int(split.get("returned_within")),
                               _int(split.get("return_observable")), tone))
    section.figures.append(Figure(
        "retention-survival", _("Still coming, by first activity"),
        _("The share still coming after a number of weeks since the first visit."),
        charts.survival_chart(curves, key="retention-survival",
                              caption=_("Still coming, by first activity"),
                              time_header=_("Weeks"), x_title=_("weeks since the first visit")),
        notes=[_("Not shown, fewer than 5 people: %(groups)s.") % {"groups": ", ".join(hidden)}]
        if hidden else [],
    ))
    section.figures.append(Figure(
        "retention-return", _("Came back within 4 weeks"),
        _("Of those whose first visit was at least 4 weeks before the end of the period."),
        charts.bar_chart(bars, key="retention-return", caption=_("Came back within 4 weeks"),
                         label_header=_("First activity"), value_header=_("Came back"),
                         fmt=charts.percent, domain=(0, 1)),
    ))
    medians = []
    for key in ("regular", "project"):
        split = kinds.get(key) or {}
        med = _num((split.get("survival") or {}).get("median"))
        if _ok(_int(split.get("n_persons"))) and _int(split.get("n_persons")):
            medians.append(Fact(names[key], _("half had dropped out after %(w)s weeks") % {
                "w": charts.number(med)} if med is not None else _("more than half still come")))
    section.facts = medians
    return section


def _investment(m: Mapping, counts: Mapping) -> tuple[Section, Section]:
    inv = m.get("investment") or {}
    labels = group_labels()
    visitors = [_int(x) for x in inv.get("visitors") or [0, 0, 0]]
    organisers = [_int(x) for x in inv.get("organisers") or [0, 0, 0]]
    attended = [_num(x) for x in inv.get("hours_attended") or [0, 0, 0]]
    organised = [_num(x) for x in inv.get("hours_organised") or [0, 0, 0]]
    invest = Section("investment", _("Who invests time"), _(
        "Hours spent at activities and hours spent organising them (as host or team lead), "
        "by group. Equal status: newcomers organise, not only take part."))
    series = []
    for g, label in enumerate(labels):
        vals, texts = [], []
        for hours, n in ((attended, visitors), (organised, organisers)):
            if _ok(n[g]):
                vals.append(hours[g] if g < len(hours) else None)
                texts.append(None)
            else:
                vals.append(None)
                texts.append(too_few())
        series.append(Series(label, tuple(vals), tuple(texts)))
    invest.figures.append(Figure(
        "investment-hours", _("Hours by group"), _("Hours at activities and hours organising."),
        charts.grouped_bar_chart([_("Hours attended"), _("Hours organised")], series,
                                 key="investment-hours", caption=_("Hours by group"),
                                 label_header=_("Hours"),
                                 fmt=lambda x: charts.number(x, 0)),
    ))
    rho = inv.get("representation_ratio") or [None, None]
    bars = []
    for g, label in enumerate(labels):
        if _ok(organisers[g]) and _ok(visitors[g]) and organisers[g] and visitors[g]:
            v = _num(rho[g]) if g < len(rho) else None
            bars.append(Bar(label, v, text=charts.number(v, 2), tone=g))
        elif visitors[g] and not organisers[g]:
            bars.append(Bar(label, 0.0, text=charts.number(0, 2), tone=g))
        else:
            bars.append(Bar(label, None, text=too_few(), tone=g))
    invest.figures.append(Figure(
        "investment-ratio", _("Organiser representation"),
        _("A group's share among organisers divided by its share among visitors."),
        charts.bar_chart(bars, key="investment-ratio", caption=_("Organiser representation"),
                         label_header=_("Group"), value_header=_("Ratio"),
                         fmt=lambda x: charts.number(x, 2),
                         baseline=Baseline(1.0, _("Organise as much as they visit"))),
        baseline=_("1 means the group organises as much as it visits; well below 1 means "
                   "activities for this group rather than with it."),
    ))

    balance = _balance(visitors, organisers, counts.get("volunteers_by_group"))
    return invest, balance


def _balance_row(counts: Sequence[int], total_published: bool
                 ) -> list[tuple[float | None, str | None]]:
    """(share of the labelled, text) for newcomers and locals, then (count, text) for the
    people without a label, in one row of the balance table.

    As on the volunteer path (`volunteers.path.Split`): shares are of the people who said
    which group they belong to, and the split is shown only when both groups can be (each
    0 or at least 5). The unlabelled count is protected on its own ("fewer than 5"). When
    the row's total is published elsewhere on the dashboard (the visitors are "People who
    came"), the whole row is protected as one, as the reach table does, so the unlabelled
    count cannot be worked out from the total."""
    n, loc, unknown = [*counts[:3], 0, 0, 0][:3]
    if total_published:
        table = protect_table(np.asarray([[n, loc, unknown]], dtype=np.int64), AUDIENCE)
        cells = [_cell(table, 0, j) for j in range(3)]
    else:
        table = protect_table(np.asarray([[n, loc]], dtype=np.int64), AUDIENCE)
        cells = [_cell(table, 0, 0), _cell(table, 0, 1),
                 (float(unknown), None) if _ok(unknown) else (None, too_few())]
    declared = n + loc
    (vn, tn), (vl, tl), (vu, tu) = cells
    if vn is None or vl is None or not declared:
        # One share gives away the other group's count: both go, saying why.
        why_n = tn or (hidden() if declared else "–")
        why_l = tl or (hidden() if declared else "–")
        split = [(None, why_n), (None, why_l)]
    else:
        split = [(vn / declared, f"{charts.percent(vn / declared)} ({int(vn)})"),
                 (vl / declared, f"{charts.percent(vl / declared)} ({int(vl)})")]
    return [*split, (None, tu if vu is None else charts.number(vu))]


def _balance(visitors: Sequence[int], organisers: Sequence[int],
             volunteers: Sequence | None) -> Section:
    """Newcomers and locals among visitors, volunteers and organisers.

    Visitors and organisers are of the period; volunteers (people holding a volunteer-type
    role) are the state when the snapshot was computed, and missing in snapshots computed
    before they were counted. Each row is protected on its own: the rows are overlapping
    populations, so a column total over them means nothing and is never shown."""
    section = Section("balance", _("Visitors, volunteers and organisers"), _(
        "Newcomers and locals among the people who came, the people with a volunteer role "
        "and the people who organised. The report recommends newcomers and locals as "
        "volunteers in equal numbers."))
    vol = ([max(_int(x), 0) for x in volunteers] if isinstance(volunteers, (list, tuple))
           else None)
    rows = [(_("Visitors"), _balance_row([max(x, 0) for x in visitors], True))]
    if vol and sum(vol[:3]):
        rows.append((_("Volunteers"), _balance_row(vol, False)))
    rows.append((_("Organisers"), _balance_row([max(x, 0) for x in organisers], False)))
    series = [
        Series(label, tuple(cells[g][0] for _name, cells in rows),
               tuple(cells[g][1] for _name, cells in rows))
        for g, label in enumerate([*group_labels(), _no_label()])
    ]
    notes = [_("Shares are of the people who said which group they belong to; people "
               "without a label are counted apart.")]
    if vol is not None and sum(vol[:3]):
        notes.append(_("Volunteers: the people who hold a volunteer role when these figures "
                       "were computed, not per period."))
    elif vol is not None:
        notes.append(_("Nobody held a volunteer role when these figures were computed."))
    else:
        notes.append(_("Volunteers are counted from the next recompute of these figures."))
    caption = _("Newcomers and locals among visitors, volunteers and organisers")
    section.figures.append(Figure(
        "balance", caption,
        _("Everyone both volunteer and participant: are newcomers as present among "
          "volunteers and organisers as among visitors?"),
        charts.grouped_bar_chart([name for name, _cells in rows], series, key="balance",
                                 stacked=True, caption=caption, label_header=_("Who"),
                                 fmt=charts.percent, domain=(0, 1)),
        notes=notes,
    ))
    return section


def _surveys(payload: Mapping, place: str) -> Section:
    res = payload.get("surveys") or {}
    section = Section("surveys", _("How people experience the contact"), _(
        "Answers to the short pulse after a session. Answers carry no name. Items marked "
        "“adapted, not validated” were written or shortened for this pulse: they cannot be "
        "compared with figures from published scales."))
    n = _int(res.get("n_responses"))
    section.facts = [Fact(_("Pulses filled in"), charts.number(n))]
    items = list(res.get("items") or [])
    for module in res.get("modules") or []:
        if _int(module.get("n_responses")):
            items.extend(module.get("items") or [])
    if not items or not n:
        section.notes.append(_("No survey answers in this period."))
        return section
    for item in items:
        code = str(item.get("code") or "item")
        label = _(str(item.get("label") or code))
        answered = _int(item.get("n_answered"))
        counts = item.get("counts") or {}
        answer_labels = item.get("answer_labels") or {}
        bars = []
        codes = list(item.get("answer_codes") or [])
        if answered >= MIN_PERSONS and codes:
            # Same rules as a group split: an answer given by 1-4 people is not shown, and
            # others are hidden with it so it cannot be worked out from the total.
            row = np.asarray([[_int(counts.get(a)) for a in codes]], dtype=np.int64)
            protected = protect_table(row, AUDIENCE)
            for j, a in enumerate(codes):
                k, why = _cell(protected, 0, j)
                label_a = _(str(answer_labels.get(a) or a))
                if k is None:
                    bars.append(Bar(label_a, None, text=why))
                else:
                    share = k / answered
                    bars.append(Bar(label_a, share, text=f"{charts.percent(share)} ({int(k)})"))
        notes = []
        if item.get("adapted"):
            notes.append(_("adapted, not validated"))
        notes.append(_("%(n)s answers, %(rns)s “rather not say”") % {
            "n": charts.number(answered), "rns": charts.number(_int(item.get("n_rather_not_say")))})
        section.figures.append(Figure(
            f"survey-{code}", label,
            _prompt(item, place),
            charts.bar_chart(bars, key=f"survey-{code}", caption=label,
                             label_header=_("Answer"), value_header=_("Share"),
                             fmt=charts.percent, domain=(0, 1),
                             empty_text=_("Fewer than 5 answers: not shown.")),
            notes=notes,
        ))
    return section


def _prompt(item: Mapping, place: str) -> str:
    """The question as it was asked, with the meeting place's name filled in."""
    prompt = str(item.get("prompt") or "")
    if not prompt:
        return ""
    try:
        return _(prompt) % {"place": place or _("the meeting place")}
    except (KeyError, ValueError, TypeError):
        return _(prompt)


# --- entry point -------------------------------------------------------------------------


def dashboard(payload: Mapping, *, languages: Sequence[str] = (), place: str = "") -> Dashboard:
    """All sections of the coordinator's dashboard for one snapshot payload (inside rules)."""
    period = payload.get("period") or {}
    start = dt.date.fromisoformat(period.get("start", "1970-01-01"))
    end = dt.date.fromisoformat(period.get("end", "1970-01-02"))
    m = payload.get("metrics")
    sections: list[Section] = []
    guests = _int((payload.get("counts") or {}).get("guest_visits"))
    if not m and guests:
        # Anonymous mode (research note §5, target 3): a period with walk-in tallies only
        # still shows who was reached; everything else needs registered check-ins.
        sections.append(_reach(payload, {}))
    if m:
        sections.append(_reach(payload, m))
        sections.append(_mix(payload, m, languages))
        sections.append(_ties(m))
        sections.append(_durable(payload, m, languages))
        sections.append(_retention(payload, m))
        invest, balance = _investment(m, payload.get("counts") or {})
        sections.extend([invest, balance])
    sections.append(_surveys(payload, place))
    return Dashboard(kind=str(period.get("kind", "")), start=start, end=end,
                     has_metrics=bool(m), sections=sections)


def period_label(kind: str, start: dt.date) -> str:
    """"2026", "Q1 2026" (localised quarter word), "March 2026"."""
    if kind == "year":
        return str(start.year)
    if kind == "quarter":
        return pgettext("quarter of a year", "Q%(q)s %(year)s") % {
            "q": (start.month - 1) // 3 + 1, "year": start.year}
    return date_format(start, "F Y")
