"""Server-rendered SVG charts for the insights dashboards and the reports built on them.

What belongs here: small chart builders that turn already-computed, already-protected
numbers into markup — horizontal bars (optionally diverging, with a baseline marker),
grouped and stacked bars by group, a line/step chart for monthly series and a
Kaplan–Meier step curve. Nothing here reads the database, applies disclosure control
or knows a metric: callers pass labels and values (``None`` for a value that must not
be drawn, with the reason as its text, e.g. "fewer than 5").

Every builder returns a `Chart`: ``markup`` (safe HTML with inline SVG, no script, no
inline style, so it passes the strict CSP — colours and strokes come from the CSS
classes in ``static/insights/charts.css``) and ``table`` (a `Table`: the same numbers as
rows, the data-table alternative for screen readers and for print). Templates render
them with ``{{ chart }}`` and ``{% include "insights/_chart_table.html" %}``; the PDF
report can use the same two parts.

Right-to-left: with ``rtl=True`` (default: the active language's direction) bars grow
from the right, the value axis sits on the right and time runs from right to left, as
the surrounding text does. Labels are always escaped; numbers are formatted with the
active locale (``number`` and ``percent``) and isolated in ``<bdi>``, so "−0,03" and
"41% (18/44)" keep their order inside Arabic text. Geometry uses a 0–1000 unit plot box with
``preserveAspectRatio="none"`` and non-scaling strokes, and text at percentage
positions, so a chart stays legible from a 390 px phone to a wide screen.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

Number = float | int | None
Formatter = Callable[[float], str]

PLOT = 1000  # plot box in user units, both axes
LINE_HEIGHT = 220  # px, plot height of line and survival charts
MAX_SERIES_CLASSES = 6  # ch-s0 … ch-s5 in charts.css; more series reuse them


# --- Numbers ---------------------------------------------------------------------------


def _finite(x: Number) -> bool:
    return x is not None and isinstance(x, (int, float)) and math.isfinite(x)


def number(x: Number, decimals: int = 0) -> str:
    """``x`` in the active locale (``1.234,5`` in Dutch), or "–" when missing."""
    if not _finite(x):
        return "–"
    # Half up, as people round (12.5 % -> 13 %), not Python's half-to-even.
    value = Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    return formats.number_format(value, decimals, use_l10n=True, force_grouping=True)


def percent(share: Number, decimals: int = 0) -> str:
    """A share in [0, 1] as a localised percentage (``0.125`` -> ``13%``, ``12,5%``)."""
    if not _finite(share):
        return "–"
    return f"{number(100 * float(share), decimals)}%"


def signed(x: Number, decimals: int = 2) -> str:
    """A value that can be negative, with an explicit sign (E-I, ratios' differences)."""
    if not _finite(x):
        return "–"
    text = number(abs(float(x)), decimals)
    if text.strip("0.,") == "":
        return text
    return ("+" if x > 0 else "\u2212") + text


# --- Results ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """The numbers behind a chart. ``columns[0]`` heads the row-header column; each row's
    first cell is its row header. Cells are plain (unescaped) strings."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def table_markup(table: Table, *, empty_text: str | None = None) -> SafeString:
    """The table as HTML (caption, column headers, row headers), every cell escaped.

    Built here rather than in a template because a dashboard has dozens of them and the
    template loops were most of its render time."""
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in table.columns)
    body = []
    for row in table.rows:
        cells = [f'<th scope="row">{escape(row[0])}</th>' if row else ""]
        cells += [f"<td><bdi>{escape(c)}</bdi></td>" for c in row[1:]]
        body.append(f"<tr>{''.join(cells)}</tr>")
    if not body:
        body.append(f'<tr><td colspan="{max(len(table.columns), 1)}">'
                    f"{escape(empty_text or _no_data())}</td></tr>")
    return mark_safe(  # noqa: S308 - every cell is escaped above
        f"<table><caption>{escape(table.caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


@dataclass(frozen=True)
class Chart:
    """Rendered chart: safe markup plus its data-table alternative."""

    key: str
    markup: SafeString
    table: Table
    empty: bool = False

    def __html__(self) -> str:
        return self.markup

    def __str__(self) -> str:
        return self.markup

    @property
    def table_html(self) -> SafeString:
        return table_markup(self.table)


@dataclass(frozen=True)
class Bar:
    """One bar. ``value`` None = not drawn; ``text`` then says why (e.g. "fewer than 5").

    ``text`` defaults to the value formatted by the chart's formatter; ``marker`` draws a
    per-bar reference line (e.g. a group's random-mixing E-I), ``marker_text`` labels it
    in the table.
    """

    label: str
    value: Number
    text: str | None = None
    marker: Number = None
    marker_text: str | None = None
    tone: int = 0


@dataclass(frozen=True)
class Series:
    """One series of a grouped/stacked bar chart or a line chart: a value per category
    (or per x position); ``texts`` optionally overrides how each value is printed."""

    label: str
    values: tuple[Number, ...]
    texts: tuple[str | None, ...] = ()


@dataclass(frozen=True)
class Curve:
    """A survival curve: S(t) right after each event time ``times[i]``; ``until`` is the
    last time observed (the curve is drawn flat to there)."""

    label: str
    times: tuple[float, ...]
    survival: tuple[float, ...]
    until: float | None = None
    n: int | None = None


@dataclass(frozen=True)
class Baseline:
    """A reference value drawn across the chart as a dashed line (e.g. E-I at random
    mixing, a representation ratio of 1)."""

    value: float
    label: str
    texts: dict = field(default_factory=dict)


# --- Helpers ---------------------------------------------------------------------------

_KEY = re.compile(r"[^a-z0-9-]+")


def _key(key: str) -> str:
    slug = _KEY.sub("-", key.lower()).strip("-")
    return slug or "chart"


def _rtl(rtl: bool | None) -> bool:
    return translation.get_language_bidi() if rtl is None else bool(rtl)


def _f(x: float) -> str:
    """An SVG coordinate: never localised, never exponent notation."""
    s = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _vline(cls: str, x: float, y1: float = 0, y2: float = 100) -> str:
    """A vertical line across a bar row (zero axis, baseline or marker), thin at any scale."""
    return (f'<line class="{cls}" x1="{_f(x)}" x2="{_f(x)}" y1="{_f(y1)}" y2="{_f(y2)}" '
            f'vector-effect="non-scaling-stroke"></line>')


def _series_class(i: int) -> str:
    return f"ch-s{i % MAX_SERIES_CLASSES}"


def _text(value: Number, text: str | None, fmt: Formatter) -> str:
    if text is not None:
        return text
    return fmt(value) if _finite(value) else "–"


def _domain(values: Sequence[float], domain: tuple[float, float] | None) -> tuple[float, float]:
    if domain is not None:
        lo, hi = float(domain[0]), float(domain[1])
    else:
        lo = min([0.0, *values])
        hi = max([0.0, *values])
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        hi = lo + 1.0
    return lo, hi


def _clamp(x: float, lo: float, hi: float) -> float:
    return min(max(x, lo), hi)


def _empty(key: str, caption: str, columns: Sequence[str], message: str) -> Chart:
    markup = mark_safe(  # noqa: S308 - every part is escaped
        f'<p class="ch-empty" id="ch-{key}">{escape(message)}</p>'
    )
    return Chart(key, markup, Table(caption, tuple(columns), ()), empty=True)


def _no_data() -> str:
    return translation.gettext("No data for this period.")


# --- Horizontal bars -------------------------------------------------------------------


def bar_chart(
    bars: Sequence[Bar],
    *,
    key: str,
    caption: str,
    label_header: str,
    value_header: str,
    fmt: Formatter = number,
    domain: tuple[float, float] | None = None,
    baseline: Baseline | None = None,
    marker_header: str | None = None,
    rtl: bool | None = None,
    empty_text: str | None = None,
) -> Chart:
    """Horizontal bars, one row per `Bar`, growing from the zero line.

    With a domain below zero (e.g. E-I from −1 to +1) the bars diverge from zero. A
    `Baseline` draws one dashed line across all rows; a bar's ``marker`` draws its own
    tick (and fills a column headed ``marker_header`` in the table).
    """
    key = _key(key)
    columns = [label_header, value_header]
    has_markers = any(_finite(b.marker) for b in bars)
    if has_markers:
        columns.append(marker_header or (baseline.label if baseline else ""))
    if not bars:
        return _empty(key, caption, columns, empty_text or _no_data())
    rtl = _rtl(rtl)
    finite = [float(b.value) for b in bars if _finite(b.value)]
    finite += [float(b.marker) for b in bars if _finite(b.marker)]
    if baseline is not None and _finite(baseline.value):
        finite.append(float(baseline.value))
    lo, hi = _domain(finite, domain)

    def pos(x: float) -> float:
        frac = (_clamp(x, lo, hi) - lo) / (hi - lo)
        return PLOT * (1 - frac if rtl else frac)

    zero = pos(0.0)
    rows_html = []
    table_rows = []
    for bar in bars:
        text = _text(bar.value, bar.text, fmt)
        parts = [f'<rect class="ch-track" x="0" y="0" width="{PLOT}" height="100"></rect>']
        if _finite(bar.value):
            end = pos(float(bar.value))
            x, w = min(zero, end), abs(end - zero)
            parts.append(
                f'<rect class="ch-bar {_series_class(bar.tone)}" x="{_f(x)}" y="0" '
                f'width="{_f(w)}" height="100"></rect>'
            )
        if lo < 0 < hi:
            parts.append(_vline("ch-zero", zero))
        if baseline is not None and _finite(baseline.value):
            bx = pos(float(baseline.value))
            parts.append(_vline("ch-baseline", bx, -10, 110))
        if _finite(bar.marker):
            mx = pos(float(bar.marker))
            parts.append(_vline("ch-marker", mx, -15, 115))
        missing = "" if _finite(bar.value) else " ch-missing"
        rows_html.append(
            f'<li class="ch-row{missing}"><span class="ch-label">{escape(bar.label)}</span>'
            f'<svg class="ch-barbox" viewBox="0 0 {PLOT} 100" preserveAspectRatio="none" '
            f'focusable="false" aria-hidden="true">{"".join(parts)}</svg>'
            f'<span class="ch-value"><bdi>{escape(text)}</bdi></span></li>'
        )
        row = [bar.label, text]
        if has_markers:
            row.append(bar.marker_text if bar.marker_text is not None else
                       (fmt(float(bar.marker)) if _finite(bar.marker) else "–"))
        table_rows.append(tuple(row))

    legend = ""
    if baseline is not None and _finite(baseline.value):
        legend = (
            '<p class="ch-legend"><svg class="ch-key" viewBox="0 0 20 10" aria-hidden="true" '
            'focusable="false"><line class="ch-baseline" x1="10" x2="10" y1="0" y2="10"></line>'
            f"</svg>{escape(baseline.label)}: <bdi>{escape(fmt(float(baseline.value)))}</bdi></p>"
        )
    elif has_markers and marker_header:
        legend = (
            '<p class="ch-legend"><svg class="ch-key" viewBox="0 0 20 10" aria-hidden="true" '
            'focusable="false"><line class="ch-marker" x1="10" x2="10" y1="0" y2="10"></line>'
            f"</svg>{escape(marker_header)}</p>"
        )
    markup = mark_safe(  # noqa: S308 - labels and numbers are escaped above
        f'<div class="ch ch-bars" id="ch-{key}" role="img" aria-label="{escape(caption)}">'
        f'<ul class="ch-rows">{"".join(rows_html)}</ul>{legend}</div>'
    )
    table = Table(caption, tuple(columns), tuple(table_rows))
    return Chart(key, markup, table)


# --- Grouped and stacked bars ----------------------------------------------------------


def grouped_bar_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    key: str,
    caption: str,
    label_header: str,
    fmt: Formatter = number,
    domain: tuple[float, float] | None = None,
    stacked: bool = False,
    baseline: Baseline | None = None,
    rtl: bool | None = None,
    empty_text: str | None = None,
) -> Chart:
    """Bars per category, one per series (grouped) or one bar of segments (stacked).

    Stacked bars add the series' values (e.g. shares of each group, summing to 1); a
    missing value in a stacked bar leaves its segment out and prints its text.
    """
    key = _key(key)
    columns = [label_header, *[s.label for s in series]]
    if not categories or not series:
        return _empty(key, caption, columns, empty_text or _no_data())
    rtl = _rtl(rtl)

    def val(s: Series, i: int) -> Number:
        return s.values[i] if i < len(s.values) else None

    def txt(s: Series, i: int) -> str:
        given = s.texts[i] if i < len(s.texts) else None
        return _text(val(s, i), given, fmt)

    if stacked:
        totals = [sum(float(v) for s in series if _finite(v := val(s, i)) and v > 0)
                  for i in range(len(categories))]
        lo, hi = _domain(totals, domain)
        lo = 0.0
    else:
        finite = [float(v) for s in series for i in range(len(categories))
                  if _finite(v := val(s, i))]
        if baseline is not None and _finite(baseline.value):
            finite.append(float(baseline.value))
        lo, hi = _domain(finite, domain)

    def pos(x: float) -> float:
        frac = (_clamp(x, lo, hi) - lo) / (hi - lo)
        return PLOT * (1 - frac if rtl else frac)

    zero = pos(0.0)
    rows_html = []
    table_rows = []
    for i, cat in enumerate(categories):
        texts = [txt(s, i) for s in series]
        if stacked:
            parts = [f'<rect class="ch-track" x="0" y="0" width="{PLOT}" height="100"></rect>']
            acc = 0.0
            for j, s in enumerate(series):
                v = val(s, i)
                if not _finite(v) or v <= 0:
                    continue
                a, b = pos(acc), pos(acc + float(v))
                parts.append(
                    f'<rect class="ch-bar {_series_class(j)}" x="{_f(min(a, b))}" y="0" '
                    f'width="{_f(abs(b - a))}" height="100"></rect>'
                )
                acc += float(v)
            svg = (
                f'<svg class="ch-barbox" viewBox="0 0 {PLOT} 100" preserveAspectRatio="none" '
                f'focusable="false" aria-hidden="true">{"".join(parts)}</svg>'
            )
            value_html = " · ".join(
                f'<span class="ch-seg {_series_class(j)}"><bdi>{escape(t)}</bdi></span>'
                for j, t in enumerate(texts)
            )
            rows_html.append(
                f'<li class="ch-row ch-row-stacked"><span class="ch-label">{escape(cat)}</span>'
                f'{svg}<span class="ch-value ch-value-stacked">{value_html}</span></li>'
            )
        else:
            n = len(series)
            band = 100.0 / n
            parts = []
            for j, s in enumerate(series):
                y = j * band
                parts.append(
                    f'<rect class="ch-track" x="0" y="{_f(y + band * 0.1)}" width="{PLOT}" '
                    f'height="{_f(band * 0.8)}"></rect>'
                )
                v = val(s, i)
                if _finite(v):
                    end = pos(float(v))
                    parts.append(
                        f'<rect class="ch-bar {_series_class(j)}" x="{_f(min(zero, end))}" '
                        f'y="{_f(y + band * 0.1)}" width="{_f(abs(end - zero))}" '
                        f'height="{_f(band * 0.8)}"></rect>'
                    )
            if lo < 0 < hi:
                parts.append(_vline("ch-zero", zero))
            if baseline is not None and _finite(baseline.value):
                bx = pos(float(baseline.value))
                parts.append(_vline("ch-baseline", bx))
            svg = (
                f'<svg class="ch-barbox ch-barbox-{min(n, 4)}" viewBox="0 0 {PLOT} 100" '
                f'preserveAspectRatio="none" focusable="false" aria-hidden="true">'
                f'{"".join(parts)}</svg>'
            )
            value_html = "".join(
                f'<span class="ch-seg {_series_class(j)}"><bdi>{escape(t)}</bdi></span>'
                for j, t in enumerate(texts)
            )
            rows_html.append(
                f'<li class="ch-row ch-row-grouped"><span class="ch-label">{escape(cat)}</span>'
                f'{svg}<span class="ch-value ch-value-grouped">{value_html}</span></li>'
            )
        table_rows.append((cat, *texts))

    markup = mark_safe(  # noqa: S308 - labels and numbers are escaped above
        f'<div class="ch ch-bars" id="ch-{key}" role="img" aria-label="{escape(caption)}">'
        f'<ul class="ch-rows">{"".join(rows_html)}</ul>'
        f"{_legend([s.label for s in series], baseline, fmt, kind='box')}</div>"
    )
    return Chart(key, markup, Table(caption, tuple(columns), tuple(table_rows)))


def _legend(labels: Sequence[str], baseline: Baseline | None, fmt: Formatter, kind: str) -> str:
    items = []
    for j, label in enumerate(labels):
        if kind == "line":
            swatch = (f'<line class="ch-line {_series_class(j)}" x1="0" x2="20" y1="5" y2="5">'
                      "</line>")
        else:
            swatch = f'<rect class="ch-bar {_series_class(j)}" x="0" y="0" width="20" height="10"></rect>'
        items.append(
            f'<li><svg class="ch-key" viewBox="0 0 20 10" aria-hidden="true" focusable="false">'
            f"{swatch}</svg>{escape(label)}</li>"
        )
    if baseline is not None and _finite(baseline.value):
        items.append(
            '<li><svg class="ch-key" viewBox="0 0 20 10" aria-hidden="true" focusable="false">'
            '<line class="ch-baseline ch-baseline-h" x1="0" x2="20" y1="5" y2="5"></line></svg>'
            f"{escape(baseline.label)}: <bdi>{escape(fmt(float(baseline.value)))}</bdi></li>"
        )
    if not items:
        return ""
    return f'<ul class="ch-legend-list">{"".join(items)}</ul>'


# --- Line and step charts --------------------------------------------------------------


def _nice_ticks(lo: float, hi: float, count: int = 4) -> list[float]:
    """Round tick values covering [lo, hi] (1, 2, 2.5 or 5 times a power of ten)."""
    span = hi - lo
    if span <= 0 or not math.isfinite(span):
        return [lo]
    raw = span / count
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.ceil(lo / step - 1e-9) * step
    ticks = []
    t = first
    while t <= hi + step * 1e-9 and len(ticks) < 50:
        ticks.append(round(t, 10))
        t += step
    return ticks


def _plot_svg(
    *,
    key: str,
    caption: str,
    rtl: bool,
    x_lo: float,
    x_hi: float,
    y_lo: float,
    y_hi: float,
    paths: Sequence[tuple[int, str]],
    x_ticks: Sequence[tuple[float, str]],
    y_ticks: Sequence[tuple[float, str]],
    baseline: Baseline | None,
    x_title: str | None,
) -> str:
    """The frame shared by line and survival charts: an outer SVG in CSS pixels with text
    at percentage x positions, and an inner 0–1000 plot box stretched to fit."""
    gutter, pad = 13.0, 3.0  # % of the width for the value axis, and the far side
    top, height = 12, LINE_HEIGHT
    x_title_h = 18 if x_title else 0
    total_h = top + height + 26 + x_title_h
    plot_x = pad if rtl else gutter
    plot_w = 100.0 - gutter - pad

    def sx(x: float) -> float:  # data -> plot box units
        frac = (_clamp(x, x_lo, x_hi) - x_lo) / ((x_hi - x_lo) or 1.0)
        return PLOT * (1 - frac if rtl else frac)

    def sy(y: float) -> float:
        frac = (_clamp(y, y_lo, y_hi) - y_lo) / ((y_hi - y_lo) or 1.0)
        return PLOT * (1 - frac)

    def pct_x(x: float) -> float:  # data -> % of the outer width
        return plot_x + plot_w * sx(x) / PLOT

    def px_y(y: float) -> float:
        return top + height * sy(y) / PLOT

    inner = []
    for y, _label in y_ticks:
        inner.append(
            f'<line class="ch-grid" x1="0" x2="{PLOT}" y1="{_f(sy(y))}" y2="{_f(sy(y))}" '
            f'vector-effect="non-scaling-stroke"></line>'
        )
    for tone, d in paths:
        inner.append(
            f'<path class="ch-line {_series_class(tone)}" d="{d}" '
            f'vector-effect="non-scaling-stroke"></path>'
        )
    if baseline is not None and _finite(baseline.value):
        by = sy(float(baseline.value))
        inner.append(
            f'<line class="ch-baseline ch-baseline-h" x1="0" x2="{PLOT}" y1="{_f(by)}" '
            f'y2="{_f(by)}" vector-effect="non-scaling-stroke"></line>'
        )
    outer = []
    # Value axis labels: beside the plot on the reading-start side, anchored at their end
    # (logical, so with direction="rtl" they extend to the right of the plot).
    label_x = gutter - 1.0 if not rtl else 100.0 - gutter + 1.0
    for y, label in y_ticks:
        outer.append(
            f'<text class="ch-tick" x="{_f(label_x)}%" y="{_f(px_y(y) + 4)}" '
            f'text-anchor="end">{escape(label)}</text>'
        )
    for x, label in x_ticks:
        # The outermost labels hang inwards so they are never cut off at the edges
        # (logical anchors: mirrored by direction="rtl" along with the axis).
        at_start = x <= x_lo and len(x_ticks) > 1
        at_end = x >= x_hi and len(x_ticks) > 1
        anchor = "start" if at_start else "end" if at_end else "middle"
        outer.append(
            f'<text class="ch-tick" x="{_f(pct_x(x))}%" y="{_f(top + height + 18)}" '
            f'text-anchor="{anchor}">{escape(label)}</text>'
        )
    if x_title:
        mid = plot_x + plot_w / 2
        outer.append(
            f'<text class="ch-axis-title" x="{_f(mid)}%" y="{_f(top + height + 38)}" '
            f'text-anchor="middle">{escape(x_title)}</text>'
        )
    direction = "rtl" if rtl else "ltr"
    return (
        f'<svg class="ch-plot" id="ch-{key}" width="100%" height="{total_h}" '
        f'role="img" aria-labelledby="ch-{key}-title" direction="{direction}" '
        f'focusable="false"><title id="ch-{key}-title">{escape(caption)}</title>'
        f'<svg class="ch-plotbox" x="{_f(plot_x)}%" y="{top}" width="{_f(plot_w)}%" '
        f'height="{height}" viewBox="0 0 {PLOT} {PLOT}" preserveAspectRatio="none" '
        f'overflow="visible"><rect class="ch-frame" x="0" y="0" width="{PLOT}" height="{PLOT}">'
        f'</rect>{"".join(inner)}</svg>{"".join(outer)}</svg>'
    )


def _thin(labels: Sequence[str], most: int = 6) -> list[int]:
    """Indices of the category labels to print so that at most ``most`` show, always
    including the last (the most recent month)."""
    n = len(labels)
    if n <= most:
        return list(range(n))
    step = math.ceil(n / most)
    keep = list(range(n - 1, -1, -step))
    return sorted(keep)


def line_chart(
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    key: str,
    caption: str,
    label_header: str,
    fmt: Formatter = number,
    domain: tuple[float, float] | None = None,
    step: bool = False,
    baseline: Baseline | None = None,
    rtl: bool | None = None,
    empty_text: str | None = None,
) -> Chart:
    """One line (or step line) per series over evenly spaced categories (months).

    A missing value breaks the line. The table has a row per category and a column
    per series.
    """
    key = _key(key)
    columns = [label_header, *[s.label for s in series]]
    finite = [float(v) for s in series for v in s.values[: len(x_labels)] if _finite(v)]
    if not x_labels or not series or not finite:
        return _empty(key, caption, columns, empty_text or _no_data())
    rtl = _rtl(rtl)
    if baseline is not None and _finite(baseline.value):
        finite.append(float(baseline.value))
    lo, hi = _domain(finite, domain)
    ticks = _nice_ticks(lo, hi)
    if domain is None and ticks:  # round the axis out to its ticks
        lo, hi = min(lo, ticks[0]), max(hi, ticks[-1])
    n = len(x_labels)
    x_lo, x_hi = (0.0, float(n - 1)) if n > 1 else (-0.5, 0.5)
    frac = PLOT / ((x_hi - x_lo) or 1.0)

    def sx(i: float) -> float:
        f = (i - x_lo) * frac
        return PLOT - f if rtl else f

    def sy(v: float) -> float:
        return PLOT * (1 - (_clamp(v, lo, hi) - lo) / (hi - lo))

    paths = []
    for j, s in enumerate(series):
        values = [s.values[i] if i < len(s.values) else None for i in range(n)]
        # Runs of consecutive known values; a missing value breaks the line.
        runs: list[list[int]] = []
        for i, v in enumerate(values):
            if not _finite(v):
                continue
            if runs and runs[-1][-1] == i - 1:
                runs[-1].append(i)
            else:
                runs.append([i])
        d = []
        for run in runs:
            x0, y0 = sx(run[0]), sy(float(values[run[0]]))
            if len(run) == 1:  # a lone value: a short level stroke centred on its month
                half = min(PLOT / max(n - 1, 1) / 4, 40.0) if n > 1 else PLOT / 2
                d.append(f"M{_f(max(x0 - half, 0))} {_f(y0)} H{_f(min(x0 + half, PLOT))}")
                continue
            d.append(f"M{_f(x0)} {_f(y0)}")
            for i in run[1:]:
                x, y = sx(i), sy(float(values[i]))
                d.append(f"H{_f(x)} V{_f(y)}" if step else f"L{_f(x)} {_f(y)}")
        if d:
            paths.append((j, " ".join(d)))
    x_ticks = [(float(i), x_labels[i]) for i in _thin(x_labels)]
    y_ticks = [(t, fmt(t)) for t in ticks]
    svg = _plot_svg(
        key=key, caption=caption, rtl=rtl, x_lo=x_lo, x_hi=x_hi, y_lo=lo, y_hi=hi,
        paths=paths, x_ticks=x_ticks, y_ticks=y_ticks, baseline=baseline,
        x_title=None,
    )
    rows = []
    for i, label in enumerate(x_labels):
        cells = []
        for s in series:
            v = s.values[i] if i < len(s.values) else None
            given = s.texts[i] if i < len(s.texts) else None
            cells.append(_text(v, given, fmt))
        rows.append((label, *cells))
    markup = mark_safe(  # noqa: S308 - escaped in _plot_svg and _legend
        f'<div class="ch ch-line-chart">{svg}'
        f"{_legend([s.label for s in series], baseline, fmt, kind='line')}</div>"
    )
    return Chart(key, markup, Table(caption, tuple(columns), tuple(rows)))


def survival_chart(
    curves: Sequence[Curve],
    *,
    key: str,
    caption: str,
    time_header: str,
    x_title: str,
    table_times: Sequence[float] = (4, 8, 12, 26, 52),
    time_fmt: Formatter = number,
    rising: bool = False,
    rtl: bool | None = None,
    empty_text: str | None = None,
) -> Chart:
    """Kaplan–Meier step curves S(t) from 100 % down, one per curve, on a shared time
    axis (weeks). The table gives S(t) of each curve at ``table_times`` that lie within
    the observed follow-up. With ``rising=True`` the curves show 1 − S(t), the share that
    has had the event by time t (e.g. "already has a durable tie"), rising from 0."""
    key = _key(key)
    columns = [time_header, *[c.label for c in curves]]
    drawable = [c for c in curves if c.times or c.until]
    if not curves or not drawable:
        return _empty(key, caption, columns, empty_text or _no_data())
    rtl = _rtl(rtl)
    ends = []
    for c in curves:
        ends.extend(float(t) for t in c.times if _finite(t))
        if _finite(c.until):
            ends.append(float(c.until))
    x_hi = max([1.0, *ends])
    x_lo = 0.0

    def sx(t: float) -> float:
        frac = (_clamp(t, x_lo, x_hi) - x_lo) / (x_hi - x_lo)
        return PLOT * (1 - frac if rtl else frac)

    def sy(s: float) -> float:
        shown = 1.0 - s if rising else s
        return PLOT * (1 - _clamp(shown, 0.0, 1.0))

    paths = []
    for j, c in enumerate(curves):
        pts = [(float(t), float(s)) for t, s in zip(c.times, c.survival, strict=False)
               if _finite(t) and _finite(s)]
        end = float(c.until) if _finite(c.until) else (pts[-1][0] if pts else 0.0)
        if not pts and end <= 0:
            continue
        d = [f"M{_f(sx(0))} {_f(sy(1.0))}"]
        for t, s in pts:
            d.append(f"H{_f(sx(t))} V{_f(sy(s))}")
        last_t = pts[-1][0] if pts else 0.0
        if end > last_t:
            d.append(f"H{_f(sx(end))}")
        paths.append((j, " ".join(d)))
    x_ticks = [(t, time_fmt(t)) for t in _nice_ticks(x_lo, x_hi, 5)]
    y_ticks = [(t, percent(t)) for t in (0.0, 0.25, 0.5, 0.75, 1.0)]
    svg = _plot_svg(
        key=key, caption=caption, rtl=rtl, x_lo=x_lo, x_hi=x_hi, y_lo=0.0, y_hi=1.0,
        paths=paths, x_ticks=x_ticks, y_ticks=y_ticks, baseline=None,
        x_title=x_title,
    )

    def s_at(c: Curve, t: float) -> str:
        follow = float(c.until) if _finite(c.until) else (c.times[-1] if c.times else 0.0)
        if t > follow:
            return "–"
        s = 1.0
        for ti, si in zip(c.times, c.survival, strict=False):
            if ti <= t:
                s = float(si)
        return percent(1.0 - s if rising else s)

    rows = [(time_fmt(t), *[s_at(c, float(t)) for c in curves]) for t in table_times]
    markup = mark_safe(  # noqa: S308 - escaped in _plot_svg and _legend
        f'<div class="ch ch-line-chart ch-survival">{svg}'
        f"{_legend([c.label for c in curves], None, percent, kind='line')}</div>"
    )
    return Chart(key, markup, Table(caption, tuple(columns), tuple(rows)))
