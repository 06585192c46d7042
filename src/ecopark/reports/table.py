"""The 对照考核表 (assessment table): the model every writer renders, and `write_table`.

The layout follows the appendix of a park's annual evaluation report (seed report, 附：对照考核表):
a title, a header block (园区名称 / 填报时间 / 数据基准年为YYYY年) and the columns
项目 | 序号 | 指标 | 单位 | 要求 | 是否为考核指标 | 数值, plus 复算值 | 核查结果 when a verification
is given. Every indicator has its base rows first, then its own row:

* base rows are the dataset inputs (item, year) its computation read (the trace's leaves, plus
  the inputs of a member left out of a mean, which print as "/"); without a trace, the items of
  its formula in the evaluation year (and the missing one). Label = the item's zh name, prefixed
  "规划基准年" for the base year and "YYYY年" for another year than the evaluation year; 要求 and
  是否为考核指标 are "-". Rows are grouped by item (in order of first use); within an item the
  years read other years, the evaluation year, then the base year (as the seed prints them).
* the indicator row: 要求 = the requirement text, 是否为考核指标 = 必选 / 是 / 否, 数值 = the value
  rounded to the indicator's decimals, the fact as text, or "/". With a verification 数值 is the
  value the park PRINTED (`dataset.reported`), 复算值 the recomputed value and 核查结果 the
  findings about that indicator.

项目 (category) cells span their category's rows and 序号 cells their indicator's rows;
`AssessmentTable.placed()` says where. Findings about no indicator become the table's notes.
"""

from __future__ import annotations

import dataclasses
import datetime
import importlib
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ecopark import units
from ecopark.errors import InputFileError
from ecopark.numbers import Printed, format_value, parse_printed

if TYPE_CHECKING:
    from ecopark.evaluate import Evaluation, IndicatorResult
    from ecopark.framework import Framework
    from ecopark.trace import Trace
    from ecopark.verify import Finding, Verification

__all__ = ["COLUMNS", "SUFFIXES", "VERIFY_COLUMNS", "AssessmentTable", "Placed", "Section",
           "Shown", "TableRow", "build_table", "write_table"]

COLUMNS = ("项目", "序号", "指标", "单位", "要求", "是否为考核指标", "数值")
VERIFY_COLUMNS = ("复算值", "核查结果")
SUFFIXES = (".xlsx", ".docx", ".html", ".csv")
DASH = "-"
ABSENT = "/"
_SEVERITY = {"error": "【错误】", "warning": "【警告】", "info": "【提示】"}
_COUNTS = ("[count]", "[person]")
_NAME = re.compile(r"[^\W\d]\w*")


@dataclasses.dataclass(frozen=True)
class Shown:
    """A value as the table shows it: its text, and the number behind it (None for a word, "/"
    or an empty cell) with the decimals it is shown with."""

    text: str
    number: float | None = None
    decimals: int = 0


@dataclasses.dataclass(frozen=True)
class TableRow:
    """One printed row: a base row (an input of the indicator) or the indicator's own row."""

    kind: Literal["base", "indicator"]
    category: str
    number: int
    label: str
    unit: str
    requirement: str
    assessed: str
    value: Shown
    recomputed: Shown | None = None
    findings: tuple[str, ...] = ()
    item: str | None = None
    year: int | None = None
    worst: str = ""  # the most severe finding's severity: error | warning | info | ""

    def cells(self, verified: bool) -> tuple[str, ...]:
        """The texts of the row's cells, one per column (category and number on every row)."""
        base = (self.category, str(self.number), self.label, self.unit, self.requirement,
                self.assessed, self.value.text)
        if not verified:
            return base
        recomputed = self.recomputed.text if self.recomputed else ""
        return (*base, recomputed, "\n".join(self.findings))


@dataclasses.dataclass(frozen=True)
class Section:
    """The rows of one category (项目), in indicator order."""

    category: str
    rows: tuple[TableRow, ...]


@dataclasses.dataclass(frozen=True)
class Placed:
    """A row with the vertical spans of its merged cells: `category_span` / `number_span` are
    the number of rows the 项目 / 序号 cell covers from this row, 0 when a cell above covers it."""

    row: TableRow
    category_span: int
    number_span: int


@dataclasses.dataclass(frozen=True)
class AssessmentTable:
    title: str
    park_name: str
    filled_on: datetime.date
    data_year: int
    base_year: int
    columns: tuple[str, ...]
    sections: tuple[Section, ...]
    notes: tuple[str, ...] = ()

    @property
    def verified(self) -> bool:
        return len(self.columns) > len(COLUMNS)

    @property
    def rows(self) -> tuple[TableRow, ...]:
        return tuple(row for section in self.sections for row in section.rows)

    @property
    def filled_on_text(self) -> str:
        day = self.filled_on
        return f"{day.year}年{day.month}月{day.day}日"

    @property
    def data_year_text(self) -> str:
        return f"数据基准年为{self.data_year}年"

    def placed(self) -> list[Placed]:
        """Every row in order, with the spans of its merged 项目 and 序号 cells."""
        out: list[Placed] = []
        for section in self.sections:
            for index, row in enumerate(section.rows):
                first_of_number = index == 0 or section.rows[index - 1].number != row.number
                span = sum(1 for r in section.rows if r.number == row.number)
                out.append(Placed(row, len(section.rows) if index == 0 else 0,
                                  span if first_of_number else 0))
        return out


# ------------------------------------------------------------------ building


def build_table(evaluation: Evaluation, verification: Verification | None = None, *,
                filled_on: datetime.date | None = None) -> AssessmentTable:
    """The 对照考核表 of `evaluation`; with `verification`, the printed values and findings."""
    framework, profile = evaluation.framework, evaluation.dataset.profile
    columns = COLUMNS + (VERIFY_COLUMNS if verification is not None else ())
    names = {c.id: c.name_zh for c in framework.spec.categories}
    sections: list[Section] = []
    for result in evaluation.results:
        rows = tuple(_indicator_rows(evaluation, result, names[result.indicator.category],
                                     verification))
        if sections and sections[-1].category == rows[0].category:
            sections[-1] = Section(rows[0].category, sections[-1].rows + rows)
        else:
            sections.append(Section(rows[0].category, rows))
    return AssessmentTable(_title(framework), profile.name, filled_on or datetime.date.today(),
                           evaluation.year, profile.base_year, columns, tuple(sections),
                           _notes(evaluation, verification))


def _title(framework: Framework) -> str:
    return framework.spec.name_zh.removesuffix("标准") + "对照考核表"


def _indicator_rows(ev: Evaluation, result: IndicatorResult, category: str,
                    verification: Verification | None) -> Iterator[TableRow]:
    for item, year in _inputs(ev, result):
        yield _base_row(ev, result.number, category, item, year, verification is not None)
    yield _own_row(ev, result, category, verification)


def _base_row(ev: Evaluation, number: int, category: str, item: str, year: int,
              verified: bool) -> TableRow:
    spec = ev.framework.spec.items[item]
    if year == ev.dataset.profile.base_year:
        label = f"规划基准年{spec.name_zh}"
    else:
        label = spec.name_zh if year == ev.year else f"{year}年{spec.name_zh}"
    return TableRow("base", category, number, label, _unit(spec.unit), DASH, DASH,
                    _observed(ev, item, year), Shown("") if verified else None, (), item, year)


def _own_row(ev: Evaluation, result: IndicatorResult, category: str,
             verification: Verification | None) -> TableRow:
    ind = result.indicator
    assessed = "必选" if ind.mandatory else \
        "是" if ind.number in ev.dataset.profile.selected else "否"
    computed = _value(ev.framework, result.number, result.value, ind.decimals)
    row = TableRow("indicator", category, ind.number, ind.name_zh, _unit(ind.unit),
                   ind.requirement.text_zh, assessed, computed)
    if verification is None:
        return row
    own = [f for f in verification.findings if f.number == ind.number]
    worst = next((s for s in _SEVERITY if any(f.severity == s for f in own)), "")
    return dataclasses.replace(row, value=_printed(ev, ind.number), recomputed=computed,
                               findings=_messages(verification.findings, ind.number),
                               worst=worst)


# ------------------------------------------------------------------ which inputs


def _inputs(ev: Evaluation, result: IndicatorResult) -> list[tuple[str, int]]:
    """The (item, year) base rows of one indicator, grouped by item, years in printed order."""
    if result.trace is None:
        pairs = [(item, ev.year) for item in ev.framework.items_of(result.number)]
        if result.missing is not None and result.missing[0] in ev.framework.spec.items:
            pairs.append(result.missing)
    else:
        pairs = _read(ev.framework, result.trace)
    if _reported_directly(ev, result, pairs):
        return []
    return _ordered(pairs, ev.year, ev.dataset.profile.base_year)


def _reported_directly(ev: Evaluation, result: IndicatorResult,
                       pairs: list[tuple[str, int]]) -> bool:
    """An indicator read from one item of its own unit (a rate or count the park reports
    directly) has no base rows of its own, as parks print it."""
    if len({item for item, _ in pairs}) != 1 or len(pairs) != 1:
        return False
    item = ev.framework.spec.items[pairs[0][0]]
    return pairs[0][1] == ev.year and units.pretty(item.unit) == units.pretty(result.indicator.unit)


def _read(framework: Framework, trace: Trace) -> list[tuple[str, int]]:
    """The items the computation read, and those of members left out of a mean (at every year
    the indicator read), in order of first use."""
    items = framework.spec.items
    found: list[tuple[str, int | None]] = []
    for node in _walk(trace):
        if node.item in items and node.year is not None and not node.children:
            found.append((node.item, node.year))
        elif node.value is None and node.note and not node.children:
            found += [(name, None) for name in _NAME.findall(node.label) if name in items]
    years = sorted({year for _, year in found if year is not None})
    return [(item, y) for item, year in found for y in ([year] if year is not None else years)]


def _walk(trace: Trace) -> Iterator[Trace]:
    yield trace
    for child in trace.children:
        yield from _walk(child)


def _ordered(pairs: list[tuple[str, int]], year: int, base_year: int) -> list[tuple[str, int]]:
    items = list(dict.fromkeys(item for item, _ in pairs))
    rank = {year: 1, base_year: 2}
    unique = set(pairs)
    return sorted(unique, key=lambda p: (items.index(p[0]), rank.get(p[1], 0), p[1]))


# ------------------------------------------------------------------ values


def _unit(unit: str) -> str:
    return DASH if unit in ("", "1", "-", "dimensionless") else units.pretty(unit)


def _observed(ev: Evaluation, item: str, year: int) -> Shown:
    obs = ev.dataset.values.get((item, year))
    if obs is None or obs.value is None:
        return Shown(ABSENT)
    if isinstance(obs.value, str):
        return Shown(_fact(ev.framework, item, obs.value))
    unit = ev.framework.spec.items[item].unit
    counted = str(units.parse_unit(unit).dimensionality) in _COUNTS
    return _number(obs.value, 0 if counted and obs.value.is_integer() else 2)


def _fact(framework: Framework, item: str, key: str) -> str:
    values = framework.spec.items[item].values or {}
    label = values.get(key)
    return label.zh if label is not None and label.zh else key


def _value(framework: Framework, number: int, value: object, decimals: int) -> Shown:
    if value is None:
        return Shown(ABSENT)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _number(float(value), decimals)
    facts = [item for item in framework.items_of(number) if framework.spec.items[item].values]
    return Shown(_fact(framework, facts[0], str(value)) if facts else format_value(value))


def _number(value: float, decimals: int) -> Shown:
    text = format_value(value, decimals)
    if float(text) == 0:
        text = text.lstrip("-")  # -0.00 prints as 0.00
    return Shown(text, float(text), decimals)


def _printed(ev: Evaluation, number: int) -> Shown:
    reported = ev.dataset.reported
    raw = None if reported is None else reported.indicators.get(number)
    if raw is None:
        return Shown("")
    printed: Printed = parse_printed(raw)
    return Shown(printed.text, printed.number, printed.decimals)


def _messages(findings: tuple[Finding, ...], number: int | None) -> tuple[str, ...]:
    return tuple(_SEVERITY[f.severity] + f.zh for f in findings if f.number == number)


def _notes(ev: Evaluation, verification: Verification | None) -> tuple[str, ...]:
    profile = ev.dataset.profile
    notes = [f"规划基准年为{profile.base_year}年。" + profile.base_year_note.strip()]
    if verification is None:
        return tuple(notes)
    if ev.dataset.reported is None:
        notes.append("数据集没有表中值（reported），无可核查。")
        return tuple(notes)
    counts = {s: sum(1 for f in verification.findings if f.severity == s) for s in _SEVERITY}
    notes.append(f"核查结果：错误 {counts['error']} 项，警告 {counts['warning']} 项，"
                 f"提示 {counts['info']} 项；“数值”为表中原值，“复算值”按表中基础数据复算。")
    return (*notes, *_messages(verification.findings, None))


# ------------------------------------------------------------------ writing


def write_table(table: AssessmentTable, path: Path) -> None:
    """Write `table` to `path` as .xlsx, .docx, .html or .csv, chosen by the suffix."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputFileError(str(path), f"不支持的表格格式 “{path.suffix}” unsupported table "
                             "format", f"请用 use {' / '.join(SUFFIXES)}")
    module = importlib.import_module(f"ecopark.reports.table_{suffix[1:]}")
    writer: Callable[[AssessmentTable, Path], None] = module.write
    try:
        writer(table, path)
    except OSError as exc:
        raise InputFileError(str(path), f"无法写入 cannot write: {exc.strerror or exc}",
                             "检查目录是否存在、文件是否正被 Excel/WPS 打开 check that the folder "
                             "exists and the file is not open in Excel/WPS") from None
