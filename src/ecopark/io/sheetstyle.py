"""How the template's sheets look (openpyxl): header rows, titles, widths, wrapped and bordered
bodies, print setup, and data validation (numbers, whole numbers, dropdowns). Shared by every
writer of a fill-in sheet (`io.template`, `io.choice_sheets`, `io.inventory_sheets`).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from ecopark.io.sheet import column_letters

__all__ = ["BLANK_ROWS", "body_rows", "column_widths", "dropdown", "header_row", "print_setup",
           "styles", "text_width", "title_row", "validation", "whole"]

_HEADER_FILL = "DDEBF7"
_THIN = "BFBFBF"
BLANK_ROWS = 200  # rows of a record sheet that carry its dropdowns and rules


def text_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def styles() -> Any:
    from openpyxl import styles  # type: ignore[import-untyped, unused-ignore]

    return styles


def header_row(ws: Any, row: int, labels: list[str]) -> None:
    st = styles()
    side = st.Side(style="thin", color=_THIN)
    for column, label in enumerate(labels, 1):
        cell = ws.cell(row=row, column=column, value=label)
        cell.font = st.Font(bold=True)
        cell.fill = st.PatternFill("solid", fgColor=_HEADER_FILL)
        cell.alignment = st.Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = st.Border(left=side, right=side, top=side, bottom=side)


def title_row(ws: Any, text: str, span: int) -> None:
    st = styles()
    ws.cell(row=1, column=1, value=text).font = st.Font(bold=True, size=12)
    ws.cell(row=1, column=1).alignment = st.Alignment(vertical="center", wrap_text=True)
    if span > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=span)
    ws.row_dimensions[1].height = 36


def column_widths(ws: Any, widths: list[int]) -> None:
    for column, width in enumerate(widths, 1):
        ws.column_dimensions[column_letters(column)].width = width


def body_rows(ws: Any, first: int, last: int, widths: list[int], border: bool = True) -> None:
    """Wrap, border and size the rows first..last so that wrapped text shows in every
    application (Excel, WPS and LibreOffice do not all fit row heights on opening)."""
    st = styles()
    side = st.Side(style="thin", color=_THIN)
    for row in range(first, last + 1):
        lines = 1
        for column, width in enumerate(widths, 1):
            cell = ws.cell(row=row, column=column)
            cell.alignment = st.Alignment(vertical="top", wrap_text=True)
            if border:
                cell.border = st.Border(left=side, right=side, top=side, bottom=side)
            text = "" if cell.value is None else str(cell.value)
            lines = max(lines, *(-(-text_width(part) // max(width - 2, 1)) for part in
                                 text.split("\n")))
        ws.row_dimensions[row].height = 15 * lines + 3


def print_setup(ws: Any, header_row: int) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "&P / &N"
    if header_row:
        ws.print_title_rows = f"{header_row}:{header_row}"


def validation(ws: Any, sqref: str, **options: Any) -> None:
    from openpyxl.worksheet.datavalidation import (  # type: ignore[import-untyped, unused-ignore]
        DataValidation,
    )

    rule = DataValidation(allow_blank=True, showErrorMessage=True, showInputMessage=True,
                          **options)
    rule.add(sqref)
    ws.add_data_validation(rule)


def dropdown(ws: Any, sqref: str, choices: list[str], strict: bool = True) -> None:
    listed = ",".join(choices)
    if not choices or len(listed) > 250 or any("," in c or '"' in c for c in choices):
        return  # Excel cannot hold this list inline; the reader still checks every value
    validation(ws, sqref, type="list", formula1=f'"{listed}"',
                errorStyle="stop" if strict else "warning", errorTitle="请从列表选择",
                error="请从下拉列表选择。Choose a value from the list.")


def whole(ws: Any, sqref: str, low: int, high: int, title: str) -> None:
    validation(ws, sqref, type="whole", operator="between", formula1=str(low),
                formula2=str(high), errorTitle=title,
                error=f"应为 {low}–{high} 之间的整数。A whole number from {low} to {high}.")
