"""Data entry for the zero-carbon framework by workbook (issue 8, part 5): the template gains
the sheets this framework needs (设置, 申报条件, 豁免, 核算-*), lists only the items a park fills
in (never a computed one, an item shared with HJ 274-2015 once), and import reads them back to
the same assessment as the YAML worked case."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped, unused-ignore]
import pytest
from typer.testing import CliRunner

from ecopark import evaluate, load_framework
from ecopark.cli import app
from ecopark.core.errors import WorkbookProblems
from ecopark.io.workbook import read_workbook, read_workbook_spec, write_template

FRAMEWORK = "zero-carbon-park-2025"
INVENTORY_SHEETS = ["核算-电力", "核算-热力", "核算-燃料", "核算-加工转换", "核算-工业过程"]


def _named(wb: Any, name: str) -> Any:
    sheet, ref = next(iter(wb.defined_names[name].destinations))
    return wb[sheet][ref.replace("$", "")]


def _row_of(ws: Any, column: int, value: Any) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=column).value == value)


def _put_item(ws: Any, key: str, values: dict[int, Any]) -> None:
    row = _row_of(ws, 1, key)
    years = {ws.cell(row=2, column=c).value: c for c in range(1, ws.max_column + 1)}
    for year, value in values.items():
        ws.cell(row=row, column=years[year], value=value)


def _put_rows(ws: Any, rows: list[list[Any]], first: int = 3) -> None:
    for number, values in enumerate(rows, first):
        for column, value in enumerate(values, 1):
            ws.cell(row=number, column=column, value=value)


def _template(tmp_path: Path, also: tuple[str, ...] = ("hj274-2015",)) -> Path:
    path = tmp_path / "zero.xlsx"
    write_template(load_framework(FRAMEWORK), [2025, 2027], path,
                   [load_framework(name) for name in also])
    return path


def fill_worked_case(path: Path) -> None:
    """The spec's worked case typed into the template (invented figures)."""
    wb = openpyxl.load_workbook(path)
    _named(wb, "park_name").value = "算例园区"
    _named(wb, "base_year").value = 2025
    _named(wb, "park_scope").value = "园中园（边界清晰的区域）"
    data = wb["基础数据"]
    _put_item(data, "energy_consumption_ev", {2025: 520000, 2027: "600,000"})
    _put_item(data, "swaste_generated", {2027: 120000})
    _put_item(data, "swaste_utilized", {2027: 102000})
    gates = wb["申报条件"]
    for row in range(3, 7):
        gates.cell(row=row, column=4, value="是")
        gates.cell(row=row, column=5, value="批复文件")
    exemptions = wb["豁免"]
    row = _row_of(exemptions, 2, 5)
    exemptions.cell(row=row, column=4, value="是")
    exemptions.cell(row=row, column=5, value="无余热源")
    settings = wb["设置"]
    row = _row_of(settings, 2, "band_edge_100")
    settings.cell(row=row, column=4, value="归入 20–100万 档（限值 0.2）")
    settings.cell(row=row, column=7, value="按省里的口径")
    _put_rows(wb["核算-电力"], [
        [2027, "电网电力（非绿电）", "受入", 50000, "MWh", "电网结算"],
        [2027, "direct_nonfossil", None, "300000 MWh"],
        [2027, "green_certified", "received", 50000000, "kWh"]])
    _put_rows(wb["核算-热力"], [[2027, "化石能源热力", "受入", 200000, "GJ"]])
    _put_rows(wb["核算-燃料"], [[2027, "天然气", "终端消费（不含用作原料、材料）", 2000, "万m3", 2,
                                 "kg/m3", "实测"]])
    wb.save(path)


# ------------------------------------------------------------------------ the template


def test_the_template_has_the_sheets_this_framework_needs(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(_template(tmp_path))
    assert book.sheetnames == ["说明", "园区信息", "基础数据", "设置", "申报条件", "豁免",
                               *INVENTORY_SHEETS, "园区企业产品单位能耗（对照能耗限额标准 2 级）",
                               "报告值"]
    assert [c.value for c in book["核算-电力"][2]] == ["年份", "电力类别", "方向", "电量", "单位",
                                                      "来源", "备注"]
    assert [c.value for c in book["申报条件"][3]][:4] == [FRAMEWORK, "development_zone",
                                                         "省级及以上开发区，或经省级以上批准设立的新建工业园区",
                                                         None]
    exemptible = [book["豁免"].cell(row=r, column=2).value for r in range(3, 8)]
    assert exemptible == [2, 3, 4, 5, 6]


def test_computed_items_are_not_rows_and_shared_items_are_one_row(tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(_template(tmp_path))["基础数据"]
    keys = [ws.cell(row=r, column=1).value for r in range(3, ws.max_row + 1)]
    assert "co2_park" not in keys and "direct_green_share" not in keys
    assert keys[:7] == ["energy_consumption_ev", "waste_heat_recoverable", "waste_heat_recovered",
                        "waste_cold_recoverable", "waste_cold_recovered",
                        "waste_pressure_recoverable", "waste_pressure_recovered"]
    assert keys.count("swaste_utilized") == 1 and keys.count("fresh_water") == 1
    assert "iva" in keys  # HJ 274-2015's own items follow


def test_guidance_indicators_are_not_offered_as_optional(tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(_template(tmp_path))["园区信息"]
    texts = [c.value for row in ws.iter_rows() for c in row if c.value]
    assert "是否为考核指标" not in texts
    assert _named(openpyxl.load_workbook(_template(tmp_path)), "also_frameworks").value == \
        "hj274-2015"


def test_dropdowns_offer_the_method_vocabulary(tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(_template(tmp_path))["核算-电力"]
    rules = {str(v.sqref): v.formula1 for v in ws.data_validations.dataValidation}
    assert rules["B3:B202"].startswith('"电网电力（非绿电）,')
    assert rules["C3:C202"] == '"受入,送出"'


def test_hj274_template_has_none_of_these_sheets(tmp_path: Path) -> None:
    path = tmp_path / "hj.xlsx"
    write_template(load_framework("hj274-2015"), [2018], path)
    names = openpyxl.load_workbook(path).sheetnames
    assert not {"设置", "申报条件", "豁免", *INVENTORY_SHEETS} & set(names)


# ------------------------------------------------------------------------ import


def test_the_worked_case_round_trips_through_the_workbook(tmp_path: Path) -> None:
    path = _template(tmp_path)
    fill_worked_case(path)
    spec = read_workbook_spec(path)
    assert spec.also_frameworks == ["hj274-2015"]
    assert spec.exemptions == {5: "无余热源"}
    assert spec.gates["development_zone"].evidence == "批复文件"
    assert spec.settings["band_edge_100"].model_dump() == {"value": "lower",
                                                           "note": "按省里的口径"}
    lines = spec.inventory[2027].electricity
    assert [(x.class_, x.direction, x.amount, x.unit, x.source) for x in lines] == [
        ("grid", "received", 50000, "MWh", "电网结算"),
        ("direct_nonfossil", "received", 300000, "MWh", ""),
        ("green_certified", "received", 50000000, "kWh", "")]
    fuel = spec.inventory[2027].fuels[0]
    assert (fuel.fuel, fuel.use, fuel.amount, fuel.unit) == ("natural_gas", "final_consumption",
                                                              2000, "万m3")
    assert fuel.factor is not None and (fuel.factor.value, fuel.factor.unit) == (2, "kg/m3")

    result = evaluate(load_framework(FRAMEWORK), read_workbook(path))
    core = result.result(1)
    assert core.value is not None and round(core.value, 4) == 0.1727  # 103 625 t / 600 000 tce
    assert core.status == "met"
    assert result.result(5).status == "exempted"


def test_import_writes_a_dataset_that_reads_back(tmp_path: Path) -> None:
    path = _template(tmp_path)
    fill_worked_case(path)
    out = tmp_path / "zero.yaml"
    result = CliRunner().invoke(app, ["import", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "      - {class: grid, amount: 50000, unit: MWh, source: 电网结算}" in text
    assert "      - {fuel: natural_gas, amount: 2000, unit: 万m3, factor: {value: 2, unit: " \
        "kg/m3, source: 实测}}" in text
    assessed = CliRunner().invoke(app, ["assess", str(out), "--json"])
    assert assessed.exit_code == 0, assessed.output
    core = json.loads(assessed.output)["indicators"][0]
    assert (core["number"], core["value"], core["status"]) == (1, 0.172708333333, "met")


# ------------------------------------------------------------------------ bad input


def _problems(path: Path) -> list[tuple[str, str, str]]:
    with pytest.raises(WorkbookProblems) as caught:
        read_workbook_spec(path)
    return [(p.sheet, p.cell, p.problem) for p in caught.value.problems]


def test_every_mistake_in_the_new_sheets_is_named_at_its_cell(tmp_path: Path) -> None:
    path = _template(tmp_path)
    fill_worked_case(path)
    wb = openpyxl.load_workbook(path)
    _put_rows(wb["核算-电力"], [[2027, "核电直供", None, 10, "MWh"]], first=6)
    _put_rows(wb["核算-热力"], [[2027, "fossil", None, 5, "GJ", 0.1]], first=4)
    _put_rows(wb["核算-燃料"], [[2027, "natural_gas", None, "10 万m3", "m3"]], first=4)
    wb["设置"].cell(row=_row_of(wb["设置"], 2, "band_year"), column=4, value="明年")
    _named(wb, "also_frameworks").value = "hj274-2015, green-park"
    wb.save(path)
    found = _problems(path)
    assert ("园区信息", "B7", "未知指标体系 unknown framework “green-park”") in found
    assert ("核算-电力", "B6", "“核电直供” 不是可选值 not an allowed value") in found
    assert ("核算-热力", "G4", "factor.unit 未填写 not filled in") in found
    assert ("核算-热力", "H4", "factor.source 未填写 not filled in") in found
    assert ("核算-燃料", "D4", "数值后的单位 “万m3” 与单位列 “m3” 不一致 the unit after the number "
            "differs from the unit column") in found
    assert ("设置", f"D{_row_of(wb['设置'], 2, 'band_year')}",
            "“明年” 不是可选值 not an allowed value") in found


def test_an_exemption_without_reason_and_a_gate_without_evidence(tmp_path: Path) -> None:
    path = _template(tmp_path)
    fill_worked_case(path)
    wb = openpyxl.load_workbook(path)
    exemptions = wb["豁免"]
    exemptions.cell(row=_row_of(exemptions, 2, 5), column=5).value = None
    wb.save(path)
    row = _row_of(exemptions, 2, 5)
    assert _problems(path) == [("豁免", f"E{row}", "豁免须说明理由 an exemption needs a reason")]
    wb = openpyxl.load_workbook(path)
    exemptions = wb["豁免"]
    exemptions.cell(row=row, column=5, value="无余热源")
    wb["申报条件"]["E3"] = None
    wb.save(path)
    assert _problems(path) == [("申报条件", "E3", "满足的条件须有证明材料 a gate met needs its "
                                "evidence")]


def test_an_unknown_electricity_class_in_a_line_is_refused_not_zero(tmp_path: Path) -> None:
    path = _template(tmp_path)
    fill_worked_case(path)
    wb = openpyxl.load_workbook(path)
    _put_rows(wb["核算-工业过程"], [[2027, "甲公司", "稀土冶炼", 100, "t"]])
    wb.save(path)
    found = _problems(path)
    assert len(found) == 1 and found[0][:2] == ("核算-工业过程", "C3")
    assert "稀土冶炼" in found[0][2]


def test_libreoffice_opens_the_zero_carbon_template(tmp_path: Path) -> None:
    path = _template(tmp_path)
    env = {**os.environ, "HOME": str(tmp_path)}
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, timeout=120, capture_output=True, env=env)
    pdf = tmp_path / "zero.pdf"
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000


def test_the_workbook_is_assessed_under_every_framework_it_names(tmp_path: Path) -> None:
    path = _template(tmp_path)
    fill_worked_case(path)
    hj274 = load_framework("hj274-2015")
    assessed = evaluate(hj274, read_workbook(path, hj274))  # a zero-carbon workbook, under HJ 274
    assert assessed.result(6).missing == ("swaste_stock_utilized", 2027)  # HJ 274 wants it too
    result = CliRunner().invoke(app, ["assess", str(path), "--framework", "all", "--json"])
    assert result.exit_code == 0, result.output
    assert [f["framework"] for f in json.loads(result.output)["frameworks"]] == [
        FRAMEWORK, "hj274-2015"]
    other = tmp_path / "other.xlsx"
    write_template(load_framework(FRAMEWORK), [2027], other)  # names no other framework
    with pytest.raises(WorkbookProblems) as caught:
        read_workbook(other, load_framework("hj274-2015"))
    assert caught.value.problems[0].cell == "B4"
