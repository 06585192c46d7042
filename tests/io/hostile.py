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
    rels_ns = "http://schemas.openxmlformats.org/package/2006/relationships"
    doc_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
             'package/2006/content-types"><Default Extension="rels" ContentType="application/'
             'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
             '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
             'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
             '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
             'officedocument.spreadsheetml.worksheet+xml"/></Types>')
    return write_zip(path, {
        "[Content_Types].xml": types.encode(),
        "_rels/.rels": (f'<Relationships xmlns="{rels_ns}"><Relationship Id="rId1" Type="'
                        f'{doc_ns}/officeDocument" Target="xl/workbook.xml"/></Relationships>').encode(),
        "xl/workbook.xml": (f'<workbook xmlns="{MAIN_NS}" xmlns:r="{doc_ns}"><sheets><sheet name='
                            f'"{name}" sheetId="1" r:id="rId1"/></sheets></workbook>').encode(),
        "xl/_rels/workbook.xml.rels": (f'<Relationships xmlns="{rels_ns}"><Relationship Id="rId1" '
                                       f'Type="{doc_ns}/worksheet" Target="worksheets/sheet1.xml"/>'
                                       '</Relationships>').encode(),
        "xl/worksheets/sheet1.xml": sheet.encode(),
    })
