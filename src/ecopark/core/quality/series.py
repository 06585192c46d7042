"""Rule kinds over yearly series of one place (the park, or one enterprise): balances,
year-on-year changes, unit slips between years or against the item's own history, intensity
ratios, stated vs recomputed, enterprise sums vs the park total, duplicated credit codes."""

from __future__ import annotations

import itertools
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from ecopark.core import units
from ecopark.core.quality.findings import (
    Both,
    QualityFinding,
    Subject,
    gap,
    make_finding,
    plain,
    show,
)

if TYPE_CHECKING:
    from ecopark.core.dataset.model import Dataset
    from ecopark.core.quality.rules import (
        Balance,
        EnterpriseTotal,
        Intensity,
        Ratio,
        Rule,
        StatedVsRecomputed,
        UnitSlip,
        YearOnYear,
    )

__all__ = ["balance", "duplicate_contributions", "enterprise_totals", "intensity",
           "park_subject", "stated", "unit_slip", "year_on_year"]


def balance(rule: Rule, params: Balance, subject: Subject) -> Iterator[QualityFinding]:
    for year, values in sorted(subject.values.items()):
        needed = [f for f in (*params.left, *params.right) if f not in params.optional]
        if not all(f in values for f in needed):
            continue
        left = math.fsum(values.get(f, 0.0) for f in params.left)
        right = math.fsum(values.get(f, 0.0) for f in params.right)
        slack = params.tolerance * max(abs(left), abs(right))
        broken = abs(left - right) > slack if params.op == "==" else left < right - slack
        if broken:
            yield make_finding(rule, subject, year, (*params.left, *params.right), left=show(left),
                               right=show(right), gap=gap(left, right))


# how a message names a field: a park's item by its name in the framework (`Park.name`), an
# enterprise's field as written
Naming = Callable[[str], Both | str]


def _as_written(field: str) -> str:
    return field


def _series(subject: Subject, fields: list[str] | str) -> dict[str, list[tuple[int, float]]]:
    out: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for year, values in sorted(subject.values.items()):
        for name, value in values.items():
            if (fields == "all" or name in fields) and value > 0:
                out[name].append((year, value))
    return out


def year_on_year(rule: Rule, params: YearOnYear, subject: Subject,
                 named: Naming = _as_written) -> Iterator[QualityFinding]:
    for name, points in _series(subject, params.fields).items():
        for (y0, v0), (y1, v1) in itertools.pairwise(points):
            factor = max(v0, v1) / min(v0, v1)
            if y1 - y0 == 1 and params.max_factor < factor < params.below:
                yield make_finding(rule, subject, y1, (name,), field=named(name), y0=y0,
                                   v0=show(v0), y1=y1, v1=show(v1), factor=f"{factor:.2f}")


def unit_slip(rule: Rule, params: UnitSlip, subject: Subject,
              named: Naming = _as_written) -> Iterator[QualityFinding]:
    low, high = params.factor / params.band, params.factor * params.band
    for name, points in _series(subject, params.fields).items():
        for (y0, v0), (y1, v1) in itertools.pairwise(points):
            factor = max(v0, v1) / min(v0, v1)
            if low <= factor <= high:
                yield make_finding(rule, subject, y1, (name,), field=named(name), y0=y0,
                                   v0=show(v0), y1=y1, v1=show(v1), factor=plain(params.factor))


def _ratio_range(ratio: Ratio, industry: str) -> tuple[tuple[float, float], str]:
    division = re.sub(r"^[A-Za-z]+", "", industry)[:2]
    if division in ratio.industries:
        return ratio.industries[division], division
    return ratio.range, division or "—"


def intensity(rule: Rule, params: Intensity, subject: Subject,
              units_of: dict[str, str]) -> Iterator[QualityFinding]:
    for ratio in params.ratios:
        factor = units.conversion_factor(
            f"({units_of[ratio.numerator]})/({units_of[ratio.denominator]})", ratio.unit)
        (low, high), industry = _ratio_range(ratio, subject.industry)
        for year, values in sorted(subject.values.items()):
            num, den = values.get(ratio.numerator), values.get(ratio.denominator)
            if num is None or not den:
                continue
            value = num / den * factor
            if not low <= value <= high:
                yield make_finding(rule, subject, year, (ratio.numerator, ratio.denominator),
                                   ratio=f"{ratio.numerator}/{ratio.denominator}", value=show(value),
                                   unit=ratio.unit, low=plain(low), high=plain(high),
                                   industry=industry)


def stated(rule: Rule, params: StatedVsRecomputed, subject: Subject) -> Iterator[QualityFinding]:
    for year, values in sorted(subject.values.items()):
        stated, computed = values.get(params.stated), values.get(params.computed)
        if stated is None or computed is None:
            continue
        if abs(stated - computed) > params.tolerance * max(abs(stated), abs(computed)):
            yield make_finding(rule, subject, year, (params.stated, params.computed),
                               stated=show(stated), computed=show(computed),
                               gap=gap(stated, computed))


def park_subject(dataset: Dataset) -> Subject:
    values: dict[int, dict[str, float]] = defaultdict(dict)
    for (item, year), obs in dataset.values.items():
        if isinstance(obs.value, float):
            values[year][item] = obs.value
    return Subject(dataset.profile.name, dict(values))


def enterprise_totals(rule: Rule, params: EnterpriseTotal, dataset: Dataset, subject: Subject,
                      named: Naming = _as_written) -> Iterator[QualityFinding]:
    stated = dataset.accounting.stated if dataset.accounting else {}
    for item, years in sorted(dataset.contributions.items()):
        if params.fields != "all" and item not in params.fields:
            continue
        for year, entries in sorted(years.items()):
            park = stated.get(item, {}).get(year)
            if park is None:
                obs = dataset.values.get((item, year))
                park = obs.value if obs is not None and isinstance(obs.value, float) else None
            total = math.fsum(e.value for e in entries)
            count = sum(e.count or 1 for e in entries)
            if park is not None and abs(total - park) > params.tolerance * max(abs(total), abs(park)):
                yield make_finding(rule, subject, year, (item,), field=named(item), total=show(total),
                                   stated=show(park), gap=gap(total, park), count=count)


def duplicate_contributions(rule: Rule, dataset: Dataset,
                            subject: Subject) -> Iterator[QualityFinding]:
    for item, years in sorted(dataset.contributions.items()):
        for year, entries in sorted(years.items()):
            seen: dict[str, int] = defaultdict(int)
            for entry in entries:
                if entry.credit_code:
                    seen[entry.credit_code] += 1
            for code, count in seen.items():
                if count > 1:
                    yield make_finding(rule, subject, year, (item,), code=code, count=count, rows="—")


