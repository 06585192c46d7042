"""The door: the findings a write would bring on the cells it changes, and whether it may
proceed. Errors stop a write unless the user gives a reason (kept in the value's history);
warnings never stop it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ecopark.core.errors import ImplausibleValue
from ecopark.core.quality.check import run_park
from ecopark.core.quality.findings import QualityFinding
from ecopark.core.quality.rules import RuleSet, load_rules

if TYPE_CHECKING:
    from ecopark.core.dataset.model import Dataset
    from ecopark.core.framework.model import Framework

__all__ = ["gate", "screen"]


def screen(framework: Framework, dataset: Dataset, cells: Iterable[tuple[str, int]],
           rules: RuleSet | None = None, year: int | None = None) -> list[QualityFinding]:
    """The park-level findings about the given (item, year) cells of `dataset` — the dataset as
    it would be after the write. Only the rules that read those cells' items run; `year` is the
    evaluation year (default: the dataset's)."""
    wanted = frozenset(cells)
    if not wanted:
        return []
    found = run_park(dataset, framework, rules or load_rules(framework), year, wanted)
    return [f for f in found if wanted & set(f.cells)]


def gate(findings: Iterable[QualityFinding], reason: str | None = None) -> list[QualityFinding]:
    """Whether a write may proceed: raises `ImplausibleValue` when an error finding stands and no
    reason is given (a blank reason is none); returns the findings to keep with the write."""
    kept = list(findings)
    errors = [f for f in kept if f.blocking]
    if errors and not (reason and reason.strip()):
        raise ImplausibleValue(errors)
    return kept
