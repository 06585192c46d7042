"""The roster template: a workbook whose sheet 企业数据 has one column per roster field, the
units in the headers, 是/否 dropdowns and a 说明 sheet (zh-CN first, English second).

`write_roster_template(path)` writes a new workbook; `add_roster_sheet(workbook)` adds the sheet
企业数据 to an openpyxl workbook someone else is building (the park workbook template may call it,
so that there is one template and one importer). The reader (io/roster.py) finds every column by
its header, so users may reorder, insert or delete columns.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ecopark.accounting.coefficients import Library
from ecopark.accounting.library import load_library
from ecopark.accounting.roster import Field, all_fields
from ecopark.io.sheet import column_letters

__all__ = ["add_roster_sheet", "write_roster_template"]

SHEET = "企业数据"
GUIDE = "企业数据说明"
_HEADER_FILL = "DDEBF7"
_ROWS = 500
_KIND_HELP = {
    "year": ("四位年份", "a four-digit year"),
    "text": ("文字", "text"),
    "code": ("18 位统一社会信用代码", "18-character credit code"),
    "bool": ("是 / 否（空 = 否）", "是 / 否 (blank = no)"),
    "date": ("日期，如 2019-11-28", "a date, e.g. 2019-11-28"),
    "int": ("年份", "a year"),
    "number": ("数值（不能为负；空 = 未填报，不按 0 计）", "a number ≥ 0; blank = not reported"),
    "carrier": ("实物量（不能为负；不填折标量）", "physical amount ≥ 0, never a coal equivalent"),
    "celsius": ("摄氏度", "degrees Celsius"),
}


def _styles() -> Any:
    from openpyxl import styles  # type: ignore[import-untyped, unused-ignore]

    return styles


def add_roster_sheet(workbook: Any, library: Library | None = None) -> Any:
    """Add the sheets 企业数据 (header row, dropdowns) and 企业数据说明 to an openpyxl workbook."""
    fields = all_fields(library or load_library())
    sheet = workbook.create_sheet(SHEET)
    _header(sheet, fields)
    _validation(sheet, fields)
    sheet.freeze_panes = "D2"
    _guide(workbook.create_sheet(GUIDE), fields)
    return sheet


def _header(sheet: Any, fields: tuple[Field, ...]) -> None:
    from openpyxl.comments import Comment  # type: ignore[import-untyped, unused-ignore]

    st = _styles()
    for column, field in enumerate(fields, 1):
        cell = sheet.cell(row=1, column=column, value=field.header())
        cell.font = st.Font(bold=True)
        cell.fill = st.PatternFill("solid", fgColor=_HEADER_FILL)
        cell.alignment = st.Alignment(horizontal="center", vertical="center", wrap_text=True)
        zh, en = _KIND_HELP[field.kind]
        text = f"{field.help_zh or zh}\n{field.name_en}: {field.help_en or en}"
        cell.comment = Comment(text, "ecopark")
        width = max(10, min(24, len(field.header()) * 2))
        sheet.column_dimensions[column_letters(column)].width = width
    sheet.row_dimensions[1].height = 45


def _validation(sheet: Any, fields: tuple[Field, ...]) -> None:
    from openpyxl.worksheet.datavalidation import (  # type: ignore[import-untyped, unused-ignore]
        DataValidation,
    )

    yes_no = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    years = DataValidation(type="whole", operator="between", formula1="1900", formula2="2200",
                           allow_blank=True, errorStyle="warning")
    sheet.add_data_validation(yes_no)
    sheet.add_data_validation(years)
    for column, field in enumerate(fields, 1):
        letter = column_letters(column)
        target = yes_no if field.kind == "bool" else years if field.kind in ("year", "int") else None
        if target is not None:
            target.add(f"{letter}2:{letter}{_ROWS + 1}")


def _guide(sheet: Any, fields: tuple[Field, ...]) -> None:
    st = _styles()
    rows = [("列名（模板）", "column (en)", "填写说明", "how to fill it in"),
            *((f.header(), f.name_en, f.help_zh or _KIND_HELP[f.kind][0],
               f.help_en or _KIND_HELP[f.kind][1]) for f in fields)]
    for r, values in enumerate(rows, 1):
        for c, value in enumerate(values, 1):
            sheet.cell(row=r, column=c, value=value).font = st.Font(bold=(r == 1))
    for letter, width in zip("ABCD", (34, 34, 44, 44), strict=True):
        sheet.column_dimensions[letter].width = width
    note = len(rows) + 2
    sheet.cell(row=note, column=1, value="每行一家企业一年；列按表头名称识别，可调整顺序。"
               "外供电力/热力填正数，自发自用可再生电力按自用量填；上网电量不填。")
    sheet.cell(row=note + 1, column=1, value="One row per enterprise and year; columns are found by "
               "their headers. Energy passed on to others goes, positive, in the 外供 columns; "
               "self-generated renewable power is reported as used, power sold to the grid not at all.")


def write_roster_template(path: Path, library: Library | None = None) -> Path:
    """Write a new workbook with the sheets 企业数据 and 企业数据说明 to `path`."""
    from openpyxl import Workbook  # type: ignore[import-untyped, unused-ignore]

    workbook = Workbook()
    workbook.remove(workbook.active)
    add_roster_sheet(workbook, library)
    workbook.save(path)
    return path
