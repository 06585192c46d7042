"""The formula language of framework files: safe, parsed once, checked, evaluated with a trace.

`compile_formula(text, scope)` parses and checks a formula and returns a `Formula`; its
`evaluate(env)` returns the value (in the formula's own unit) and the trace. Syntax errors and
check errors are `FormulaSyntaxError(problem, position)`; the framework loader adds the place.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from ecopark.core.formula.check import BOOL, TEXT, Scope, Typed, check
from ecopark.core.formula.nodes import Env, NotApplicable, NotEvaluable
from ecopark.core.formula.syntax import FormulaSyntaxError, parse

if TYPE_CHECKING:
    import pint

    from ecopark.core.trace import Trace, Value

__all__ = ["BOOL", "TEXT", "Env", "Formula", "FormulaSyntaxError", "NotApplicable", "NotEvaluable",
           "Scope", "compile_formula"]


@dataclasses.dataclass(frozen=True)
class Formula:
    """A checked formula: its text, result kind ('number', 'text', 'bool') and unit."""

    text: str
    typed: Typed

    @property
    def kind(self) -> str:
        return self.typed.kind

    @property
    def unit(self) -> pint.Unit | None:
        return self.typed.unit

    def evaluate(self, env: Env, year: int | None = None) -> tuple[Value, Trace]:
        return self.typed.expr.eval(env, env.t if year is None else year)


def compile_formula(text: str, scope: Scope) -> Formula:
    return Formula(text, check(parse(text), scope))
