"""Which (item, year) pairs checked formulas read, for an evaluation year t and a planning base
year t0 — read from the formulas, not from a run: every branch counts (both sides of `if`, every
member of `mean` and `coalesce`), variables are followed, `x[t-3]` and `cagr(x, t0, t)` move the
year. The data forms use it to offer every year an indicator needs, whether stored or not.

    item_years([formula, ...], t, t0, variables) -> [(item, year), ...] in order of first use
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from ecopark.core.formula.nodes import (
    AtYear,
    Cagr,
    Count,
    Elasticity,
    Expr,
    ItemRef,
    VarRef,
    YearExpr,
)

__all__ = ["item_years"]


class _Years:
    """The two years a year expression may name (`YearExpr.year` asks nothing else)."""

    def __init__(self, t: int, t0: int) -> None:
        self.t, self.t0 = t, t0

    def base_year(self) -> int:
        return self.t0


def item_years(exprs: Iterable[Expr], t: int, t0: int,
               variables: Mapping[str, Expr]) -> list[tuple[str, int]]:
    """The (item, year) pairs `exprs` read when the evaluation year is `t` and the base year
    `t0`, in order of first use, each once."""
    years = _Years(t, t0)
    found: dict[tuple[str, int], None] = {}
    for expr in exprs:
        found.update(dict.fromkeys(_walk(expr, t, years, variables, ())))
    return list(found)


def _walk(node: Expr, year: int, years: _Years, variables: Mapping[str, Expr],
          seen: tuple[str, ...]) -> Iterator[tuple[str, int]]:
    if isinstance(node, ItemRef):
        yield node.name, year
    elif isinstance(node, VarRef):
        if node.name in variables and node.name not in seen:
            yield from _walk(variables[node.name], year, years, variables, (*seen, node.name))
    elif isinstance(node, AtYear):
        yield from _walk(node.inner, _at(node.year, years), years, variables, seen)
    elif isinstance(node, Cagr):
        for at in (node.start, node.end):
            yield from _walk(node.inner, _at(at, years), years, variables, seen)
    elif isinstance(node, Elasticity):
        for growth in (node.gx, node.gy):
            yield from _walk(growth, year, years, variables, seen)
    elif not isinstance(node, Count):  # a count reads a list's records, not items
        for child in _children(node):
            yield from _walk(child, year, years, variables, seen)


def _at(expr: YearExpr, years: _Years) -> int:
    return expr.year(years)  # type: ignore[arg-type]  # _Years has all YearExpr.year reads


def _children(node: Expr) -> Iterator[Expr]:
    """The sub-expressions of any other node, whatever its attributes are called."""
    for value in vars(node).values():
        if isinstance(value, Expr):
            yield value
        elif isinstance(value, tuple):
            yield from (part for part in value if isinstance(part, Expr))
