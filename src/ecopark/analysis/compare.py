"""Comparison of parks: indicators side by side with percentile ranks.

A park's percentile rank on an indicator is the share of the other parks (with a value) that it
does at least as well as, in the direction of the requirement (lower is better for "≤"
requirements, higher for "≥"); it is None for fewer than two parks or a non-numeric indicator.
"""

from __future__ import annotations

import dataclasses

from ecopark.analysis.gap import threshold
from ecopark.core.evaluate import Evaluation
from ecopark.core.results import IndicatorResult, Status

__all__ = ["Cell", "Comparison", "compare"]


@dataclasses.dataclass(frozen=True)
class Cell:
    value: object
    status: Status
    percentile: float | None


@dataclasses.dataclass(frozen=True)
class Comparison:
    parks: tuple[str, ...]
    years: tuple[int, ...]
    numbers: tuple[int, ...]
    cells: dict[tuple[int, int], Cell]  # (indicator number, park index) → cell
    evaluations: tuple[Evaluation, ...]

    def row(self, number: int) -> list[Cell]:
        return [self.cells[(number, i)] for i in range(len(self.parks))]


def _direction(results: list[IndicatorResult]) -> int:
    """+1 when higher is better, −1 when lower is better, 0 when there is no common order (no
    rule, or parks under opposite rules, as for elasticities when IVA growth differs in sign)."""
    found = set()
    for result in results:
        rule = threshold(result)
        if rule is not None and rule[0] in (">=", ">", "<=", "<"):
            found.add(1 if rule[0] in (">=", ">") else -1)
    return found.pop() if len(found) == 1 else 0


def _percentiles(values: list[object], direction: int) -> list[float | None]:
    numeric = [v for v in values if isinstance(v, float)]
    if direction == 0 or len(numeric) < 2:
        return [None] * len(values)
    out: list[float | None] = []
    for value in values:
        if not isinstance(value, float):
            out.append(None)
            continue
        beaten = sum(1 for other in numeric if direction * (value - other) >= 0) - 1
        out.append(100.0 * beaten / (len(numeric) - 1))
    return out


def compare(evaluations: list[Evaluation]) -> Comparison:
    """Put parks (evaluations under the same framework) side by side."""
    numbers = tuple(r.number for r in evaluations[0].results)
    cells: dict[tuple[int, int], Cell] = {}
    for number in numbers:
        results = [ev.result(number) for ev in evaluations]
        ranks = _percentiles([r.value for r in results], _direction(results))
        for index, (result, rank) in enumerate(zip(results, ranks, strict=True)):
            cells[(number, index)] = Cell(result.value, result.status, rank)
    return Comparison(tuple(ev.dataset.profile.name for ev in evaluations),
                      tuple(ev.year for ev in evaluations), numbers, cells, tuple(evaluations))
