"""A framework: the whole file (`FrameworkFile`, its entries in items, indicators, profile and
settings) and the loaded `Framework`, which adds the formulas its checks compiled.

A framework file is loaded by `ecopark.core.framework.loading.load_framework`: the schema
validates every entry, then each named check (`loading.CHECKS`) validates one rule that spans
entries and compiles what it checked.
"""

from __future__ import annotations

import dataclasses
import functools
import re

from pydantic import BaseModel, ConfigDict

from ecopark.core.formula import TEXT, Formula, Scope
from ecopark.core.framework.indicators import Category, Indicator, VerdictRule
from ecopark.core.framework.items import Check, ChecklistDef, Identity, Item, ListDef, Variable
from ecopark.core.framework.profile import ProfileField
from ecopark.core.framework.settings import Advisory, Gate, InventoryLink, SettingDef, setting_unit

__all__ = ["CompiledRequirement", "Framework", "FrameworkFile", "Wording"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Wording(_Model):
    """What the framework's own documents call things: the document cited as the basis, the
    titles of the table and the report, the two kinds of indicator and the verdict rule. A
    framework brings its own so that no document speaks another framework's words; a file
    without `wording` gets titles from its name and neutral kind labels."""

    document_zh: str = ""  # the basis as cited: HJ 274-2015《国家生态工业示范园区标准》
    document_en: str = ""
    table_title_zh: str = ""  # 国家生态工业示范园区对照考核表
    table_title_en: str = ""
    table_name_zh: str = "对照考核表"  # the table in a sentence: 园区填报的对照考核表 / 指标对照表
    table_name_en: str = "assessment table"
    report_title_zh: str = ""  # after "2018年度": 国家生态工业示范园区评价报告
    report_title_en: str = ""
    mandatory_zh: str = "必选"  # the kind of an indicator that must be met
    mandatory_en: str = "mandatory"
    optional_zh: str = "可选"
    optional_en: str = "optional"
    rule_zh: str = ""  # the verdict rule in one clause, printed in chapter 三
    rule_en: str = ""


class FrameworkFile(_Model):
    id: str
    version: str
    status: str = ""
    name_zh: str
    name_en: str
    source: str
    profile_fields: dict[str, ProfileField] = {}
    categories: list[Category]
    items: dict[str, Item]
    variables: dict[str, Variable] = {}
    lists: dict[str, ListDef] = {}
    checklists: dict[str, ChecklistDef] = {}
    indicators: list[Indicator]
    identities: dict[str, Identity] = {}
    checks: list[Check] = []
    verdict: VerdictRule
    settings: dict[str, SettingDef] = {}
    gates: list[Gate] = []
    warnings: list[Advisory] = []
    inventory: InventoryLink | None = None
    shared_items: dict[str, list[str]] = {}
    wording: Wording = Wording()


@dataclasses.dataclass(frozen=True)
class CompiledRequirement:
    rule: Formula | None
    cases: tuple[tuple[Formula, Formula], ...]


@dataclasses.dataclass
class Framework:
    """A loaded, checked framework: the file's definitions plus their compiled formulas."""

    spec: FrameworkFile
    file: str
    formulas: dict[int, Formula] = dataclasses.field(default_factory=dict)
    factors: dict[int, float] = dataclasses.field(default_factory=dict)
    requirements: dict[int, CompiledRequirement] = dataclasses.field(default_factory=dict)
    variables: dict[str, tuple[Formula, float]] = dataclasses.field(default_factory=dict)
    identities: dict[str, tuple[Formula, float]] = dataclasses.field(default_factory=dict)
    companions: dict[tuple[int, str], tuple[Formula, float]] = dataclasses.field(
        default_factory=dict)
    advisories: dict[str, Formula] = dataclasses.field(default_factory=dict)
    list_rules: dict[str, Formula] = dataclasses.field(default_factory=dict)
    shared_from: dict[str, str] = dataclasses.field(default_factory=dict)  # item → framework
    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def indicators(self) -> list[Indicator]:
        return self.spec.indicators

    @functools.cached_property
    def by_number(self) -> dict[int, Indicator]:
        return {ind.number: ind for ind in self.spec.indicators}

    def indicator(self, number: int) -> Indicator:
        return self.by_number[number]

    def scope(self, value_unit: str | None = None) -> Scope:
        spec = self.spec
        return Scope(
            items={k: TEXT if v.kind == "fact" else v.unit for k, v in spec.items.items()},
            variables={k: v.unit for k, v in spec.variables.items()},
            profile_fields=frozenset(spec.profile_fields),
            lists=frozenset(spec.lists),
            checklists=frozenset(spec.checklists),
            value_unit=value_unit,
            settings={k: setting_unit(v) for k, v in spec.settings.items()},
            rule_lists=frozenset(k for k, v in spec.lists.items() if v.record_rule),
        )

    def value_kind(self, number: int) -> str:
        return self.formulas[number].kind

    def item_name(self, item: str, lang: str = "zh") -> str:
        spec = self.spec.items.get(item)
        if spec is not None:
            return spec.name_en if lang == "en" else spec.name_zh
        named = self.spec.variables.get(item) or self.spec.lists.get(item) \
            or self.spec.checklists.get(item)
        if named is None:
            return item
        return named.name_en if lang == "en" else named.name_zh

    def items_of(self, number: int) -> list[str]:
        """The items an indicator's formula reads, in order of first use (variables expanded)."""
        out: list[str] = []
        texts = [self.by_number[number].formula]
        while texts:
            for name in re.findall(r"[^\W\d]\w*", texts.pop(0)):
                if name in self.spec.items and name not in out:
                    out.append(name)
                elif name in self.spec.variables:
                    texts.append(self.spec.variables[name].formula)
        return out

    def describe(self, formula_text: str, lang: str = "zh") -> str:
        """A formula with every declared name replaced by its zh/en name."""
        return re.sub(r"[^\W\d]\w*", lambda m: self.item_name(m.group(0), lang), formula_text)

