"""The enterprise roster (企业名录): one row per enterprise and year, read from the sheet 企业数据
of an xlsx workbook or from a CSV file with the same columns.

Columns are found by their header names (zh or en, see `FIELDS` and carriers.yaml), never by
position; a unit written in the header ("新鲜水用量（万立方米）") or in a cell ("1200 万元") is
converted to the column's unit. Every problem of the file is collected and raised at once as
`WorkbookProblems` naming sheet and cell: an unknown carrier or unit, a negative amount, a
malformed 统一社会信用代码, a row without a year. Nothing is returned unless the whole file
reads.

Blank cells are "not reported" (never 0); 是/否 flags left blank mean 否. A 重点排污单位 must say
whether it disclosed its environmental information.
"""

from __future__ import annotations

import collections
import csv
import dataclasses
import datetime
import io
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ecopark.accounting import creditcode
from ecopark.accounting.coefficients import Library, is_coal_equivalent
from ecopark.accounting.steam import SteamState
from ecopark.core import units
from ecopark.core.errors import InputFileError, UnitError, WorkbookError, WorkbookProblems
from ecopark.io.cells import Absent, Number, Problem, Raw, cell_text, read_bool, read_int, read_number
from ecopark.io.sheet import Column, Header, Row, find_header, near_miss

__all__ = ["FIELDS", "SHEET_NAMES", "EnterpriseYear", "Field", "Roster", "all_fields",
           "read_roster"]

SHEET_NAMES = ("企业数据", "enterprises", "enterprise data", "roster", "企业名录")
MAX_PROBLEMS = 200
_UNIT_IN_HEADER = re.compile(r"\(([^()]*)\)\s*$")
_CELSIUS = frozenset({"℃", "°c", "c", "摄氏度", "°"})
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


@dataclasses.dataclass(frozen=True)
class Field:
    """One roster column. kind: year | text | code | bool | date | int | number | carrier |
    celsius. `unit`: the unit values are held in (number, carrier)."""

    key: str
    name_zh: str
    name_en: str
    kind: str
    unit: str = ""
    aliases: tuple[str, ...] = ()
    required: bool = False
    help_zh: str = ""
    help_en: str = ""

    def column(self) -> Column:
        return Column(self.key, (self.name_zh, self.name_en, self.key, *self.aliases),
                      self.required)

    def header(self) -> str:
        """The header the template writes: the zh name and, for amounts, the unit."""
        if self.kind in ("number", "carrier"):
            return f"{self.name_zh}（{_unit_label(self.unit)}）"
        return self.name_zh + ("（℃）" if self.kind == "celsius" else "")


_UNIT_LABELS = {"m3": "立方米", "t": "吨", "m2": "平方米", "GJ": "吉焦", "kWh": "千瓦时",
                "tce": "吨标准煤", "MPa": "MPa", "kJ/kg": "kJ/kg", "万元": "万元", "人": "人"}


def _unit_label(unit: str) -> str:
    return _UNIT_LABELS.get(unit, unit)


def _f(key: str, zh: str, en: str, kind: str, unit: str = "", *aliases: str,
       required: bool = False, help_zh: str = "", help_en: str = "") -> Field:
    return Field(key, zh, en, kind, unit, aliases, required, help_zh, help_en)


FIELDS: tuple[Field, ...] = (
    _f("year", "年份", "year", "year", "", "年度", "统计年份", required=True,
       help_zh="数据所属年份（四位数字）", help_en="the year the row is about"),
    _f("name", "企业名称", "enterprise", "text", "", "单位名称", "企业", "name", "enterprise name",
       required=True),
    _f("credit_code", "统一社会信用代码", "credit code", "code", "", "社会信用代码", "信用代码",
       "uscc", "unified social credit code", required=True,
       help_zh="18 位，按 GB 32100-2015 校验", help_en="18 characters, checked (GB 32100-2015)"),
    _f("industry", "行业代码", "industry code", "text", "", "国民经济行业代码", "行业代码（GB/T 4754）",
       help_zh="GB/T 4754 行业代码，如 C2614 或 2614", help_en="GB/T 4754 code, e.g. C2614"),
    _f("key_enterprise", "重点企业", "key enterprise", "bool", "", "清洁生产审核重点企业",
       "是否重点企业", help_zh="应实施清洁生产审核的重点企业：是/否（空 = 否）",
       help_en="key enterprise required to audit: yes/no (blank = no)"),
    _f("key_polluter", "重点排污单位", "key pollutant discharger", "bool", "", "是否重点排污单位",
       help_zh="应公开环境信息的重点排污单位：是/否（空 = 否）",
       help_en="key pollutant discharger, must disclose: yes/no (blank = no)"),
    _f("hightech_cert", "高新技术企业证书编号", "high-tech certificate", "text", "",
       "高企证书编号", "高新技术企业证书号"),
    _f("hightech_from", "证书有效期起", "certificate valid from", "date", "", "发证日期"),
    _f("hightech_to", "证书有效期止", "certificate valid to", "date", "", "有效期至"),
    _f("audit_year", "清洁生产审核完成年份", "cleaner-production audit year", "int", "",
       "清洁生产审核年份"),
    _f("disclosed", "环境信息已公开", "environmental information disclosed", "bool", "",
       "是否公开环境信息", "环境信息公开"),
    _f("gross_output", "工业总产值", "gross industrial output", "number", "万元"),
    _f("value_added", "工业增加值", "industrial value added", "number", "万元"),
    _f("employees", "年末从业人员", "employees at year end", "number", "人", "从业人员",
       "年末从业人员数"),
    _f("land_area", "用地面积", "land area", "number", "m2", "工业用地面积", "占地面积"),
    _f("fresh_water", "新鲜水用量", "fresh water", "number", "m3", "新鲜水取水量", "新鲜水"),
    _f("water_reuse", "重复用水量", "reused water", "number", "m3", "重复利用水量"),
    _f("water_total", "用水总量", "total water use", "number", "m3", "工业用水总量"),
    _f("wastewater", "废水排放量", "wastewater discharged", "number", "t", "工业废水排放量"),
    _f("cod", "COD排放量", "COD", "number", "t", "化学需氧量排放量"),
    _f("nh3n", "氨氮排放量", "ammonia nitrogen", "number", "t", "NH3-N"),
    _f("so2", "二氧化硫排放量", "SO2", "number", "t", "SO2排放量"),
    _f("nox", "氮氧化物排放量", "NOx", "number", "t", "NOx排放量"),
    _f("swaste_generated", "一般工业固体废物产生量", "solid waste generated", "number", "t",
       "工业固体废物产生量"),
    _f("swaste_utilized", "一般工业固体废物综合利用量", "solid waste utilized", "number", "t",
       "工业固体废物综合利用量"),
    _f("swaste_stock_utilized", "综合利用往年贮存量", "stored waste of past years utilized",
       "number", "t"),
    _f("swaste_disposed", "一般工业固体废物处置量", "solid waste disposed", "number", "t",
       "工业固体废物处置量"),
    _f("swaste_stored", "一般工业固体废物贮存量", "solid waste stored", "number", "t",
       "工业固体废物贮存量"),
    _f("hw_generated", "危险废物产生量", "hazardous waste generated", "number", "t"),
    _f("hw_utilized", "危险废物利用量", "hazardous waste utilized", "number", "t"),
    _f("hw_disposed", "危险废物处置量", "hazardous waste disposed", "number", "t"),
    _f("hw_stock", "危险废物往年贮存量", "hazardous waste stored in past years", "number", "t"),
    _f("process_co2", "工业生产过程二氧化碳排放量", "process CO2", "number", "t", "过程排放"),
    _f("stated_co2", "企业填报二氧化碳排放量", "stated CO2", "number", "t", "二氧化碳排放量"),
    _f("stated_energy", "企业填报综合能耗", "stated energy consumption", "number", "tce",
       "综合能耗"),
    _f("steam_pressure", "蒸汽绝对压力", "steam pressure", "number", "MPa", "蒸汽压力",
       help_zh="绝对压力（表压 + 0.1）", help_en="absolute pressure (gauge + 0.1)"),
    _f("steam_temperature", "蒸汽温度", "steam temperature", "celsius"),
    _f("steam_enthalpy", "蒸汽焓值", "steam enthalpy", "number", "kJ/kg"),
)


def all_fields(library: Library) -> tuple[Field, ...]:
    """The fixed fields, then one amount column per energy carrier."""
    carriers = tuple(Field(key, c.name_zh, c.name_en, "carrier", c.unit, tuple(c.aliases))
                     for key, c in library.carriers.items())
    return FIELDS + carriers


@dataclasses.dataclass(slots=True)
class EnterpriseYear:
    """One roster row: `values` holds the reported fields (blank cells are absent), amounts in
    each field's unit; `carriers` the energy amounts in each carrier's unit."""

    row: int
    year: int
    name: str
    code: str
    values: dict[str, Any]
    carriers: dict[str, float]

    @property
    def industry(self) -> str:
        return str(self.values.get("industry", ""))

    def steam(self) -> SteamState:
        get = self.values.get
        return SteamState(get("steam_pressure"), get("steam_temperature"), get("steam_enthalpy"))


@dataclasses.dataclass(frozen=True)
class Roster:
    file: str
    sheet: str
    records: list[EnterpriseYear]
    columns: dict[str, str]  # field key → header cell
    ignored: list[str]  # header cells of columns that are none of ours
    assumed: dict[str, str]  # field key → unit assumed (the header named none)

    def has(self, key: str) -> bool:
        return key in self.columns

    def years(self) -> list[int]:
        return sorted({r.year for r in self.records})

    def carriers(self) -> list[str]:
        return sorted({c for r in self.records for c in r.carriers})

    def rows_per_year(self) -> dict[int, int]:
        """How many roster rows each year has (for the roll-up's source texts)."""
        return dict(collections.Counter(r.year for r in self.records))

    def where(self, record: EnterpriseYear, key: str) -> str:
        """The cell of a record's field (for messages)."""
        column = re.sub(r"\d+$", "", self.columns.get(key, "A1"))
        return f"{self.sheet}!{column}{record.row}"


# ------------------------------------------------------------------------ reading


class _Problems:
    def __init__(self, file: str, sheet: str) -> None:
        self.file, self.sheet, self.more = file, sheet, 0
        self.items: list[WorkbookError] = []

    def add(self, cell: str, problem: str, hint: str = "") -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(WorkbookError(self.file, self.sheet, cell, problem, hint))
        else:
            self.more += 1

    def raise_any(self) -> None:
        if self.more:
            self.items.append(WorkbookError(self.file, self.sheet, "", f"另有 {self.more} 处问题未列出 "
                                            f"{self.more} more problems not listed"))
        if self.items:
            raise WorkbookProblems(self.file, self.items)


def read_roster(path: Path, library: Library) -> Roster:
    """Read a roster (.xlsx/.xlsm sheet 企业数据, or .csv); raise WorkbookProblems listing every
    problem, InputFileError for a file that cannot be opened."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _parse(str(path), "CSV", _csv_rows(path), library)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, library)
    raise InputFileError(str(path), f"不支持的名录格式 {suffix or '(无扩展名)'} unsupported roster "
                         "format", "用 .xlsx（工作表 企业数据）或 .csv use .xlsx (sheet 企业数据) or .csv")


def _read_xlsx(path: Path, library: Library) -> Roster:
    from ecopark.io.sheet import open_workbook

    try:
        with open_workbook(path) as book:
            name = book.find_sheet(SHEET_NAMES) or (book.sheet_names[0]
                                                    if len(book.sheet_names) == 1 else None)
            if name is None:
                raise book.missing_sheet(SHEET_NAMES)
            return _parse(str(path), name, book.sheet(name).rows(), library)
    except WorkbookError as exc:
        raise WorkbookProblems(str(path), [exc]) from None


def _csv_rows(path: Path) -> Iterator[Row]:
    if not path.is_file():
        raise InputFileError(str(path), "文件不存在 file not found", "检查路径 check the path")
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputFileError(str(path), "无法识别编码 cannot decode", "另存为 UTF-8 save as UTF-8")
    for number, values in enumerate(csv.reader(io.StringIO(text, newline="")), 1):
        yield Row(number, list(values))


def _parse(file: str, sheet: str, rows: Iterator[Row], library: Library) -> Roster:
    fields = all_fields(library)
    try:
        header = find_header(file, sheet, rows, [f.column() for f in fields])
    except WorkbookError as exc:
        raise WorkbookProblems(file, [exc]) from None
    problems = _Problems(file, sheet)
    by_key = {f.key: f for f in fields}
    factors, assumed = _header_units(header, by_key, problems)
    ignored = _other_columns(header, fields, problems)
    reader = _RowReader(header, by_key, factors, problems)
    records = [rec for row in rows if not row.blank() and (rec := reader.read(row)) is not None]
    problems.raise_any()
    columns = {key: header.ref(key) for key in header.columns}
    return Roster(file, sheet, records, columns, ignored, assumed)


def _header_units(header: Header, fields: dict[str, Field],
                  problems: _Problems) -> tuple[dict[str, float], dict[str, str]]:
    """Per amount column, the factor from the header's unit to the field's unit."""
    factors: dict[str, float] = {}
    assumed: dict[str, str] = {}
    for key, column in header.columns.items():
        field = fields[key]
        if field.kind not in ("number", "carrier", "celsius"):
            continue
        written = _header_unit(header.cells[column])
        if written is None:
            assumed[key] = field.unit or "℃"
            factors[key] = 1.0
            continue
        found = _unit_factor(written, field)
        if isinstance(found, Problem):
            problems.add(header.ref(key), found.problem, found.hint)
        else:
            factors[key] = found
    return factors, assumed


def _header_unit(cell: Raw) -> str | None:
    match = _UNIT_IN_HEADER.search(unicodedata.normalize("NFKC", cell_text(cell)))
    return match[1].strip() if match and match[1].strip() else None


def _unit_factor(unit: str, field: Field) -> float | Problem:
    if field.kind == "celsius":
        if unit.casefold() in _CELSIUS:
            return 1.0
        return Problem(f"温度单位应为 ℃ temperature must be in ℃, not “{unit}”", "写 ℃ write ℃")
    try:
        if field.kind == "carrier" and is_coal_equivalent(unit):
            return Problem(f"能源品种须填实物量，不能填折标量 “{unit}” give the physical amount, "
                           "not a coal equivalent", f"改用 {_unit_label(field.unit)} 等实物单位")
        return units.conversion_factor(unit, field.unit)
    except UnitError as exc:
        return Problem(f"单位 “{unit}” 不能用于 {field.name_zh}（{exc.problem}）unit not usable for "
                       f"{field.name_en}", f"{field.name_zh} 的单位应可换算为 {_unit_label(field.unit)}")


def _other_columns(header: Header, fields: tuple[Field, ...], problems: _Problems) -> list[str]:
    """Header cells that are none of our columns: one with a unit is a misspelt amount column
    (an unknown carrier), an error; the others are ignored and listed."""
    names = [f.name_zh for f in fields]
    ignored = []
    for column, cell in header.others().items():
        ref = f"{Row(header.row, []).ref(column)}"
        unit = _header_unit(cell)
        if unit is not None and _parses(unit):
            guess = near_miss(re.sub(r"\(.*\)$", "", unicodedata.normalize("NFKC", cell_text(cell))),
                              names)
            problems.add(ref, f"未知的列或能源品种 “{cell_text(cell)}” unknown column or energy "
                         "carrier", f"是否应为 did you mean “{guess}”?" if guess else
                         "能源品种见 carriers.yaml；用 ecopark roster-template 生成模板")
        else:
            ignored.append(f"{ref} {cell_text(cell)}")
    return ignored


def _parses(unit: str) -> bool:
    try:
        units.parse_unit(unit)
    except UnitError:
        return False
    return True


class _RowReader:
    def __init__(self, header: Header, fields: dict[str, Field], factors: dict[str, float],
                 problems: _Problems) -> None:
        self.columns = [(fields[k], c) for k, c in header.columns.items() if k in factors or
                        fields[k].kind not in ("number", "carrier", "celsius")]
        self.factors, self.problems = factors, problems

    def read(self, row: Row) -> EnterpriseYear | None:
        values: dict[str, Any] = {}
        carriers: dict[str, float] = {}
        bad: set[str] = set()
        before = len(self.problems.items) + self.problems.more
        for field, column in self.columns:
            value = self._cell(field, row, column)
            if isinstance(value, Problem):
                bad.add(field.key)
            elif value is None:
                continue
            elif field.kind == "carrier":
                carriers[field.key] = value
            else:
                values[field.key] = value
        self._check_row(row, values, bad)
        if len(self.problems.items) + self.problems.more > before:
            return None
        return EnterpriseYear(row.number, values.pop("year"), values.pop("name"),
                              values.pop("credit_code"), values, carriers)

    def _check_row(self, row: Row, values: dict[str, Any], bad: set[str]) -> None:
        for key, problem in (("year", "缺少年份 the row has no year"),
                             ("name", "缺少企业名称 the row has no enterprise name"),
                             ("credit_code", "缺少统一社会信用代码 the row has no credit code")):
            if key not in values and key not in bad:
                self.problems.add(self._ref(row, key), problem, "每行须填写 every row needs it")
        if values.get("key_polluter") and "disclosed" not in values:
            self.problems.add(self._ref(row, "disclosed"), "重点排污单位须填写环境信息是否已公开 a key "
                              "pollutant discharger must say whether it disclosed", "填 是 或 否")
        if values.get("hightech_cert") and not ("hightech_from" in values and "hightech_to" in values):
            self.problems.add(self._ref(row, "hightech_cert"), "有高新技术企业证书编号但缺少有效期 a "
                              "certificate number without its validity dates", "填写证书有效期起止日期")

    def _ref(self, row: Row, key: str) -> str:
        column = next((c for f, c in self.columns if f.key == key), None)
        return row.ref(column) if column is not None else f"{row.number}:{row.number}"

    def _cell(self, field: Field, row: Row, column: int) -> Any:
        raw = row.value(column)
        if raw is None or raw == "":
            return None
        value = _read(field, raw, row.is_percent(column), self.factors.get(field.key, 1.0))
        if isinstance(value, Problem):
            self.problems.add(row.ref(column), value.problem, value.hint)
        return value


# ------------------------------------------------------------------------ cells


def _read(field: Field, raw: Raw, percent: bool, factor: float) -> Any:
    kind = field.kind
    if kind in ("number", "carrier", "celsius"):
        return _amount(field, raw, percent, factor)
    if kind == "year":
        return read_int(raw, 1900, 2200)
    if kind == "int":
        return _absent_or(read_int(raw, 1900, 2200), raw)
    if kind == "bool":
        return read_bool(raw)
    if kind == "date":
        return _date(raw)
    text = cell_text(raw)
    if kind == "code":
        return _code(text)
    return text or None


def _absent_or(value: int | Problem | None, raw: Raw) -> int | Problem | None:
    if isinstance(value, Problem) and isinstance(read_number(raw), Absent):
        return None
    return value


def _amount(field: Field, raw: Raw, percent: bool, factor: float) -> float | Problem | None:
    if isinstance(raw, int | float) and not isinstance(raw, bool) and not percent:
        value = float(raw)
    elif isinstance(raw, str) and (fast := _plain_float(raw)) is not None:
        value = fast
    else:
        found = read_number(raw, percent)
        if found is None or isinstance(found, Absent | Problem):
            return found if isinstance(found, Problem) else None
        if found.unit is not None:
            return _with_unit(field, found)
        value = float(found.value)
    return _checked(field, value * factor)


def _plain_float(text: str) -> float | None:
    if "_" in text:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _with_unit(field: Field, found: Number) -> float | Problem:
    assert found.unit is not None
    converted = _unit_factor(found.unit, field)
    if isinstance(converted, Problem):
        return converted
    return _checked(field, float(found.value) * converted)


def _checked(field: Field, value: float) -> float | Problem:
    if value < 0 and field.kind != "celsius":
        return Problem(f"{field.name_zh}不能为负 cannot be negative: {value:g}",
                       "外供能源填在“外供电力/外供热力”列，填正数 energy passed on goes, positive, "
                       "in the 外供 columns" if field.kind == "carrier" else "检查符号 check the sign")
    return value


def _code(text: str) -> str | Problem:
    code = creditcode.normalize(text)
    problem = creditcode.problem(code)
    if problem is not None:
        return Problem(f"统一社会信用代码 “{text}” 无效：{problem} invalid credit code",
                       "核对营业执照上的代码 copy it from the business licence")
    return code


def _date(raw: Raw) -> datetime.date | Problem | None:
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    text = unicodedata.normalize("NFKC", cell_text(raw)).strip()
    match = _DATE.match(text)
    try:
        if match:
            return datetime.date(int(match[1]), int(match[2]), int(match[3]))
        return datetime.date.fromisoformat(text)
    except ValueError:
        return Problem(f"不是日期 not a date: “{text}”", "写成 2019-11-28 write it as 2019-11-28")


def column_headers(library: Library) -> list[str]:
    """The template's header row."""
    return [f.header() for f in all_fields(library)]


def iter_fields(library: Library, kinds: Iterable[str]) -> list[Field]:
    wanted = set(kinds)
    return [f for f in all_fields(library) if f.kind in wanted]
