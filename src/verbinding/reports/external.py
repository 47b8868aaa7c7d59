"""The figures that leave an initiative: built from snapshots, with outside disclosure control.

What belongs here: turning stored snapshot payloads (insights/README.md, "Snapshot payload")
into the partner view's, the CSV export's and the printable report's numbers, applying the
rules for `Audience.OUTSIDE` (research note §4.7, product.md privacy rule 3):

* every published number rests on at least 10 distinct persons, zero counts included, and its
  complement (total − count) too — "all 9 newcomers dropped out" discloses an attribute;
* tables with totals get secondary suppression, so no hidden cell can be recomputed from the
  cells and totals that are shown (`disclosure.protect_table`);
* counts and hours are rounded to base 5, totals rounded independently from unrounded data;
  shares are shown as whole percentages rounded to a multiple of 5;
* network metrics (E-I index, assortativity, durable bridging ties) only when at least 20
  labelled persons and at least 10 per group are in the network;
* nothing per person: no graph, no list of attenders, no minimum or maximum, and periods are
  the fixed quarters and years that snapshots exist for.

No Django here (plain data in, plain data out), so the rules are tested without a database and
the same `ExternalReport` feeds the page, the CSV and the PDF. Every published value carries the
smallest number of distinct persons it rests on (`basis`), which the disclosure tests check.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from verbinding.insights.metrics.disclosure import (
    RULES,
    Audience,
    network_metrics_publishable,
    primary_suppression,
    protect_count,
    protect_share,
    protect_table,
    round_to_base,
    secondary_suppression,
    with_margins,
)

AUDIENCE = Audience.OUTSIDE
RULE = RULES[AUDIENCE]
MIN_PERSONS = RULE.min_persons
BASE = RULE.rounding_base
SUPPRESSED_CSV = "suppressed"  # the CSV's explicit marker (never blank, never 0)
SUPPRESSED_MARK = "x"  # on the page and in the PDF (the CBS sign for "hidden")

# Column keys of group splits. Groups are the consented self-descriptions (people app); the
# last column is everyone without a (consented) label.
GROUP_KEYS = ("newcomer", "local")
NO_LABEL = "unknown"
FIRST_KINDS = ("regular", "project")
NETWORK_COLUMNS = ("ei", "ei_expected", "assortativity", "labelled", "unlabelled_share")


@dataclass(frozen=True)
class Value:
    """One published number, or a suppressed one (`shown` is None).

    `basis` is the smallest count of distinct persons behind the number (for a share: the
    smallest of numerator, complement and denominator); 0 when suppressed.
    """

    shown: float | None
    basis: int = 0
    unit: str = "persons"  # persons | visits | percent | hours | index

    @property
    def suppressed(self) -> bool:
        return self.shown is None

    def text(self, mark: str = SUPPRESSED_MARK) -> str:
        """Language-neutral text: integers plainly, indices with two decimals."""
        if self.shown is None:
            return mark
        if self.unit == "index":
            return f"{self.shown:.2f}".replace("-", "\u2212")
        return str(int(self.shown))


HIDDEN = Value(None)


@dataclass(frozen=True)
class Table:
    """A figure with rows (initiatives, plus "all together" where pooling is meaningful)."""

    key: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[Value, ...]], ...]  # (row key, one Value per column)

    def values(self) -> list[Value]:
        return [v for _, cells in self.rows for v in cells]

    def cell(self, row: str, column: str) -> Value:
        i = self.columns.index(column)
        for key, cells in self.rows:
            if key == row:
                return cells[i]
        raise KeyError(row)


@dataclass(frozen=True)
class InitiativeInput:
    """What one initiative's snapshot contributes, read from its payload (`from_payload`)."""

    key: str  # the initiative's slug (row key)
    persons_by_group: tuple[int, ...]  # distinct registered visitors, groups then no label
    guest_visits_by_group: tuple[int, ...]  # anonymous tallies, groups then "rather not say"
    mixed_persons: int | None  # distinct persons with an attendance in a mixed session
    unmixed_persons: int | None  # ... in a session that was not mixed
    share_attendances_in_mixed: float
    durable_persons_by_group: tuple[int, ...]  # labelled persons who came, per group
    durable_with_cross_by_group: tuple[int, ...]  # ... with >= 1 durable cross-group tie
    network_n_by_group: tuple[int, ...]  # labelled persons in the tie network, per group
    ei: float
    ei_expected: float
    assortativity: float
    retention: Mapping[str, tuple[int, int]]  # first kind -> (observable persons, returned)
    hours_attended: tuple[float, ...]  # groups then no label
    visitors: tuple[int, ...]
    hours_organised: tuple[float, ...]
    organisers: tuple[int, ...]
    surveys: tuple[SurveyItemInput, ...] = ()
    network_nodes: int = 0  # persons with at least one tie (labelled or not)
    network_unlabelled: int = 0  # ... of whom without a label


@dataclass(frozen=True)
class SurveyItemInput:
    """One survey item's answers in the period; answers carry no person, so answers count."""

    key: str
    answers: int  # answers other than "rather not say"
    positive: int  # answers in the item's positive categories
    adapted: bool  # "adapted, not validated" (research note §1.7, target 26)
    label: str = ""  # msgid of the surveys app (translate with gettext)
    positive_labels: tuple[str, ...] = ()  # msgids of the answers counted as positive


@dataclass(frozen=True)
class ExternalReport:
    """Everything one outside view shows for one period, disclosure control applied."""

    period: str
    initiatives: tuple[str, ...]
    reach: Table  # registered persons by group (with totals)
    guests: Table  # guest visits by group (tallies, with totals)
    mixed: Table  # share of attendances in mixed sessions
    bridging: Table  # share of persons with a durable cross-group tie, per group
    network: Table  # E-I, its random-mixing baseline, assortativity
    retention: Table  # share returning within 4 weeks, by first activity kind
    hours_attended: Table
    hours_organised: Table
    surveys: Table
    survey_adapted: frozenset[str] = field(default_factory=frozenset)
    survey_labels: Mapping[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)

    def tables(self) -> list[Table]:
        return [
            self.reach, self.guests, self.mixed, self.bridging, self.network, self.retention,
            self.hours_attended, self.hours_organised, self.surveys,
        ]

    def values(self) -> list[Value]:
        return [v for t in self.tables() for v in t.values()]

    @property
    def has_figures(self) -> bool:
        return any(not v.suppressed for v in self.values())


ALL = "all"  # row key of the pooled row


def _percent(share: float) -> int:
    """A share as a whole percentage rounded (half up) to a multiple of the rounding base."""
    return int(round_to_base(math.floor(share * 100 + 0.5), BASE))


def share_value(numerator: int, denominator: int) -> Value:
    share = protect_share(int(numerator), int(denominator), AUDIENCE)
    if share is None:
        return HIDDEN
    return Value(
        float(_percent(share)), basis=int(min(numerator, denominator - numerator)), unit="percent"
    )


def _count_table(key: str, columns: tuple[str, ...], row_keys: Sequence[str],
                 counts: np.ndarray, unit: str) -> Table:
    """Rows × columns of person counts, plus a "total" column and an "all" row."""
    counts = np.asarray(counts, dtype=np.int64).reshape(len(row_keys), len(columns))
    protected = protect_table(counts, AUDIENCE)
    full = with_margins(counts)
    return _rows(key, columns, row_keys, full, full, protected.published, unit)


def _rows(key, columns, row_keys, basis_full, value_full, published, unit) -> Table:
    rows = []
    # With one initiative the margin row repeats that row: leave it out.
    keys = [*row_keys, ALL] if len(row_keys) > 1 else list(row_keys)
    for i, rk in enumerate(keys):
        cells = []
        for j in range(len(columns) + 1):
            shown = published[i, j]
            if np.isnan(shown):
                cells.append(HIDDEN)
            else:
                cells.append(Value(float(shown), basis=int(basis_full[i, j]), unit=unit))
        rows.append((rk, tuple(cells)))
    return Table(key=key, columns=(*columns, "total"), rows=tuple(rows))


def _hours_table(key: str, row_keys: Sequence[str], hours: np.ndarray,
                 persons: np.ndarray) -> Table:
    """Hours by group: a cell is sensitive when the persons behind it are (threshold and
    complement on the person counts); secondary suppression runs on the hours themselves, so
    no hidden number of hours follows from the totals."""
    columns = (*GROUP_KEYS, NO_LABEL)
    persons = np.asarray(persons, dtype=np.int64).reshape(len(row_keys), len(columns))
    hours_int = np.rint(np.asarray(hours, dtype=np.float64)).astype(np.int64)
    hours_int = hours_int.reshape(persons.shape)
    p_full = with_margins(persons)
    h_full = with_margins(hours_int)
    primary = primary_suppression(p_full, RULE)
    # Hours resting on nobody are zeros, and zeros are sensitive outside (suppress_zeros).
    suppressed = secondary_suppression(h_full, primary)
    published = round_to_base(h_full, BASE).astype(np.float64)
    published[suppressed] = np.nan
    return _rows(key, columns, row_keys, p_full, h_full, published, "hours")


def _pooled_share(key: str, columns: tuple[str, ...], row_keys: Sequence[str],
                  pairs: list[list[tuple[int, int] | None]],
                  gate: Sequence[bool] | None = None) -> Table:
    """Shares per row and column, plus an "all" row pooling numerators and denominators.

    `pairs[i][j]` is (numerator, denominator) or None when the figure does not exist. `gate`
    (per row) hides a whole row, e.g. a network too small to publish; the pooled row still
    counts it (as a hidden row).

    Differencing: the pooled share minus the shown rows says something about the hidden rows
    together. So the pooled share is shown only when no row of the column is hidden, or when
    at least two are and their combination would itself be publishable (>= 10 persons on both
    sides) — the same reasoning as secondary suppression in `protect_table`.
    """
    rows = []
    pooled = [[0, 0] for _ in columns]
    hidden = [[0, 0, 0] for _ in columns]  # numerator, denominator, rows hidden
    for i, rk in enumerate(row_keys):
        open_ = gate is None or gate[i]
        cells = []
        for j, pair in enumerate(pairs[i]):
            if pair is None:
                cells.append(HIDDEN)
                continue
            num, den = pair
            value = share_value(num, den) if open_ else HIDDEN
            pooled[j][0] += num
            pooled[j][1] += den
            if value.suppressed:
                hidden[j][0] += num
                hidden[j][1] += den
                hidden[j][2] += 1
            cells.append(value)
        rows.append((rk, tuple(cells)))
    if len(row_keys) > 1:
        pooled_cells = []
        for (num, den), (h_num, h_den, h_rows) in zip(pooled, hidden, strict=True):
            safe = h_rows == 0 or (h_rows >= 2 and not share_value(h_num, h_den).suppressed)
            pooled_cells.append(share_value(num, den) if safe else HIDDEN)
        rows.append((ALL, tuple(pooled_cells)))
    return Table(key=key, columns=columns, rows=tuple(rows))


def _index(x: float, basis: int) -> Value:
    """E-I and assortativity in [−1, 1], rounded to 0.05 (base 5 in hundredths)."""
    if x is None or not math.isfinite(x):
        return HIDDEN
    hundredths = math.floor(abs(x) * 100 + 0.5)
    rounded = math.copysign(int(round_to_base(hundredths, BASE)), x) / 100
    return Value(rounded + 0.0, basis=basis, unit="index")


def build(period: str, inputs: Sequence[InitiativeInput]) -> ExternalReport:
    """The outside figures for `inputs` (one per initiative, same period, fixed order)."""
    keys = [i.key for i in inputs]
    n = len(inputs)
    groups = (*GROUP_KEYS, NO_LABEL)
    if n == 0:  # no initiative with data in the period: nothing to publish
        def empty(key, columns):
            return Table(key=key, columns=columns, rows=())
        totals = (*groups, "total")
        return ExternalReport(
            period=period, initiatives=(), reach=empty("reach", totals),
            guests=empty("guests", totals), mixed=empty("mixed", ("share",)),
            bridging=empty("bridging", GROUP_KEYS),
            network=empty("network", NETWORK_COLUMNS),
            retention=empty("retention", FIRST_KINDS),
            hours_attended=empty("hours_attended", totals),
            hours_organised=empty("hours_organised", totals), surveys=empty("surveys", ()),
        )

    reach = _count_table("reach", groups, keys,
                         np.array([i.persons_by_group for i in inputs]).reshape(n, 3), "persons")
    guests = _count_table("guests", groups, keys,
                          np.array([i.guest_visits_by_group for i in inputs]).reshape(n, 3),
                          "visits")

    # Mixed sessions: attendance-weighted share; it rests on the persons who came to mixed
    # sessions and on those who came to the others (the complement), both >= 10.
    mixed_rows = []
    for i in inputs:
        m, u = i.mixed_persons, i.unmixed_persons
        ok = (m is not None and u is not None and m >= MIN_PERSONS and u >= MIN_PERSONS
              and math.isfinite(i.share_attendances_in_mixed)
              and 0 < i.share_attendances_in_mixed < 1)
        mixed_rows.append((i.key, (
            Value(float(_percent(i.share_attendances_in_mixed)), basis=min(m, u), unit="percent")
            if ok else HIDDEN,
        )))
    mixed = Table(key="mixed", columns=("share",), rows=tuple(mixed_rows))

    # Durable bridging ties per group: a network metric, so the network gate applies first.
    gate = [network_metrics_publishable(i.durable_persons_by_group, AUDIENCE) for i in inputs]
    bridging = _pooled_share(
        "bridging", GROUP_KEYS, keys,
        [[(i.durable_with_cross_by_group[g], i.durable_persons_by_group[g])
          for g in range(len(GROUP_KEYS))] for i in inputs],
        gate=gate,
    )

    net_rows = []
    for i in inputs:
        if network_metrics_publishable(i.network_n_by_group, AUDIENCE):
            basis = min(i.network_n_by_group)
            # With each index: how many labelled people it rests on, and the share of the
            # network without a label (research note §4.7 rule 5: "n = …, unknown = …%").
            n = protect_count(sum(i.network_n_by_group), AUDIENCE)
            cells = (_index(i.ei, basis), _index(i.ei_expected, basis),
                     _index(i.assortativity, basis),
                     Value(float(n), basis=sum(i.network_n_by_group)) if n is not None else HIDDEN,
                     share_value(i.network_unlabelled, i.network_nodes))
        else:
            cells = (HIDDEN,) * 5
        net_rows.append((i.key, cells))
    network = Table(key="network", columns=NETWORK_COLUMNS, rows=tuple(net_rows))

    retention = _pooled_share(
        "retention", FIRST_KINDS, keys,
        [[(i.retention[k][1], i.retention[k][0]) if k in i.retention else None
          for k in FIRST_KINDS] for i in inputs],
    )

    hours_attended = _hours_table(
        "hours_attended", keys, np.array([i.hours_attended for i in inputs]),
        np.array([i.visitors for i in inputs]))
    hours_organised = _hours_table(
        "hours_organised", keys, np.array([i.hours_organised for i in inputs]),
        np.array([i.organisers for i in inputs]))

    item_keys: list[str] = []
    adapted: set[str] = set()
    labels: dict[str, tuple[str, tuple[str, ...]]] = {}
    for i in inputs:
        for item in i.surveys:
            if item.key not in item_keys:
                item_keys.append(item.key)
                labels[item.key] = (item.label, item.positive_labels)
            if item.adapted:
                adapted.add(item.key)
    survey_pairs = []
    for i in inputs:
        by_key = {item.key: item for item in i.surveys}
        survey_pairs.append([
            (by_key[k].positive, by_key[k].answers) if k in by_key else None for k in item_keys
        ])
    surveys = _pooled_share("surveys", tuple(item_keys), keys, survey_pairs)

    return ExternalReport(
        period=period, initiatives=tuple(keys), reach=reach, guests=guests, mixed=mixed,
        bridging=bridging, network=network, retention=retention,
        hours_attended=hours_attended, hours_organised=hours_organised, surveys=surveys,
        survey_adapted=frozenset(adapted), survey_labels=labels,
    )


# --- Reading a snapshot payload (insights/README.md, "Snapshot payload", version 1) ---------

def _ints(xs, n: int) -> tuple[int, ...]:
    xs = list(xs or [])
    return tuple(int(x or 0) for x in (xs + [0] * n)[:n])


def _floats(xs, n: int) -> tuple[float, ...]:
    xs = list(xs or [])
    return tuple(float(x or 0.0) for x in (xs + [0.0] * n)[:n])


def _num(x) -> float:
    return float("nan") if x is None else float(x)


def _mixed_persons(payload: Mapping) -> tuple[int | None, int | None]:
    """Distinct persons behind the mixed-session share: in mixed / in other sessions.

    Exact counts when the payload has them (`counts.persons_in_mixed` and
    `counts.persons_in_unmixed`); otherwise a lower bound that is safe to gate on: an activity
    (or format) whose sessions were all mixed (or none) puts all its persons on that side, and
    the largest such one is a lower bound of the distinct persons there.
    """
    counts = payload.get("counts") or {}
    if "persons_in_mixed" in counts and "persons_in_unmixed" in counts:
        return int(counts["persons_in_mixed"]), int(counts["persons_in_unmixed"])
    mix = (payload.get("metrics") or {}).get("mix") or {}
    mixed = unmixed = 0
    for summaries, persons in ((mix.get("by_activity"), counts.get("persons_by_activity")),
                               (mix.get("by_format"), counts.get("persons_by_format"))):
        for key, summary in (summaries or {}).items():
            share = summary.get("share_sessions_mixed")
            n = sum(_ints((persons or {}).get(str(key)), 3))
            if share is None:
                continue
            if share >= 1.0:
                mixed = max(mixed, n)
            elif share <= 0.0:
                unmixed = max(unmixed, n)
    return mixed, unmixed


def positive_codes(answer_codes: Sequence[str]) -> tuple[str, ...]:
    """The answers a headline counts (answers run lowest → highest): on a scale of four or
    more, the upper half (4–5 of 5); on a shorter one, every answer but the lowest ("one
    person" and "two or more" both talked to someone new)."""
    codes = list(answer_codes)
    if len(codes) <= 3:
        return tuple(codes[1:])
    return tuple(codes[(len(codes) + 1) // 2:])


def survey_inputs(surveys: Mapping | None) -> tuple[SurveyItemInput, ...]:
    """The weekly pulse items (the headline) of `surveys.selectors.period_results`."""
    out = []
    for item in (surveys or {}).get("items") or []:
        counts = item.get("counts") or {}
        codes = positive_codes(item.get("answer_codes") or [])
        answer_labels = item.get("answer_labels") or {}
        out.append(SurveyItemInput(
            key=str(item.get("code")), answers=int(item.get("n_answered") or 0),
            positive=sum(int(counts.get(c, 0) or 0) for c in codes),
            adapted=bool(item.get("adapted")), label=str(item.get("label") or ""),
            positive_labels=tuple(str(answer_labels.get(c, c)) for c in codes),
        ))
    return tuple(out)


def from_payload(key: str, payload: Mapping) -> InitiativeInput:
    """One initiative's input from its snapshot payload (version 1)."""
    metrics = payload.get("metrics") or {}
    counts = payload.get("counts") or {}
    investment = metrics.get("investment") or {}
    durable = metrics.get("durable") or {}
    newman = ((metrics.get("ties") or {}).get("bridging") or {}).get("newman") or {}
    mix = (metrics.get("mix") or {}).get("overall") or {}
    retention = {}
    for kind, split in ((metrics.get("retention") or {}).get("by_first_kind") or {}).items():
        retention[kind] = (int(split.get("return_observable") or 0),
                           int(split.get("returned_within") or 0))
    mixed, unmixed = _mixed_persons(payload)
    nodes = int(newman.get("n_nodes") or 0)
    unlabelled = round(float(newman.get("unknown_share") or 0.0) * nodes)
    persons = counts.get("persons_by_group") or investment.get("visitors")
    return InitiativeInput(
        key=key,
        persons_by_group=_ints(persons, 3),
        guest_visits_by_group=_ints(counts.get("guest_visits_by_group"), 3),
        mixed_persons=mixed,
        unmixed_persons=unmixed,
        share_attendances_in_mixed=_num(mix.get("share_attendances_in_mixed")),
        durable_persons_by_group=_ints(durable.get("persons_by_group"), 2),
        durable_with_cross_by_group=_ints(durable.get("with_cross_tie_by_group"), 2),
        network_n_by_group=_ints(newman.get("n_by_group"), 2),
        ei=_num(newman.get("ei")),
        ei_expected=_num(newman.get("ei_expected")),
        assortativity=_num(newman.get("assortativity")),
        retention=retention,
        hours_attended=_floats(investment.get("hours_attended"), 3),
        visitors=_ints(investment.get("visitors"), 3),
        hours_organised=_floats(investment.get("hours_organised"), 3),
        organisers=_ints(counts.get("organisers_by_group") or investment.get("organisers"), 3),
        surveys=survey_inputs(payload.get("surveys")),
        network_nodes=nodes,
        network_unlabelled=unlabelled,
    )
