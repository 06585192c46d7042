"""How much of a park a roll-up covers, said whenever it replaces a park-stated total.

    coverage = N of M enterprises: N summed into the item-year, M known for the park (the
               enterprises of the roster's year, or those registered for the park on the web)
    share    = the roll-up's sum ÷ the park-stated total it replaces

A replacement with N < M needs confirmation (`require_confirmed`, `PartialCoverage`): one
enterprise's 1 300 tce must not silently stand for a park's 28 110 tce.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from ecopark.core.errors import PartialCoverage

__all__ = ["Coverage", "partial", "require_confirmed"]


@dataclasses.dataclass(frozen=True)
class Coverage:
    item: str
    year: int
    enterprises: int  # N: summed
    known: int  # M: known for the park (or the roster's year)
    total: float  # the roll-up's sum
    previous: float | None  # the park-stated value it replaces

    @property
    def complete(self) -> bool:
        return self.enterprises >= self.known

    @property
    def share(self) -> float | None:
        return self.total / self.previous if self.previous else None

    def as_dict(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self), "share": self.share}

    def text(self, lang: str = "zh") -> str:
        return PartialCoverage.line(self.as_dict(), lang)


def partial(coverage: Sequence[Coverage]) -> list[Coverage]:
    return [c for c in coverage if not c.complete]


def require_confirmed(where: str, coverage: Sequence[Coverage], confirmed: bool,
                      hint: str) -> None:
    """Raise PartialCoverage when a replacement covers fewer than every enterprise and the
    user has not confirmed it."""
    found = partial(coverage)
    if found and not confirmed:
        raise PartialCoverage(where, [c.as_dict() for c in found], hint)
