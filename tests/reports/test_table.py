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
import zoneinfo
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
Row = tuple[str, str, str, str, str, str, str]


@pytest.fixture(scope="module")
def table(seed_eval: Evaluation) -> AssessmentTable:
    return build_table(seed_eval, filled_on=FILLED)


@pytest.fixture(scope="module")
def checked(seed_eval: Evaluation) -> AssessmentTable:
    return build_table(seed_eval, verify(seed_eval), filled_on=FILLED)


def rows_of(table: AssessmentTable, number: int) -> list[Row]:
    """(指标, 单位, 要求, 指标类型, 是否为考核指标, 数值, 是否达标) of one indicator's rows."""
    return [(r.label, r.unit, r.requirement, r.kind_text, r.assessed, r.value.text, r.met)
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
    assert table.columns == COLUMNS == ("序号", "项目", "指标", "单位", "要求", "指标类型",
                                        "是否为考核指标", "数值", "是否达标")
    assert table.header_lines == (("园区名称：江苏武进经济开发区", "填报单位："),
                                  ("填报人：", "填报时间：2019年5月22日"),
                                  ("规划基准年为2012年", "数据基准年为2018年"))


def with_fields(evaluation: Evaluation, **fields: str) -> Evaluation:
    profile = evaluation.dataset.profile
    profile = dataclasses.replace(profile, fields={**profile.fields, **fields})
    return dataclasses.replace(evaluation, dataset=dataclasses.replace(evaluation.dataset,
                                                                       profile=profile))


def test_filled_on_is_the_park_years_date_else_today_in_china(seed_eval: Evaluation) -> None:
    dated = with_fields(seed_eval, filled_on="2019-05-22")
    assert build_table(dated).filled_on == datetime.date(2019, 5, 22)
    shanghai = datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Shanghai")).date()
    assert build_table(seed_eval).filled_on in (shanghai, seed_eval.dataset.profile.today())


def test_filler_and_organisation_come_from_the_profile(seed_eval: Evaluation) -> None:
    evaluation = with_fields(seed_eval, filler_org="武进经开区安全环保科", filler="张三",
                             filled_on="2019-05-22")
    lines = build_table(evaluation).header_lines
    assert lines[:2] == (("园区名称：江苏武进经济开发区", "填报单位：武进经开区安全环保科"),
                         ("填报人：张三", "填报时间：2019年5月22日"))


def test_today_is_taken_in_the_parks_time_zone() -> None:
    from ecopark.core.dataset.profile import Profile

    late = datetime.datetime(2019, 5, 21, 17, 30, tzinfo=datetime.UTC)  # 01:30 on 22 May in China
    assert Profile("园区", 2012).filled_on(late) == datetime.date(2019, 5, 22)
    assert Profile("园区", 2012, {"time_zone": "Europe/Berlin"}).today(late) == \
        datetime.date(2019, 5, 21)
    assert Profile("园区", 2012, {"filled_on": "2019-06-01"}).filled_on(late) == \
        datetime.date(2019, 6, 1)


def test_indicator_1_base_rows_then_the_indicator(table: AssessmentTable) -> None:
    assert rows_of(table, 1) == [
        ("高新技术企业工业总产值", "万元", "-", "-", "-", "723,782.20", "-"),
        ("园区工业总产值", "万元", "-", "-", "-", "2,069,827.16", "-"),
        ("高新技术企业工业总产值占园区工业总产值比例", "%", "≥30", "可选", "否", "34.97", "达标"),
    ]
    assert [r.kind for r in table.rows if r.number == 1] == ["base", "base", "indicator"]


def test_indicator_3_prefixes_other_years_not_the_evaluation_year(table: AssessmentTable) -> None:
    assert rows_of(table, 3) == [
        ("2015年工业增加值", "万元", "-", "-", "-", "412,800.00", "-"),
        ("工业增加值", "万元", "-", "-", "-", "496,758.52", "-"),
        ("园区工业增加值三年年均增长率", "%", "≥15", "可选", "否", "6.37", "未达标"),
    ]


def test_indicator_10_base_year_rows_follow_the_evaluation_year(table: AssessmentTable) -> None:
    # elasticity(energy, iva, t0, t): both items, evaluation year then 规划基准年 (2012)
    # base rows in the unit the park wrote (吨标煤), not the canonical tce
    assert rows_of(table, 10)[:4] == [
        ("综合能耗总量", "吨标煤", "-", "-", "-", "27,029.17", "-"),
        ("规划基准年综合能耗总量", "吨标煤", "-", "-", "-", "23,076.00", "-"),
        ("工业增加值", "万元", "-", "-", "-", "496,758.52", "-"),
        ("规划基准年工业增加值", "万元", "-", "-", "-", "192,300.00", "-"),
    ]
    label, unit, _, kind, assessed, value, met = rows_of(table, 10)[4]
    assert (label, unit, kind, assessed, value, met) == ("综合能耗弹性系数", "-", "必选", "是",
                                                         "0.16", "达标")


def test_base_rows_keep_the_unit_and_digits_the_park_wrote(table: AssessmentTable) -> None:
    # the seed writes 工业重复用水量 as 3163000 立方米 (canonical: 316.30 万m³)
    assert rows_of(table, 15)[0] == ("工业重复用水量", "立方米", "-", "-", "-", "3,163,000", "-")
    assert rows_of(table, 13)[0] == ("新鲜水资源消耗量", "万立方米", "-", "-", "-", "77.94", "-")
    # "/" keeps the unit the series was written in, too
    assert rows_of(table, 7)[0] == ("再生资源循环利用量", "吨", "-", "-", "-", "/", "-")


def test_english_words_with_lang_en(seed_eval: Evaluation) -> None:
    english = build_table(seed_eval, filled_on=FILLED, lang="en")
    own = [r for r in english.rows if r.kind == "indicator"]
    assert [(r.kind_text, r.assessed, r.met) for r in own[:4]] == [
        ("optional", "no", "met"), ("optional", "yes", "met"), ("optional", "no", "not met"),
        ("optional", "no", "missing data")]
    assert (own[4].kind_text, own[4].assessed) == ("mandatory", "yes")
    assert english.headings == ("No.", "Category", "Indicator", "Unit", "Requirement", "Type",
                                "Assessed", "Value", "Met")
    assert english.columns == COLUMNS  # the writers' keys stay the same
    assert english.rows[0].cells(english.columns) == (
        "1", "economic development", "gross industrial output of high-tech enterprises",
        "10⁴ CNY", "-", "-", "-", "723,782.20", "-")
    assert next(r.label for r in english.rows if r.number == 3) == "industrial value added (2015)"
    assert english.header_lines == (
        ("Park: 江苏武进经济开发区", "Reporting organisation: "),
        ("Filled in by: ", "Date: 2019-05-22"),
        ("Planning base year: 2012", "Data year: 2018"))
    assert english.title == "Assessment table: Standard for National Eco-Industrial " \
        "Demonstration Parks"


def test_thousand_separators_and_declared_decimals() -> None:
    from ecopark.reports.table import _number

    assert _number(36000000, 2) == Shown("36,000,000.00", 36000000.0, 2)
    assert _number(-0.001, 2).text == "0.00"
    assert _number(1234.5678, 3).text == "1,234.568"


def test_values_are_rounded_as_printed(table: AssessmentTable) -> None:
    own = {r.number: r.value for r in table.rows if r.kind == "indicator"}
    assert (own[11].text, own[11].number, own[11].decimals) == ("0.054", 0.054, 3)
    assert (own[10].text, own[10].number, own[10].decimals) == ("0.16", 0.16, 2)
    assert (own[5].text, own[19].text, own[28].text) == ("13", "0", "0.028")
    assert (own[17].text, own[17].number) == ("达标", None)


def test_counts_print_without_decimals(table: AssessmentTable) -> None:
    assert ("年末从业人口", "人", "-", "-", "-", "12,957", "-") in rows_of(table, 2)


def test_an_indicator_without_trace_lists_its_items_with_slashes(table: AssessmentTable) -> None:
    assert rows_of(table, 4) == [
        ("资源再生利用产业增加值", "万元", "-", "-", "-", "/", "-"),
        ("工业增加值", "万元", "-", "-", "-", "496,758.52", "-"),
        ("资源再生利用产业增加值占园区工业增加值比例", "%", "≥30", "可选", "否", "/", "缺数据"),
    ]


def test_a_member_left_out_of_a_mean_still_shows_its_rows(table: AssessmentTable) -> None:
    # 25 averages four elasticities; NH3-N has no 2012 value, so it is left out (not 0)
    assert labels(table, 25)[4:6] == ["氨氮排放量", "规划基准年氨氮排放量"]
    assert [row[5] for row in rows_of(table, 25)[4:6]] == ["0.40", "/"]


def test_category_is_named_beside_every_indicator(table: AssessmentTable) -> None:
    # 序号 and 项目 span an indicator's rows (kept on one page), so a continuation page names
    # its category too
    assert [(s.category, len(s.rows)) for s in table.sections] == [
        ("经济发展", 12), ("产业共生", 8), ("资源节约", 33), ("环境保护", 31), ("信息公开", 3)]
    placed = table.placed()
    assert [(p.category_span, p.number_span) for p in placed[:4]] == [(3, 3), (0, 0), (0, 0),
                                                                       (3, 3)]
    assert all(p.row.category == "经济发展" for p in placed[:12])


def test_the_base_year_is_stated_in_a_note(table: AssessmentTable) -> None:
    assert table.notes[0].startswith("规划基准年为2012年。假设：")


# ------------------------------------------------------------------ with a verification


def test_verification_adds_two_columns(checked: AssessmentTable) -> None:
    assert checked.columns == COLUMNS + VERIFY_COLUMNS
    assert checked.verified and len(checked.rows[0].cells(checked.columns)) == 11


def test_verified_indicator_1_shows_printed_recomputed_and_finding(
        checked: AssessmentTable) -> None:
    base, _, own = [r for r in checked.rows if r.number == 1]
    assert (base.value.text, base.recomputed, base.findings) == ("723,782.20", Shown(""), ())
    assert (own.value.text, own.recomputed and own.recomputed.text) == ("39.31", "34.97")
    assert own.met == "达标"  # the printed 39.31 judged against ≥30
    assert own.findings == ("【警告】指标 1（高新技术企业工业总产值占园区工业总产值比例）表中为 "
                            "39.31，按表中基础数据复算为 34.97",)


def test_verified_indicator_26_shows_the_verdict_flip(checked: AssessmentTable) -> None:
    own = next(r for r in checked.rows if r.number == 26 and r.kind == "indicator")
    assert (own.value.text, own.recomputed and own.recomputed.text) == ("3.37", "-5.54")
    assert own.findings[0] == ("【错误】必选指标 26（单位工业增加值二氧化碳排放量年均削减率）："
                               "表中值 3.37 达标，复算值 -5.54 未达标（要求 ≥3）")
    assert own.worst == "error"
    assert own.met == "达标"  # what the park printed passes; the recomputation does not


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
    assert [(sheet[f"A{r}"].value, sheet[f"D{r}"].value) for r in (2, 3, 4)] == [
        ("园区名称：江苏武进经济开发区", "填报单位："), ("填报人：", "填报时间：2019年5月22日"),
        ("规划基准年为2012年", "数据基准年为2018年")]
    assert [c.value for c in sheet[5]] == list(COLUMNS)
    # row 8 = indicator 1; its 序号 and 项目 cells are covered by the merged cells above
    assert [c.value for c in sheet[8]] == [None, None, "高新技术企业工业总产值占园区工业总产值比例",
                                           "%", "≥30", "可选", "否", 34.97, "达标"]
    assert (sheet["A6"].value, sheet["B6"].value, sheet["H6"].value) == (1, "经济发展", 723782.2)
    assert (sheet["H6"].number_format, sheet["H6"].alignment.horizontal) == ("#,##0.00", "right")
    assert (sheet["H8"].value, sheet["H8"].number_format) == (34.97, "#,##0.00")
    assert {"A6:A8", "B6:B8", "A9:A11", "B9:B11"} <= {str(r) for r in sheet.merged_cells.ranges}
    setup = sheet.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToWidth) == ("landscape", 9, 1)  # 9 = A4
    assert sheet.print_title_rows == "$5:$5"
    assert not sheet["D6"].alignment.wrap_text  # 单位 never wraps
    assert sheet.column_dimensions["D"].width == 16  # 吨标准煤/万元 on one line


def test_xlsx_numbers_keep_their_decimals(table: AssessmentTable, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "table.xlsx"
    write_table(table, path)
    sheet = load_workbook(path)["对照考核表"]
    by_label = {row[2].value: row[7] for row in sheet.iter_rows(min_row=6) if row[2].value}
    assert (by_label["单位工业增加值综合能耗"].value,
            by_label["单位工业增加值综合能耗"].number_format) == (0.054, "#,##0.000")
    assert (by_label["年末从业人口"].value, by_label["年末从业人口"].number_format) == (12957,
                                                                                      "#,##0")
    assert (by_label["工业重复用水量"].value, by_label["工业重复用水量"].number_format) == (
        3163000, "#,##0")
    assert (by_label["资源再生利用产业增加值"].value, by_label["工业园区重点污染源稳定排放达标情况"].value) \
        == ("/", "达标")


def test_docx_reads_back(table: AssessmentTable, tmp_path: Path) -> None:
    path = tmp_path / "table.docx"
    write_table(table, path)
    assert inspect(path).kind == "docx"
    document = Document(str(path))
    texts = [p.text for p in document.paragraphs]
    assert texts[:4] == ["国家生态工业示范园区对照考核表",
                         "园区名称：江苏武进经济开发区\t填报单位：",
                         "填报人：\t填报时间：2019年5月22日",
                         "规划基准年为2012年\t数据基准年为2018年"]
    grid = document.tables[0]
    assert [c.text for c in grid.rows[0].cells] == list(COLUMNS)
    assert [c.text for c in grid.rows[3].cells] == [
        "1", "经济发展", "高新技术企业工业总产值占园区工业总产值比例", "%", "≥30", "可选", "否",
        "34.97", "达标"]
    assert [c.text for c in grid.rows[4].cells][:2] == ["2", "经济发展"]  # named again
    assert grid.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    value = grid.rows[1].cells[7]
    assert (value.text, value.paragraphs[0].style.name) == ("723,782.20", "表格文字右")
    assert grid.rows[1].cells[3]._tc.tcPr.find(qn("w:noWrap")) is not None


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
    assert parser.rows[1] == ["1", "经济发展", "高新技术企业工业总产值", "万元", "-", "-", "-",
                              "723,782.20", "-"]
    assert parser.rows[3] == ["高新技术企业工业总产值占园区工业总产值比例", "%", "≥30", "可选", "否",
                              "34.97", "达标"]
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
    assert rows[3] == ["1", "经济发展", "高新技术企业工业总产值占园区工业总产值比例", "%", "≥30", "可选",
                       "否", "34.97", "达标"]
    assert rows[1][7] == "723,782.20"
    assert all(row[0] and row[1] for row in rows[1:])


def test_verified_csv_keeps_multiline_findings(checked: AssessmentTable, tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    write_table(checked, path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    row_25 = next(r for r in rows if r[0] == "25" and r[5] == "必选")
    assert row_25[7:10] == ["-0.89", "达标", "-0.84"] and row_25[10].count("\n") == 2


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
    cell = load_workbook(tmp_path / "t.xlsx")["对照考核表"]["H6"]
    assert (cell.value, cell.data_type) == (formula, "s")
    write_table(hostile, tmp_path / "t.csv")
    with (tmp_path / "t.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][7] == "'" + formula
    assert rows[1][4:7] == ["-", "-", "-"]  # the dash of base rows is not a formula


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


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_own_table_reads_back_with_its_base_year(seed_eval: Evaluation, tmp_path: Path,
                                                 suffix: str) -> None:
    from ecopark.io.printed_table import read_printed_table

    path = tmp_path / f"table{suffix}"
    write_table(build_table(seed_eval, filled_on=FILLED), path)
    dataset = read_printed_table(path, seed_eval.framework)
    assert (dataset.profile.base_year, dataset.year) == (2012, 2018)
    assert dataset.profile.selected == frozenset({2, 6, 8, 11, 14, 27})
    water = dataset.values[("water_reuse", 2018)]
    assert (water.value, water.unit_given) == (pytest.approx(316.3), "立方米")
    assert dataset.reported is not None and dataset.reported.indicators[1] == "34.97"
