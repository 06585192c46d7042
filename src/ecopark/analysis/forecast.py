"""Forecast: each item projected from its recent trend, indicators evaluated on the projection,
early warnings for mandatory indicators and optional groups at risk.

Method (documented in docs/analysis-and-report.md):
- For every number item, take its values in the last three years of its series (years ≥ L − 3,
  L = its last year with a value); with fewer than two such values, its last two values.
- Central growth g = the geometric average annual growth between the first and last of them;
  low and high = the smallest and largest annualised growth between consecutive values.
- An item with a single value, or a non-positive one, is held constant (said so in its trend).
- Projection: X[L + k] = X[L] · (1 + g)ᵏ, in three scenarios: every item low, central, high.
  An indicator's range is the smallest and largest value over the three scenarios.
- Years missing between two observed years of an item are filled by geometric interpolation
  (so a three-year indicator of a projected year can read t − 3); observed values are kept.
- Facts, checklists and lists are carried forward unchanged.
- Warning: a mandatory indicator not met in the central scenario (`not_met`), or met there but
  not in the low or high scenario (`at_risk`); an optional group with too few met indicators
  (judged, as the verdict does, on the park's selection in it when it made one, else on all its
  members) in the central scenario (`group_not_met`), or enough there but too few in the low or
  high scenario (`group_at_risk`).
"""

from __future__ import annotations

import dataclasses
import itertools

from ecopark.core.dataset.model import Dataset, Observation
from ecopark.core.errors import DatasetError
from ecopark.core.evaluate import Evaluation, evaluate
from ecopark.core.framework.model import Framework
from ecopark.core.results import Status
from ecopark.core.verdict import GroupResult

__all__ = ["Forecast", "ForecastWarning", "ItemTrend", "forecast", "trend"]

SCENARIOS = ("low", "central", "high")


@dataclasses.dataclass(frozen=True)
class ItemTrend:
    item: str
    last_year: int
    last_value: float
    growth: float
    low: float
    high: float
    years: tuple[int, ...]
    constant: bool = False


@dataclasses.dataclass(frozen=True)
class ForecastWarning:
    number: int  # 0 for a group's warning
    year: int
    kind: str  # not_met | at_risk | group_not_met | group_at_risk
    zh: str
    en: str
    group: str = ""  # the optional group's id, for a group's warning


@dataclasses.dataclass(frozen=True)
class Forecast:
    trends: dict[str, ItemTrend]
    years: tuple[int, ...]
    evaluations: dict[tuple[int, str], Evaluation]  # (year, scenario) → evaluation
    warnings: tuple[ForecastWarning, ...]

    def range(self, number: int, year: int) -> tuple[float, float] | None:
        values = [self.evaluations[(year, s)].result(number).value for s in SCENARIOS]
        numbers = [v for v in values if isinstance(v, float)]
        return (min(numbers), max(numbers)) if numbers else None


def trend(item: str, series: dict[int, float]) -> ItemTrend:
    """The trend of one item's series (year → value in its canonical unit)."""
    years = sorted(series)
    last = years[-1]
    window = [y for y in years if y >= last - 3]
    if len(window) < 2:
        window = years[-2:]
    values = [series[y] for y in window]
    if len(window) < 2 or min(values) <= 0:
        return ItemTrend(item, last, series[last], 0.0, 0.0, 0.0, tuple(window), True)
    steps = [(values[i + 1] / values[i]) ** (1 / (window[i + 1] - window[i])) - 1
             for i in range(len(window) - 1)]
    central = (values[-1] / values[0]) ** (1 / (window[-1] - window[0])) - 1
    return ItemTrend(item, last, series[last], central, min(steps), max(steps), tuple(window))


def _series(dataset: Dataset) -> dict[str, dict[int, float]]:
    out: dict[str, dict[int, float]] = {}
    for (item, year), obs in dataset.values.items():
        if isinstance(obs.value, float):
            out.setdefault(item, {})[year] = obs.value
    return out


def interpolated(series: dict[str, dict[int, float]]) -> dict[tuple[str, int], Observation]:
    """Values for the years missing between two observed positive values of an item."""
    out: dict[tuple[str, int], Observation] = {}
    for item, values in series.items():
        years = sorted(values)
        for y0, y1 in itertools.pairwise(years):
            v0, v1 = values[y0], values[y1]
            if v0 <= 0 or v1 <= 0:
                continue
            for year in range(y0 + 1, y1):
                value = v0 * (v1 / v0) ** ((year - y0) / (y1 - y0))
                out[(item, year)] = Observation(item, year, value, "插值 interpolated")
    return out


def _project(dataset: Dataset, trends: dict[str, ItemTrend], year: int, scenario: str,
             start: int) -> Dataset:
    changes: dict[tuple[str, int], Observation] = interpolated(_series(dataset))
    for item, tr in trends.items():
        g = {"low": tr.low, "central": tr.growth, "high": tr.high}[scenario]
        value = tr.last_value * (1 + g) ** (year - tr.last_year)
        changes[(item, year)] = Observation(item, year, value, f"预测 forecast ({scenario})")
    for (item, y), obs in dataset.values.items():
        if y == start and not isinstance(obs.value, float) and obs.value is not None:
            changes[(item, year)] = dataclasses.replace(obs, year=year)
    checklists = {name: {**by_year, year: by_year[start]} if start in by_year else by_year
                  for name, by_year in dataset.checklists.items()}
    return dataclasses.replace(dataset.with_values(changes), checklists=checklists, year=year)


def forecast(framework: Framework, dataset: Dataset, years: int = 3,
             start: int | None = None) -> Forecast:
    """Project `years` years after the evaluation year and evaluate each in three scenarios."""
    series = _series(dataset)
    if not any(len(s) >= 2 for s in series.values()):
        raise DatasetError(dataset.file, "observations", "数据年份不足，无法预测：至少需要某些数据项"
                           "有两个年份的数值 too few years to forecast: no item has values for "
                           "two years", "补充往年数据 add earlier years' values")
    first = start or evaluate(framework, dataset).year
    trends = {item: trend(item, s) for item, s in series.items()}
    evaluations = {}
    ahead = tuple(range(first + 1, first + years + 1))
    for year in ahead:
        for scenario in SCENARIOS:
            projected = _project(dataset, trends, year, scenario, first)
            evaluations[(year, scenario)] = evaluate(framework, projected, year)
    warnings = [*_warnings(framework, ahead, evaluations), *_group_warnings(ahead, evaluations)]
    return Forecast(trends, ahead, evaluations, tuple(warnings))


def _warnings(framework: Framework, years: tuple[int, ...],
              evaluations: dict[tuple[int, str], Evaluation]) -> list[ForecastWarning]:
    out = []
    for year in years:
        for ind in framework.indicators:
            if not ind.mandatory:
                continue
            statuses = {s: evaluations[(year, s)].result(ind.number).status for s in SCENARIOS}
            if statuses["central"] is Status.NOT_MET:
                out.append(ForecastWarning(ind.number, year, "not_met",
                                           f"{year}年 按趋势预测，必选指标 {ind.number}（{ind.name_zh}）"
                                           "将不达标",
                                           f"{year}: on trend, mandatory indicator {ind.number} "
                                           f"({ind.name_en}) will not be met"))
            elif statuses["central"] is Status.MET and Status.NOT_MET in statuses.values():
                out.append(ForecastWarning(ind.number, year, "at_risk",
                                           f"{year}年 必选指标 {ind.number}（{ind.name_zh}）在趋势区间"
                                           "的不利端将不达标",
                                           f"{year}: mandatory indicator {ind.number} "
                                           f"({ind.name_en}) fails at one end of the trend range"))
    return out


def _short(group: GroupResult, ev: Evaluation) -> bool:
    """Too few met among the members judged (the selection in the group, else all), every one
    of them judged: a group still open for missing data is not called unmet."""
    judged = group.selected or group.members
    met = [n for n in group.met if n in judged]
    return len(met) < group.min_met and all(ev.result(n).determined for n in judged)


def _group_warnings(years: tuple[int, ...],
                    evaluations: dict[tuple[int, str], Evaluation]) -> list[ForecastWarning]:
    out = []
    for year in years:
        runs = [evaluations[(year, s)] for s in SCENARIOS]
        central = evaluations[(year, "central")]
        for index, group in enumerate(central.verdict.groups):
            if _short(group, central):
                out.append(_group_warning(group, year, "group_not_met"))
            elif any(_short(ev.verdict.groups[index], ev) for ev in runs):
                out.append(_group_warning(group, year, "group_at_risk"))
    return out


def _group_warning(group: GroupResult, year: int, kind: str) -> ForecastWarning:
    needed = group.min_met
    if kind == "group_not_met":
        return ForecastWarning(0, year, kind, f"{year}年 按趋势预测，可选指标组“{group.name_zh}”"
                               f"仍没有足够的达标指标（至少需 {needed} 项）",
                               f"{year}: on trend, the optional group \"{group.name_en}\" still "
                               f"has too few indicators met (needs {needed})", group.id)
    return ForecastWarning(0, year, kind, f"{year}年 可选指标组“{group.name_zh}”在趋势区间的不利端"
                           f"达标指标不足 {needed} 项",
                           f"{year}: the optional group \"{group.name_en}\" has fewer than "
                           f"{needed} indicators met at one end of the trend range", group.id)
