"""The quality-rule file (core/data/quality-rules.yaml): its schema, one parameter model per kind,
the facts each kind's messages may use, and the named checks run at load.

Loading runs the named `CHECKS` (unique ids, parameters valid for the kind, fields known at the
rule's level, message and fix placeholders known, ratio units convertible, indicators named
exist); any failure is a `DataFileError` naming the file and key path.
"""

from __future__ import annotations

import dataclasses
import functools
import string
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ecopark.core import units
from ecopark.core.errors import DataFileError, UnitError
from ecopark.core.yamlfile import read_yaml

if TYPE_CHECKING:
    from ecopark.core.framework.model import Framework

__all__ = ["CHECKS", "PARAMS", "PARK_ONLY", "PLACEHOLDERS", "RULES_FILE", "Rule", "RuleSet",
           "RulesFile", "enterprise_fields", "load_rules", "park_fields", "register_enterprise_fields",
           "rule_fields"]

RULES_FILE = Path(__file__).parent.parent / "data" / "quality-rules.yaml"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rule(_Model):
    id: str
    version: int = Field(ge=1)
    kind: str
    level: Literal["park", "enterprise"]
    severity: Literal["error", "warning", "info"]
    params: dict[str, Any] = {}
    message_zh: str
    message_en: str
    fix_zh: str = ""  # the likely fix, a template over the same facts as the message
    fix_en: str = ""
    any_framework: bool = False  # names no item: runs under every framework
    source: str


class RulesFile(_Model):
    format: Literal["ecopark-quality-rules/1"]
    framework: str
    version: str
    rules: list[Rule]


class Balance(_Model):
    left: list[str]
    op: Literal["==", ">="]
    right: list[str]
    tolerance: float = Field(0.005, ge=0)
    optional: list[str] = []  # fields whose absence counts as 0 (e.g. past stock utilized)


class YearOnYear(_Model):
    fields: list[str] | Literal["all"]
    max_factor: float = Field(gt=1)
    below: float = Field(1000, gt=1)


class UnitSlip(_Model):
    fields: list[str] | Literal["all"]
    factor: float = Field(gt=1)
    band: float = Field(gt=1)


class Duplicate(_Model):
    pass


class EnterpriseTotal(_Model):
    fields: list[str] | Literal["all"]
    tolerance: float = Field(ge=0)


class StatedVsRecomputed(_Model):
    stated: str
    computed: str
    tolerance: float = Field(ge=0)


class Ratio(_Model):
    numerator: str
    denominator: str
    unit: str
    range: tuple[float, float]
    industries: dict[str, tuple[float, float]] = {}


class Intensity(_Model):
    ratios: list[Ratio]


class HistorySlip(_Model):
    fields: list[str] | Literal["all"]
    min_factor: float = Field(gt=1)


class AboveLimit(_Model):
    unit: str = "%"
    limit: float = 100
    indicators: list[int] = []  # computed indicators (in `unit`) that are shares too


class FractionForPercent(_Model):
    unit: str = "%"
    basis: Literal["history", "range"]


class WholeNumber(_Model):
    units: list[str]


class ZeroDenominator(_Model):
    fields: list[str]


class Nothing(_Model):
    pass


PARAMS: dict[str, type[_Model]] = {
    "balance": Balance, "year_on_year": YearOnYear, "unit_slip": UnitSlip,
    "duplicate": Duplicate, "enterprise_total": EnterpriseTotal,
    "stated_vs_recomputed": StatedVsRecomputed, "intensity": Intensity,
    "history_slip": HistorySlip, "above_limit": AboveLimit,
    "fraction_for_percent": FractionForPercent, "whole_number": WholeNumber,
    "zero_denominator": ZeroDenominator, "mandatory_blank": Nothing, "mean_member_missing": Nothing,
}
PARK_ONLY = frozenset({"enterprise_total", "history_slip", "above_limit", "fraction_for_percent",
                       "whole_number", "zero_denominator", "mandatory_blank",
                       "mean_member_missing"})
_VALUE = frozenset({"where", "name", "year", "value", "unit"})  # facts of a one-value finding
PLACEHOLDERS: dict[str, frozenset[str]] = {
    "history_slip": _VALUE | {"typical", "others", "factor", "scale"},
    "above_limit": _VALUE | {"limit", "what"},
    "fraction_for_percent": _VALUE | {"percent", "low", "high", "others"},
    "whole_number": _VALUE | {"rounded"},
    "zero_denominator": _VALUE | {"indicators"},
    "mandatory_blank": _VALUE | {"number", "indicator"},
    "mean_member_missing": _VALUE | {"number", "indicator", "counted", "members"},
    "balance": frozenset({"where", "left", "right", "gap"}),
    "year_on_year": frozenset({"where", "field", "y0", "v0", "y1", "v1", "factor"}),
    "unit_slip": frozenset({"where", "field", "y0", "v0", "y1", "v1", "factor"}),
    "duplicate": frozenset({"where", "code", "count", "rows"}),
    "enterprise_total": frozenset({"where", "field", "total", "stated", "gap", "count"}),
    "stated_vs_recomputed": frozenset({"where", "stated", "computed", "gap"}),
    "intensity": frozenset({"where", "ratio", "value", "unit", "low", "high", "industry"}),
}


@dataclasses.dataclass
class RuleSet:
    spec: RulesFile
    file: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)  # rule id → params model

    def rules(self, level: str) -> list[Rule]:
        return [r for r in self.spec.rules if r.level == level]


# ------------------------------------------------------------------------ names per level


_ENTERPRISE_FIELDS: list[Callable[[], Mapping[str, str]]] = []


def register_enterprise_fields(source: Callable[[], Mapping[str, str]]) -> None:
    """Register where enterprise-level field names come from: field → unit. The roster is not
    the core's: the package that reads rosters and computes per enterprise registers its fields
    (`ecopark.accounting.providers.register`, when `ecopark` is imported)."""
    if source not in _ENTERPRISE_FIELDS:
        _ENTERPRISE_FIELDS.append(source)


def enterprise_fields() -> dict[str, str]:
    """Enterprise-level field → unit: roster amounts and computed values, as registered."""
    return {name: unit for source in _ENTERPRISE_FIELDS for name, unit in source().items()}


def park_fields(framework: Framework) -> dict[str, str]:
    return {k: v.unit for k, v in framework.spec.items.items() if v.kind == "number"}


def _fields_of(rule: Rule, params: Any) -> list[str]:
    out: list[str] = []
    for name in ("left", "right", "optional", "fields", "stated", "computed"):
        value = getattr(params, name, None)
        if isinstance(value, list):
            out += value
        elif isinstance(value, str) and value != "all":
            out.append(value)
    for ratio in getattr(params, "ratios", ()):
        out += [ratio.numerator, ratio.denominator]
    return out


def rule_fields(rule: Rule, params: Any) -> list[str] | None:
    """The items a rule reads, None when it reads any item (`fields: all`, or a kind that picks
    items by unit or through the indicators)."""
    if rule.kind in ("above_limit", "fraction_for_percent", "whole_number", "mandatory_blank",
                     "mean_member_missing") or getattr(params, "fields", None) == "all":
        return None
    return _fields_of(rule, params)


# ------------------------------------------------------------------------ named checks


def check_unique_ids(rules: RuleSet, fw: Framework) -> None:
    """Rule ids are unique."""
    seen: set[str] = set()
    for index, rule in enumerate(rules.spec.rules):
        if rule.id in seen:
            raise DataFileError(rules.file, f"rules[{index}].id", f"重复的规则 duplicate rule {rule.id!r}")
        seen.add(rule.id)


def check_params(rules: RuleSet, fw: Framework) -> None:
    """The kind is known and the parameters are valid for it."""
    for index, rule in enumerate(rules.spec.rules):
        model = PARAMS.get(rule.kind)
        if model is None:
            raise DataFileError(rules.file, f"rules[{index}].kind", f"未知种类 unknown kind "
                                f"{rule.kind!r}", f"可用 available: {', '.join(PARAMS)}")
        if rule.level == "enterprise" and rule.kind in PARK_ONLY:
            raise DataFileError(rules.file, f"rules[{index}].level", f"种类 {rule.kind} 只用于园区级 "
                                f"kind {rule.kind} runs at park level only", "level: park")
        try:
            rules.params[rule.id] = model.model_validate(rule.params)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise DataFileError(rules.file, f"rules[{index}].params.{where}", first["msg"]) from None


def check_fields(rules: RuleSet, fw: Framework) -> None:
    """Fields are framework number items (park level) or roster/computed fields (enterprise)."""
    park, enterprise = park_fields(fw), enterprise_fields()
    for index, rule in enumerate(rules.spec.rules):
        known = park if rule.level == "park" else enterprise
        if rule.any_framework and _fields_of(rule, rules.params[rule.id]):
            raise DataFileError(rules.file, f"rules[{index}].any_framework", "适用于任何指标体系的规则"
                                "不能指名数据项 a rule for any framework names no item")
        for name in _fields_of(rule, rules.params[rule.id]):
            if name not in known:
                raise DataFileError(rules.file, f"rules[{index}].params", f"{rule.level} 级没有字段 "
                                    f"{name!r} unknown {rule.level}-level field")


def check_placeholders(rules: RuleSet, fw: Framework) -> None:
    """Messages use only the facts their kind provides."""
    for index, rule in enumerate(rules.spec.rules):
        for key in ("message_zh", "message_en", "fix_zh", "fix_en"):
            names = {n for _, n, _, _ in string.Formatter().parse(getattr(rule, key)) if n}
            unknown = names - PLACEHOLDERS[rule.kind]
            if unknown:
                raise DataFileError(rules.file, f"rules[{index}].{key}", f"未知占位符 unknown "
                                    f"placeholders {sorted(unknown)}", f"可用 available: "
                                    f"{sorted(PLACEHOLDERS[rule.kind])}")


def check_ratio_units(rules: RuleSet, fw: Framework) -> None:
    """A ratio's numerator/denominator units convert to its declared unit."""
    park, enterprise = park_fields(fw), enterprise_fields()
    for index, rule in enumerate(rules.spec.rules):
        known = park if rule.level == "park" else enterprise
        for r, ratio in enumerate(getattr(rules.params[rule.id], "ratios", ())):
            try:
                units.conversion_factor(f"({known[ratio.numerator]})/({known[ratio.denominator]})",
                                        ratio.unit)
            except UnitError as exc:
                raise DataFileError(rules.file, f"rules[{index}].params.ratios[{r}].unit",
                                    exc.problem) from None


def check_indicators(rules: RuleSet, fw: Framework) -> None:
    """Indicators a rule names exist and are in the rule's unit."""
    for index, rule in enumerate(rules.spec.rules):
        params = rules.params[rule.id]
        for number in getattr(params, "indicators", ()):
            ind = fw.by_number.get(number)
            if ind is None or ind.unit != params.unit:
                raise DataFileError(rules.file, f"rules[{index}].params.indicators",
                                    f"没有单位为 {params.unit} 的指标 {number} no indicator {number} "
                                    f"in {params.unit}")


CHECKS: tuple[Callable[[RuleSet, Framework], None], ...] = (
    check_unique_ids, check_params, check_fields, check_placeholders, check_ratio_units,
    check_indicators,
)


def load_rules(framework: Framework, path: Path | None = None) -> RuleSet:
    """The quality rules (the built-in file unless `path`), checked against `framework`. The
    built-in rules are for their framework; another framework gets only those marked
    `any_framework` (they name no item)."""
    rules = _load((path or RULES_FILE).resolve(), framework.file)
    if rules.spec.framework == framework.id:
        return rules
    if path is not None:
        raise DataFileError(rules.file, "framework", f"规则针对 {rules.spec.framework!r}，而指标体系是 "
                            f"{framework.id!r} the rules are for another framework")
    kept = [r for r in rules.spec.rules if r.any_framework]
    general = RuleSet(rules.spec.model_copy(update={"rules": kept}), rules.file)
    for check in CHECKS:
        check(general, framework)
    return general


@functools.cache
def _load(path: Path, framework_file: str) -> RuleSet:
    from ecopark.core.framework.loading import load_framework

    data = read_yaml(path)
    if not isinstance(data, dict):
        raise DataFileError(str(path), "(top)", "文件应为键值映射 the file must be a mapping")
    try:
        spec = RulesFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise DataFileError(str(path), ".".join(str(p) for p in first["loc"]) or "(top)",
                            first["msg"]) from None
    rules = RuleSet(spec, str(path))
    framework = load_framework(framework_file)
    if spec.framework != framework.id:
        return rules
    for check in CHECKS:
        check(rules, framework)
    return rules


