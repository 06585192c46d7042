"""The inventory sheets of the workbook (核算清单, the dataset's `inventory:` section): one sheet
per section of a year's inventory, one row per line, written by the template and read back.

    核算-电力      年份 | 电力类别 | 方向 | 电量 | 单位 | 来源 | 备注
    核算-热力      年份 | 热力类型 | 方向 | 热量 | 单位 | 实测排放因子 (值, 单位, 来源) | 来源 | 备注
    核算-燃料      年份 | 燃料 | 用途 | 消费量 | 单位 | 实测排放因子 (…) | 实测折标系数 (…) | 来源 | 备注
    核算-加工转换  年份 | 加工转换过程 | 投入/产出 | 燃料 | 数量 | 单位 | 因子 (…) | 折标系数 (…) | …
                   (the rows of one year and process make one conversion line: its inputs and
                   outputs)
    核算-工业过程  年份 | 企业 | 产品 | 产量 | 单位 | 实测排放因子 (…) | 碳质量平衡 (碳输入, 碳输出,
                   单位, 来源) | 来源 | 备注

The sheets appear when a framework of the workbook (its own or one it is also assessed under)
accounts an inventory (`inventory:` in the framework file); the names in the dropdowns are the
inventory method's vocabulary (electricity classes, heat kinds, fuel uses, products) and the
fuel carriers of accounting/data/carriers.yaml, read back by id or any of their names. Every
field is a column found by its header text; a blank cell leaves the dataset's default (方向
受入, 用途 终端消费, the section's unit). What the rows mean is checked where a YAML dataset's
inventory is checked (`ecopark.accounting.zerocarbon`): its errors come back to the cell here.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterator
from typing import Any, Literal

from ecopark.core.framework.model import Framework
from ecopark.io.cells import Absent, Number, Problem, cell_text, read_int, read_number
from ecopark.io.context import Context, Names
from ecopark.io.sheet import Column, Header, Row, column_letters
from ecopark.io.sheetstyle import (
    BLANK_ROWS,
    column_widths,
    dropdown,
    header_row,
    print_setup,
    title_row,
    validation,
    whole,
)

__all__ = ["SECTIONS", "InventorySheets", "inventory_method", "vocabularies", "write_inventory_sheets"]

Kind = Literal["year", "number", "text", "choice"]


@dataclasses.dataclass(frozen=True)
class Field:
    """One column of an inventory sheet: where its value goes in the line (`factor.value`)."""

    path: str
    names: tuple[str, ...]  # header labels, the first is written
    kind: Kind = "text"
    vocab: str = ""  # for choice: a vocabulary of `vocabularies`
    closed: bool = True  # a choice that must be one of the vocabulary (fuels, products: open)
    width: int = 14


@dataclasses.dataclass(frozen=True)
class Section:
    key: str  # the InventoryYear field
    names: tuple[str, ...]  # sheet names, the first is written
    title: str
    fields: tuple[Field, ...]


def _factor(prefix: str, zh: str, en: str) -> tuple[Field, ...]:
    return (Field(f"{prefix}.value", (f"{zh}", en), "number"),
            Field(f"{prefix}.unit", (f"{zh}单位", f"{en} unit"), width=12),
            Field(f"{prefix}.source", (f"{zh}来源", f"{en} source"), width=24))


_YEAR = Field("year", ("年份", "year"), "year", width=8)
_SOURCE = Field("source", ("来源", "source", "数据来源"), width=30)
_NOTE = Field("note", ("备注", "note"), width=20)
_DIRECTION = Field("direction", ("方向", "direction", "受入/送出"), "choice", "directions", width=10)
_CO2 = _factor("factor", "实测排放因子", "measured CO2 factor")
_COAL = _factor("coal_factor", "实测折标系数", "measured coal factor")

SECTIONS = (
    Section("electricity", ("核算-电力", "electricity", "电力"),
            "电力 Electricity — 按类别和方向每行一项 one line per class and direction", (
                _YEAR, Field("class", ("电力类别", "class", "类别"), "choice", "electricity",
                             width=30),
                _DIRECTION, Field("amount", ("电量", "amount", "数量"), "number"),
                Field("unit", ("单位", "unit"), width=10), _SOURCE, _NOTE)),
    Section("heat", ("核算-热力", "heat", "热力"),
            "热力 Heat — 按类型和方向每行一项 one line per kind and direction", (
                _YEAR, Field("kind", ("热力类型", "kind", "类型"), "choice", "heat", width=20),
                _DIRECTION, Field("amount", ("热量", "amount", "数量"), "number"),
                Field("unit", ("单位", "unit"), width=10), *_CO2, _SOURCE, _NOTE)),
    Section("fuels", ("核算-燃料", "fuels", "燃料"),
            "燃料 Fuels — 按燃料和用途每行一项；用作原料的单列 one line per fuel and use; "
            "feedstock apart", (
                _YEAR, Field("fuel", ("燃料", "fuel", "能源品种"), "choice", "fuels", False, 16),
                Field("use", ("用途", "use", "活动类型"), "choice", "uses", width=24),
                Field("amount", ("消费量", "amount", "数量"), "number"),
                Field("unit", ("单位", "unit"), width=10), *_CO2, *_COAL, _SOURCE, _NOTE)),
    Section("conversion", ("核算-加工转换", "conversion", "加工转换"),
            "加工转换 Energy conversion — 同一年份和过程的各行为一项：投入与产出 the rows of one "
            "year and process are one line: its inputs and outputs", (
                _YEAR, Field("process", ("加工转换过程", "process", "过程"), width=16),
                Field("side", ("投入/产出", "input/output", "side"), "choice", "sides", width=10),
                Field("fuel", ("燃料", "fuel", "能源品种"), "choice", "fuels", False, 16),
                Field("amount", ("数量", "amount"), "number"),
                Field("unit", ("单位", "unit"), width=10), *_CO2, *_COAL, _SOURCE, _NOTE)),
    Section("process", ("核算-工业过程", "process", "工业过程"),
            "工业过程 Process emissions — 每种产品每行一项 one line per product", (
                _YEAR, Field("enterprise", ("企业", "enterprise"), width=20),
                Field("product", ("产品", "product"), "choice", "products", False, 18),
                Field("amount", ("产量", "amount", "数量"), "number"),
                Field("unit", ("单位", "unit"), width=10), *_CO2,
                Field("mass_balance.carbon_in", ("碳输入量", "carbon in"), "number"),
                Field("mass_balance.carbon_out", ("碳输出量", "carbon out"), "number"),
                Field("mass_balance.unit", ("碳量单位", "carbon unit"), width=10),
                Field("mass_balance.source", ("质量平衡来源", "mass balance source"), width=24),
                _SOURCE, _NOTE)),
)
_FLOW_FIELDS = ("fuel", "amount", "unit", "factor", "coal_factor")  # of a conversion flow
_SIDES: dict[str, tuple[str, ...]] = {"inputs": ("投入", "input", "inputs", "输入"),
          "outputs": ("产出", "output", "outputs", "输出")}
_DIRECTIONS: dict[str, tuple[str, ...]] = {"received": ("受入", "received", "购入", "输入"),
               "sent": ("送出", "sent", "外供", "输出")}


def inventory_method(frameworks: list[Framework]) -> str | None:
    """The inventory method of the first framework that accounts one."""
    return next((fw.spec.inventory.method for fw in frameworks if fw.spec.inventory), None)


@functools.cache
def vocabularies(method_id: str) -> dict[str, dict[str, tuple[str, ...]]]:
    """Every vocabulary of the sheets: id → (name written in the dropdown, other names)."""
    from ecopark.accounting.inventory import load_method
    from ecopark.accounting.library import load_library

    spec = load_method(method_id).spec
    carriers = {k: (c.name_zh, c.name_en, *c.aliases)
                for k, c in load_library().carriers.items() if c.co2 == "fuel"}
    return {
        "electricity": {k: (c.name_zh, c.name_en) for k, c in spec.electricity_classes.items()},
        "heat": {k: (c.name_zh, c.name_en) for k, c in spec.heat_kinds.items()},
        "uses": {k: (c.name_zh, c.name_en) for k, c in spec.fuel_uses.items()},
        "products": {k: (p.name_zh, p.name_en, *p.aliases) for k, p in spec.products.items()},
        "fuels": carriers, "directions": _DIRECTIONS, "sides": _SIDES,
    }


# ------------------------------------------------------------------------ writing


def write_inventory_sheets(wb: Any, method_id: str) -> None:
    """One fill-in sheet per inventory section, with dropdowns of the method's vocabulary."""
    vocab = vocabularies(method_id)
    for section in SECTIONS:
        ws = wb.create_sheet(section.names[0])
        title_row(ws, f"{section.title}（可不填 optional）", len(section.fields))
        header_row(ws, 2, [f.names[0] for f in section.fields])
        last = 2 + BLANK_ROWS
        for column, field in enumerate(section.fields, 1):
            cells = f"{column_letters(column)}3:{column_letters(column)}{last}"
            if field.kind == "year":
                whole(ws, cells, 1900, 2200, "年份 year")
            elif field.kind == "choice":
                names = [names[0] for names in vocab[field.vocab].values()]
                dropdown(ws, cells, names, strict=field.closed)
            elif field.kind == "number":
                first = f"{column_letters(column)}3"
                validation(ws, cells, type="custom", errorStyle="warning",
                           formula1=f"AND(ISNUMBER({first}),{first}>=0)",
                           errorTitle="应为数字 number expected",
                           error="应填非负数字；数字后可写单位。A number ≥ 0; a unit may follow.")
        column_widths(ws, [f.width for f in section.fields])
        ws.freeze_panes = "A3"
        print_setup(ws, 2)


# ------------------------------------------------------------------------ reading


class InventorySheets:
    """Reads the inventory sheets into the dataset's `inventory` ({year: {section: lines}})."""

    def __init__(self, context: Context, method_id: str) -> None:
        self.context, self.problems, self.places = context, context.problems, context.places
        self.names = {k: Names({key: list(names) for key, names in v.items()})
                      for k, v in vocabularies(method_id).items()}
        self.inventory: dict[int, dict[str, list[dict[str, Any]]]] = {}

    def read(self) -> dict[int, dict[str, list[dict[str, Any]]]]:
        for section in SECTIONS:
            sheet = self.context.sheet(section.names)
            if sheet is None:
                continue
            rows = sheet.rows()
            columns = tuple(Column(f.path, f.names, required=f.path in ("year", "amount"))
                            for f in section.fields)
            header = self.context.header(sheet, rows, columns)
            if header is not None:
                self._rows(section, sheet.name, header, rows)
        return self.inventory

    def _rows(self, section: Section, sheet: str, header: Header, rows: Iterator[Row]) -> None:
        groups: dict[tuple[int, str], int] = {}  # conversion: (year, process) → line index
        for row in rows:
            if row.blank(header.columns.values()):
                continue
            values = self._values(section, sheet, header, row)
            if values is None:
                continue
            year = values.pop("year")
            lines = self.inventory.setdefault(year, {}).setdefault(section.key, [])
            if section.key == "conversion":
                self._flow(lines, groups, year, values, sheet, header, row)
                continue
            self._place(f"inventory.{year}.{section.key}[{len(lines)}]", sheet, header, row)
            lines.append(values)

    def _flow(self, lines: list[dict[str, Any]], groups: dict[tuple[int, str], int], year: int,
              values: dict[str, Any], sheet: str, header: Header, row: Row) -> None:
        """A conversion row: one input or output of the line of its year and process."""
        process = values.get("process", "")
        side = values.pop("side", "inputs")
        if (year, process) not in groups:
            groups[year, process] = len(lines)
            self._place(f"inventory.{year}.conversion[{len(lines)}]", sheet, header, row)
            lines.append({"process": process, "inputs": [], "outputs": [],
                          **{k: v for k, v in values.items() if k in ("source", "note")}})
        line = lines[groups[year, process]]
        flows = line[side]
        self._place(f"inventory.{year}.conversion[{groups[year, process]}].{side}[{len(flows)}]",
                    sheet, header, row)
        flows.append({k: v for k, v in values.items() if k in _FLOW_FIELDS})

    def _place(self, prefix: str, sheet: str, header: Header, row: Row) -> None:
        self.places.note(prefix, sheet, row.ref(1))
        for path, column in header.columns.items():
            self.places.note(f"{prefix}.{path}", sheet, row.ref(column))

    def _values(self, section: Section, sheet: str, header: Header,
                row: Row) -> dict[str, Any] | None:
        """The row's line as nested fields (blank cells left out); None if a cell is wrong."""
        out: dict[str, Any] = {}
        problems: list[tuple[int, Problem]] = []
        inline: list[tuple[str, str, int]] = []  # "50000 MWh": a unit written in the cell
        for field in section.fields:
            column = header.columns.get(field.path)
            value = None if column is None else self._cell(field, row, column)
            if isinstance(value, Problem):
                problems.append((column or 1, value))
            elif isinstance(value, Number):
                _put(out, field.path, value.value)
                if value.unit is not None:
                    inline.append((field.path, value.unit, column or 1))
            elif value is not None:
                _put(out, field.path, value)
        problems += [p for path, unit, column in inline
                     if (p := _inline_unit(out, path, unit, column)) is not None]
        problems += [(header.columns.get(path, 1), Problem(f"{path} 未填写 not filled in",
                      "实测因子须同时填写数值、单位和来源，或全部留空 give the value, unit and "
                      "source of a measured factor, or none of them")) for path in _incomplete(out)]
        problems += [(header.columns[path], Problem("未填写 not filled in", "填写年份和数量，或删除"
                      "此行 fill in the year and amount, or delete the row"))
                     for path in ("year", "amount") if path not in out and path in header.columns]
        for column, problem in problems:
            self.problems.cell(sheet, row.ref(column), problem)
        return None if problems else out

    def _cell(self, field: Field, row: Row, column: int) -> Any:
        raw = row.value(column)
        if field.kind == "year":
            return read_int(raw, 1900, 2200)
        if field.kind == "number":
            found = read_number(raw, row.is_percent(column))
            if isinstance(found, Absent):
                return None
            if isinstance(found, Number) and found.value < 0:
                return Problem(f"不能为负 cannot be negative: {found.value}", "检查符号 check the sign")
            return found
        text = cell_text(raw)
        if field.kind == "text" or not text:
            return text or None
        key = self.names[field.vocab].find(text)
        if key is not None or not field.closed:
            return key or text
        return Problem(f"“{text}” 不是可选值 not an allowed value",
                       self.names[field.vocab].hint(text) or "从下拉列表选择 choose from the list")


def _put(out: dict[str, Any], path: str, value: Any) -> None:
    """Set `out[a][b]` for the path "a.b"."""
    *parents, last = path.split(".")
    target = out
    for part in parents:
        target = target.setdefault(part, {})
    target[last] = value


def _inline_unit(out: dict[str, Any], path: str, unit: str,
                 column: int) -> tuple[int, Problem] | None:
    """A unit written after the number is the unit beside it ("amount" → "unit",
    "factor.value" → "factor.unit"); a unit column that says otherwise is a problem."""
    parent = path.rpartition(".")[0]
    target = out.setdefault(parent, {}) if parent else out
    written = target.setdefault("unit", unit)
    if written == unit:
        return None
    return column, Problem(f"数值后的单位 “{unit}” 与单位列 “{written}” 不一致 the unit after the "
                           "number differs from the unit column", "只在一处写单位 write the unit "
                           "in one place")


_NEEDED = {"factor": ("value", "unit", "source"), "coal_factor": ("value", "unit", "source"),
           "mass_balance": ("carbon_in", "carbon_out", "source")}


def _incomplete(out: dict[str, Any]) -> Iterator[str]:
    """The missing fields of measured factors (or a mass balance) given in part."""
    for group, needed in _NEEDED.items():
        given = out.get(group)
        if isinstance(given, dict):
            yield from (f"{group}.{k}" for k in needed if k not in given)
