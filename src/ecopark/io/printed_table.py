"""Reading a park's printed 对照考核表 back from Word (.docx) or Excel (.xlsx) into a Dataset.

    dataset = read_printed_table(Path("report.docx"), load_framework("hj274-2015"))
    findings = verify(evaluate(framework, dataset)).findings

1. Every table of the document becomes a grid of cell texts: in Word all tables, nested ones
   too, numbered 表格1, 表格2 … in document order; in Excel each sheet's used range. A merged
   cell counts once in its row (for its first column); a cell merged down repeats in every row
   it covers. Excel numbers are read as displayed (by their number format), so 7.90 keeps its
   two printed decimals.
2. Each grid's header row (序号 / 指标 / 单位 / 要求 / 是否为考核指标 / 数值, any wording close to
   these) is looked for among its first rows. Every row below it is mapped by its name —
   normalised (NFKC, no spaces, case-folded), matched exactly against indicator names and item
   names / aliases / English names, else by difflib ratio — either to an indicator (its printed
   value, whether 是否为考核指标 = 是) or to a base row of an item. A base row's year is its
   prefix: 规划基准年 → the planning base year, "2015年" → 2015, none → the evaluation year.
   Its unit is the 单位 cell, converted by the dataset machinery.
3. The grid that maps the most indicators is the 对照考核表; fewer than half → no table.
4. The evaluation year is "数据基准年为YYYY年" in the document, else the `year` argument. The
   planning base year, unless given or printed in a row, is inferred: of year−25 … year−1, the
   latest year with which the rows reproduce the most printed values that depend on the base
   year (the elasticities of HJ 274), each within its printed precision.
5. The rows become a `DatasetFile` (observations with source "对照考核表 第R行"; the printed
   values and base rows in `reported`), validated by `build_dataset`. An indicator computed from
   one directly reported item (绿化覆盖率, 达标情况 …) gets its printed value as that item's
   observation. Every problem names file, table or sheet, cell and a fix; all are raised at once.
"""

from __future__ import annotations

import dataclasses
import decimal
import difflib
import importlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, cast

import docx
import python_calamine
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.oxml.text.paragraph import CT_P
from docx.table import Table
from docx.text.paragraph import Paragraph

from ecopark import units
from ecopark.dataset import (
    Dataset,
    DatasetFile,
    Park,
    Reported,
    ReportedRow,
    Series,
    ValueEntry,
    build_dataset,
)
from ecopark.errors import DatasetError, UnitError, WorkbookError, WorkbookProblems
from ecopark.evaluate import evaluate_indicator
from ecopark.formula.syntax import Call, Name, parse
from ecopark.framework import Framework
from ecopark.io.guard import inspect
from ecopark.numbers import ABSENT, parse_printed, within_precision

__all__ = ["read_printed_table"]

HEADER_ROWS = 15  # the header row is looked for among a grid's first rows
INFERENCE_SPAN = 25  # candidate planning base years: year − 25 … year − 1
_NO_TABLE = "未找到对照考核表 no assessment table found"
_ROLES: dict[str, tuple[str, ...]] = {
    "number": ("序号", "编号", "序", "no", "no."),
    "name": ("指标", "指标名称", "名称", "指标项", "考核指标", "数据项", "indicator"),
    "unit": ("单位", "计量单位", "unit"),
    "requirement": ("要求", "指标要求", "标准值", "考核要求", "目标值", "标准要求", "requirement"),
    "selected": ("是否为考核指标", "是否考核指标", "是否考核", "是否选择", "assessed"),
    "value": ("数值", "现状值", "实际值", "完成值", "指标值", "报告值", "value"),
    "other": ("项目", "类别", "分类", "复算值", "核查结果", "是否达标", "达标情况", "备注", "来源"),
}
_YES = frozenset({"是", "√", "✓", "✔", "y", "yes", "true"})
_DATA_YEAR = re.compile(r"数据基准年\s*(?:为|是|:)?\s*((?:19|20)\d{2})")
_PARK = re.compile(r"园区名称\s*:\s*(.*)")
_BASE = re.compile(r"\(?(?:规划)?基准年(?:\(?(\d{4})年?\)?)?\)?")
_LEAD_YEAR = re.compile(r"^((?:19|20)\d{2})年度?")
_TAIL_YEAR = re.compile(r"\(((?:19|20)\d{2})年?\)$")
_NUMBER_UNIT = re.compile(r"([+-]?[\d.,]+)\s*([^\d\s%].*)")


def _norm(text: str) -> str:
    """A name as compared: NFKC (full-width → ASCII), case-folded, without any whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).casefold())


def _clean(text: str) -> str:
    """A cell as printed, tidied: NFKC and without surrounding spaces ("100.00 " → "100.00")."""
    return unicodedata.normalize("NFKC", text).strip()


# ------------------------------------------------------------------------------ grids


@dataclasses.dataclass(frozen=True)
class _Grid:
    """One table as cell texts: `where` is "表格N" (Word) or the sheet name (Excel)."""

    where: str
    rows: list[list[str]]
    excel: bool = False

    def text(self, row: int, column: int | None) -> str:
        if column is None or row >= len(self.rows) or column >= len(self.rows[row]):
            return ""
        return self.rows[row][column]

    def ref(self, row: int, column: int | None) -> str:
        if column is None:
            return f"第{row + 1}行"
        if not self.excel:
            return f"第{row + 1}行第{column + 1}列"
        letters, rest = "", column + 1
        while rest:
            rest, digit = divmod(rest - 1, 26)
            letters = chr(ord("A") + digit) + letters
        return f"{letters}{row + 1}"


def _word(path: Path) -> tuple[list[_Grid], list[str]]:
    try:
        document = docx.Document(str(path))
        body = document.element.body
        grids = [_Grid(f"表格{n}", _word_rows(Table(cast(CT_Tbl, tbl), document)))
                 for n, tbl in enumerate(body.iter(qn("w:tbl")), start=1)]
        texts = [Paragraph(cast(CT_P, p), document).text for p in body.iter(qn("w:p"))]
    except (PackageNotFoundError, SyntaxError, KeyError, ValueError, IndexError) as exc:
        raise WorkbookError(str(path), "", "", f"无法读取 Word 文件 cannot read the Word file ({exc})",
                            "用 Word/WPS 打开后另存为 .docx save it again as .docx") from None
    return grids, texts


def _word_rows(table: Table) -> list[list[str]]:
    rows = []
    for row in table.rows:
        texts = [""] * row.grid_cols_before
        previous = None
        for cell in row.cells:  # a cell spanning columns is the same object: read it once
            texts.append("" if cell is previous else cell.text)
            previous = cell
        rows.append(texts)
    return rows


def _excel(path: Path) -> tuple[list[_Grid], list[str]]:
    try:
        formats = _number_formats(path)
        with python_calamine.load_workbook(str(path)) as book:
            grids = [_sheet_grid(book.get_sheet_by_name(sheet.name), formats.get(sheet.name, {}))
                     for sheet in book.sheets_metadata
                     if sheet.typ == python_calamine.SheetTypeEnum.WorkSheet]
    except (python_calamine.CalamineError, KeyError, ValueError, TypeError, OSError) as exc:
        raise WorkbookError(str(path), "", "", f"无法读取工作簿 cannot read the workbook ({exc})",
                            "用 Excel/WPS 打开后另存为 .xlsx save it again as .xlsx") from None
    return grids, [text for grid in grids for row in grid.rows for text in row if text]


def _sheet_grid(sheet: python_calamine.CalamineSheet, formats: dict[tuple[int, int], str]) -> _Grid:
    rows = [[_shown(value, formats.get((r, c), "General")) for c, value in enumerate(row)]
            for r, row in enumerate(sheet.to_python(skip_empty_area=False))]
    _unmerge(rows, sheet.merged_cell_ranges or [])
    return _Grid(sheet.name, rows, excel=True)


def _number_formats(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """The number format of every numeric cell, by sheet (calamine reads values only)."""
    openpyxl: Any = importlib.import_module("openpyxl")  # openpyxl ships no type information
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return {sheet.title: {(cell.row - 1, cell.column - 1): cell.number_format
                              for row in sheet.iter_rows() for cell in row
                              if type(cell.value) in (int, float)}
                for sheet in book.worksheets}
    finally:
        book.close()


def _shown(value: object, number_format: str) -> str:
    """A cell as Excel displays it: 7.9 in format "0.00" is "7.90"; 0.3931 in "0.00%" "39.31%"."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "" if value is None else str(value)
    section = re.sub(r'"[^"]*"|\[[^]]*]|\\.|[_*].', "", number_format.split(";")[0])
    if not re.search(r"[0#?]", section) or "e" in section.lower():
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    places = re.search(r"\.([0#?]+)", section)
    scaled = decimal.Decimal(repr(float(value))) * (100 if "%" in section else 1)
    step = decimal.Decimal(1).scaleb(-len(places.group(1)) if places else 0)
    return f"{scaled.quantize(step, decimal.ROUND_HALF_UP)}{'%' if '%' in section else ''}"


def _unmerge(rows: list[list[str]], ranges: list[tuple[tuple[int, int], tuple[int, int]]]) -> None:
    """Merged ranges as Word reads them: the top-left text in each covered row, first column."""
    for (top, left), (bottom, right) in ranges:
        text = rows[top][left] if top < len(rows) and left < len(rows[top]) else ""
        for r in range(top, min(bottom, len(rows) - 1) + 1):
            for c in range(left, min(right, len(rows[r]) - 1) + 1):
                rows[r][c] = text if c == left else ""


# ------------------------------------------------------------------------------ names


@dataclasses.dataclass(frozen=True)
class _Match:
    indicator: int | None = None
    item: str | None = None
    when: str | int = "t"  # "t0" planning base year, "t" evaluation year, or a printed year
    stated: int | None = None  # a base year printed in the row, "规划基准年（2012年）"


class _Names:
    """A framework's indicator and item names, normalised, to map printed rows."""

    def __init__(self, framework: Framework) -> None:
        self.framework = framework
        self.indicators = {_norm(i.name_zh): i.number for i in framework.indicators}
        self.indicators |= {_norm(i.name_en): i.number for i in framework.indicators}
        self.items: dict[str, list[str]] = {}
        for key, item in framework.spec.items.items():
            for name in {_norm(n) for n in (key, item.name_zh, item.name_en, *item.aliases)}:
                self.items.setdefault(name, []).append(key)

    def match(self, name: str, context: int | None, requirement: str | None,
              unit: str) -> _Match | None:
        """The indicator or item a row names. `context` is the indicator of the row's 序号 group;
        `requirement` the row's 要求 cell ("-" on base rows; None without such a column)."""
        key = _norm(name)
        if key in self.indicators:
            return _Match(indicator=self.indicators[key])
        rest, when, stated = _split_year(key)
        near = self._context(context)
        if rest in self.items:
            keys = self.items[rest]
            return _Match(item=next((k for k in keys if k in near), keys[0]), when=when, stated=stated)
        base_like = None if requirement is None else requirement in ABSENT
        found = [] if base_like else self._fuzzy_indicator(key, context, requirement or "", unit)
        if base_like is not False:
            found += self._fuzzy_item(rest, near, when, stated)
        return max(found, key=lambda pair: pair[0])[1] if found else None

    def _context(self, context: int | None) -> set[str]:
        numbers = [n for n in (context, (context or 0) + 1) if n in self.framework.by_number]
        return {item for n in numbers for item in self.framework.items_of(n)}

    def _fuzzy_indicator(self, key: str, context: int | None, requirement: str,
                         unit: str) -> list[tuple[float, _Match]]:
        """Close names; in the row's 序号 group a looser name, or the same 要求, is enough."""
        out = []
        for name, number in self.indicators.items():
            indicator = self.framework.indicator(number)
            ratio = difflib.SequenceMatcher(None, key, name).ratio()
            grouped = number == context and (
                ratio >= 0.6 or _norm(requirement) == _norm(indicator.requirement.text_zh))
            if (ratio >= 0.85 or grouped) and _unit_fits(unit, indicator.unit):
                out.append((ratio, _Match(indicator=number)))
        return out

    def _fuzzy_item(self, rest: str, near: set[str], when: str | int,
                    stated: int | None) -> list[tuple[float, _Match]]:
        return [(ratio, _Match(item=key, when=when, stated=stated))
                for name, keys in self.items.items() for key in keys if key in near
                if (ratio := difflib.SequenceMatcher(None, rest, name).ratio()) >= 0.8]

    def closest(self, name: str) -> str:
        """The nearest indicator or item name, for the hint of an unmapped row."""
        key = _split_year(_norm(name))[0]
        spec = self.framework.spec
        names = [i.name_zh for i in self.framework.indicators]
        names += [n for item in spec.items.values() for n in (item.name_zh, *item.aliases)]
        return max(names, key=lambda n: difflib.SequenceMatcher(None, key, _norm(n)).ratio())


def _split_year(key: str) -> tuple[str, str | int, int | None]:
    """"规划基准年工业增加值" → ("工业增加值", "t0", None); "2015年工业增加值" → (…, 2015, None)."""
    when: str | int = "t"
    stated = None
    base = _BASE.search(key)
    if base:
        when, stated = "t0", int(base.group(1)) if base.group(1) else None
        key = key[:base.start()] + key[base.end():]
    for pattern in (_LEAD_YEAR, _TAIL_YEAR):
        printed = pattern.search(key)
        if printed:
            year = int(printed.group(1))
            key = key[:printed.start()] + key[printed.end():]
            when, stated = (when, year) if when == "t0" else (year, stated)
    return key, when, stated


def _unit_fits(printed: str, unit: str) -> bool:
    """False only when the printed unit is a real unit of another dimension (立方米 for a %)."""
    if not _parses(printed) or units.is_dimensionless(units.parse_unit(printed)):
        return True
    try:
        units.conversion_factor(printed, unit)
    except UnitError:
        return False
    return True


def _parses(unit: str) -> bool:
    try:
        units.parse_unit(unit)
    except UnitError:
        return False
    return True


def _direct_item(framework: Framework, number: int) -> str | None:
    """The item an indicator is reported as directly: its formula `x` or `coalesce(…, x)`."""
    node = parse(framework.indicator(number).formula)
    if isinstance(node, Call) and node.func == "coalesce":
        node = node.args[-1]
    return node.name if isinstance(node, Name) and node.name in framework.spec.items else None


# ------------------------------------------------------------------------------ the table


@dataclasses.dataclass(frozen=True)
class _Obs:
    """One observation out of the table, its year not yet resolved, and where it was printed."""

    item: str
    when: str | int
    entry: ValueEntry
    row: int
    column: int | None
    unit_column: int | None
    base_row: bool = True


@dataclasses.dataclass
class _Table:
    grid: _Grid
    columns: dict[str, int]
    header_year: int | None
    seen: set[int] = dataclasses.field(default_factory=set)
    printed: dict[int, str] = dataclasses.field(default_factory=dict)
    printed_row: dict[int, int] = dataclasses.field(default_factory=dict)
    selected: set[int] = dataclasses.field(default_factory=set)
    obs: list[_Obs] = dataclasses.field(default_factory=list)
    stated: dict[int, int] = dataclasses.field(default_factory=dict)
    problems: list[tuple[int, int | None, str, str]] = dataclasses.field(default_factory=list)
    unmapped: list[tuple[int, int | None, str, str]] = dataclasses.field(default_factory=list)

    def cell(self, row: int, role: str) -> str:
        return _clean(self.grid.text(row, self.columns.get(role)))


def _role(text: str) -> tuple[str | None, int | None]:
    """The column a header cell names, and a year it carries ("2018年数值")."""
    key = _norm(text)
    year = re.search(r"((?:19|20)\d{2})年?", key)
    key = re.sub(r"\(.*?\)|(?:19|20)\d{2}年?", "", key)
    for role, names in _ROLES.items():
        if key in names:
            return role, int(year.group(1)) if year else None
    if year and key in ("", "值", "年"):
        return "value", int(year.group(1))
    scored = [(difflib.SequenceMatcher(None, key, n).ratio(), role)
              for role, names in _ROLES.items() for n in names if len(n) > 1]
    ratio, role = max(scored)
    return (role, None) if ratio >= 0.8 and key else (None, None)


def _header(grid: _Grid) -> tuple[int, dict[str, int], int | None] | None:
    """The header row among the first rows: the one naming most columns, with 指标 and 数值."""
    best: tuple[int, dict[str, int], int | None] | None = None
    for r, row in enumerate(grid.rows[:HEADER_ROWS]):
        columns: dict[str, int] = {}
        year = None
        for c, text in enumerate(row):
            role, printed_year = _role(text) if text.strip() else (None, None)
            if role and role != "other" and role not in columns:
                columns[role] = c
                year = year or (printed_year if role == "value" else None)
        if {"name", "value"} <= set(columns) and len(columns) >= 3 and \
                (best is None or len(columns) > len(best[1])):
            best = (r, columns, year)
    return best


def _read_grid(grid: _Grid, names: _Names) -> _Table | None:
    found = _header(grid)
    if found is None:
        return None
    start, columns, year = found
    table = _Table(grid, columns, year)
    current = None
    for r in range(start + 1, len(grid.rows)):
        current = _read_row(table, names, r, current)
    return table


def _read_row(table: _Table, names: _Names, r: int, current: int | None) -> int | None:
    serial = re.fullmatch(r"\(?(\d{1,3})[).、]?", table.cell(r, "number"))
    if serial and int(serial.group(1)) in names.framework.by_number:
        current = int(serial.group(1))
    name, value = table.cell(r, "name"), table.cell(r, "value")
    is_header = sum(_role(text)[0] not in (None, "other") for text in table.grid.rows[r]) >= 3
    if not name or is_header:
        if parse_printed(value).number is not None and not is_header:
            table.unmapped.append((r, table.columns["name"], "有数值但没有指标名称 a value without "
                                   "a name", "在指标列填写指标或数据项名称 write the name"))
        return current
    requirement = table.cell(r, "requirement") if "requirement" in table.columns else None
    match = names.match(name, current, requirement, table.cell(r, "unit"))
    if match is None:
        _unmapped(table, names, r, name, value)
        return current
    if match.indicator is not None:
        _indicator_row(table, names.framework, match.indicator, r, value)
        return match.indicator
    _base_row(table, names.framework, match, r, value)
    return current


def _unmapped(table: _Table, names: _Names, r: int, name: str, value: str) -> None:
    if parse_printed(_NUMBER_UNIT.sub(r"\1", value)).number is None:
        return  # a label row ("考核指标", a category line): nothing to lose
    near = names.closest(name)
    table.unmapped.append((r, table.columns["name"],
                           f"无法识别的行 “{name}”（数值 {value}）unrecognised row",
                           f"是否应为 did you mean “{near}”? 改为指标体系中的名称，或在指标体系文件中为"
                           "该数据项添加 aliases rename it, or add the name to the item's aliases"))


def _indicator_row(table: _Table, framework: Framework, number: int, r: int, value: str) -> None:
    value = _split_unit(value)[0]
    indicator = framework.indicator(number)
    if number in table.printed and value and value != table.printed[number]:
        table.problems.append((r, table.columns["value"], f"指标 {number} 出现两次且数值不同"
                               f"（第{table.printed_row[number] + 1}行为 {table.printed[number]}）"
                               "indicator printed twice with different values",
                               "删去重复的行 remove the duplicate row"))
        return
    table.seen.add(number)
    if _yes(table.cell(r, "selected")) and not indicator.mandatory:
        table.selected.add(number)
    if not value or number in table.printed:
        return
    table.printed[number], table.printed_row[number] = value, r
    problem = _indicator_value_problem(framework, number, value)
    if problem:
        table.problems.append((r, table.columns["value"], *problem))
        return
    item = _direct_item(framework, number)
    if item is not None:
        unit = None if framework.spec.items[item].kind == "fact" else indicator.unit
        table.obs.append(_Obs(item, "t", ValueEntry(value=value, unit=unit, source=_source(r)), r,
                              table.columns["value"], None, base_row=False))


def _indicator_value_problem(framework: Framework, number: int, value: str) -> tuple[str, str] | None:
    printed = parse_printed(value)
    if framework.value_kind(number) == "number" and printed.word is not None:
        return (f"指标 {number} 的数值 “{value}” 不是数字 is not a number",
                "写数字（如 100.00），未填报写 / write a number, or / if not reported")
    if framework.value_kind(number) != "number" and printed.number is not None:
        return (f"指标 {number} 应为文字（如 达标）而不是数字 “{value}” expects a word, not a "
                "number", "按标准要求填写文字 write the word the standard asks for")
    return None


def _base_row(table: _Table, framework: Framework, match: _Match, r: int, value: str) -> None:
    assert match.item is not None
    value, inline_unit = _split_unit(value)
    unit_column = table.columns.get("unit") if inline_unit is None else table.columns["value"]
    unit = inline_unit or table.cell(r, "unit")
    item = framework.spec.items[match.item]
    note = None
    if unit in ABSENT and item.kind == "number":
        unit, note = item.unit, f"表中未写单位，按 {item.unit} 计 unit not printed, read as {item.unit}"
    entry = ValueEntry(value=value, unit=None if item.kind == "fact" else unit, source=_source(r),
                       note=note)
    table.obs.append(_Obs(match.item, match.when, entry, r, table.columns["value"], unit_column))
    if match.stated is not None:
        table.stated.setdefault(match.stated, r)


def _split_unit(value: str) -> tuple[str, str | None]:
    """"496758.52 万元" → ("496758.52", "万元") when the tail is a unit; else (value, None)."""
    parts = _NUMBER_UNIT.fullmatch(value)
    if parts and _parses(parts.group(2)) and parse_printed(parts.group(1)).number is not None:
        return parts.group(1), parts.group(2)
    return value, None


def _yes(text: str) -> bool:
    return _norm(text) in _YES


def _source(row: int) -> str:
    return f"对照考核表 第{row + 1}行"


# ------------------------------------------------------------------------------ choosing


def _assessment_table(grids: list[_Grid], names: _Names, file: str) -> _Table:
    tables = [table for grid in grids if (table := _read_grid(grid, names)) is not None]
    best = max(tables, key=lambda t: len(t.seen), default=None)
    total = len(names.framework.indicators)
    if best is None or 2 * len(best.seen) < total:
        closest = f"（最接近的是{best.grid.where}，识别出 {len(best.seen)}/{total} 项指标 closest: " \
            f"{best.grid.where}, {len(best.seen)} of {total} indicators）" if best else ""
        raise WorkbookError(file, "", "", _NO_TABLE + closest,
                            "表格应有表头 序号 / 指标 / 单位 / 要求 / 数值，并逐行列出至少一半指标 the "
                            "table needs a header row (序号, 指标, 单位, 要求, 数值) and at least half "
                            "of the indicators, one per row")
    return best


def _problems(table: _Table, framework: Framework, file: str) -> list[WorkbookError]:
    grid = table.grid
    found = [WorkbookError(file, grid.where, grid.ref(r, c), problem, hint)
             for r, c, problem, hint in sorted(table.problems + table.unmapped,
                                                key=lambda p: (p[0], p[1] or 0))]
    found += [problem for obs in table.obs if (problem := _check(obs, framework, grid, file))]
    if len(table.stated) > 1:
        years = "、".join(str(y) for y in table.stated)
        found.append(WorkbookError(file, grid.where, grid.ref(max(table.stated.values()), None),
                                   f"表中印出不同的规划基准年 {years} different base years printed",
                                   "统一规划基准年 print one base year"))
    return found


def _check(obs: _Obs, framework: Framework, grid: _Grid, file: str) -> WorkbookError | None:
    """Validate one observation through the dataset machinery; the error points at its cell."""
    spec = DatasetFile(format="ecopark-dataset/1", framework=framework.id,
                       park=Park(name="-", base_year=1900),
                       observations={obs.item: Series(values={2000: obs.entry})})
    name = framework.spec.items[obs.item].name_zh
    try:
        build_dataset(spec, framework, file)
    except UnitError as exc:
        return WorkbookError(file, grid.where, grid.ref(obs.row, obs.unit_column),
                             f"{name}：单位 “{exc.from_unit}” 无法换算为 “{exc.to_unit}”（{exc.problem}）",
                             exc.hint)
    except DatasetError as exc:
        return WorkbookError(file, grid.where, grid.ref(obs.row, obs.column),
                             f"{name}：{exc.problem}", exc.hint)
    return None


# ------------------------------------------------------------------------------ park and years


def _evaluation_year(table: _Table, texts: list[str], year: int | None, file: str) -> int:
    cells = [text for row in table.grid.rows for text in row]
    stated = next((int(m.group(1)) for text in (*cells, *texts)
                   if (m := _DATA_YEAR.search(unicodedata.normalize("NFKC", text)))), None)
    stated = stated or table.header_year
    if year is not None and stated is not None and year != stated:
        raise WorkbookError(file, table.grid.where, "", f"表中数据基准年为 {stated} 年，与指定的评价年份 "
                            f"{year} 不符 the document gives {stated}, --year {year}",
                            "去掉 --year，或改正文件中的数据基准年 drop --year or correct the document")
    if stated is None and year is None:
        raise WorkbookError(file, table.grid.where, "", "未找到评价年份（如“数据基准年为2018年”）"
                            "no evaluation year in the document",
                            "用 --year 指定评价年份，如 --year 2018 pass --year, e.g. --year 2018")
    chosen = stated if stated is not None else cast(int, year)
    if not 1926 <= chosen <= 2200:
        raise WorkbookError(file, table.grid.where, "", f"评价年份 {chosen} 不合理 implausible "
                            "evaluation year", "用 --year 指定四位年份 pass a four-digit --year")
    return chosen


def _check_base_year(table: _Table, base_year: int | None, year: int, file: str) -> None:
    if base_year is None:
        return
    if not 1900 <= base_year < year:
        raise WorkbookError(file, "", "", f"规划基准年 {base_year} 应早于评价年 {year} the base year "
                            "must precede the evaluation year", "改正 --base-year fix --base-year")
    if table.stated and base_year not in table.stated:
        row = next(iter(table.stated.values()))
        raise WorkbookError(file, table.grid.where, table.grid.ref(row, table.columns["name"]),
                            f"表中印出的规划基准年为 {next(iter(table.stated))}，与 --base-year "
                            f"{base_year} 不符 the table prints another base year",
                            "去掉 --base-year drop --base-year")


def _park_name(grid: _Grid, texts: list[str], fallback: str) -> str:
    for row in grid.rows:
        for c, text in enumerate(row):
            if _norm(text) in ("园区名称", "园区名称:"):
                return next((_clean(t) for t in row[c + 1:] if t.strip()), fallback)
    for text in (*(t for row in grid.rows for t in row), *texts):
        found = _PARK.search(unicodedata.normalize("NFKC", text))
        if found and found.group(1).strip():
            return re.split(r"\s{2,}|\t|\n|填报", found.group(1).strip())[0]
    return fallback


# ------------------------------------------------------------------------------ dataset


def _spec(table: _Table, framework: Framework, park: Park, year: int, file: str) -> DatasetFile:
    observations: dict[str, Series] = {}
    rows = []
    for obs in table.obs:
        resolved = park.base_year if obs.when == "t0" else year if obs.when == "t" else obs.when
        assert isinstance(resolved, int)
        observations.setdefault(obs.item, Series(values={})).values.setdefault(resolved, obs.entry)
        if obs.base_row:
            rows.append(ReportedRow(item=obs.item, year=resolved, value=obs.entry.value,
                                    unit=obs.entry.unit))
    reported = Reported(year=year, source=f"对照考核表（{Path(file).name} {table.grid.where}）",
                        indicators=dict(table.printed), rows=rows)
    return DatasetFile(format="ecopark-dataset/1", framework=framework.id, park=park, year=year,
                       observations=observations, reported=reported)


def _base_year(table: _Table, framework: Framework, year: int,
               build: Callable[[int], Dataset]) -> tuple[int, str]:
    """The planning base year printed in the table, else inferred; and a note saying how."""
    if table.stated:
        stated = next(iter(table.stated))
        return stated, f"表中印出 printed in the table（{_source(table.stated[stated])}）"
    numbers = [n for n, text in sorted(table.printed.items())
               if _reads_t0(framework, n) and parse_printed(text).number is not None]
    hits = {c: _reproduced(table, framework, build(c), year, c, numbers)
            for c in _candidates(table, year)} if numbers else {}
    most = max((len(h) for h in hits.values()), default=0)
    fallback, span = year - 5, f"{year - INFERENCE_SPAN}–{year - 1}"
    if most == 0:
        return fallback, f"推定：{span} 中没有能复现表中数值的规划基准年，取 {fallback} 年 / inferred: " \
            f"no base year in {span} reproduces the printed values; {fallback} assumed"
    years = sorted(c for c, h in hits.items() if len(h) == most)
    chosen, shown = years[-1], "、".join(str(n) for n in hits[years[-1]])
    return chosen, f"推定：表中未印出规划基准年；{chosen} 年是能复现表中指标 {shown} 的最晚年份" \
        f"（可复现的年份 {_ranges(years)}）/ inferred: the base year is not printed; {chosen} is " \
        f"the latest year that reproduces indicators {shown.replace('、', ', ')} (years that do: " \
        f"{_ranges(years)})"


def _reads_t0(framework: Framework, number: int) -> bool:
    """Whether an indicator's value (not its requirement) depends on the planning base year."""
    texts, seen = [framework.indicator(number).formula], set[str]()
    while texts:
        names = set(re.findall(r"[^\W\d]\w*", texts.pop())) - seen
        if "t0" in names:
            return True
        texts += [framework.spec.variables[n].formula for n in names if n in framework.spec.variables]
        seen |= names
    return False


def _candidates(table: _Table, year: int) -> Iterable[int]:
    """Candidate base years whose rows do not clash with a row printed for that very year."""
    printed = {(o.item, o.when): (o.entry.value, o.entry.unit) for o in table.obs}
    for candidate in range(year - 1, year - INFERENCE_SPAN - 1, -1):
        if all(printed.get((o.item, candidate), (o.entry.value, o.entry.unit))
               == (o.entry.value, o.entry.unit) for o in table.obs if o.when == "t0"):
            yield candidate


def _reproduced(table: _Table, framework: Framework, dataset: Dataset, year: int, base: int,
                numbers: list[int]) -> list[int]:
    """The printed values reproduced within their precision by a computation that read rows of
    the candidate base year."""
    hits = []
    for number in numbers:
        result = evaluate_indicator(framework, dataset, number, year)
        if result.trace is None or not isinstance(result.value, float):
            continue
        if any(leaf.year == base for leaf in result.trace.leaves()) and \
                within_precision(result.value, parse_printed(table.printed[number])):
            hits.append(number)
    return hits


def _ranges(years: list[int]) -> str:
    runs: list[list[int]] = []
    for year in years:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


# ------------------------------------------------------------------------------ public


def read_printed_table(path: Path, framework: Framework, base_year: int | None = None,
                       year: int | None = None) -> Dataset:
    """Read the 对照考核表 of a .docx or .xlsx into a Dataset: its base rows as observations, its
    printed values in `reported`. Raise WorkbookError (no table, no year) or WorkbookProblems."""
    path = Path(path)
    file = str(path)
    grids, texts = _word(path) if inspect(path).kind == "docx" else _excel(path)
    table = _assessment_table(grids, _Names(framework), file)
    problems = _problems(table, framework, file)
    if problems:
        raise WorkbookProblems(file, problems)
    t = _evaluation_year(table, texts, year, file)
    _check_base_year(table, base_year, t, file)
    name = _park_name(table.grid, texts, path.stem)
    selected = sorted(table.selected)

    def build(base: int, note: str = "") -> Dataset:
        park = Park(name=name, base_year=base, base_year_note=note, selected=selected)
        return build_dataset(_spec(table, framework, park, t, file), framework, file)

    if base_year is not None:
        return build(base_year)
    return build(*_base_year(table, framework, t, build))
