"""Reading a park's printed 对照考核表 back from Word (.docx) or Excel (.xlsx) into a Dataset.

    dataset = read_printed_table(Path("report.docx"), load_framework("hj274-2015"))
    findings = verify(evaluate(framework, dataset)).findings

1. Every table of the document becomes a grid of cell texts (`ecopark.io.grids`): in Word all
   tables, nested ones too, numbered 表格1, 表格2 … in document order; in Excel each sheet's
   used range. Excel numbers are read as displayed, so 7.90 keeps its two printed decimals.
2. Each grid's header row (序号 / 指标 / 单位 / 要求 / 是否为考核指标 / 数值, any wording close to
   these) is looked for among its first rows. Every row below it is mapped by its name
   (`ecopark.io.rownames`: normalised, exactly, else by difflib ratio) either to an indicator
   (its printed value, whether 是否为考核指标 = 是) or to a base row of an item, for the
   planning base year, a printed year or the evaluation year. Its unit is the 单位 cell,
   converted by the dataset machinery.
3. The grid that maps the most indicators is the 对照考核表; fewer than half → no table.
4. The evaluation year is "数据基准年为YYYY年" in the document, else the `year` argument. The
   planning base year, unless given, printed in a row or printed as a note ("规划基准年为YYYY年",
   as ecopark's own table writes it), is inferred: of year−25 … year−1, the
   latest year with which the rows reproduce the most printed values that depend on the base
   year (the elasticities of HJ 274), each within its printed precision.
5. The rows become a `DatasetFile` (observations with source "对照考核表 第R行"; the printed
   values and base rows in `reported`), validated by `build_dataset`. An indicator computed from
   one directly reported item (绿化覆盖率, 达标情况 …) gets its printed value as that item's
   observation. Every problem names file, table or sheet, cell and a fix; all are raised at once.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import cast

from ecopark.core.dataset.loading import build_dataset
from ecopark.core.dataset.model import Dataset
from ecopark.core.dataset.schema import DatasetFile, Park, Reported, ReportedRow, Series, ValueEntry
from ecopark.core.errors import DatasetError, UnitError, WorkbookError, WorkbookProblems
from ecopark.core.evaluate import evaluate_indicator
from ecopark.core.framework.model import Framework
from ecopark.core.numbers import ABSENT, parse_printed, within_precision
from ecopark.io.grids import Grid, read_grids
from ecopark.io.rownames import Match, Names, direct_item, norm, parses_as_unit

__all__ = ["read_printed_table"]

HEADER_ROWS = 15  # the header row is looked for among a grid's first rows …
HEADER_COLUMNS = 60  # … and their first columns
MAX_TABLE_ROWS = 2000  # rows read below a header (a 对照考核表 has under a hundred)
MAX_GRIDS = 1000  # tables or sheets searched for the 对照考核表
MAX_PROBLEMS = 200  # unrecognised rows listed one by one
INFERENCE_SPAN = 25  # candidate planning base years: year − 25 … year − 1
_NO_TABLE = "未找到对照考核表 no assessment table found"
_ROLES: dict[str, tuple[str, ...]] = {
    "number": ("序号", "编号", "序", "no", "no."),
    "name": ("指标", "指标名称", "名称", "指标项", "考核指标", "数据项", "indicator"),
    "unit": ("单位", "计量单位", "unit"),
    "requirement": ("要求", "指标要求", "标准值", "考核要求", "目标值", "标准要求", "requirement"),
    "selected": ("是否为考核指标", "是否考核指标", "是否考核", "是否选择", "assessed"),
    "value": ("数值", "现状值", "实际值", "完成值", "指标值", "报告值", "value"),
    "other": ("项目", "类别", "分类", "指标类型", "复算值", "核查结果", "是否达标", "达标情况", "备注",
              "来源"),
}
_YES = frozenset({"是", "√", "✓", "✔", "y", "yes", "true"})
_BASE_YEAR = re.compile(r"规划基准年\s*(?:为|是|:)\s*((?:19|20)\d{2})")
_DATA_YEAR = re.compile(r"数据基准年\s*(?:为|是|:)?\s*((?:19|20)\d{2})")
_PARK = re.compile(r"园区名称\s*:\s*(.*)")
_NUMBER_UNIT = re.compile(r"([+-]?[\d.,]+)\s*([^\d\s%].*)")


def _clean(text: str) -> str:
    """A cell as printed, tidied: NFKC and without surrounding spaces ("100.00 " → "100.00")."""
    return unicodedata.normalize("NFKC", text).strip()


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
    grid: Grid
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
    unlisted: int = 0  # unrecognised rows past MAX_PROBLEMS, counted only

    def cell(self, row: int, role: str) -> str:
        return _clean(self.grid.text(row, self.columns.get(role)))


@functools.lru_cache(maxsize=4096)
def _role(text: str) -> tuple[str | None, int | None]:
    """The column a header cell names, and a year it carries ("2018年数值")."""
    key = norm(text)
    year = re.search(r"((?:19|20)\d{2})年?", key)
    key = re.sub(r"\(.*?\)|(?:19|20)\d{2}年?", "", key)
    for role, names in _ROLES.items():
        if key in names:
            return role, int(year.group(1)) if year else None
    if year and key in ("", "值", "年"):
        return "value", int(year.group(1))
    close = [(matcher.ratio(), role) for role, names in _ROLES.items() for n in names
             if len(n) > 1 and key and _could_be_close(matcher := difflib.SequenceMatcher(None, key, n))]
    best = max(close, default=(0.0, ""))
    return (best[1], None) if best[0] >= 0.8 else (None, None)


def _could_be_close(matcher: difflib.SequenceMatcher[str]) -> bool:
    """The cheap upper bounds of the ratio first: a long cell is never a header name."""
    return matcher.real_quick_ratio() >= 0.8 and matcher.quick_ratio() >= 0.8


def _header(grid: Grid) -> tuple[int, dict[str, int], int | None] | None:
    """The header row among the first rows: the one naming most columns, with 指标 and 数值."""
    best: tuple[int, dict[str, int], int | None] | None = None
    for r, row in enumerate(grid.rows[:HEADER_ROWS]):
        columns: dict[str, int] = {}
        year = None
        for c, text in enumerate(row[:HEADER_COLUMNS]):
            role, printed_year = _role(text) if text.strip() else (None, None)
            if role and role != "other" and role not in columns:
                columns[role] = c
                year = year or (printed_year if role == "value" else None)
        if {"name", "value"} <= set(columns) and len(columns) >= 3 and \
                (best is None or len(columns) > len(best[1])):
            best = (r, columns, year)
    return best


def _read_grid(grid: Grid, names: Names) -> _Table | None:
    found = _header(grid)
    if found is None:
        return None
    start, columns, year = found
    table = _Table(grid, columns, year)
    current = None
    for r in range(start + 1, min(len(grid.rows), start + 1 + MAX_TABLE_ROWS)):
        current = _read_row(table, names, r, current)
    return table


def _read_row(table: _Table, names: Names, r: int, current: int | None) -> int | None:
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


def _unmapped(table: _Table, names: Names, r: int, name: str, value: str) -> None:
    if parse_printed(_NUMBER_UNIT.sub(r"\1", value)).number is None:
        return  # a label row ("考核指标", a category line): nothing to lose
    if len(table.unmapped) >= MAX_PROBLEMS:
        table.unlisted += 1
        return
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
    item = direct_item(framework, number)
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


def _base_row(table: _Table, framework: Framework, match: Match, r: int, value: str) -> None:
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
    if parts and parses_as_unit(parts.group(2)) and parse_printed(parts.group(1)).number is not None:
        return parts.group(1), parts.group(2)
    return value, None


def _yes(text: str) -> bool:
    return norm(text) in _YES


def _source(row: int) -> str:
    return f"对照考核表 第{row + 1}行"


# ------------------------------------------------------------------------------ choosing


def _assessment_table(grids: list[Grid], names: Names, file: str) -> _Table:
    if len(grids) > MAX_GRIDS:
        raise WorkbookError(file, "", "", f"文件中有 {len(grids):,} 个表格或工作表，超过 {MAX_GRIDS:,} 个 "
                            f"the file holds {len(grids):,} tables or sheets, more than "
                            f"{MAX_GRIDS:,}", "把对照考核表单独保存为一个文件 save the 对照考核表 in a "
                            "file of its own")
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
    if table.unlisted:
        found.append(WorkbookError(file, grid.where, "", f"另有 {table.unlisted} 行无法识别，未列出 "
                                   f"and {table.unlisted} more unrecognised rows"))
    if len(table.stated) > 1:
        years = "、".join(str(y) for y in table.stated)
        found.append(WorkbookError(file, grid.where, grid.ref(max(table.stated.values()), None),
                                   f"表中印出不同的规划基准年 {years} different base years printed",
                                   "统一规划基准年 print one base year"))
    return found


def _check(obs: _Obs, framework: Framework, grid: Grid, file: str) -> WorkbookError | None:
    """Validate one observation through the dataset machinery; the error points at its cell."""
    rows = [ReportedRow(item=obs.item, year=2000, value=obs.entry.value, unit=obs.entry.unit)] \
        if obs.base_row else []  # its unit is checked as a printed row too, even without a value
    spec = DatasetFile(format="ecopark-dataset/1", framework=framework.id,
                       park=Park(name="-", base_year=1900),
                       observations={obs.item: Series(values={2000: obs.entry})},
                       reported=Reported(year=2000, rows=rows))
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


def _check_base_year(table: _Table, base_year: int | None, year: int, file: str,
                     noted: int | None) -> None:
    if base_year is None:
        return
    if noted is not None and not table.stated and noted != base_year:
        raise WorkbookError(file, table.grid.where, "", f"文件中印出的规划基准年为 {noted}，与 --base-year "
                            f"{base_year} 不符 the document prints another base year",
                            "去掉 --base-year drop --base-year")
    if not 1900 <= base_year < year:
        raise WorkbookError(file, "", "", f"规划基准年 {base_year} 应早于评价年 {year} the base year "
                            "must precede the evaluation year", "改正 --base-year fix --base-year")
    if table.stated and base_year not in table.stated:
        row = next(iter(table.stated.values()))
        raise WorkbookError(file, table.grid.where, table.grid.ref(row, table.columns["name"]),
                            f"表中印出的规划基准年为 {next(iter(table.stated))}，与 --base-year "
                            f"{base_year} 不符 the table prints another base year",
                            "去掉 --base-year drop --base-year")


def _park_name(grid: Grid, texts: list[str], fallback: str) -> str:
    for row in grid.rows:
        for c, text in enumerate(row):
            if norm(text) in ("园区名称", "园区名称:"):
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


def _noted_base_year(table: _Table, texts: list[str]) -> int | None:
    """A planning base year printed as a note ("规划基准年为2012年。") in the table or the text."""
    cells = [text for row in table.grid.rows for text in row]
    return next((int(m.group(1)) for text in (*cells, *texts)
                 if (m := _BASE_YEAR.search(unicodedata.normalize("NFKC", text)))), None)


def _base_year(table: _Table, framework: Framework, year: int, noted: int | None,
               build: Callable[[int], Dataset]) -> tuple[int, str]:
    """The planning base year printed in the table, else inferred; and a note saying how."""
    if table.stated:
        stated = next(iter(table.stated))
        return stated, f"表中印出 printed in the table（{_source(table.stated[stated])}）"
    if noted is not None:
        return noted, f"表中印出 printed in the document（规划基准年为{noted}年）"
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
    grids, texts = read_grids(path)
    table = _assessment_table(grids, Names(framework), file)
    problems = _problems(table, framework, file)
    if problems:
        raise WorkbookProblems(file, problems)
    t = _evaluation_year(table, texts, year, file)
    noted = _noted_base_year(table, texts)
    _check_base_year(table, base_year, t, file, noted)
    name = _park_name(table.grid, texts, path.stem)
    selected = sorted(table.selected)

    def build(base: int, note: str = "") -> Dataset:
        park = Park(name=name, base_year=base, base_year_note=note, selected=selected)
        return build_dataset(_spec(table, framework, park, t, file), framework, file)

    try:
        return build(base_year) if base_year is not None else \
            build(*_base_year(table, framework, t, noted, build))
    except DatasetError as exc:  # rows were checked one by one: what is left is the table's
        raise WorkbookError(file, table.grid.where, "", f"{exc.problem}（{exc.key_path}）",
                            exc.hint) from None
