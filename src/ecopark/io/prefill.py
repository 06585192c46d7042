"""The workbook template filled with what a dataset holds, so a park office downloads its own
figures, completes them in Excel or WPS and uploads the workbook again (`io.workbook` reads it
back to the same values).

Written into the template of `io.template`, found the way the reader finds things (defined
names, the 标识 column, header texts), never by a fixed position:

    园区信息   park name, base year, evaluation year, profile fields (their zh labels), and
              是/否 for every optional indicator
    基础数据   every stored value in its year column; the series unit in 单位, a value written in
              another unit as "value unit" in its cell; a fact as its zh label; 来源 and 备注
    清单       one row per sub-item; list sheets one row per record; 报告值 the printed values

Not written: what the template has no place for (a value's own source or note, the printed
table's base rows and text statements, the base-year note), and the sheets of settings, gates,
exemptions and the carbon inventory (their sheets stay as the template writes them).

    write_filled_template(framework, spec, years, path, also=()) -> None
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ecopark.core.dataset.schema import DatasetFile, Series, ValueEntry
from ecopark.core.framework.items import Item
from ecopark.core.framework.model import Framework
from ecopark.io.layout import SHEETS
from ecopark.io.template import write_template

__all__ = ["write_filled_template"]

_FIRST_ROW = 3  # below each sheet's title and header rows


def write_filled_template(framework: Framework, spec: DatasetFile, years: list[int], path: Path,
                          also: Sequence[Framework] = ()) -> None:
    """The template of `framework` with one column per year of `years`, filled from `spec`."""
    write_template(framework, years, path, also, fill=lambda wb: _fill(wb, framework, spec))


def _fill(wb: Any, framework: Framework, spec: DatasetFile) -> None:
    _park(wb, framework, spec)
    _data(wb[SHEETS["data"][0]], framework, spec)
    if spec.checklists and SHEETS["checklists"][0] in wb.sheetnames:
        _checklists(wb[SHEETS["checklists"][0]], framework, spec)
    for key, records in spec.lists.items():
        declared = framework.spec.lists.get(key)
        if declared is not None and declared.name_zh in wb.sheetnames:
            _rows(wb[declared.name_zh], [[r.get(f) for f in declared.fields] for r in records])
    if spec.reported is not None:
        _reported(wb[SHEETS["reported"][0]], spec)


# ------------------------------------------------------------------------ 园区信息


def _named(wb: Any, name: str) -> Any | None:
    found = wb.defined_names.get(name)
    if found is None:
        return None
    sheet, ref = next(iter(found.destinations))
    return wb[sheet][ref.replace("$", "")]


def _park(wb: Any, framework: Framework, spec: DatasetFile) -> None:
    values: dict[str, object] = {"park_name": spec.park.name, "base_year": spec.park.base_year,
                                 "eval_year": spec.year}
    for name, value in (spec.park.model_extra or {}).items():
        declared = framework.spec.profile_fields.get(name)
        label = declared.values.get(str(value)) if declared else None
        values[name] = (label.zh or label.en) if label else value
    for name, value in values.items():
        cell = _named(wb, name)
        if cell is not None and value is not None:
            cell.value = value
    _selection(wb[SHEETS["park"][0]], framework, set(spec.park.selected))


def _selection(ws: Any, framework: Framework, selected: set[int]) -> None:
    """是/否 in the optional-indicator table: the rows whose 序号 is an optional indicator."""
    header = _header_row(ws, "是否为考核指标")
    if header is None:
        return
    row_number, column = header
    for row in range(row_number + 1, ws.max_row + 1):
        number = ws.cell(row=row, column=1).value
        indicator = framework.by_number.get(number) if isinstance(number, int) else None
        if indicator is not None and not indicator.mandatory:
            ws.cell(row=row, column=column, value="是" if number in selected else "否")


def _header_row(ws: Any, label: str) -> tuple[int, int] | None:
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == label:
                return cell.row, cell.column
    return None


# ------------------------------------------------------------------------ 基础数据


def _data(ws: Any, framework: Framework, spec: DatasetFile) -> None:
    years = {ws.cell(row=2, column=c).value: c for c in range(1, ws.max_column + 1)}
    rows = {ws.cell(row=r, column=1).value: r for r in range(_FIRST_ROW, ws.max_row + 1)}
    for item, series in spec.observations.items():
        row = rows.get(item)
        declared = framework.spec.items.get(item)
        if row is None or declared is None:
            continue  # an item the template has no row for (computed from the inventory)
        if series.unit:
            ws.cell(row=row, column=years["单位"], value=series.unit)
        for year, raw in series.values.items():
            if year in years and raw is not None:
                ws.cell(row=row, column=years[year], value=_written(raw, series, declared))
        for label, text in (("来源", series.source), ("备注", series.note)):
            if text:
                ws.cell(row=row, column=years[label], value=text)


def _written(raw: object, series: Series, item: Item) -> object:
    """A value as the reader takes it back: a number, "/", a fact's zh label, or "value unit"
    when the value has a unit of its own."""
    entry = raw if isinstance(raw, ValueEntry) else ValueEntry(value=raw)
    value = entry.value
    if item.kind == "fact" and isinstance(value, str) and value in (item.values or {}):
        label = (item.values or {})[value]
        return label.zh or value
    if entry.unit and entry.unit != series.unit and not isinstance(value, bool | str):
        return f"{value} {entry.unit}"
    return value


# ------------------------------------------------------------------------ 清单, lists, 报告值


def _checklists(ws: Any, framework: Framework, spec: DatasetFile) -> None:
    rows = []
    for key, years in spec.checklists.items():
        declared = framework.spec.checklists.get(key)
        name = declared.name_zh if declared else key
        rows += [[name, year, e.name, "是" if e.done else "否", e.evidence or None]
                 for year, entries in years.items() for e in entries]
    _rows(ws, rows)


def _rows(ws: Any, rows: Sequence[Sequence[object]]) -> None:
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, 1):
            if value is not None:
                ws.cell(row=_FIRST_ROW + offset, column=column, value=value)


def _reported(ws: Any, spec: DatasetFile) -> None:
    assert spec.reported is not None
    printed = spec.reported.indicators
    for row in range(_FIRST_ROW, ws.max_row + 1):
        number = ws.cell(row=row, column=1).value
        if number in printed:
            ws.cell(row=row, column=4, value=str(printed[number]))

