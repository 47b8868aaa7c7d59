"""Words around the outside figures: section titles, plain explanations, row and column labels.

What belongs here: turning an `external.ExternalReport` into `Section`s that the partner page,
the printable report and the CSV export all render, so the three say the same thing. Only
labels and text are added here; every number comes from `external` as it was protected.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from verbinding.insights import charts
from verbinding.reports import external
from verbinding.reports.external import ALL, ExternalReport, Table, Value

# Figures drawn as bars as well as given as a table (the network indices and hours are tables
# only: a bar of an index from −1 to +1 or of hours says little more than the number).
CHARTED = {"reach", "mixed", "bridging", "retention", "surveys"}

COLUMN_LABELS = {
    "newcomer": gettext_lazy("New in the Netherlands"),
    "local": pgettext_lazy("count of people", "Lived here longer"),
    "unknown": gettext_lazy("No label given"),
    "total": gettext_lazy("Total"),
    "share": gettext_lazy("Share of visits in mixed sessions"),
    "ei": gettext_lazy("E-I index"),
    "ei_expected": gettext_lazy("E-I at random mixing"),
    "assortativity": gettext_lazy("Assortativity"),
    "labelled": gettext_lazy("People with a label in the network"),
    "unlabelled_share": gettext_lazy("Share of the network without a label"),
    "regular": gettext_lazy("First came to a regular activity"),
    "project": gettext_lazy("First came to a project"),
}
UNIT_SUFFIX = {"percent": "%"}


@dataclass(frozen=True)
class Cell:
    value: Value

    @property
    def text(self) -> str:
        return self.value.text()

    @property
    def suffix(self) -> str:
        return "" if self.value.suppressed else UNIT_SUFFIX.get(self.value.unit, "")


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    cells: tuple[Cell, ...]
    pooled: bool


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    explanation: str
    columns: tuple[str, ...]
    column_keys: tuple[str, ...]
    rows: tuple[Row, ...]
    unit_note: str = ""
    chart: charts.Chart | None = None
    notes: tuple[str, ...] = ()

    @property
    def all_hidden(self) -> bool:
        return all(c.value.suppressed for r in self.rows for c in r.cells)


def _rows(table: Table, names: dict[str, str]) -> tuple[Row, ...]:
    return tuple(
        Row(key=key, label=_("All together") if key == ALL else names.get(key, key),
            cells=tuple(Cell(v) for v in cells), pooled=key == ALL)
        for key, cells in table.rows
    )


def _chart(key: str, title: str, labels, keys, rows: tuple[Row, ...]) -> charts.Chart | None:
    """Grouped bars: one bar per column (not the total) for each row; a hidden value draws no
    bar and shows the same mark as the table."""
    cols = [j for j, k in enumerate(keys) if k != "total"]
    if key not in CHARTED or not rows or not cols:
        return None
    if all(r.cells[j].value.suppressed for r in rows for j in cols):
        return None
    percent = rows[0].cells[cols[0]].value.unit == "percent" or key != "reach"
    series = []
    for j in cols:
        values, texts = [], []
        for r in rows:
            v = r.cells[j].value
            if v.suppressed:
                values.append(None)
                texts.append(external.SUPPRESSED_MARK)
            else:
                values.append(v.shown / 100 if percent else v.shown)
                texts.append(None)
        series.append(charts.Series(str(labels[j]), tuple(values), tuple(texts)))
    return charts.grouped_bar_chart(
        [r.label for r in rows], series, key=f"rp-{key}", caption=title,
        label_header=_("Initiative"), fmt=charts.percent if percent else charts.number,
        domain=(0, 1) if percent else None,
    )


def _section(table: Table, names, title, explanation, unit_note="", columns=None) -> Section:
    keys = table.columns
    labels = columns or tuple(str(COLUMN_LABELS.get(k, k)) for k in keys)
    rows = _rows(table, names)
    return Section(key=table.key, title=title, explanation=explanation, columns=tuple(labels),
                   column_keys=tuple(keys), rows=rows, unit_note=unit_note,
                   chart=_chart(table.key, title, labels, keys, rows))


def sections(report: ExternalReport, names: dict[str, str]) -> list[Section]:
    """`names`: initiative slug → display name (row labels)."""
    out = [
        _section(report.reach, names, _("Who is reached"), _(
            "Different people with an account who came at least once in this period, by how "
            "they describe themselves. Describing oneself is optional; people who did not are "
            "counted under “No label given”."), _("Number of people")),
        _section(report.guests, names, _("Walk-ins without an account"), _(
            "Visitors without an account are counted with a tap at the door. These are visits, "
            "not people: someone who comes every week is counted every week."),
            _("Number of visits")),
        _section(report.mixed, names, _("Mixed contact"), _(
            "Share of all visits that took place in a mixed session: both groups had at least "
            "2 people there and each was at least a fifth of those present.")),
        _section(report.bridging, names, _("Ties that last across groups"), _(
            "Share of each group who have at least one lasting tie with someone of the other "
            "group: they were at the same sessions in at least 3 different weeks, spread over "
            "at least 4 weeks. Large events (more than 25 people) do not count as ties.")),
        _section(report.network, names, _("How mixed the contact network is"), _(
            "The E-I index runs from −1 (people only meet their own group) to +1 (only the "
            "other group); compare it with the value random mixing would give. Assortativity "
            "above 0 means people mostly meet their own group. Shown only when at least 20 "
            "people with a label, and at least 10 of each group, are in the network.")),
        _section(report.retention, names, _("Who comes back"), _(
            "Share of first-time visitors who came back within 4 weeks, by the kind of "
            "activity they first came to. This tests whether projects bind people longer than "
            "regular activities.")),
        _section(report.hours_attended, names, _("Time spent taking part"), _(
            "Hours spent at activities, by group."), _("Hours")),
        _section(report.hours_organised, names, _("Time spent organising"), _(
            "Hours spent organising activities, by group. Organisers are few, so these numbers "
            "are often hidden."), _("Hours")),
    ]
    survey_cols, notes = [], []
    for key in report.surveys.columns:
        label, positive = report.survey_labels.get(key, (key, ()))
        text = _(label) if label else key
        adapted = key in report.survey_adapted
        survey_cols.append(f"{text} *" if adapted else text)
        if positive:
            notes.append(_("%(question)s: counts “%(answers)s”") % {
                "question": text, "answers": " / ".join(_(p) for p in positive)})
    if report.survey_adapted:
        notes.append(_("* adapted, not validated: our own wording, not a tested scale."))
    section = _section(report.surveys, names, _("How visitors experience the contact"), _(
        "Share of answers that count as positive, per question of the short survey after a "
        "session: on a five-point scale the top two answers, on a shorter one every answer "
        "but the lowest. Answers are anonymous; “rather not say” is left out."),
        columns=tuple(survey_cols))
    out.append(dataclasses.replace(section, notes=tuple(notes)))
    return out


def limits() -> list[str]:
    """The limits of the data, said every time these figures are shown."""
    return [
        _("Being at the same session is not the same as talking to each other: these figures "
          "count opportunities for contact, not conversations."),
        _("Visitors without an account are only counted as taps at the door; they are not in "
          "the figures about people, ties or coming back."),
        _("Describing oneself as new in the Netherlands or as living here longer is optional "
          "and self-chosen; people who did not are never guessed."),
        _("To protect privacy, a number is hidden (x) when it rests on fewer than 10 people, "
          "when fewer than 10 people are left over, or when it could be worked out from the "
          "other numbers. Numbers of people, visits and hours are rounded to multiples of 5, "
          "percentages to multiples of 5 points; totals are rounded on their own."),
    ]


SUPPRESSED_MARK = external.SUPPRESSED_MARK
