"""The carbon inventory (核算清单) of one year on a form: one table per section of the
dataset's `inventory.<year>` (electricity, heat, fuels, process), one row per line with the
lines stored and a few blank rows to add some; a row whose amount is cleared is deleted.

Dropdowns take the inventory method's vocabulary (electricity classes, heat kinds, fuel uses,
products) and the fuel carriers, as the workbook's inventory sheets do
(`ecopark.io.inventory_sheets.vocabularies`); a fuel that is no carrier is written by name with
its measured factors. Each row is checked on its own (problems in the user's language, next to
their fields); the core's check runs last and its key path
(`inventory.<year>.<section>[i].<field>`) is mapped back to the row and field it is about.
Energy-conversion lines (inputs and outputs of a process) are shown, not edited: they are kept
as stored.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, Literal

from pydantic import BaseModel
from starlette.datastructures import FormData

from ecopark.accounting.inventory import load_method
from ecopark.core import units
from ecopark.core.dataset.inventory import ConversionLine, InventoryYear
from ecopark.core.dataset.schema import DatasetFile
from ecopark.core.errors import UnitError
from ecopark.io.inventory_sheets import vocabularies
from ecopark.web.choices import number_of
from ecopark.web.forms import plain
from ecopark.web.i18n import N_, Translator

__all__ = ["BLANK_ROWS", "OTHER", "TABLES", "Column", "Parsed", "Row", "Table", "TableView",
           "conversion_lines", "inventory_field", "inventory_of", "parse_table", "stored_views",
           "typed_views"]

Kind = Literal["choice", "fuel", "number", "text", "unit"]
Row = dict[str, str]  # path → text, e.g. {"class": "grid", "amount": "50000", "factor.value": ""}

BLANK_ROWS = 3
MAX_ROWS = 500
TEXT_LIMIT = 500
OTHER = "__other__"  # the fuel dropdown's "another fuel, named below"


@dataclasses.dataclass(frozen=True)
class Column:
    path: str  # where the value goes in the line: "amount", "factor.value"
    label: str  # message id
    kind: Kind = "text"
    vocab: str = ""  # a vocabulary of `vocabularies` (choice)
    default: str = ""  # preselected in a blank row
    units: tuple[str, ...] = ()  # suggested units (unit)


@dataclasses.dataclass(frozen=True)
class Table:
    key: str  # the InventoryYear field
    title: str  # message id
    unit: str  # what the amounts convert to ("" when it depends on the line)
    columns: tuple[Column, ...]

    def name(self, row: int, path: str) -> str:
        return f"{self.key}[{row}].{path}"

    @property
    def count_field(self) -> str:
        return f"{self.key}-rows"

    def column(self, path: str) -> Column | None:
        return next((c for c in self.columns if c.path == path), None)


def _factor(group: str, label: str, unit_label: str, source_label: str,
            suggested: tuple[str, ...]) -> tuple[Column, ...]:
    return (Column(f"{group}.value", label, "number"),
            Column(f"{group}.unit", unit_label, "unit", units=suggested),
            Column(f"{group}.source", source_label))


_DIRECTION = Column("direction", N_("Direction"), "choice", "directions", "received")
_AMOUNT = Column("amount", N_("Amount"), "number")
_SOURCE = Column("source", N_("Data source"))
_NOTE = Column("note", N_("Remarks"))
_CO2 = (N_("Measured CO2 factor"), N_("Factor unit"), N_("Factor source"))
_COAL = (N_("Measured coal factor"), N_("Coal factor unit"), N_("Coal factor source"))

TABLES = (
    Table("electricity", N_("Electricity"), "kWh", (
        Column("class", N_("Electricity class"), "choice", "electricity"), _DIRECTION, _AMOUNT,
        Column("unit", N_("Unit"), "unit", default="kWh", units=("kWh", "MWh", "万千瓦时", "GWh")),
        _SOURCE, _NOTE)),
    Table("heat", N_("Heat"), "GJ", (
        Column("kind", N_("Heat kind"), "choice", "heat"), _DIRECTION, _AMOUNT,
        Column("unit", N_("Unit"), "unit", default="GJ", units=("GJ", "MJ", "TJ")),
        *_factor("factor", *_CO2, ("t/GJ", "kg/GJ")), _SOURCE, _NOTE)),
    Table("fuels", N_("Fuels"), "", (
        Column("fuel", N_("Fuel"), "fuel", "fuels"),
        Column("use", N_("Use"), "choice", "uses", "final_consumption"), _AMOUNT,
        Column("unit", N_("Unit"), "unit", units=("t", "万吨", "kg", "m3", "万m3")),
        *_factor("factor", *_CO2, ("t/t", "kg/m3", "t/万m3")),
        *_factor("coal_factor", *_COAL, ("tce/t", "kgce/kg", "kgce/m3")), _SOURCE, _NOTE)),
    Table("process", N_("Industrial processes"), "t", (
        Column("enterprise", N_("Enterprise")),
        Column("product", N_("Product"), "choice", "products"), _AMOUNT,
        Column("unit", N_("Unit"), "unit", default="t", units=("t", "万吨", "kg")),
        *_factor("factor", *_CO2, ("t/t", "kg/t")),
        Column("mass_balance.carbon_in", N_("Carbon in"), "number"),
        Column("mass_balance.carbon_out", N_("Carbon out"), "number"),
        Column("mass_balance.unit", N_("Carbon unit"), "unit", units=("t", "万吨", "kg")),
        Column("mass_balance.source", N_("Mass balance source")), _SOURCE, _NOTE)),
)
_BY_KEY = {table.key: table for table in TABLES}
_GROUPS = {"factor": ("value", "unit", "source"), "coal_factor": ("value", "unit", "source"),
           "mass_balance": ("carbon_in", "carbon_out", "source")}  # required once one is given


@dataclasses.dataclass(frozen=True)
class TableView:
    table: Table
    rows: tuple[Row, ...]
    typed: bool = False  # as a submitted form has it (else as stored, with blank rows)


# --------------------------------------------------------------------------- rows shown


def stored_views(method: str, lines: InventoryYear | None) -> tuple[TableView, ...]:
    """Every table with the year's stored lines, then blank rows."""
    vocab = vocabularies(method)
    return tuple(TableView(table, (*(_stored_row(table, line, vocab) for line in
                                     (getattr(lines, table.key) if lines else [])),
                                   *(_blank(table) for _ in range(BLANK_ROWS))))
                 for table in TABLES)


def _blank(table: Table) -> Row:
    return {c.path: c.default for c in table.columns if c.default}


def _stored_row(table: Table, line: BaseModel, vocab: dict[str, dict[str, tuple[str, ...]]]
                ) -> Row:
    row: Row = {}
    for key, value in line.model_dump(by_alias=True, exclude_none=True).items():
        if isinstance(value, dict):
            row.update({f"{key}.{k}": _text(v) for k, v in value.items()})
        else:
            row[key] = _text(value)
    for column in table.columns:
        if column.kind in ("choice", "fuel") and column.path in row:
            row[column.path] = _key_of(vocab[column.vocab], row[column.path])
    if table.key == "fuels" and row.get("fuel") not in vocab["fuels"]:
        row["fuel_other"], row["fuel"] = row.get("fuel", ""), OTHER
    return row


def _text(value: object) -> str:
    return "" if value is None else plain(value)


def _key_of(vocabulary: dict[str, tuple[str, ...]], text: str) -> str:
    """The vocabulary's id of a value stored by id or by one of its names."""
    if text in vocabulary:
        return text
    return next((key for key, names in vocabulary.items() if text in names), text)


def typed_views(form: FormData, method: str, lines: InventoryYear | None
                ) -> tuple[TableView, ...]:
    """Every table as the submitted form has it; one the form does not carry (no row count)
    stays as stored."""
    return tuple(TableView(view.table, tuple(_typed_row(form, view.table, i)
                                             for i in range(_count(form, view.table))), True)
                 if view.table.count_field in form else view
                 for view in stored_views(method, lines))


def _count(form: FormData, table: Table) -> int:
    value = form.get(table.count_field)
    return min(int(value), MAX_ROWS) if isinstance(value, str) and value.isdigit() else 0


def _typed_row(form: FormData, table: Table, i: int) -> Row:
    paths = [c.path for c in table.columns] + (["fuel_other"] if table.key == "fuels" else [])
    row: Row = {}
    for path in paths:
        value = form.get(table.name(i, path))
        if isinstance(value, str) and value.strip():
            row[path] = value.strip()[:TEXT_LIMIT]
    return row


# --------------------------------------------------------------------------- checks


@dataclasses.dataclass
class Parsed:
    """The lines of one table, the row each came from, and the problems by field."""

    lines: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    rows: list[int] = dataclasses.field(default_factory=list)
    problems: dict[str, str] = dataclasses.field(default_factory=dict)


def parse_table(view: TableView, method: str, t: Translator) -> Parsed:
    """The table's lines (a row without an amount is left out: deleted or never filled)."""
    out = Parsed()
    vocab = vocabularies(method)
    for i, row in enumerate(view.rows):
        if not row.get("amount"):
            continue
        line, problems = _line(view.table, i, row, vocab, t)
        problems.update(_product_problem(view.table, i, line, method, t))
        out.problems.update(problems)
        out.lines.append(line)
        out.rows.append(i)
    return out


def _line(table: Table, i: int, row: Row, vocab: dict[str, dict[str, tuple[str, ...]]],
          t: Translator) -> tuple[dict[str, Any], dict[str, str]]:
    line: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for column in table.columns:
        group = column.path.split(".")[0]
        if group in _GROUPS:
            continue
        value, problem = _cell(table, column, row, vocab, t)
        if problem:
            problems[table.name(i, "fuel_other" if problem[0] == "other" else column.path)] = \
                problem[1]
        elif value not in (None, ""):
            line[column.path] = value
    for group in dict.fromkeys(c.path.split(".")[0] for c in table.columns):
        if group in _GROUPS:
            value, found = _group(table, i, row, group, t)
            problems.update(found)
            if value:
                line[group] = value
    return line, problems


Problem = tuple[str, str] | None  # ("cell" | "other", message)


def _cell(table: Table, column: Column, row: Row, vocab: dict[str, dict[str, tuple[str, ...]]],
          t: Translator) -> tuple[Any, Problem]:
    text = row.get(column.path, "")
    if column.kind == "choice":
        text = text or column.default
        if text not in vocab[column.vocab]:
            return None, ("cell", t.gettext("Choose one of the listed answers."))
        return text, None
    if column.kind == "fuel":
        return _fuel(row, vocab, t)
    if column.kind == "number":
        return _number(text, t, amount=True)
    if column.kind == "unit" and text and table.unit:
        try:
            units.conversion_factor(text, table.unit)
        except UnitError:
            return None, ("cell", t.gettext("The unit %(unit)s cannot be converted to "
                                            "%(target)s.", unit=text,
                                            target=units.pretty(table.unit, t.lang)))
    return text, None


def _fuel(row: Row, vocab: dict[str, dict[str, tuple[str, ...]]], t: Translator
          ) -> tuple[Any, Problem]:
    chosen = row.get("fuel", "")
    if chosen == OTHER:
        name = row.get("fuel_other", "")
        return (name, None) if name else (None, ("other", t.gettext(
            "Write the fuel's name (with its unit and measured factors).")))
    if chosen not in vocab["fuels"]:
        return None, ("cell", t.gettext("Choose one of the listed answers."))
    return chosen, None


def _number(text: str, t: Translator, amount: bool = False) -> tuple[float | None, Problem]:
    number = number_of(text)
    if number is None:
        return None, ("cell", t.gettext("Not a number. Write digits (e.g. 1234.5); clear the "
                                        "amount to delete the line.") if amount else
                      t.gettext("Not a number. Write digits (e.g. 1234.5)."))
    if number < 0:
        return None, ("cell", t.gettext("Must not be negative."))
    return number, None


def _group(table: Table, i: int, row: Row, group: str, t: Translator
           ) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """A measured factor or a mass balance: all of it or none of it."""
    texts = {c.path.split(".", 1)[1]: row.get(c.path, "") for c in table.columns
             if c.path.startswith(group + ".")}
    if not any(texts.values()):
        return None, {}
    problems: dict[str, str] = {}
    value: dict[str, Any] = {}
    for key, text in texts.items():
        name = table.name(i, f"{group}.{key}")
        if not text and key in _GROUPS[group]:
            problems[name] = t.gettext("Give the value, its unit and its source, or leave all "
                                       "of them empty.") if group != "mass_balance" else \
                t.gettext("Give carbon in, carbon out and the source, or leave the mass balance "
                          "empty.")
        elif key in ("value", "carbon_in", "carbon_out"):
            number, problem = _number(text, t)
            if problem:
                problems[name] = problem[1]
            value[key] = number
        elif text:
            value[key] = text
    return value, problems


def _product_problem(table: Table, i: int, line: dict[str, Any], method: str,
                     t: Translator) -> dict[str, str]:
    """A product without a default factor needs a measured one or a mass balance."""
    if table.key != "process" or "factor" in line or "mass_balance" in line:
        return {}
    product = load_method(method).spec.products.get(str(line.get("product")))
    if product is None or product.factor is not None:
        return {}
    return {table.name(i, "factor.value"): t.gettext(
        "This product has no default factor: give a measured factor or a mass balance.")}


# --------------------------------------------------------------------------- the section


def inventory_of(spec: DatasetFile, year: int, header: dict[str, str],
                 lines: dict[str, list[dict[str, Any]]]) -> dict[int, Any]:
    """The dataset's whole `inventory` section: the other years as stored, this year's
    `header` fields (source, note) and the `lines` of the tables given replaced, the rest of it
    (energy conversion, tables not on the form) kept; a year left empty is removed."""
    out: dict[int, Any] = {y: _dump(stored) for y, stored in spec.inventory.items() if y != year}
    stored = spec.inventory.get(year)
    new = {k: v for k, v in {**(_dump(stored) if stored else {}), **header, **lines}.items() if v}
    if new:
        out[year] = new
    return dict(sorted(out.items()))


def _dump(model: BaseModel) -> dict[str, Any]:
    data: dict[str, Any] = model.model_dump(mode="json", by_alias=True, exclude_none=True)
    return data


def conversion_lines(lines: InventoryYear | None) -> list[ConversionLine]:
    return list(lines.conversion) if lines else []


_KEY = re.compile(r"^inventory\.(\d+)\.(\w+)\[(\d+)\](?:\.(.+))?$")


def inventory_field(key_path: str, year: int, rows: dict[str, list[int]]) -> str:
    """The form field a key path of the core's DatasetError is about ("" when none is):
    `inventory.2027.fuels[1].factor.unit` → `fuels[<row of line 1>].factor.unit`."""
    found = _KEY.match(key_path)
    if found is None or int(found[1]) != year or found[2] not in _BY_KEY:
        return ""
    table, index = _BY_KEY[found[2]], int(found[3])
    lines = rows.get(table.key, [])
    if index >= len(lines):
        return ""
    rest = found[4] or "amount"
    for path in (rest, f"{rest}.value", f"{rest}.carbon_in"):
        if table.column(path) is not None:
            return table.name(lines[index], path)
    return table.name(lines[index], "amount")
