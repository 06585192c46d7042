"""Running the rules: every park-level rule over a dataset. Each kind is one function
(`PARK_KINDS`, and `ENTERPRISE_KINDS` for the kinds that also run over one enterprise's yearly
values, which `ecopark.accounting.roster_quality` runs over a roster); a screen runs only the
rules that read the cells it is given."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ecopark.core.quality import evaluated, series, values
from ecopark.core.quality.context import Cells, Park
from ecopark.core.quality.findings import QualityFinding, Subject, touching, with_indicators
from ecopark.core.quality.rules import (
    Rule,
    RuleSet,
    load_rules,
    park_fields,
    rule_fields,
)

if TYPE_CHECKING:
    from ecopark.core.dataset.model import Dataset
    from ecopark.core.evaluate import Evaluation
    from ecopark.core.framework.model import Framework

__all__ = ["ENTERPRISE_KINDS", "PARK_KINDS", "EnterpriseKind", "check_dataset", "evaluation_year",
           "indicator_findings", "run_park"]

Kind = Callable[[Rule, Any, Park], Iterable[QualityFinding]]


def _units(park: Park) -> dict[str, str]:
    return park_fields(park.framework)


def _above_limit(rule: Rule, params: Any, park: Park) -> Iterator[QualityFinding]:
    """Items above the limit, then indicators above it that no such item explains."""
    items = list(values.above_limit_items(rule, params, park))
    flagged = {cell for f in items for cell in f.cells}
    yield from items
    yield from (f for f in evaluated.above_limit_indicators(rule, params, park)
                if not flagged & set(f.cells))


PARK_KINDS: dict[str, Kind] = {
    "balance": lambda r, p, park: series.balance(r, p, park.subject),
    "year_on_year": lambda r, p, park: series.year_on_year(r, p, park.subject, park.name),
    "unit_slip": lambda r, p, park: series.unit_slip(r, p, park.subject, park.name),
    "intensity": lambda r, p, park: series.intensity(r, p, park.subject, _units(park)),
    "stated_vs_recomputed": lambda r, p, park: series.stated(r, p, park.subject),
    "enterprise_total": lambda r, p, park: series.enterprise_totals(r, p, park.dataset,
                                                                    park.subject, park.name),
    "duplicate": lambda r, p, park: series.duplicate_contributions(r, park.dataset, park.subject),
    "history_slip": values.history_slip,
    "above_limit": _above_limit,
    "fraction_for_percent": values.fraction_for_percent,
    "whole_number": values.whole_number,
    "zero_denominator": values.zero_denominator,
    "mandatory_blank": evaluated.mandatory_blank,
    "mean_member_missing": evaluated.mean_member_missing,
}

EnterpriseKind = Callable[[Rule, Any, Subject, dict[str, str]], Iterable[QualityFinding]]
ENTERPRISE_KINDS: dict[str, EnterpriseKind] = {
    "balance": lambda r, p, s, u: series.balance(r, p, s),
    "year_on_year": lambda r, p, s, u: series.year_on_year(r, p, s),
    "unit_slip": lambda r, p, s, u: series.unit_slip(r, p, s),
    "intensity": series.intensity,
    "stated_vs_recomputed": lambda r, p, s, u: series.stated(r, p, s),
}


def evaluation_year(dataset: Dataset, year: int | None = None) -> int:
    """The year whose inputs the evaluation-year rules look at: the one given, the dataset's
    default evaluation year, else its latest year."""
    if year is not None:
        return year
    if dataset.year is not None:
        return dataset.year
    return max(dataset.years(), default=dataset.profile.base_year)


def run_park(dataset: Dataset, framework: Framework, rules: RuleSet, year: int | None = None,
             cells: Cells | None = None,
             kinds: frozenset[str] | None = None) -> list[QualityFinding]:
    """The park-level rules over a dataset (only those reading `cells`' items when given, only
    those of `kinds` when given)."""
    park = Park(framework, dataset, series.park_subject(dataset), evaluation_year(dataset, year), cells)
    items = None if cells is None else {item for item, _ in cells}
    found: list[QualityFinding] = []
    for rule in rules.rules("park"):
        params = rules.params[rule.id]
        reads = rule_fields(rule, params)
        if kinds is not None and rule.kind not in kinds:
            continue
        if items is not None and reads is not None and not items & set(reads):
            continue
        found += PARK_KINDS[rule.kind](rule, params, park)
    return with_indicators(found, framework, lambda f: {f})


def check_dataset(dataset: Dataset, framework: Framework, rules: RuleSet | None = None,
                  year: int | None = None,
                  kinds: frozenset[str] | None = None) -> list[QualityFinding]:
    """Every park-level rule over a dataset (its observations, contributions, stated totals),
    or those of `kinds`; `year` is the evaluation year (default: the dataset's)."""
    return run_park(dataset, framework, rules or load_rules(framework), year, kinds=kinds)


def indicator_findings(evaluation: Evaluation) -> list[QualityFinding]:
    """The park-level findings that touch an indicator of an evaluation (its year's inputs)."""
    return touching(check_dataset(evaluation.dataset, evaluation.framework,
                                  year=evaluation.year))
