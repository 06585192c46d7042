"""The enterprise-level data-quality rules over a roster: each enterprise (by credit code) as a
subject with its yearly values (roster fields and what was computed for it), the rules of
`ENTERPRISE_KINDS` over each, duplicate rows, and the indicators each finding touches through
the roll-up rules (which items a field feeds)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from ecopark.accounting.rollup_rules import items_by_field
from ecopark.accounting.rollup_rules import load_rules as rollup_rules
from ecopark.accounting.roster import EnterpriseYear, Roster
from ecopark.core.framework.model import Framework
from ecopark.core.quality.check import ENTERPRISE_KINDS
from ecopark.core.quality.findings import QualityFinding, Subject, make_finding, with_indicators
from ecopark.core.quality.rules import Rule, RuleSet, enterprise_fields, load_rules

__all__ = ["check_roster"]


def _enterprise_subjects(roster: Roster, computed: list[dict[str, float]]) -> list[Subject]:
    grouped: dict[str, list[tuple[EnterpriseYear, dict[str, float]]]] = defaultdict(list)
    for record, extra in zip(roster.records, computed, strict=True):
        grouped[record.code].append((record, extra))
    subjects = []
    for code, rows in grouped.items():
        first = rows[0][0]
        numbers: dict[int, dict[str, float]] = {
            r.year: {k: float(v) for k, v in {**r.values, **c}.items()
                     if isinstance(v, int | float) and not isinstance(v, bool)} for r, c in rows}
        cells = {r.year: roster.where(r, "name").split("!")[-1] for r, _ in rows}
        subjects.append(Subject(f"{first.name}（{code}）", numbers, first.name, code,
                                first.industry, cells))
    return subjects


def _duplicates(rule: Rule, roster: Roster) -> Iterator[QualityFinding]:
    rows: dict[tuple[str, int], list[EnterpriseYear]] = defaultdict(list)
    for record in roster.records:
        rows[(record.code, record.year)].append(record)
    for (code, year), records in rows.items():
        if len(records) > 1:
            subject = Subject(f"{records[0].name}（{code}）", {}, records[0].name, code)
            yield make_finding(rule, subject, year, ("credit_code",), code=code,
                               count=len(records), rows="、".join(str(r.row) for r in records))


def check_roster(roster: Roster, computed: list[dict[str, float]], framework: Framework,
                 rules: RuleSet | None = None) -> list[QualityFinding]:
    """Every enterprise-level rule over a roster (`computed`: each record's energy and CO2)."""
    rules = rules or load_rules(framework)
    units_of = enterprise_fields()
    subjects = _enterprise_subjects(roster, computed)
    found: list[QualityFinding] = []
    for rule in rules.rules("enterprise"):
        if rule.kind == "duplicate":
            found += _duplicates(rule, roster)
            continue
        for subject in subjects:
            found += ENTERPRISE_KINDS[rule.kind](rule, rules.params[rule.id], subject, units_of)
    mapping = items_by_field(rollup_rules(framework))
    return with_indicators(found, framework, lambda f: mapping.get(f, set()))
