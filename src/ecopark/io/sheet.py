"""Reading a workbook's sheets fast and safely: rows of values with A1 references, headers found
by their names, merged cells, named cells, formulas that were never calculated.

Values come from python-calamine (a Rust reader): cached formula results, numbers, text, dates,
row by row. What calamine does not tell is read from the file's XML parts by `ecopark.io.parts`
in one streaming pass per sheet, with no XML tree built: formula cells without a cached value
(the file was written by a program and never opened in Excel/WPS), error values (#DIV/0!, which
calamine reads as empty), numbers formatted as a percentage (0.8117 shown as 81.17%), and the
sheet's extent. Every sheet is scanned when the workbook is opened, before calamine reads any:
a workbook of more than `MAX_SHEETS` sheets, or whose sheets hold more than `MAX_CELLS` cells
together (each counted from A1 to its last row and column, which is what calamine allocates),
is refused then, so the readers that keep every sheet (the printed table) stay within one
budget however many sheets a file has.

Every file goes through `ecopark.io.guard.inspect` first (encrypted, legacy, zip bombs); macros
in an .xlsm are never run, the file is read as data.

For reading many rows fast, take `row.values` (column A is index 0) and convert each cell with
`ecopark.io.cells.plain_number` first, falling back to `read_number` only when it says None.
"""

from __future__ import annotations

import dataclasses
import itertools
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import cast

import python_calamine

from ecopark.core.errors import WorkbookError
from ecopark.core.text import label_forms, label_matches, near_miss, normalize_label
from ecopark.io.cells import EXCEL_ERRORS, Raw, cell_text
from ecopark.io.guard import inspect
from ecopark.io.parts import Parts, SheetScan, cell_formats, read_parts, scan_sheet
from ecopark.io.refs import cell_ref, column_letters, parse_ref

__all__ = ["HEADER_SCAN", "MAX_CELLS", "MAX_SHEETS", "Column", "Header", "Row", "Sheet", "Workbook",
           "cell_ref", "column_letters", "find_header", "open_workbook", "parse_ref"]

MAX_CELLS = 5_000_000  # in all sheets of a workbook together
MAX_SHEETS = 250
HEADER_SCAN = 30
_NONE: frozenset[int] = frozenset()
# What a damaged or hostile zip/XML raises in the standard library, defusedxml and calamine.
# pyo3 turns a Rust panic into PanicException, which derives from BaseException.
_DAMAGED = (zipfile.BadZipFile, zlib.error, OSError, ValueError, KeyError, SyntaxError,
            EOFError, NotImplementedError, RuntimeError, python_calamine.CalamineError)

# ------------------------------------------------------------------------ rows and headers


@dataclasses.dataclass(frozen=True, slots=True)
class Row:
    """One row: `values[0]` is column A. Merged cells already carry their top-left value."""

    number: int
    values: list[Raw]
    percent: frozenset[int] = frozenset()  # columns formatted as a percentage

    def value(self, column: int) -> Raw:
        return self.values[column - 1] if 0 < column <= len(self.values) else ""

    def ref(self, column: int) -> str:
        return cell_ref(self.number, column)

    def is_percent(self, column: int) -> bool:
        return column in self.percent

    def blank(self, columns: Iterable[int] | None = None) -> bool:
        wanted = range(1, len(self.values) + 1) if columns is None else columns
        return all(not cell_text(self.value(c)) for c in wanted)


# Row's frozen __init__ sets each field through object.__setattr__ (0.6 µs a row): the rows of a
# sheet read in bulk have their slots filled directly instead (0.35 µs), the same Row objects.
_SET_NUMBER = Row.__dict__["number"].__set__
_SET_VALUES = Row.__dict__["values"].__set__
_SET_PERCENT = Row.__dict__["percent"].__set__


def _plain_row(number: int, values: list[Raw]) -> Row:
    """Row(number, values), built without running its __init__."""
    row: Row = object.__new__(Row)
    _SET_NUMBER(row, number)
    _SET_VALUES(row, values)
    _SET_PERCENT(row, _NONE)
    return row


@dataclasses.dataclass(frozen=True)
class Column:
    """A column looked for by name: `names[0]` is what the template writes, the others are
    accepted too (zh or en)."""

    key: str
    names: tuple[str, ...]
    required: bool = True


@dataclasses.dataclass(frozen=True)
class Header:
    sheet: str
    row: int
    columns: dict[str, int]  # column key → 1-based column
    cells: dict[int, Raw]  # every non-empty header cell by column

    def ref(self, key: str) -> str:
        return cell_ref(self.row, self.columns[key])

    def others(self) -> dict[int, Raw]:
        """Header cells that are none of the named columns (e.g. the year columns)."""
        used = set(self.columns.values())
        return {c: v for c, v in self.cells.items() if c not in used}


def _match_columns(row: Row, columns: Sequence[Column]) -> dict[str, int]:
    cells = {c: v for c, v in enumerate(row.values, 1) if cell_text(v)}
    found: dict[str, int] = {}
    for exact in (True, False):
        for column in columns:
            if column.key in found:
                continue
            names = {normalize_label(n) for n in column.names}
            for index, value in cells.items():
                text = cell_text(value)
                forms = {normalize_label(text)} if exact else label_forms(text)
                if index not in found.values() and forms & names:
                    found[column.key] = index
                    break
    return found


def find_header(file: str, sheet: str, rows: Iterator[Row], columns: Sequence[Column],
                scan: int = HEADER_SCAN) -> Header:
    """Consume rows until the header row (the first with every required column) and return it;
    the iterator then continues with the data rows. Raise WorkbookError with near-miss hints."""
    required = [c for c in columns if c.required]
    best: tuple[int, Row | None, dict[str, int]] = (-1, None, {})
    for row in rows:
        found = _match_columns(row, columns)
        if all(c.key in found for c in required):
            cells = {c: v for c, v in enumerate(row.values, 1) if cell_text(v)}
            return Header(sheet, row.number, found, cells)
        score = len(found) + sum(1 for c in required if c.key in found)
        if score > best[0]:
            best = (score, row, found)
        if row.number >= scan:
            break
    raise _header_error(file, sheet, columns, best[1], best[2])


def _header_error(file: str, sheet: str, columns: Sequence[Column], row: Row | None,
                  found: dict[str, int]) -> WorkbookError:
    expected = " | ".join(c.names[0] for c in columns)
    missing = [c for c in columns if c.required and c.key not in found]
    if row is None or not found:
        return WorkbookError(file, sheet, "", f"找不到表头行 header row not found (需要 needs: "
                             f"{expected})", "不要删除或改写模板的表头 keep the template's header row")
    spare = {cell_text(v): c for c, v in enumerate(row.values, 1)
             if cell_text(v) and c not in found.values()}
    hints = []
    for column in missing:
        guess = near_miss(column.names[0], spare)
        if guess is not None:
            hints.append(f"{row.ref(spare[guess])} “{guess}” 是否应为 did you mean “{column.names[0]}”?")
    names = "、".join(f"“{c.names[0]}”" for c in missing)
    return WorkbookError(file, sheet, f"{row.number}:{row.number}",
                         f"表头缺少 {names} the header lacks {names}",
                         "；".join(hints) or f"表头应为 the header is: {expected}")




# ------------------------------------------------------------------------ sheets


class _Merges:
    """Fills the cells of merged ranges with their top-left value while rows stream by."""

    def __init__(self, ranges: Sequence[tuple[tuple[int, int], tuple[int, int]]]) -> None:
        self._pending = sorted(ranges, reverse=True)  # popped from the end, top rows first
        self._active: list[tuple[int, int, int, int, Raw]] = []  # top, bottom, left, right, value

    def fill(self, index: int, values: list[Raw]) -> None:
        while self._pending and self._pending[-1][0][0] <= index:
            (top, left), (bottom, right) = self._pending.pop()
            value = values[left] if left < len(values) else ""
            self._active.append((top, bottom, left, right, value))
        self._active = [m for m in self._active if m[1] >= index]
        for top, _, left, right, value in self._active:
            if len(values) <= right:
                values.extend([""] * (right + 1 - len(values)))
            for column in range(left, right + 1):
                if (index, column) != (top, left):
                    values[column] = value


class Sheet:
    """One worksheet, loaded by calamine. `rows()` streams its rows from row 1."""

    def __init__(self, file: str, name: str, data: python_calamine.CalamineSheet,
                 scan: SheetScan) -> None:
        self.file, self.name, self._data, self._scan = file, name, data, scan

    @property
    def cells(self) -> int:
        """The sheet's size from A1 to its last row and column."""
        return self._scan.cells

    @property
    def uncalculated(self) -> list[str]:
        """A1 references of formula cells that have no calculated value."""
        return [cell_ref(row, column) for row, column in self._scan.uncalculated]

    @property
    def merged(self) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """Merged ranges as 0-based ((top, left), (bottom, right)), cut to the sheet's extent."""
        return _merged(self._data)

    def rows(self, fill_merged: bool = True) -> Iterator[Row]:
        """Every row from row 1; merged cells carry their top-left value unless
        `fill_merged` is False."""
        start = self._data.start
        if start is None:
            return
        pad: list[Raw] = [""] * start[1]
        errors, percent = self._scan.errors, self._scan.percent
        merges = _Merges(self.merged) if fill_merged and self._data.merged_cell_ranges else None
        if not (pad or errors or percent or merges):  # the common case, kept tight
            rows = cast(Iterator[list[Raw]], self._data.iter_rows())
            yield from map(_plain_row, itertools.count(1), rows)
            return
        for number, raw in enumerate(self._data.iter_rows(), 1):
            values = pad + cast(list[Raw], raw) if pad else cast(list[Raw], raw)
            if errors and number in errors:
                _put_errors(values, errors[number])
            if merges is not None:
                merges.fill(number - 1, values)
            columns = percent.get(number) if percent else None
            yield Row(number, values, frozenset(columns) if columns else _NONE)

    def find_header(self, rows: Iterator[Row], columns: Sequence[Column]) -> Header:
        return find_header(self.file, self.name, rows, columns)


def _merged(data: python_calamine.CalamineSheet) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """calamine's merged ranges within the sheet's extent (a merge may name A1:XFD1048576)."""
    end = data.end
    if end is None:
        return []
    return [((top, left), (min(bottom, end[0]), min(right, end[1])))
            for (top, left), (bottom, right) in data.merged_cell_ranges or []
            if top <= min(bottom, end[0]) and left <= min(right, end[1])]


def _put_errors(values: list[Raw], errors: dict[int, str]) -> None:
    for column, text in errors.items():
        if column <= len(values) and text in EXCEL_ERRORS:
            values[column - 1] = text


class Workbook:
    """An open workbook (use as a context manager)."""

    def __init__(self, path: Path) -> None:
        office = inspect(path)
        self.path, self.file, self.has_macros = path, str(path), office.has_macros
        if office.kind != "xlsx":
            raise WorkbookError(self.file, "", "", "这是 Word 文档，不是 Excel 工作簿 this is a "
                                "Word document, not a workbook", "提供 .xlsx 文件 give an .xlsx file")
        self._archive = zipfile.ZipFile(path)
        try:
            self._parts: Parts = read_parts(self._archive)
            self._book = python_calamine.CalamineWorkbook.from_path(str(path))
        except BaseException as exc:
            self._archive.close()
            raise self._damaged(exc) from None
        self.sheet_names: list[str] = list(self._book.sheet_names)
        try:
            self._scans = self._scan_all()
        except BaseException:
            self.close()
            raise

    def _scan_all(self) -> dict[str, SheetScan]:
        """Every worksheet's scan, refused once the sheets together exceed the budget."""
        if len(self.sheet_names) > MAX_SHEETS:
            raise WorkbookError(self.file, "", "", f"工作簿有 {len(self.sheet_names):,} 个工作表，"
                                f"超过 {MAX_SHEETS} 个 the workbook has more than {MAX_SHEETS} "
                                "sheets", "删除多余的工作表 delete the sheets not needed")
        scans: dict[str, SheetScan] = {}
        total = 0
        for name in self.worksheet_names:
            scans[name] = scan = self._scan(name, MAX_CELLS - total)
            total += scan.cells
            if scan.cells > MAX_CELLS:
                raise self._too_big(name)
            if total > MAX_CELLS:
                raise self._too_big_together(name)
        return scans

    def _scan(self, name: str, budget: int) -> SheetScan:
        part = self._parts.sheets.get(name, "")
        try:
            if part not in self._archive.namelist():
                raise KeyError(f"no part for sheet {name!r}")
            return scan_sheet(self._archive, part, self._parts.percent_styles, budget)
        except BaseException as exc:
            raise self._damaged(exc) from None

    def _damaged(self, exc: BaseException) -> WorkbookError:
        """The error for what a parser raised; anything but a damaged file is raised again."""
        if not isinstance(exc, _DAMAGED) and type(exc).__name__ != "PanicException":
            raise exc
        if "Forbidden" in type(exc).__name__:  # defusedxml: a DTD or an entity declaration
            return WorkbookError(self.file, "", "", "文件含有 XML 实体声明（DTD），拒绝读取 the "
                                 "file declares XML entities (a DTD); refused",
                                 "用 Excel/WPS 打开并另存为 .xlsx open it in Excel/WPS and save "
                                 "it again as .xlsx")
        return WorkbookError(self.file, "", "", f"工作簿已损坏，无法读取 the workbook is damaged "
                             f"({type(exc).__name__}: {exc})", "用 Excel/WPS 打开并另存为 .xlsx "
                             "open it in Excel/WPS and save it again as .xlsx")

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._archive.close()
        self._book.close()

    def find_sheet(self, names: Sequence[str]) -> str | None:
        """The sheet whose name matches one of `names` loosely (spaces, width, case)."""
        return next((s for s in self.sheet_names if label_matches(s, names)), None)

    def missing_sheet(self, names: Sequence[str]) -> WorkbookError:
        guess = near_miss(names[0], self.sheet_names)
        hint = f"是否应为 did you mean “{guess}”? 请改名为 rename it to “{names[0]}”" if guess else \
            "用 ecopark template 生成的模板填写 fill in a template from `ecopark template`"
        return WorkbookError(self.file, names[0], "", f"缺少工作表 missing sheet “{names[0]}”", hint)

    @property
    def worksheet_names(self) -> list[str]:
        """The sheets that hold cells (not chart or dialog sheets)."""
        return [s.name for s in self._book.sheets_metadata
                if s.typ == python_calamine.SheetTypeEnum.WorkSheet]

    @property
    def defined_names(self) -> dict[str, tuple[str, str]]:
        """Named cells: name (lower case) → (sheet, A1 reference)."""
        return dict(self._parts.names)

    def sheet(self, name: str) -> Sheet:
        """A worksheet, its extent checked when the workbook was opened (within MAX_CELLS)."""
        scan = self._scans.get(name)
        if scan is None:
            raise self._damaged(KeyError(f"no worksheet {name!r}"))
        try:
            data = self._book.get_sheet_by_name(name)
            merged = sum((b - t + 1) * (r - left + 1) for (t, left), (b, r) in _merged(data))
        except BaseException as exc:
            raise self._damaged(exc) from None
        if merged > MAX_CELLS:  # merges overlap only in a damaged or hostile file
            raise WorkbookError(self.file, name, "", f"合并单元格共覆盖 {merged:,} 个单元格，超过 "
                                f"{MAX_CELLS:,} merged ranges cover more than {MAX_CELLS:,} cells",
                                "取消重叠的合并单元格 unmerge the overlapping ranges")
        return Sheet(self.file, name, data, scan)

    def number_formats(self, name: str) -> dict[tuple[int, int], str]:
        """(row, column) (0-based) → number format, for the cells of a sheet that have one."""
        part = self._parts.sheets.get(name, "")
        try:
            return cell_formats(self._archive, part, self._parts.formats)
        except BaseException as exc:
            raise self._damaged(exc) from None

    def _too_big(self, name: str) -> WorkbookError:
        return WorkbookError(self.file, name, "", f"工作表超过 {MAX_CELLS:,} 个单元格 the sheet has "
                             f"more than {MAX_CELLS:,} cells", "删除多余的行列或拆分文件 delete unused "
                             "rows and columns, or split the file")

    def _too_big_together(self, name: str) -> WorkbookError:
        return WorkbookError(self.file, name, "", f"各工作表合计超过 {MAX_CELLS:,} 个单元格（计至此表）"
                             f"the sheets together have more than {MAX_CELLS:,} cells",
                             "删除多余的工作表和行列，或拆分文件 delete unused sheets, rows and "
                             "columns, or split the file")


def open_workbook(path: Path) -> Workbook:
    """Check the file with the guard, then open it; raise WorkbookError on any refusal."""
    return Workbook(path)
