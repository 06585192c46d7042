"""A loaded dataset: a park's observations, one per item and year in the item's canonical unit,
with the dataset's other sections as the framework it was loaded under sees them."""

from __future__ import annotations

import dataclasses
from typing import Any

from ecopark.core.dataset.inventory import InventoryResult
from ecopark.core.dataset.profile import Profile
from ecopark.core.dataset.schema import Accounting, ChecklistEntry, Contribution, GateAnswer, Reported
from ecopark.core.dataset.settings import SettingValue

__all__ = ["Dataset", "Observation", "Warnings", "record_number"]

Warnings = dict[tuple[str, int], tuple[tuple[str, str], ...]]


@dataclasses.dataclass(frozen=True)
class Observation:
    """One value of an item in a year, in the item's canonical unit; `value` None = "/"."""

    item: str
    year: int
    value: float | str | None
    source: str | None = None
    note: str | None = None
    given: str = ""  # as written, with its unit, e.g. "3163000 立方米"
    printed: str = ""  # the value as written, e.g. "/"
    unit_given: str = ""  # the unit it was written in, e.g. "立方米"

    def as_written(self) -> tuple[str, str]:
        """(value text, unit) as written: ("3163000", "立方米")."""
        return self.given.removesuffix(self.unit_given).strip(), self.unit_given


@dataclasses.dataclass(frozen=True)
class Dataset:
    file: str
    framework_id: str
    profile: Profile
    year: int | None
    values: dict[tuple[str, int], Observation]
    checklists: dict[str, dict[int, list[ChecklistEntry]]]
    lists: dict[str, list[dict[str, Any]]]
    reported: Reported | None
    contributions: dict[str, dict[int, list[Contribution]]] = dataclasses.field(
        default_factory=dict)
    accounting: Accounting | None = None
    settings: dict[str, SettingValue] = dataclasses.field(default_factory=dict)
    exemptions: dict[int, str] = dataclasses.field(default_factory=dict)
    gates: dict[str, GateAnswer] = dataclasses.field(default_factory=dict)
    inventory: dict[int, InventoryResult] = dataclasses.field(default_factory=dict)  # by year
    derived_warnings: Warnings = dataclasses.field(default_factory=dict)

    def years(self) -> list[int]:
        return sorted({year for _, year in self.values})

    def with_values(self, changes: dict[tuple[str, int], Observation]) -> Dataset:
        return dataclasses.replace(self, values={**self.values, **changes})

    def with_base_year(self, year: int) -> Dataset:
        """The same printed base rows, read as if they belonged to `year` (base-year inference)."""
        old = self.profile.base_year
        moved = {(item, year): dataclasses.replace(obs, year=year)
                 for (item, y), obs in self.values.items() if y == old}
        return dataclasses.replace(self.with_values(moved),
                                   profile=self.profile.with_base_year(year))



def record_number(value: Any) -> float | None:
    """A list record's number field (decimals are read as text), or None if it is not one."""
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)
