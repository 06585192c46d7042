"""Importing a park's workbook (the template of `ecopark.io.template`, or a sheet like it).

园区信息 is read by `ecopark.io.parkinfo` (it names the framework everything else needs, and the
frameworks the park is also assessed under), then 基础数据, 清单, the list sheets and 报告值 here,
设置, 申报条件 and 豁免 by `ecopark.io.choice_sheets` and the inventory sheets (核算-*) by
`ecopark.io.inventory_sheets`, all sharing one `ecopark.io.context.Context`.
Everything is found by sheet name, header text and defined names, never by position; names are
matched loosely (spaces, full-width characters, line breaks, case; zh or en). Every cell is read
by `ecopark.io.cells`; every unit is checked per cell. ALL problems of the file are collected,
each naming sheet and cell with a fix, and raised together as `WorkbookProblems`: nothing is
returned while any problem is left. The result is validated by `ecopark.core.dataset.loading.build_dataset`
like a YAML dataset.

    read_workbook_spec(path) -> DatasetFile      what `ecopark import` writes out as YAML
    read_workbook(path)      -> Dataset          what `ecopark assess park.xlsx` evaluates
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ecopark.core import units
from ecopark.core.dataset.loading import build_dataset
from ecopark.core.dataset.model import Dataset
from ecopark.core.dataset.schema import FORMAT, DatasetFile, ValueEntry
from ecopark.core.errors import DatasetError, UnitError
from ecopark.core.framework.items import Item
from ecopark.core.framework.model import Framework
from ecopark.core.numbers import ABSENT, parse_printed
from ecopark.io.cells import Absent, Number, Problem, cell_text, read_bool, read_int, read_number
from ecopark.io.choice_sheets import ChoiceSheets
from ecopark.io.context import Context, Names
from ecopark.io.inventory_sheets import InventorySheets, inventory_method
from ecopark.io.layout import (
    CHECKLIST_COLUMNS,
    DATA_COLUMNS,
    LIST_FIELD_LABELS,
    REPORTED_COLUMNS,
    SHEETS,
    unit_choices,
    unit_display,
)
from ecopark.io.parkinfo import ParkInfo
from ecopark.io.sheet import Column, Header, Row, Sheet, Workbook, cell_ref, open_workbook
from ecopark.io.template import write_template

__all__ = ["read_workbook", "read_workbook_spec", "write_template"]


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
    assessed = framework if framework is not None else fw  # one it is also assessed under
    try:
        spec = DatasetFile.model_validate(data)
        return spec, build_dataset(spec, assessed, str(path))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise reader.problems.fatal(reader.places.find(where), str(first["msg"])) from None
    except DatasetError as exc:
        hint = exc.hint or ""
        raise reader.problems.fatal(reader.places.find(exc.key_path), exc.problem, hint) from None


# ------------------------------------------------------------------------ names of things


def _checklist_names(framework: Framework) -> Names:
    """A checklist by id, name, or the number or name of the indicator that counts it (20)."""
    names = {k: [c.name_zh, c.name_en] for k, c in framework.spec.checklists.items()}
    for ind in framework.indicators:
        for key in names:
            if f"checklist({key})" in ind.formula.replace(" ", ""):
                names[key] += [str(ind.number), ind.name_zh]
    return Names(names)


def _items(frameworks: list[Framework]) -> dict[str, Item]:
    """Every item of the workbook's frameworks, the own framework's definition first."""
    return {k: v for fw in reversed(frameworks) for k, v in fw.spec.items.items()}


# ------------------------------------------------------------------------ the reader


class _Reader:
    """园区信息 first (it names the framework), then every other sheet; all problems at once."""

    def __init__(self, book: Workbook) -> None:
        self.context = Context(book)
        self.book, self.problems, self.places = book, self.context.problems, self.context.places
        self.framework: Framework | None = None

    def read(self, framework: Framework | None) -> dict[str, Any]:
        park = ParkInfo(self.context)
        found = park.read(framework)
        self.framework = fw = park.framework
        if found is None or fw is None:
            self.problems.raise_any()
            raise AssertionError("unreachable: an unknown framework is a problem")
        frameworks = [fw, *park.others]
        data: dict[str, Any] = {"format": FORMAT, **found}
        data["observations"] = self._observations(_items(frameworks))
        data["checklists"] = self._checklists(fw)
        data["lists"] = self._lists(fw)
        data["reported"] = self._reported(fw, data["year"])
        data.update(ChoiceSheets(self.context, frameworks).read())
        method = inventory_method(frameworks)
        inventory = InventorySheets(self.context, method).read() if method else {}
        if inventory:
            data["inventory"] = inventory
        self.problems.raise_any()
        return data

    # -- 基础数据

    def _observations(self, items: dict[str, Item]) -> dict[str, Any]:
        sheet = self.context.sheet(SHEETS["data"], required=True)
        rows = sheet.rows() if sheet else iter(())
        header = self.context.header(sheet, rows, DATA_COLUMNS) if sheet else None
        if sheet is None or header is None:
            return {}
        reader = _DataRows(self, items, sheet.name, header, self._year_columns(sheet.name, header))
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
        sheet = self.context.sheet(SHEETS["checklists"]) if fw.spec.checklists else None
        rows = sheet.rows() if sheet else iter(())
        header = self.context.header(sheet, rows, CHECKLIST_COLUMNS) if sheet else None
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

    def _checklist_row(self, names: Names, sheet: str, header: Header,
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
            sheet = self.context.sheet((spec.name_zh, key, spec.name_en))
            records = self._list_records(key, sheet, spec.fields) if sheet else []
            if records:
                out[key] = records
        return out

    def _list_records(self, key: str, sheet: Sheet, fields: list[str]) -> list[dict[str, Any]]:
        columns = tuple(Column(f, LIST_FIELD_LABELS.get(f, (f,)), required=f == "year")
                        for f in fields)
        rows = sheet.rows()
        header = self.context.header(sheet, rows, columns)
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
        sheet = self.context.sheet(SHEETS["reported"])
        rows = sheet.rows() if sheet else iter(())
        header = self.context.header(sheet, rows, REPORTED_COLUMNS) if sheet else None
        if sheet is None or header is None:
            return None
        values: dict[int, str] = {}
        column = header.columns["value"]
        for row in rows:
            text = _reported_text(row, column)
            number = self.context.indicator(fw, sheet.name, header, row) if text else None
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

    def __init__(self, reader: _Reader, items: dict[str, Item], sheet: str, header: Header,
                 years: dict[int, int]) -> None:
        self.reader, self.items, self.sheet, self.header = reader, items, sheet, header
        self.years = years
        self.problems, self.places = reader.problems, reader.places
        self.names = Names({key: [item.name_zh, item.name_en, *item.aliases]
                            for key, item in items.items()})
        self.seen: dict[str, int] = {}
        self.observations: dict[str, Any] = {}

    def row(self, row: Row) -> None:
        if all(not cell_text(row.value(c)) for c in self.years):
            return
        key = self._item(row)
        if key is None:
            return
        item = self.items[key]
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
        names = Names({k: [label.zh or k, label.en] for k, label in allowed.items()})
        key = names.find(text)
        if key is None:
            self.problems.add(self.sheet, row.ref(column), f"{item.name_zh} 的取值 “{text}” 不在允许"
                              f"范围 not an allowed value", f"可选 choose one of: "
                              f"{'、'.join(label.zh or k for k, label in allowed.items())}")
        return key


# ------------------------------------------------------------------------ small helpers


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
