"""Rule kinds that read indicators computed for the evaluation year: a share indicator above
its limit, a mandatory indicator's evaluation-year input left blank, a mean computed without
one of its members."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ecopark.core.evaluate import evaluate_indicator
from ecopark.core.numbers import format_value
from ecopark.core.quality.findings import Both, QualityFinding, make_finding, plain
from ecopark.core.results import IndicatorResult, Status

if TYPE_CHECKING:
    from ecopark.core.framework.indicators import Indicator
    from ecopark.core.quality.context import Park
    from ecopark.core.quality.rules import AboveLimit, Nothing, Rule
    from ecopark.core.trace import Trace

__all__ = ["above_limit_indicators", "mandatory_blank", "mean_member_missing"]

_NAME = re.compile(r"[^\W\d]\w*")


def _screened(park: Park, number: int) -> bool:
    """Whether a screen's cells feed the indicator in the evaluation year or its base year."""
    if park.cells is None:
        return True
    items = set(park.framework.items_of(number))
    years = {park.year, park.dataset.profile.base_year}
    return any(item in items and year in years for item, year in park.cells)


def _evaluated(park: Park, numbers: list[int]) -> Iterator[IndicatorResult]:
    for number in numbers:
        if _screened(park, number):
            yield evaluate_indicator(park.framework, park.dataset, number, park.year)


def _indicator(ind: Indicator) -> Both:
    return Both(ind.name_zh, ind.name_en)


def _about(rule: Rule, park: Park, ind: Indicator, item: str, year: int, value: float | None,
           **facts: object) -> QualityFinding:
    finding = make_finding(rule, park.subject, year, (item,), value, name=park.name(item),
                           value="—" if value is None else plain(value),
                           unit=park.unit(item), number=ind.number, indicator=_indicator(ind),
                           **facts)
    return _for(finding, ind.number)


def _for(finding: QualityFinding, number: int) -> QualityFinding:
    return dataclasses.replace(finding, indicators=(number,))


def above_limit_indicators(rule: Rule, params: AboveLimit,
                           park: Park) -> Iterator[QualityFinding]:
    """Share indicators computed above the limit in the evaluation year: the finding names the
    indicator; its cells are the indicator's inputs that year."""
    for result in _evaluated(park, params.indicators):
        if not isinstance(result.value, float) or result.value <= params.limit:
            continue
        ind = result.indicator
        items = tuple(dict.fromkeys(leaf.item for leaf in (result.trace.leaves() if result.trace
                                                           else []) if leaf.item))
        finding = make_finding(rule, park.subject, park.year, items, result.value,
                               name=_indicator(ind),
                               value=format_value(result.value, ind.decimals),
                               unit=ind.unit, limit=plain(params.limit),
                               what=Both(f"指标 {ind.number}", f"indicator {ind.number}"))
        yield _for(finding, ind.number)


def mandatory_blank(rule: Rule, params: Nothing, park: Park) -> Iterator[QualityFinding]:
    """Mandatory indicators that cannot be computed because an evaluation-year input is left
    blank: written blank, or absent while the item is given for other years (an item the park
    has never reported is missing data, which the assessment shows as such)."""
    numbers = [i.number for i in park.framework.indicators if i.mandatory]
    for result in _evaluated(park, numbers):
        if result.status is not Status.MISSING or result.missing is None:
            continue
        item, year = result.missing
        if year == park.year and park.wanted(item, year) and _left_blank(park, item, year):
            yield _about(rule, park, result.indicator, item, year, None)


def _left_blank(park: Park, item: str, year: int) -> bool:
    if item not in park.framework.spec.items:
        return False
    return (item, year) in park.dataset.values or any(
        i == item for i, _ in park.dataset.values)


def mean_member_missing(rule: Rule, params: Nothing, park: Park) -> Iterator[QualityFinding]:
    """Indicators computed as a mean with a member left out for a blank input."""
    numbers = [i.number for i in park.framework.indicators if "mean(" in i.formula]
    for result in _evaluated(park, numbers):
        if result.trace is None or not isinstance(result.value, float):
            continue
        for node in _means(result.trace):
            counted = sum(1 for c in node.children if c.value is not None)
            for item, year in _left_out(park, node):
                if park.wanted(item, year):
                    yield _about(rule, park, result.indicator, item, year, None,
                                 counted=counted, members=len(node.children))


def _means(trace: Trace) -> Iterator[Trace]:
    if trace.label.startswith("mean(") and trace.children:
        yield trace
    for child in trace.children:
        yield from _means(child)


def _left_out(park: Park, mean: Trace) -> Iterator[tuple[str, int]]:
    """The blank (item, year) cells behind each member left out of a mean."""
    years = sorted({park.dataset.profile.base_year, park.year,
                    *(leaf.year for leaf in mean.leaves() if leaf.year is not None)})
    for child in mean.children:
        if child.value is not None:
            continue
        for item in dict.fromkeys(n for n in _NAME.findall(child.label)
                                  if n in park.framework.spec.items):
            for year in years:
                obs = park.dataset.values.get((item, year))
                if obs is None or not isinstance(obs.value, float):
                    yield item, year
