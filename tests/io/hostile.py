"""Building hostile Office files for tests: zips copied with parts changed, parts that lie about
their size, minimal workbooks around a given sheet XML, XML entity bombs."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
WORKBOOKS = DATA / "workbooks"
DOCX = DATA / "wujin-2018-table.docx"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

LAUGHS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"""


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info.filename) for info in archive.infolist()}


def write_zip(path: Path, contents: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents.items():
            archive.writestr(zipfile.ZipInfo(name, (2024, 3, 1, 9, 0, 0)), data,
                             zipfile.ZIP_DEFLATED)
    return path


def rezip(source: Path, target: Path, change: dict[str, Callable[[bytes], bytes]] | None = None,
          add: dict[str, bytes] | None = None) -> Path:
    """A copy of `source` with some parts rewritten and others added."""
    contents = parts(source)
    for name, rewrite in (change or {}).items():
        contents[name] = rewrite(contents[name])
    return write_zip(target, {**contents, **(add or {})})


def with_entities(xml: bytes, after: bytes) -> bytes:
    """The part with the billion-laughs DTD as its prolog and &lol9; used once after `after`."""
    body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
    return LAUGHS + body.replace(after, after + b"&lol9;", 1)


def lie_about_size(path: Path, member: str, claimed: int) -> None:
    """Patch the zip so `member` declares `claimed` uncompressed bytes (a zip bomb in disguise)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        offset = archive.getinfo(member).header_offset
    struct.pack_into("<I", data, offset + 22, claimed)  # the local header's size field
    name, at = member.encode(), 0
    while (at := data.find(b"PK\x01\x02", at)) >= 0:  # the central directory's entry
        length = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46:at + 46 + length]) == name:
            struct.pack_into("<I", data, at + 24, claimed)
        at += 4
    path.write_bytes(bytes(data))


def sheet_workbook(path: Path, sheet_data: str, head: str = "", name: str = "名册",
                   root: str = "worksheet", tail: str = "") -> Path:
    """A minimal workbook whose one sheet holds `sheet_data` (the XML inside <sheetData>),
    `head` before it and `tail` (merged cells …) after it."""
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?><{root} xmlns="{MAIN_NS}" '
             f'xmlns:x="{MAIN_NS}">{head}<sheetData>{sheet_data}</sheetData>{tail}</{root}>')
    return sheets_workbook(path, {name: sheet})


def sheets_workbook(path: Path, sheets: dict[str, str]) -> Path:
    """A minimal workbook of the given sheets: name → the sheet part's whole XML."""
    rels_ns = "http://schemas.openxmlformats.org/package/2006/relationships"
    doc_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
                        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                        for n in range(1, len(sheets) + 1))
    types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
             'package/2006/content-types"><Default Extension="rels" ContentType="application/'
             'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
             '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
             f'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>{overrides}</Types>')
    listed = "".join(f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>'
                     for n, name in enumerate(sheets, 1))
    targets = "".join(f'<Relationship Id="rId{n}" Type="{doc_ns}/worksheet" '
                      f'Target="worksheets/sheet{n}.xml"/>' for n in range(1, len(sheets) + 1))
    return write_zip(path, {
        "[Content_Types].xml": types.encode(),
        "_rels/.rels": (f'<Relationships xmlns="{rels_ns}"><Relationship Id="rId1" Type="'
                        f'{doc_ns}/officeDocument" Target="xl/workbook.xml"/></Relationships>').encode(),
        "xl/workbook.xml": (f'<workbook xmlns="{MAIN_NS}" xmlns:r="{doc_ns}"><sheets>{listed}'
                            '</sheets></workbook>').encode(),
        "xl/_rels/workbook.xml.rels": (f'<Relationships xmlns="{rels_ns}">{targets}'
                                       '</Relationships>').encode(),
        **{f"xl/worksheets/sheet{n}.xml": xml.encode() for n, xml in enumerate(sheets.values(), 1)},
    })


def sparse_sheets(path: Path, count: int, far: str = "CV49999") -> Path:
    """`count` sheets, each with a cell at A1 and one at `far`: a few KB of zip that calamine
    would allocate as `count` grids of A1:`far` (CV49999: 5 million cells, 160 MB each)."""
    row = "".join(c for c in far if c.isdigit())
    data = (f'<row r="1"><c r="A1"><v>1</v></c></row>'
            f'<row r="{row}"><c r="{far}"><v>2</v></c></row>')
    xml = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}">'
           f'<sheetData>{data}</sheetData></worksheet>')
    return sheets_workbook(path, {f"表{n}": xml for n in range(1, count + 1)})


def paragraph_bomb(path: Path, paragraphs: int) -> Path:
    """The seed's Word table with `paragraphs` empty paragraphs (`<w:p/>`) before it and 300 KB
    of incompressible media, so the zip expands far less than the guard's ratio allows."""
    import random

    filler = random.Random(13).randbytes(300_000)
    return rezip(DOCX, path, change={"word/document.xml": lambda xml: xml.replace(
        b"<w:body>", b"<w:body>" + b"<w:p/>" * paragraphs, 1)},
        add={"word/media/filler.bin": filler})


def alias_bomb(levels: int) -> str:
    """A dataset whose list record is `levels` levels of ten aliases each: 10**levels records
    once expanded, in under 1 KB of YAML."""
    lines = ["format: ecopark-dataset/1", "framework: hj274-2015", "park:", "  name: 测试园区",
             "  base_year: 2016", "year: 2018", "observations:",
             "  iva: {values: {2016: 100, 2018: 121}}", "a0: &a0 {name: 项目, year: 2018}"]
    lines += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]" for n in range(1, levels + 1)]
    return "\n".join([*lines, "lists:", f"  eco_chain_projects: *a{levels}", ""])
