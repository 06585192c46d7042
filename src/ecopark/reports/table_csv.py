"""The 对照考核表 as CSV: UTF-8 with a byte-order mark (so Excel/WPS open the Chinese text
correctly), a header row of the column names, then one line per table row with 项目 and 序号
filled on every line (no merged cells), values as shown in the table. Title, header block and
notes are not part of the CSV: it is the table's data, for other programs.

A text that a spreadsheet would run as a formula (starting with = + - @, and not a number such as
-0.89) is written with a leading apostrophe, as spreadsheets themselves mark text.
"""

from __future__ import annotations

import csv
from pathlib import Path

from ecopark.core.numbers import parse_printed
from ecopark.reports.table import AssessmentTable

__all__ = ["ENCODING", "write"]

ENCODING = "utf-8-sig"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def write(table: AssessmentTable, path: Path) -> None:
    with path.open("w", encoding=ENCODING, newline="") as handle:
        out = csv.writer(handle)
        out.writerow(table.headings)
        for row in table.rows:
            out.writerow([_inert(text) for text in row.cells(table.columns)])


def _inert(text: str) -> str:
    printed = parse_printed(text)
    if text.startswith(_FORMULA_STARTS) and printed.number is None and not printed.absent:
        return "'" + text
    return text
