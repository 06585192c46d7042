"""What a document says of the standing of its park-year: the 草稿 mark on a table that is not
approved yet (a line in its title, never an id), and the fixed metadata of a document of an
approved edition, so that two renderings of it are the same byte for byte.

An Office file is a zip: each member carries a modification time, and `docProps/core.xml` the
created and modified times; `fixed_package` sets all of them to the approval time (members in
their order, with their compression), so nothing of the moment of rendering is left.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import zipfile

from ecopark.reports.content import Report
from ecopark.reports.table import AssessmentTable

__all__ = ["DRAFT_EN", "DRAFT_ZH", "draft_report", "draft_table", "fixed_package"]

DRAFT_ZH = "（草稿，尚未审核通过）"
DRAFT_EN = " (draft, not yet approved)"
_CORE = "docProps/core.xml"
_STAMP = re.compile(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


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
