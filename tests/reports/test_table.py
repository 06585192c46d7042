"""The 对照考核表 of the seed park: its rows, and every writer's file read back.

Expected values are the seed report's own table (附：对照考核表) where ecopark agrees with it, and
ecopark's recomputation where it does not (indicator 1: printed 39.31, 723782.20 / 2069827.16 =
34.97 %).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from ecopark import Evaluation, InputFileError, verify
from ecopark.io.guard import inspect
from ecopark.reports.table import (
    COLUMNS,
    VERIFY_COLUMNS,
    AssessmentTable,
    Shown,
    build_table,
    write_table,
)

FILLED = datetime.date(2019, 5, 22)
Row = tuple[str, str, str, str, str]


@pytest.fixture(scope="module")
def table(seed_eval: Evaluation) -> AssessmentTable:
    return build_table(seed_eval, filled_on=FILLED)


@pytest.fixture(scope="module")
def checked(seed_eval: Evaluation) -> AssessmentTable:
    return build_table(seed_eval, verify(seed_eval), filled_on=FILLED)


def rows_of(table: AssessmentTable, number: int) -> list[Row]:
    """(指标, 单位, 要求, 是否为考核指标, 数值) of one indicator's rows, in order."""
    return [(r.label, r.unit, r.requirement, r.assessed, r.value.text)
            for r in table.rows if r.number == number]


def labels(table: AssessmentTable, number: int) -> list[str]:
    return [row[0] for row in rows_of(table, number)]


# ------------------------------------------------------------------ the model


def test_title_and_header_block(table: AssessmentTable) -> None:
    assert table.title == "国家生态工业示范园区对照考核表"
    assert table.park_name == "江苏武进经济开发区"
    assert table.filled_on_text == "2019年5月22日"
    assert table.data_year_text == "数据基准年为2018年"
    assert (table.data_year, table.base_year) == (2018, 2012)
    assert table.columns == COLUMNS == ("项目", "序号", "指标", "单位", "要求", "是否为考核指标",
                                        "数值")


def test_filled_on_defaults_to_today(seed_eval: Evaluation) -> None:
    assert build_table(seed_eval).filled_on == datetime.date.today()


def test_indicator_1_base_rows_then_the_indicator(table: AssessmentTable) -> None:
    assert rows_of(table, 1) == [
        ("高新技术企业工业总产值", "万元", "-", "-", "723782.20"),
        ("园区工业总产值", "万元", "-", "-", "2069827.16"),
        ("高新技术企业工业总产值占园区工业总产值比例", "%", "≥30", "否", "34.97"),
    ]
    assert [r.kind for r in table.rows if r.number == 1] == ["base", "base", "indicator"]


def test_indicator_3_prefixes_other_years_not_the_evaluation_year(table: AssessmentTable) -> None:
    assert rows_of(table, 3) == [
        ("2015年工业增加值", "万元", "-", "-", "412800.00"),
        ("工业增加值", "万元", "-", "-", "496758.52"),
        ("园区工业增加值三年年均增长率", "%", "≥15", "否", "6.37"),
    ]


def test_indicator_10_base_year_rows_follow_the_evaluation_year(table: AssessmentTable) -> None:
    # elasticity(energy, iva, t0, t): both items, evaluation year then 规划基准年 (2012)
    assert rows_of(table, 10)[:4] == [
        ("综合能耗总量", "tce", "-", "-", "27029.17"),
        ("规划基准年综合能耗总量", "tce", "-", "-", "23076.00"),
        ("工业增加值", "万元", "-", "-", "496758.52"),
        ("规划基准年工业增加值", "万元", "-", "-", "192300.00"),
    ]
    label, unit, _, assessed, value = rows_of(table, 10)[4]
    assert (label, unit, assessed, value) == ("综合能耗弹性系数", "-", "必选", "0.16")


def test_values_are_rounded_as_printed(table: AssessmentTable) -> None:
    own = {r.number: r.value for r in table.rows if r.kind == "indicator"}
    assert (own[11].text, own[11].number, own[11].decimals) == ("0.054", 0.054, 3)
    assert (own[10].text, own[10].number, own[10].decimals) == ("0.16", 0.16, 2)
    assert (own[5].text, own[19].text, own[28].text) == ("13", "0", "0.028")
    assert (own[17].text, own[17].number) == ("达标", None)


def test_counts_print_without_decimals(table: AssessmentTable) -> None:
    assert ("年末从业人口", "人", "-", "-", "12957") in rows_of(table, 2)


def test_an_indicator_without_trace_lists_its_items_with_slashes(table: AssessmentTable) -> None:
    assert rows_of(table, 4) == [
        ("资源再生利用产业增加值", "万元", "-", "-", "/"),
        ("工业增加值", "万元", "-", "-", "496758.52"),
        ("资源再生利用产业增加值占园区工业增加值比例", "%", "≥30", "否", "/"),
    ]


def test_a_member_left_out_of_a_mean_still_shows_its_rows(table: AssessmentTable) -> None:
    # 25 averages four elasticities; NH3-N has no 2012 value, so it is left out (not 0)
    assert labels(table, 25)[4:6] == ["氨氮排放量", "规划基准年氨氮排放量"]
    assert [row[4] for row in rows_of(table, 25)[4:6]] == ["0.40", "/"]


def test_categories_span_their_rows(table: AssessmentTable) -> None:
    assert [(s.category, len(s.rows)) for s in table.sections] == [
        ("经济发展", 12), ("产业共生", 8), ("资源节约", 33), ("环境保护", 31), ("信息公开", 3)]
    placed = table.placed()
    assert [(p.category_span, p.number_span) for p in placed[:4]] == [(12, 3), (0, 0), (0, 0),
                                                                       (0, 3)]
    assert all(p.row.category == "经济发展" for p in placed[:12])


def test_the_base_year_is_stated_in_a_note(table: AssessmentTable) -> None:
    assert table.notes[0].startswith("规划基准年为2012年。假设：")


# ------------------------------------------------------------------ with a verification


def test_verification_adds_two_columns(checked: AssessmentTable) -> None:
    assert checked.columns == COLUMNS + VERIFY_COLUMNS
    assert checked.verified and len(checked.rows[0].cells(True)) == 9


def test_verified_indicator_1_shows_printed_recomputed_and_finding(
        checked: AssessmentTable) -> None:
    base, _, own = [r for r in checked.rows if r.number == 1]
    assert (base.value.text, base.recomputed, base.findings) == ("723782.20", Shown(""), ())
    assert (own.value.text, own.recomputed and own.recomputed.text) == ("39.31", "34.97")
    assert own.findings == ("【警告】指标 1（高新技术企业工业总产值占园区工业总产值比例）表中为 "
                            "39.31，按表中基础数据复算为 34.97",)


def test_verified_indicator_26_shows_the_verdict_flip(checked: AssessmentTable) -> None:
    own = next(r for r in checked.rows if r.number == 26 and r.kind == "indicator")
    assert (own.value.text, own.recomputed and own.recomputed.text) == ("3.37", "-5.54")
    assert own.findings[0] == ("【错误】必选指标 26（单位工业增加值二氧化碳排放量年均削减率）："
                               "表中值 3.37 达标，复算值 -5.54 未达标（要求 ≥3）")
    assert own.worst == "error"


def test_verified_row_without_printed_value(checked: AssessmentTable) -> None:
    own = next(r for r in checked.rows if r.number == 32 and r.kind == "indicator")
    assert (own.value.text, own.recomputed and own.recomputed.text) == ("", "3")
    assert own.findings == ("【警告】表中没有指标 32 的数值（计算值 3）",)


def test_findings_about_no_indicator_become_notes(checked: AssessmentTable) -> None:
    assert checked.notes[1].startswith("核查结果：错误 2 项，警告 9 项，提示 4 项")
    assert "【错误】总体判定改变：按表中数值园区达标，按复算园区不达标（必选指标未达标：26）" \
        in checked.notes


# ------------------------------------------------------------------ write_table


def test_unknown_suffix_names_the_allowed_ones(table: AssessmentTable, tmp_path: Path) -> None:
    with pytest.raises(InputFileError) as caught:
        write_table(table, tmp_path / "table.pdf")
    assert all(s in str(caught.value) for s in (".pdf", ".xlsx", ".docx", ".html", ".csv"))


def test_unwritable_path_is_a_typed_error(table: AssessmentTable, tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="无法写入"):
        write_table(table, tmp_path / "no-such-folder" / "table.csv")


def test_xlsx_reads_back(table: AssessmentTable, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "table.xlsx"
    write_table(table, path)
    assert inspect(path).kind == "xlsx"
    sheet = load_workbook(path)["对照考核表"]
    assert sheet["A1"].value == "国家生态工业示范园区对照考核表"
    assert (sheet["A2"].value, sheet["D2"].value) == ("园区名称：江苏武进经济开发区",
                                                      "填报时间：2019年5月22日")
    assert sheet["D3"].value == "数据基准年为2018年"
    assert [c.value for c in sheet[4]] == list(COLUMNS)
    # row 7 = indicator 1; its 项目 and 序号 cells are covered by the merged cells above
    assert [c.value for c in sheet[7]] == [None, None, "高新技术企业工业总产值占园区工业总产值比例",
                                           "%", "≥30", "否", 34.97]
    assert (sheet["A5"].value, sheet["B5"].value, sheet["G5"].value) == ("经济发展", 1, 723782.2)
    assert (sheet["G7"].value, sheet["G7"].number_format) == (34.97, "0.00")
    assert {"A5:A16", "B5:B7", "B8:B10"} <= {str(r) for r in sheet.merged_cells.ranges}
    setup = sheet.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToWidth) == ("landscape", 9, 1)  # 9 = A4
    assert sheet.print_title_rows == "$4:$4"


def test_xlsx_numbers_keep_their_decimals(table: AssessmentTable, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "table.xlsx"
    write_table(table, path)
    sheet = load_workbook(path)["对照考核表"]
    by_label = {row[2].value: row[6] for row in sheet.iter_rows(min_row=5) if row[2].value}
    assert (by_label["单位工业增加值综合能耗"].value,
            by_label["单位工业增加值综合能耗"].number_format) == (0.054, "0.000")
    assert (by_label["年末从业人口"].value, by_label["年末从业人口"].number_format) == (12957, "0")
    assert (by_label["资源再生利用产业增加值"].value, by_label["工业园区重点污染源稳定排放达标情况"].value) \
        == ("/", "达标")


def test_docx_reads_back(table: AssessmentTable, tmp_path: Path) -> None:
    path = tmp_path / "table.docx"
    write_table(table, path)
    assert inspect(path).kind == "docx"
    document = Document(str(path))
    texts = [p.text for p in document.paragraphs]
    assert texts[:3] == ["国家生态工业示范园区对照考核表",
                         "园区名称：江苏武进经济开发区\t填报时间：2019年5月22日",
                         "考核指标\t数据基准年为2018年"]
    grid = document.tables[0]
    assert [c.text for c in grid.rows[0].cells] == list(COLUMNS)
    assert [c.text for c in grid.rows[3].cells] == [
        "经济发展", "1", "高新技术企业工业总产值占园区工业总产值比例", "%", "≥30", "否", "34.97"]
    assert grid.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_docx_page_and_fonts(table: AssessmentTable, tmp_path: Path) -> None:
    path = tmp_path / "table.docx"
    write_table(table, path)
    document = Document(str(path))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width is not None and round(section.page_width.cm, 1) == 29.7
    normal = document.styles["Normal"]
    fonts = normal.element.rPr.rFonts
    assert (fonts.get(qn("w:eastAsia")), fonts.get(qn("w:ascii"))) == ("宋体", "Times New Roman")
    assert normal.font.size is not None and normal.font.size.pt == 10.5
    merged = document.tables[0]._tbl.xpath(".//w:tc[w:tcPr/w:vMerge]")
    spans = [span for p in table.placed() for span in (p.category_span, p.number_span)]
    assert len(merged) == sum(span for span in spans if span > 1) > 0


class _Cells(HTMLParser):
    """Collect the text of every table row, and whether the page has a script element."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.lang = ""
        self.scripts = 0
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.lang = dict(attrs).get("lang") or ""
        elif tag == "script":
            self.scripts += 1
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def test_html_reads_back(table: AssessmentTable, tmp_path: Path) -> None:
    path = tmp_path / "table.html"
    write_table(table, path)
    parser = _Cells()
    parser.feed(path.read_text(encoding="utf-8"))
    assert (parser.lang, parser.scripts) == ("zh-CN", 0)
    assert parser.rows[0] == list(COLUMNS)
    assert parser.rows[1] == ["经济发展", "1", "高新技术企业工业总产值", "万元", "-", "-", "723782.20"]
    assert parser.rows[3] == ["高新技术企业工业总产值占园区工业总产值比例", "%", "≥30", "否", "34.97"]
    assert len(parser.rows) == 1 + len(table.rows)


def test_html_is_escaped(table: AssessmentTable, tmp_path: Path) -> None:
    path = tmp_path / "table.html"
    write_table(dataclasses.replace(table, park_name="<script>alert('园区')</script>"), path)
    page = path.read_text(encoding="utf-8")
    assert "<script" not in page
    assert "园区名称：&lt;script&gt;alert(&#39;园区&#39;)&lt;/script&gt;" in page


def test_csv_reads_back(table: AssessmentTable, tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    write_table(table, path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(COLUMNS) and len(rows) == 1 + len(table.rows)
    assert rows[3] == ["经济发展", "1", "高新技术企业工业总产值占园区工业总产值比例", "%", "≥30", "否",
                       "34.97"]
    assert all(row[0] and row[1] for row in rows[1:])


def test_verified_csv_keeps_multiline_findings(checked: AssessmentTable, tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    write_table(checked, path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    row_25 = next(r for r in rows if r[1] == "25" and r[5] == "必选")
    assert row_25[6:8] == ["-0.89", "-0.84"] and row_25[8].count("\n") == 2


def with_first_value(table: AssessmentTable, text: str) -> AssessmentTable:
    first = table.sections[0]
    row = dataclasses.replace(first.rows[0], value=Shown(text))
    return dataclasses.replace(table, sections=(dataclasses.replace(first, rows=(
        row, *first.rows[1:])), *table.sections[1:]))


def test_a_printed_formula_stays_text(table: AssessmentTable, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    formula = '=HYPERLINK("http://example.com","x")'
    hostile = with_first_value(table, formula)
    write_table(hostile, tmp_path / "t.xlsx")
    cell = load_workbook(tmp_path / "t.xlsx")["对照考核表"]["G5"]
    assert (cell.value, cell.data_type) == (formula, "s")
    write_table(hostile, tmp_path / "t.csv")
    with (tmp_path / "t.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][6] == "'" + formula
    assert rows[1][4:6] == ["-", "-"]  # the dash of base rows is not a formula


# ------------------------------------------------------------------ LibreOffice


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
def test_libreoffice_converts_to_pdf(checked: AssessmentTable, tmp_path: Path,
                                     suffix: str) -> None:
    source = tmp_path / f"table{suffix}"
    write_table(checked, source)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=120)
    pdf = tmp_path / "table.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                              timeout=60).stdout.decode("utf-8")
        assert "国家生态工业示范园区对照考核表" in text and "34.97" in text


def test_directly_reported_indicators_have_no_repeated_base_row(table: AssessmentTable) -> None:
    # 5 (a count), 20 (a rate) and 17 (a fact) are reported directly: one row each, as printed
    for number in (5, 17, 20, 29, 32):
        assert [row.kind for row in table.rows if row.number == number] == ["indicator"]
