"""Build the committed workbook fixtures in tests/data/workbooks/.

    .venv/bin/python tests/data/make_workbooks.py

tiny-park.xlsx      the template (HJ 274-2015, years 2015 and 2018) filled for a small invented
                    park whose indicators are checked by hand in tests/io/test_workbook.py
messy.xlsx          written by hand the way park offices do: no defined names, header not in
                    row 1, loose header and sheet names, full-width digits, text numbers with
                    thousands separators, units inside cells, merged unit/source cells, a
                    percentage-formatted cell and a formula with its cached value
uncalculated.xlsx   the tiny park with two formulas that were never calculated (as a script
                    writes them): import must refuse and name both cells
bad.xlsx            the template with mistakes in five sheets: import must list them all

openpyxl cannot store a formula's cached value, so `_cache` writes it into the sheet XML
afterwards (as Excel/WPS would on saving). Timestamps are fixed so a rebuild is byte-stable.
"""

from __future__ import annotations

import datetime
import re
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped, unused-ignore]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped, unused-ignore]

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from ecopark.core.framework.loading import load_framework  # noqa: E402
from ecopark.io.template import write_template  # noqa: E402

OUT = Path(__file__).resolve().parent / "workbooks"
FIXED = datetime.datetime(2024, 3, 1, 9, 0, 0)
ZIP_TIME = (2024, 3, 1, 9, 0, 0)


# ------------------------------------------------------------------------ helpers


def _template(years: list[int]) -> Any:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "template.xlsx"
        write_template(load_framework("hj274-2015"), years, path)
        return openpyxl.load_workbook(path)


def named(wb: Any, name: str) -> Any:
    """The cell a workbook defined name points to."""
    sheet, ref = next(iter(wb.defined_names[name].destinations))
    return wb[sheet][ref.replace("$", "")]


def item_row(ws: Any, key: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == key)


def year_column(ws: Any, year: int) -> int:
    return next(c for c in range(1, ws.max_column + 1) if ws.cell(row=2, column=c).value == year)


def put(ws: Any, key: str, values: dict[int, Any], unit: str | None = None) -> None:
    row = item_row(ws, key)
    if unit is not None:
        ws.cell(row=row, column=4, value=unit)
    for year, value in values.items():
        ws.cell(row=row, column=year_column(ws, year), value=value)


def select(ws: Any, choices: dict[int, str]) -> None:
    """Fill 是否为考核指标 in the optional-indicator table of 园区信息."""
    for row in range(1, ws.max_row + 1):
        number = ws.cell(row=row, column=1).value
        if isinstance(number, int) and number in choices:
            ws.cell(row=row, column=3, value=choices[number])


def table(ws: Any, rows: list[tuple[Any, ...]], first: int = 3) -> None:
    for row, values in enumerate(rows, first):
        for column, value in enumerate(values, 1):
            if value is not None:
                ws.cell(row=row, column=column, value=value)


def report(ws: Any, values: dict[int, str]) -> None:
    for row in range(3, ws.max_row + 1):
        number = ws.cell(row=row, column=1).value
        if number in values:
            ws.cell(row=row, column=4, value=values[number])


def _save(wb: Any, name: str, cached: dict[tuple[str, str], str] | None = None) -> Path:
    wb.properties.created = wb.properties.modified = FIXED
    wb.properties.lastModifiedBy = "ecopark tests"
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / name
        wb.save(raw)
        parts = {title: f"xl/worksheets/sheet{i}.xml" for i, title in enumerate(wb.sheetnames, 1)}
        return _normalise(raw, OUT / name, cached or {}, parts)


def _normalise(raw: Path, target: Path, cached: dict[tuple[str, str], str],
               parts: dict[str, str]) -> Path:
    """Fixed zip timestamps and core properties; cached formula values written in."""
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            for (sheet, ref), value in cached.items():
                if parts[sheet] == info.filename:
                    data = _cache(data, ref, value)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2024-03-01T09:00:00Z", data)
            out.writestr(zipfile.ZipInfo(info.filename, ZIP_TIME), data, zipfile.ZIP_DEFLATED)
    return target


def _cache(xml: bytes, ref: str, value: str) -> bytes:
    pattern = re.compile(rb'(<c r="' + ref.encode() + rb'"[^>]*><f>[^<]*</f>)<v\s*/?>(</v>)?')
    patched, count = pattern.subn(rb"\1<v>" + value.encode() + rb"</v>", xml)
    if count != 1:
        raise SystemExit(f"formula cell {ref} not found")
    return patched


# ------------------------------------------------------------------------ the fixtures


def tiny_park() -> Any:
    """A small park, every number chosen so the indicators are checked by hand:
    IVA 40,000 → 53,240 万元 (+10 %/year over 2015–2018), 2,662 employees (20.00 万元/人),
    energy 20,000 → 21,854.54 tce (+3 %/year: elasticity 0.30), fresh water 100 → 110 万m³."""
    wb = _template([2015, 2018])
    named(wb, "park_name").value = "示例生态工业园"
    named(wb, "base_year").value = 2015
    named(wb, "region_class").value = "其他地区"
    select(wb["园区信息"], {2: "是", 11: "是", 8: "否"})
    data = wb["基础数据"]
    put(data, "iva", {2015: 40000, 2018: 53240})
    put(data, "employees", {2018: 2662})
    put(data, "energy", {2015: 20000, 2018: 21854.54})
    put(data, "fresh_water", {2015: 100, 2018: 110})
    put(data, "key_source_compliance", {2018: "达标"})
    put(data, "wastewater_facility", {2018: "具备"})
    put(data, "major_incidents", {2018: 0})
    put(data, "publicity_events", {2018: 3})
    put(data, "green_coverage_rate", {2018: 20.5})
    put(data, "recycling_industry_va", {2018: "/"})
    table(wb["清单"], [("环境管理能力完善度", 2018, "环境管理机构", "是", "园区管委会文件"),
                       ("环境管理能力完善度", 2018, "环境监测站", "否", "")])
    table(wb["生态工业链项目"], [("热电联产余热利用", "甲热电厂、乙化工", "蒸汽", 2016),
                              ("废酸再生", "丙钢铁、丁化学", "废硫酸", 2017)])
    report(wb["报告值"], {2: "20.00", 11: "0.410"})
    return wb


def messy() -> Any:
    wb = openpyxl.Workbook()
    park = wb.active
    park.title = "园区 信息"
    park["A1"] = "园区基本情况"
    park.merge_cells("A1:C1")
    for row, (label, value) in enumerate([("园区名称：", "示例园区（手工表）"), ("规划 基准年", "２０１５"),
                                          ("评价年份", "2018年"), ("区域类别", "other")], 2):
        park.cell(row=row, column=1, value=label)
        park.cell(row=row, column=2, value=value)
    data = wb.create_sheet("基础数据（填报）")
    data["A1"] = "2018 年度基础数据"
    data.merge_cells("A1:F1")
    header = ["序号", "数据项\n名称", "单\u3000位", "２０１５年", " 2018 ", "数据来源"]
    for column, label in enumerate(header, 1):
        data.cell(row=3, column=column, value=label)
    table(data, [
        (1, "工业增加值", "万元", 40000, "53,240", "统计局年报"),
        (2, "年末从业人口", "人", None, "２６６２", None),
        (3, "综合能耗总量", "吨标准煤", 20000, "=D6*1.03^3", None),
        (4, "新鲜水资源消耗量", "万立方米", 100, 110, "水务局"),
        (5, "工业重复用水量", None, "/", "3163000 立方米", "水务局"),
        (6, "绿化覆盖率", "%", None, "20.5%", None),
        (7, "重点企业环境信息公开率（直接填报）", "%", None, 1, None),
        (8, "COD排放量", "t", "—", "-", None),
        (9, "工业园区重点污染源稳定排放达标情况", None, None, "达标", None),
    ], first=4)
    data.merge_cells("F4:F6")  # one source for three rows
    data.merge_cells("C7:C8")  # one unit for two rows
    data["E10"].number_format = "0%"
    return wb


def uncalculated() -> Any:
    wb = tiny_park()
    data = wb["基础数据"]
    row, column = item_row(data, "iva"), year_column(data, 2018)
    data.cell(row=row, column=column, value=f"={get_column_letter(column - 1)}{row}*1.331")
    data.cell(row=item_row(data, "employees"), column=column, value="=ROUND(53240/20,0)")
    return wb


def bad() -> Any:
    wb = tiny_park()
    named(wb, "base_year").value = "二〇一五"
    named(wb, "region_class").value = "西部地区"
    select(wb["园区信息"], {6: "也许"})
    data = wb["基础数据"]
    put(data, "iva", {2018: "五万"})
    put(data, "employees", {2018: 2662}, unit="个人")
    put(data, "energy", {2018: -5})
    put(data, "fresh_water", {2018: "110 万元"})
    put(data, "key_source_compliance", {2018: "合格"})
    extra = data.max_row + 1
    data.cell(row=extra, column=2, value="工业增价值")
    data.cell(row=extra, column=year_column(data, 2018), value=1)
    checklist = wb["清单"]
    checklist["A5"], checklist["B5"], checklist["C5"], checklist["D5"] = "环境管理", 2018, "应急预案", "可能"
    wb["生态工业链项目"]["D4"] = "明年"
    reported = wb["报告值"]
    reported.cell(row=reported.max_row + 1, column=1, value=99)
    reported.cell(row=reported.max_row, column=4, value="1.00")
    return wb


def main() -> None:
    OUT.mkdir(exist_ok=True)
    _save(tiny_park(), "tiny-park.xlsx")
    _save(messy(), "messy.xlsx", {("基础数据（填报）", "E6"): "21854.54"})
    _save(uncalculated(), "uncalculated.xlsx")
    _save(bad(), "bad.xlsx")
    for path in sorted(OUT.glob("*.xlsx")):
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
