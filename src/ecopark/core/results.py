"""What evaluating one indicator gives: its value, status (met / not met / not applicable /
missing data / not evaluable / exempted) with the reason, the requirement rule that applied,
the trace, warnings, and the companion values shown beside it."""

from __future__ import annotations

import dataclasses
import enum
from typing import TYPE_CHECKING

from ecopark.core.trace import Trace, Value

if TYPE_CHECKING:
    from ecopark.core.framework.indicators import Indicator

__all__ = ["CompanionValue", "IndicatorResult", "Status"]


class Status(enum.StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"
    MISSING = "missing"
    NOT_EVALUABLE = "not_evaluable"
    EXEMPTED = "exempted"  # exempted by the dataset, with a reason (exemptible indicators only)


@dataclasses.dataclass(frozen=True)
class CompanionValue:
    """A value computed beside an indicator (framework `companions`), never judged."""

    id: str
    name_zh: str
    name_en: str
    unit: str
    decimals: int
    value: float | None
    reason_zh: str = ""
    reason_en: str = ""
    trace: Trace | None = None


@dataclasses.dataclass
class IndicatorResult:
    indicator: Indicator
    value: Value | None
    status: Status
    rule: str = ""  # the requirement rule that applied, e.g. "<= 0.6"
    reason_zh: str = ""
    reason_en: str = ""
    trace: Trace | None = None
    warnings: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    missing: tuple[str, int] | None = None
    companions: list[CompanionValue] = dataclasses.field(default_factory=list)

    @property
    def number(self) -> int:
        return self.indicator.number

    @property
    def determined(self) -> bool:
        return self.status in (Status.MET, Status.NOT_MET, Status.NOT_APPLICABLE,
                               Status.EXEMPTED)
