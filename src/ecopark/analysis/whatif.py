"""What if: set some inputs to other values, re-evaluate, and list what changes."""

from __future__ import annotations

import dataclasses
import re

from ecopark.core import units
from ecopark.core.dataset.model import Dataset, Observation
from ecopark.core.errors import DatasetError, UnitError
from ecopark.core.evaluate import Evaluation, evaluate
from ecopark.core.framework.model import Framework
from ecopark.core.numbers import parse_printed
from ecopark.core.results import Status

__all__ = ["Assignment", "Change", "WhatIf", "parse_assignment", "whatif"]

_ASSIGNMENT = re.compile(r"^\s*(?P<item>[^\W\d]\w*)\s*(?:@\s*(?P<year>\d{4}))?\s*=\s*"
                         r"(?P<value>[-+]?[\d.,]+)\s*(?P<unit>.*?)\s*$")


@dataclasses.dataclass(frozen=True)
class Assignment:
    item: str
    year: int
    value: float  # in the item's canonical unit
    given: str


@dataclasses.dataclass(frozen=True)
class Change:
    number: int
    before: object
    after: object
    status_before: Status
    status_after: Status


@dataclasses.dataclass(frozen=True)
class WhatIf:
    before: Evaluation
    after: Evaluation
    assignments: tuple[Assignment, ...]
    changes: tuple[Change, ...]


def parse_assignment(text: str, framework: Framework, year: int) -> Assignment:
    """`co2@2018=80000`, `iva=50亿元`: item, optional year (default: the evaluation year),
    value, optional unit (default: the item's canonical unit)."""
    match = _ASSIGNMENT.match(text)
    if match is None:
        raise DatasetError("--set", text, "写法应为 ITEM[@YEAR]=VALUE[单位] expected "
                           "ITEM[@YEAR]=VALUE[UNIT]", "例 e.g. co2@2018=80000 或 iva=50亿元")
    name = match["item"]
    item = framework.spec.items.get(name)
    if item is None or item.kind != "number":
        raise DatasetError("--set", text, f"未知数值型数据项 unknown number item {name!r}",
                           f"运行 ecopark items --framework {framework.id} list the items")
    printed = parse_printed(match["value"])
    if printed.number is None:
        raise DatasetError("--set", text, f"不是数字 not a number: {match['value']!r}")
    unit = match["unit"] or item.unit
    try:
        factor = units.conversion_factor(unit, item.unit)
    except UnitError as exc:
        raise dataclasses.replace(exc, file="--set", key_path=text) from None
    if printed.number < 0 and not item.allow_negative:
        raise DatasetError("--set", text, f"{item.name_zh} 不能为负 cannot be negative")
    when = int(match["year"]) if match["year"] else year
    return Assignment(name, when, printed.number * factor, f"{printed.text} {unit}")


def whatif(framework: Framework, dataset: Dataset, assignments: list[Assignment],
           year: int | None = None) -> WhatIf:
    """Evaluate before and after the assignments; list the indicators whose value or status
    changes."""
    before = evaluate(framework, dataset, year)
    changed = dataset.with_values({
        (a.item, a.year): Observation(a.item, a.year, a.value, "what-if 假设", None, a.given)
        for a in assignments})
    after = evaluate(framework, changed, before.year)
    changes = tuple(
        Change(b.number, b.value, a.value, b.status, a.status)
        for b, a in zip(before.results, after.results, strict=True)
        if b.value != a.value or b.status != a.status)
    return WhatIf(before, after, tuple(assignments), changes)
