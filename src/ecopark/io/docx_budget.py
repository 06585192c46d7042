"""The budget a Word document must keep before python-docx parses it.

python-docx builds an lxml tree of every XML part, and ecopark then walks each paragraph and
table: a few MB of zip holding hundreds of MB of `<w:p/>` would take gigabytes and minutes.
So before python-docx sees the file its XML parts are checked twice, cheaply:

1. from the zip's directory: their declared uncompressed size together, at most `MAX_XML_BYTES`;
2. while streaming them (decompressed in chunks, no tree built): the elements they open, in all
   and of each counted kind (paragraphs, tables, rows, cells), each within its limit. The count
   stops at the first limit passed. A part that inflates past its declared size is stopped by
   zipfile (a damaged file).

Elements are counted by local name whatever their prefix; DrawingML's `<a:p>` counts as a
paragraph too, which only makes the budget stricter. The limits are far above a long report
(the seed's 2018 report has some 5,000 paragraphs and 60 tables).
"""

from __future__ import annotations

import math
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from ecopark.core.errors import WorkbookError

__all__ = ["LIMITS", "MAX_XML_BYTES", "check_docx"]

MAX_XML_BYTES = 64 * 1024 * 1024
LIMITS = {"元素 elements": 2_000_000, "段落 paragraphs": 200_000, "表格 tables": 10_000,
          "表格行 table rows": 100_000, "单元格 table cells": 1_000_000}
_KIND = {b"p": "段落 paragraphs", b"tbl": "表格 tables", b"tr": "表格行 table rows",
         b"tc": "单元格 table cells"}
_OPEN = re.compile(rb"<(?![/?!])(?:[^\s/>:]+:)?([^\s/>:]+)")
_CHUNK = 1 << 20
_HINT = "用 Word/WPS 打开后另存为 .docx，或只保留对照考核表 save it again as .docx, or keep only " \
    "the 对照考核表"


def _refuse(path: Path, problem: str) -> WorkbookError:
    return WorkbookError(str(path), "", "", problem, _HINT)


def check_docx(path: Path) -> None:
    """Raise WorkbookError when the document's XML parts exceed the budget."""
    with zipfile.ZipFile(path) as archive:
        parts = [info for info in archive.infolist()
                 if info.filename.lower().endswith((".xml", ".rels"))]
        declared = sum(info.file_size for info in parts)
        if declared > MAX_XML_BYTES:
            raise _refuse(path, f"文档 XML 解压后 {math.ceil(declared / 2**20)} MB，超过 "
                          f"{MAX_XML_BYTES // 2**20} MB the document's XML is too large")
        counts: Counter[str] = Counter()
        for info in parts:
            _count(path, _chunks(archive, info), counts)


def _count(path: Path, chunks: Iterator[bytes], counts: Counter[str]) -> None:
    for chunk in chunks:
        for match in _OPEN.finditer(chunk):
            counts["元素 elements"] += 1
            kind = _KIND.get(match[1])
            if kind is not None:
                counts[kind] += 1
        _check(path, counts)


def _check(path: Path, counts: Counter[str]) -> None:
    for kind, limit in LIMITS.items():
        if counts[kind] > limit:
            zh, en = kind.split(" ", 1)
            raise _refuse(path, f"文件过大或过于复杂：文档的{zh}超过 {limit:,} 个 the document has "
                          f"more than {limit:,} {en}")


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The part in pieces cut after a `>`, so no tag is split between two pieces."""
    rest = b""
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            data = rest + chunk
            cut = data.rfind(b">") + 1
            yield data[:cut]
            rest = data[cut:]
            if len(rest) > 4 * _CHUNK:
                raise ValueError("4 MB without a tag end")
    if rest:
        yield rest
