"""The enterprise roster (企业名录): one row per enterprise and year, with its columns (`FIELDS`,
plus one amount column per energy carrier of the coefficient library).

A roster is read by `ecopark.io.roster.read_roster` (sheet 企业数据 of an xlsx workbook, or a CSV
file with the same columns, found by their header names); here are the columns and what the
reader returns. Blank cells are "not reported" (never 0); 是/否 flags left blank mean 否.
"""

from __future__ import annotations

import collections
import dataclasses
import re
from typing import Any

from ecopark.accounting.coefficients import Library
from ecopark.accounting.steam import SteamState

__all__ = ["FIELDS", "EnterpriseYear", "Field", "Roster", "all_fields", "unit_label"]


@dataclasses.dataclass(frozen=True)
class Field:
    """One roster column. kind: year | text | code | bool | date | int | number | carrier |
    celsius. `unit`: the unit values are held in (number, carrier)."""

    key: str
    name_zh: str
    name_en: str
    kind: str
    unit: str = ""
    aliases: tuple[str, ...] = ()
    required: bool = False
    help_zh: str = ""
    help_en: str = ""

    def names(self) -> tuple[str, ...]:
        """The header names the column is found by: zh, en, key, aliases."""
        return (self.name_zh, self.name_en, self.key, *self.aliases)

    def header(self) -> str:
        """The header the template writes: the zh name and, for amounts, the unit."""
        if self.kind in ("number", "carrier"):
            return f"{self.name_zh}（{unit_label(self.unit)}）"
        return self.name_zh + ("（℃）" if self.kind == "celsius" else "")


_UNIT_LABELS = {"m3": "立方米", "t": "吨", "m2": "平方米", "GJ": "吉焦", "kWh": "千瓦时",
                "tce": "吨标准煤", "MPa": "MPa", "kJ/kg": "kJ/kg", "万元": "万元", "人": "人"}


def unit_label(unit: str) -> str:
    """A unit as a header shows it (立方米 for m3)."""
    return _UNIT_LABELS.get(unit, unit)


def _f(key: str, zh: str, en: str, kind: str, unit: str = "", *aliases: str,
       required: bool = False, help_zh: str = "", help_en: str = "") -> Field:
    return Field(key, zh, en, kind, unit, aliases, required, help_zh, help_en)


FIELDS: tuple[Field, ...] = (
    _f("year", "年份", "year", "year", "", "年度", "统计年份", required=True,
       help_zh="数据所属年份（四位数字）", help_en="the year the row is about"),
    _f("name", "企业名称", "enterprise", "text", "", "单位名称", "企业", "name", "enterprise name",
       required=True),
    _f("credit_code", "统一社会信用代码", "credit code", "code", "", "社会信用代码", "信用代码",
       "uscc", "unified social credit code", required=True,
       help_zh="18 位，按 GB 32100-2015 校验", help_en="18 characters, checked (GB 32100-2015)"),
    _f("industry", "行业代码", "industry code", "text", "", "国民经济行业代码", "行业代码（GB/T 4754）",
       help_zh="GB/T 4754 行业代码，如 C2614 或 2614", help_en="GB/T 4754 code, e.g. C2614"),
    _f("key_enterprise", "重点企业", "key enterprise", "bool", "", "清洁生产审核重点企业",
       "是否重点企业", help_zh="应实施清洁生产审核的重点企业：是/否（空 = 否）",
       help_en="key enterprise required to audit: yes/no (blank = no)"),
    _f("key_polluter", "重点排污单位", "key pollutant discharger", "bool", "", "是否重点排污单位",
       help_zh="应公开环境信息的重点排污单位：是/否（空 = 否）",
       help_en="key pollutant discharger, must disclose: yes/no (blank = no)"),
    _f("hightech_cert", "高新技术企业证书编号", "high-tech certificate", "text", "",
       "高企证书编号", "高新技术企业证书号"),
    _f("hightech_from", "证书有效期起", "certificate valid from", "date", "", "发证日期"),
    _f("hightech_to", "证书有效期止", "certificate valid to", "date", "", "有效期至"),
    _f("audit_year", "清洁生产审核完成年份", "cleaner-production audit year", "int", "",
       "清洁生产审核年份"),
    _f("disclosed", "环境信息已公开", "environmental information disclosed", "bool", "",
       "是否公开环境信息", "环境信息公开"),
    _f("gross_output", "工业总产值", "gross industrial output", "number", "万元"),
    _f("value_added", "工业增加值", "industrial value added", "number", "万元"),
    _f("employees", "年末从业人员", "employees at year end", "number", "人", "从业人员",
       "年末从业人员数"),
    _f("land_area", "用地面积", "land area", "number", "m2", "工业用地面积", "占地面积"),
    _f("fresh_water", "新鲜水用量", "fresh water", "number", "m3", "新鲜水取水量", "新鲜水"),
    _f("water_reuse", "重复用水量", "reused water", "number", "m3", "重复利用水量"),
    _f("water_total", "用水总量", "total water use", "number", "m3", "工业用水总量"),
    _f("wastewater", "废水排放量", "wastewater discharged", "number", "t", "工业废水排放量"),
    _f("cod", "COD排放量", "COD", "number", "t", "化学需氧量排放量"),
    _f("nh3n", "氨氮排放量", "ammonia nitrogen", "number", "t", "NH3-N"),
    _f("so2", "二氧化硫排放量", "SO2", "number", "t", "SO2排放量"),
    _f("nox", "氮氧化物排放量", "NOx", "number", "t", "NOx排放量"),
    _f("swaste_generated", "一般工业固体废物产生量", "solid waste generated", "number", "t",
       "工业固体废物产生量"),
    _f("swaste_utilized", "一般工业固体废物综合利用量", "solid waste utilized", "number", "t",
       "工业固体废物综合利用量"),
    _f("swaste_stock_utilized", "综合利用往年贮存量", "stored waste of past years utilized",
       "number", "t"),
    _f("swaste_disposed", "一般工业固体废物处置量", "solid waste disposed", "number", "t",
       "工业固体废物处置量"),
    _f("swaste_stored", "一般工业固体废物贮存量", "solid waste stored", "number", "t",
       "工业固体废物贮存量"),
    _f("hw_generated", "危险废物产生量", "hazardous waste generated", "number", "t"),
    _f("hw_utilized", "危险废物利用量", "hazardous waste utilized", "number", "t"),
    _f("hw_disposed", "危险废物处置量", "hazardous waste disposed", "number", "t"),
    _f("hw_stock", "危险废物往年贮存量", "hazardous waste stored in past years", "number", "t"),
    _f("process_co2", "工业生产过程二氧化碳排放量", "process CO2", "number", "t", "过程排放"),
    _f("stated_co2", "企业填报二氧化碳排放量", "stated CO2", "number", "t", "二氧化碳排放量"),
    _f("stated_energy", "企业填报综合能耗", "stated energy consumption", "number", "tce",
       "综合能耗"),
    _f("steam_pressure", "蒸汽绝对压力", "steam pressure", "number", "MPa", "蒸汽压力",
       help_zh="绝对压力（表压 + 0.1）", help_en="absolute pressure (gauge + 0.1)"),
    _f("steam_temperature", "蒸汽温度", "steam temperature", "celsius"),
    _f("steam_enthalpy", "蒸汽焓值", "steam enthalpy", "number", "kJ/kg"),
)


def all_fields(library: Library) -> tuple[Field, ...]:
    """The fixed fields, then one amount column per energy carrier."""
    carriers = tuple(Field(key, c.name_zh, c.name_en, "carrier", c.unit, tuple(c.aliases))
                     for key, c in library.carriers.items())
    return FIELDS + carriers


@dataclasses.dataclass(slots=True)
class EnterpriseYear:
    """One roster row: `values` holds the reported fields (blank cells are absent), amounts in
    each field's unit; `carriers` the energy amounts in each carrier's unit."""

    row: int
    year: int
    name: str
    code: str
    values: dict[str, Any]
    carriers: dict[str, float]

    @property
    def industry(self) -> str:
        return str(self.values.get("industry", ""))

    def steam(self) -> SteamState:
        get = self.values.get
        return SteamState(get("steam_pressure"), get("steam_temperature"), get("steam_enthalpy"))


@dataclasses.dataclass(frozen=True)
class Roster:
    file: str
    sheet: str
    records: list[EnterpriseYear]
    columns: dict[str, str]  # field key → header cell
    ignored: list[str]  # header cells of columns that are none of ours
    assumed: dict[str, str]  # field key → unit assumed (the header named none)

    def has(self, key: str) -> bool:
        return key in self.columns

    def years(self) -> list[int]:
        return sorted({r.year for r in self.records})

    def carriers(self) -> list[str]:
        return sorted({c for r in self.records for c in r.carriers})

    def rows_per_year(self) -> dict[int, int]:
        """How many roster rows each year has (for the roll-up's source texts)."""
        return dict(collections.Counter(r.year for r in self.records))

    def where(self, record: EnterpriseYear, key: str) -> str:
        """The cell of a record's field (for messages)."""
        column = re.sub(r"\d+$", "", self.columns.get(key, "A1"))
        return f"{self.sheet}!{column}{record.row}"
