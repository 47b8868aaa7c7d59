"""The SVG chart builders: geometry, right-to-left mirroring, escaping, empty and huge data,
locale-aware numbers, and the data-table alternative."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from verbinding.insights import charts as c

SVG = "{http://www.w3.org/2000/svg}"


def parse(chart: c.Chart) -> ET.Element:
    """The markup must be well-formed (XML-parseable) so no label can break out of it."""
    return ET.fromstring(f"<root>{chart.markup}</root>")  # noqa: S314 - our own output


def rects(root: ET.Element, cls: str) -> list[ET.Element]:
    return [e for e in root.iter("rect") if cls in e.get("class", "").split()]


def lines(root: ET.Element, cls: str) -> list[ET.Element]:
    return [e for e in root.iter("line") if cls in e.get("class", "").split()]


def bars(values, **kwargs):
    return c.bar_chart(
        [c.Bar(f"g{i}", v) for i, v in enumerate(values)], key="t", caption="Caption",
        label_header="Group", value_header="Persons", **kwargs,
    )


def test_bars_are_proportional_to_the_largest_value_and_grow_from_the_left():
    root = parse(bars([10, 5, 0], rtl=False))
    got = [(float(r.get("x")), float(r.get("width"))) for r in rects(root, "ch-bar")]
    assert got == [(0, 1000), (0, 500), (0, 0)]


def test_in_right_to_left_bars_grow_from_the_right():
    root = parse(bars([10, 5, 0], rtl=True))
    got = [(float(r.get("x")), float(r.get("width"))) for r in rects(root, "ch-bar")]
    assert got == [(0, 1000), (500, 500), (1000, 0)]


def test_diverging_bars_start_at_zero_in_both_directions_and_mirror():
    ltr = parse(bars([-0.5, 0.5], domain=(-1, 1), rtl=False))
    assert [(float(r.get("x")), float(r.get("width"))) for r in rects(ltr, "ch-bar")] == [
        (250, 250), (500, 250)]
    assert float(lines(ltr, "ch-zero")[0].get("x1")) == 500
    rtl = parse(bars([-0.5, 0.5], domain=(-1, 1), rtl=True))
    # Negative values now lie right of zero: the reading direction is reversed.
    assert [(float(r.get("x")), float(r.get("width"))) for r in rects(rtl, "ch-bar")] == [
        (500, 250), (250, 250)]


def test_the_baseline_marker_sits_at_its_value_and_is_named_in_the_legend():
    chart = bars([4, 8], baseline=c.Baseline(2, "At random"), rtl=False)
    root = parse(chart)
    xs = {float(e.get("x1")) for e in lines(root, "ch-baseline") if e.get("y1") == "-10"}
    assert xs == {250}
    assert "At random: <bdi>2</bdi>" in chart.markup  # numbers isolated for RTL text
    rtl = parse(bars([4, 8], baseline=c.Baseline(2, "At random"), rtl=True))
    assert {float(e.get("x1")) for e in lines(rtl, "ch-baseline") if e.get("y1") == "-10"} == {750}


def test_per_bar_markers_fill_their_own_table_column():
    with translation.override("en"):
        chart = c.bar_chart(
            [c.Bar("A", 0.2, marker=-0.1), c.Bar("B", None, text="fewer than 5")],
            key="ei", caption="E-I", label_header="Group", value_header="E-I",
            marker_header="At random", domain=(-1, 1), fmt=c.signed, rtl=False,
        )
    root = parse(chart)
    assert float(lines(root, "ch-marker")[0].get("x1")) == 450
    assert chart.table.columns == ("Group", "E-I", "At random")
    assert chart.table.rows == (("A", "+0.20", "\u22120.10"), ("B", "fewer than 5", "–"))


def test_a_missing_value_draws_no_bar_and_prints_its_reason_instead():
    chart = c.bar_chart([c.Bar("Newcomers", None, text="fewer than 5"), c.Bar("Locals", 7)],
                        key="x", caption="C", label_header="G", value_header="V", rtl=False)
    root = parse(chart)
    assert len(rects(root, "ch-bar")) == 1
    assert "fewer than 5" in chart.markup
    assert "ch-missing" in chart.markup
    assert chart.table.rows == (("Newcomers", "fewer than 5"), ("Locals", "7"))


def test_hostile_labels_are_escaped_in_markup_and_kept_plain_in_the_table():
    evil = '<script>alert(1)</script>" onload="x'
    chart = c.bar_chart([c.Bar(evil, 3, text=evil)], key='"><svg onload=1>', caption=evil,
                        label_header=evil, value_header="V", rtl=False)
    assert "<script>" not in chart.markup
    assert 'onload="x' not in chart.markup
    root = parse(chart)  # still well-formed
    assert root.find(".//span").text == evil
    assert chart.table.rows[0][0] == evil
    assert re.fullmatch(r"[a-z0-9-]+", chart.key)
    line = c.line_chart(["<b>jan</b>"], [c.Series(evil, (1,))], key="l", caption=evil,
                        label_header="m", rtl=False)
    assert "<script>" not in line.markup and "<b>" not in line.markup
    parse(line)


def test_empty_data_renders_a_message_and_an_empty_table():
    for chart in (
        c.bar_chart([], key="a", caption="A", label_header="G", value_header="V"),
        c.grouped_bar_chart([], [c.Series("N", ())], key="b", caption="B", label_header="G"),
        c.line_chart(["jan"], [c.Series("N", (None,))], key="c", caption="C", label_header="M"),
        c.survival_chart([], key="d", caption="D", time_header="W", x_title="weeks"),
    ):
        assert chart.empty
        assert chart.table.rows == ()
        assert "ch-empty" in chart.markup
        parse(chart)


def test_huge_and_non_finite_values_stay_inside_the_box():
    chart = bars([10**15, 1, float("nan"), float("inf")], rtl=False)
    root = parse(chart)
    for r in rects(root, "ch-bar"):
        assert 0 <= float(r.get("x")) <= 1000
        assert 0 <= float(r.get("width")) <= 1000
        assert "e" not in r.get("width")  # never exponent notation in SVG numbers
    with translation.override("nl"):
        assert "1.000.000.000.000.000" in bars([10**15]).markup
    assert chart.table.rows[2][1] == "–"
    assert chart.table.rows[3][1] == "–"


def test_a_domain_clamps_values_outside_it():
    root = parse(bars([2.0], domain=(0, 1), rtl=False))
    assert float(rects(root, "ch-bar")[0].get("width")) == 1000


@pytest.mark.parametrize("lang,expected", [("nl", "1.234,5"), ("en", "1,234.5")])
def test_numbers_follow_the_active_locale(lang, expected):
    with translation.override(lang):
        assert c.number(1234.5, 1) == expected
        assert c.percent(0.125, 1) == expected.replace("1.234", "12").replace(
            "1,234", "12") + "%"
        chart = bars([1234.5], fmt=lambda x: c.number(x, 1))
        assert expected in chart.markup


def test_signed_values_show_their_sign():
    with translation.override("en"):
        assert c.signed(0.273) == "+0.27"
        assert c.signed(-0.16) == "\u22120.16"
        assert c.signed(0.0) == "0.00"
        assert c.signed(None) == "–"


def test_stacked_bars_add_up_and_mirror():
    series = [c.Series("New", (0.25, 0.5)), c.Series("Local", (0.75, None), (None, "fewer than 5"))]
    ltr = parse(c.grouped_bar_chart(["Jan", "Feb"], series, key="s", caption="S",
                                    label_header="Month", stacked=True, domain=(0, 1),
                                    fmt=c.percent, rtl=False))
    got = [(float(r.get("x")), float(r.get("width"))) for r in rects(ltr, "ch-bar")
           if r.get("height") == "100"]
    assert got == [(0, 250), (250, 750), (0, 500)]
    rtl = parse(c.grouped_bar_chart(["Jan", "Feb"], series, key="s", caption="S",
                                    label_header="Month", stacked=True, domain=(0, 1),
                                    fmt=c.percent, rtl=True))
    got = [(float(r.get("x")), float(r.get("width"))) for r in rects(rtl, "ch-bar")
           if r.get("height") == "100"]
    assert got == [(750, 250), (0, 750), (500, 500)]


def test_grouped_bars_give_each_series_its_own_band_and_table_column():
    chart = c.grouped_bar_chart(
        ["Hours attended", "Hours organised"],
        [c.Series("Newcomers", (30, 3)), c.Series("Locals", (60, None), (None, "fewer than 5"))],
        key="g", caption="G", label_header="What", rtl=False,
    )
    root = parse(chart)
    fills = [(float(r.get("y")), float(r.get("width"))) for r in rects(root, "ch-bar")
             if r.get("height") != "10"]
    assert fills == [(5, 500), (55, 1000), (5, 50)]
    assert chart.table.columns == ("What", "Newcomers", "Locals")
    assert chart.table.rows == (("Hours attended", "30", "60"),
                                ("Hours organised", "3", "fewer than 5"))


def _path_points(d: str) -> list[tuple[float, float]]:
    nums = [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", d)]
    return list(zip(nums[::2], nums[1::2], strict=False))


def test_a_line_chart_places_months_evenly_and_mirrors_time_in_rtl():
    series = [c.Series("Persons", (0, 5, 10))]
    ltr = c.line_chart(["jan", "feb", "mar"], series, key="r", caption="Reach",
                       label_header="Month", domain=(0, 10), rtl=False)
    d = next(e for e in parse(ltr).iter("path")).get("d")
    assert _path_points(d) == [(0, 1000), (500, 500), (1000, 0)]
    rtl = c.line_chart(["jan", "feb", "mar"], series, key="r", caption="Reach",
                       label_header="Month", domain=(0, 10), rtl=True)
    root = parse(rtl)
    d = next(e for e in root.iter("path")).get("d")
    assert _path_points(d) == [(1000, 1000), (500, 500), (0, 0)]
    outer = next(e for e in root.iter("svg") if "ch-plot" in e.get("class", "").split())
    assert outer.get("direction") == "rtl"
    inner = next(e for e in root.iter("svg") if e.get("class") == "ch-plotbox")
    assert inner.get("x") == "3%"  # the value axis gutter moved to the right
    jan = next(e for e in root.iter("text") if e.text == "jan")
    mar = next(e for e in root.iter("text") if e.text == "mar")
    assert float(jan.get("x").rstrip("%")) > float(mar.get("x").rstrip("%"))
    assert rtl.table.rows == (("jan", "0"), ("feb", "5"), ("mar", "10"))


def test_a_missing_month_breaks_the_line_and_a_lone_month_still_shows():
    chart = c.line_chart(["a", "b", "c", "d", "e"], [c.Series("x", (1, 2, None, 4, None))],
                         key="x", caption="X", label_header="M", domain=(0, 4), rtl=False)
    d = next(e for e in parse(chart).iter("path")).get("d")
    assert d.count("M") == 2  # two runs: a–b, and d alone
    assert "H" in d.split("M")[2]  # the lone value is a short level stroke


def test_a_step_line_moves_horizontally_then_vertically():
    chart = c.line_chart(["a", "b"], [c.Series("x", (1, 2))], key="x", caption="X",
                         label_header="M", domain=(0, 2), step=True, rtl=False)
    d = next(e for e in parse(chart).iter("path")).get("d")
    assert d == "M0 500 H1000 V0"


def test_line_chart_has_a_title_and_accessible_name():
    chart = c.line_chart(["a"], [c.Series("x", (1,))], key="reach", caption="Reach <per> month",
                         label_header="M")
    root = parse(chart)
    svg = next(e for e in root.iter("svg") if "ch-plot" in e.get("class", "").split())
    assert svg.get("role") == "img"
    title = svg.find("title")
    assert title.text == "Reach <per> month"
    assert svg.get("aria-labelledby") == title.get("id")


def test_many_months_show_at_most_six_axis_labels_including_the_latest():
    labels = [f"m{i}" for i in range(36)]
    chart = c.line_chart(labels, [c.Series("x", tuple(range(36)))], key="x", caption="X",
                         label_header="M")
    ticks = [e.text for e in parse(chart).iter("text") if e.text and e.text.startswith("m")]
    assert len(ticks) <= 6 and "m35" in ticks
    assert len(chart.table.rows) == 36  # the table keeps every month


def test_survival_curves_step_down_from_one_and_run_flat_to_their_follow_up():
    curve = c.Curve("Regular", (2.0, 4.0), (0.5, 0.25), until=8.0)
    chart = c.survival_chart([curve], key="km", caption="KM", time_header="Weeks",
                             x_title="weeks since first visit", table_times=(1, 2, 4, 8, 12),
                             rtl=False)
    d = next(e for e in parse(chart).iter("path")).get("d")
    assert d == "M0 0 H250 V500 H500 V750 H1000"
    with translation.override("en"):
        chart = c.survival_chart([curve], key="km", caption="KM", time_header="Weeks",
                                 x_title="w", table_times=(1, 2, 4, 8, 12), rtl=False)
    assert [row[1] for row in chart.table.rows] == ["100%", "50%", "25%", "25%", "–"]
    rtl = c.survival_chart([curve], key="km", caption="KM", time_header="Weeks", x_title="w",
                           rtl=True)
    d = next(e for e in parse(rtl).iter("path")).get("d")
    assert d == "M1000 0 H750 V500 H500 V750 H0"


def test_a_curve_without_events_is_a_flat_line_at_one_hundred_percent():
    chart = c.survival_chart([c.Curve("Project", (), (), until=6.0)], key="k", caption="K",
                             time_header="W", x_title="w", rtl=False)
    d = next(e for e in parse(chart).iter("path")).get("d")
    assert d == "M0 0 H1000"


def test_charts_use_classes_never_inline_styles_or_scripts():
    charts = [
        bars([1, 2], baseline=c.Baseline(1, "b")),
        c.grouped_bar_chart(["a"], [c.Series("x", (1,)), c.Series("y", (2,))], key="g",
                            caption="G", label_header="L"),
        c.line_chart(["a", "b"], [c.Series("x", (1, 2))], key="l", caption="L",
                     label_header="M", baseline=c.Baseline(1.5, "b")),
        c.survival_chart([c.Curve("x", (1.0,), (0.5,))], key="s", caption="S",
                         time_header="W", x_title="w"),
    ]
    for chart in charts:
        assert "style" not in chart.markup
        assert "<script" not in chart.markup
        assert " on" not in re.sub(r">[^<]*<", "><", chart.markup)  # no event attributes


def test_the_table_markup_escapes_every_cell_and_heads_rows_and_columns():
    table = c.Table("Cap <i>", ("Group", "<b>n</b>"), (("<script>x</script>", "5"),))
    html = c.table_markup(table)
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    root = ET.fromstring(html)  # noqa: S314 - our own output
    assert root.find("caption").text == "Cap <i>"
    assert [th.get("scope") for th in root.iter("th")] == ["col", "col", "row"]
    assert root.find("tbody/tr/th").text == "<script>x</script>"
    empty = c.table_markup(c.Table("C", ("a", "b"), ()), empty_text="nothing")
    assert 'colspan="2">nothing<' in empty
