"""Checked formula nodes: each evaluates over an `Env` at a context year, giving value and trace.

Nodes are built only by `ecopark.core.formula.check`, which has already resolved every name, checked
every type and unit, and baked unit conversion factors in; evaluation is plain float arithmetic.
"""

from __future__ import annotations

from typing import Protocol

from ecopark.core.errors import MissingData
from ecopark.core.trace import Trace, Value

__all__ = ["Env", "Expr", "NotApplicable", "NotEvaluable", "YearExpr"]


class NotEvaluable(Exception):
    """The inputs exist but the formula has no meaning for them (zero denominator, g = 0 …)."""

    def __init__(self, reason_zh: str, reason_en: str) -> None:
        super().__init__(reason_en)
        self.reason_zh = reason_zh
        self.reason_en = reason_en


class NotApplicable(NotEvaluable):
    """Nothing the formula asks about exists (e.g. no product has a quota standard): the
    indicator does not apply, which is different from data that cannot be judged."""


class Env(Protocol):
    """The dataset as one evaluation sees it."""

    t: int

    def base_year(self) -> int: ...
    def item(self, name: str, year: int) -> tuple[float | str, str | None]: ...
    def variable(self, name: str, year: int) -> tuple[Value, Trace]: ...
    def profile(self, name: str) -> str: ...
    def checklist(self, name: str, year: int) -> tuple[int, int, list[str]]: ...
    def count(self, name: str, after: int, upto: int) -> tuple[int, list[str]]: ...
    def value(self) -> Value: ...
    def warn(self, zh: str, en: str) -> None: ...
    def setting(self, name: str) -> tuple[Value | None, str]: ...
    def list_rule(self, name: str, year: int) -> tuple[int, int, list[str]]: ...


# ----------------------------------------------------------------------------- years


class YearExpr:
    """t, t0, a literal year, or sums and differences of them."""

    def __init__(self, text: str, op: str = "", parts: tuple[YearExpr, ...] = (),
                 literal: int | None = None) -> None:
        self.text, self.op, self.parts, self.literal = text, op, parts, literal

    def year(self, env: Env) -> int:
        if self.literal is not None:
            return self.literal
        if self.text == "t":
            return env.t
        if self.text == "t0":
            return env.base_year()
        left, right = (part.year(env) for part in self.parts)
        return left + right if self.op == "+" else left - right


# ----------------------------------------------------------------------------- values


class Expr:
    """A checked expression. `unit` is the display unit of its result ('' if none)."""

    text: str = ""
    unit: str = ""

    def eval(self, env: Env, year: int) -> tuple[Value, Trace]:
        raise NotImplementedError


def _number(value: Value) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"expected a number, got {value!r}")
    return float(value)


class Const(Expr):
    def __init__(self, value: Value, text: str) -> None:
        self.const, self.text = value, text

    def eval(self, env: Env, year: int) -> tuple[Value, Trace]:
        return self.const, Trace(self.text, self.const)


class ItemRef(Expr):
    def __init__(self, name: str, unit: str) -> None:
        self.name, self.unit, self.text = name, unit, name

    def eval(self, env: Env, year: int) -> tuple[Value, Trace]:
        value, source = env.item(self.name, year)
        return value, Trace(self.name, value, self.unit, item=self.name, year=year, source=source)


class VarRef(Expr):
    def __init__(self, name: str, unit: str) -> None:
        self.name, self.unit, self.text = name, unit, name

    def eval(self, env: Env, year: int) -> tuple[Value, Trace]:
        return env.variable(self.name, year)


class ProfileRef(Expr):
    def __init__(self, name: str) -> None:
        self.name = self.text = name

    def eval(self, env: Env, year: int) -> tuple[Value, Trace]:
        value = env.profile(self.name)
        return value, Trace(self.name, value, note="园区信息 park profile")


class SettingRef(Expr):
    """A framework setting: the dataset's value, else the framework's default. A setting with
    no value (no default, none given) cannot be used: not evaluable, naming the setting."""

    def __init__(self, name: str, unit: str) -> None:
        self.name, self.unit, self.text = name, unit, name

    def eval(self, env: Env, year: int) -> tuple[Value, Trace]:
        value, origin = env.setting(self.name)
        if value is None:
            raise NotEvaluable(f"设置 {self.name} 没有取值（无默认值）：请在数据文件 settings 中指定",
                               f"setting {self.name} has no value (no default): give it in the "
                               "dataset's settings")
        return value, Trace(self.name, value, self.unit, note=f"设置 setting — {origin}")


class Defined(Expr):
    def __init__(self, name: str) -> None:
        self.name, self.text = name, f"defined({name})"

    def eval(self, env: Env, year: int) -> tuple[Value, Trace]:
        value, origin = env.setting(self.name)
        result = value is not None
        return result, Trace(self.text, result, note=f"设置 setting — {origin}")


class ValueRef(Expr):
    text = "value"

    def __init__(self, unit: str) -> None:
        self.unit = unit

    def eval(self, env: Env, year: int) -> tuple[Value, Trace]:
        value = env.value()
        return value, Trace("value", value, self.unit)


class AtYear(Expr):
    """`expr[year]`: evaluate the inner expression in another context year."""

    def __init__(self, inner: Expr, year: YearExpr) -> None:
        self.inner, self.year, self.unit = inner, year, inner.unit
        self.text = f"{inner.text}[{year.text}]"

    def eval(self, env: Env, year: int) -> tuple[Value, Trace]:
        return self.inner.eval(env, self.year.year(env))


def _keep(node: Expr) -> bool:
    """Constants are visible in the label; only computed operands become trace children."""
    return not isinstance(node, Const)


class Arith(Expr):
    def __init__(self, op: str, left: Expr, right: Expr, unit: str, right_factor: float) -> None:
        self.op, self.left, self.right, self.unit = op, left, right, unit
        self.right_factor = right_factor
        self.text = f"{_wrap(left)} {op} {_wrap(right)}"

    def eval(self, env: Env, year: int) -> tuple[Value, Trace]:
        lv, lt = self.left.eval(env, year)
        rv, rt = self.right.eval(env, year)
        a, b = _number(lv), _number(rv) * self.right_factor
        result = _apply(self.op, a, b, self.right.text)
        children = [t for t, n in ((lt, self.left), (rt, self.right)) if _keep(n)]
        return result, Trace(self.text, result, self.unit, children)


def _wrap(node: Expr) -> str:
    return f"({node.text})" if isinstance(node, Arith | Compare | Logic) else node.text


def _apply(op: str, a: float, b: float, right_text: str) -> float:
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        if b == 0:
            raise NotEvaluable(f"分母为零：{right_text} = 0", f"zero denominator: {right_text} = 0")
        return a / b
    if a < 0 and not float(b).is_integer():
        raise NotEvaluable(f"负数 {a:g} 不能开非整数次方", f"negative {a:g} to a fractional power")
    if a == 0 and b < 0:
        raise NotEvaluable("零的负数次方", "zero to a negative power")
    return float(a**b)


class Neg(Expr):
    def __init__(self, inner: Expr) -> None:
        self.inner, self.unit, self.text = inner, inner.unit, f"-{_wrap(inner)}"

    def eval(self, env: Env, year: int) -> tuple[Value, Trace]:
        value, trace = self.inner.eval(env, year)
        result = -_number(value)
        return result, Trace(self.text, result, self.unit, [trace])


_COMPARE = {
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b,
}


class Compare(Expr):
    def __init__(self, op: str, left: Expr, right: Expr, right_factor: float, numeric: bool) -> None:
        self.op, self.left, self.right = op, left, right
        self.right_factor, self.numeric = right_factor, numeric
        self.text = f"{_wrap(left)} {op} {_wrap(right)}"

    def eval(self, env: Env, year: int) -> tuple[Value, Trace]:
        lv, lt = self.left.eval(env, year)
        rv, rt = self.right.eval(env, year)
        if self.numeric:
            lv, rv = _number(lv), _number(rv) * self.right_factor
        result = bool(_COMPARE[self.op](lv, rv))
        children = [t for t, n in ((lt, self.left), (rt, self.right)) if _keep(n)]
        return result, Trace(self.text, result, "", children)


class Logic(Expr):
    def __init__(self, op: str, parts: tuple[Expr, ...]) -> None:
        self.op, self.parts = op, parts
        self.text = f"not {_wrap(parts[0])}" if op == "not" else f" {op} ".join(
            _wrap(p) for p in parts)

    def eval(self, env: Env, year: int) -> tuple[Value, Trace]:
        results = [part.eval(env, year) for part in self.parts]
        values = [bool(v) for v, _ in results]
        result = (not values[0]) if self.op == "not" else (
            all(values) if self.op == "and" else any(values))
        return result, Trace(self.text, result, "", [t for _, t in results])


# ----------------------------------------------------------------------------- functions


class Cagr(Expr):
    """(x[b] / x[a]) ** (1 / (b − a)) − 1: geometric average annual growth."""

    def __init__(self, inner: Expr, start: YearExpr, end: YearExpr) -> None:
        self.inner, self.start, self.end = inner, start, end
        self.text = f"cagr({inner.text}, {start.text}, {end.text})"

    def eval(self, env: Env, year: int) -> tuple[Value, Trace]:
        a, b = self.start.year(env), self.end.year(env)
        xa, ta = self.inner.eval(env, a)
        xb, tb = self.inner.eval(env, b)
        result = cagr(_number(xa), _number(xb), a, b, self.inner.text)
        return result, Trace(self.text, result, "", [ta, tb], note=f"{a}→{b}, n = {b - a}")


def cagr(xa: float, xb: float, a: int, b: int, what: str) -> float:
    if b == a:
        raise NotEvaluable(f"{what}：起止年份相同（{a}）", f"{what}: start and end year are both {a}")
    if xa == 0:
        raise NotEvaluable(f"{what} 在 {a} 年为零，增长率无意义",
                           f"{what} is zero in {a}; growth is undefined")
    ratio = xb / xa
    if ratio < 0:
        raise NotEvaluable(f"{what} 在 {a} 与 {b} 年符号相反", f"{what} changes sign from {a} to {b}")
    return float(ratio ** (1.0 / (b - a)) - 1.0)


class Elasticity(Expr):
    """cagr(x, a, b) / cagr(y, a, b)."""

    def __init__(self, x: Expr, y: Expr, start: YearExpr, end: YearExpr) -> None:
        self.gx, self.gy = Cagr(x, start, end), Cagr(y, start, end)
        self.text = f"elasticity({x.text}, {y.text}, {start.text}, {end.text})"

    def eval(self, env: Env, year: int) -> tuple[Value, Trace]:
        gx, tx = self.gx.eval(env, year)
        gy, ty = self.gy.eval(env, year)
        if gy == 0:
            raise NotEvaluable(f"分母 {self.gy.text} = 0，弹性系数无意义",
                               f"denominator {self.gy.text} = 0; the elasticity is undefined")
        result = _number(gx) / _number(gy)
        return result, Trace(self.text, result, "", [tx, ty])


class Mean(Expr):
    """Arithmetic mean of the members that can be computed; the others are left out, warned."""

    def __init__(self, parts: tuple[Expr, ...], unit: str) -> None:
        self.parts, self.unit = parts, unit
        self.text = "mean(" + ", ".join(p.text for p in parts) + ")"

    def eval(self, env: Env, year: int) -> tuple[Value, Trace]:
        values: list[float] = []
        children: list[Trace] = []
        first_missing: MissingData | None = None
        for part in self.parts:
            try:
                value, trace = part.eval(env, year)
            except MissingData as missing:
                first_missing = first_missing or missing
                children.append(_left_out(env, part, missing))
                continue
            values.append(_number(value))
            children.append(trace)
        if not values:
            assert first_missing is not None
            raise first_missing
        result = sum(values) / len(values)
        return result, Trace(self.text, result, self.unit, children,
                             note=f"{len(values)}/{len(self.parts)}")


def _left_out(env: Env, part: Expr, missing: MissingData) -> Trace:
    zh = f"{part.text} 未计入平均：缺少 {missing.item}（{missing.year}年），不按 0 计"
    en = f"{part.text} left out of the mean: {missing.item} for {missing.year} is missing (not 0)"
    env.warn(zh, en)
    return Trace(part.text, None, "", note=zh + " / " + en)


class Coalesce(Expr):
    """The first member that can be computed."""

    def __init__(self, parts: tuple[Expr, ...], unit: str, factors: tuple[float, ...]) -> None:
        self.parts, self.unit, self.factors = parts, unit, factors
        self.text = "coalesce(" + ", ".join(p.text for p in parts) + ")"

    def eval(self, env: Env, year: int) -> tuple[Value, Trace]:
        first_missing: MissingData | None = None
        for index, (part, factor) in enumerate(zip(self.parts, self.factors, strict=True)):
            try:
                value, trace = part.eval(env, year)
            except MissingData as missing:
                first_missing = first_missing or missing
                continue
            if isinstance(value, float | int) and not isinstance(value, bool):
                value = float(value) * factor
            note = f"采用第 {index + 1} 种算法 / alternative {index + 1} used: {part.text}"
            return value, Trace(self.text, value, self.unit, [trace], note=note)
        assert first_missing is not None
        raise first_missing


class Checklist(Expr):
    def __init__(self, name: str) -> None:
        self.name, self.text = name, f"checklist({name})"

    def eval(self, env: Env, year: int) -> tuple[Value, Trace]:
        done, required, lines = env.checklist(self.name, year)
        if required == 0:
            raise NotEvaluable(f"清单 {self.name} 没有任何子项", f"checklist {self.name} has no items")
        result = done / required
        leaves = [Trace(line, None) for line in lines]
        return result, Trace(self.text, result, "", leaves, item=self.name, year=year,
                             note=f"{done}/{required}")


class If(Expr):
    """if(condition, a, b): only the branch taken is evaluated."""

    def __init__(self, cond: Expr, then: Expr, other: Expr, unit: str, factor: float) -> None:
        self.cond, self.then, self.other, self.unit, self.factor = cond, then, other, unit, factor
        self.text = f"if({cond.text}, {then.text}, {other.text})"

    def eval(self, env: Env, year: int) -> tuple[Value, Trace]:
        holds, cond_trace = self.cond.eval(env, year)
        branch = self.then if holds else self.other
        value, trace = branch.eval(env, year)
        if not holds and isinstance(value, float | int) and not isinstance(value, bool):
            value = float(value) * self.factor
        children = [cond_trace] + ([trace] if _keep(branch) else [])
        return value, Trace(self.text, value, self.unit, children)


class MetShare(Expr):
    """Share of the context year's applicable records of a list that meet its record rule."""

    def __init__(self, name: str) -> None:
        self.name, self.text = name, f"met_share({name})"

    def eval(self, env: Env, year: int) -> tuple[Value, Trace]:
        met, applicable, lines = env.list_rule(self.name, year)
        leaves = [Trace(line, None) for line in lines]
        if applicable == 0:
            raise NotApplicable(f"{self.name}：{year} 年没有适用的记录", f"{self.name}: no "
                                f"applicable record in {year}")
        result = met / applicable
        return result, Trace(self.text, result, "", leaves, item=self.name, year=year,
                             note=f"{met}/{applicable}")


class Count(Expr):
    def __init__(self, name: str, start: YearExpr, end: YearExpr, unit: str) -> None:
        self.name, self.start, self.end, self.unit = name, start, end, unit
        self.text = f"count({name}, {start.text}, {end.text})"

    def eval(self, env: Env, year: int) -> tuple[Value, Trace]:
        after, upto = self.start.year(env), self.end.year(env)
        number, lines = env.count(self.name, after, upto)
        leaves = [Trace(line, None) for line in lines]
        return float(number), Trace(self.text, float(number), self.unit, leaves, item=self.name,
                                    note=f"{after} < year ≤ {upto}")
