"""Reading a printed 对照考核表 (Word / Excel) back: the seed's table as a conformance case, the
same table as a workbook, tolerance of layout and wording, and the errors that name the cell.

The fixture tests/data/wujin-2018-table.docx is rebuilt from the seed text by
tests/data/make_seed_docx.py; the variants below are written from its rows.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import docx
import openpyxl
import pytest

from ecopark import Dataset, Evaluation, Framework, evaluate, verify
from ecopark.core.errors import WorkbookError, WorkbookProblems
from ecopark.io.printed_table import read_printed_table

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "wujin-2018-table.docx"
HEADER = 3  # the column header is the fixture table's 4th row (after title, 园区名称, 数据基准年)


def table_rows(path: Path = FIXTURE) -> list[list[str]]:
    """The fixture table's cell texts; a cell spanning columns is read once."""
    rows = []
    for row in docx.Document(str(path)).tables[0].rows:
        cells, previous = [], None
        for cell in row.cells:
            cells.append("" if cell is previous else cell.text)
            previous = cell
        rows.append(cells)
    return rows


def row_of(rows: list[list[str]], name: str) -> int:
    return next(i for i, row in enumerate(rows) if len(row) > 2 and row[2] == name)


def write_docx(rows: list[list[str]], path: Path, paragraphs: tuple[str, ...] = ("附：对照考核表",)) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    table = document.add_table(rows=len(rows), cols=max(len(row) for row in rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.save(str(path))
    return path


def write_xlsx(rows: list[list[str]], path: Path) -> Path:
    """The rows as a workbook like an office would type it: numbers as numbers with a number
    format showing the printed decimals, the header block and the 项目 cells merged."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "对照考核表"
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row, start=1):
            if text and not (c == 1 and r > HEADER + 1 and text == rows[r - 2][0]):
                _typed(sheet.cell(r, c), text)
    for r in range(HEADER):
        starts = [c for c, text in enumerate(rows[r]) if text] + [len(rows[r])]
        for left, right in itertools.pairwise(starts):
            if right - left > 1:
                sheet.merge_cells(start_row=r + 1, start_column=left + 1, end_row=r + 1,
                                  end_column=right)
    _merge_categories(sheet, rows)
    book.save(path)
    return path


def _typed(cell: openpyxl.cell.cell.Cell, text: str) -> None:
    number = re.fullmatch(r"-?\d+(?:\.(\d+))?", text.strip())
    if number is None:
        cell.value = text
        return
    places = len(number.group(1) or "")
    cell.value = float(text) if places else int(text)
    cell.number_format = "0." + "0" * places if places else "0"


def _merge_categories(sheet: openpyxl.worksheet.worksheet.Worksheet, rows: list[list[str]]) -> None:
    start = HEADER + 1
    for r in range(HEADER + 2, len(rows) + 1):
        if r == len(rows) or rows[r][0] != rows[start][0]:
            sheet.merge_cells(start_row=start + 1, start_column=1, end_row=r, end_column=1)
            start = r


def kinds(evaluation: Evaluation) -> set[tuple[str, int | None]]:
    return {(f.kind, f.number) for f in verify(evaluation).findings}


@pytest.fixture(scope="module")
def printed(hj274: Framework) -> Dataset:
    return read_printed_table(FIXTURE, hj274)


# ------------------------------------------------------------------ the seed's table


def test_base_rows_in_canonical_units(printed: Dataset) -> None:
    values = printed.values
    assert values[("water_reuse", 2018)].value == pytest.approx(316.3, rel=1e-12)  # 3163000 m³
    assert values[("water_reuse", 2018)].given == "3163000 立方米"
    assert values[("iva", 2012)].value == 192300.0  # 规划基准年工业增加值
    assert values[("iva", 2015)].value == 412800.0  # 2015年工业增加值
    assert values[("iva", 2018)].value == 496758.52
    assert values[("energy", 2012)].value == 23076.0
    assert values[("fresh_water", 2012)].value == 72.69  # 万立方米 is the canonical unit
    assert values[("industrial_land", 2015)].value == 3.24
    assert values[("swaste_generated", 2018)].value == 14001.2  # 工业固体废物总产生量 / 固废产生量
    assert values[("nh3n", 2012)].value is None and values[("nh3n", 2012)].printed == "/"
    assert values[("iva", 2018)].source == "对照考核表 第9行"


def test_indicator_rows_give_printed_values_and_direct_items(printed: Dataset, seed: Dataset) -> None:
    assert printed.reported is not None and seed.reported is not None
    assert printed.reported.indicators == seed.reported.indicators  # "100.00 " read as "100.00"
    assert 32 not in printed.reported.indicators  # the seed text ends before row 32's value
    assert printed.values[("green_coverage_rate", 2018)].value == 24.83
    assert printed.values[("key_source_compliance", 2018)].value == "达标"
    assert printed.values[("major_incidents", 2018)].value == 0.0
    assert printed.values[("eco_chain_project_count", 2018)].value == 13.0


def test_same_observations_as_the_yaml_seed(printed: Dataset, seed: Dataset) -> None:
    # the YAML counts 3 publicity events from the report's text; the table does not print them
    expected = {key: obs.value for key, obs in seed.values.items() if key[0] != "publicity_events"}
    assert {key: obs.value for key, obs in printed.values.items()} == expected


def test_park_year_and_selection(printed: Dataset) -> None:
    assert printed.profile.name == "江苏武进经济开发区"
    assert printed.year == 2018  # 数据基准年为2018年
    assert printed.profile.selected == frozenset({2, 6, 8, 11, 14, 27})  # 是否为考核指标 = 是


def test_base_year_inferred_with_a_note(printed: Dataset) -> None:
    # 10 (0.16) is reproduced with any base year ≤ 2012, 13 (0.07) with any ≤ 2014
    assert printed.profile.base_year == 2012
    note = printed.profile.base_year_note
    assert note.startswith("推定：") and "inferred:" in note
    assert "2012" in note and "10、13" in note and "1993–2012" in note


def test_verify_finds_what_the_yaml_seed_finds(hj274: Framework, seed: Dataset,
                                               printed: Dataset) -> None:
    assert seed.reported is not None
    no_text = seed.reported.model_copy(update={"text": []})
    like_table = dataclasses.replace(seed, reported=no_text, values={
        key: obs for key, obs in seed.values.items() if key[0] != "publicity_events"})
    found = kinds(evaluate(hj274, printed))
    assert found == kinds(evaluate(hj274, like_table))
    assert {("mismatch", 1), ("mismatch", 9), ("mismatch", 15), ("cannot_reproduce", 25),
            ("verdict_flip", 26), ("method_inconsistency", 26)} <= found
    assert not {kind for kind, _ in found} & {"text_table_inconsistency", "base_row_mismatch"}
    # against the full YAML: only what the text adds (its statements, the 3 events of 32)
    extra = kinds(evaluate(hj274, seed)) - found
    assert {kind for kind, _ in extra} <= {"text_table_inconsistency", "missing_row",
                                           "overall_verdict_flip"}


def test_the_same_table_as_a_workbook_reads_identically(tmp_path: Path, hj274: Framework,
                                                        printed: Dataset) -> None:
    book = read_printed_table(write_xlsx(table_rows(), tmp_path / "table.xlsx"), hj274)
    assert book.values == printed.values  # 7.9 shown as "0.00" is "7.90" again, with its source
    assert book.reported is not None and printed.reported is not None
    assert book.reported.indicators == printed.reported.indicators
    assert book.reported.rows == printed.reported.rows
    assert book.profile == printed.profile


def test_workbook_numbers_are_read_as_displayed(tmp_path: Path, hj274: Framework) -> None:
    path = write_xlsx(table_rows(), tmp_path / "table.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book.active
    share = row_of(table_rows(), "高新技术企业工业总产值占园区工业总产值比例") + 1
    sheet.cell(share, 7).value, sheet.cell(share, 7).number_format = 0.393149, "0.00%"
    sheet.cell(share + 1, 7).value = 12957  # 年末从业人口, format General
    book.save(path)
    dataset = read_printed_table(path, hj274)
    assert dataset.reported is not None and dataset.reported.indicators[1] == "39.31%"
    assert dataset.values[("employees", 2018)].given == "12957 人"


# ------------------------------------------------------------------ tolerance


def test_full_width_digits_and_spaces(tmp_path: Path, hj274: Framework) -> None:
    rows = table_rows()
    rows[row_of(rows, "人均工业增加值")][6] = "３８．３４"
    rows[row_of(rows, "年末从业人口")][1:7:5] = ["２", "１２，９５７"]
    rows[row_of(rows, "工业增加值")][2] = "工 业 增 加 值 "
    dataset = read_printed_table(write_docx(rows, tmp_path / "t.docx"), hj274)
    assert dataset.reported is not None and dataset.reported.indicators[2] == "38.34"
    assert dataset.values[("employees", 2018)].value == 12957.0
    assert dataset.values[("iva", 2018)].value == 496758.52


def test_line_breaks_and_wording_variants(tmp_path: Path, hj274: Framework) -> None:
    rows = table_rows()
    rows[HEADER][2], rows[HEADER][6], rows[HEADER][5] = "指标名称", "现状值", "是否考核指标"
    rows[row_of(rows, "工业固体废物综合利用率")][2] = "工业固体废弃物\n综合利用率"
    rows[row_of(rows, "单位工业增加值新鲜水耗")][2] = "单位工业增加值新鲜水消耗量"
    rows[row_of(rows, "工业园区重点污染源稳定排放达标情况")][2] = "重点污染源稳定排放达标情况"
    rows[row_of(rows, "SO2排放量")][2] = "SO₂排放量"
    rows[row_of(rows, "规划基准年SO2排放量")][2] = "二氧化硫排放量（规划基准年）"
    dataset = read_printed_table(write_docx(rows, tmp_path / "t.docx"), hj274)
    assert dataset.reported is not None
    assert (dataset.reported.indicators[6], dataset.reported.indicators[14]) == ("97.58", "1.57")
    assert dataset.reported.indicators[17] == "达标"
    assert dataset.values[("so2", 2018)].value == 0.13
    assert dataset.values[("so2", 2012)].value == 0.77
    assert dataset.profile.selected == frozenset({2, 6, 8, 11, 14, 27})


def test_an_unfamiliar_name_is_placed_by_its_serial_and_requirement(tmp_path: Path,
                                                                     hj274: Framework) -> None:
    rows = table_rows()
    rows[row_of(rows, "高新技术企业工业总产值占园区工业总产值比例")][2] = "高新产值占比"  # 序号 1, ≥30
    dataset = read_printed_table(write_docx(rows, tmp_path / "t.docx"), hj274)
    assert dataset.reported is not None and dataset.reported.indicators[1] == "39.31"


def _serial_on_every_row(rows: list[list[str]]) -> None:
    serial = ""
    for row in rows[HEADER + 1:]:
        serial = row[1] = row[1] or serial


def _serial_on_indicator_row(rows: list[list[str]]) -> None:
    pending = ""
    for row in rows[HEADER + 1:]:
        pending, row[1] = row[1] or pending, ""
        if row[4] != "-":
            pending, row[1] = "", pending


@pytest.mark.parametrize("layout", [_serial_on_every_row, _serial_on_indicator_row])
def test_serial_layouts(tmp_path: Path, hj274: Framework, printed: Dataset,
                        layout: Callable[[list[list[str]]], None]) -> None:
    rows = table_rows()
    layout(rows)
    dataset = read_printed_table(write_docx(rows, tmp_path / "t.docx"), hj274)
    assert dataset.values == printed.values
    assert dataset.reported is not None and printed.reported is not None
    assert dataset.reported.indicators == printed.reported.indicators
    assert dataset.reported.rows == printed.reported.rows


def test_a_table_nested_in_a_layout_table(tmp_path: Path, hj274: Framework, printed: Dataset) -> None:
    document = docx.Document()
    inner = document.add_table(rows=1, cols=1).cell(0, 0).add_table(rows=0, cols=7)
    for row in table_rows():
        for cell, text in zip(inner.add_row().cells, row, strict=False):
            cell.text = text
    document.save(str(tmp_path / "t.docx"))
    dataset = read_printed_table(tmp_path / "t.docx", hj274)
    assert dataset.values == printed.values
    assert dataset.reported is not None and "表格2" in dataset.reported.source


def test_base_rows_printed_with_their_year(tmp_path: Path, hj274: Framework) -> None:
    rows = table_rows()
    for row in rows:
        if row[2].startswith("规划基准年"):
            row[2] = "2012年" + row[2].removeprefix("规划基准年")
    dataset = read_printed_table(write_docx(rows, tmp_path / "t.docx"), hj274)
    assert dataset.profile.base_year == 2012  # the only year whose rows give 0.16 and 0.07
    assert "（可复现的年份 2012）" in dataset.profile.base_year_note
    assert dataset.values[("energy", 2012)].value == 23076.0


def test_a_printed_base_year_is_taken(tmp_path: Path, hj274: Framework) -> None:
    rows = table_rows()
    rows[row_of(rows, "规划基准年工业增加值")][2] = "规划基准年（2011年）工业增加值"
    path = write_docx(rows, tmp_path / "t.docx")
    dataset = read_printed_table(path, hj274)
    assert dataset.profile.base_year == 2011
    assert dataset.profile.base_year_note.startswith("表中印出 printed in the table")
    with pytest.raises(WorkbookError, match="--base-year"):
        read_printed_table(path, hj274, base_year=2012)


def test_label_rows_without_numbers_are_skipped(tmp_path: Path, hj274: Framework) -> None:
    rows = table_rows()
    at = row_of(rows, "工业增加值")
    rows[at:at] = [["", "", "考核指标", "", "", "", ""], ["", "", "（以下为基础数据）", "", "", "", "/"]]
    dataset = read_printed_table(write_docx(rows, tmp_path / "t.docx"), hj274)
    assert dataset.values[("iva", 2018)].source == f"对照考核表 第{at + 3}行"


def test_a_row_printed_twice_with_another_value_is_a_finding(tmp_path: Path,
                                                             hj274: Framework) -> None:
    rows = table_rows()
    rows[row_of(rows, "固废产生量")][6] = "14100.00"  # 序号28 repeats 序号6's 工业固体废物总产生量
    dataset = read_printed_table(write_docx(rows, tmp_path / "t.docx"), hj274)
    assert dataset.values[("swaste_generated", 2018)].value == 14001.2  # the first row counts
    [finding] = [f for f in verify(evaluate(hj274, dataset)).findings
                 if f.kind == "base_row_mismatch"]
    assert (finding.item, finding.reported) == ("swaste_generated", "14100.00")


def test_given_base_year_is_used(hj274: Framework) -> None:
    dataset = read_printed_table(FIXTURE, hj274, base_year=2010)
    assert (dataset.profile.base_year, dataset.profile.base_year_note) == (2010, "")
    assert dataset.values[("iva", 2010)].value == 192300.0


# ------------------------------------------------------------------ errors


def test_a_document_without_the_table(tmp_path: Path, hj274: Framework) -> None:
    path = write_docx([["项目", "说明"], ["园区概况", "江苏武进经济开发区"]], tmp_path / "t.docx",
                      ("第1章 园区建设主要工作回顾", "数据基准年为2018年"))
    with pytest.raises(WorkbookError) as caught:
        read_printed_table(path, hj274)
    assert caught.value.problem.startswith("未找到对照考核表 no assessment table found")
    assert "序号" in caught.value.hint and caught.value.file == str(path)


def test_an_unmappable_numeric_row_is_named(tmp_path: Path, hj274: Framework) -> None:
    rows = table_rows()
    at = row_of(rows, "工业增加值") + 1
    rows.insert(at, ["", "", "园区绿地面积", "公顷", "-", "-", "123.4"])
    path = write_docx(rows, tmp_path / "t.docx")
    with pytest.raises(WorkbookProblems) as caught:
        read_printed_table(path, hj274)
    [problem] = caught.value.problems
    assert (problem.file, problem.sheet, problem.cell) == (str(path), "表格1", f"第{at + 1}行第3列")
    assert "园区绿地面积" in problem.problem and "123.4" in problem.problem
    assert "did you mean" in problem.hint and "aliases" in problem.hint


def test_a_wrong_unit_names_the_unit_cell(tmp_path: Path, hj274: Framework) -> None:
    rows = table_rows()
    at = row_of(rows, "工业增加值")
    rows[at][3] = "吨"
    rows[row_of(rows, "工业用地面积")][6] = "约3.10"
    with pytest.raises(WorkbookProblems) as caught:
        read_printed_table(write_docx(rows, tmp_path / "t.docx"), hj274)
    unit, number = caught.value.problems
    assert unit.cell == f"第{at + 1}行第4列" and "“吨”" in unit.problem and "万元" in unit.problem
    assert number.cell.endswith("第7列") and "约3.10" in number.problem


def test_a_word_for_a_numeric_indicator_is_refused(tmp_path: Path, hj274: Framework) -> None:
    rows = table_rows()
    at = row_of(rows, "环境管理能力完善度")
    rows[at][6] = "完善"
    with pytest.raises(WorkbookProblems) as caught:
        read_printed_table(write_docx(rows, tmp_path / "t.docx"), hj274)
    [problem] = caught.value.problems
    assert problem.cell == f"第{at + 1}行第7列" and "“完善” 不是数字" in problem.problem


def test_the_evaluation_year_comes_from_the_document_or_year(tmp_path: Path,
                                                              hj274: Framework) -> None:
    rows = table_rows()
    rows[2][0] = "考核指标"
    path = write_docx(rows, tmp_path / "t.docx")
    with pytest.raises(WorkbookError) as caught:
        read_printed_table(path, hj274)
    assert "--year" in caught.value.hint
    assert read_printed_table(path, hj274, year=2018).year == 2018
    with pytest.raises(WorkbookError) as conflict:
        read_printed_table(FIXTURE, hj274, year=2017)
    assert "2017" in conflict.value.problem and "2018" in conflict.value.problem


def test_item_names_and_aliases_are_unambiguous(hj274: Framework) -> None:
    seen: dict[str, str] = {}
    for key, item in hj274.spec.items.items():
        for name in {re.sub(r"\s", "", unicodedata.normalize("NFKC", n).casefold())
                     for n in (key, item.name_zh, item.name_en, *item.aliases)}:
            assert seen.setdefault(name, key) == key, f"{name!r}: {seen[name]} and {key}"
