"""Reading the enterprise roster (企业名录): the sheet 企业数据 of an xlsx workbook, or a CSV file
with the same columns, into an `ecopark.accounting.roster.Roster`.

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

import csv
import datetime
import io
import math
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ecopark.accounting import creditcode
from ecopark.accounting.coefficients import Library, is_coal_equivalent
from ecopark.accounting.roster import EnterpriseYear, Field, Roster, all_fields, unit_label
from ecopark.core import units
from ecopark.core.errors import InputFileError, UnitError, WorkbookError, WorkbookProblems
from ecopark.core.text import near_miss
from ecopark.io.cells import Absent, Number, Problem, Raw, cell_text, read_bool, read_int, read_number
from ecopark.io.sheet import Column, Header, Row, find_header, open_workbook

__all__ = ["SHEET_NAMES", "read_cell", "read_roster"]

SHEET_NAMES = ("企业数据", "enterprises", "enterprise data", "roster", "企业名录")
MAX_PROBLEMS = 200
_UNIT_IN_HEADER = re.compile(r"\(([^()]*)\)\s*$")
_CELSIUS = frozenset({"℃", "°c", "c", "摄氏度", "°"})
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


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
        header = find_header(file, sheet, rows, [Column(f.key, f.names(), f.required) for f in fields])
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
                           "not a coal equivalent", f"改用 {unit_label(field.unit)} 等实物单位")
        return units.conversion_factor(unit, field.unit)
    except UnitError as exc:
        return Problem(f"单位 “{unit}” 不能用于 {field.name_zh}（{exc.problem}）unit not usable for "
                       f"{field.name_en}", f"{field.name_zh} 的单位应可换算为 {unit_label(field.unit)}")


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
        value = read_cell(field, raw, row.is_percent(column), self.factors.get(field.key, 1.0))
        if isinstance(value, Problem):
            self.problems.add(row.ref(column), value.problem, value.hint)
        return value


# ------------------------------------------------------------------------ cells


def read_cell(field: Field, raw: Raw, percent: bool, factor: float) -> Any:
    """One cell of a field's column: its value in the field's unit (`factor` from the header's
    unit), None when blank, or the `Problem` to report."""
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
