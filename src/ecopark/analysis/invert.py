"""Exact inversion of a checked formula for one input: which value of `item` in `year` makes the
formula equal a target, all other inputs held fixed.

Inversion walks down the path from the root to the (single) occurrence of the input, undoing each
operation: `a / b = T` gives `a = T·b` or `b = a / T`; `cagr(e, a, b) = g` gives
`e[b] = e[a]·(1 + g)ⁿ`; `mean` subtracts the other members; `elasticity` multiplies by the other
growth rate. A node that cannot be undone (a comparison, a checklist, a count) raises
`NotInvertible`, and the caller falls back to bisection.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from ecopark.core.errors import MissingData
from ecopark.core.formula import nodes as n
from ecopark.core.formula.nodes import Env, NotEvaluable

__all__ = ["NotInvertible", "occurrences", "solve"]

Leaf = tuple[str, int]


class NotInvertible(Exception):
    """The formula cannot be undone analytically for this input."""


def _number(node: n.Expr, env: Env, year: int) -> float:
    value, _ = node.eval(env, year)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise NotInvertible("not a number")
    return float(value)


def occurrences(node: n.Expr, env: Env, year: int, leaf: Leaf) -> int:
    """How many times the input is read while evaluating `node` (0 if it is not used)."""
    try:
        _, trace = node.eval(env, year)
    except (MissingData, NotEvaluable):
        return 0
    return sum(1 for t in trace.leaves() if (t.item, t.year) == leaf)


def solve(node: n.Expr, env: Env, year: int, target: float, leaf: Leaf) -> float:
    """The value of `leaf` that makes `node` (evaluated in `year`) equal `target`."""
    handler = _HANDLERS.get(type(node))
    if handler is None:
        raise NotInvertible(type(node).__name__)
    return handler(node, env, year, target, leaf)


def _item(node: n.Expr, env: Env, year: int, target: float, leaf: Leaf) -> float:
    assert isinstance(node, n.ItemRef)
    if (node.name, year) != leaf:
        raise NotInvertible("the input is not on this path")
    return target


def _at(node: n.Expr, env: Env, year: int, target: float, leaf: Leaf) -> float:
    assert isinstance(node, n.AtYear)
    return solve(node.inner, env, node.year.year(env), target, leaf)


def _neg(node: n.Expr, env: Env, year: int, target: float, leaf: Leaf) -> float:
    assert isinstance(node, n.Neg)
    return solve(node.inner, env, year, -target, leaf)


def _arith(node: n.Expr, env: Env, year: int, target: float, leaf: Leaf) -> float:
    assert isinstance(node, n.Arith)
    in_left = occurrences(node.left, env, year, leaf) > 0
    other = node.right if in_left else node.left
    v = _number(other, env, year) * (node.right_factor if in_left else 1.0)
    f = node.right_factor
    op = node.op
    if in_left:
        wanted = {"+": lambda: target - v, "-": lambda: target + v,
                  "*": lambda: _div(target, v), "/": lambda: target * v,
                  "**": lambda: _root(target, v)}[op]()
        return solve(node.left, env, year, wanted, leaf)
    wanted = {"+": lambda: (target - v) / f, "-": lambda: (v - target) / f,
              "*": lambda: _div(_div(target, v), f), "/": lambda: _div(_div(v, target), f),
              "**": lambda: _log(target, v)}[op]()
    return solve(node.right, env, year, wanted, leaf)


def _div(a: float, b: float) -> float:
    if b == 0:
        raise NotInvertible("division by zero")
    return a / b


def _root(target: float, exponent: float) -> float:
    if exponent == 0 or (target < 0 and not (1 / exponent).is_integer()):
        raise NotInvertible("no real root")
    return float(target ** (1 / exponent))


def _log(target: float, base: float) -> float:
    if target <= 0 or base <= 0 or base == 1:
        raise NotInvertible("no real logarithm")
    return math.log(target) / math.log(base)


def _cagr(node: n.Expr, env: Env, year: int, target: float, leaf: Leaf) -> float:
    assert isinstance(node, n.Cagr)
    a, b = node.start.year(env), node.end.year(env)
    if 1 + target <= 0:
        raise NotInvertible("growth below −100 %")
    factor = (1 + target) ** (b - a)
    if occurrences(node.inner, env, b, leaf):
        return solve(node.inner, env, b, _number(node.inner, env, a) * factor, leaf)
    return solve(node.inner, env, a, _div(_number(node.inner, env, b), factor), leaf)


def _elasticity(node: n.Expr, env: Env, year: int, target: float, leaf: Leaf) -> float:
    assert isinstance(node, n.Elasticity)
    if occurrences(node.gx, env, year, leaf):
        return solve(node.gx, env, year, target * _number(node.gy, env, year), leaf)
    return solve(node.gy, env, year, _div(_number(node.gx, env, year), target), leaf)


def _mean(node: n.Expr, env: Env, year: int, target: float, leaf: Leaf) -> float:
    assert isinstance(node, n.Mean)
    values: list[float] = []
    holder: n.Expr | None = None
    for part in node.parts:
        try:
            value = _number(part, env, year)
        except MissingData:
            continue
        if occurrences(part, env, year, leaf):
            holder = part
        else:
            values.append(value)
    if holder is None:
        raise NotInvertible("the input is not in the mean")
    return solve(holder, env, year, target * (len(values) + 1) - sum(values), leaf)


def _coalesce(node: n.Expr, env: Env, year: int, target: float, leaf: Leaf) -> float:
    assert isinstance(node, n.Coalesce)
    for part, factor in zip(node.parts, node.factors, strict=True):
        try:
            part.eval(env, year)
        except MissingData:
            continue
        return solve(part, env, year, target / factor, leaf)
    raise NotInvertible("no branch can be computed")


_HANDLERS: dict[type, Callable[[n.Expr, Env, int, float, Leaf], float]] = {
    n.ItemRef: _item, n.AtYear: _at, n.Neg: _neg, n.Arith: _arith, n.Cagr: _cagr,
    n.Elasticity: _elasticity, n.Mean: _mean, n.Coalesce: _coalesce,
}
