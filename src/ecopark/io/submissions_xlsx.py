"""The enterprises' submissions of one year as one workbook: a header row, then one row per
enterprise and item (an enterprise that has not started: one row with its state only)."""

from __future__ import annotations

import io

from ecopark.io.sheetstyle import column_widths, header_row

__all__ = ["Cell", "write"]

Cell = str | float | None


def write(title: str, headers: list[str], rows: list[list[Cell]]) -> bytes:
    """The workbook's bytes: sheet `title`, `headers` in row 1, `rows` below, frozen header."""
    from openpyxl import Workbook  # type: ignore[import-untyped, unused-ignore]

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    header_row(sheet, 1, headers)
    for row in rows:
        sheet.append(row)
    column_widths(sheet, [24, 22, 28, 14, 12, 10, 18, 18, 18][:len(headers)])
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
