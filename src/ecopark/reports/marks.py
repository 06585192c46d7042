"""What a document says of the standing of its park-year: the 草稿 mark on a table that is not
approved yet (a line in its title, never an id), and the fixed metadata of a document of an
approved edition, so that two renderings of it are the same byte for byte.

An Office file is a zip: each member carries a modification time, and `docProps/core.xml` the
created and modified times; `fixed_package` sets all of them to the approval time (members in
their order, with their compression), so nothing of the moment of rendering is left.

A PDF converted by LibreOffice from such a file carries the moment of conversion in its
information dictionary (/CreationDate, /ModDate) and in the trailer's /ID and /DocChecksum;
`fixed_pdf` sets the dates to the approval time and the id and checksum to a digest of the
fixed content, moving the cross-reference offsets by what the dates' lengths changed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import re
import zipfile

from ecopark.reports.content import Report
from ecopark.reports.table import AssessmentTable

__all__ = ["DRAFT_EN", "DRAFT_ZH", "draft_report", "draft_table", "final_report", "fixed_package",
           "fixed_pdf"]

DRAFT_ZH = "（草稿，尚未审核通过）"
DRAFT_EN = " (draft, not yet approved)"
_CORE = "docProps/core.xml"
_STAMP = re.compile(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")
_TITLE_MARKS = ("（草稿）", " (Draft)")  # the generated report's own title says it is a draft
_PDF_DATE = re.compile(rb"/(CreationDate|ModDate)\s*\((?:[^()\\]|\\.)*\)")
_PDF_IDS = re.compile(rb"(/ID\s*\[\s*<)[0-9A-Fa-f]+(>\s*<)[0-9A-Fa-f]+(>)|(/DocChecksum\s*/)[0-9A-Fa-f]+")
_XREF = re.compile(rb"(?m)^xref\r?\n")
_ENTRY = re.compile(rb"(\d{10}) (\d{5}) n")
_STARTXREF = re.compile(rb"startxref\s+(\d+)")


def draft_table(table: AssessmentTable, lang: str = "zh") -> AssessmentTable:
    """The table with the draft mark in its title."""
    return dataclasses.replace(table, title=table.title + (DRAFT_EN if lang == "en" else DRAFT_ZH))


def draft_report(report: Report) -> Report:
    """The report with the draft mark in its title, its running head and its table's title."""
    mark = DRAFT_EN if report.lang == "en" else DRAFT_ZH
    page = dataclasses.replace(report.title_page, title=report.title_page.title + mark)
    appendix = dataclasses.replace(report.appendix,
                                   table=draft_table(report.appendix.table, report.lang))
    return dataclasses.replace(report, title_page=page, running_head=report.running_head + mark,
                               appendix=appendix)


def fixed_package(data: bytes, at: dt.datetime) -> bytes:
    """The .docx/.xlsx `data` with every time in it set to `at` (UTC)."""
    at = at.astimezone(dt.UTC) if at.tzinfo else at
    stamp = at.strftime("%Y-%m-%dT%H:%M:%SZ")
    when = (max(at.year, 1980), at.month, at.day, at.hour, at.minute, at.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            content = source.read(member.filename)
            if member.filename == _CORE:
                content = _STAMP.sub(rf"\g<1>{stamp}\g<3>", content.decode("utf-8")).encode()
            info = zipfile.ZipInfo(member.filename, date_time=when)
            info.compress_type, info.external_attr = member.compress_type, member.external_attr
            target.writestr(info, content)
    return out.getvalue()


def final_report(report: Report) -> Report:
    """The report of an approved edition: its title and running head without “（草稿）”."""
    def clean(text: str) -> str:
        for mark in _TITLE_MARKS:
            text = text.replace(mark, "")
        return text
    page = dataclasses.replace(report.title_page, title=clean(report.title_page.title))
    return dataclasses.replace(report, title_page=page, running_head=clean(report.running_head))


def fixed_pdf(data: bytes, at: dt.datetime) -> bytes:
    """The PDF `data` (classic cross-reference table, as LibreOffice writes it) with its dates
    set to `at` (UTC) and its /ID and /DocChecksum made from its content."""
    at = at.astimezone(dt.UTC) if at.tzinfo else at
    stamp = at.strftime("D:%Y%m%d%H%M%SZ").encode()
    edits: list[tuple[int, int]] = []  # (where, how many bytes longer)

    def date(match: re.Match[bytes]) -> bytes:
        new = b"/" + match[1] + b"(" + stamp + b")"
        edits.append((match.start(), len(new) - len(match[0])))
        return new
    data = _shifted(_PDF_DATE.sub(date, data), edits)
    digest = hashlib.md5(data.split(b"trailer")[0], usedforsecurity=False).hexdigest().upper()
    return _PDF_IDS.sub(lambda found: _same_ids(found, digest.encode()), data)


def _same_ids(found: re.Match[bytes], digest: bytes) -> bytes:
    if found[4] is not None:
        return found[4] + digest
    return found[1] + digest + found[2] + digest + found[3]


def _shifted(data: bytes, edits: list[tuple[int, int]]) -> bytes:
    """The cross-reference offsets and `startxref` moved by the `edits` made before them."""
    def moved(offset: int) -> int:
        return offset + sum(delta for where, delta in edits if where < offset)
    table = list(_XREF.finditer(data))
    if not edits or not table:
        return data
    start = table[-1].start()
    body = _ENTRY.sub(lambda e: b"%010d %s n" % (moved(int(e[1])), e[2]), data[start:])
    body = _STARTXREF.sub(lambda e: b"startxref\n%d" % moved(int(e[1])), body)
    return data[:start] + body
