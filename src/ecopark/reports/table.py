"""The 对照考核表 (assessment table): the model every writer renders, and `write_table`.

The layout follows the appendix of a park's annual evaluation report (seed report, 附：对照考核表):
a title, a header block (园区名称 / 填报单位 / 填报人 / 填报时间 / 规划基准年 / 数据基准年) and the
columns 序号 | 项目 | 指标 | 单位 | 要求 | 指标类型 | 是否为考核指标 | 数值 | 是否达标, plus
复算值 | 核查结果 when a verification is given. Every indicator has its base rows first, then its
own row:

* base rows are the dataset inputs (item, year) its computation read (the trace's leaves, plus
  the inputs of a member left out of a mean, which print as "/"); without a trace, the items of
  its formula in the evaluation year (and the missing one). Label = the item's zh name, prefixed
  "规划基准年" for the base year and "YYYY年" for another year than the evaluation year; 单位 and
  数值 as the park wrote them (3,163,000 立方米, not 316.30 万m³), the item's unit only when the
  written one is unknown; 要求, 指标类型, 是否为考核指标 and 是否达标 are "-". Rows are grouped by
  item (in order of first use); within an item the years read other years, the evaluation year,
  then the base year (as the seed prints them).
* the indicator row: 要求 = the requirement text, 指标类型 = 必选 / 可选, 是否为考核指标 = 是 / 否
  (the park's selection; a mandatory indicator is always 是), 数值 = the value rounded to the
  indicator's decimals, the fact as text, or "/", 是否达标 = 达标 / 未达标 / 不适用 / 缺数据 /
  无法评价 / 豁免. With a verification 数值 is the value the park PRINTED (`dataset.reported`)
  and 是否达标 judges it, 复算值 is the recomputed value and 核查结果 the findings about that
  indicator.

Numbers carry thousand separators (36,000,000.00). 序号 and 项目 cells span their indicator's
rows, so the category is named beside every indicator, also at the top of a continuation page;
`AssessmentTable.placed()` says where. Findings about no indicator become the table's notes.
With lang "en" every text of the table is English (headings, names, requirements, words,
findings); `columns` keeps the Chinese column keys the writers lay out by, `headings` shows them.
"""

from __future__ import annotations

import dataclasses
import datetime
import importlib
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ecopark.core import units
from ecopark.core.errors import InputFileError
from ecopark.core.evaluate import judge_value
from ecopark.core.numbers import Printed, format_value, parse_printed
from ecopark.core.results import Status
from ecopark.reports.wording import pick, table_name, unit_text

if TYPE_CHECKING:
    from ecopark.core.evaluate import Evaluation
    from ecopark.core.framework.model import Framework
    from ecopark.core.results import IndicatorResult
    from ecopark.core.trace import Trace
    from ecopark.core.verify import Finding, Verification

__all__ = ["ASSESSED", "COLUMNS", "SUFFIXES", "VERIFY_COLUMNS", "AssessmentTable", "Placed", "Section",
           "Shown", "TableRow", "build_table", "write_table"]

COLUMNS = ("序号", "项目", "指标", "单位", "要求", "指标类型", "是否为考核指标", "数值", "是否达标")
VERIFY_COLUMNS = ("复算值", "核查结果")
ASSESSED = "是否为考核指标"  # only where the framework lets a park select optional indicators
SUFFIXES = (".xlsx", ".docx", ".html", ".csv")
DASH = "-"
ABSENT = "/"
_SEVERITY = {"error": "【错误】", "warning": "【警告】", "info": "【提示】"}
_SEVERITY_EN = {"error": "[error] ", "warning": "[warning] ", "info": "[note] "}
_HEADINGS_EN = {"序号": "No.", "项目": "Category", "指标": "Indicator", "单位": "Unit",
                "要求": "Requirement", "指标类型": "Type", "是否为考核指标": "Assessed",
                "数值": "Value", "是否达标": "Met", "复算值": "Recomputed", "核查结果": "Findings"}
_COUNTS = ("[count]", "[person]")
_NAME = re.compile(r"[^\W\d]\w*")
_WORDS = {"zh": {"mandatory": "必选", "optional": "可选", "yes": "是", "no": "否",
                 Status.MET: "达标", Status.NOT_MET: "未达标", Status.NOT_APPLICABLE: "不适用",
                 Status.MISSING: "缺数据", Status.NOT_EVALUABLE: "无法评价",
                 Status.EXEMPTED: "豁免"},
          "en": {"mandatory": "mandatory", "optional": "optional", "yes": "yes", "no": "no",
                 Status.MET: "met", Status.NOT_MET: "not met",
                 Status.NOT_APPLICABLE: "not applicable", Status.MISSING: "missing data",
                 Status.NOT_EVALUABLE: "not evaluable", Status.EXEMPTED: "exempted"}}


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
    kind_text: str  # 指标类型: 必选 / 可选 ("-" on a base row)
    assessed: str  # 是否为考核指标: 是 / 否
    value: Shown
    met: str = DASH  # 是否达标
    recomputed: Shown | None = None
    findings: tuple[str, ...] = ()
    item: str | None = None
    year: int | None = None
    worst: str = ""  # the most severe finding's severity: error | warning | info | ""

    def cells(self, columns: tuple[str, ...]) -> tuple[str, ...]:
        """The texts of the row's cells in `columns` (number and category on every row)."""
        texts = dict(zip(COLUMNS, (str(self.number), self.category, self.label, self.unit,
                                   self.requirement, self.kind_text, self.assessed,
                                   self.value.text, self.met), strict=True))
        texts["复算值"] = self.recomputed.text if self.recomputed else ""
        texts["核查结果"] = "\n".join(self.findings)
        return tuple(texts[name] for name in columns)


@dataclasses.dataclass(frozen=True)
class Section:
    """The rows of one category (项目), in indicator order."""

    category: str
    rows: tuple[TableRow, ...]


@dataclasses.dataclass(frozen=True)
class Placed:
    """A row with the vertical spans of its merged cells: `category_span` / `number_span` are
    the number of rows the 项目 / 序号 cell covers from this row, 0 when a cell above covers it.
    Both span the indicator's rows (which are kept on one page), so the category is named on
    every page."""

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
    filler_org: str = ""  # 填报单位
    filler: str = ""  # 填报人
    lang: str = "zh"
    name: str = "对照考核表"  # the table in a sentence, and its sheet: the framework's word for it

    @property
    def notes_label(self) -> str:
        return pick(self.lang, "注：", "Notes: ")

    @property
    def headings(self) -> tuple[str, ...]:
        """The column names as printed (English with lang "en")."""
        return tuple(pick(self.lang, name, _HEADINGS_EN[name]) for name in self.columns)

    @property
    def verified(self) -> bool:
        return VERIFY_COLUMNS[0] in self.columns

    @property
    def selection(self) -> bool:
        """Whether the table has the 是否为考核指标 column (a framework with optional selection)."""
        return ASSESSED in self.columns

    @property
    def rows(self) -> tuple[TableRow, ...]:
        return tuple(row for section in self.sections for row in section.rows)

    @property
    def filled_on_text(self) -> str:
        day = self.filled_on
        return pick(self.lang, f"{day.year}年{day.month}月{day.day}日", day.isoformat())

    @property
    def data_year_text(self) -> str:
        return pick(self.lang, f"数据基准年为{self.data_year}年", f"Data year: {self.data_year}")

    @property
    def base_year_text(self) -> str:
        return pick(self.lang, f"规划基准年为{self.base_year}年",
                    f"Planning base year: {self.base_year}")

    @property
    def header_lines(self) -> tuple[tuple[str, str], ...]:
        """The header block above the table: (left, right) texts of each line."""
        if self.lang == "en":
            return ((f"Park: {self.park_name}", f"Reporting organisation: {self.filler_org}"),
                    (f"Filled in by: {self.filler}", f"Date: {self.filled_on_text}"),
                    (self.base_year_text, self.data_year_text))
        return ((f"园区名称：{self.park_name}", f"填报单位：{self.filler_org}"),
                (f"填报人：{self.filler}", f"填报时间：{self.filled_on_text}"),
                (self.base_year_text, self.data_year_text))

    def placed(self) -> list[Placed]:
        """Every row in order, with the spans of its merged 序号 and 项目 cells."""
        out: list[Placed] = []
        for section in self.sections:
            for index, row in enumerate(section.rows):
                first_of_number = index == 0 or section.rows[index - 1].number != row.number
                span = sum(1 for r in section.rows if r.number == row.number)
                shown = span if first_of_number else 0
                out.append(Placed(row, shown, shown))
        return out


# ------------------------------------------------------------------ building


def build_table(evaluation: Evaluation, verification: Verification | None = None, *,
                filled_on: datetime.date | None = None, lang: str = "zh") -> AssessmentTable:
    """The 对照考核表 of `evaluation`; with `verification`, the printed values and findings.
    填报时间 is `filled_on`, else the park-year's own date, else today in the park's time zone."""
    framework, profile = evaluation.framework, evaluation.dataset.profile
    lang = "en" if lang == "en" else "zh"
    columns = _columns(framework, verification is not None)
    names = {c.id: pick(lang, c.name_zh, c.name_en) for c in framework.spec.categories}
    wording = framework.spec.wording
    words = {**_WORDS[lang], "lang": lang,
             "mandatory": pick(lang, wording.mandatory_zh, wording.mandatory_en),
             "optional": pick(lang, wording.optional_zh, wording.optional_en)}
    sections: list[Section] = []
    for result in evaluation.results:
        rows = tuple(_indicator_rows(evaluation, result, names[result.indicator.category],
                                     verification, words))
        if sections and sections[-1].category == rows[0].category:
            sections[-1] = Section(rows[0].category, sections[-1].rows + rows)
        else:
            sections.append(Section(rows[0].category, rows))
    return AssessmentTable(_title(framework, lang), profile.name,
                           filled_on or profile.filled_on(), evaluation.year, profile.base_year,
                           columns, tuple(sections), _notes(evaluation, verification, lang),
                           profile.fields.get("filler_org", ""), profile.fields.get("filler", ""),
                           lang, table_name(framework, lang))


def _columns(framework: Framework, verified: bool) -> tuple[str, ...]:
    """The official columns; 是否为考核指标 only where the park selects optional indicators
    (the framework's verdict has groups of them); the verification columns when verified."""
    columns = COLUMNS if framework.spec.verdict.groups else tuple(
        name for name in COLUMNS if name != ASSESSED)
    return columns + (VERIFY_COLUMNS if verified else ())


def _title(framework: Framework, lang: str = "zh") -> str:
    """The framework's own title of the table, else one made from its name."""
    wording = framework.spec.wording
    return pick(lang, wording.table_title_zh or framework.spec.name_zh.removesuffix("标准")
                + wording.table_name_zh,
                wording.table_title_en or f"Assessment table: {framework.spec.name_en}")


def _indicator_rows(ev: Evaluation, result: IndicatorResult, category: str,
                    verification: Verification | None,
                    words: dict[str, str]) -> Iterator[TableRow]:
    for item, year in _inputs(ev, result):
        yield _base_row(ev, result.number, category, item, year, verification is not None,
                        words["lang"])
    yield _own_row(ev, result, category, verification, words)


def _base_row(ev: Evaluation, number: int, category: str, item: str, year: int,
              verified: bool, lang: str = "zh") -> TableRow:
    spec = ev.framework.spec.items[item]
    name = pick(lang, spec.name_zh, spec.name_en)
    if year == ev.dataset.profile.base_year:
        label = pick(lang, f"规划基准年{name}", f"{name} (base year {year})")
    else:
        label = name if year == ev.year else pick(lang, f"{year}年{name}", f"{name} ({year})")
    unit, value = _observed(ev, item, year, lang)
    return TableRow("base", category, number, label, unit, DASH, DASH, DASH, value, DASH,
                    Shown("") if verified else None, (), item, year)


def _own_row(ev: Evaluation, result: IndicatorResult, category: str,
             verification: Verification | None, words: dict[str, str]) -> TableRow:
    ind, lang = result.indicator, words["lang"]
    selected = ind.mandatory or ind.number in ev.dataset.profile.selected
    computed = _value(ev.framework, result.number, result.value, ind.decimals, lang)
    row = TableRow("indicator", category, ind.number, pick(lang, ind.name_zh, ind.name_en),
                   _unit(ind.unit, lang),
                   pick(lang, ind.requirement.text_zh, ind.requirement.text_en),
                   words["mandatory" if ind.mandatory else "optional"],
                   words["yes" if selected else "no"], computed, words[result.status])
    if verification is None:
        return row
    own = [f for f in verification.findings if f.number == ind.number]
    worst = next((s for s in _SEVERITY if any(f.severity == s for f in own)), "")
    printed = _printed(ev, ind.number)
    return dataclasses.replace(row, value=printed, met=_printed_met(ev, result, printed, words),
                               recomputed=computed,
                               findings=_messages(verification.findings, ind.number, lang),
                               worst=worst)


def _printed_met(ev: Evaluation, result: IndicatorResult, printed: Shown,
                 words: dict[str, str]) -> str:
    """是否达标 of the printed value: a printed number judged by the requirement, no value
    printed → empty, a printed word → the status of the recomputation."""
    if printed.number is not None:
        return words[judge_value(ev.framework, ev.dataset, result.number, ev.year,
                                 printed.number).status]
    return "" if not printed.text else words[result.status]


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


def _unit(unit: str, lang: str = "zh") -> str:
    """A unit as printed: "-" for none; in English 10⁴ CNY for 万元, tce for 吨标煤 …"""
    if lang == "en":
        unit = unit_text(unit, "en")
    return DASH if unit in ("", "1", "-", "dimensionless") else units.pretty(unit)


def _observed(ev: Evaluation, item: str, year: int, lang: str = "zh") -> tuple[str, Shown]:
    """The unit and the value of a base row as the park wrote them (3,163,000 立方米); the item's
    own unit, and 2 decimals (none for a count), when the written ones are not known."""
    canonical = ev.framework.spec.items[item].unit
    obs = ev.dataset.values.get((item, year))
    if obs is None or obs.value is None:
        shown = obs.unit_given if obs and obs.unit_given else canonical
        return _unit(shown, lang), Shown(ABSENT)
    if isinstance(obs.value, str):
        return _unit(canonical, lang), Shown(_fact(ev.framework, item, obs.value, lang))
    written = _as_written(*obs.as_written(), lang)
    if written is not None:
        return written
    counted = str(units.parse_unit(canonical).dimensionality) in _COUNTS
    return _unit(canonical, lang), _number(obs.value,
                                           0 if counted and obs.value.is_integer() else 2)


def _as_written(text: str, unit: str, lang: str = "zh") -> tuple[str, Shown] | None:
    """("立方米", 3,163,000) out of ("3163000", "立方米"); None when not a number with a unit."""
    printed = parse_printed(text)
    if printed.number is None or not unit:
        return None
    return _unit(unit, lang), _number(printed.number, printed.decimals)


def _fact(framework: Framework, item: str, key: str, lang: str = "zh") -> str:
    values = framework.spec.items[item].values or {}
    label = values.get(key)
    if label is None:
        return key
    return pick(lang, label.zh or key, label.en or label.zh or key)


def _value(framework: Framework, number: int, value: object, decimals: int,
           lang: str = "zh") -> Shown:
    if value is None:
        return Shown(ABSENT)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _number(float(value), decimals)
    facts = [item for item in framework.items_of(number) if framework.spec.items[item].values]
    return Shown(_fact(framework, facts[0], str(value), lang) if facts else format_value(value))


def _number(value: float, decimals: int) -> Shown:
    """The number rounded to `decimals`, with thousand separators (36,000,000.00)."""
    rounded = round(value, decimals)
    text = f"{rounded:,.{decimals}f}"
    if rounded == 0:
        text = text.lstrip("-")  # -0.00 prints as 0.00
    return Shown(text, float(text.replace(",", "")), decimals)


def _printed(ev: Evaluation, number: int) -> Shown:
    reported = ev.dataset.reported
    raw = None if reported is None else reported.indicators.get(number)
    if raw is None:
        return Shown("")
    printed: Printed = parse_printed(raw)
    return Shown(printed.text, printed.number, printed.decimals)


def _messages(findings: tuple[Finding, ...], number: int | None,
              lang: str = "zh") -> tuple[str, ...]:
    if lang == "en":
        return tuple(_SEVERITY_EN[f.severity] + f.en for f in findings if f.number == number)
    return tuple(_SEVERITY[f.severity] + f.zh for f in findings if f.number == number)


def _notes(ev: Evaluation, verification: Verification | None,
           lang: str = "zh") -> tuple[str, ...]:
    profile = ev.dataset.profile
    notes = [pick(lang, f"规划基准年为{profile.base_year}年。",
                  f"The planning base year is {profile.base_year}. ")
             + profile.base_year_note.strip()]
    if verification is None:
        return tuple(notes)
    if ev.dataset.reported is None:
        notes.append(pick(lang, f"数据集中没有印出的{table_name(ev.framework, lang)}数值，无可核查。",
                          "The dataset holds no printed table values: nothing to verify."))
        return tuple(notes)
    counts = {s: sum(1 for f in verification.findings if f.severity == s) for s in _SEVERITY}
    notes.append(pick(lang, f"核查结果：错误 {counts['error']} 项，警告 {counts['warning']} 项，"
                      f"提示 {counts['info']} 项；“数值”为表中原值，“复算值”按表中基础数据复算。",
                      f"Findings: {counts['error']} errors, {counts['warning']} warnings, "
                      f"{counts['info']} notes; “Value” is the printed value, “Recomputed” is "
                      "recomputed from the table's own base rows."))
    return (*notes, *_messages(verification.findings, None, lang))


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
