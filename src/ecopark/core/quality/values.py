"""Rule kinds over one value against its unit, its declared plausible range or its own
history: a share above 100 %, a fraction typed where a percentage is asked, a 万/亿 slip against
the item's other years, a count that is not whole, a denominator of 0."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ecopark.core.quality.findings import Both, QualityFinding, make_finding, plain

if TYPE_CHECKING:
    from ecopark.core.quality.context import Park
    from ecopark.core.quality.rules import (
        AboveLimit,
        FractionForPercent,
        HistorySlip,
        Rule,
        WholeNumber,
        ZeroDenominator,
    )

__all__ = ["above_limit_items", "fraction_for_percent", "history_slip", "whole_number",
           "zero_denominator"]

_SCALES = ((1e3, Both("千", "thousand")), (1e4, Both("万", "10⁴ (万)")),
           (1e8, Both("亿", "10⁸ (亿)")))


def _years(years: list[int]) -> str:
    return "、".join(map(str, years))


def _one(rule: Rule, park: Park, item: str, year: int, value: float,
         **facts: object) -> QualityFinding:
    return make_finding(rule, park.subject, year, (item,), value, name=park.name(item),
                        value=plain(value), unit=park.unit(item), **facts)


def _scale(factor: float) -> Both:
    """The unit step (千/万/亿) nearest to a factor, on a log scale."""
    return min(_SCALES, key=lambda s: abs(math.log10(factor / s[0])))[1]


def history_slip(rule: Rule, params: HistorySlip, park: Park) -> Iterator[QualityFinding]:
    """A year whose value is `min_factor` times or more away from the median of the item's
    other years. With two years only, the later one is named (the earlier when screening it)."""
    items = park.number_items() if params.fields == "all" else params.fields
    for item in items:
        points = {y: v for y, v in park.series(item).items() if v > 0}
        for year, value in points.items():
            others = {y: v for y, v in points.items() if y != year}
            if not others or not park.wanted(item, year):
                continue
            if len(others) == 1 and park.cells is None and year < min(others):
                continue
            typical = statistics.median(others.values())
            factor = max(value, typical) / min(value, typical)
            if factor >= params.min_factor:
                yield _one(rule, park, item, year, value, typical=plain(typical),
                           others=_years(sorted(others)), factor=f"{factor:,.0f}",
                           scale=_scale(factor))


def above_limit_items(rule: Rule, params: AboveLimit, park: Park) -> Iterator[QualityFinding]:
    """Items in the rule's unit (%) above its limit."""
    items = [i for i in park.number_items() if park.unit(i) == params.unit]
    for item, year, value in park.values_at(items):
        if value > params.limit:
            yield _one(rule, park, item, year, value, limit=plain(params.limit),
                       what=Both("数据项", "item"))


def fraction_for_percent(rule: Rule, params: FractionForPercent,
                         park: Park) -> Iterator[QualityFinding]:
    """basis range: below the item's declared plausible low; basis history: at most 1 while every
    other year of the item is above 1 (and not below a declared range: that is the range's)."""
    items = [i for i in park.number_items() if park.unit(i) == params.unit]
    for item, year, value in park.values_at(items):
        plausible = park.framework.spec.items[item].plausible
        low, high = plausible if plausible else (None, None)
        others = {y: v for y, v in park.series(item).items() if y != year}
        if params.basis == "range":
            fires = low is not None and 0 < value < low
        else:
            fires = (0 < value <= 1 and bool(others) and min(others.values()) > 1
                     and (low is None or value >= low))
        if fires:
            yield _one(rule, park, item, year, value, percent=plain(value * 100),
                       low="—" if low is None else plain(low),
                       high="—" if high is None else plain(high),
                       others=_years(sorted(others)) or "—")


def whole_number(rule: Rule, params: WholeNumber, park: Park) -> Iterator[QualityFinding]:
    """Counts (items in one of the rule's units) that are not whole numbers."""
    items = [i for i in park.number_items() if park.unit(i) in params.units]
    for item, year, value in park.values_at(items):
        if abs(value - round(value)) > 1e-9 * max(1.0, abs(value)):
            yield _one(rule, park, item, year, value, rounded=f"{round(value):d}")


def zero_denominator(rule: Rule, params: ZeroDenominator,
                     park: Park) -> Iterator[QualityFinding]:
    """Items the rule names as denominators, given as 0."""
    for item, year, value in park.values_at(params.fields):
        if value == 0:
            users = [n for n in park.framework.by_number if item in park.framework.items_of(n)]
            yield _one(rule, park, item, year, value,
                       indicators="、".join(map(str, users)) or "—")
