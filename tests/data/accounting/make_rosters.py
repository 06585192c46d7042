"""Rebuild the roster fixtures of tests/accounting from the tables below.

    roster-10.csv / roster-10.xlsx   10 enterprises × 2 years (2012, 2018); 8 exist in 2012
    roster-bad.csv / roster-bad.xlsx  one problem per row or header (see BAD)
    roster-zc.csv                     3 enterprises × 2 years (2021, 2022), every kind of
                                      inventory line of the zero-carbon roll-up (see ZC)
    roster-dup.csv / roster-dup.xlsx  3 enterprises in 2018, 甲 entered twice (rows 2 and 4,
                                      see DUP): the roll-up stops unless --keep-row settles it

Run: .venv/bin/python tests/data/accounting/make_rosters.py
The credit codes are made up (prefix 91320412MA1AB + a serial) with check characters computed by
ecopark.accounting.creditcode; they belong to no real company.
"""

from __future__ import annotations

import csv
from pathlib import Path

HERE = Path(__file__).resolve().parent

HEADER = [
    "年份", "企业名称", "统一社会信用代码", "行业代码", "重点企业", "重点排污单位",
    "高新技术企业证书编号", "证书有效期起", "证书有效期止", "清洁生产审核完成年份", "环境信息已公开",
    "工业总产值（万元）", "工业增加值（万元）", "年末从业人员（人）", "用地面积（平方米）",
    "新鲜水用量（立方米）", "重复用水量（立方米）", "废水排放量（吨）", "COD排放量（吨）",
    "氨氮排放量（吨）", "二氧化硫排放量（吨）", "氮氧化物排放量（吨）",
    "一般工业固体废物产生量（吨）", "一般工业固体废物综合利用量（吨）", "一般工业固体废物处置量（吨）",
    "原煤（吨）", "天然气（立方米）", "柴油（吨）", "外购电力（千瓦时）", "外购绿色电力（千瓦时）",
    "自发自用可再生电力（千瓦时）", "外购热力（吉焦）", "外供电力（千瓦时）",
    "企业填报二氧化碳排放量（吨）", "联系人",
]

CODES = {
    "甲": "91320412MA1AB0001C", "乙": "91320412MA1AB0002F", "丙": "91320412MA1AB0003J",
    "丁": "91320412MA1AB0004M", "戊": "91320412MA1AB0005Q", "己": "91320412MA1AB0006U",
    "庚": "91320412MA1AB0007Y", "辛": "91320412MA1AB00082", "壬": "91320412MA1AB00095",
    "癸": "91320412MA1AB0010A",
}
NAMES = {
    "甲": "常州甲化工有限公司", "乙": "常州乙机械有限公司", "丙": "常州丙电子有限公司",
    "丁": "常州丁纺织有限公司", "戊": "常州戊新材料有限公司", "己": "常州己食品有限公司",
    "庚": "常州庚金属制品有限公司", "辛": "常州辛医药有限公司", "壬": "常州壬环保科技有限公司",
    "癸": "常州癸热电有限公司",
}
# key, industry, 重点企业, 重点排污单位, certificate, valid from, valid to, audit year
FACTS = {
    "甲": ("C2614", "是", "是", "GR201732000001", "2017-11-17", "2020-11-16", 2016),
    "乙": ("C3442", "否", "否", "GR201232000002", "2012-10-01", "2015-09-30", None),
    "丙": ("C3982", "是", "否", "GR201832000003", "2018-11-30", "2021-11-29", 2018),
    "丁": ("C1713", "是", "是", None, None, None, 2012),
    "戊": ("C2929", "否", "否", "GR201532000005", "2015-10-10", "2018-10-09", None),
    "己": ("C1491", "否", "否", None, None, None, None),
    "庚": ("C3311", "否", "是", None, None, None, None),
    "辛": ("C2720", "是", "否", "GR201632000008", "2016-11-30", "2019-11-29", 2014),
    "壬": ("C4220", "否", "否", None, None, None, None),
    "癸": ("D4411", "是", "是", None, None, None, 2017),
}
# 2018: disclosed, output, value added, employees, land m², fresh m³, reuse m³, wastewater t,
#       COD, NH3-N, SO2, NOx, waste generated, utilized, disposed,
#       coal t, gas m³, diesel t, power kWh, green kWh, PV kWh, heat GJ, power out kWh, stated CO2
Y2018 = {
    "甲": ("是", 50000, 12000, 400, 80000, 200000, 800000, 150000, 12, 1.0, 3, 8, 2000, 1900, 100,
          None, 1000000, 20, 20000000, None, None, 5000, None, 31000),
    "乙": ("", 30000, 8000, 300, 50000, 50000, 100000, 40000, 2, 0.2, None, None, 500, 480, 20,
          None, None, 10, 8000000, None, 500000, None, None, None),
    "丙": ("", 40000, 10000, 350, 40000, 30000, 120000, 20000, 1, 0.1, None, None, 300, 300, 0,
          None, None, None, 12000000, 2000000, 1000000, None, None, None),
    "丁": ("否", 20000, 4000, 500, 60000, 150000, 300000, 120000, 15, 1.5, None, 2, 800, 700, 100,
          None, 300000, None, 6000000, None, None, 3000, None, None),
    "戊": ("", 25000, 6000, 200, 30000, 20000, 60000, 15000, 1, 0.1, None, None, 200, 150, 50,
          None, None, None, 5000000, None, 400000, None, None, None),
    "己": ("", 10000, 2500, 150, 20000, 40000, 20000, 35000, 3, 0.3, None, None, 150, 150, 0,
          None, 200000, None, 2000000, None, None, None, None, None),
    "庚": ("是", 15000, 3000, 180, 25000, 10000, 40000, 8000, 1, 0.1, 1, 2, 400, 380, 20,
          None, None, 5, 4000000, None, None, None, None, None),
    "辛": ("", 35000, 9000, 260, 35000, 60000, 150000, 50000, 4, 0.4, None, None, 250, 200, 50,
          None, 500000, None, 9000000, None, None, 2000, None, None),
    "壬": ("", 5000, 1500, 60, 10000, 5000, 10000, 4000, 0.5, 0.05, None, None, 50, 50, 0,
          None, None, 2, 1000000, None, None, None, None, None),
    "癸": ("是", 60000, 15000, 120, 100000, 300000, 2000000, 100000, 6, 0.6, 20, 30, 30000, 29000,
          1000, 100000, None, None, 1000000, None, None, None, 50000000, None),
}
Y2012 = {
    "甲": ("是", 30000, 7000, 380, 80000, 220000, 500000, 160000, 20, 2.0, 6, 12, 2500, 2300, 200,
          None, 900000, 20, 15000000, None, None, 4000, None, None),
    "乙": ("", 20000, 5000, 320, 50000, 60000, 60000, 45000, 3, 0.3, None, None, 600, 550, 50,
          None, None, 12, 6000000, None, None, None, None, None),
    "丁": ("否", 18000, 3500, 600, 60000, 180000, 200000, 140000, 25, 2.5, None, 3, 900, 800, 100,
          None, 300000, None, 5000000, None, None, 2500, None, None),
    "己": ("", 8000, 2000, 160, 20000, 45000, 10000, 38000, 4, 0.4, None, None, 160, 150, 10,
          None, 150000, None, 1500000, None, None, None, None, None),
    "庚": ("否", 10000, 2000, 170, 25000, 12000, 20000, 9000, 2, 0.2, 2, 3, 450, 400, 50,
          None, None, 6, 3000000, None, None, None, None, None),
    "辛": ("", 20000, 5000, 240, 35000, 70000, 80000, 55000, 6, 0.6, None, None, 300, 250, 50,
          None, 400000, None, 7000000, None, None, 1500, None, None),
    "壬": ("", 3000, 800, 50, 10000, 6000, 5000, 5000, 1, 0.1, None, None, 60, 60, 0,
          None, None, 2, 800000, None, None, None, None, None),
    "癸": ("是", 40000, 10000, 130, 100000, 320000, 1500000, 110000, 8, 0.8, 30, 40, 32000, 30000,
          2000, 90000, None, None, 1000000, None, None, None, 40000000, None),
}


def _row(year: int, key: str, data: tuple[object, ...]) -> list[object]:
    industry, key_ent, key_pol, cert, start, end, audit = FACTS[key]
    disclosed, *amounts = data
    return [year, NAMES[key], CODES[key], industry, key_ent, key_pol, cert or "", start or "",
            end or "", audit or "", disclosed, *("" if a is None else a for a in amounts), ""]


def roster_rows() -> list[list[object]]:
    rows = [_row(2012, key, data) for key, data in Y2012.items()]
    rows += [_row(2018, key, data) for key, data in Y2018.items()]
    return rows


# Each bad row has one problem (row number in the file = index + 2).
BAD_HEADER = ["年份", "企业名称", "统一社会信用代码", "天然气（立方米）", "外购电力（千瓦时）",
              "重油渣（吨）", "柴油（桶）"]
BAD = [
    [2018, "好企业", CODES["甲"], 1000, 5000, "", ""],
    [2018, "负数企业", CODES["乙"], -50, 5000, "", ""],  # negative consumption (D3)
    [2018, "代码错企业", "91320412MA1AB0001X", 10, 10, "", ""],  # wrong check character (C4)
    ["", "无年份企业", CODES["丙"], 10, 10, "", ""],  # no year (A5)
]


# 甲 on rows 2 and 4 (the same credit code, the name written twice); only 甲 reports power:
# 10 000 000 kWh × 0.1229 kgce/kWh = 1 229 tce, 1 of the 3 enterprises of 2018.
DUP_HEADER = ["年份", "企业名称", "统一社会信用代码", "工业增加值（万元）", "外购电力（千瓦时）"]
DUP = [
    [2018, NAMES["甲"], CODES["甲"], 12000, 10000000],
    [2018, NAMES["乙"], CODES["乙"], 8000, ""],
    [2018, "常州甲化工（重复录入）", CODES["甲"], 12000, 10000000],
    [2018, NAMES["丙"], CODES["丙"], 10000, ""],
]


# The zero-carbon roll-up (tests/zerocarbon/test_rollup.py): 甲 a chemical plant buying grid
# power, gas and steam (2021 without a steam state: default factor; 2022 at 2 800 kJ/kg), 癸 a
# coal-fired combined heat and power plant passing power and heat on, 丙 (2022 only) an
# electronics plant with green power, its own PV, purchased and renewable heat, and diesel.
ZC_HEADER = [
    "年份", "企业名称", "统一社会信用代码", "行业代码", "新鲜水用量（立方米）", "重复用水量（立方米）",
    "一般工业固体废物产生量（吨）", "一般工业固体废物综合利用量（吨）", "综合利用往年贮存量（吨）",
    "工业生产过程二氧化碳排放量（吨）", "蒸汽焓值（kJ/kg）", "原煤（吨）", "柴油（吨）",
    "天然气（立方米）", "外购电力（千瓦时）", "外购绿色电力（千瓦时）", "自发自用可再生电力（千瓦时）",
    "外供电力（千瓦时）", "外购热力（吉焦）", "外购蒸汽（吨）", "可再生热力（吉焦）", "外供热力（吉焦）",
]
# key, industry: fresh m³, reuse m³, waste generated t, utilized t, stored waste of past years
# utilized t, process CO2 t, steam
# enthalpy kJ/kg, coal t, diesel t, gas m³, power kWh, green kWh, own PV kWh, power out kWh,
# heat GJ, steam t, renewable heat GJ, heat out GJ
ZC = {
    2021: {
        "甲": ("C2614", 90000, 350000, 1800, 1700, 0, None, None, None, None, 1000000,
              10000000, None, None, None, None, 800, None, None),
        "癸": ("D4411", 280000, 1400000, 28000, 26000, 400, None, None, 45000, None, None,
              1000000, None, None, 6000000, None, None, None, 8000),
    },
    2022: {
        "甲": ("C2614", 100000, 400000, 2000, 1800, 0, 500, 2800, None, None, 1200000,
              12000000, None, None, None, None, 1000, None, None),
        "癸": ("D4411", 300000, 1500000, 30000, 28000, 500, None, None, 50000, None, None,
              1000000, None, None, 8000000, None, None, None, 10000),
        "丙": ("C3982", 50000, 100000, 300, 300, 0, None, None, None, 10, None, None, 5000000,
              2000000, None, 20000, None, 1000, None),
    },
}


def zc_rows() -> list[list[object]]:
    return [[year, NAMES[key], CODES[key], industry, *("" if a is None else a for a in amounts)]
            for year, rows in ZC.items() for key, (industry, *amounts) in rows.items()]


def _write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _write_xlsx(path: Path, header: list[str], rows: list[list[object]]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "企业数据"
    sheet.append(header)
    for row in rows:
        sheet.append([None if v == "" else v for v in row])
    book.save(path)


def main() -> None:
    _write_csv(HERE / "roster-10.csv", HEADER, roster_rows())
    _write_xlsx(HERE / "roster-10.xlsx", HEADER, roster_rows())
    _write_csv(HERE / "roster-bad.csv", BAD_HEADER, BAD)
    _write_xlsx(HERE / "roster-bad.xlsx", BAD_HEADER, BAD)
    _write_csv(HERE / "roster-zc.csv", ZC_HEADER, zc_rows())
    _write_csv(HERE / "roster-dup.csv", DUP_HEADER, DUP)
    _write_xlsx(HERE / "roster-dup.xlsx", DUP_HEADER, DUP)
    for name in ("roster-10.csv", "roster-10.xlsx", "roster-bad.csv", "roster-bad.xlsx",
                 "roster-zc.csv", "roster-dup.csv", "roster-dup.xlsx"):
        print(f"wrote {HERE / name}")


if __name__ == "__main__":
    main()
