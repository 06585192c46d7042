"""Importing workbooks: the seed park round-trips through the template exactly; a small park
gives hand-checked indicators; messy typing is understood; every problem of a bad file is
reported at once with sheet, cell and hint; unsafe or broken files are refused."""

from __future__ import annotations

import shutil
import time
import zipfile
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped, unused-ignore]
import pytest
import yaml

from ecopark import Evaluation, Framework, evaluate, load_framework
from ecopark.core.dataset.schema import ValueEntry
from ecopark.core.errors import WorkbookError, WorkbookProblems
from ecopark.io.sheet import MAX_CELLS, Column, open_workbook
from ecopark.io.workbook import read_workbook, read_workbook_spec, write_template
from tests.conftest import SEED, TINY

WORKBOOKS = Path(__file__).resolve().parents[1] / "data" / "workbooks"
UNCALCULATED = "公式未计算 formula never calculated: open and save the file in Excel/WPS"


def named(wb: Any, name: str) -> Any:
    sheet, ref = next(iter(wb.defined_names[name].destinations))
    return wb[sheet][ref.replace("$", "")]


def rows_by_key(ws: Any) -> dict[str, int]:
    return {ws.cell(row=r, column=1).value: r for r in range(3, ws.max_row + 1)}


def columns_by_header(ws: Any) -> dict[Any, int]:
    return {cell.value: cell.column for cell in ws[2]}


def fill_seed(path: Path) -> None:
    """Fill a template as a park office would, with the seed park's numbers and printed values."""
    seed = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    wb = openpyxl.load_workbook(path)
    named(wb, "park_name").value = seed["park"]["name"]
    named(wb, "base_year").value = seed["park"]["base_year"]
    named(wb, "eval_year").value = seed["year"]
    named(wb, "region_class").value = "其他地区"
    for row in wb["园区信息"].iter_rows(min_row=11):
        if row[0].value in seed["park"]["selected"]:
            row[2].value = "是"
    data = wb["基础数据"]
    rows, columns = rows_by_key(data), columns_by_header(data)
    for key, series in seed["observations"].items():
        if series.get("unit"):
            data.cell(row=rows[key], column=4, value=series["unit"])
        for year, value in series["values"].items():
            value = value["value"] if isinstance(value, dict) else value
            data.cell(row=rows[key], column=columns[year], value=value)
    reported = wb["报告值"]
    for number, value in seed["reported"]["indicators"].items():
        reported.cell(row=2 + number, column=4, value=value)
    wb.save(path)


def problems_of(path: Path, framework: Framework | None = None) -> list[WorkbookError]:
    with pytest.raises(WorkbookProblems) as caught:
        read_workbook(path, framework)
    return caught.value.problems


# ------------------------------------------------------------------------ round trips


def test_the_seed_park_round_trips_through_the_template_exactly(
        tmp_path: Path, hj274: Framework, seed_eval: Evaluation) -> None:
    path = tmp_path / "wujin.xlsx"
    write_template(hj274, [2012, 2015, 2018], path)
    fill_seed(path)
    dataset = read_workbook(path)
    again = evaluate(hj274, dataset)
    assert [(r.number, r.value, r.status) for r in again.results] == \
        [(r.number, r.value, r.status) for r in seed_eval.results]
    assert again.verdict.status == seed_eval.verdict.status
    assert dataset.profile.selected == seed_eval.dataset.profile.selected
    assert dataset.profile.fields == {"region_class": "other"}
    assert dataset.reported is not None and seed_eval.dataset.reported is not None
    assert dataset.reported.indicators == seed_eval.dataset.reported.indicators
    assert dataset.values[("water_reuse", 2018)].value == 316.3  # 3163000 立方米 → 万m³


def test_a_template_of_another_framework_round_trips(tmp_path: Path) -> None:
    tiny = load_framework(TINY / "framework.yaml")
    path = tmp_path / "tiny.xlsx"
    write_template(tiny, [2020, 2021], path)
    wb = openpyxl.load_workbook(path)
    named(wb, "park_name").value, named(wb, "base_year").value = "试验园区", 2020
    named(wb, "climate").value = "干旱区"
    data = wb["基础数据"]
    rows = rows_by_key(data)
    for key, unit, value in (("water", "万m³", 0.6), ("output", "亿元", 0.1), ("workers", "人", 250)):
        data.cell(row=rows[key], column=4, value=unit)
        data.cell(row=rows[key], column=6, value=value)
    wb.save(path)
    result = evaluate(tiny, read_workbook(path, tiny))
    assert [(r.number, r.value, r.status.value) for r in result.results] == \
        [(1, 6.0, "not_met"), (2, 4.0, "not_met")]


def test_a_small_park_checked_by_hand(hj274: Framework) -> None:
    dataset = read_workbook(WORKBOOKS / "tiny-park.xlsx")
    assert (dataset.profile.name, dataset.profile.base_year, dataset.year) == ("示例生态工业园", 2015, 2018)
    assert dataset.profile.selected == frozenset({2, 11})
    result = evaluate(hj274, dataset)
    value: dict[int, Any] = {r.number: r.value for r in result.results}
    assert value[2] == 20.0  # 53,240 万元 / 2,662 人
    assert round(value[3], 6) == 10.0  # (53240 / 40000) ** (1/3) - 1 = 1.331 ** (1/3) - 1
    assert value[5] == 2  # two eco-chain projects in (2015, 2018]
    assert round(value[10], 6) == 0.3  # energy +3 %/year over IVA +10 %/year
    assert round(value[11], 3) == 0.410  # 21,854.54 tce / 53,240 万元
    assert round(value[14], 2) == 20.66  # 110 万m³ / 53,240 万元 = 20.66 m³/万元
    assert value[20] == 50.0  # one of two sub-items satisfied
    assert (value[17], value[22], value[32]) == ("达标", "具备", 3)
    assert dataset.values[("recycling_industry_va", 2018)].value is None  # "/" = not reported
    assert dataset.reported is not None and dataset.reported.indicators == {2: "20.00", 11: "0.410"}


def test_the_spec_is_what_import_writes(hj274: Framework) -> None:
    spec = read_workbook_spec(WORKBOOKS / "tiny-park.xlsx")
    assert spec.framework == "hj274-2015" and spec.year == 2018
    assert spec.park.model_extra == {"region_class": "other"}
    assert spec.observations["iva"].values == {2015: 40000, 2018: 53240}
    assert spec.observations["iva"].unit == "万元"
    assert spec.checklists["env_management"][2018][0].name == "环境管理机构"
    assert spec.lists["eco_chain_projects"][1] == {"name": "废酸再生", "partners": "丙钢铁、丁化学",
                                                   "exchange": "废硫酸", "year": 2017}


# ------------------------------------------------------------------------ messy typing


def test_messy_typing_is_understood(hj274: Framework) -> None:
    spec = read_workbook_spec(WORKBOOKS / "messy.xlsx")
    assert (spec.park.name, spec.park.base_year, spec.year) == ("示例园区（手工表）", 2015, 2018)
    series = {key: (s.unit, s.source, s.values) for key, s in spec.observations.items()}
    assert series == {
        "iva": ("万元", "统计局年报", {2015: 40000, 2018: 53240}),  # "53,240" as text
        "employees": ("人", "统计局年报", {2018: 2662}),  # "２６６２"; source from a merged cell
        "energy": ("吨标准煤", "统计局年报", {2015: 20000, 2018: 21854.54}),  # formula, cached value
        "fresh_water": ("万立方米", "水务局", {2015: 100, 2018: 110}),
        "water_reuse": ("万立方米", "水务局",  # unit from a merged cell, overridden in the cell
                        {2015: "/", 2018: ValueEntry(value=3163000, unit="立方米")}),
        "green_coverage_rate": ("%", None, {2018: 20.5}),  # "20.5%"
        "disclosure_rate": ("%", None, {2018: 100}),  # 1 formatted as 0%
        "cod": ("t", None, {2015: "—", 2018: "-"}),
        "key_source_compliance": (None, None, {2018: "达标"}),
    }
    dataset = read_workbook(WORKBOOKS / "messy.xlsx")
    assert dataset.values[("water_reuse", 2018)].value == 316.3
    assert dataset.values[("water_reuse", 2018)].given == "3163000 立方米"
    assert dataset.values[("cod", 2015)].value is None
    assert dataset.values[("cod", 2015)].printed == "—"


def test_merged_cells_take_the_top_left_value() -> None:
    with open_workbook(WORKBOOKS / "messy.xlsx") as book:
        rows = list(book.sheet("基础数据（填报）").rows())
    assert [rows[i].value(6) for i in (3, 4, 5)] == ["统计局年报"] * 3  # F4:F6
    assert [rows[i].value(3) for i in (6, 7)] == ["万立方米"] * 2  # C7:C8
    assert rows[0].values[:3] == ["2018 年度基础数据"] * 3  # A1:F1 title
    assert rows[9].ref(5) == "E10" and rows[9].is_percent(5)


def test_formula_cells_use_the_cached_value_or_are_refused() -> None:
    with open_workbook(WORKBOOKS / "messy.xlsx") as book:
        sheet = book.sheet("基础数据（填报）")
        assert sheet.uncalculated == []
        assert list(sheet.rows())[5].value(5) == 21854.54
    problems = problems_of(WORKBOOKS / "uncalculated.xlsx")
    assert [(p.sheet, p.cell, p.problem) for p in problems] == [
        ("基础数据", "F5", UNCALCULATED), ("基础数据", "F6", UNCALCULATED)]
    assert problems[0].hint == "在 Excel/WPS 中打开本文件并保存，再重新导入 open the file in " \
        "Excel/WPS, save it, and import it again"


def test_uncalculated_means_what_openpyxl_sees() -> None:
    """A formula with no cached value: openpyxl gives its formula text without data_only and
    None with it. The fast XML scan finds exactly those cells."""
    path = WORKBOOKS / "uncalculated.xlsx"
    formulas, values = openpyxl.load_workbook(path), openpyxl.load_workbook(path, data_only=True)
    expected = [cell.coordinate for row in formulas["基础数据"].iter_rows() for cell in row
                if isinstance(cell.value, str) and cell.value.startswith("=")
                and values["基础数据"][cell.coordinate].value is None]
    with open_workbook(path) as book:
        assert book.sheet("基础数据").uncalculated == expected == ["F5", "F6"]


def test_checklists_by_indicator_number_or_name(tmp_path: Path) -> None:
    path = tmp_path / "checklists.xlsx"
    wb = openpyxl.load_workbook(WORKBOOKS / "tiny-park.xlsx")
    wb["清单"]["A3"], wb["清单"]["A4"] = 20, "环境管理能力完善度"
    wb["清单"].append(["生态工业信息平台完善程度", 2018, "信息平台", "√"])
    wb["清单"].append(["info_platform", 2018, "数据更新", "×"])
    wb.save(path)
    dataset = read_workbook(path)
    assert [e.name for e in dataset.checklists["env_management"][2018]] == ["环境管理机构", "环境监测站"]
    assert [(e.name, e.done) for e in dataset.checklists["info_platform"][2018]] == [
        ("信息平台", True), ("数据更新", False)]


def test_an_error_value_is_named(tmp_path: Path) -> None:
    path = tmp_path / "error.xlsx"
    shutil.copy(WORKBOOKS / "tiny-park.xlsx", path)
    wb = openpyxl.load_workbook(path)
    wb["基础数据"]["F6"] = "#DIV/0!"  # openpyxl stores it as an error cell, as Excel does
    wb.save(path)
    problems = problems_of(path)
    assert [(p.sheet, p.cell, p.problem) for p in problems] == [
        ("基础数据", "F6", "公式结果为错误值 the formula gives an error value: #DIV/0!")]


# ------------------------------------------------------------------------ all problems at once


BAD = [
    ("园区信息", "B5"),  # base year "二〇一五"
    ("园区信息", "B7"),  # region class 西部地区
    ("园区信息", "C15"),  # 是否为考核指标 "也许"
    ("基础数据", "D5"),  # unit 个人
    ("基础数据", "F6"),  # "五万"
    ("基础数据", "F15"),  # negative energy
    ("基础数据", "F17"),  # "110 万元" for fresh water
    ("基础数据", "F22"),  # "合格" is not 达标/未达标
    ("基础数据", "B48"),  # unknown item 工业增价值
    ("清单", "A5"),  # unknown checklist 环境管理
    ("清单", "D5"),  # 是否满足 "可能"
    ("生态工业链项目", "D4"),  # year "明年"
    ("报告值", "A35"),  # indicator 99
]


def test_every_problem_is_reported_at_once_with_its_place() -> None:
    path = WORKBOOKS / "bad.xlsx"
    with pytest.raises(WorkbookProblems) as caught:
        read_workbook(path)
    problems = caught.value.problems
    assert [(p.sheet, p.cell) for p in problems] == BAD
    assert all(p.file == str(path) and p.hint for p in problems)
    text = str(caught.value)
    assert text.startswith(f"文件 {path} 有 13 处问题，未导入任何数据：\n")
    assert "  - 文件 " + str(path) + "，工作表 基础数据，单元格 F6：不是数字 not a number: “五万”" in text
    assert caught.value.message("en").startswith(f"file {path} has 13 problems; nothing was imported")


def test_problem_messages_say_what_and_how() -> None:
    problems = {(p.sheet, p.cell): p for p in problems_of(WORKBOOKS / "bad.xlsx")}
    unit = problems[("基础数据", "D5")]
    assert (unit.problem, unit.hint) == ("无法识别的单位 unknown unit “个人”", "改用 use one of: 人")
    wrong = problems[("基础数据", "F17")]
    assert wrong.problem == "单位 “万元” 不能换算为新鲜水资源消耗量的单位 万立方米 the unit cannot " \
        "be converted to 万m3"
    assert wrong.hint == "改用 use one of: 万立方米、立方米、m³、万m³"
    fact = problems[("基础数据", "F22")]
    assert fact.hint == "可选 choose one of: 达标、未达标"
    region = problems[("园区信息", "B7")]
    assert region.hint == "可选 choose one of: 缺水城市、京津冀、其他地区"


def test_near_miss_names_get_a_hint() -> None:
    problems = {(p.sheet, p.cell): p for p in problems_of(WORKBOOKS / "bad.xlsx")}
    item = problems[("基础数据", "B48")]
    assert item.problem == "未知数据项 unknown item “工业增价值”"
    assert item.hint == "是否应为 did you mean “工业增加值”（iva）?"
    checklist = problems[("清单", "A5")]
    assert checklist.hint == "是否应为 did you mean “环境管理能力完善度”（env_management）?"


def test_a_mistyped_header_and_sheet_name_get_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "header.xlsx"
    wb = openpyxl.Workbook()
    park = wb.active
    park.title = "园区信息"
    for row, (label, value) in enumerate([("园区名称", "甲园区"), ("规划基准年", 2015),
                                          ("评价年份", 2018)], 1):
        park.cell(row=row, column=1, value=label)
        park.cell(row=row, column=2, value=value)
    data = wb.create_sheet("基础 数剧")
    data.append(["数据项目", "单位", 2018])
    data.append(["工业增加值", "万元", 100])
    wb.save(path)
    problems = problems_of(path)
    assert [(p.sheet, p.cell, p.problem, p.hint) for p in problems] == [
        ("基础数据", "", "缺少工作表 missing sheet “基础数据”",
         "是否应为 did you mean “基础 数剧”? 请改名为 rename it to “基础数据”")]
    wb["基础 数剧"].title = "基础数据"
    wb.save(path)
    problems = problems_of(path)
    assert [(p.sheet, p.cell, p.problem, p.hint) for p in problems] == [
        ("基础数据", "1:1", "表头缺少 “数据项” the header lacks “数据项”",
         "A1 “数据项目” 是否应为 did you mean “数据项”?")]


def test_more_mistakes_in_one_file(tmp_path: Path) -> None:
    path = tmp_path / "more.xlsx"
    shutil.copy(WORKBOOKS / "tiny-park.xlsx", path)
    wb = openpyxl.load_workbook(path)
    named(wb, "framework").value = "hj999"
    wb.save(path)
    assert [(p.cell, p.problem) for p in problems_of(path)] == [
        ("B4", "未知指标体系 unknown framework “hj999”")]
    named(wb, "framework").value = "/etc/passwd.yaml"  # a workbook never names a file to load
    wb.save(path)
    assert [p.cell for p in problems_of(path)] == ["B4"]
    named(wb, "framework").value = "hj274-2015"
    data = wb["基础数据"]
    data.cell(row=data.max_row + 1, column=1, value="iva")
    data.cell(row=data.max_row, column=6, value=1)
    data.cell(row=data.max_row + 1, column=4, value="万元")
    data.cell(row=data.max_row, column=6, value=2)
    select_row = next(r for r in range(11, 30) if wb["园区信息"].cell(row=r, column=1).value == 2)
    wb["园区信息"].cell(row=select_row, column=1, value=5)  # 5 is mandatory
    wb.save(path)
    assert [(p.sheet, p.cell, p.problem) for p in problems_of(path)] == [
        ("园区信息", "C12", "指标 5 是必选指标，无需选择 indicator 5 is mandatory, always assessed"),
        ("基础数据", "A48", "数据项重复 the item appears twice (第 6 行 row 6)"),
        ("基础数据", "B49", "有数值但没有数据项名称 values without an item name"),
    ]


def test_a_missing_park_sheet_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "no-park.xlsx"
    wb = openpyxl.load_workbook(WORKBOOKS / "tiny-park.xlsx")
    del wb["园区信息"]
    wb.save(path)
    assert [(p.sheet, p.cell, p.problem) for p in problems_of(path)] == [
        ("园区信息", "", "缺少工作表 missing sheet “园区信息”")]


def test_a_framework_given_must_match_the_workbook(tmp_path: Path) -> None:
    tiny = load_framework(TINY / "framework.yaml")
    problems = problems_of(WORKBOOKS / "tiny-park.xlsx", tiny)
    assert (problems[0].sheet, problems[0].cell) == ("园区信息", "B4")
    assert problems[0].problem.startswith("工作簿的指标体系为 “hj274-2015”，而指定的是 tiny-water")


# ------------------------------------------------------------------------ refused files


def test_an_encrypted_or_legacy_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "locked.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00junk" * 100)
    with pytest.raises(WorkbookError) as caught:
        read_workbook(path)
    assert caught.value.problem == "文件已加密（设有打开密码）或为旧版 .xls/.doc 格式 the file is " \
        "password-protected or a legacy .xls/.doc"
    assert "另存为 .xlsx" in caught.value.hint


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("园区名称,基础数据\n", encoding="utf-8")
    with pytest.raises(WorkbookError, match="不是有效的 xlsx/docx 文件 not a valid xlsx/docx file"):
        read_workbook(path)
    word = tmp_path / "report.xlsx"
    with zipfile.ZipFile(word, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(WorkbookError, match="这是 Word 文档，不是 Excel 工作簿"):
        read_workbook(word)


def test_a_macro_workbook_is_read_as_data(tmp_path: Path) -> None:
    path = tmp_path / "park.xlsm"
    with zipfile.ZipFile(WORKBOOKS / "tiny-park.xlsx") as source, \
            zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
        target.writestr("xl/vbaProject.bin", b"\x00" * 64)
    with open_workbook(path) as book:
        assert book.has_macros
    assert read_workbook(path).profile.name == "示例生态工业园"


def test_a_sheet_over_the_cell_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "名册"
    wb.active["A1"], wb.active["Z200000"] = "企业名称", "x"  # 26 × 200,000 = 5,200,000 cells
    wb.save(path)
    with pytest.raises(WorkbookError) as caught:
        open_workbook(path)  # every sheet's extent is checked when the workbook is opened
    assert (caught.value.sheet, caught.value.problem) == (
        "名册", f"工作表超过 {MAX_CELLS:,} 个单元格 the sheet has more than {MAX_CELLS:,} cells")


# ------------------------------------------------------------------------ the generic reader


def test_rows_stream_with_a1_references(tmp_path: Path) -> None:
    """A roster-shaped sheet: the header is found by name, rows come one at a time."""
    path = tmp_path / "roster.xlsx"
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("企业名册")
    ws.append([])
    ws.append(["", "企业 名称", "统一社会信用代码", *[f"指标{i}" for i in range(17)]])
    for n in range(5000):
        ws.append(["", f"企业{n}", f"91320400{n:010d}", *range(17)])
    wb.save(path)
    started = time.perf_counter()
    with open_workbook(path) as book:
        sheet = book.sheet("企业名册")
        rows = sheet.rows()
        assert iter(rows) is rows  # a generator, not a list
        header = sheet.find_header(rows, (Column("name", ("企业名称", "name")),
                                          Column("code", ("统一社会信用代码", "credit code"))))
        assert (header.row, header.columns, header.ref("name")) == (2, {"name": 2, "code": 3}, "B2")
        count, last = 0, None
        for count, last in enumerate(rows, 1):  # noqa: B007 - the last row is checked below
            pass
    assert count == 5000 and last is not None
    assert (last.number, last.ref(2), last.value(2)) == (5002, "B5002", "企业4999")
    assert time.perf_counter() - started < 10


def test_without_defined_names_the_labels_are_used(tmp_path: Path) -> None:
    """Sheets copied into another workbook lose their defined names: labels still work."""
    path = tmp_path / "copied.xlsx"
    wb = openpyxl.load_workbook(WORKBOOKS / "tiny-park.xlsx")
    for name in list(wb.defined_names):
        del wb.defined_names[name]
    wb.save(path)
    with open_workbook(path) as book:
        assert book.defined_names == {}
    copied, original = read_workbook(path), read_workbook(WORKBOOKS / "tiny-park.xlsx")
    assert (copied.profile, copied.year, copied.values, copied.checklists, copied.lists) == \
        (original.profile, original.year, original.values, original.checklists, original.lists)


def test_defined_names_are_read(tmp_path: Path) -> None:
    with open_workbook(WORKBOOKS / "tiny-park.xlsx") as book:
        assert book.defined_names == {
            "park_name": ("园区信息", "B3"), "framework": ("园区信息", "B4"),
            "base_year": ("园区信息", "B5"), "eval_year": ("园区信息", "B6"),
            "region_class": ("园区信息", "B7")}


def test_a_right_to_left_override_in_the_park_name_is_refused_at_its_cell(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(WORKBOOKS / "tiny-park.xlsx")
    assert book["园区信息"]["B3"].value == "示例生态工业园"
    book["园区信息"]["B3"] = "示例\u202e工业园"
    book.save(tmp_path / "rlo.xlsx")
    with pytest.raises(WorkbookProblems) as caught:
        read_workbook(tmp_path / "rlo.xlsx")
    assert [(p.sheet, p.cell, p.problem) for p in caught.value.problems] == [
        ("园区信息", "B3", "含有不可见的控制字符 U+202E contains the invisible control character U+202E")]


@pytest.mark.parametrize(("value", "problem"), [
    ("9" * 400, "不是有限数 not a finite number: 'inf'"),
    (1e40, "数值过大（超过 1e+30）the number is larger than 1e+30: '1e+40'")],
    ids=["400 digits as text", "1e40"])
def test_a_number_beyond_a_sane_magnitude_is_refused_at_its_cell(tmp_path: Path, value: object,
                                                                 problem: str) -> None:
    book = openpyxl.load_workbook(WORKBOOKS / "tiny-park.xlsx")
    assert book["基础数据"]["A6"].value == "iva"
    book["基础数据"]["F6"] = value
    book.save(tmp_path / "big.xlsx")
    with pytest.raises(WorkbookProblems) as caught:
        read_workbook(tmp_path / "big.xlsx")
    assert [(p.sheet, p.cell, p.problem) for p in caught.value.problems] == [("基础数据", "F6", problem)]
