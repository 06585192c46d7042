"""Named checks of what a park reports: units known, variables, identities, consistency checks,
plausible ranges and the record rules of lists."""

from __future__ import annotations

import dataclasses

from ecopark.core import units
from ecopark.core.errors import FrameworkError, UnitError
from ecopark.core.formula import Scope
from ecopark.core.framework.compiling import compile_in, indicator_path, unit_factor
from ecopark.core.framework.model import Framework

__all__ = ["check_consistency_checks", "check_identities", "check_list_rules",
           "check_plausible_ranges", "check_units_known", "check_variables"]


def check_units_known(fw: Framework) -> None:
    """Every unit written in the file is one the unit registry knows."""
    places = [(f"items.{k}.unit", v.unit) for k, v in fw.spec.items.items()]
    places += [(f"variables.{k}.unit", v.unit) for k, v in fw.spec.variables.items()]
    places += [(f"{indicator_path(i)}.unit", i.unit) for i in fw.spec.indicators]
    for key_path, unit in places:
        try:
            units.parse_unit(unit)
        except UnitError as exc:
            raise FrameworkError(fw.file, key_path, exc.problem) from None


def check_variables(fw: Framework) -> None:
    """Variable formulas use declared items only and their units agree with the declared unit."""
    scope = dataclasses.replace(fw.scope(), variables={})
    for name, var in fw.spec.variables.items():
        formula = compile_in(fw, var.formula, f"variables.{name}.formula", scope)
        fw.variables[name] = (formula, unit_factor(fw, formula, var.unit,
                                                   f"variables.{name}.unit"))


def check_identities(fw: Framework) -> None:
    """Identities name declared items and their formulas give the item's unit."""
    for name, identity in fw.spec.identities.items():
        if name not in fw.spec.items:
            raise FrameworkError(fw.file, f"identities.{name}",
                                 f"未声明的数据项 unknown item {name!r}")
        formula = compile_in(fw, identity.formula, f"identities.{name}.formula")
        unit = fw.spec.items[name].unit
        fw.identities[name] = (formula, unit_factor(fw, formula, unit, f"identities.{name}"))


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


def check_list_rules(fw: Framework) -> None:
    """A list's record rule is a condition over its declared number fields; `numbers` and
    `applies_if` name declared fields."""
    for name, lst in fw.spec.lists.items():
        where = f"lists.{name}"
        for key in (*lst.numbers, *([lst.applies_if] if lst.applies_if else [])):
            if key not in lst.fields:
                raise FrameworkError(fw.file, where, f"字段 {key!r} 未在 fields 中声明 not a "
                                     "declared field", f"fields: {lst.fields}")
        if lst.record_rule is None:
            continue
        scope = Scope(items={field: "1" for field in lst.numbers})
        rule = compile_in(fw, lst.record_rule, f"{where}.record_rule", scope)
        if rule.kind != "bool":
            raise FrameworkError(fw.file, f"{where}.record_rule", "应为条件 a condition is "
                                 "expected")
        fw.list_rules[name] = rule
