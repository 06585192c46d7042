"""Which of the gap solver's answers name something a park can act on (the levers): the report's
下一步工作 draft proposes only those.

A change is a lever when it is to the evaluation year's data (earlier years, the base year's
too, are history), to an item the framework does not mark `lever: false` (the park's size:
output, value added, employees, land, the number of key enterprises), and to an item that is
not only a denominator of the indicator (a rate is never raised by shrinking what it is
measured against). An item on both sides of a division (water reused in the reuse rate) stays
a lever: it is raised through its numerator.

    levers(evaluation, gap) -> tuple[InputChange, ...]
    denominator_only(framework, indicator) -> frozenset[str]
"""

from __future__ import annotations

from collections.abc import Iterator

from ecopark.analysis.gap import Gap, InputChange
from ecopark.core.evaluate import Evaluation
from ecopark.core.formula.syntax import At, Binary, Call, Name, Node, Unary, parse
from ecopark.core.framework.indicators import Indicator
from ecopark.core.framework.model import Framework

__all__ = ["denominator_only", "is_lever", "levers"]


def levers(ev: Evaluation, gap: Gap) -> tuple[InputChange, ...]:
    """The changes of `gap` a park can act on (see the module doc)."""
    indicator = ev.framework.indicator(gap.number)
    return tuple(c for c in gap.inputs if is_lever(ev, indicator, c))


def is_lever(ev: Evaluation, indicator: Indicator, change: InputChange) -> bool:
    item = ev.framework.spec.items.get(change.item)
    return (change.year == ev.year and item is not None and item.lever
            and change.item not in denominator_only(ev.framework, indicator))


def denominator_only(framework: Framework, indicator: Indicator) -> frozenset[str]:
    """The items of the indicator's formula found under a division (or as the second argument
    of elasticity) and nowhere else."""
    places = list(_names(framework, parse(indicator.formula), below=False))
    above = {name for name, below in places if not below}
    return frozenset(name for name, below in places if below and name not in above)


def _names(fw: Framework, node: Node, below: bool) -> Iterator[tuple[str, bool]]:
    """(item, under a denominator) for every item the expression reads, variables expanded."""
    if isinstance(node, Name):
        variable = fw.spec.variables.get(node.name)
        if variable is not None:
            yield from _names(fw, parse(variable.formula), below)
        elif node.name in fw.spec.items:
            yield node.name, below
    elif isinstance(node, At):
        yield from _names(fw, node.target, below)
    elif isinstance(node, Unary):
        yield from _names(fw, node.operand, below)
    elif isinstance(node, Binary):
        yield from _names(fw, node.left, below)
        yield from _names(fw, node.right, below or node.op == "/")
    elif isinstance(node, Call):
        for index, arg in enumerate(node.args):
            yield from _names(fw, arg, below or (node.func == "elasticity" and index == 1))
