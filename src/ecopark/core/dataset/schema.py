"""The dataset file (format `ecopark-dataset/1`): every section as a pydantic model, published
as JSON Schema (docs/dataset.schema.json).

    format: ecopark-dataset/1
    framework: hj274-2015
    park: {name, base_year, region_class, selected: [...], area, location, …}
          (profile fields of the framework: choices, numbers, dates, texts;
          `ecopark.core.dataset.profile`)
    year: 2018
    observations: {item: {unit, source, values: {year: number | "/" | {value, unit, source, note}}}}
    checklists: {checklist: {year: [{name, done, evidence}]}}
    lists: {list: [{name, year, ...}]}
    reported: {year, source, indicators: {number: "as printed"}, rows: [...], text: [...]}
    contributions: {item: {year: [{enterprise, credit_code, value, row, parts, count}]}}   optional
    accounting: {method, electricity, grid_region, grid_set, grid_year, …, stated, carbon}   optional
    also_frameworks: [zero-carbon-park-2025]     the same park data assessed under these too
    settings: {id: value | {value, note}}        overrides of the framework's settings
    exemptions: {number: reason}                 exempted indicators (exemptible ones only);
                                                 or {framework-id: {number: reason}}
    gates: {id: {met: true|false, evidence}}     answers to the eligibility gates
    inventory: {year: {electricity, heat, fuels, conversion, process}}   inventory lines

`contributions` and `accounting` are written by `ecopark rollup`: for each item computed from an
enterprise roster, the enterprises that make it up (largest first; the rest as one entry with a
`count`), and the accounting settings, the park-stated totals it replaced (`stated`) and the CO2
split (direct/indirect) by year. Both are optional and default to empty.

"/" (and "-", "—", empty) means *not reported*: it is kept as such and never read as 0.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator

from ecopark.core.dataset.inventory import InventoryYear

__all__ = ["FORMAT", "Accounting", "ChecklistEntry", "Contribution", "DatasetFile", "GateAnswer",
           "Park", "Reported", "ReportedRow", "Scalar", "Series", "SettingEntry", "SettingScalar",
           "TextStatement", "ValueEntry", "dataset_json_schema"]

FORMAT = "ecopark-dataset/1"
Scalar = float | int | str
SettingScalar = StrictBool | float | str | None


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ValueEntry(_Model):
    value: Scalar = Field(description='the value; "/" = not reported (never 0)')
    unit: str | None = Field(None, description="unit of this value, if not the series unit")
    source: str | None = None
    note: str | None = None


class Series(_Model):
    unit: str | None = Field(None, description="unit of the values (any unit compatible with "
                             "the item's canonical unit)")
    source: str | None = Field(None, description="where the numbers come from")
    note: str | None = None
    values: dict[int, Scalar | ValueEntry | None]


class Park(BaseModel):
    model_config = ConfigDict(extra="allow")
    name: str = Field(description="园区名称 park name")
    base_year: int = Field(description="规划基准年 planning base year", ge=1900, le=2200)
    base_year_note: str = ""
    selected: list[int] = Field(default_factory=list, description="optional indicators the "
                                "park is assessed on (是否为考核指标 = 是)")


class ChecklistEntry(_Model):
    name: str
    done: bool
    evidence: str = ""


class ReportedRow(_Model):
    item: str
    year: int
    value: Scalar
    unit: str | None = None


class TextStatement(_Model):
    indicator: int | None = None
    item: str | None = None
    year: int | None = None
    value: Scalar
    unit: str | None = None
    where: str = ""


class Reported(_Model):
    year: int
    source: str = ""
    indicators: dict[int, Scalar] = {}
    rows: list[ReportedRow] = []
    text: list[TextStatement] = []


class Contribution(_Model):
    """One enterprise's share of a rolled-up item-year, in the item's canonical unit. An entry
    with `count` stands for that many smaller enterprises together (no credit code)."""

    enterprise: str
    credit_code: str = ""
    value: float
    row: int | None = Field(None, description="roster row the value comes from")
    parts: dict[str, float] = Field(default_factory=dict, description="e.g. CO2 direct/indirect")
    count: int | None = Field(None, description="for a remainder entry: enterprises it stands for")


class Accounting(_Model):
    """How items were computed from an enterprise roster (written by `ecopark rollup`)."""

    method: str = Field("", description="accounting method id (methods.yaml)")
    electricity: str = Field("", description="equivalent | equal_value")
    grid_region: str = ""
    grid_set: str = ""
    grid_year: int | None = Field(None, description="the one grid-factor vintage used for "
                                  "every year")
    equal_value_year: int | None = None
    roster: str = Field("", description="the roster file")
    enterprises: dict[int, int] = Field(default_factory=dict, description="roster rows per year")
    stated: dict[str, dict[int, float]] = Field(
        default_factory=dict, description="park-stated totals replaced by the roll-up, kept "
        "for comparison (item → year → value in the item's canonical unit)")
    carbon: dict[int, dict[str, float]] = Field(
        default_factory=dict, description="year → CO2 (t): combustion, process, electricity, "
        "heat, direct, indirect, total")
    note: str = ""



class SettingEntry(_Model):
    value: SettingScalar = Field(description="the setting's value (null: not set)")
    note: str = Field("", description="why this value (shown with every result)")


class GateAnswer(_Model):
    met: bool = Field(description="whether the park meets the gate")
    evidence: str = Field("", description="the document or fact that shows it (required when "
                          "met)")


class DatasetFile(_Model):
    """One park's data for a framework (the whole file)."""

    format: Literal["ecopark-dataset/1"]
    framework: str
    park: Park
    year: int | None = Field(None, description="default evaluation year")
    observations: dict[str, Series] = {}
    checklists: dict[str, dict[int, list[ChecklistEntry]]] = {}
    lists: dict[str, list[dict[str, Any]]] = {}
    reported: Reported | None = None
    contributions: dict[str, dict[int, list[Contribution]]] = Field(
        default_factory=dict, description="enterprises that make up each rolled-up item-year "
        "(optional; written by ecopark rollup)")
    accounting: Accounting | None = Field(None, description="roll-up settings and results "
                                          "(optional; written by ecopark rollup)")
    also_frameworks: list[str] = Field(default_factory=list, description="further frameworks "
                                       "the same data is assessed under (ecopark assess "
                                       "--framework all)")
    settings: dict[str, SettingScalar | SettingEntry] = Field(
        default_factory=dict, description="overrides of the framework's settings (id → value or "
        "{value, note})")
    exemptions: dict[int | str, str | dict[int, str]] = Field(
        default_factory=dict, description="exempted indicators: {number: reason}, or "
        "{framework id: {number: reason}}; exemptible indicators only")
    gates: dict[str, GateAnswer] = Field(default_factory=dict, description="answers to the "
                                         "framework's eligibility gates")
    inventory: dict[int, InventoryYear] = Field(
        default_factory=dict, description="inventory lines by year (electricity, heat, fuels, "
        "conversion, process), from which `computed` items are calculated")

    @field_validator("exemptions", mode="before")
    @classmethod
    def _numbered(cls, value: Any) -> Any:
        """Indicator numbers stay numbers when the section comes back from JSON ("5" → 5),
        at the top and under a framework id."""
        if not isinstance(value, dict):
            return value
        return {_number_key(k): ({_number_key(n): r for n, r in v.items()}
                                 if isinstance(v, dict) else v) for k, v in value.items()}


def _number_key(key: Any) -> Any:
    return int(key) if isinstance(key, str) and key.isascii() and key.isdigit() else key


def dataset_json_schema() -> dict[str, Any]:
    schema = DatasetFile.model_json_schema()
    schema["$id"] = "https://ecopark.example/schema/dataset-1.json"
    schema["title"] = "ecopark dataset (ecopark-dataset/1)"
    return schema
