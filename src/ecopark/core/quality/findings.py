"""A quality finding: which rule fired, where, on which item-year cells and value, why (the
rule's message) and the likely fix (the rule's fix), in Chinese and English."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from ecopark.core.numbers import format_value

if TYPE_CHECKING:
    from ecopark.core.framework.model import Framework
    from ecopark.core.quality.rules import Rule

__all__ = ["Both", "QualityFinding", "Subject", "findings_json", "make_finding", "plain",
           "touching"]

_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclasses.dataclass(frozen=True)
class QualityFinding:
    rule: str
    version: int
    kind: str
    severity: str
    level: str
    where: str
    zh: str
    en: str
    fields: tuple[str, ...] = ()
    year: int | None = None
    enterprise: str | None = None
    credit_code: str | None = None
    indicators: tuple[int, ...] = ()
    value: float | None = None  # the value the finding is about, in the item's unit
    fix_zh: str = ""
    fix_en: str = ""
    cells: tuple[tuple[str, int], ...] = ()  # the (item, year) cells it is about
    where_en: str = ""  # `where` as the English message says it ("园区 2018", not "2018年")

    @property
    def item(self) -> str | None:
        return self.fields[0] if self.fields else None

    @property
    def blocking(self) -> bool:
        return self.severity == "error"


@dataclasses.dataclass(frozen=True)
class Both:
    """A fact that reads differently in Chinese and English (an item's name)."""

    zh: str
    en: str


@dataclasses.dataclass(frozen=True)
class Subject:
    """What a rule looks at: one place (park, or one enterprise) with yearly values."""

    where: str
    values: dict[int, dict[str, float]]  # year → field → value
    enterprise: str | None = None
    credit_code: str | None = None
    industry: str = ""
    cells: dict[int, str] = dataclasses.field(default_factory=dict)  # year → row reference


def show(value: float) -> str:
    return format_value(value, 2 if abs(value) >= 1 else 4)


def plain(value: float) -> str:
    """A value as typed: up to four decimals, no trailing zeros (430, 0.165, 13.52, 4000000)."""
    text = format_value(value, 4)
    return text.rstrip("0").rstrip(".") if "." in text else text


def gap(a: float, b: float) -> str:
    base = max(abs(a), abs(b))
    return "0 %" if base == 0 else f"{abs(a - b) / base:.1%}"


def _in(lang: str, facts: dict[str, Any]) -> dict[str, Any]:
    return {k: (getattr(v, lang) if isinstance(v, Both) else v) for k, v in facts.items()}


def make_finding(rule: Rule, subject: Subject, year: int | None, fields: Iterable[str],
                 at_value: float | None = None, **facts: Any) -> QualityFinding:
    """The rule's message and fix filled with the facts; the cells are each field at `year`."""
    names = tuple(fields)
    cell = subject.cells.get(year) if year is not None else None
    where = subject.where + (f" {year}年" if year is not None else "") + (
        f"（{cell}）" if cell else "")
    where_en = subject.where + (f" {year}" if year is not None else "") + (
        f" ({cell})" if cell else "")
    facts["where"] = Both(where, where_en)
    if year is not None:
        facts.setdefault("year", year)
    zh, en = _in("zh", facts), _in("en", facts)
    cells = tuple((name, year) for name in names) if year is not None else ()
    return QualityFinding(rule.id, rule.version, rule.kind, rule.severity, rule.level, where,
                          rule.message_zh.format(**zh), rule.message_en.format(**en), names,
                          year, subject.enterprise, subject.credit_code, value=at_value,
                          fix_zh=rule.fix_zh.format(**zh), fix_en=rule.fix_en.format(**en),
                          cells=cells, where_en=where_en)


def with_indicators(found: list[QualityFinding], framework: Framework,
                    to_items: Callable[[str], set[str]]) -> list[QualityFinding]:
    """Each finding with the indicators its fields feed, errors first."""
    numbers = {n: set(framework.items_of(n)) for n in framework.by_number}
    out = []
    for finding in found:
        items = {i for f in finding.fields for i in to_items(f)}
        touched = tuple(n for n, used in numbers.items() if used & items)
        out.append(dataclasses.replace(finding, indicators=finding.indicators or touched))
    return sorted(out, key=lambda f: (_ORDER[f.severity], f.rule, f.where))


def touching(findings: Iterable[QualityFinding]) -> list[QualityFinding]:
    """The findings that touch at least one indicator (shown by assess and verify)."""
    return [f for f in findings if f.indicators]


def findings_json(findings: Iterable[QualityFinding]) -> list[dict[str, Any]]:
    return [{"rule": f.rule, "version": f.version, "kind": f.kind, "severity": f.severity,
             "level": f.level, "where": f.where, "item": f.item, "year": f.year,
             "value": f.value, "enterprise": f.enterprise, "credit_code": f.credit_code,
             "fields": list(f.fields), "indicators": list(f.indicators), "message_zh": f.zh,
             "message_en": f.en, "fix_zh": f.fix_zh, "fix_en": f.fix_en}
            for f in findings]
