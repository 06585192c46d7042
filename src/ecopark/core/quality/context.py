"""What a park-level rule sees: the framework, the dataset as a subject with yearly values, the
evaluation year, and — when screening a write — the only cells to look at."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from ecopark.core.quality.findings import Both, Subject

if TYPE_CHECKING:
    from ecopark.core.dataset.model import Dataset
    from ecopark.core.framework.model import Framework

__all__ = ["Cells", "Park"]

Cells = frozenset[tuple[str, int]]


@dataclasses.dataclass(frozen=True)
class Park:
    framework: Framework
    dataset: Dataset
    subject: Subject
    year: int  # the evaluation year (rules about the evaluation year's inputs)
    cells: Cells | None = None  # screening: only findings on these (item, year) cells count

    def name(self, item: str) -> Both:
        return Both(self.framework.item_name(item), self.framework.item_name(item, "en"))

    def unit(self, item: str) -> str:
        return self.framework.spec.items[item].unit

    def wanted(self, item: str, year: int) -> bool:
        return self.cells is None or (item, year) in self.cells

    def number_items(self) -> list[str]:
        return [k for k, v in self.framework.spec.items.items() if v.kind == "number"]

    def series(self, item: str) -> dict[int, float]:
        """The item's numeric values by year (blanks and text left out)."""
        return {year: values[item] for year, values in sorted(self.subject.values.items())
                if item in values}

    def values_at(self, items: list[str]) -> list[tuple[str, int, float]]:
        """(item, year, value) of every number of `items`, limited to the screened cells."""
        return [(item, year, value) for item in items
                for year, value in self.series(item).items() if self.wanted(item, year)]
