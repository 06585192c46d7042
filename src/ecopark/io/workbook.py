"""Importing a park's workbook (the template of `ecopark.io.template`, or a sheet like it).

Everything is found by sheet name, header text and defined names, never by position; names are
matched loosely (spaces, full-width characters, line breaks, case; zh or en). Every cell is read
by `ecopark.io.cells`; every unit is checked per cell. ALL problems of the file are collected,
each naming sheet and cell with a fix, and raised together as `WorkbookProblems`: nothing is
returned while any problem is left. The result is validated by `ecopark.dataset.build_dataset`
like a YAML dataset.

    read_workbook_spec(path) -> DatasetFile      what `ecopark import` writes out as YAML
    read_workbook(path)      -> Dataset          what `ecopark assess park.xlsx` evaluates
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ecopark import units
from ecopark.dataset import FORMAT, Dataset, DatasetFile, ValueEntry, build_dataset
from ecopark.errors import DatasetError, UnitError, WorkbookError, WorkbookProblems
from ecopark.framework import Framework, Item, available_frameworks, load_framework
from ecopark.io.cells import Absent, Number, Problem, Raw, cell_text, read_bool, read_int, read_number
from ecopark.io.sheet import (
    HEADER_SCAN,
    Column,
    Header,
    Row,
    Sheet,
    Workbook,
    cell_ref,
    find_header,
    label_forms,
    label_matches,
    near_miss,
    normalize_label,
    open_workbook,
    parse_ref,
)
from ecopark.io.template import (
    CHECKLIST_COLUMNS,
    DATA_COLUMNS,
    LIST_FIELD_LABELS,
    OPTIONAL_COLUMNS,
    PARK_FIELDS,
    REPORTED_COLUMNS,
    SHEETS,
    ParkField,
    park_fields,
    unit_choices,
    unit_display,
    write_template,
)
from ecopark.numbers import ABSENT, parse_printed

__all__ = ["read_workbook", "read_workbook_spec", "write_template"]

DEFAULT_FRAMEWORK = "hj274-2015"
MAX_PROBLEMS = 1000
_UNCALCULATED = "公式未计算 formula never calculated: open and save the file in Excel/WPS"
_UNCALCULATED_HINT = "在 Excel/WPS 中打开本文件并保存，再重新导入 open the file in Excel/WPS, " \
    "save it, and import it again"


def read_workbook_spec(path: Path, framework: Framework | None = None) -> DatasetFile:
    """The workbook as a dataset file (validated); raise WorkbookProblems listing every problem.
    `framework` None: the one named in 园区信息 (default hj274-2015)."""
    return _read(Path(path), framework)[0]


def read_workbook(path: Path, framework: Framework | None = None) -> Dataset:
    """The workbook as a validated dataset; raise WorkbookProblems listing every problem."""
    return _read(Path(path), framework)[1]


def _read(path: Path, framework: Framework | None) -> tuple[DatasetFile, Dataset]:
    with open_workbook(path) as book:
        reader = _Reader(book)
        data = reader.read(framework)
    fw = reader.framework
    assert fw is not None and data is not None  # reader.read raised otherwise
    try:
        spec = DatasetFile.model_validate(data)
        return spec, build_dataset(spec, fw, str(path))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise reader.problems.fatal(reader.places.find(where), str(first["msg"])) from None
    except DatasetError as exc:
        hint = exc.hint or ""
        raise reader.problems.fatal(reader.places.find(exc.key_path), exc.problem, hint) from None


# ------------------------------------------------------------------------ collecting problems


class _Problems:
    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[WorkbookError] = []
        self.dropped = 0

    def add(self, sheet: str, cell: str, problem: str, hint: str = "") -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(WorkbookError(self.file, sheet, cell, problem, hint))
        else:
            self.dropped += 1

    def cell(self, sheet: str, cell: str, found: Problem) -> None:
        self.add(sheet, cell, found.problem, found.hint)

    def error(self, error: WorkbookError) -> None:
        self.items.append(error)

    def raise_any(self) -> None:
        if self.dropped:
            self.items.append(WorkbookError(self.file, "", "", f"另有 {self.dropped} 处问题未列出 "
                                            f"and {self.dropped} more problems"))
            self.dropped = 0
        if self.items:
            raise WorkbookProblems(self.file, list(self.items))

    def fatal(self, place: tuple[str, str], problem: str, hint: str = "") -> WorkbookProblems:
        return WorkbookProblems(self.file, [WorkbookError(self.file, *place, problem, hint)])


class _Places:
    """Where each key path of the dataset came from, to place late validation errors."""

    def __init__(self) -> None:
        self._by_key: dict[str, tuple[str, str]] = {}

    def note(self, key_path: str, sheet: str, cell: str) -> None:
        self._by_key.setdefault(key_path, (sheet, cell))

    def find(self, key_path: str) -> tuple[str, str]:
        for key in sorted(self._by_key, key=len, reverse=True):
            if key_path == key or key_path.startswith((f"{key}.", f"{key}[")):
                return self._by_key[key]
        return "", ""


@dataclasses.dataclass(frozen=True)
class _Found:
    """A value read from one cell, with its place."""

    value: Raw
    sheet: str
    cell: str


# ------------------------------------------------------------------------ names of things


class _Names:
    """Items, indicators, checklists of a framework looked up by id or any of their names."""

    def __init__(self, entries: dict[str, list[str]]) -> None:
        self._by_form: dict[str, str] = {}
        self._shown: list[str] = []
        for key, names in entries.items():
            for name in [key, *names]:
                self._by_form.setdefault(normalize_label(name), key)
            self._shown.append(names[0] if names else key)

    def find(self, text: str) -> str | None:
        exact = self._by_form.get(normalize_label(text))
        if exact is not None:
            return exact
        return next((self._by_form[f] for f in label_forms(text) if f in self._by_form), None)

    def hint(self, text: str) -> str:
        guess = near_miss(text, [*self._shown, *self._by_form], cutoff=0.6)
        if guess is None:
            return ""
        key = self.find(guess)
        return f"是否应为 did you mean “{guess}”（{key}）?"


def _checklist_names(framework: Framework) -> _Names:
    """A checklist by id, name, or the number or name of the indicator that counts it (20)."""
    names = {k: [c.name_zh, c.name_en] for k, c in framework.spec.checklists.items()}
    for ind in framework.indicators:
        for key in names:
            if f"checklist({key})" in ind.formula.replace(" ", ""):
                names[key] += [str(ind.number), ind.name_zh]
    return _Names(names)


def _item_names(framework: Framework) -> _Names:
    return _Names({key: [item.name_zh, item.name_en, *item.aliases]
                   for key, item in framework.spec.items.items()})


# ------------------------------------------------------------------------ the reader


class _Reader:
    def __init__(self, book: Workbook) -> None:
        self.book = book
        self.problems = _Problems(book.file)
        self.places = _Places()
        self.framework: Framework | None = None
        self._small: dict[str, list[Row]] = {}
        self._park_sheet: Sheet | None = None

    def read(self, framework: Framework | None) -> dict[str, Any]:
        park = self._sheet(SHEETS["park"], required=True)
        rows = list(park.rows()) if park else []
        if park is not None:
            self._small[park.name] = rows
        self._park_sheet = park
        fixed = self._park_cells(park, rows, list(PARK_FIELDS))
        self.framework = fw = self._framework(fixed.get("framework"), framework)
        if fw is None:
            self.problems.raise_any()
            raise AssertionError("unreachable: an unknown framework is a problem")
        fields = park_fields(fw)[len(PARK_FIELDS):]
        cells = {**fixed, **self._park_cells(park, rows, fields)}
        data: dict[str, Any] = {"format": FORMAT, "framework": fw.id}
        data["park"] = self._park(fw, cells, fields)
        data["park"]["selected"] = self._selected(fw, park, rows) if park else []
        data["year"] = self._year(cells, PARK_FIELDS[3])
        data["observations"] = self._observations(fw)
        data["checklists"] = self._checklists(fw)
        data["lists"] = self._lists(fw)
        data["reported"] = self._reported(fw, data["year"])
        self.problems.raise_any()
        return data

    # -- sheets

    def _sheet(self, names: tuple[str, ...], required: bool = False) -> Sheet | None:
        name = self.book.find_sheet(names)
        if name is None:
            if required:
                self.problems.error(self.book.missing_sheet(names))
            return None
        try:
            sheet = self.book.sheet(name)
        except WorkbookError as exc:
            self.problems.error(exc)
            return None
        for ref in sheet.uncalculated:
            self.problems.add(sheet.name, ref, _UNCALCULATED, _UNCALCULATED_HINT)
        return sheet

    def _header(self, sheet: Sheet, rows: Iterator[Row], columns: tuple[Column, ...],
                scan: int = HEADER_SCAN) -> Header | None:
        try:
            return find_header(sheet.file, sheet.name, rows, columns, scan)
        except WorkbookError as exc:
            self.problems.error(exc)
            return None

    # -- 园区信息

    def _park_cells(self, sheet: Sheet | None, rows: list[Row],
                    fields: list[ParkField]) -> dict[str, _Found]:
        """Each field's value cell: its defined name, else the cell next to its label."""
        names = self.book.defined_names
        out: dict[str, _Found] = {}
        for field in fields:
            place = names.get(field.key.casefold())
            found = self._named(place) if place else None
            if found is None and sheet is not None:
                found = _by_label(sheet.name, rows, field.labels)
            if found is not None:
                out[field.key] = found
        return out

    def _named(self, place: tuple[str, str]) -> _Found | None:
        if place[0] not in self.book.sheet_names:
            return None
        if place[0] not in self._small:
            self._small[place[0]] = list(self.book.sheet(place[0]).rows())
        row_number, column = parse_ref(place[1])
        row = next((r for r in self._small[place[0]] if r.number == row_number), None)
        return _Found(row.value(column) if row else "", place[0], place[1])

    def _framework(self, found: _Found | None, given: Framework | None) -> Framework | None:
        written = cell_text(found.value) if found else ""
        if given is None:
            return self._load_framework(written or DEFAULT_FRAMEWORK, found)
        if found is not None and written and normalize_label(written) != normalize_label(given.id):
            self.problems.add(found.sheet, found.cell, f"工作簿的指标体系为 “{written}”，而指定的是 "
                              f"{given.id} the workbook is for {written!r}, not {given.id}",
                              f"改为 {given.id}，或不指定 --framework change it, or drop --framework")
        return given

    def _load_framework(self, name: str, found: _Found | None) -> Framework | None:
        """Only the frameworks shipped with ecopark: a workbook must not name a file to load."""
        available = available_frameworks()
        key = next((k for k in available if normalize_label(k) == normalize_label(name)), None)
        if key is not None:
            return load_framework(key)
        self.problems.add(found.sheet if found else SHEETS["park"][0], found.cell if found else "",
                          f"未知指标体系 unknown framework “{name}”",
                          f"可用 available: {', '.join(available)}；自定义指标体系请用 --framework "
                          "指定文件 give a framework file with --framework")
        return None

    def _park(self, fw: Framework, cells: dict[str, _Found],
              fields: list[ParkField]) -> dict[str, Any]:
        park: dict[str, Any] = {"name": self._name(cells.get("park_name"))}
        park["base_year"] = self._year(cells, PARK_FIELDS[2])
        for field in fields:
            value = self._profile(fw, field, cells.get(field.key))
            if value is not None:
                park[field.key] = value
        for key, path in (("park_name", "park.name"), ("base_year", "park.base_year"),
                          ("eval_year", "year"), ("framework", "framework")):
            if key in cells:
                self.places.note(path, cells[key].sheet, cells[key].cell)
        return park

    def _missing(self, field: ParkField, found: _Found | None) -> None:
        if found is None and self._park_sheet is None:
            return  # the missing sheet is the problem already reported
        sheet = found.sheet if found else SHEETS["park"][0]
        self.problems.add(sheet, found.cell if found else "", f"未填写{field.name_zh} "
                          f"{field.name_en} not filled in", f"在工作表 {SHEETS['park'][0]} 中填写"
                          f"{field.name_zh} fill in the {field.name_en.lower()}")

    def _name(self, found: _Found | None) -> str:
        text = cell_text(found.value) if found else ""
        if not text:
            self._missing(PARK_FIELDS[0], found)
        return text

    def _year(self, cells: dict[str, _Found], field: ParkField) -> int | None:
        found = cells.get(field.key)
        year = read_int(found.value, 1900, 2200) if found else None
        if isinstance(year, int):
            return year
        if isinstance(year, Problem) and found is not None:
            self.problems.cell(found.sheet, found.cell, year)
        else:
            self._missing(field, found)
        return None

    def _profile(self, fw: Framework, field: ParkField, found: _Found | None) -> str | None:
        declared = fw.spec.profile_fields[field.key]
        text = cell_text(found.value) if found else ""
        if not text:
            if declared.default is None:
                self._missing(field, found)
            return declared.default
        names = _Names({k: [v.zh or v.en, v.en] for k, v in declared.values.items()})
        key = names.find(text)
        if found is not None and key is None:
            self.problems.add(found.sheet, found.cell, f"{declared.name_zh}的取值 “{text}” 不在允许"
                              f"范围 not an allowed {declared.name_en}",
                              f"可选 choose one of: {'、'.join(field.choices)}")
        elif found is not None:
            self.places.note(f"park.{field.key}", found.sheet, found.cell)
        return key

    def _selected(self, fw: Framework, sheet: Sheet, rows: list[Row]) -> list[int]:
        """The optional-indicator table (是否为考核指标 = 是); absent table: none selected."""
        if not any(label_matches(v, OPTIONAL_COLUMNS[2].names) for r in rows for v in r.values):
            return []
        stream = iter(rows)
        header = self._header(sheet, stream, OPTIONAL_COLUMNS, scan=len(rows))
        if header is None:
            return []
        chosen: list[int] = []
        for row in stream:
            number = self._optional_row(fw, sheet.name, header, row)
            if number is not None:
                self.places.note(f"park.selected[{len(chosen)}]", sheet.name,
                                 row.ref(header.columns["selected"]))
                chosen.append(number)
        return chosen

    def _optional_row(self, fw: Framework, sheet: str, header: Header, row: Row) -> int | None:
        column = header.columns["selected"]
        chosen = read_bool(row.value(column))
        if isinstance(chosen, Problem):
            self.problems.cell(sheet, row.ref(column), chosen)
        if chosen is not True:
            return None
        number = self._indicator(fw, sheet, header, row)
        if number is not None and fw.by_number[number].mandatory:
            self.problems.add(sheet, row.ref(column), f"指标 {number} 是必选指标，无需选择 "
                              f"indicator {number} is mandatory, always assessed",
                              "删除此行或改为“否” delete the row or choose 否")
            return None
        return number

    def _indicator(self, fw: Framework, sheet: str, header: Header, row: Row) -> int | None:
        """The indicator of a row: by 序号, else by its name."""
        column = header.columns["number"]
        number = read_int(row.value(column), 1, 9999)
        if isinstance(number, int) and number in fw.by_number:
            return number
        name = cell_text(row.value(header.columns.get("indicator", 0)))
        names = _Names({str(i.number): [i.name_zh, i.name_en] for i in fw.indicators})
        key = names.find(name) if name and number is None else None
        if key is not None:
            return int(key)
        shown = cell_text(row.value(column)) or name
        self.problems.add(sheet, row.ref(column), f"没有这个指标 no such indicator: “{shown}”",
                          names.hint(name) or f"序号应为 1–{max(fw.by_number)} the number "
                          f"should be 1–{max(fw.by_number)}")
        return None

    # -- 基础数据

    def _observations(self, fw: Framework) -> dict[str, Any]:
        sheet = self._sheet(SHEETS["data"], required=True)
        rows = sheet.rows() if sheet else iter(())
        header = self._header(sheet, rows, DATA_COLUMNS) if sheet else None
        if sheet is None or header is None:
            return {}
        reader = _DataRows(self, fw, sheet.name, header, self._year_columns(sheet.name, header))
        for row in rows:
            reader.row(row)
        return reader.observations

    def _year_columns(self, sheet: str, header: Header) -> dict[int, int]:
        years: dict[int, int] = {}
        for column, value in header.others().items():
            year = read_int(value, 1900, 2200)
            if not isinstance(year, int):
                continue
            if year in years.values():
                self.problems.add(sheet, cell_ref(header.row, column), f"年份列 {year} 重复 the "
                                  f"year {year} appears twice", "删除或合并重复的年份列 remove the "
                                  "duplicate column")
                continue
            years[column] = year
        if not years:
            self.problems.add(sheet, f"{header.row}:{header.row}", "表头中没有年份列 no year "
                              "column in the header", "在表头写年份，如 2018 put years such as "
                              "2018 in the header")
        return years

    # -- 清单

    def _checklists(self, fw: Framework) -> dict[str, dict[int, list[dict[str, Any]]]]:
        sheet = self._sheet(SHEETS["checklists"]) if fw.spec.checklists else None
        rows = sheet.rows() if sheet else iter(())
        header = self._header(sheet, rows, CHECKLIST_COLUMNS) if sheet else None
        if sheet is None or header is None:
            return {}
        names = _checklist_names(fw)
        out: dict[str, dict[int, list[dict[str, Any]]]] = {}
        for row in rows:
            entry = self._checklist_row(names, sheet.name, header, row)
            if entry is not None:
                key, year, record = entry
                self.places.note(f"checklists.{key}", sheet.name, row.ref(header.columns["checklist"]))
                out.setdefault(key, {}).setdefault(year, []).append(record)
        return out

    def _checklist_row(self, names: _Names, sheet: str, header: Header,
                       row: Row) -> tuple[str, int, dict[str, Any]] | None:
        cols = header.columns
        if row.blank(cols.values()):
            return None
        text = cell_text(row.value(cols["checklist"]))
        key = names.find(text) if text else None
        if key is None:
            self.problems.add(sheet, row.ref(cols["checklist"]), f"未知清单 unknown checklist “{text}”",
                              names.hint(text) or "从下拉列表选择 choose from the list")
        year = self._cell_year(sheet, row, cols["year"])
        name = cell_text(row.value(cols["name"]))
        if not name:
            self.problems.add(sheet, row.ref(cols["name"]), "子项未填写 sub-item missing",
                              "填写子项名称 name the sub-item")
        done = read_bool(row.value(cols["done"]))
        if not isinstance(done, bool):
            self.problems.cell(sheet, row.ref(cols["done"]), done or Problem(
                "是否满足未填写 not filled in", "选择 是 或 否 choose 是 or 否"))
        if key is None or year is None or not name or not isinstance(done, bool):
            return None
        evidence = cell_text(row.value(cols.get("evidence", 0)))
        return key, year, {"name": name, "done": done, "evidence": evidence}

    def _cell_year(self, sheet: str, row: Row, column: int) -> int | None:
        year = read_int(row.value(column), 1900, 2200)
        if isinstance(year, int):
            return year
        self.problems.cell(sheet, row.ref(column), year or Problem(
            "年份未填写 year missing", "填写四位年份，如 2018 write a four-digit year"))
        return None

    # -- lists (生态工业链项目)

    def _lists(self, fw: Framework) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for key, spec in fw.spec.lists.items():
            sheet = self._sheet((spec.name_zh, key, spec.name_en))
            records = self._list_records(key, sheet, spec.fields) if sheet else []
            if records:
                out[key] = records
        return out

    def _list_records(self, key: str, sheet: Sheet, fields: list[str]) -> list[dict[str, Any]]:
        columns = tuple(Column(f, LIST_FIELD_LABELS.get(f, (f,)), required=f == "year")
                        for f in fields)
        rows = sheet.rows()
        header = self._header(sheet, rows, columns)
        if header is None:
            return []
        records: list[dict[str, Any]] = []
        for row in rows:
            if row.blank(header.columns.values()):
                continue
            year = self._cell_year(sheet.name, row, header.columns["year"])
            if year is not None:
                self.places.note(f"lists.{key}[{len(records)}]", sheet.name, row.ref(1))
                records.append({**{f: cell_text(row.value(c)) for f, c in header.columns.items()},
                                "year": year})
        return records

    # -- 报告值

    def _reported(self, fw: Framework, year: int | None) -> dict[str, Any] | None:
        sheet = self._sheet(SHEETS["reported"])
        rows = sheet.rows() if sheet else iter(())
        header = self._header(sheet, rows, REPORTED_COLUMNS) if sheet else None
        if sheet is None or header is None:
            return None
        values: dict[int, str] = {}
        column = header.columns["value"]
        for row in rows:
            text = _reported_text(row, column)
            number = self._indicator(fw, sheet.name, header, row) if text else None
            if number is not None and number in values:
                self.problems.add(sheet.name, row.ref(column), f"指标 {number} 的报告值重复 "
                                  f"indicator {number} is reported twice", "删除重复行 delete one")
            elif number is not None:
                values[number] = text
                self.places.note(f"reported.indicators.{number}", sheet.name, row.ref(column))
        if not values or year is None:
            return None
        return {"year": year, "source": f"{self.book.path.name} 工作表 报告值", "indicators": values}


class _DataRows:
    """The rows of 基础数据, one item per row, into `observations`."""

    def __init__(self, reader: _Reader, fw: Framework, sheet: str, header: Header,
                 years: dict[int, int]) -> None:
        self.reader, self.fw, self.sheet, self.header, self.years = reader, fw, sheet, header, years
        self.problems, self.places = reader.problems, reader.places
        self.names = _item_names(fw)
        self.seen: dict[str, int] = {}
        self.observations: dict[str, Any] = {}

    def row(self, row: Row) -> None:
        if all(not cell_text(row.value(c)) for c in self.years):
            return
        key = self._item(row)
        if key is None:
            return
        item = self.fw.spec.items[key]
        unit = self._unit(row, item)
        values = {}
        for column, year in self.years.items():
            value = self._value(row, column, item, unit)
            if value is not None:
                values[year] = value
                self.places.note(f"observations.{key}.values.{year}", self.sheet, row.ref(column))
        series = {"unit": unit, "source": self._text(row, "source"), "note": self._text(row, "note")}
        self.observations[key] = {**{k: v for k, v in series.items() if v}, "values": values}

    def _text(self, row: Row, key: str) -> str:
        return cell_text(row.value(self.header.columns.get(key, 0)))

    def _item(self, row: Row) -> str | None:
        cols = self.header.columns
        texts = [(c, self._text(row, c)) for c in ("id", "name", "name_en") if c in cols]
        texts = [(c, t) for c, t in texts if t]
        if not texts:
            self.problems.add(self.sheet, row.ref(cols["name"]), "有数值但没有数据项名称 values "
                              "without an item name", "填写数据项名称或标识 name the item")
            return None
        key = next((k for _, t in texts if (k := self.names.find(t)) is not None), None)
        if key is None:
            column, text = texts[0]
            self.problems.add(self.sheet, row.ref(cols[column]), f"未知数据项 unknown item “{text}”",
                              self.names.hint(text) or "用模板中的数据项名称 use the template's "
                              "item names")
            return None
        if key in self.seen:
            self.problems.add(self.sheet, row.ref(cols[texts[0][0]]), f"数据项重复 the item appears "
                              f"twice (第 {self.seen[key]} 行 row {self.seen[key]})",
                              "合并为一行 keep one row")
            return None
        self.seen[key] = row.number
        self.places.note(f"observations.{key}", self.sheet, row.ref(cols[texts[0][0]]))
        return key

    def _unit(self, row: Row, item: Item) -> str | None:
        column = self.header.columns.get("unit", 0)
        unit = cell_text(row.value(column)) if column else ""
        if unit in ABSENT or item.kind == "fact":
            return None  # "-" in a unit cell: the item's own unit
        problem = _unit_problem(unit, item)
        if problem is not None:
            self.problems.cell(self.sheet, row.ref(column), problem)
            return None
        return unit

    def _value(self, row: Row, column: int, item: Item, unit: str | None) -> Any:
        if item.kind == "fact":
            return self._fact(row, column, item)
        found = read_number(row.value(column), row.is_percent(column))
        if found is None or isinstance(found, Absent):
            return found.text if found else None
        if isinstance(found, Problem):
            self.problems.cell(self.sheet, row.ref(column), found)
            return None
        return self._number(row, column, item, unit, found)

    def _number(self, row: Row, column: int, item: Item, unit: str | None,
                found: Number) -> Any:
        if found.value < 0 and not item.allow_negative:
            self.problems.add(self.sheet, row.ref(column), f"{item.name_zh} 不能为负 cannot be "
                              f"negative: {found.value}", "检查符号 check the sign")
            return None
        if found.unit is None or found.unit == (unit or item.unit):
            return found.value
        problem = _unit_problem(found.unit, item)
        if problem is not None:
            hint = "该单元格设为百分比格式，请改为“常规” the cell is formatted as a percentage; " \
                "set it to General" if row.is_percent(column) else problem.hint
            self.problems.add(self.sheet, row.ref(column), problem.problem, hint)
            return None
        return ValueEntry(value=found.value, unit=found.unit).model_dump(exclude_none=True)

    def _fact(self, row: Row, column: int, item: Item) -> str | None:
        text = cell_text(row.value(column))
        if not text or parse_printed(text).absent:
            return text or None
        allowed = item.values or {}
        names = _Names({k: [label.zh or k, label.en] for k, label in allowed.items()})
        key = names.find(text)
        if key is None:
            self.problems.add(self.sheet, row.ref(column), f"{item.name_zh} 的取值 “{text}” 不在允许"
                              f"范围 not an allowed value", f"可选 choose one of: "
                              f"{'、'.join(label.zh or k for k, label in allowed.items())}")
        return key


# ------------------------------------------------------------------------ small helpers


def _by_label(sheet: str, rows: list[Row], labels: tuple[str, ...]) -> _Found | None:
    """A label | value row: the first non-empty cell is the label, the cell right of it (and of
    its merged copies) the value."""
    for row in rows:
        label = next((c for c in range(1, len(row.values) + 1) if cell_text(row.value(c))), 0)
        if label and label_matches(row.value(label), labels):
            column = label + 1
            while column <= len(row.values) and row.value(column) == row.value(label):
                column += 1
            return _Found(row.value(column), sheet, row.ref(column))
    return None


def _unit_problem(unit: str, item: Item) -> Problem | None:
    """Why `unit` cannot hold the item's values, with the spellings that can; None if it can."""
    choices = "、".join(unit_choices(item.unit) or [item.unit])
    hint = f"改用 use one of: {choices}"
    try:
        units.parse_unit(unit)
    except UnitError:
        return Problem(f"无法识别的单位 unknown unit “{unit}”", hint)
    try:
        units.conversion_factor(unit, item.unit)
    except UnitError:
        return Problem(f"单位 “{unit}” 不能换算为{item.name_zh}的单位 {unit_display(item.unit)} "
                       f"the unit cannot be converted to {item.unit}", hint)
    return None


def _reported_text(row: Row, column: int) -> str:
    raw = row.value(column)
    if row.is_percent(column) and isinstance(raw, int | float) and not isinstance(raw, bool):
        found = read_number(raw, True)
        return found.text if isinstance(found, Number) else cell_text(raw)
    return cell_text(raw)
