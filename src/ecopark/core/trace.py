"""Trace: the tree of inputs and intermediate results behind every computed value."""

from __future__ import annotations

import dataclasses
from typing import Any

__all__ = ["Trace", "Value"]

Value = float | str | bool


@dataclasses.dataclass(slots=True)
class Trace:
    """One step of a computation: what it is, its result, and the steps it used.

    Leaves that read the dataset carry `item`, `year` and `source`; `note` holds a warning or an
    explanation (a member left out of a mean, which branch of a `coalesce` was taken).
    """

    label: str
    value: Value | None
    unit: str = ""
    children: list[Trace] = dataclasses.field(default_factory=list)
    item: str | None = None
    year: int | None = None
    source: str | None = None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"label": self.label, "value": self.value, "unit": self.unit}
        for key in ("item", "year", "source", "note"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.children:
            out["children"] = [child.to_dict() for child in self.children]
        return out

    def leaves(self) -> list[Trace]:
        """Every dataset input the computation read, in order."""
        if self.item is not None and not self.children:
            return [self]
        return [leaf for child in self.children for leaf in child.leaves()]
