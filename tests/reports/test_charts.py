"""The trend chart legible for 1 to 15 years: what is drawn, asserted on the drawn artists.

A chart of four indicators (small rates, hundreds of thousands of 万元, three-decimal
intensities, a requirement that changes and one that stops) for 1, 2, 5, 10 and 15 years: no two
visible texts overlap (titles, years, value labels, axis labels, legend), every text is inside
the picture, the requirement line is drawn even for one year, numbers carry thousands
separators and the indicator's decimals and never an exponent, the last year is always labelled.
"""

from __future__ import annotations

import itertools
import re

import pytest
from matplotlib.text import Text

from ecopark.reports import charts
from ecopark.reports.charts import TrendChart, TrendPanel

_SPECS = (("1 高新技术企业工业总产值占园区工业总产值比例", "%", 30.0, 1.03, (30.0,), 2),
          ("3 园区工业增加值三年年均增长率", "万元", 506666.67, 1.12, (15.0, 12.0), 2),
          ("11 单位工业增加值二氧化碳排放量年均削减率", "吨/万元", 0.054, 0.96, (0.5, None), 3),
          ("25 主要污染物排放弹性系数", "", 9070.0, 1.3, (0.3,), 2))


def chart(years: int) -> TrendChart:
    span = tuple(range(2019 - years, 2019))
    panels = []
    for title, unit, first, growth, limits, decimals in _SPECS:
        values = tuple(first * growth ** i for i in range(years))
        steps = tuple(limits[min(i * len(limits) // years, len(limits) - 1)]
                      for i in range(years))
        panels.append(TrendPanel(title, unit, span, values, steps, decimals))
    return TrendChart(tuple(panels), "指标值", "标准要求")


def visible_texts(figure: object) -> list[Text]:
    """The texts drawn: each panel's titles, axis labels, value labels and the tick labels of
    ticks inside its view, and the legend's."""
    found: list[Text] = []
    for ax in figure.axes:  # type: ignore[attr-defined]
        found += [ax.title, ax._left_title, ax.xaxis.label, ax.yaxis.label, *ax.texts]
        for axis, (low, high) in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
            found += [tick.label1 for tick in axis.get_major_ticks()
                      if low <= tick.get_loc() <= high]
    for legend in figure.legends:  # type: ignore[attr-defined]
        found += legend.get_texts()
    return [t for t in found if t.get_visible() and t.get_text().strip()]


@pytest.fixture(scope="module", params=[1, 2, 5, 10, 15])
def drawn(request: pytest.FixtureRequest) -> tuple[int, object]:
    return request.param, charts.drawn(chart(request.param))


def test_no_two_texts_overlap_and_all_are_inside(drawn: tuple[int, object]) -> None:
    _, figure = drawn
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in visible_texts(figure)]
    page = figure.bbox  # type: ignore[attr-defined]
    outside = [text for text, box in boxes if box.x0 < page.x0 - 0.5 or box.x1 > page.x1 + 0.5
               or box.y0 < page.y0 - 0.5 or box.y1 > page.y1 + 0.5]
    assert outside == []
    overlapping = [(a, b) for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2)
                   if box_a.overlaps(box_b)]
    assert overlapping == []


def test_the_requirement_line_is_drawn_for_every_number_of_years(
        drawn: tuple[int, object]) -> None:
    years, figure = drawn
    first = min(range(2019 - years, 2019))
    for ax in figure.axes:  # type: ignore[attr-defined]
        lines = [line for line in ax.get_lines() if line.get_gid() == "requirement"]
        assert len(lines) == 1
        xs = [x for x in lines[0].get_xdata() if x == x]
        assert min(xs) == first - 0.5  # across the first year's whole width, one year too
    # the requirement of panel 3 changes from 15 to 12 half-way (a step), panel 11's stops
    ys = {y for y in figure.axes[1].get_lines()[1].get_ydata()}  # type: ignore[attr-defined]
    assert ys == ({15.0} if years == 1 else {15.0, 12.0})


def test_numbers_are_formatted(drawn: tuple[int, object]) -> None:
    years, figure = drawn
    words = [t.get_text() for t in visible_texts(figure)]
    assert not [w for w in words if re.search(r"\de[+-]?\d|\d\.\d{4,}", w)]
    values = {t.get_text() for ax in figure.axes for t in ax.texts  # type: ignore[attr-defined]
              if t.get_visible()}
    last = years - 1
    assert f"{506666.67 * 1.12 ** last:,.2f}" in values  # the last year's label, separators
    assert f"{0.054 * 0.96 ** last:.3f}" in values  # the indicator's three decimals
    ticks = {t.get_text() for t in figure.axes[1].get_yticklabels()}  # type: ignore[attr-defined]
    assert "200,000" in ticks or "500,000" in ticks or "1,000,000" in ticks
    for ax in figure.axes:  # type: ignore[attr-defined]
        assert ax.yaxis.get_offset_text().get_text() == ""


@pytest.mark.parametrize(("years", "columns", "labelled"),
                         [(1, 3, 1), (2, 3, 2), (5, 3, 3), (10, 2, 5), (15, 1, 8)])
def test_room_grows_with_the_years_and_years_are_thinned(years: int, columns: int,
                                                         labelled: int) -> None:
    figure = charts.drawn(chart(years))
    bottoms = [round(ax.get_position().y0, 3) for ax in figure.axes]
    assert bottoms.count(bottoms[0]) == columns  # panels in the first row
    first = figure.axes[0]
    names = [t.get_text() for t in first.get_xticklabels()]
    assert len(names) == years and names[-1] == "2018"
    assert sum(1 for name in names if name) == labelled


def test_a_category_with_many_long_series_is_split_into_figures_a_page_holds() -> None:
    from ecopark.reports.narrative import _trend_figures

    panels = chart(15).panels * 2  # eight indicators of fifteen years: one a row, three a figure
    figures = list(_trend_figures(panels, "资源节约", "zh"))
    assert [len(f.chart.panels) for f in figures] == [3, 3, 2]  # type: ignore[union-attr]
    assert [f.caption for f in figures] == ["资源节约类指标历年变化（虚线为标准要求）"] + \
        ["资源节约类指标历年变化（续）（虚线为标准要求）"] * 2
    png = charts.render(figures[0].chart)
    height = int.from_bytes(png[20:24], "big") / charts.DPI
    assert height == pytest.approx(0.35 + 3 * 2.2)
