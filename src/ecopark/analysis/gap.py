"""What must change to pass: for each indicator not met or within 10 % of its requirement, the
value each input needs (others held fixed), and which single input error would flip the verdict.

Solved exactly by inverting the formula where the input is read once (`invert.solve`), by
bisection otherwise. Every answer is checked by re-evaluating the indicator with it.
"""

from __future__ import annotations

import dataclasses
import itertools
import re

from ecopark.analysis.invert import NotInvertible, occurrences, solve
from ecopark.core.dataset.model import Dataset
from ecopark.core.errors import MissingData
from ecopark.core.evaluate import Evaluation, EvaluationEnv, evaluate_indicator
from ecopark.core.formula import NotEvaluable
from ecopark.core.results import IndicatorResult, Status
from ecopark.core.verdict import VerdictStatus, decide

__all__ = ["Gap", "InputChange", "gaps", "threshold", "verdict_sensitivity"]

NEAR = 0.10
_RULE = re.compile(r"^(<=|>=|<|>|==)\s*(-?\d+(?:\.\d+)?)$")


@dataclasses.dataclass(frozen=True)
class InputChange:
    item: str
    year: int
    current: float
    required: float | None  # None: this input alone cannot reach the requirement
    direction: str  # "at_most" | "at_least" | ""
    method: str  # "exact" | "bisection" | "unreachable"
    flips_verdict: bool = False

    @property
    def relative(self) -> float | None:
        if self.required is None or self.current == 0:
            return None
        return (self.required - self.current) / self.current


@dataclasses.dataclass(frozen=True)
class Gap:
    number: int
    value: float
    op: str
    threshold: float
    status: Status
    inputs: tuple[InputChange, ...]


def threshold(result: IndicatorResult) -> tuple[str, float] | None:
    """The operator and number of the requirement that applied ("<= 0.6" → ("<=", 0.6))."""
    match = _RULE.match(result.rule)
    return None if match is None else (match.group(1), float(match.group(2)))


def _near(value: float, op: str, limit: float, unit: str) -> bool:
    """Within 10 % of the requirement. A complete-coverage requirement (≥ 100 %) met at 100 %
    has nothing left to gain and is not listed."""
    if op == ">=" and unit == "%" and limit == 100 and value >= 100:
        return False
    return op in ("<=", ">=", "<", ">") and abs(value - limit) <= NEAR * abs(limit)


def gaps(evaluation: Evaluation) -> list[Gap]:
    """A Gap for every numeric indicator that is not met or within 10 % of its requirement."""
    out = []
    for result in evaluation.results:
        rule = threshold(result)
        if rule is None or not isinstance(result.value, float) or result.trace is None:
            continue
        near = _near(result.value, *rule, result.indicator.unit)
        if result.status is Status.NOT_MET or (result.status is Status.MET and near):
            out.append(_gap(evaluation, result, *rule))
    return out


def verdict_sensitivity(evaluation: Evaluation) -> list[tuple[int, InputChange]]:
    """Every single input whose change alone flips the overall verdict, smallest change first:
    for a failing park the changes that would make it pass, for a passing park those that would
    make it fail."""
    out: list[tuple[int, InputChange]] = []
    wanted = Status.NOT_MET if evaluation.verdict.passed else Status.MET
    for result in evaluation.results:
        rule = threshold(result)
        if rule is None or result.status is wanted or not isinstance(result.value, float):
            continue
        if not _flips_verdict(evaluation, result, to=wanted):
            continue
        for change in _gap(evaluation, result, *rule).inputs:
            if change.flips_verdict and change.relative is not None:
                out.append((result.number, change))
    return sorted(out, key=lambda pair: abs(pair[1].relative or 0.0))


def _gap(ev: Evaluation, result: IndicatorResult, op: str, limit: float) -> Gap:
    assert result.trace is not None and isinstance(result.value, float)
    leaves = list(dict.fromkeys((t.item, t.year) for t in result.trace.leaves()
                                if t.item is not None and t.year is not None))
    changes = tuple(_change(ev, result, leaf, limit) for leaf in leaves
                    if ev.framework.spec.items.get(leaf[0]) is not None
                    and ev.framework.spec.items[leaf[0]].kind == "number")
    return Gap(result.number, result.value, op, limit, result.status, changes)


def _change(ev: Evaluation, result: IndicatorResult, leaf: tuple[str, int],
            limit: float) -> InputChange:
    current = ev.dataset.values[leaf].value
    assert isinstance(current, float)
    required, method = _required(ev, result.number, leaf, limit)
    if required is None or not _reaches(ev, result.number, leaf, required):
        return InputChange(leaf[0], leaf[1], current, None, "", "unreachable")
    direction = _direction(ev, result.number, leaf, required)
    flips = _flips_verdict(ev, result) if result.status is Status.NOT_MET else \
        _flips_verdict(ev, result, to=Status.NOT_MET)
    return InputChange(leaf[0], leaf[1], current, required, direction, method, flips)


def _required(ev: Evaluation, number: int, leaf: tuple[str, int],
              limit: float) -> tuple[float | None, str]:
    env = EvaluationEnv(ev.framework, ev.dataset, ev.year)
    root = ev.framework.formulas[number].typed.expr
    target = limit / ev.framework.factors[number]
    if occurrences(root, env, ev.year, leaf) == 1:
        try:
            return solve(root, env, ev.year, target, leaf), "exact"
        except (NotInvertible, NotEvaluable, MissingData, ZeroDivisionError, OverflowError):
            pass
    return _bisect(ev, number, leaf, limit), "bisection"


def _with(ev: Evaluation, leaf: tuple[str, int], value: float) -> Dataset:
    old = ev.dataset.values[leaf]
    return ev.dataset.with_values({leaf: dataclasses.replace(old, value=value)})


def _value_at(ev: Evaluation, number: int, leaf: tuple[str, int], x: float) -> float | None:
    result = evaluate_indicator(ev.framework, _with(ev, leaf, x), number, ev.year)
    return result.value if isinstance(result.value, float) else None


def _bisect(ev: Evaluation, number: int, leaf: tuple[str, int], limit: float) -> float | None:
    current = ev.dataset.values[leaf].value
    assert isinstance(current, float)
    grid = [current * 10 ** (k / 20) for k in range(-80, 81)] if current else \
        [10 ** (k / 20) for k in range(-80, 81)]
    points = [(x, _value_at(ev, number, leaf, x)) for x in grid]
    known = [(x, v - limit) for x, v in points if v is not None]
    for (x0, d0), (x1, d1) in itertools.pairwise(known):
        if d0 == 0:
            return x0
        if d0 * d1 < 0:
            return _narrow(ev, number, leaf, limit, x0, x1, d0)
    return None


def _narrow(ev: Evaluation, number: int, leaf: tuple[str, int], limit: float, lo: float,
            hi: float, d_lo: float) -> float:
    for _ in range(200):
        mid = (lo + hi) / 2
        value = _value_at(ev, number, leaf, mid)
        if value is None or mid in (lo, hi):
            break
        if (value - limit) * d_lo > 0:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def _met(ev: Evaluation, number: int, leaf: tuple[str, int], x: float) -> bool:
    result = evaluate_indicator(ev.framework, _with(ev, leaf, x), number, ev.year)
    return result.status is Status.MET


def _reaches(ev: Evaluation, number: int, leaf: tuple[str, int], x: float) -> bool:
    """The answer really meets the requirement (boundary passes) and is a possible amount."""
    item = ev.framework.spec.items[leaf[0]]
    if x < 0 and not item.allow_negative:
        return False
    return _met(ev, number, leaf, x) or _met(ev, number, leaf, x * (1 + 1e-9))


def _direction(ev: Evaluation, number: int, leaf: tuple[str, int], x: float) -> str:
    step = abs(x) * 1e-6 or 1e-9
    return "at_least" if _met(ev, number, leaf, x + step) else "at_most"


def _flips_verdict(ev: Evaluation, result: IndicatorResult,
                   to: Status = Status.MET) -> bool:
    """Whether this indicator alone changing status would change the overall verdict."""
    changed = [dataclasses.replace(r, status=to) if r.number == result.number else r
               for r in ev.results]
    verdict = decide(ev.framework, ev.dataset, changed)
    was_passed = ev.verdict.status is VerdictStatus.PASSED
    return (verdict.status is VerdictStatus.PASSED) != was_passed
