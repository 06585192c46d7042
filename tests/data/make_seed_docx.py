"""Rebuild tests/data/wujin-2018-table.docx: the seed report's 对照考核表 as a Word table.

    .venv/bin/python tests/data/make_seed_docx.py

The seed (shared/seed/wujin-2018-annual-evaluation-report.txt, from line 152 "附：对照考核表") is
the text of a Word table: every cell on its own line indented by a tab, a line without the tab
continues the cell above it (a line break inside the cell), rows separated by blank lines. The
first three rows are the header block (title; 园区名称 and 填报时间; 考核指标 / 数据基准年), then the
column header, then one row of 7 cells per printed line. Category cells (项目) are empty on
continuation rows; here they are merged vertically like in a real report. The text ends inside
row 32, which has only 6 cells (no 数值): the rebuilt row keeps exactly those 6 cells.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row
from docx.shared import Cm
from docx.table import Table

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / \
    "wujin-2018-annual-evaluation-report.txt"
OUT = Path(__file__).resolve().parent / "wujin-2018-table.docx"
MARK = "附：对照考核表"
WIDTH = 7
COLUMN_CM = (2.0, 1.2, 5.6, 2.0, 3.6, 1.8, 2.2)  # 项目 序号 指标 单位 要求 是否为考核指标 数值


def table_rows(text: str) -> tuple[list[str], list[list[str]]]:
    """The paragraph before the appendix and the table's rows (lists of cell texts)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == MARK)
    before = next(line for line in reversed(lines[:start]) if line.strip())
    rows: list[list[str]] = [[]]
    for line in lines[start + 1:]:
        if line.startswith("\t"):
            rows[-1].append(line[1:].rstrip("\r"))
        elif line.strip():
            rows[-1][-1] += "\n" + line.strip()
        elif rows[-1]:
            rows.append([])
    return [before, MARK], [row for row in rows if row]


def build(paragraphs: list[str], rows: list[list[str]], out: Path) -> None:
    document = docx.Document()
    document.core_properties.author = "ecopark tests/data/make_seed_docx.py"
    document.core_properties.created = datetime.datetime(2019, 5, 22)
    document.core_properties.modified = datetime.datetime(2019, 5, 22)
    for text in paragraphs:
        document.add_paragraph(text)
    table = document.add_table(rows=0, cols=WIDTH)
    table.style = "Table Grid"
    for column, width in zip(table.columns, COLUMN_CM, strict=True):
        column.width = Cm(width)
    head, body = rows[:4], rows[4:]
    _header_block(table, head)
    _body(table, body)
    document.save(str(out))


def _header_block(table: Table, head: list[list[str]]) -> None:
    title, park, label, columns = head
    _spanning_row(table, [(title[0], WIDTH)])
    _spanning_row(table, [(park[0], 4), (park[1], WIDTH - 4)])
    _spanning_row(table, [(label[0], WIDTH)])
    _spanning_row(table, [(text, 1) for text in columns])


def _spanning_row(table: Table, cells: list[tuple[str, int]]) -> None:
    row = table.add_row()
    column = 0
    for text, span in cells:
        cell = row.cells[column]
        if span > 1:
            cell = cell.merge(row.cells[column + span - 1])
        cell.text = text
        column += span


def _body(table: Table, body: list[list[str]]) -> None:
    category_start, category = len(table.rows), body[0][0]
    for cells in body:
        if cells[0] and len(table.rows) > category_start:
            _merge_category(table, category_start, category)
            category_start, category = len(table.rows), cells[0]
        row = table.add_row()
        for column, text in enumerate(cells[1:], start=1):
            row.cells[column].text = text
        if len(cells) < WIDTH:
            _truncate(row._tr, WIDTH - len(cells))
    _merge_category(table, category_start, category)


def _merge_category(table: Table, first: int, text: str) -> None:
    top = table.cell(first, 0)
    merged = top.merge(table.cell(len(table.rows) - 1, 0)) if len(table.rows) - 1 > first else top
    merged.text = text


def _truncate(tr: CT_Row, missing: int) -> None:
    """Drop the last cells of a row (the text ends there) and say so in w:gridAfter."""
    for tc in tr.tc_lst[-missing:]:
        tr.remove(tc)
    properties = tr.get_or_add_trPr()
    after = OxmlElement("w:gridAfter")
    after.set(qn("w:val"), str(missing))
    properties.append(after)


def main() -> None:
    paragraphs, rows = table_rows(SEED.read_text(encoding="utf-8"))
    build(paragraphs, rows, OUT)
    print(f"wrote {OUT} ({len(rows)} rows)")


if __name__ == "__main__":
    main()
