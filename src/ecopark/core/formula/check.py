"""Formula checking: resolve names against a scope, check types and units, build nodes.

Units are analysed statically with pint: an item's value is always held in its canonical unit,
so each node's unit is known before any data is seen. `+`, `-`, comparisons and `coalesce`
convert their right-hand operands with a factor fixed here; a bare number literal in `+`, `-` or
a comparison takes the unit of the other side (`value >= 30` with value in % means 30 %).
"""

from __future__ import annotations

import dataclasses
import difflib
from typing import TYPE_CHECKING

from ecopark.core import units
from ecopark.core.errors import UnitError
from ecopark.core.formula import nodes as n
from ecopark.core.formula.syntax import (
    At,
    Binary,
    Call,
    FormulaSyntaxError,
    Name,
    Node,
    Num,
    Str,
    Unary,
)

if TYPE_CHECKING:
    import pint

__all__ = ["BOOL", "Scope", "Typed", "check"]

TEXT = "text"
BOOL = "bool"  # a yes/no setting (a condition)


@dataclasses.dataclass(frozen=True)
class Scope:
    """The names a formula may use. Units are unit strings as written in the framework;
    the unit "text" marks a yes/no fact (its values are strings)."""

    items: dict[str, str]
    variables: dict[str, str] = dataclasses.field(default_factory=dict)
    profile_fields: frozenset[str] = frozenset()
    lists: frozenset[str] = frozenset()
    checklists: frozenset[str] = frozenset()
    value_unit: str | None = None  # set when checking a requirement rule
    settings: dict[str, str] = dataclasses.field(default_factory=dict)  # unit, TEXT or BOOL
    rule_lists: frozenset[str] = frozenset()  # lists with a record rule (met_share)

    def names(self) -> list[str]:
        return [*self.items, *self.variables, *self.profile_fields, *self.settings, "t", "t0"]


@dataclasses.dataclass(frozen=True)
class Typed:
    """A checked expression with its kind ('number', 'text', 'bool') and unit."""

    expr: n.Expr
    kind: str
    unit: pint.Unit | None = None
    literal: bool = False


def _fail(problem: str, node: Node) -> FormulaSyntaxError:
    return FormulaSyntaxError(problem, node.pos)


def _label(unit: pint.Unit | None) -> str:
    if unit is None or unit.dimensionless:
        return ""
    return units.pretty(f"{unit:~C}".replace("**", ""))


def _dimensionless() -> pint.Unit:
    return units.parse_unit("1")


def check(node: Node, scope: Scope) -> Typed:
    """Check a syntax tree against `scope` and return the evaluable, typed expression."""
    return _Checker(scope).visit(node)


class _Checker:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope

    def visit(self, node: Node) -> Typed:
        if isinstance(node, Num):
            return Typed(n.Const(node.value, f"{node.value:g}"), "number", _dimensionless(), True)
        if isinstance(node, Str):
            return Typed(n.Const(node.value, repr(node.value)), TEXT, literal=True)
        if isinstance(node, Name):
            return self.name(node)
        if isinstance(node, At):
            inner = self.visit(node.target)
            return Typed(n.AtYear(inner.expr, self.year(node.year)), inner.kind, inner.unit)
        if isinstance(node, Unary):
            return self.unary(node)
        if isinstance(node, Binary):
            return self.binary(node)
        if isinstance(node, Call):
            return self.call(node)
        raise _fail("无法识别的表达式 unknown expression", node)

    # -- names ------------------------------------------------------------------------
    def name(self, node: Name) -> Typed:
        scope, name = self.scope, node.name
        if name == "value" and scope.value_unit is not None:
            return self.valued(n.ValueRef(""), scope.value_unit)
        if name in scope.items:
            unit = scope.items[name]
            return self.valued(n.ItemRef(name, "" if unit == TEXT else units.pretty(unit)), unit)
        if name in scope.variables:
            unit = scope.variables[name]
            return self.valued(n.VarRef(name, units.pretty(unit)), unit)
        if name in scope.profile_fields:
            return Typed(n.ProfileRef(name), TEXT)
        if name in scope.settings:
            return self.setting(name)
        if name in ("t", "t0"):
            raise _fail(f"年份 {name} 只能用在 [ ] 或函数的年份参数中 "
                        f"'{name}' is a year: use it inside [ ] or as a year argument", node)
        if name in scope.lists or name in scope.checklists:
            raise _fail(f"{name} 是清单/列表，只能作为 count() 或 checklist() 的参数 "
                        f"'{name}' is a list: use it inside count() or checklist()", node)
        near = difflib.get_close_matches(name, scope.names(), n=1)
        hint = f"；是否应为 did you mean '{near[0]}'?" if near else ""
        raise _fail(f"未声明的名称 unknown name '{name}'{hint}", node)

    def setting(self, name: str) -> Typed:
        unit = self.scope.settings[name]
        if unit == BOOL:
            return Typed(n.SettingRef(name, ""), "bool")
        if unit == TEXT:
            return Typed(n.SettingRef(name, ""), TEXT)
        return self.valued(n.SettingRef(name, units.pretty(unit)), unit)

    def valued(self, expr: n.Expr, unit: str) -> Typed:
        if unit == TEXT:
            return Typed(expr, TEXT)
        return Typed(expr, "number", units.parse_unit(unit))

    def year(self, node: Node) -> n.YearExpr:
        if isinstance(node, Num) and node.value.is_integer():
            return n.YearExpr(str(int(node.value)), literal=int(node.value))
        if isinstance(node, Name) and node.name in ("t", "t0"):
            return n.YearExpr(node.name)
        if isinstance(node, Binary) and node.op in ("+", "-"):
            left, right = self.year(node.left), self.year(node.right)
            return n.YearExpr(f"{left.text} {node.op} {right.text}", node.op, (left, right))
        raise _fail("此处应为年份（t、t0、整数或它们的加减）"
                    "a year is expected here: t, t0, an integer, or sums of them", node)

    # -- operators --------------------------------------------------------------------
    def unary(self, node: Unary) -> Typed:
        inner = self.visit(node.operand)
        if node.op == "not":
            self.need(inner, "bool", node)
            return Typed(n.Logic("not", (inner.expr,)), "bool")
        self.need(inner, "number", node)
        return Typed(n.Neg(inner.expr), "number", inner.unit, inner.literal)

    def binary(self, node: Binary) -> Typed:
        left, right = self.visit(node.left), self.visit(node.right)
        if node.op in ("and", "or"):
            self.need(left, "bool", node.left)
            self.need(right, "bool", node.right)
            return Typed(n.Logic(node.op, (left.expr, right.expr)), "bool")
        if node.op in ("<", "<=", ">", ">=", "==", "!="):
            return self.compare(node, left, right)
        self.need(left, "number", node.left)
        self.need(right, "number", node.right)
        if node.op in ("+", "-"):
            unit, factor = self.align(left, right, node)
            label = (right if left.literal else left).expr.unit or _label(unit)
            return Typed(n.Arith(node.op, left.expr, right.expr, label, factor), "number", unit)
        if node.op == "**":
            return self.power(node, left, right)
        assert left.unit is not None and right.unit is not None
        unit = left.unit * right.unit if node.op == "*" else left.unit / right.unit
        return Typed(n.Arith(node.op, left.expr, right.expr, _label(unit), 1.0), "number", unit)

    def power(self, node: Binary, left: Typed, right: Typed) -> Typed:
        assert left.unit is not None and right.unit is not None
        if not right.unit.dimensionless:
            raise _fail("指数必须无量纲 the exponent must be dimensionless", node.right)
        unit = left.unit
        if not unit.dimensionless:
            if not isinstance(node.right, Num):
                raise _fail("有单位的量只能取常数次方 a quantity with a unit can only be raised "
                            "to a constant power", node.right)
            unit = unit ** node.right.value  # type: ignore[assignment]
        return Typed(n.Arith("**", left.expr, right.expr, _label(unit), 1.0), "number", unit)

    def compare(self, node: Binary, left: Typed, right: Typed) -> Typed:
        if left.kind == TEXT or right.kind == TEXT:
            if left.kind != right.kind or node.op not in ("==", "!="):
                raise _fail("文字只能与文字比较相等 text can only be compared for (in)equality "
                            "with text", node)
            return Typed(n.Compare(node.op, left.expr, right.expr, 1.0, False), "bool")
        self.need(left, "number", node.left)
        self.need(right, "number", node.right)
        _, factor = self.align(left, right, node)
        return Typed(n.Compare(node.op, left.expr, right.expr, factor, True), "bool")

    def align(self, left: Typed, right: Typed, node: Node) -> tuple[pint.Unit | None, float]:
        """The unit of the result and the factor that brings `right` into `left`'s unit."""
        if right.literal:
            return left.unit, 1.0
        if left.literal:
            return right.unit, 1.0
        assert left.unit is not None and right.unit is not None
        try:
            return left.unit, units.unit_factor(right.unit, left.unit)
        except UnitError:
            raise _fail(f"单位不相容 incompatible units: {_label(left.unit) or '1'} 与 and "
                        f"{_label(right.unit) or '1'}", node) from None

    def need(self, typed: Typed, kind: str, node: Node) -> None:
        if typed.kind != kind:
            names = {"number": "数值 a number", "bool": "条件 a condition", TEXT: "文字 text"}
            raise _fail(f"此处应为{names[kind]}，实为{names[typed.kind]}", node)

    # -- functions --------------------------------------------------------------------
    def call(self, node: Call) -> Typed:
        handler = getattr(self, f"fn_{node.func}", None)
        if handler is None:
            known = ["cagr", "elasticity", "mean", "coalesce", "checklist", "count", "if",
                     "defined", "met_share"]
            near = difflib.get_close_matches(node.func, known, n=1)
            hint = f"；是否应为 did you mean {near[0]}()?" if near else ""
            raise _fail(f"未知函数 unknown function {node.func}(){hint}", node)
        result: Typed = handler(node)
        return result

    def arity(self, node: Call, count: int) -> None:
        if len(node.args) != count:
            raise _fail(f"{node.func}() 需要 {count} 个参数 takes {count} arguments, "
                        f"got {len(node.args)}", node)

    def numbers(self, node: Call) -> list[Typed]:
        if not node.args:
            raise _fail(f"{node.func}() 至少需要一个参数 needs at least one argument", node)
        parts = [self.visit(arg) for arg in node.args]
        return parts

    def fn_cagr(self, node: Call) -> Typed:
        self.arity(node, 3)
        inner = self.visit(node.args[0])
        self.need(inner, "number", node.args[0])
        start, end = self.year(node.args[1]), self.year(node.args[2])
        return Typed(n.Cagr(inner.expr, start, end), "number", _dimensionless())

    def fn_elasticity(self, node: Call) -> Typed:
        self.arity(node, 4)
        x, y = self.visit(node.args[0]), self.visit(node.args[1])
        self.need(x, "number", node.args[0])
        self.need(y, "number", node.args[1])
        start, end = self.year(node.args[2]), self.year(node.args[3])
        return Typed(n.Elasticity(x.expr, y.expr, start, end), "number", _dimensionless())

    def fn_mean(self, node: Call) -> Typed:
        parts = self.numbers(node)
        for part, arg in zip(parts, node.args, strict=True):
            self.need(part, "number", arg)
            if part.unit != parts[0].unit:
                raise _fail("mean() 的各项单位必须相同 all members of mean() need the same unit",
                            arg)
        return Typed(n.Mean(tuple(p.expr for p in parts), _label(parts[0].unit)), "number",
                     parts[0].unit)

    def fn_coalesce(self, node: Call) -> Typed:
        parts = self.numbers(node)
        first = parts[0]
        factors = [1.0]
        for part, arg in zip(parts[1:], node.args[1:], strict=True):
            self.need(part, first.kind, arg)
            factors.append(self.align(first, part, arg)[1] if first.kind == "number" else 1.0)
        expr = n.Coalesce(tuple(p.expr for p in parts), _label(first.unit), tuple(factors))
        return Typed(expr, first.kind, first.unit)

    def fn_checklist(self, node: Call) -> Typed:
        self.arity(node, 1)
        name = self.collection(node.args[0], self.scope.checklists, "checklists")
        return Typed(n.Checklist(name), "number", _dimensionless())

    def fn_count(self, node: Call) -> Typed:
        self.arity(node, 3)
        name = self.collection(node.args[0], self.scope.lists, "lists")
        start, end = self.year(node.args[1]), self.year(node.args[2])
        unit = units.parse_unit("个")
        return Typed(n.Count(name, start, end, "个"), "number", unit)

    def fn_if(self, node: Call) -> Typed:
        """if(condition, a, b): a when the condition holds, else b; only the branch taken is
        evaluated. a and b have one kind; numbers in compatible units (a literal takes the
        other branch's unit), the result in a's unit."""
        self.arity(node, 3)
        cond, a, b = (self.visit(arg) for arg in node.args)
        self.need(cond, "bool", node.args[0])
        self.need(b, a.kind, node.args[2])
        factor = 1.0
        unit = a.unit
        if a.kind == "number":
            unit, factor = self.align(a, b, node.args[2])
        label = (b if a.literal else a).expr.unit or _label(unit)
        expr = n.If(cond.expr, a.expr, b.expr, label, factor)
        return Typed(expr, a.kind, unit, a.literal and b.literal)

    def fn_defined(self, node: Call) -> Typed:
        """defined(setting): whether a setting without a default has been given a value."""
        self.arity(node, 1)
        arg = node.args[0]
        if not isinstance(arg, Name) or arg.name not in self.scope.settings:
            raise _fail(f"defined() 的参数应为设置 expects a setting: {sorted(self.scope.settings)}",
                        arg)
        return Typed(n.Defined(arg.name), "bool")

    def fn_met_share(self, node: Call) -> Typed:
        """met_share(list): share of the context year's applicable records meeting the list's
        record rule (dimensionless fraction)."""
        self.arity(node, 1)
        name = self.collection(node.args[0], self.scope.rule_lists, "lists (with record_rule)")
        return Typed(n.MetShare(name), "number", _dimensionless())

    def collection(self, node: Node, declared: frozenset[str], section: str) -> str:
        if not isinstance(node, Name) or node.name not in declared:
            raise _fail(f"应为 {section} 中声明的名称 expected a name declared in '{section}': "
                        f"{sorted(declared)}", node)
        return node.name
