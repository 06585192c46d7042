"""Compiling a framework's formulas in its scope, with errors at their key path: the helpers the
named checks share."""

from __future__ import annotations

from ecopark.core import units
from ecopark.core.errors import FormulaError, FrameworkError, UnitError
from ecopark.core.formula import Formula, FormulaSyntaxError, Scope, compile_formula
from ecopark.core.framework.indicators import Indicator
from ecopark.core.framework.model import Framework

__all__ = ["compile_in", "condition", "indicator_path", "unit_factor"]


def indicator_path(ind: Indicator) -> str:
    """An indicator's key path in the file: `indicators[number=n]`."""
    return f"indicators[number={ind.number}]"


def compile_in(fw: Framework, text: str, key_path: str, scope: Scope | None = None) -> Formula:
    """A formula compiled in the framework's scope (or `scope`); a `FormulaError` at
    `key_path` when it does not compile."""
    try:
        return compile_formula(text, scope or fw.scope())
    except FormulaSyntaxError as exc:
        raise FormulaError(fw.file, key_path, exc.problem, expression=text,
                           position=exc.position) from None


def unit_factor(fw: Framework, formula: Formula, unit: str, key_path: str) -> float:
    """The factor from a number formula's unit to the declared `unit` (1 for text)."""
    if formula.kind != "number":
        return 1.0
    assert formula.unit is not None
    try:
        return units.unit_factor(formula.unit, units.parse_unit(unit))
    except UnitError as exc:
        raise FrameworkError(fw.file, key_path, f"公式单位与声明单位不相容 formula unit and "
                             f"declared unit '{unit}' are incompatible ({exc.problem})",
                             "改正单位或公式 fix the unit or the formula") from None


def condition(fw: Framework, text: str, key_path: str, scope: Scope) -> Formula:
    """A formula that must be a condition (a comparison)."""
    formula = compile_in(fw, text, key_path, scope)
    if formula.kind != "bool":
        raise FormulaError(fw.file, key_path, "应为条件（比较）a condition (comparison) is "
                           "expected", expression=text, position=0)
    return formula
