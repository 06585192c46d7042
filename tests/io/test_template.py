"""The fill-in workbook: sheets, headers, defined names, validations, comments, print setup; it
converts to PDF in LibreOffice; an empty template reads back as "please fill in"."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped, unused-ignore]
import pytest

from ecopark import Framework, load_framework
from ecopark.core.errors import InputFileError, WorkbookProblems
from ecopark.io.template import unit_choices, unit_display
from ecopark.io.workbook import read_workbook, write_template
from tests.conftest import TINY

SHEETS = ["说明", "园区信息", "基础数据", "清单", "生态工业链项目", "报告值"]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, hj274: Framework) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.xlsx"
    write_template(hj274, [2012, 2015, 2018], path)
    return path


@pytest.fixture(scope="module")
def book(template: Path) -> Any:
    return openpyxl.load_workbook(template)


def _validations(ws: Any) -> dict[str, tuple[str, str, str]]:
    return {str(dv.sqref): (dv.type, dv.formula1, dv.errorStyle or "stop")
            for dv in ws.data_validations.dataValidation}


def test_the_sheets_in_order(book: Any) -> None:
    assert book.sheetnames == SHEETS
    assert book.active.title == "说明"


def test_guide_is_zh_first_then_en(book: Any) -> None:
    lines = [c.value for c in book["说明"]["A"] if c.value]
    assert lines[0] == "国家生态工业示范园区标准（hj274-2015）数据填报模板"
    assert lines.index("填写说明") < lines.index("How to fill it in")


def test_data_sheet_header_and_rows(book: Any, hj274: Framework) -> None:
    ws = book["基础数据"]
    assert [c.value for c in ws[2]] == ["标识", "数据项", "Item", "单位", 2012, 2015, 2018, "来源",
                                       "备注"]
    assert [ws.cell(row=r, column=1).value for r in range(3, ws.max_row + 1)] == \
        list(hj274.spec.items)
    assert [c.value for c in ws[6][:4]] == ["iva", "工业增加值", "industrial value added", "万元"]


def test_park_sheet_defined_names(book: Any) -> None:
    names = {name: book.defined_names[name].attr_text for name in book.defined_names}
    assert names == {"park_name": "'园区信息'!$B$3", "framework": "'园区信息'!$B$4",
                     "base_year": "'园区信息'!$B$5", "eval_year": "'园区信息'!$B$6",
                     "also_frameworks": "'园区信息'!$B$7", "region_class": "'园区信息'!$B$8",
                     "filler_org": "'园区信息'!$B$9", "filler": "'园区信息'!$B$10",
                     "filled_on": "'园区信息'!$B$11", "time_zone": "'园区信息'!$B$12",
                     **{name: f"'园区信息'!$B${row}" for row, name in enumerate((
                         "area", "location", "leading_industries", "enterprises",
                         "enterprises_above_size", "approval_doc", "approval_date",
                         "plan_approval_doc", "plan_approval_date", "problems_text",
                         "actions_text"), start=13)}}
    ws = book["园区信息"]
    assert (ws["A3"].value, ws["B4"].value, ws["B6"].value, ws["B7"].value, ws["B8"].value) == \
        ("园区名称 Park name", "hj274-2015", 2018, None, "其他地区")
    assert [ws[f"A{r}"].value for r in range(9, 13)] == [
        "填报单位 reporting organisation", "填报人 filled in by", "填报时间 date filled in",
        "时区 time zone"]


def test_optional_indicator_table(book: Any, hj274: Framework) -> None:
    ws = book["园区信息"]
    assert [c.value for c in ws[26]] == ["序号", "指标", "是否为考核指标", "可选组"]
    numbers = [ws.cell(row=r, column=1).value for r in range(27, ws.max_row + 1)]
    assert numbers == [i.number for i in hj274.indicators if not i.mandatory]
    assert numbers == [1, 2, 3, 4, 6, 7, 8, 9, 11, 12, 14, 15, 16, 27, 28]
    assert ws["D27"].value == "G1 经济发展可选指标"


def test_park_validations(book: Any) -> None:
    assert _validations(book["园区信息"]) == {
        "B5": ("whole", "1900", "stop"), "B6": ("whole", "1900", "stop"),
        "B8": ("list", '"缺水城市,京津冀,其他地区"', "stop"),
        "C27:C41": ("list", '"是,否"', "stop"),
    }


def test_data_validations(book: Any) -> None:
    rules = _validations(book["基础数据"])
    assert rules["D6"] == ("list", '"万元,元,亿元"', "warning")  # iva's unit
    assert rules["E6:G6"] == ("custom", 'OR(AND(ISNUMBER(E6),E6>=0),E6="/",E6="-",E6="—")',
                              "warning")
    assert rules["D14"] == ("list", '"平方公里,km²,公顷,亩,平方米"', "warning")  # industrial land
    assert book["基础数据"]["A22"].value == "key_source_compliance"
    assert rules["E22:G22"] == ("list", '"达标,未达标,/"', "stop")
    assert "D5" not in rules  # employees: 人 only, no dropdown needed


def test_other_sheets(book: Any) -> None:
    assert [c.value for c in book["清单"][2]] == ["清单", "年份", "子项", "是否满足", "佐证材料"]
    assert _validations(book["清单"])["A3:A202"] == (
        "list", '"环境管理能力完善度,园区环境风险防控体系建设完善度,生态工业信息平台完善程度"', "stop")
    assert [c.value for c in book["生态工业链项目"][2]] == ["项目名称", "参与单位", "交换内容", "投运年份"]
    reported = book["报告值"]
    assert [c.value for c in reported[2]] == ["序号", "指标", "单位", "报告值"]
    assert [c.value for c in reported[10]] == [8, "单位工业用地面积工业增加值", "亿元/km²", None]
    assert reported["D10"].number_format == "@"  # typed values stay text: "100.00" keeps its zeros


def test_frozen_headers_and_print_setup(book: Any) -> None:
    panes = {ws.title: ws.freeze_panes for ws in book.worksheets}
    assert panes == {"说明": None, "园区信息": "A3", "基础数据": "E3", "清单": "A3",
                     "生态工业链项目": "A3", "报告值": "A3"}
    for ws in book.worksheets:
        setup = ws.page_setup
        assert (setup.orientation, setup.fitToWidth, setup.fitToHeight) == ("landscape", 1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert book["基础数据"].print_title_rows == "$2:$2"


def test_item_definitions_as_comments_and_readable_widths(book: Any) -> None:
    ws = book["基础数据"]
    assert ws["B6"].comment.text == "工业增加值\n园区工业增加值\nindustrial value added: " \
        "industrial value added of the park\n单位 unit: 万元"
    assert ws.column_dimensions["B"].width == 36 and ws["B6"].alignment.wrap_text
    assert ws.row_dimensions[3].height >= 18


def test_defined_names_are_names_excel_accepts() -> None:
    from ecopark.io.template import _valid_name

    assert [_valid_name(n) for n in ("park_name", "region_class", "AB1", "r1c1", "R", "1st")] == \
        [True, True, False, False, False, False]


def test_unit_spellings() -> None:
    assert [unit_display(u) for u in ("t", "万m3", "km2", "tce", "%", "次", "1")] == \
        ["吨", "万立方米", "平方公里", "吨标准煤", "%", "次", ""]
    assert unit_choices("t") == ["吨", "t", "万吨", "千克"]
    assert unit_choices("家") == ["家"]


def test_a_template_for_another_framework(tmp_path: Path) -> None:
    tiny = load_framework(TINY / "framework.yaml")
    path = tmp_path / "tiny.xlsx"
    write_template(tiny, [2021], path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["说明", "园区信息", "基础数据", "报告值"]
    assert book.defined_names["climate"].attr_text == "'园区信息'!$B$8"
    assert _validations(book["园区信息"])["B8"] == ("list", '"干旱区,湿润区"', "stop")
    assert [c.value for c in book["基础数据"][2]] == ["标识", "数据项", "Item", "单位", 2021, "来源", "备注"]


def test_an_empty_template_asks_to_be_filled_in(template: Path) -> None:
    with pytest.raises(WorkbookProblems) as caught:
        read_workbook(template)
    places = [(p.sheet, p.cell, p.problem) for p in caught.value.problems]
    assert places == [("园区信息", "B3", "未填写园区名称 Park name not filled in"),
                      ("园区信息", "B5", "未填写规划基准年 Planning base year not filled in")]


def test_years_must_be_years(tmp_path: Path, hj274: Framework) -> None:
    with pytest.raises(InputFileError, match="年份应为"):
        write_template(hj274, [], tmp_path / "x.xlsx")
    with pytest.raises(InputFileError, match="1900 to 2200"):
        write_template(hj274, [18], tmp_path / "x.xlsx")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_it_to_pdf(template: Path, tmp_path: Path) -> None:
    profile = (tmp_path / "lo-profile").as_uri()
    env = {**os.environ, "HOME": str(tmp_path)}
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(template)],
                   check=True, timeout=120, capture_output=True, env=env)
    pdf = tmp_path / "template.pdf"
    assert pdf.is_file() and pdf.stat().st_size > 10_000
    assert pdf.read_bytes().startswith(b"%PDF")
