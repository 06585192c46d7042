"""The open choices and conditions of a framework beyond its indicators: named settings with
defaults a dataset may override, eligibility gates (申报条件), warnings attached to indicators
when a condition holds, and the link to the inventory method whose quantities `computed` items
take."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

from ecopark.core import units
from ecopark.core.formula import BOOL, TEXT
from ecopark.core.framework.items import ValueLabel

__all__ = ["Advisory", "Gate", "InventoryLink", "SettingDef", "setting_unit"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SettingDef(_Model):
    """A named open choice of the framework, with its default; a dataset may override it."""

    name_zh: str
    name_en: str
    type: Literal["number", "bool", "choice"]
    unit: str = "1"
    values: dict[str, ValueLabel] | None = None
    default: StrictBool | float | str | None = None
    source: str
    note_zh: str = ""
    note_en: str = ""

    @model_validator(mode="after")
    def _typed_default(self) -> SettingDef:
        ok = {"number": self.default is None or (isinstance(self.default, float)),
              "bool": isinstance(self.default, bool),
              "choice": isinstance(self.default, str)}[self.type]
        if not ok:
            raise ValueError(f"type: {self.type} 的默认值类型不符 the default does not fit "
                             f"type {self.type} (number: a number or null; bool: true/false; "
                             "choice: one of values)")
        return self

    def label(self, value: object) -> str:
        if value is None:
            return "未设定 not set"
        if self.type == "choice" and self.values and str(value) in self.values:
            label = self.values[str(value)]
            return f"{value}（{label.zh or label.en}）"
        if isinstance(value, bool):
            return "是 yes" if value else "否 no"
        unit = "" if self.unit in ("1", "") else f" {units.pretty(self.unit)}"
        return f"{value:g}{unit}" if isinstance(value, float) else f"{value}{unit}"


def setting_unit(setting: SettingDef) -> str:
    """The unit a formula sees for a setting: its unit, or TEXT (choice), or BOOL."""
    return {"number": setting.unit, "bool": BOOL, "choice": TEXT}[setting.type]


class Gate(_Model):
    """An eligibility gate (申报条件): a yes/no fact a dataset answers with evidence."""

    id: str
    name_zh: str
    name_en: str
    source: str


class Advisory(_Model):
    """A warning attached to indicators when its condition holds (e.g. the band changed)."""

    id: str
    indicators: list[int] = Field(min_length=1)
    when: str
    text_zh: str
    text_en: str
    source: str


class InventoryLink(_Model):
    """The inventory method whose quantities `computed` items take (a provider registered by
    that name, `ecopark.core.framework.providers`), and which framework setting feeds each of
    the method's parameters."""

    method: str
    settings: dict[str, str] = {}
    source: str = ""
