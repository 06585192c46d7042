"""The indicators of a framework: category, formula, requirement (a rule, or cases by a
condition), membership (mandatory, an optional group, or guidance), exemption, the companion
values shown beside it and the similar indicators of other frameworks; and the verdict rule
that combines them."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["Case", "Category", "Companion", "Group", "Indicator", "Otherwise", "Related",
           "Requirement", "VerdictRule"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Category(_Model):
    id: str
    name_zh: str
    name_en: str


class Otherwise(_Model):
    status: Literal["not_evaluable", "not_applicable"]
    reason_zh: str
    reason_en: str


class Case(_Model):
    when: str
    rule: str


class Requirement(_Model):
    rule: str | None = None
    cases: list[Case] | None = None
    otherwise: Otherwise | None = None
    text_zh: str
    text_en: str

    @model_validator(mode="after")
    def _one_form(self) -> Requirement:
        if (self.rule is None) == (self.cases is None):
            raise ValueError("要求须有 rule 或 cases 之一 a requirement has either `rule` or "
                             "`cases`, not both or neither")
        return self


class Companion(_Model):
    """A value computed and shown beside an indicator (never judged), e.g. the same intensity on
    another basis."""

    id: str
    name_zh: str
    name_en: str
    formula: str
    unit: str = "1"
    decimals: int = Field(4, ge=0, le=6)
    source: str


class Related(_Model):
    """A similar indicator of another framework, for the crosswalk, and how they differ."""

    framework: str
    number: int
    note_zh: str
    note_en: str


class Indicator(_Model):
    number: int
    id: str
    category: str
    name_zh: str
    name_en: str
    unit: str = "1"
    decimals: int = Field(2, ge=0, le=6)
    formula: str
    mandatory: bool = False
    group: str | None = None
    guidance: bool = False  # reported met / not met / exempted, never counted (gate_guidance)
    exemptible: bool = False  # a dataset may exempt it with a reason
    requirement: Requirement
    companions: list[Companion] = []  # values shown beside it, never judged
    related: list[Related] = []  # similar indicators of other frameworks (crosswalk)
    source: str


class Group(_Model):
    min_met: int = Field(1, ge=1)
    name_zh: str
    name_en: str


class VerdictRule(_Model):
    kind: Literal["groups", "gate_guidance"] = "groups"
    mandatory: Literal["all_met"] = "all_met"
    groups: dict[str, Group] = {}
    source: str = ""
