"""Park profile: the facts that parameterise a framework for one park."""

from __future__ import annotations

import dataclasses

__all__ = ["Profile"]


@dataclasses.dataclass(frozen=True)
class Profile:
    """Park name, planning base year (规划基准年), framework-declared fields such as the region
    class, and the optional indicators the park is assessed on (是否为考核指标 = 是)."""

    name: str
    base_year: int
    fields: dict[str, str] = dataclasses.field(default_factory=dict)
    selected: frozenset[int] = frozenset()
    base_year_note: str = ""

    def with_base_year(self, year: int) -> Profile:
        return dataclasses.replace(self, base_year=year)
