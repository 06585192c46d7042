"""A framework file: its schema (frozen pydantic models) and the named cross-reference checks.

Loading is two steps. The schema validates the shape of every entry (unknown keys are refused);
then each function in `CHECKS` validates one rule that spans entries (a formula uses declared
items only, a requirement refers to profile fields that exist, every indicator is mandatory or
in exactly one group, units agree) and compiles what it checked. Any failure is a
`FrameworkError` naming the file and the key path.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import re
import threading
import zoneinfo
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ecopark.core import units
from ecopark.core.errors import FormulaError, FrameworkError, UnitError, UnknownFramework
from ecopark.core.formula import TEXT, Formula, FormulaSyntaxError, Scope, compile_formula
from ecopark.core.framework.extensions import (
    AFTER,
    BEFORE,
    Advisory,
    Companion,
    Gate,
    InventoryLink,
    Related,
    SettingDef,
    ValueLabel,
    setting_unit,
)
from ecopark.core.yamlfile import read_yaml

__all__ = ["CHECKS", "Framework", "Indicator", "Item", "ProfileField", "available_frameworks",
           "load_framework", "profile_value_problem"]

FRAMEWORK_DIR = Path(__file__).parents[2] / "frameworks"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ProfileField(_Model):
    """A fact about the park: a choice from `values` (region class), a number in `unit` (area,
    `whole` for a count), a date (填报时间, an approval's date), free text (填报单位; `lines` > 1:
    a paragraph the officer writes) or an IANA time zone (Asia/Shanghai). `part` says where the
    report shows it: `overview` (一、园区概况), `problems` / `actions` (chapters 四 and 五 as the
    officer writes them); a choice field without one parameterises requirements."""

    name_zh: str
    name_en: str
    kind: Literal["choice", "number", "date", "text", "time_zone"] = "choice"
    values: dict[str, ValueLabel] = {}
    unit: str | None = None
    whole: bool = False
    lines: int = Field(default=1, ge=1, le=40)
    part: Literal["", "overview", "problems", "actions"] = ""
    default: str | None = None


class Category(_Model):
    id: str
    name_zh: str
    name_en: str


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


class Group(_Model):
    min_met: int = Field(1, ge=1)
    name_zh: str
    name_en: str


class VerdictRule(_Model):
    kind: Literal["groups", "gate_guidance"] = "groups"
    mandatory: Literal["all_met"] = "all_met"
    groups: dict[str, Group] = {}
    source: str = ""


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


# ------------------------------------------------------------------------ named checks


def _where(ind: Indicator) -> str:
    return f"indicators[number={ind.number}]"


def _compile(fw: Framework, text: str, key_path: str, scope: Scope | None = None) -> Formula:
    try:
        return compile_formula(text, scope or fw.scope())
    except FormulaSyntaxError as exc:
        raise FormulaError(fw.file, key_path, exc.problem, expression=text,
                           position=exc.position) from None


def _factor(fw: Framework, formula: Formula, unit: str, key_path: str) -> float:
    if formula.kind != "number":
        return 1.0
    assert formula.unit is not None
    try:
        return units.unit_factor(formula.unit, units.parse_unit(unit))
    except UnitError as exc:
        raise FrameworkError(fw.file, key_path, f"公式单位与声明单位不相容 formula unit and "
                             f"declared unit '{unit}' are incompatible ({exc.problem})",
                             "改正单位或公式 fix the unit or the formula") from None


def check_unique_numbers(fw: Framework) -> None:
    """Indicator numbers and ids are unique."""
    seen: set[object] = set()
    for index, ind in enumerate(fw.spec.indicators):
        for key in (("number", ind.number), ("id", ind.id)):
            if key in seen:
                raise FrameworkError(fw.file, f"indicators[{index}].{key[0]}",
                                     f"重复 duplicate {key[0]} {key[1]!r}")
            seen.add(key)


def check_categories_exist(fw: Framework) -> None:
    """Every indicator names a declared category."""
    declared = {c.id for c in fw.spec.categories}
    for ind in fw.spec.indicators:
        if ind.category not in declared:
            raise FrameworkError(fw.file, f"{_where(ind)}.category",
                                 f"未声明的类别 unknown category {ind.category!r}",
                                 f"可用 declared: {sorted(declared)}")


def check_membership(fw: Framework) -> None:
    """Every indicator is mandatory, or in exactly one declared group, or guidance; groups can
    be met."""
    groups = fw.spec.verdict.groups
    for ind in fw.spec.indicators:
        if sum((ind.mandatory, ind.group is not None, ind.guidance)) != 1:
            raise FrameworkError(fw.file, _where(ind), "指标须为必选（mandatory: true）或属于一个"
                                 "可选组（group）之一（或为引导性指标 guidance: true）an indicator "
                                 "is either mandatory or in one optional group (or guidance: "
                                 "true)")
        if ind.group is not None and ind.group not in groups:
            raise FrameworkError(fw.file, f"{_where(ind)}.group",
                                 f"未声明的组 unknown group {ind.group!r}",
                                 f"在 verdict.groups 中声明 declare it in verdict.groups: "
                                 f"{sorted(groups)}")
    for gid, group in groups.items():
        size = sum(1 for ind in fw.spec.indicators if ind.group == gid)
        if size < group.min_met:
            raise FrameworkError(fw.file, f"verdict.groups.{gid}.min_met",
                                 f"组内只有 {size} 个指标，少于 min_met={group.min_met} "
                                 f"the group has {size} indicators, fewer than min_met")


def check_units_known(fw: Framework) -> None:
    """Every unit written in the file is one the unit registry knows."""
    places = [(f"items.{k}.unit", v.unit) for k, v in fw.spec.items.items()]
    places += [(f"variables.{k}.unit", v.unit) for k, v in fw.spec.variables.items()]
    places += [(f"{_where(i)}.unit", i.unit) for i in fw.spec.indicators]
    for key_path, unit in places:
        try:
            units.parse_unit(unit)
        except UnitError as exc:
            raise FrameworkError(fw.file, key_path, exc.problem) from None


def check_variables(fw: Framework) -> None:
    """Variable formulas use declared items only and their units agree with the declared unit."""
    scope = dataclasses.replace(fw.scope(), variables={})
    for name, var in fw.spec.variables.items():
        formula = _compile(fw, var.formula, f"variables.{name}.formula", scope)
        fw.variables[name] = (formula, _factor(fw, formula, var.unit, f"variables.{name}.unit"))


def check_formulas(fw: Framework) -> None:
    """Indicator formulas use declared names only."""
    for ind in fw.spec.indicators:
        fw.formulas[ind.number] = _compile(fw, ind.formula, f"{_where(ind)}.formula")


_TIMES_HUNDRED = re.compile(r"\*\s*100(?:\.0*)?(?![\d.])|(?<![\d.])100(?:\.0*)?\s*\*|/\s*0?\.01(?!\d)")


def check_no_times_hundred(fw: Framework) -> None:
    """A % indicator's formula does not multiply by 100: percent is a unit, converted itself."""
    for ind in fw.spec.indicators:
        if ind.unit.strip() in ("%", "％") and _TIMES_HUNDRED.search(ind.formula):
            raise FrameworkError(fw.file, f"{_where(ind)}.formula",
                                 "百分比指标的公式不应乘以 100：% 是单位，会自动换算 a % indicator's "
                                 "formula must not multiply by 100: % is a unit and is converted",
                                 "去掉 “* 100” remove '* 100'")


def check_units_compatible(fw: Framework) -> None:
    """Each indicator formula's unit converts to the indicator's unit; facts are unitless."""
    for ind in fw.spec.indicators:
        formula = fw.formulas[ind.number]
        if formula.kind == "bool":
            raise FrameworkError(fw.file, f"{_where(ind)}.formula",
                                 "指标值不能是条件 an indicator value cannot be a condition")
        fw.factors[ind.number] = _factor(fw, formula, ind.unit, f"{_where(ind)}.unit")


def check_requirements(fw: Framework) -> None:
    """Requirement rules compare the value; `when` conditions use declared profile fields,
    variables and items; text rules name an allowed value of a fact."""
    for ind in fw.spec.indicators:
        req, where = ind.requirement, f"{_where(ind)}.requirement"
        value_unit = TEXT if fw.formulas[ind.number].kind == TEXT else ind.unit
        rule_scope = fw.scope(value_unit)
        rule = None if req.rule is None else _condition(fw, f"value {req.rule}",
                                                        f"{where}.rule", rule_scope)
        cases = tuple(
            (_condition(fw, case.when, f"{where}.cases[{i}].when", fw.scope()),
             _condition(fw, f"value {case.rule}", f"{where}.cases[{i}].rule", rule_scope))
            for i, case in enumerate(req.cases or ()))
        fw.requirements[ind.number] = CompiledRequirement(rule, cases)
        _check_profile_values(fw, ind)
        if value_unit == TEXT:
            _check_fact_values(fw, ind)


def _condition(fw: Framework, text: str, key_path: str, scope: Scope) -> Formula:
    formula = _compile(fw, text, key_path, scope)
    if formula.kind != "bool":
        raise FormulaError(fw.file, key_path, "应为条件（比较）a condition (comparison) is "
                           "expected", expression=text, position=0)
    return formula


def _check_profile_values(fw: Framework, ind: Indicator) -> None:
    """A `when: region_class == 'x'` must name an allowed value of the profile field."""
    for i, case in enumerate(ind.requirement.cases or ()):
        for name, field in fw.spec.profile_fields.items():
            for value in _quoted(case.when):
                if name in case.when and value not in field.values:
                    raise FrameworkError(
                        fw.file, f"{_where(ind)}.requirement.cases[{i}].when",
                        f"{name} 没有取值 {value!r} has no value {value!r}",
                        f"可用 allowed: {sorted(field.values)}")


def _check_fact_values(fw: Framework, ind: Indicator) -> None:
    """A rule like `== '达标'` on a fact must name one of the fact's allowed values."""
    allowed: set[str] = set()
    for name in re.findall(r"[^\W\d]\w*", ind.formula):
        item = fw.spec.items.get(name)
        if item is not None and item.values:
            allowed |= set(item.values)
    req = ind.requirement
    rules = [("rule", req.rule)] if req.rule else [
        (f"cases[{i}].rule", case.rule) for i, case in enumerate(req.cases or ())]
    for key, rule in rules:
        for value in _quoted(rule or ""):
            if value not in allowed:
                raise FrameworkError(fw.file, f"{_where(ind)}.requirement.{key}",
                                     f"{value!r} 不是该事实项的取值 is not a value of the fact",
                                     f"可用 allowed: {sorted(allowed)}")


def _quoted(text: str) -> list[str]:
    return [a or b for a, b in re.findall(r"'([^']*)'|\"([^\"]*)\"", text)]


def check_profile_kinds(fw: Framework) -> None:
    """A choice has values and nothing else does; a number has a known unit and nothing else
    has one; only a text spans lines."""
    for name, field in fw.spec.profile_fields.items():
        where = f"profile_fields.{name}"
        if (field.kind == "choice") != bool(field.values):
            raise FrameworkError(fw.file, f"{where}.values", "取值列表只属于 kind: choice "
                                 f"values belong to a choice field only (kind: {field.kind})",
                                 "列出取值，或写 kind: text add values, or kind: text")
        if (field.kind == "number") != (field.unit is not None):
            raise FrameworkError(fw.file, f"{where}.unit", "单位只属于 kind: number，且数值必须有单位 "
                                 f"a number field needs a unit, no other has one (kind: "
                                 f"{field.kind})")
        if field.unit is not None:
            try:
                units.parse_unit(field.unit)
            except UnitError:
                raise FrameworkError(fw.file, f"{where}.unit",
                                     f"未知单位 unknown unit {field.unit!r}") from None
        if field.lines > 1 and field.kind != "text":
            raise FrameworkError(fw.file, f"{where}.lines", "多行只属于 kind: text "
                                 f"only a text field spans lines (kind: {field.kind})")


def check_profile_defaults(fw: Framework) -> None:
    """A field's default is a value of its kind (a choice: one of its values)."""
    for name, field in fw.spec.profile_fields.items():
        problem = profile_value_problem(field, field.default) if field.default else None
        if problem is not None:
            raise FrameworkError(fw.file, f"profile_fields.{name}.default",
                                 f"默认值不在 values 中 default {field.default!r} not in values"
                                 if field.kind == "choice" else
                                 f"默认值 default {field.default!r}: {problem}")


def profile_value_problem(field: ProfileField, value: str) -> str | None:
    """Why `value` cannot be the field's value (None when it can); an empty text or date is
    allowed (not filled in)."""
    if field.kind == "choice":
        return None if value in field.values else "不在允许范围 not allowed"
    if field.kind == "date" and value:
        try:  # YYYY-MM-DD, or YYYY-MM when only the month is known
            datetime.date.fromisoformat(value if len(value) > 7 else f"{value}-01")
        except ValueError:
            return "应为日期，如 2019-05-22 must be a date such as 2019-05-22"
    if field.kind == "time_zone" and value and value not in _time_zones():
        return "不是时区名称，如 Asia/Shanghai not a time zone such as Asia/Shanghai"
    return None


@functools.cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def check_identities(fw: Framework) -> None:
    """Identities name declared items and their formulas give the item's unit."""
    for name, identity in fw.spec.identities.items():
        if name not in fw.spec.items:
            raise FrameworkError(fw.file, f"identities.{name}",
                                 f"未声明的数据项 unknown item {name!r}")
        formula = _compile(fw, identity.formula, f"identities.{name}.formula")
        unit = fw.spec.items[name].unit
        fw.identities[name] = (formula, _factor(fw, formula, unit, f"identities.{name}"))


def check_consistency_checks(fw: Framework) -> None:
    """Consistency checks refer to declared number items."""
    for index, check in enumerate(fw.spec.checks):
        for key in ("numerator", "denominator"):
            name = getattr(check, key)
            item = fw.spec.items.get(name)
            if item is None or item.kind != "number":
                raise FrameworkError(fw.file, f"checks[{index}].{key}",
                                     f"应为已声明的数值项 expected a declared number item, "
                                     f"got {name!r}")


def check_plausible_ranges(fw: Framework) -> None:
    """A declared plausible range is on a number item and its low is below its high."""
    for name, item in fw.spec.items.items():
        if item.plausible is None:
            continue
        low, high = item.plausible
        if item.kind != "number" or not low < high:
            raise FrameworkError(fw.file, f"items.{name}.plausible", "合理范围须用于数值项且下限小于"
                                 f"上限 a plausible range needs a number item and low < high "
                                 f"(got {low:g}, {high:g})")


CHECKS: tuple[Callable[[Framework], None], ...] = (
    check_unique_numbers, check_categories_exist, check_membership, check_units_known,
    check_variables, check_formulas, check_no_times_hundred, check_units_compatible,
    check_requirements, check_profile_kinds, check_profile_defaults, check_identities,
    check_consistency_checks, check_plausible_ranges,
)


# ------------------------------------------------------------------------ loading


def available_frameworks() -> dict[str, Path]:
    return {path.stem: path for path in sorted(FRAMEWORK_DIR.glob("*.yaml"))}


_STATE = threading.local()  # per thread: framework ids and files being built (cycle guard)


def _loading() -> set[str]:
    names: set[str] | None = getattr(_STATE, "names", None)
    if names is None:
        names = _STATE.names = set()
    return names


def is_loading(name_or_path: str) -> bool:
    """Whether a framework (by id or file) is being built right now, further up this thread's
    stack (a framework that refers to another which refers back)."""
    return name_or_path in _loading()


def load_framework(name_or_path: str | Path) -> Framework:
    """Load a built-in framework by id, or a framework file by path."""
    path = Path(name_or_path)
    if not (path.suffix in (".yaml", ".yml") or path.exists()):
        builtin = available_frameworks()
        if str(name_or_path) not in builtin:
            raise UnknownFramework(str(name_or_path), ", ".join(builtin))
        path = builtin[str(name_or_path)]
    return _load(path.resolve())


@functools.cache
def _load(path: Path) -> Framework:
    data = read_yaml(path)
    loading = _loading()
    if str(path) in loading:
        raise FrameworkError(str(path), "shared_items", "指标体系之间循环引用 frameworks refer "
                             "to each other in a cycle")
    names = {str(path), path.stem}
    loading.update(names)
    try:
        return build_framework(data, str(path))
    finally:
        loading.difference_update(names)


def build_framework(data: Any, file: str) -> Framework:
    """Validate parsed YAML and run every named check."""
    if not isinstance(data, dict):
        raise FrameworkError(file, "(top)", "文件应为键值映射 the file must be a mapping")
    try:
        spec = FrameworkFile.model_validate(data)
    except ValidationError as exc:
        raise _schema_error(exc, file) from None
    framework = Framework(spec, file)
    for check in (*BEFORE, *CHECKS, *AFTER):
        check(framework)
    return framework


def _schema_error(exc: ValidationError, file: str) -> FrameworkError:
    first = exc.errors()[0]
    key_path = ".".join(str(part) for part in first["loc"]) or "(top)"
    more = f"（另有 {exc.error_count() - 1} 处 and {exc.error_count() - 1} more）" \
        if exc.error_count() > 1 else ""
    return FrameworkError(file, key_path, f"{first['msg']}{more}")
