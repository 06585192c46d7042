"""Evaluation: every indicator's value, unit, requirement, status and trace for one park-year.

`evaluate(framework, dataset, year)` is pure: it reads the dataset, never changes it, and
returns an `Evaluation` whose `verdict` combines the statuses by the framework's rule.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from ecopark.core.dataset.model import record_number
from ecopark.core.errors import DatasetError, MissingData
from ecopark.core.formula import NotApplicable, NotEvaluable
from ecopark.core.results import CompanionValue, IndicatorResult, Status
from ecopark.core.trace import Trace, Value
from ecopark.core.verdict import Verdict, decide

if TYPE_CHECKING:
    from ecopark.core.dataset.model import Dataset
    from ecopark.core.formula import Formula
    from ecopark.core.framework.indicators import Companion, Indicator
    from ecopark.core.framework.model import CompiledRequirement, Framework

__all__ = ["Evaluation", "EvaluationEnv", "evaluate", "evaluate_formula", "evaluate_indicator",
           "judge_value"]


@dataclasses.dataclass
class Evaluation:
    framework: Framework
    dataset: Dataset
    year: int
    results: list[IndicatorResult]
    verdict: Verdict

    def result(self, number: int) -> IndicatorResult:
        return next(r for r in self.results if r.number == number)


class EvaluationEnv:
    """The dataset seen from one evaluation year (implements ecopark.core.formula.Env)."""

    def __init__(self, framework: Framework, dataset: Dataset, year: int) -> None:
        self.framework, self.dataset, self.t = framework, dataset, year
        self.warnings: list[tuple[str, str]] = []
        self.current: Value | None = None
        self._variables: dict[tuple[str, int], tuple[Value, Trace] | Exception] = {}

    def base_year(self) -> int:
        return self.dataset.profile.base_year

    def item(self, name: str, year: int) -> tuple[float | str, str | None]:
        obs = self.dataset.values.get((name, year))
        if obs is None:
            raise MissingData(name, year)
        if obs.value is None:
            if obs.printed:
                raise MissingData(name, year, f"（报表填“{obs.printed}”）",
                                  f"(printed as '{obs.printed}')")
            raise MissingData(name, year, "（报表为空）", "(left empty)")
        for zh, en in self.dataset.derived_warnings.get((name, year), ()):
            if (zh, en) not in self.warnings:
                self.warn(zh, en)
        return obs.value, obs.source

    def variable(self, name: str, year: int) -> tuple[Value, Trace]:
        if (name, year) not in self._variables:
            self._variables[(name, year)] = self._compute_variable(name, year)
        cached = self._variables[(name, year)]
        if isinstance(cached, Exception):
            raise cached
        return cached

    def _compute_variable(self, name: str, year: int) -> tuple[Value, Trace] | Exception:
        formula, factor = self.framework.variables[name]
        try:
            value, trace = formula.evaluate(self, year)
        except (MissingData, NotEvaluable) as exc:
            return exc
        value = float(value) * factor
        unit = self.framework.spec.variables[name].unit
        return value, Trace(name, value, unit, [trace])

    def profile(self, name: str) -> str:
        return self.dataset.profile.fields[name]

    def checklist(self, name: str, year: int) -> tuple[int, int, list[str]]:
        entries = self.dataset.checklists.get(name, {}).get(year)
        if not entries:
            raise MissingData(name, year, "（无清单）", "(no checklist)")
        lines = [f"{'✓' if e.done else '✗'} {e.name}" + (f" — {e.evidence}" if e.evidence else "")
                 for e in entries]
        return sum(1 for e in entries if e.done), len(entries), lines

    def count(self, name: str, after: int, upto: int) -> tuple[int, list[str]]:
        records = self.dataset.lists.get(name)
        if records is None:
            raise MissingData(name, upto, "（无清单）", "(no list)")
        chosen = [r for r in records if after < r["year"] <= upto]
        return len(chosen), [f"{r.get('name', '?')} ({r['year']})" for r in chosen]

    def value(self) -> Value:
        assert self.current is not None
        return self.current

    def setting(self, name: str) -> tuple[Value | None, str]:
        """A framework setting: the dataset's value, else the default; and where it is from."""
        chosen = self.dataset.settings.get(name)
        if chosen is None:
            default = self.framework.spec.settings[name].default
            return default, "默认值 default"
        return chosen.value, chosen.origin_text()

    def list_rule(self, name: str, year: int) -> tuple[int, int, list[str]]:
        """Records of the year judged by the list's rule: met, applicable, one line each."""
        records = self.dataset.lists.get(name)
        if records is None:
            raise MissingData(name, year, "（无清单）", "(no list)")
        rule, spec = self.framework.list_rules[name], self.framework.spec.lists[name]
        met = applicable = 0
        lines: list[str] = []
        for record in (r for r in records if r.get("year") == year):
            label = " ".join(str(record[f]) for f in spec.fields if f not in (
                "year", *spec.numbers) and record.get(f))
            if spec.applies_if and not record.get(spec.applies_if):
                lines.append(f"— {label}（不适用 not applicable: 无 {spec.applies_if}）")
                continue
            holds, _ = rule.evaluate(_RecordEnv(record, spec.numbers, year))
            applicable += 1
            met += bool(holds)
            shown = ", ".join(f"{f} {record[f]}" for f in spec.numbers)
            lines.append(f"{'✓' if holds else '✗'} {label}: {shown}（{spec.record_rule}）")
        return met, applicable, lines

    def warn(self, zh: str, en: str) -> None:
        self.warnings.append((zh, en))


class _RecordEnv(EvaluationEnv):
    """One list record as the items of a record rule."""

    def __init__(self, record: dict[str, object], numbers: list[str], year: int) -> None:
        self.t, self.warnings = year, []
        self.values = {name: record_number(record.get(name)) for name in numbers}

    def item(self, name: str, year: int) -> tuple[float | str, str | None]:
        value = self.values.get(name)
        if value is None:
            raise MissingData(name, year)
        return value, None


def evaluate(framework: Framework, dataset: Dataset, year: int | None = None) -> Evaluation:
    """Evaluate every indicator of `framework` for `dataset` in `year`, then the verdict."""
    year = resolve_year(dataset, year)
    results = [evaluate_indicator(framework, dataset, ind.number, year)
               for ind in framework.indicators]
    return Evaluation(framework, dataset, year, results, decide(framework, dataset, results))


def resolve_year(dataset: Dataset, year: int | None) -> int:
    """The evaluation year: asked for, else the dataset's, else its latest year of data."""
    chosen = year or dataset.year or (dataset.years()[-1] if dataset.values else None)
    if chosen is None:
        raise DatasetError(dataset.file, "year", "没有任何观测值，无法确定评价年份 no observations",
                           "填写 observations，或用 --year 指定 add observations or pass --year")
    if dataset.profile.base_year >= chosen:
        raise DatasetError(dataset.file, "park.base_year",
                           f"规划基准年 {dataset.profile.base_year} 不早于评价年 {chosen} "
                           f"the base year is not before the evaluation year",
                           "规划基准年应为建设规划的起始年 use the plan's start year")
    return chosen


def evaluate_indicator(framework: Framework, dataset: Dataset, number: int,
                       year: int) -> IndicatorResult:
    env = EvaluationEnv(framework, dataset, year)
    indicator = framework.indicator(number)
    result = _compute(framework, indicator, env)
    if result.status is Status.MET:  # computed: now judge it
        _judge(framework.requirements[number], result, env)
    _beside(framework, dataset, result, year)
    return result


def _compute(framework: Framework, indicator: Indicator, env: EvaluationEnv) -> IndicatorResult:
    number = indicator.number
    try:
        value, trace = framework.formulas[number].evaluate(env)
    except MissingData as missing:
        return _missing(indicator, missing, env)
    except NotApplicable as exc:
        return IndicatorResult(indicator, None, Status.NOT_APPLICABLE, "", exc.reason_zh,
                               exc.reason_en, warnings=env.warnings)
    except NotEvaluable as exc:
        return IndicatorResult(indicator, None, Status.NOT_EVALUABLE, "", exc.reason_zh,
                               exc.reason_en, warnings=env.warnings)
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = _clean(float(value) * framework.factors[number])
    root = Trace(f"{number} {indicator.name_zh}", value, indicator.unit, [trace])
    return IndicatorResult(indicator, value, Status.MET, trace=root, warnings=env.warnings)


def _beside(framework: Framework, dataset: Dataset, result: IndicatorResult, year: int) -> None:
    """What goes beside the judged value: companion values, warnings, exemption (in that
    order)."""
    ind = result.indicator
    for companion in ind.companions:
        result.companions.append(_companion(framework, dataset, ind.number, companion, year,
                                            result.warnings))
    for advisory in framework.spec.warnings:
        if ind.number in advisory.indicators and _holds(framework, dataset, advisory.id, year):
            result.warnings.append((advisory.text_zh, advisory.text_en))
    reason = dataset.exemptions.get(ind.number)
    if reason is not None:
        result.status, result.reason_zh, result.reason_en = Status.EXEMPTED, reason, reason


def _companion(framework: Framework, dataset: Dataset, number: int, companion: Companion,
               year: int, warnings: list[tuple[str, str]]) -> CompanionValue:
    formula, factor = framework.companions[(number, companion.id)]
    env = EvaluationEnv(framework, dataset, year)
    named = (companion.id, companion.name_zh, companion.name_en, companion.unit,
             companion.decimals)
    try:
        value, trace = formula.evaluate(env)
    except MissingData as missing:
        return CompanionValue(*named, None, f"缺少 {missing.item}（{missing.year}年）",
                              f"missing {missing.item} for {missing.year}")
    except NotEvaluable as exc:
        return CompanionValue(*named, None, exc.reason_zh, exc.reason_en)
    finally:
        warnings.extend(w for w in env.warnings if w not in warnings)
    return CompanionValue(*named, _clean(float(value) * factor), trace=trace)


def _holds(framework: Framework, dataset: Dataset, advisory: str, year: int) -> bool:
    try:
        holds, _ = framework.advisories[advisory].evaluate(EvaluationEnv(framework, dataset,
                                                                          year))
    except (MissingData, NotEvaluable):
        return False  # a warning needs its data; without it there is nothing to warn about
    return bool(holds)


def _clean(value: float) -> float:
    """Drop binary floating-point noise (30.000000000000004 → 30.0) so boundaries pass exactly."""
    return float(f"{value:.12g}")


def _missing(indicator: Indicator, missing: MissingData, env: EvaluationEnv) -> IndicatorResult:
    zh = f"缺少 {missing.item}（{missing.year}年）{missing.detail}"
    en = f"missing {missing.item} for {missing.year} {missing.detail_en}".rstrip()
    return IndicatorResult(indicator, None, Status.MISSING, "", zh, en, warnings=env.warnings,
                           missing=(missing.item, missing.year))


def _judge(requirement: CompiledRequirement, result: IndicatorResult, env: EvaluationEnv) -> None:
    """Apply the requirement: the rule, or the first case whose condition holds."""
    env.current = result.value
    rule = requirement.rule
    try:
        for when, case_rule in requirement.cases:
            holds, when_trace = when.evaluate(env)
            if holds:
                rule = case_rule
                _attach(result, when_trace)
                break
        if rule is None:
            otherwise = result.indicator.requirement.otherwise
            status = Status(otherwise.status) if otherwise else Status.NOT_EVALUABLE
            result.status = status
            result.reason_zh = otherwise.reason_zh if otherwise else "没有适用的要求"
            result.reason_en = otherwise.reason_en if otherwise else "no requirement applies"
            return
        met, rule_trace = rule.evaluate(env)
    except MissingData as missing:
        result.status, result.missing = Status.MISSING, (missing.item, missing.year)
        result.reason_zh = f"判定条件缺少 {missing.item}（{missing.year}年）"
        result.reason_en = f"the requirement's condition needs {missing.item} for {missing.year}"
        return
    except NotEvaluable as exc:
        result.status, result.reason_zh, result.reason_en = (
            Status.NOT_EVALUABLE, exc.reason_zh, exc.reason_en)
        return
    result.rule = rule.text.removeprefix("value ").strip()
    result.status = Status.MET if met else Status.NOT_MET
    _attach(result, rule_trace)


def _attach(result: IndicatorResult, trace: Trace) -> None:
    if result.trace is not None:
        result.trace.children.append(trace)


def judge_value(framework: Framework, dataset: Dataset, number: int, year: int,
                value: Value) -> IndicatorResult:
    """The status the requirement gives to `value` (e.g. a printed value) in this park-year."""
    env = EvaluationEnv(framework, dataset, year)
    result = IndicatorResult(framework.indicator(number), value, Status.MET)
    _judge(framework.requirements[number], result, env)
    return result


def evaluate_formula(framework: Framework, dataset: Dataset, formula: Formula,
                     year: int) -> tuple[Value, Trace]:
    """Evaluate any checked formula of `framework` (an identity, a variable) in `year`."""
    return formula.evaluate(EvaluationEnv(framework, dataset, year), year)
