"""Reading a workbook's sheets fast and safely: rows of values with A1 references, headers found
by their names, merged cells, named cells, formulas that were never calculated.

Values come from python-calamine (a Rust reader): cached formula results, numbers, text, dates,
row by row, so a 100,000-row roster is streamed rather than held as Python objects. What
calamine does not tell is read from the file's XML parts directly, in one streaming pass per
sheet, with no XML tree built: formula cells without a cached value (the file was written by a
program and never opened in Excel/WPS), error values (#DIV/0!, which calamine reads as empty),
and numbers formatted as a percentage (0.8117 shown as 81.17%). Workbook defined names (named
cells) come from xl/workbook.xml, parsed with defusedxml.

Every file goes through `ecopark.io.guard.inspect` first (encrypted, legacy, zip bombs);
a sheet of more than `MAX_CELLS` cells is refused; macros in an .xlsm are never run, the file
is read as data.
"""

from __future__ import annotations

import dataclasses
import difflib
import posixpath
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, cast
from xml.etree.ElementTree import Element

import python_calamine

from ecopark.errors import WorkbookError
from ecopark.io.cells import EXCEL_ERRORS, Raw, cell_text
from ecopark.io.guard import inspect

__all__ = ["HEADER_SCAN", "MAX_CELLS", "Column", "Header", "Row", "Sheet", "Workbook", "cell_ref",
           "column_letters", "find_header", "label_forms", "label_matches", "near_miss",
           "normalize_label", "open_workbook", "parse_ref"]

MAX_CELLS = 5_000_000
HEADER_SCAN = 30
_NONE: frozenset[int] = frozenset()
_CHUNK = 1 << 22
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_X = rb"(?:\w+:)?"
_F_ELEMENT = _X + rb"f\b[^>]*?(?:/>|>[^<]*</" + _X + rb"f>)"
# Anchored on the rare part (a formula, an error type, a style), so the 20 cells of a roster row
# cost nothing unless they are one of these; the cell's own tag is looked up on a hit only.
_FORMULA = re.compile(rb"<" + _F_ELEMENT + rb"\s*(?:(<" + _X + rb"v>)([^<]*)</|<" + _X + rb"v\s*/>)?")
_ERROR = re.compile(rb"\bt=\"e\"[^>]*>(?:\s*<" + _F_ELEMENT + rb")?\s*<" + _X + rb"v>([^<]*)</")
_CELL_TAG = re.compile(rb"<" + _X + rb"c\s")
_REF_ATTR = re.compile(rb"\br=\"([A-Z]{1,3}[0-9]{1,7})\"")
_A1 = rb"([A-Z]{1,3}[0-9]{1,7})"
_DIMENSION = re.compile(rb"<" + _X + rb"dimension\s+ref=\"" + _A1 + rb"(?::" + _A1 + rb")?\"")
_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")
_NAMED = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!(\$?[A-Za-z]{1,3}\$?[0-9]{1,7})(?::\S+)?$")


# ------------------------------------------------------------------------ references


def column_letters(column: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_ref(row: int, column: int) -> str:
    """A1 reference of a 1-based (row, column)."""
    return f"{column_letters(column)}{row}"


def parse_ref(ref: str) -> tuple[int, int]:
    """"E7" or "$E$7" → (7, 5)."""
    match = _REF.match(ref.strip())
    if match is None:
        raise ValueError(f"not an A1 reference: {ref!r}")
    column = 0
    for letter in match[1].upper():
        column = column * 26 + ord(letter) - 64
    return int(match[2]), column


# ------------------------------------------------------------------------ labels


def normalize_label(text: object) -> str:
    """Header/label text compared loosely: full-width → half-width, no spaces or line breaks,
    case-folded, no trailing colon."""
    normal = unicodedata.normalize("NFKC", cell_text(cast(Raw, text)))
    return re.sub(r"\s+", "", normal).casefold().rstrip(":")


def label_forms(text: object) -> set[str]:
    """The ways a bilingual label may be meant: "单位\\n(unit)" → {单位(unit), 单位, unit}."""
    full = normalize_label(text)
    forms = {full, re.sub(r"\(.*?\)|\[.*?\]|【.*?】", "", full)}
    for inner in re.findall(r"\((.*?)\)|\[(.*?)\]|【(.*?)】", full):
        forms.update(inner)
    if re.search(r"[^\x00-\x7f]", full) and re.search(r"[a-z]", full):
        forms.add(re.sub(r"[\x00-\x7f]+", "", full))
        forms.add(re.sub(r"[^a-z0-9_]+", "", re.sub(r"[^\x00-\x7f]+", " ", full)))
    return {form for form in forms if form}


def label_matches(text: object, names: Iterable[str]) -> bool:
    forms = label_forms(text)
    return any(normalize_label(name) in forms for name in names)


def near_miss(text: str, candidates: Iterable[str], cutoff: float = 0.5) -> str | None:
    """The candidate closest to `text` (compared loosely), if any is close enough."""
    by_form: dict[str, str] = {}
    for candidate in candidates:
        for form in label_forms(candidate):
            by_form.setdefault(form, candidate)
    best = difflib.get_close_matches(normalize_label(text), list(by_form), n=1, cutoff=cutoff)
    return by_form[best[0]] if best else None


# ------------------------------------------------------------------------ rows and headers


@dataclasses.dataclass(frozen=True)
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
                forms = {normalize_label(value)} if exact else label_forms(value)
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


# ------------------------------------------------------------------------ the XML parts


def _parse_xml(data: bytes) -> Element:
    from defusedxml.ElementTree import fromstring  # type: ignore[import-untyped, unused-ignore]

    return cast(Element, fromstring(data))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element.iter() if _local(child.tag) == name]


@dataclasses.dataclass(frozen=True)
class _Parts:
    sheets: dict[str, str]  # sheet name → part path in the zip
    names: dict[str, tuple[str, str]]  # defined name (lower case) → (sheet, A1 ref)
    percent_styles: frozenset[bytes]  # style indices (as in s="N") formatted as a percentage


def _read_parts(archive: zipfile.ZipFile) -> _Parts:
    book = _parse_xml(archive.read("xl/workbook.xml"))
    targets = _relationships(archive)
    sheets = {s.get("name", ""): targets.get(s.get(f"{_REL_NS}id", ""), "")
              for s in _children(book, "sheet")}
    names: dict[str, tuple[str, str]] = {}
    for defined in _children(book, "definedName"):
        place = _named_cell(defined.text or "")
        name = defined.get("name", "")
        if place is not None and not name.startswith("_xlnm."):
            names.setdefault(name.casefold(), place)
    return _Parts(sheets, names, _percent_styles(archive))


def _relationships(archive: zipfile.ZipFile) -> dict[str, str]:
    try:
        rels = _parse_xml(archive.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return {}
    out = {}
    for rel in _children(rels, "Relationship"):
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        out[rel.get("Id", "")] = path
    return out


def _named_cell(text: str) -> tuple[str, str] | None:
    match = _NAMED.match(text.strip())
    if match is None:
        return None
    sheet = match[1].replace("''", "'") if match[1] else match[2]
    row, column = parse_ref(match[3])
    return sheet, cell_ref(row, column)


def _percent_styles(archive: zipfile.ZipFile) -> frozenset[bytes]:
    try:
        styles = _parse_xml(archive.read("xl/styles.xml"))
    except KeyError:
        return frozenset()
    codes = {f.get("numFmtId", ""): f.get("formatCode", "") for f in _children(styles, "numFmt")}
    xfs = next((x for x in styles.iter() if _local(x.tag) == "cellXfs"), None)
    out = set()
    for index, xf in enumerate([] if xfs is None else [x for x in xfs if _local(x.tag) == "xf"]):
        number_format = xf.get("numFmtId", "0")
        if number_format in ("9", "10") or _is_percent_code(codes.get(number_format, "")):
            out.add(str(index).encode())
    return frozenset(out)


def _is_percent_code(code: str) -> bool:
    bare = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", code)
    return "%" in bare


@dataclasses.dataclass
class _Scan:
    """What one pass over a sheet's XML found (cells as 1-based (row, column))."""

    uncalculated: list[tuple[int, int]] = dataclasses.field(default_factory=list)
    errors: dict[int, dict[int, str]] = dataclasses.field(default_factory=dict)
    percent: dict[int, set[int]] = dataclasses.field(default_factory=dict)


def _declared_cells(archive: zipfile.ZipFile, part: str) -> int:
    """Cells of the sheet's declared <dimension>, read from the part's first bytes (0 if none)."""
    with archive.open(part) as stream:
        match = _DIMENSION.search(stream.read(4096))
    if match is None:
        return 0
    top = parse_ref(match[1].decode())
    bottom = parse_ref(match[2].decode()) if match[2] else top
    return (bottom[0] - top[0] + 1) * (bottom[1] - top[1] + 1)


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    """The part in pieces that end after a row's closing tag, so no cell is cut in two."""
    rest = b""
    while chunk := stream.read(_CHUNK):
        buffer = rest + chunk
        cut = buffer.rfind(b"row>") + 4
        if cut < 4:
            rest = buffer
            continue
        rest = buffer[cut:]
        yield buffer[:cut]
    if rest:
        yield rest


def _scan_part(archive: zipfile.ZipFile, part: str, percent_styles: frozenset[bytes]) -> _Scan:
    found = _Scan()
    percent = None
    if percent_styles:
        styles = b"|".join(sorted(percent_styles))
        percent = re.compile(rb"\bs=\"(?:" + styles + rb")\"")
    with archive.open(part) as stream:
        for piece in _chunks(stream):
            _scan_piece(piece, found, percent)
    return found


def _cell_tag(piece: bytes, at: int) -> bytes:
    """The opening tag of the cell that holds position `at` ("" when `at` is not in a cell tag
    or right after one, e.g. a row's style)."""
    start = piece.rfind(b"<", 0, at)
    return piece[start:at] if _CELL_TAG.match(piece, start) else b""


def _where(tag: bytes) -> tuple[int, int] | None:
    match = _REF_ATTR.search(tag)
    return parse_ref(match[1].decode()) if match else None


def _scan_piece(piece: bytes, found: _Scan, percent: re.Pattern[bytes] | None) -> None:
    if b"<f" in piece or b":f" in piece:
        for match in _FORMULA.finditer(piece):
            if match[2]:
                continue  # a cached value
            tag = _cell_tag(piece, match.start())
            if (match[1] and b't="str"' in tag) or b't="e"' in tag:
                continue  # an empty text result, or an error value (reported as such)
            place = _where(tag)
            if place is not None:
                found.uncalculated.append(place)
    if b't="e"' in piece:
        for match in _ERROR.finditer(piece):
            place = _where(_cell_tag(piece, match.start() + 1))
            if place is not None:
                found.errors.setdefault(place[0], {})[place[1]] = match[1].decode(errors="replace")
    for match in percent.finditer(piece) if percent is not None else ():
        place = _where(_cell_tag(piece, match.start() + 1))
        if place is not None:
            found.percent.setdefault(place[0], set()).add(place[1])


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
                 scan: _Scan) -> None:
        self.file, self.name, self._data, self._scan = file, name, data, scan

    @property
    def uncalculated(self) -> list[str]:
        """A1 references of formula cells that have no calculated value."""
        return [cell_ref(row, column) for row, column in self._scan.uncalculated]

    def rows(self) -> Iterator[Row]:
        start = self._data.start
        if start is None:
            return
        pad: list[Raw] = [""] * start[1]
        merges = _Merges(self._data.merged_cell_ranges or [])
        for index, raw in enumerate(self._data.iter_rows()):
            values = pad + cast(list[Raw], raw) if pad else cast(list[Raw], raw)
            for column, text in self._scan.errors.get(index + 1, {}).items():
                if column <= len(values) and text in EXCEL_ERRORS:
                    values[column - 1] = text
            merges.fill(index, values)
            percent = self._scan.percent.get(index + 1)
            yield Row(index + 1, values, frozenset(percent) if percent else _NONE)

    def find_header(self, rows: Iterator[Row], columns: Sequence[Column]) -> Header:
        return find_header(self.file, self.name, rows, columns)


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
            self._parts = _read_parts(self._archive)
            self._book = python_calamine.CalamineWorkbook.from_path(str(path))
        except Exception as exc:  # calamine and XML errors: the file is damaged
            self._archive.close()
            raise self._damaged(exc) from None
        self.sheet_names: list[str] = list(self._book.sheet_names)

    def _damaged(self, exc: Exception) -> WorkbookError:
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
    def defined_names(self) -> dict[str, tuple[str, str]]:
        """Named cells: name (lower case) → (sheet, A1 reference)."""
        return dict(self._parts.names)

    def sheet(self, name: str) -> Sheet:
        part = self._parts.sheets.get(name, "")
        if part and _declared_cells(self._archive, part) > MAX_CELLS:
            raise self._too_big(name)
        try:
            data = self._book.get_sheet_by_name(name)
        except python_calamine.CalamineError as exc:
            raise self._damaged(exc) from None
        if data.height * data.width > MAX_CELLS:
            raise self._too_big(name)
        scan = _scan_part(self._archive, part, self._parts.percent_styles) if part else _Scan()
        return Sheet(self.file, name, data, scan)

    def _too_big(self, name: str) -> WorkbookError:
        return WorkbookError(self.file, name, "", f"工作表超过 {MAX_CELLS:,} 个单元格 the sheet has "
                             f"more than {MAX_CELLS:,} cells", "删除多余的行列或拆分文件 delete unused "
                             "rows and columns, or split the file")


def open_workbook(path: Path) -> Workbook:
    """Check the file with the guard, then open it; raise WorkbookError on any refusal."""
    return Workbook(path)

