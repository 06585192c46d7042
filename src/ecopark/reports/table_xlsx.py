"""The 对照考核表 as an Excel workbook (openpyxl), ready to print.

One sheet 对照考核表: the title, the header block, the column headers (repeated on every printed
page: the print titles), then the rows with 序号 and 项目 cells merged over each indicator's rows.
Numbers are written as numbers, right-aligned, with thousand separators and the decimals they
are shown with as the number format (36000000 → #,##0.00), words and "/" as text. The 单位
column is wide enough for 吨标准煤/万元 on one line. A4 landscape, fitted to the page width,
centred; rows are given heights for their wrapped text because Excel does not grow rows on
opening.
"""

from __future__ import annotations

import math
import unicodedata
from pathlib import Path

# openpyxl ships no type information (the ignore stays valid if types-openpyxl is installed)
from openpyxl import Workbook  # type: ignore[import-untyped, unused-ignore]
from openpyxl.cell.cell import Cell  # type: ignore[import-untyped, unused-ignore]
from openpyxl.styles import (  # type: ignore[import-untyped, unused-ignore]
    Alignment,
    Border,
    Font,
    PatternFill,
    Side,
)
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped, unused-ignore]
from openpyxl.worksheet.pagebreak import Break  # type: ignore[import-untyped, unused-ignore]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped, unused-ignore]

from ecopark.reports.table import AssessmentTable, Placed, Shown

__all__ = ["write"]

SHEET = "对照考核表"
BODY_FONT = "宋体"
TITLE_FONT = "黑体"
HEADER_ROW = 5
ERROR_COLOUR = "C00000"
_WIDTHS = {"序号": 5, "项目": 10, "指标": 40, "单位": 16, "要求": 30, "指标类型": 9,
           "是否为考核指标": 9, "数值": 15, "是否达标": 9, "复算值": 13, "核查结果": 44}
_NARROWER = {"指标": 30, "要求": 22}  # when the two verification columns are added
_ENGLISH = {"项目": 16, "单位": 15, "指标类型": 11, "是否为考核指标": 10, "是否达标": 13}
_NUMBERS = ("数值", "复算值")  # right-aligned
SIZE, SMALL = 10.5, 9.0  # points: body text, findings and notes
_LEADING = 1.35  # line height / font size
# the printable height of an A4 landscape page (595 pt less the 0.6 in margins) less the repeated
# header row, with room to spare for the fit-to-width scale and the printer's rounding
_PAGE_BODY = 595 - 2 * 43.2 - 40 - 40
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_INDICATOR_FILL = PatternFill("solid", fgColor="F2F2F2")
_LEFT = ("指标", "核查结果")


def write(table: AssessmentTable, path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = table.name[:31] or SHEET
    _columns(sheet, table)
    _heading(sheet, table)
    _header_row(sheet, table)
    last = _body(sheet, table)
    _page_breaks(sheet, table)
    _notes(sheet, table, last + 2)
    _print_setup(sheet, table, last)
    workbook.properties.title = table.title
    workbook.properties.creator = "ecopark"
    workbook.save(path)


def _widths(table: AssessmentTable) -> list[float]:
    widths = {**_WIDTHS, **(_NARROWER if table.verified else {}),
              **(_ENGLISH if table.lang == "en" else {})}
    if not table.selection:  # its room goes to the indicator's name
        widths["指标"] += widths["是否为考核指标"]
    return [widths[name] for name in table.columns]


def _columns(sheet: Worksheet, table: AssessmentTable) -> None:
    for index, width in enumerate(_widths(table), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _heading(sheet: Worksheet, table: AssessmentTable) -> None:
    ncols = len(table.columns)
    title = _merged(sheet, 1, 1, ncols, table.title)
    title.font = Font(name=TITLE_FONT, size=16, bold=True)
    title.alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 36
    for row, (left, right) in enumerate(table.header_lines, start=2):
        for first, last, text, side in ((1, 3, left, "left"), (4, ncols, right, "right")):
            cell = _merged(sheet, row, first, last, text)
            cell.font = Font(name=BODY_FONT, size=SIZE)
            cell.alignment = Alignment(horizontal=side, vertical="center")
        sheet.row_dimensions[row].height = 20


def _merged(sheet: Worksheet, row: int, first: int, last: int, text: str) -> Cell:
    sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    cell = sheet.cell(row=row, column=first, value=text)
    assert isinstance(cell, Cell)
    return cell


def _header_row(sheet: Worksheet, table: AssessmentTable) -> None:
    for index, name in enumerate(table.headings, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=name)
        cell.font = Font(name=BODY_FONT, size=SIZE, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
    sheet.row_dimensions[HEADER_ROW].height = 2 * SIZE * _LEADING + 6


def _body(sheet: Worksheet, table: AssessmentTable) -> int:
    """Write every row, then merge the 项目 and 序号 spans; return the last row's number."""
    widths = _widths(table)
    placed_rows = list(enumerate(table.placed(), start=HEADER_ROW + 1))
    for row, placed in placed_rows:
        cells = placed.row.cells(table.columns)
        for column, (name, text) in enumerate(zip(table.columns, cells, strict=True), start=1):
            _body_cell(sheet.cell(row=row, column=column), name, text, placed)
        sheet.row_dimensions[row].height = _height(table.columns, cells, widths)
    for row, placed in placed_rows:
        _merge_spans(sheet, row, placed)
    return HEADER_ROW + len(placed_rows)


def _body_cell(cell: Cell, column: str, text: str, placed: Placed) -> None:
    indicator = placed.row.kind == "indicator"
    shown = _number_of(placed, column)
    if shown is not None and shown.number is not None:
        cell.value = shown.number
        cell.number_format = "#,##0" + ("." + "0" * shown.decimals if shown.decimals else "")
    elif column == "序号":
        cell.value = placed.row.number
    else:
        cell.value = text
        cell.data_type = "s"  # never a formula, even if a printed value starts with "="
        cell.number_format = "@"
    size = _size(column)
    flagged = placed.row.worst == "error" and column in ("复算值", "核查结果")
    cell.font = Font(name=BODY_FONT, size=size, bold=indicator and column in ("指标", "数值"),
                     color=ERROR_COLOUR if flagged else None)
    numeric = shown is not None and shown.number is not None
    horizontal = "left" if column in _LEFT else "right" if numeric else "center"
    cell.alignment = Alignment(horizontal=horizontal, vertical="center",
                               wrap_text=column not in _NUMBERS and column != "单位")
    cell.border = _BORDER
    if indicator and column not in ("项目", "序号"):
        cell.fill = _INDICATOR_FILL


def _number_of(placed: Placed, column: str) -> Shown | None:
    if column == "数值":
        return placed.row.value
    return placed.row.recomputed if column == "复算值" else None


def _page_breaks(sheet: Worksheet, table: AssessmentTable) -> None:
    """Break pages between indicators, never inside one, so that every page starts with an
    indicator's first row and its 序号 and 项目 cells (print titles repeat the column names)."""
    used = sum(sheet.row_dimensions[r].height for r in range(1, HEADER_ROW))
    for row, placed in enumerate(table.placed(), start=HEADER_ROW + 1):
        if not placed.number_span:
            continue
        block = sum(sheet.row_dimensions[r].height for r in range(row, row + placed.number_span))
        if used + block > _PAGE_BODY and used > 0:
            sheet.row_breaks.append(Break(id=row - 1))
            used = 0.0
        used += block


def _merge_spans(sheet: Worksheet, row: int, placed: Placed) -> None:
    for column, span in ((1, placed.number_span), (2, placed.category_span)):
        if span > 1:
            sheet.merge_cells(start_row=row, start_column=column, end_row=row + span - 1,
                              end_column=column)


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _size(column: str) -> float:
    return SMALL if column == "核查结果" else SIZE


def _lines(text: str, width: float, size: float = SIZE) -> int:
    """Lines `text` wraps to in a column `width` characters wide (a CJK character is 2)."""
    usable = max(width - 1.5, 1.0) * SIZE / size
    return sum(max(1, math.ceil(_display_width(line) / usable)) for line in text.split("\n"))


def _height(columns: tuple[str, ...], texts: tuple[str, ...], widths: list[float]) -> float:
    """Row height in points for the wrapped texts (merged 项目/序号 cells left out)."""
    heights = [_lines(text, width, _size(name)) * _size(name) * _LEADING
               for name, text, width in zip(columns, texts, widths, strict=True)
               if name not in ("项目", "序号")]
    return max(20.0, max(heights) + 6)


def _notes(sheet: Worksheet, table: AssessmentTable, first: int) -> None:
    ncols = len(table.columns)
    total = sum(_widths(table))
    for offset, note in enumerate(table.notes):
        text = (table.notes_label if offset == 0 else "") + f"{offset + 1}. {note}"
        cell = _merged(sheet, first + offset, 1, ncols, text)
        cell.font = Font(name=BODY_FONT, size=SMALL)
        cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        sheet.row_dimensions[first + offset].height = \
            _lines(text, total, SMALL) * SMALL * _LEADING + 4


def _print_setup(sheet: Worksheet, table: AssessmentTable, last: int) -> None:
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    end = get_column_letter(len(table.columns))
    sheet.print_area = f"A1:{end}{last + 1 + len(table.notes)}"
    sheet.oddFooter.center.text = "Page &P of &N" if table.lang == "en" else "第 &P 页，共 &N 页"
    sheet.oddFooter.center.size = 9
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
