"""What calamine does not tell about a workbook, read from its XML parts.

- `read_parts`: each sheet's part in the zip, the workbook's defined names (named cells) and the
  number format of each cell style (a percentage, "0.00" …), from xl/workbook.xml, its
  relationships and xl/styles.xml. These parts are small; they are parsed with defusedxml,
  which refuses DTDs and entity declarations (billion laughs, external entities).
- `scan_sheet`: one streaming pass over a sheet's part, with no XML tree built, that finds
  1. the sheet's extent: the last row and column any cell occupies. calamine allocates the whole
     grid from A1 to there, so a sheet with one cell at A1 and one at XFD1048576 would ask for
     17 billion cells and abort the process; the caller refuses a sheet whose extent exceeds its
     limit before calamine reads it;
  2. formula cells without a cached value (written by a program, never opened in Excel/WPS);
  3. error values (#DIV/0!, which calamine reads as empty);
  4. cells whose style formats them as a percentage (0.8117 shown as 81.17%).
- `cell_formats`: the number format of every cell of a sheet, for showing numbers as printed.

The pass is cheap for the files offices produce. The part is decompressed in chunks that end
after a row, and each chunk is searched with one regular expression that skips every usual
cell — `<c r="REF" s="N" t="T">` (s and t optional) with REF inside the extent known so far, a
style that is not a percentage, a type that is not an error, and no `<f` after it — so only
the few unusual cells are read one by one in Python: the first row, a cell further right or
down than any before, a formula, an error, a percentage. A cell without an `r` attribute, or a
prefixed element name (`<x:c>`), makes the pass start again walking every row and cell tag,
placing cells as calamine places them: the same result, slower. A cell or row tag whose
attribute values hold < or > or leave a quote open is refused: XML allows them and calamine
reads them, so a scan that ended such a tag at its first > could miss the r attribute after it;
spreadsheet programs never write them.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import zipfile
from collections.abc import Iterator
from typing import IO, cast
from xml.etree.ElementTree import Element

from ecopark.io.refs import cell_ref, column_letters, column_number, parse_ref

__all__ = ["Parts", "SheetScan", "ascii_lower", "cell_formats", "parse_xml", "read_parts", "scan_sheet"]

_CHUNK = 1 << 22
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NAMED = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!(\$?[A-Za-z]{1,3}\$?[0-9]{1,7})(?::\S+)?$")
_X = rb"(?:\w+:)?"
_F_ELEMENT = _X + rb"f\b[^>]*?(?:/>|>[^<]*</" + _X + rb"f>)"
# What follows a cell's opening tag: a formula and its cached value; an error value.
_FORMULA = re.compile(rb"\s*<" + _F_ELEMENT + rb"\s*(?:(<" + _X + rb"v>)([^<]*)</|<" + _X + rb"v\s*/>)?")
_ERROR = re.compile(rb"\s*(?:<" + _F_ELEMENT + rb")?\s*<" + _X + rb"v>([^<]*)</")
_T_ATTR = re.compile(rb"""[\s:]t\s*=\s*["']([^"']*)""")
_S_ATTR = re.compile(rb"""[\s:]s\s*=\s*["']([^"']*)""")
# An r attribute as calamine reads it (any quotes, spaces around =); a ref it accepts.
_R_ATTR = re.compile(rb"""[\s:]r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_PLACE = re.compile(rb"([A-Za-z]+)([0-9]+)")
_PREFIXED_CELL = re.compile(rb":c[\s/>]")
_CELL_OPEN = re.compile(rb"<(?:[^\s/>:!?]+:)?c(?=[\s/>])([^>]*)>")
_WALK_TAG = re.compile(rb"<(?:[^\s/>:!?]+:)?(row|c)(?=[\s/>])([^>]*)>")
_TAG_END = frozenset(b" \t\r\n/>")
# A cell or row tag's attributes as spreadsheet programs write them: every quote closed, no < or
# > anywhere. XML allows both inside a quoted value and calamine's parser reads them so: a scan
# that took the first > for the tag's end would miss an r attribute after it (foo=">"
# r="XFD1048576"), and calamine would allocate the grid up to a cell this scan never saw.
_PLAIN_ATTRIBUTES = re.compile(rb"""(?:[^<>"']++|"[^<>"]*+"|'[^<>']*+')*+""")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


# ------------------------------------------------------------------------ small parts


def parse_xml(data: bytes) -> Element:
    """A small part as an XML tree; DTDs, entities and external references are refused."""
    from defusedxml.ElementTree import fromstring  # type: ignore[import-untyped, unused-ignore]

    return cast(Element, fromstring(data, forbid_dtd=True))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element.iter() if _local(child.tag) == name]


@dataclasses.dataclass(frozen=True)
class Parts:
    sheets: dict[str, str]  # sheet name → part path in the zip
    names: dict[str, tuple[str, str]]  # defined name (lower case) → (sheet, A1 ref)
    formats: dict[bytes, str]  # style index (as in s="N") → its number format, if not General

    @functools.cached_property
    def percent_styles(self) -> frozenset[bytes]:
        """The style indices formatted as a percentage."""
        return frozenset(style for style, code in self.formats.items() if _is_percent_code(code))


def read_parts(archive: zipfile.ZipFile) -> Parts:
    """Sheets, defined names and number formats; raises KeyError, ValueError or SyntaxError
    (defusedxml's refusals are ValueErrors) on a damaged or hostile file."""
    book = parse_xml(archive.read("xl/workbook.xml"))
    targets = _relationships(archive)
    sheets = {s.get("name", ""): targets.get(s.get(f"{_REL_NS}id", ""), "")
              for s in _unambiguous(_children(book, "sheet"), "name")}
    names: dict[str, tuple[str, str]] = {}
    for defined in _children(book, "definedName"):
        place = _named_cell(defined.text or "")
        name = defined.get("name", "")
        if place is not None and not name.startswith("_xlnm."):
            names.setdefault(name.casefold(), place)
    return Parts(sheets, names, _number_formats(archive))


def _relationships(archive: zipfile.ZipFile) -> dict[str, str]:
    """Relationship id → part, resolved as calamine resolves it (so that the part scanned is the
    part calamine reads): "/x" is x, anything else is under xl/, part names match ignoring
    ASCII case (the guard refuses a zip with two names that differ in case only)."""
    try:
        rels = parse_xml(archive.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return {}
    parts = {ascii_lower(name): name for name in archive.namelist()}
    out = {}
    for rel in _unambiguous(_children(rels, "Relationship"), "Id"):
        target = rel.get("Target", "")
        path = target[1:] if target.startswith("/") else f"xl/{target}"
        out[rel.get("Id", "")] = parts.get(ascii_lower(path), path)
    return out


def _unambiguous(elements: list[Element], key: str) -> list[Element]:
    """The elements, refused (ValueError) when two share `key`, or one has two attributes of
    the same local name: calamine would read the first sheet of a name and the last attribute
    of a name (x:id as well as r:id), this reader another, and they must read the same part."""
    seen: set[str] = set()
    for element in elements:
        names = [_local(attribute) for attribute in element.attrib]
        if len(set(names)) < len(names):
            raise ValueError(f"<{_local(element.tag)}> has two attributes of one name: {names}")
        value = element.get(key, "").casefold()
        if value in seen:
            raise ValueError(f"two <{_local(element.tag)}> have the {key} {value!r}")
        seen.add(value)
    return elements


def ascii_lower(name: str) -> str:
    return name.translate(_ASCII_LOWER)


def _named_cell(text: str) -> tuple[str, str] | None:
    match = _NAMED.match(text.strip())
    if match is None:
        return None
    sheet = match[1].replace("''", "'") if match[1] else match[2]
    row, column = parse_ref(match[3])
    return sheet, cell_ref(row, column)


def _number_formats(archive: zipfile.ZipFile) -> dict[bytes, str]:
    """The number format of each cell style (cellXfs) that is not General."""
    try:
        styles = parse_xml(archive.read("xl/styles.xml"))
    except KeyError:
        return {}
    codes = {f.get("numFmtId", ""): f.get("formatCode", "") for f in _children(styles, "numFmt")}
    xfs = next((x for x in styles.iter() if _local(x.tag) == "cellXfs"), None)
    out = {}
    for index, xf in enumerate([] if xfs is None else [x for x in xfs if _local(x.tag) == "xf"]):
        number = xf.get("numFmtId", "0")
        code = codes.get(number) or _builtin_format(number)
        if code and code != "General":
            out[str(index).encode()] = str(code)
    return out


def _builtin_format(number: str) -> str:
    """The code of a built-in number format ("9" → "0%"), "" for none. Id 0 is General, the
    format of every style that has none: answered here, as openpyxl's table would, because
    importing openpyxl only for that costs 0.2 s of every workbook opened in a fresh process."""
    if number == "0":
        return "General"
    if not number.isdigit():
        return ""
    from openpyxl.styles.numbers import BUILTIN_FORMATS  # type: ignore[import-untyped, unused-ignore]

    return str(BUILTIN_FORMATS.get(int(number), ""))


def _is_percent_code(code: str) -> bool:
    bare = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", code)
    return "%" in bare


def cell_formats(archive: zipfile.ZipFile, part: str,
                 formats: dict[bytes, str]) -> dict[tuple[int, int], str]:
    """(row, column) (0-based) → number format of every cell whose style has one; cells without
    an r attribute are left out (they are shown as General)."""
    out: dict[tuple[int, int], str] = {}
    if not formats:
        return out
    with archive.open(part) as stream:
        for piece in _chunks(stream):
            for match in _CELL_OPEN.finditer(piece):
                style = _S_ATTR.search(match[1])
                code = formats.get(style[1]) if style else None
                place = _attr_place(match[1]) if code else None
                if code and place is not None and place[0] > 0:
                    out[(place[0] - 1, place[1] - 1)] = code
    return out


# ------------------------------------------------------------------------ the sheet scan


@dataclasses.dataclass
class SheetScan:
    """What one pass over a sheet's XML found (cells as 1-based (row, column))."""

    uncalculated: list[tuple[int, int]] = dataclasses.field(default_factory=list)
    errors: dict[int, dict[int, str]] = dataclasses.field(default_factory=dict)
    percent: dict[int, set[int]] = dataclasses.field(default_factory=dict)
    rows: int = 0  # the last row any cell occupies (calamine's grid starts at A1 for us)
    columns: int = 0  # the last column

    @property
    def cells(self) -> int:
        return self.rows * self.columns


class _Unreadable(ValueError):
    """A sheet part that is not XML a spreadsheet program writes."""


def scan_sheet(archive: zipfile.ZipFile, part: str, percent_styles: frozenset[bytes],
               max_cells: int) -> SheetScan:
    """Scan a sheet part; stop early (with the extent found so far) once the extent exceeds
    `max_cells`. Raises zipfile.BadZipFile (a part that does not decompress to its declared size
    and checksum), zlib.error or ValueError on a damaged part."""
    fast = _Scanner(percent_styles)
    if _scan(archive, part, fast, max_cells, walk=False):
        return fast.found
    walked = _Scanner(percent_styles)
    _scan(archive, part, walked, max_cells, walk=True)
    return walked.found


def _scan(archive: zipfile.ZipFile, part: str, scanner: _Scanner, max_cells: int,
          walk: bool) -> bool:
    """One pass; False when the fast pass met a cell it cannot place."""
    with archive.open(part) as stream:
        for piece in _chunks(stream):
            if walk:
                scanner.walk(piece)
            elif not scanner.skim(piece):
                return False
            if scanner.found.cells > max_cells:
                break
    return True


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    """The part in pieces that end after a row (else after a tag), so no tag is cut in two."""
    rest = b""
    while chunk := stream.read(_CHUNK):
        cut = chunk.rfind(b"row>") + 4
        if cut < 4:
            cut = chunk.rfind(b">") + 1
        if cut == 0:
            rest += chunk
            if len(rest) > 4 * _CHUNK:
                raise _Unreadable("16 MB without a tag")
            continue
        yield b"".join((rest, memoryview(chunk)[:cut]))  # one copy of the chunk, not two
        rest = chunk[cut:]
    if rest:
        yield rest


def _place(ref: bytes) -> tuple[int, int]:
    """(row, column) of a ref as calamine reads it (letters of any case, then digits); (0, 0)
    for a ref calamine refuses (it raises an error then, and allocates nothing)."""
    match = _PLACE.fullmatch(ref)
    if match is None:
        return 0, 0
    return int(match[2]), column_number(match[1].decode())


def _plain(attributes: bytes) -> bytes:
    """A cell or row tag's attributes, refused unless written plainly (see _PLAIN_ATTRIBUTES);
    the usual cells the fast pass skips are plain by its pattern."""
    if _PLAIN_ATTRIBUTES.fullmatch(attributes) is None:
        raise _Unreadable("a tag whose attributes hold < or > or leave a quote open")
    return attributes


def _r_values(attributes: bytes) -> list[bytes]:
    return [m[1] if m[1] is not None else m[2] for m in _R_ATTR.finditer(attributes)]


def _attr_place(attributes: bytes) -> tuple[int, int] | None:
    """The furthest place named by a cell tag's r attribute(s); None when it has none."""
    places = [_place(value) for value in _r_values(attributes)]
    if not places:
        return None
    return max(p[0] for p in places), max(p[1] for p in places)


def _at_most(text: str, digits: bool) -> str:
    """A regular expression for the numbers (or column letters) from 1 up to `text`:
    "100001" → (?:10000[0-1]"|[1-9][0-9]{0,4}+"). For row numbers each alternative ends with the
    quote that closes the ref, and the one for shorter numbers is possessive and tried last, so
    a ref is accepted or refused without backtracking: the expression runs once per cell, and
    backtracking through a bound like 45678 took a third of the scan's time."""
    alphabet = "0123456789" if digits else "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    every = f"[{alphabet[0]}-{alphabet[-1]}]"
    end = '"' if digits else ""
    size = len(text)
    options = []
    for index, char in enumerate(text):  # as long as `text`: its start, then a smaller character
        low = alphabet.index("1") if digits and index == 0 else 0
        high = alphabet.index(char) - (0 if index == size - 1 else 1)
        if high >= low:
            span = alphabet[low] if high == low else f"[{alphabet[low]}-{alphabet[high]}]"
            rest = size - index - 1
            options.append(text[:index] + span + (f"{every}{{{rest}}}" if rest else "") + end)
    if size > 1:  # shorter: tried last, as most refs of a chunk are as long as its last one
        options.append((f"[1-9]{every}{{0,{size - 2}}}+" if digits else f"{every}{{1,{size - 1}}}+")
                       + end)
    return "(?:" + "|".join(options) + ")"


@functools.lru_cache(maxsize=256)
def _unusual(rows: int, columns: int, percent_styles: frozenset[bytes]) -> re.Pattern[bytes]:
    """Matches `<c` unless it opens a usual cell: `<c r="REF" s="N" t="T">` (s, t optional, or
    `/>`) with REF within rows × columns, N not a percent style, T not "e", no formula after."""
    if rows < 1 or columns < 1:
        return re.compile(rb"<c")
    ref = _at_most(column_letters(columns), digits=False) + _at_most(str(rows), digits=True)
    styles = b"|".join(sorted(percent_styles))
    style = rb'(?: s="' + (rb'(?!(?:' + styles + rb')")' if styles else b"") + rb'\d++")?+'
    return re.compile(rb'<c(?! r="' + ref.encode() + style +
                      rb'(?: t="(?!e")\w++")?+(?:/>|>(?!\s*+<f)))')


class _Scanner:
    """Collects a sheet's extent and its unusual cells, chunk by chunk."""

    def __init__(self, percent_styles: frozenset[bytes]) -> None:
        self.found = SheetScan()
        self.percent_styles = percent_styles
        self._row = self._column = 0  # where the walk is (1-based), for cells without r

    def skim(self, piece: bytes) -> bool:
        """The fast pass over a piece; False when it needs the walk."""
        if b":" in piece and _PREFIXED_CELL.search(piece):  # memchr first: most parts have no ":"
            return False
        last = piece.rfind(b'<c r="')
        if last >= 0:  # the piece's last cell: usually the furthest down, a good first guess
            self._grow(_place(piece[last + 6:piece.find(b'"', last + 6)]))
        at = 0
        while (match := self._pattern().search(piece, at)) is not None:
            at = match.end()
            if at < len(piece) and piece[at] not in _TAG_END:
                continue  # <cols>, <color …>: not a cell
            end = piece.find(b">", at)
            if end < 0:
                break  # the part ends inside a tag: calamine refuses it
            attributes = _plain(piece[at:end])
            place = _attr_place(attributes)
            if place is None:
                return False  # a cell without r: calamine places it after the one before
            self._cell(piece, attributes, end, place)
        return True

    def walk(self, piece: bytes) -> None:
        """Every row and cell tag in order, placed as calamine places them: a row without r
        follows the row before, a cell without r the cell before it in its row."""
        for match in _WALK_TAG.finditer(piece):
            _plain(match[2])
            if match[1] == b"row":
                numbers = [int(v) for v in _r_values(match[2]) if v.isdigit()]
                self._row, self._column = max(numbers) if numbers else self._row + 1, 0
                continue
            place = _attr_place(match[2])
            if place is None:
                self._column += 1
                place = (max(self._row, 1), self._column)
            else:
                self._row, self._column = max(self._row, place[0]), place[1]
            self._cell(piece, match[2], match.end() - 1, place)

    def _pattern(self) -> re.Pattern[bytes]:
        return _unusual(self.found.rows, self.found.columns, self.percent_styles)

    def _grow(self, place: tuple[int, int]) -> None:
        found = self.found
        found.rows, found.columns = max(found.rows, place[0]), max(found.columns, place[1])

    def _cell(self, piece: bytes, attributes: bytes, end: int, place: tuple[int, int]) -> None:
        """One unusual cell: its place, and whether it is a formula never calculated, an error
        or a percentage (`end` is the index of its tag's ">")."""
        self._grow(place)
        kind = _T_ATTR.search(attributes)
        style = _S_ATTR.search(attributes)
        row, column = place
        if style is not None and style[1] in self.percent_styles:
            self.found.percent.setdefault(row, set()).add(column)
        if attributes.endswith(b"/"):
            return
        if kind is not None and kind[1] == b"e":
            error = _ERROR.match(piece, end + 1)
            if error is not None:
                self.found.errors.setdefault(row, {})[column] = error[1].decode(errors="replace")
            return
        formula = _FORMULA.match(piece, end + 1)
        if formula is not None and not formula[2] and not (formula[1] and kind is not None
                                                             and kind[1] == b"str"):
            self.found.uncalculated.append(place)  # no cached value (an empty text result is one)
