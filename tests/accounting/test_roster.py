"""The roster reader: xlsx and csv read alike, by header names; bad input reported at once with
sheet and cell; the template reads back."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from ecopark.accounting.coefficients import Library
from ecopark.core.errors import InputFileError, WorkbookProblems
from ecopark.io.roster import read_roster
from ecopark.io.roster_template import write_roster_template

from .conftest import BAD_CSV, BAD_XLSX, ROSTER_CSV, ROSTER_XLSX


def test_csv_and_xlsx_read_the_same(library: Library) -> None:
    csv, xlsx = read_roster(ROSTER_CSV, library), read_roster(ROSTER_XLSX, library)
    assert len(csv.records) == len(xlsx.records) == 18
    for a, b in zip(csv.records, xlsx.records, strict=True):
        assert (a.year, a.name, a.code, a.carriers) == (b.year, b.name, b.code, b.carriers)
        assert a.values == b.values
    assert xlsx.sheet == "企业数据" and csv.sheet == "CSV"


def test_values_are_typed_and_in_field_units(library: Library) -> None:
    roster = read_roster(ROSTER_CSV, library)
    jia = next(r for r in roster.records if r.code == "91320412MA1AB0001C" and r.year == 2018)
    assert jia.values["key_enterprise"] is True and jia.values["audit_year"] == 2016
    assert jia.values["hightech_from"] == datetime.date(2017, 11, 17)
    assert jia.carriers == {"natural_gas": 1_000_000, "diesel": 20, "electricity": 20_000_000,
                            "heat": 5000}
    assert "raw_coal" not in jia.carriers  # a blank cell is not reported, never 0


def test_unknown_columns_without_a_unit_are_ignored_and_listed(library: Library) -> None:
    assert read_roster(ROSTER_CSV, library).ignored == ["AI1 联系人"]


@pytest.mark.parametrize(("path", "sheet"), [(BAD_CSV, "CSV"), (BAD_XLSX, "企业数据")])
def test_every_problem_at_once_with_sheet_and_cell(library: Library, path: Path, sheet: str) -> None:
    with pytest.raises(WorkbookProblems) as caught:
        read_roster(path, library)
    found = {p.cell: p.problem for p in caught.value.problems}
    assert {p.sheet for p in caught.value.problems} == {sheet}
    assert "桶" in found["G1"]                          # unknown unit
    assert "未知的列或能源品种" in found["F1"]            # unknown carrier
    assert "不能为负" in found["D3"]                     # negative consumption
    assert "校验位应为 C" in found["C4"]                 # malformed credit code
    assert "缺少年份" in found["A5"]                     # a row without a year
    assert len(found) == 5


def test_unit_in_the_header_is_converted(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("年份,企业名称,统一社会信用代码,天然气（万立方米）,外购电力（万千瓦时）,新鲜水用量（万立方米）\n"
                    "2018,甲,91320412MA1AB0001C,1.5,20,3\n", encoding="utf-8")
    record = read_roster(path, library).records[0]
    assert record.carriers == {"natural_gas": 15000.0, "electricity": 200000.0}
    assert record.values["fresh_water"] == 30000.0


def test_unit_in_a_cell_is_converted(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("年份,企业名称,统一社会信用代码,工业总产值（万元）\n2018,甲,91320412MA1AB0001C,3亿元\n",
                    encoding="utf-8")
    assert read_roster(path, library).records[0].values["gross_output"] == 30000.0


def test_a_coal_equivalent_is_not_an_amount(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("年份,企业名称,统一社会信用代码,外购电力（吨标准煤）\n2018,甲,91320412MA1AB0001C,10\n",
                    encoding="utf-8")
    with pytest.raises(WorkbookProblems, match="折标量"):
        read_roster(path, library)


def test_key_polluter_must_state_disclosure(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("年份,企业名称,统一社会信用代码,重点排污单位,环境信息已公开\n"
                    "2018,甲,91320412MA1AB0001C,是,\n", encoding="utf-8")
    with pytest.raises(WorkbookProblems) as caught:
        read_roster(path, library)
    assert caught.value.problems[0].cell == "E2"


def test_gbk_csv_is_read(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes("年份,企业名称,统一社会信用代码\n2018,甲公司,91320412MA1AB0001C\n".encode("gb18030"))
    assert read_roster(path, library).records[0].name == "甲公司"


def test_missing_header_is_one_problem(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("年度份,企业名,代码\n2018,甲,x\n", encoding="utf-8")
    with pytest.raises(WorkbookProblems, match="表头"):
        read_roster(path, library)


def test_unsupported_format(library: Library, tmp_path: Path) -> None:
    with pytest.raises(InputFileError):
        read_roster(tmp_path / "r.ods", library)


def test_template_has_the_sheet_and_reads_back_empty(library: Library, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = write_roster_template(tmp_path / "template.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["企业数据", "企业数据说明"]
    header = [c.value for c in book["企业数据"][1]]
    assert header[:3] == ["年份", "企业名称", "统一社会信用代码"] and "天然气（立方米）" in header
    assert read_roster(path, library).records == []


def test_filled_template_reads(library: Library, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = write_roster_template(tmp_path / "template.xlsx")
    book = load_workbook(path)
    sheet = book["企业数据"]
    header = [c.value for c in sheet[1]]
    row = dict.fromkeys(header)
    row.update({"年份": 2018, "企业名称": "甲", "统一社会信用代码": "91320412MA1AB0001C",
                "外购电力（千瓦时）": 1000, "重点企业": "是"})
    sheet.append([row[h] for h in header])
    book.save(path)
    record = read_roster(path, library).records[0]
    assert record.carriers == {"electricity": 1000} and record.values["key_enterprise"] is True
