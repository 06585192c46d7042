"""Named checks of the indicators: unique numbers, declared categories, membership (mandatory,
one group, or guidance), formulas and their units, requirements, guidance and exemption,
companion values and warnings."""

from __future__ import annotations

import re

from ecopark.core.errors import FrameworkError
from ecopark.core.formula import TEXT
from ecopark.core.framework.compiling import compile_in, condition, indicator_path, unit_factor
from ecopark.core.framework.indicators import Indicator
from ecopark.core.framework.model import CompiledRequirement, Framework

__all__ = ["check_advisories", "check_categories_exist", "check_companions", "check_formulas",
           "check_guidance", "check_membership", "check_no_times_hundred", "check_requirements",
           "check_unique_numbers", "check_units_compatible"]


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
            raise FrameworkError(fw.file, f"{indicator_path(ind)}.category",
                                 f"未声明的类别 unknown category {ind.category!r}",
                                 f"可用 declared: {sorted(declared)}")


def check_membership(fw: Framework) -> None:
    """Every indicator is mandatory, or in exactly one declared group, or guidance; groups can
    be met."""
    groups = fw.spec.verdict.groups
    for ind in fw.spec.indicators:
        if sum((ind.mandatory, ind.group is not None, ind.guidance)) != 1:
            raise FrameworkError(fw.file, indicator_path(ind), "指标须为必选（mandatory: true）或属于"
                                 "一个可选组（group）之一（或为引导性指标 guidance: true）an "
                                 "indicator is either mandatory or in one optional group (or "
                                 "guidance: true)")
        if ind.group is not None and ind.group not in groups:
            raise FrameworkError(fw.file, f"{indicator_path(ind)}.group",
                                 f"未声明的组 unknown group {ind.group!r}",
                                 f"在 verdict.groups 中声明 declare it in verdict.groups: "
                                 f"{sorted(groups)}")
    for gid, group in groups.items():
        size = sum(1 for ind in fw.spec.indicators if ind.group == gid)
        if size < group.min_met:
            raise FrameworkError(fw.file, f"verdict.groups.{gid}.min_met",
                                 f"组内只有 {size} 个指标，少于 min_met={group.min_met} "
                                 f"the group has {size} indicators, fewer than min_met")


def check_formulas(fw: Framework) -> None:
    """Indicator formulas use declared names only."""
    for ind in fw.spec.indicators:
        fw.formulas[ind.number] = compile_in(fw, ind.formula, f"{indicator_path(ind)}.formula")


_TIMES_HUNDRED = re.compile(r"\*\s*100(?:\.0*)?(?![\d.])|(?<![\d.])100(?:\.0*)?\s*\*|/\s*0?\.01(?!\d)")


def check_no_times_hundred(fw: Framework) -> None:
    """A % indicator's formula does not multiply by 100: percent is a unit, converted itself."""
    for ind in fw.spec.indicators:
        if ind.unit.strip() in ("%", "％") and _TIMES_HUNDRED.search(ind.formula):
            raise FrameworkError(fw.file, f"{indicator_path(ind)}.formula",
                                 "百分比指标的公式不应乘以 100：% 是单位，会自动换算 a % indicator's "
                                 "formula must not multiply by 100: % is a unit and is converted",
                                 "去掉 “* 100” remove '* 100'")


def check_units_compatible(fw: Framework) -> None:
    """Each indicator formula's unit converts to the indicator's unit; facts are unitless."""
    for ind in fw.spec.indicators:
        formula = fw.formulas[ind.number]
        if formula.kind == "bool":
            raise FrameworkError(fw.file, f"{indicator_path(ind)}.formula",
                                 "指标值不能是条件 an indicator value cannot be a condition")
        fw.factors[ind.number] = unit_factor(fw, formula, ind.unit, f"{indicator_path(ind)}.unit")


def check_requirements(fw: Framework) -> None:
    """Requirement rules compare the value; `when` conditions use declared profile fields,
    variables and items; text rules name an allowed value of a fact."""
    for ind in fw.spec.indicators:
        req, where = ind.requirement, f"{indicator_path(ind)}.requirement"
        value_unit = TEXT if fw.formulas[ind.number].kind == TEXT else ind.unit
        rule_scope = fw.scope(value_unit)
        rule = None if req.rule is None else condition(fw, f"value {req.rule}",
                                                       f"{where}.rule", rule_scope)
        cases = tuple(
            (condition(fw, case.when, f"{where}.cases[{i}].when", fw.scope()),
             condition(fw, f"value {case.rule}", f"{where}.cases[{i}].rule", rule_scope))
            for i, case in enumerate(req.cases or ()))
        fw.requirements[ind.number] = CompiledRequirement(rule, cases)
        _check_profile_values(fw, ind)
        if value_unit == TEXT:
            _check_fact_values(fw, ind)


def _check_profile_values(fw: Framework, ind: Indicator) -> None:
    """A `when: region_class == 'x'` must name an allowed value of the profile field."""
    for i, case in enumerate(ind.requirement.cases or ()):
        for name, field in fw.spec.profile_fields.items():
            for value in _quoted(case.when):
                if name in case.when and value not in field.values:
                    raise FrameworkError(
                        fw.file, f"{indicator_path(ind)}.requirement.cases[{i}].when",
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
                raise FrameworkError(fw.file, f"{indicator_path(ind)}.requirement.{key}",
                                     f"{value!r} 不是该事实项的取值 is not a value of the fact",
                                     f"可用 allowed: {sorted(allowed)}")


def _quoted(text: str) -> list[str]:
    return [a or b for a, b in re.findall(r"'([^']*)'|\"([^\"]*)\"", text)]


def check_guidance(fw: Framework) -> None:
    """Under a gate_guidance verdict there are no groups and at least one core (mandatory)
    indicator; guidance indicators need that verdict; only non-mandatory indicators are
    exemptible."""
    verdict = fw.spec.verdict
    for ind in fw.spec.indicators:
        where = indicator_path(ind)
        if ind.exemptible and ind.mandatory:
            raise FrameworkError(fw.file, f"{where}.exemptible", "必选（核心）指标不能豁免 a "
                                 "mandatory (core) indicator cannot be exempted")
        if ind.guidance and verdict.kind != "gate_guidance":
            raise FrameworkError(fw.file, f"{where}.guidance", "引导性指标需要 verdict.kind: "
                                 "gate_guidance guidance indicators need verdict.kind: "
                                 "gate_guidance")
    if verdict.kind == "gate_guidance":
        if verdict.groups:
            raise FrameworkError(fw.file, "verdict.groups", "gate_guidance 规则没有可选组 takes "
                                 "no groups")
        if not any(ind.mandatory for ind in fw.spec.indicators):
            raise FrameworkError(fw.file, "verdict.kind", "gate_guidance 至少需要一项核心（必选）"
                                 "指标 needs at least one core (mandatory) indicator")


def check_companions(fw: Framework) -> None:
    """Companion formulas use declared names, give a number, and convert to their unit; ids
    are unique per indicator."""
    for ind in fw.spec.indicators:
        seen: set[str] = set()
        for companion in ind.companions:
            where = f"{indicator_path(ind)}.companions.{companion.id}"
            if companion.id in seen:
                raise FrameworkError(fw.file, where, f"重复 duplicate companion id "
                                     f"{companion.id!r}")
            seen.add(companion.id)
            formula = compile_in(fw, companion.formula, f"{where}.formula")
            if formula.kind != "number":
                raise FrameworkError(fw.file, f"{where}.formula", "伴随值须为数值 a companion "
                                     "is a number")
            factor = unit_factor(fw, formula, companion.unit, f"{where}.unit")
            fw.companions[(ind.number, companion.id)] = (formula, factor)


def check_advisories(fw: Framework) -> None:
    """Warnings name existing indicators, have unique ids, and their `when` is a condition."""
    seen: set[str] = set()
    for index, advisory in enumerate(fw.spec.warnings):
        where = f"warnings[{index}]"
        if advisory.id in seen:
            raise FrameworkError(fw.file, f"{where}.id", f"重复 duplicate id {advisory.id!r}")
        seen.add(advisory.id)
        for number in advisory.indicators:
            if number not in fw.by_number:
                raise FrameworkError(fw.file, f"{where}.indicators", f"没有序号为 {number} 的指标 "
                                     "no such indicator")
        fw.advisories[advisory.id] = condition(fw, advisory.when, f"{where}.when", fw.scope())
