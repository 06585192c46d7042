"""Every table of a document as a grid of cell texts: what `printed_table` looks through.

In Word every table, nested ones too, numbered 表格1, 表格2 … in document order; in Excel each
worksheet's used range from A1. A merged cell counts once in its row (for its first column); a
cell merged down repeats in every row it covers. Excel numbers are read as displayed (by their
number format, read from the styles by `ecopark.io.parts`), so 7.90 keeps its two printed
decimals and 0.3931 formatted 0.00% is "39.31%".

Both go through the guard first (`ecopark.io.guard.inspect`: encrypted, legacy, zip bombs);
workbooks through `ecopark.io.sheet.open_workbook` (the extents of all sheets together checked
before any is read); Word documents through `ecopark.io.docx_budget` (parts, paragraphs,
tables, rows and cells counted while streaming, before python-docx builds its tree);
python-docx parses with entities left unresolved. A damaged file is a WorkbookError.
"""

from __future__ import annotations

import dataclasses
import decimal
import math
import re
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from ecopark.core.errors import WorkbookError
from ecopark.io.docx_budget import check_docx
from ecopark.io.guard import inspect
from ecopark.io.refs import column_letters
from ecopark.io.sheet import Sheet, open_workbook

__all__ = ["MAX_GRID", "Grid", "read_grids"]

MAX_GRID = 1000  # columns a Word table row may span (Word itself allows 63)
_WIDE = decimal.Context(prec=400)  # room for any float with 30 decimals
# What python-docx, lxml, openpyxl and zipfile raise on a damaged file.
_DAMAGED = (zipfile.BadZipFile, zlib.error, OSError, ValueError, KeyError, IndexError, TypeError,
            AttributeError, SyntaxError, EOFError, NotImplementedError, RuntimeError,
            AssertionError, LookupError, RecursionError)


@dataclasses.dataclass(frozen=True)
class Grid:
    """One table as cell texts: `where` is "表格N" (Word) or the sheet name (Excel)."""

    where: str
    rows: list[list[str]]
    excel: bool = False

    def text(self, row: int, column: int | None) -> str:
        if column is None or row >= len(self.rows) or column >= len(self.rows[row]):
            return ""
        return self.rows[row][column]

    def ref(self, row: int, column: int | None) -> str:
        if column is None:
            return f"第{row + 1}行"
        if not self.excel:
            return f"第{row + 1}行第{column + 1}列"
        return f"{column_letters(column + 1)}{row + 1}"


def read_grids(path: Path) -> tuple[list[Grid], list[str]]:
    """The document's tables as grids, and all its texts (paragraphs, or every Excel cell)."""
    return _word(path) if inspect(path).kind == "docx" else _excel(path)


def _unreadable(path: Path, kind: str, exc: BaseException) -> WorkbookError:
    what = ("Word 文件 the Word file", ".docx") if kind == "docx" else ("工作簿 the workbook", ".xlsx")
    return WorkbookError(str(path), "", "", f"无法读取{what[0]} cannot be read "
                         f"({type(exc).__name__}: {exc})",
                         f"用 Word/WPS/Excel 打开后另存为 {what[1]} save it again as {what[1]}")


# ------------------------------------------------------------------------ Word


def _word(path: Path) -> tuple[list[Grid], list[str]]:
    import docx
    from docx.oxml.ns import qn
    from docx.oxml.text.paragraph import CT_P
    from docx.text.paragraph import Paragraph

    try:
        check_docx(path)
        document = docx.Document(str(path))
        body = document.element.body

        def text(p: Any) -> str:
            return Paragraph(cast(CT_P, p), document).text

        grids = [Grid(f"表格{n}", _word_rows(tbl, text, f"表格{n}", path))
                 for n, tbl in enumerate(body.iter(qn("w:tbl")), start=1)]
        texts = [text(p) for p in body.iter(qn("w:p"))]
    except _DAMAGED as exc:
        raise _unreadable(path, "docx", exc) from None
    except Exception as exc:  # lxml's and python-docx's own errors, damaged XML
        if not type(exc).__module__.startswith(("lxml", "docx")):
            raise
        raise _unreadable(path, "docx", exc) from None
    return grids, texts


def _word_rows(table: Any, text: Callable[[Any], str], where: str, path: Path) -> list[list[str]]:
    """A table's rows on its layout grid, as Word shows them: a row that starts late has empty
    cells first, a cell spanning columns is read once (its first column), a cell merged down
    (vMerge continue) repeats the text of the cell it continues. Read from the XML directly:
    python-docx resolves each merged cell by walking up the rows (quadratic) and repeats a
    spanning cell once per column (a span of two billion columns is a file that hangs)."""
    from docx.oxml.ns import qn

    rows: list[list[str]] = []
    above: dict[int, str] = {}  # grid column → the text shown there in the row above
    for number, tr in enumerate(table.iterchildren(qn("w:tr")), start=1):
        column = _grid_value(tr, "w:trPr/w:gridBefore", where, number, path)
        texts, shown = [""] * column, {}
        for tc in tr.iterchildren(qn("w:tc")):
            span = max(_grid_value(tc, "w:tcPr/w:gridSpan", where, number, path), 1)
            merge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
            continues = merge is not None and merge.get(qn("w:val"), "continue") == "continue"
            cell = above.get(column, "") if continues else \
                "\n".join(text(p) for p in tc.iterchildren(qn("w:p")))
            texts += [cell] + [""] * (span - 1)
            shown[column] = cell
            column += span
        rows.append(texts)
        above = shown
    return rows


def _grid_value(element: Any, where_in: str, table: str, row: int, path: Path) -> int:
    """A gridBefore / gridSpan count; more than `MAX_GRID` columns is refused."""
    from docx.oxml.ns import qn

    found = element.find("/".join(qn(part) for part in where_in.split("/")))
    value = found.get(qn("w:val"), "0") if found is not None else "0"
    count = int(value) if value.strip().isdigit() else 0
    if count > MAX_GRID:
        raise WorkbookError(str(path), table, f"第{row}行", f"表格跨 {count:,} 列（Word 表格最多 63 列）"
                            f"the table spans {count:,} columns", "用 Word/WPS 打开后另存为 .docx "
                            "save it again as .docx")
    return count


# ------------------------------------------------------------------------ Excel


def _excel(path: Path) -> tuple[list[Grid], list[str]]:
    with open_workbook(path) as book:
        sheets = [book.sheet(name) for name in book.worksheet_names]  # within MAX_CELLS together
        grids = [_sheet_grid(sheet, book.number_formats(sheet.name)) for sheet in sheets]
    return grids, [text for grid in grids for row in grid.rows for text in row if text]


def _sheet_grid(sheet: Sheet, formats: dict[tuple[int, int], str]) -> Grid:
    rows = [[_shown(value, formats.get((r, c), "General")) for c, value in enumerate(row.values)]
            for r, row in enumerate(sheet.rows(fill_merged=False))]
    _unmerge(rows, sheet.merged)
    return Grid(sheet.name, rows, excel=True)


def _shown(value: object, number_format: str) -> str:
    """A cell as Excel displays it: 7.9 in format "0.00" is "7.90"; 0.3931 in "0.00%" "39.31%"."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "" if value is None else str(value)
    section = re.sub(r'"[^"]*"|\[[^]]*]|\\.|[_*].', "", str(number_format).split(";")[0])
    if not re.search(r"[0#?]", section) or "e" in section.lower() or not math.isfinite(value):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    places = re.search(r"\.([0#?]+)", section)
    scaled = decimal.Decimal(repr(float(value))) * (100 if "%" in section else 1)
    step = decimal.Decimal(1).scaleb(-min(len(places.group(1)), 30) if places else 0)
    shown = scaled.quantize(step, decimal.ROUND_HALF_UP, context=_WIDE)
    return f"{shown}{'%' if '%' in section else ''}"


def _unmerge(rows: list[list[str]], ranges: list[tuple[tuple[int, int], tuple[int, int]]]) -> None:
    """Merged ranges as Word reads them: the top-left text in each covered row, first column."""
    for (top, left), (bottom, right) in ranges:
        text = rows[top][left] if top < len(rows) and left < len(rows[top]) else ""
        for r in range(top, min(bottom, len(rows) - 1) + 1):
            for c in range(left, min(right, len(rows[r]) - 1) + 1):
                rows[r][c] = text if c == left else ""
