"""The report's charts as data (frozen dataclasses) and their rendering to PNG (matplotlib, Agg).

Three charts, each built by `ecopark.reports.narrative` and drawn by `render`:

* `TrendChart`: one panel per numeric indicator, the values as a line and the requirement that
  applied each year as a dashed step line across each year's width (so it shows for one year
  too); the panels get wider as the years grow (3, 2 or 1 a row), the years are labelled every
  k-th when they would touch, and a value label is drawn only where it overlaps no other text
  nor a line (`ecopark.reports.chart_labels`, measured with the renderer; the panels are placed
  by rule, so what is measured is what is drawn);
* `VerdictChart`: per category, how many indicators are met / not met / missing / not evaluable,
  as stacked horizontal bars;
* `MarginChart`: each numeric indicator's margin over its requirement, direction-aware
  (`margin`), as horizontal bars: 0 is the requirement, right of it is met, left of it is not.

matplotlib is imported only when a chart is drawn. Text needs a CJK font: `cjk_font()` finds
Noto Sans CJK SC (or another CJK font) in matplotlib's font list and raises `InputFileError`
saying how to install one when there is none, so no chart is ever drawn with empty boxes.
Numbers are written with thousands separators and the indicator's decimals (labels) or as few
decimals as needed (axes), never with an exponent or an offset.
PNGs are 200 dpi and deterministic: the same chart gives the same bytes (fixed metadata).
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import math
import re
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ecopark.core.errors import InputFileError
from ecopark.reports.chart_labels import settle
from ecopark.reports.wording import number, plain

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "PREFERRED_FONTS",
    "TREND_ROWS",
    "Chart",
    "ComparisonChart",
    "MarginBar",
    "MarginChart",
    "TrendChart",
    "TrendPanel",
    "VerdictChart",
    "cjk_font",
    "drawn",
    "margin",
    "render",
    "trend_columns",
]

DPI = 200
WIDTH_IN = 6.3  # 16 cm: the text width of an A4 portrait page
PREFERRED_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "Noto Sans SC",
                   "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei",
                   "PingFang SC", "Heiti SC", "Noto Serif CJK SC", "Source Han Serif SC",
                   "Droid Sans Fallback")
_CJK_FILE = re.compile(r"cjk|sourcehan|wqy|wenquanyi|simhei|simsun|msyh|pingfang|droidsansfallback",
                       re.IGNORECASE)
_METADATA = {"Software": "ecopark"}
_LINE = "#1F4E79"
_REQUIREMENT = "#C00000"
_MET = "#548235"
_NOT_MET = "#C00000"
STATUS_COLOURS = ("#548235", "#C00000", "#A6A6A6", "#ED7D31")  # met, not met, missing, not evaluable
_ROW_IN, _LEGEND_IN = 2.2, 0.35  # a row of trend panels, the legend below them
TREND_ROWS = 3  # rows of trend panels in one figure: 7.2 in high, a page holds it with its caption
_CLIP = (-150.0, 250.0)  # margin axis limits in %; longer bars are cut and labelled
# matplotlib is not thread-safe and its settings (rcParams, which `rc_context` changes and then
# restores) are one per process: the server's worker threads draw one chart at a time, or a
# chart drawn while another thread leaves its `rc_context` loses its CJK font (empty boxes)
_DRAWING = threading.Lock()


# ------------------------------------------------------------------ the charts as data


@dataclasses.dataclass(frozen=True)
class TrendPanel:
    """One indicator over the years: `thresholds[i]` is the requirement's number in `years[i]`
    (None where no number applied)."""

    title: str
    unit: str
    years: tuple[int, ...]
    values: tuple[float, ...]
    thresholds: tuple[float | None, ...]
    decimals: int = 2


@dataclasses.dataclass(frozen=True)
class TrendChart:
    panels: tuple[TrendPanel, ...]
    value_label: str  # legend: "指标值" / "value"
    requirement_label: str  # legend: "要求" / "requirement"


@dataclasses.dataclass(frozen=True)
class VerdictChart:
    categories: tuple[str, ...]
    statuses: tuple[str, ...]  # the status names, in the order of each row of `counts`
    counts: tuple[tuple[int, ...], ...]  # one row per category
    axis_label: str


@dataclasses.dataclass(frozen=True)
class MarginBar:
    label: str
    margin: float  # in %: (value − requirement) / |requirement|, sign flipped for "≤"
    met: bool


@dataclasses.dataclass(frozen=True)
class MarginChart:
    bars: tuple[MarginBar, ...]
    axis_label: str
    met_label: str
    not_met_label: str


@dataclasses.dataclass(frozen=True)
class ComparisonChart:
    """Parks side by side: one row per indicator, one column per park; each cell coloured by
    status (an index into `statuses`) and labelled with the value."""

    parks: tuple[str, ...]
    rows: tuple[str, ...]
    statuses: tuple[str, ...]
    cells: tuple[tuple[tuple[int, str], ...], ...]  # per row, per park: (status index, text)


Chart = TrendChart | VerdictChart | MarginChart | ComparisonChart


def margin(value: float, op: str, threshold: float) -> float | None:
    """How far `value` is past the requirement `op threshold`, in % of the threshold: positive
    on the passing side, negative on the failing side (None for a zero threshold or "==")."""
    if threshold == 0 or op not in (">=", ">", "<=", "<"):
        return None
    sign = 1.0 if op in (">=", ">") else -1.0
    return 100.0 * sign * (value - threshold) / abs(threshold)


# ------------------------------------------------------------------ the font


def cjk_font() -> str:
    """The family name of a CJK font matplotlib can use (preferring Noto Sans CJK SC)."""
    from matplotlib import font_manager

    found = _known_cjk(font_manager.fontManager.ttflist)
    if found is None:  # installed after matplotlib's font cache was built
        for path in font_manager.findSystemFonts():
            if _CJK_FILE.search(Path(path).name):
                font_manager.fontManager.addfont(path)
        found = _known_cjk(font_manager.fontManager.ttflist)
    if found is None:
        raise InputFileError(
            "(CJK font)", "找不到中文字体，无法绘制图表（否则中文会显示为方框） no CJK font found: "
            "the charts' Chinese text would print as empty boxes",
            "安装 Noto CJK 字体 install the Noto CJK fonts: sudo apt-get install fonts-noto-cjk "
            "(Debian/Ubuntu, or scripts/system-deps)")
    return found


def _known_cjk(fonts: list[Any]) -> str | None:
    names = {font.name for font in fonts}
    for name in PREFERRED_FONTS:
        if name in names:
            return name
    return next((name for name in sorted(names) if "CJK" in name), None)


# ------------------------------------------------------------------ rendering


def render(chart: Chart) -> bytes:
    """The chart as PNG bytes (200 dpi, deterministic); one chart at a time in the process."""
    with _drawing():
        return _png(_draw(chart))


def drawn(chart: Chart) -> Figure:
    """The chart as a laid-out matplotlib figure, drawn once (its texts where they are placed):
    what `render` turns into PNG, for looking at what is drawn."""
    with _drawing():
        figure = _draw(chart)
        figure.canvas.draw()
        return figure


@contextlib.contextmanager
def _drawing() -> Iterator[None]:
    from matplotlib import rc_context

    with _DRAWING, rc_context({"font.family": [cjk_font(), "sans-serif"], "font.size": 8.5,
                               "axes.unicode_minus": False, "axes.spines.top": False,
                               "axes.spines.right": False, "axes.titlesize": 9,
                               "legend.fontsize": 8, "legend.frameon": False}):
        yield


def _draw(chart: Chart) -> Figure:
    if isinstance(chart, TrendChart):
        return _trend(chart)
    if isinstance(chart, VerdictChart):
        return _verdict(chart)
    if isinstance(chart, ComparisonChart):
        return _comparison(chart)
    return _margins(chart)


def _figure(height_in: float, width_in: float = WIDTH_IN,
            layout: Literal["constrained"] | None = "constrained") -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width_in, height_in), dpi=DPI, layout=layout)
    FigureCanvasAgg(figure)
    return figure


def _png(figure: Figure) -> bytes:
    """PNG at zlib level 1: 7 % larger than the default 6 and 15 % less time per chart."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata=_METADATA, facecolor="white",
                   pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def _wrap(text: str, width: int) -> str:
    """Wrap a label to `width` Chinese characters (a Latin letter or digit counts half): Latin
    text at spaces, Chinese text (no spaces) between any two characters."""
    if not re.search(r"[\u3000-\u9fff\uff00-\uffef]", text):
        return "\n".join(textwrap.wrap(text, width * 2))
    lines, line, used = [], "", 0.0
    for char in text:
        size = 1.0 if ord(char) >= 0x3000 else 0.5
        if used + size > width and line.strip():
            lines.append(line.rstrip())
            line, used = "", 0.0
        if line or char != " ":
            line, used = line + char, used + size
    return "\n".join([*lines, line])


# ------------------------------------------------------------------ trend


def _trend(chart: TrendChart) -> Figure:
    """One panel per indicator; the room grows with the years: three panels a row for up to 5
    years, two for up to 10, one (the full text width) beyond. The panels are placed by rule
    (no layout engine: it measured every text of the figure twice, half the drawing time)."""
    years = max(len(panel.years) for panel in chart.panels)
    columns = min(trend_columns(years), len(chart.panels))
    rows = -(-len(chart.panels) // columns)
    width = (3.4, 5.2, WIDTH_IN)[columns - 1] if years <= 5 else WIDTH_IN
    figure = _figure(_LEGEND_IN + _ROW_IN * rows, width, layout=None)
    cell = width / columns
    for index, panel in enumerate(chart.panels):
        row, column = divmod(index, columns)
        left = _value_axis_in(panel)
        title = _wrap(panel.title, int((cell - left - 0.1) * 72 / 9))  # 9 pt characters
        top = (rows - row) * _ROW_IN + _LEGEND_IN - 0.1 - 0.17 * (title.count("\n") + 1)
        ax = figure.add_axes((_share(column * cell + left, width),
                              _share((rows - row - 1) * _ROW_IN + _LEGEND_IN + 0.35,
                                     figure.get_figheight()),
                              _share(cell - left - 0.15, width),
                              _share(top - (rows - row - 1) * _ROW_IN - _LEGEND_IN - 0.35,
                                     figure.get_figheight())))
        _trend_panel(ax, panel, chart, title)
    first = figure.axes[0]
    figure.legend(*first.get_legend_handles_labels(), loc="lower center", ncols=2)
    settle(figure, figure.axes)
    return figure


def _share(inches: float, whole: float) -> float:
    return inches / whole


def _value_axis_in(panel: TrendPanel) -> float:
    """Room for the value axis in inches: its unit (rotated) and its longest tick label, taken
    as the largest number drawn plus 30 % in digits and separators of 8.5 pt."""
    numbers = [abs(v) for v in (*panel.values, *panel.thresholds) if v is not None]
    largest = max(numbers, default=1.0) * 1.3
    chars = len(f"{largest:,.0f}") + (3 if largest < 100 else 0) + 1
    return (chars * 4.6 + 8 + (16 if panel.unit else 4)) / 72


def trend_columns(years: int) -> int:
    """Trend panels a row for this many years: 3 up to 5 years, 2 up to 10, 1 beyond."""
    return 3 if years <= 5 else 2 if years <= 10 else 1


def _trend_panel(ax: Axes, panel: TrendPanel, chart: TrendChart, title: str) -> None:
    from matplotlib.ticker import FuncFormatter

    ax.plot(panel.years, panel.values, marker="o", color=_LINE, linewidth=1.6, markersize=4,
            label=chart.value_label)
    for year, value in zip(panel.years, panel.values, strict=True):
        ax.annotate(number(value, panel.decimals), (year, value), textcoords="offset points",
                    xytext=(0, 5), ha="center", fontsize=7, color=_LINE, gid="value")
    steps = _requirement_steps(panel)
    if steps[0]:
        ax.plot(*steps, color=_REQUIREMENT, linestyle="--", linewidth=1.1,
                label=chart.requirement_label, gid="requirement")
    ax.set_title(title, loc="left")
    ax.set_xticks(panel.years, [str(y) for y in panel.years])
    ax.set_xlim(min(panel.years) - 0.5, max(panel.years) + 0.5)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: plain(value)))
    ax.set_ylabel(panel.unit)
    ax.margins(y=0.3)
    ax.grid(axis="y", color="#D9D9D9", linewidth=0.6)


def _requirement_steps(panel: TrendPanel) -> tuple[list[float], list[float]]:
    """The requirement as a step line across each year's whole width (year ± 0.5), so one year
    draws a visible segment and a changed requirement steps at the year boundary; a year
    without a number breaks the line."""
    xs: list[float] = []
    ys: list[float] = []
    for year, limit in zip(panel.years, panel.thresholds, strict=True):
        if limit is None:
            if xs and not math.isnan(xs[-1]):
                xs.append(float("nan"))
                ys.append(float("nan"))
            continue
        xs += [year - 0.5, year + 0.5]
        ys += [limit, limit]
    return xs, ys


# ------------------------------------------------------------------ verdict summary


def _verdict(chart: VerdictChart) -> Figure:
    from matplotlib.ticker import MaxNLocator

    figure = _figure(0.8 + 0.36 * len(chart.categories))
    ax = figure.subplots()
    positions = list(range(len(chart.categories)))[::-1]
    left = [0] * len(chart.categories)
    for column, (status, colour) in enumerate(zip(chart.statuses, STATUS_COLOURS, strict=False)):
        widths = [row[column] for row in chart.counts]
        ax.barh(positions, widths, left=left, color=colour, height=0.62, label=status,
                edgecolor="white", linewidth=0.8)
        for y, x0, width in zip(positions, left, widths, strict=True):
            if width:
                ax.text(x0 + width / 2, y, str(width), ha="center", va="center", color="white",
                        fontsize=8, fontweight="bold")
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.set_yticks(positions, chart.categories)
    ax.set_xlabel(chart.axis_label)
    ax.set_xlim(0, max(left) + 0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    figure.legend(*ax.get_legend_handles_labels(), loc="outside lower center",
                  ncols=len(chart.statuses))
    return figure


# ------------------------------------------------------------------ margins


def _margins(chart: MarginChart) -> Figure:
    bars = sorted(chart.bars, key=lambda b: b.margin)
    figure = _figure(0.9 + 0.27 * len(bars))
    ax = figure.subplots()
    positions = list(range(len(bars)))
    shown = [min(max(b.margin, _CLIP[0]), _CLIP[1]) for b in bars]
    colours = [_MET if b.met else _NOT_MET for b in bars]
    ax.barh(positions, shown, color=colours, height=0.64)
    for y, bar, width in zip(positions, bars, shown, strict=True):
        cut = "»" if bar.margin > _CLIP[1] else "«" if bar.margin < _CLIP[0] else ""
        align = "left" if width >= 0 else "right"
        ax.text(width + (4 if width >= 0 else -4), y, f"{bar.margin:+.0f}%{cut}", va="center",
                ha=align, fontsize=7.5)
    ax.axvline(0, color="black", linewidth=0.9)
    ax.axvline(10, color="#7F7F7F", linewidth=0.7, linestyle=":")
    ax.set_yticks(positions, [_wrap(b.label, 24) for b in bars], fontsize=7.5)
    ax.set_xlim(_CLIP[0] - 75, _CLIP[1] + 60)
    ax.set_xlabel(chart.axis_label)
    ax.grid(axis="x", color="#E7E6E6", linewidth=0.6)
    ax.set_axisbelow(True)
    from matplotlib.patches import Patch

    figure.legend([Patch(color=_MET), Patch(color=_NOT_MET)], [chart.met_label,
                  chart.not_met_label], loc="outside lower center", ncols=2)
    return figure


# ------------------------------------------------------------------ parks compared


def _comparison(chart: ComparisonChart) -> Figure:
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    columns = len(chart.parks)
    figure = _figure(1.2 + 0.22 * len(chart.rows), min(WIDTH_IN * 1.6, 3.2 + 1.3 * columns))
    ax = figure.subplots()
    grid = [[status for status, _ in row] for row in chart.cells]
    colours = (*STATUS_COLOURS, "#E7E6E6")[:len(chart.statuses)]
    palette = ListedColormap(colours)
    ax.imshow(grid, cmap=palette, vmin=0, vmax=len(chart.statuses) - 1, aspect="auto")
    for y, row in enumerate(chart.cells):
        for x, (_, text) in enumerate(row):
            ax.text(x, y, text, ha="center", va="center", color="white", fontsize=6.5)
    ax.set_xticks(range(columns), ["\n".join(_wrap(line, 10) for line in p.split("\n"))
                                   for p in chart.parks], fontsize=7.5)
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(chart.rows)), [_wrap(r, 26) for r in chart.rows], fontsize=6.5)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    handles = [Patch(color=c) for c in colours]
    figure.legend(handles, chart.statuses, loc="outside lower center", ncols=len(chart.statuses))
    return figure
