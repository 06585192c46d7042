"""What a park reports: data items (numbers and facts), variables computed from them, lists and
checklists of records, identities that tie items together, and consistency checks between two
items."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["Check", "ChecklistDef", "Identity", "Item", "ListDef", "ValueLabel", "Variable"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ValueLabel(_Model):
    zh: str = ""
    en: str


class Item(_Model):
    name_zh: str
    name_en: str
    unit: str = "1"
    kind: Literal["number", "fact"] = "number"
    values: dict[str, ValueLabel] | None = None
    allow_negative: bool = False
    lever: bool = True  # false: the park's size (output, employees, land …), never a measure
    aliases: list[str] = []  # other names parks print for it (matched when reading tables)
    definition_zh: str = ""
    definition_en: str = ""
    computed: str | None = None  # a quantity of the framework's inventory method (never observed)
    plausible: tuple[float, float] | None = None  # [low, high] in `unit` (data-quality rules)
    source: str

    @model_validator(mode="after")
    def _fact_values(self) -> Item:
        if (self.kind == "fact") != (self.values is not None):
            raise ValueError("kind: fact 需要 values，数值项不能有 values "
                             "a fact needs `values`; a number item must not have them")
        return self


class Variable(_Model):
    name_zh: str
    name_en: str
    formula: str
    unit: str = "1"
    source: str = ""


class ListDef(_Model):
    name_zh: str
    name_en: str
    fields: list[str]
    numbers: list[str] = []  # fields holding numbers (used by record_rule)
    record_rule: str | None = None  # a condition over one record's number fields
    applies_if: str | None = None  # a record applies only when this field is given


class ChecklistDef(_Model):
    name_zh: str
    name_en: str


class Identity(_Model):
    formula: str
    source: str


class Check(_Model):
    id: str
    kind: Literal["ratio_stable"]
    numerator: str
    denominator: str
    max_factor: float = Field(gt=1)
    name_zh: str
    name_en: str
    source: str
