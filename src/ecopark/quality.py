"""Data-quality rules: named, versioned data (data/quality-rules.yaml) run over a dataset (park
level) or an enterprise roster (enterprise level).

Each rule has a `kind`; each kind is one function here (`KINDS`) with its parameter model
(`PARAMS`) and the facts its messages may use (`PLACEHOLDERS`). Loading runs the named `CHECKS`
(unique ids, parameters valid for the kind, fields known at the rule's level, message
placeholders known, ratio units convertible); any failure is a `DataFileError` naming the file
and key path. A finding names its rule, version, place and the indicators it touches, so
`assess`/`verify` can show the ones that matter to an indicator.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import math
import re
import string
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ecopark import units
from ecopark.errors import DataFileError, UnitError
from ecopark.numbers import format_value
from ecopark.yamlfile import read_yaml

if TYPE_CHECKING:
    from ecopark.accounting.roster import EnterpriseYear, Roster
    from ecopark.dataset import Dataset
    from ecopark.framework import Framework

__all__ = ["CHECKS", "KINDS", "QualityFinding", "RuleSet", "check_dataset", "check_roster",
           "findings_json", "load_rules", "touching"]

RULES_FILE = Path(__file__).parent / "data" / "quality-rules.yaml"
_ORDER = {"error": 0, "warning": 1, "info": 2}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rule(_Model):
    id: str
    version: int = Field(ge=1)
    kind: str
    level: Literal["park", "enterprise"]
    severity: Literal["error", "warning", "info"]
    params: dict[str, Any] = {}
    message_zh: str
    message_en: str
    source: str


class RulesFile(_Model):
    format: Literal["ecopark-quality-rules/1"]
    framework: str
    version: str
    rules: list[Rule]


class Balance(_Model):
    left: list[str]
    op: Literal["==", ">="]
    right: list[str]
    tolerance: float = Field(0.005, ge=0)
    optional: list[str] = []  # fields whose absence counts as 0 (e.g. past stock utilized)


class YearOnYear(_Model):
    fields: list[str] | Literal["all"]
    max_factor: float = Field(gt=1)
    below: float = Field(1000, gt=1)


class UnitSlip(_Model):
    fields: list[str] | Literal["all"]
    factor: float = Field(gt=1)
    band: float = Field(gt=1)


class Duplicate(_Model):
    pass


class EnterpriseTotal(_Model):
    fields: list[str] | Literal["all"]
    tolerance: float = Field(ge=0)


class StatedVsRecomputed(_Model):
    stated: str
    computed: str
    tolerance: float = Field(ge=0)


class Ratio(_Model):
    numerator: str
    denominator: str
    unit: str
    range: tuple[float, float]
    industries: dict[str, tuple[float, float]] = {}


class Intensity(_Model):
    ratios: list[Ratio]


PARAMS: dict[str, type[_Model]] = {
    "balance": Balance, "year_on_year": YearOnYear, "unit_slip": UnitSlip,
    "duplicate": Duplicate, "enterprise_total": EnterpriseTotal,
    "stated_vs_recomputed": StatedVsRecomputed, "intensity": Intensity,
}
PLACEHOLDERS: dict[str, frozenset[str]] = {
    "balance": frozenset({"where", "left", "right", "gap"}),
    "year_on_year": frozenset({"where", "field", "y0", "v0", "y1", "v1", "factor"}),
    "unit_slip": frozenset({"where", "field", "y0", "v0", "y1", "v1", "factor"}),
    "duplicate": frozenset({"where", "code", "count", "rows"}),
    "enterprise_total": frozenset({"where", "field", "total", "stated", "gap", "count"}),
    "stated_vs_recomputed": frozenset({"where", "stated", "computed", "gap"}),
    "intensity": frozenset({"where", "ratio", "value", "unit", "low", "high", "industry"}),
}


@dataclasses.dataclass
class RuleSet:
    spec: RulesFile
    file: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)  # rule id → params model

    def rules(self, level: str) -> list[Rule]:
        return [r for r in self.spec.rules if r.level == level]


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


# ------------------------------------------------------------------------ names per level


def _enterprise_fields() -> dict[str, str]:
    """Enterprise-level field → unit: roster amounts and computed values."""
    from ecopark.accounting.rollup import enterprise_units

    return enterprise_units()


def _park_fields(framework: Framework) -> dict[str, str]:
    return {k: v.unit for k, v in framework.spec.items.items() if v.kind == "number"}


def _fields_of(rule: Rule, params: Any) -> list[str]:
    out: list[str] = []
    for name in ("left", "right", "optional", "fields", "stated", "computed"):
        value = getattr(params, name, None)
        if isinstance(value, list):
            out += value
        elif isinstance(value, str) and value != "all":
            out.append(value)
    for ratio in getattr(params, "ratios", ()):
        out += [ratio.numerator, ratio.denominator]
    return out


# ------------------------------------------------------------------------ named checks


def check_unique_ids(rules: RuleSet, fw: Framework) -> None:
    """Rule ids are unique."""
    seen: set[str] = set()
    for index, rule in enumerate(rules.spec.rules):
        if rule.id in seen:
            raise DataFileError(rules.file, f"rules[{index}].id", f"重复的规则 duplicate rule {rule.id!r}")
        seen.add(rule.id)


def check_params(rules: RuleSet, fw: Framework) -> None:
    """The kind is known and the parameters are valid for it."""
    for index, rule in enumerate(rules.spec.rules):
        model = PARAMS.get(rule.kind)
        if model is None:
            raise DataFileError(rules.file, f"rules[{index}].kind", f"未知种类 unknown kind "
                                f"{rule.kind!r}", f"可用 available: {', '.join(PARAMS)}")
        try:
            rules.params[rule.id] = model.model_validate(rule.params)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise DataFileError(rules.file, f"rules[{index}].params.{where}", first["msg"]) from None


def check_fields(rules: RuleSet, fw: Framework) -> None:
    """Fields are framework number items (park level) or roster/computed fields (enterprise)."""
    park, enterprise = _park_fields(fw), _enterprise_fields()
    for index, rule in enumerate(rules.spec.rules):
        known = park if rule.level == "park" else enterprise
        for name in _fields_of(rule, rules.params[rule.id]):
            if name not in known:
                raise DataFileError(rules.file, f"rules[{index}].params", f"{rule.level} 级没有字段 "
                                    f"{name!r} unknown {rule.level}-level field")


def check_placeholders(rules: RuleSet, fw: Framework) -> None:
    """Messages use only the facts their kind provides."""
    for index, rule in enumerate(rules.spec.rules):
        for key in ("message_zh", "message_en"):
            names = {n for _, n, _, _ in string.Formatter().parse(getattr(rule, key)) if n}
            unknown = names - PLACEHOLDERS[rule.kind]
            if unknown:
                raise DataFileError(rules.file, f"rules[{index}].{key}", f"未知占位符 unknown "
                                    f"placeholders {sorted(unknown)}", f"可用 available: "
                                    f"{sorted(PLACEHOLDERS[rule.kind])}")


def check_ratio_units(rules: RuleSet, fw: Framework) -> None:
    """A ratio's numerator/denominator units convert to its declared unit."""
    park, enterprise = _park_fields(fw), _enterprise_fields()
    for index, rule in enumerate(rules.spec.rules):
        known = park if rule.level == "park" else enterprise
        for r, ratio in enumerate(getattr(rules.params[rule.id], "ratios", ())):
            try:
                units.conversion_factor(f"({known[ratio.numerator]})/({known[ratio.denominator]})",
                                        ratio.unit)
            except UnitError as exc:
                raise DataFileError(rules.file, f"rules[{index}].params.ratios[{r}].unit",
                                    exc.problem) from None


CHECKS: tuple[Callable[[RuleSet, Framework], None], ...] = (
    check_unique_ids, check_params, check_fields, check_placeholders, check_ratio_units,
)


def load_rules(framework: Framework, path: Path | None = None) -> RuleSet:
    """The quality rules (the built-in file unless `path`), checked against `framework`. The
    built-in rules are for their framework only: another framework gets no rules."""
    rules = _load((path or RULES_FILE).resolve(), framework.file)
    if rules.spec.framework == framework.id:
        return rules
    if path is not None:
        raise DataFileError(rules.file, "framework", f"规则针对 {rules.spec.framework!r}，而指标体系是 "
                            f"{framework.id!r} the rules are for another framework")
    return RuleSet(rules.spec.model_copy(update={"rules": []}), rules.file)


@functools.cache
def _load(path: Path, framework_file: str) -> RuleSet:
    from ecopark.framework import load_framework

    data = read_yaml(path)
    if not isinstance(data, dict):
        raise DataFileError(str(path), "(top)", "文件应为键值映射 the file must be a mapping")
    try:
        spec = RulesFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise DataFileError(str(path), ".".join(str(p) for p in first["loc"]) or "(top)",
                            first["msg"]) from None
    rules = RuleSet(spec, str(path))
    framework = load_framework(framework_file)
    if spec.framework != framework.id:
        return rules
    for check in CHECKS:
        check(rules, framework)
    return rules


# ------------------------------------------------------------------------ values


def _show(value: float) -> str:
    return format_value(value, 2 if abs(value) >= 1 else 4)


def _gap(a: float, b: float) -> str:
    base = max(abs(a), abs(b))
    return "0 %" if base == 0 else f"{abs(a - b) / base:.1%}"


@dataclasses.dataclass(frozen=True)
class _Subject:
    """What a rule looks at: one place (park, or one enterprise) with yearly values."""

    where: str
    values: dict[int, dict[str, float]]  # year → field → value
    enterprise: str | None = None
    credit_code: str | None = None
    industry: str = ""
    cells: dict[int, str] = dataclasses.field(default_factory=dict)  # year → row reference


def _finding(rule: Rule, subject: _Subject, year: int | None, fields: Iterable[str],
             **facts: Any) -> QualityFinding:
    where = subject.where + (f" {year}年" if year is not None else "") + (
        f"（{subject.cells[year]}）" if year in subject.cells else "")
    facts["where"] = where
    return QualityFinding(rule.id, rule.version, rule.kind, rule.severity, rule.level, where,
                          rule.message_zh.format(**facts), rule.message_en.format(**facts),
                          tuple(fields), year, subject.enterprise, subject.credit_code)


def _balance(rule: Rule, params: Balance, subject: _Subject) -> Iterator[QualityFinding]:
    for year, values in sorted(subject.values.items()):
        needed = [f for f in (*params.left, *params.right) if f not in params.optional]
        if not all(f in values for f in needed):
            continue
        left = math.fsum(values.get(f, 0.0) for f in params.left)
        right = math.fsum(values.get(f, 0.0) for f in params.right)
        slack = params.tolerance * max(abs(left), abs(right))
        broken = abs(left - right) > slack if params.op == "==" else left < right - slack
        if broken:
            yield _finding(rule, subject, year, (*params.left, *params.right), left=_show(left),
                           right=_show(right), gap=_gap(left, right))


def _series(subject: _Subject, fields: list[str] | str) -> dict[str, list[tuple[int, float]]]:
    out: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for year, values in sorted(subject.values.items()):
        for name, value in values.items():
            if (fields == "all" or name in fields) and value > 0:
                out[name].append((year, value))
    return out


def _year_on_year(rule: Rule, params: YearOnYear, subject: _Subject) -> Iterator[QualityFinding]:
    for name, points in _series(subject, params.fields).items():
        for (y0, v0), (y1, v1) in itertools.pairwise(points):
            factor = max(v0, v1) / min(v0, v1)
            if y1 - y0 == 1 and params.max_factor < factor < params.below:
                yield _finding(rule, subject, y1, (name,), field=name, y0=y0, v0=_show(v0), y1=y1,
                               v1=_show(v1), factor=f"{factor:.2f}")


def _unit_slip(rule: Rule, params: UnitSlip, subject: _Subject) -> Iterator[QualityFinding]:
    low, high = params.factor / params.band, params.factor * params.band
    for name, points in _series(subject, params.fields).items():
        for (y0, v0), (y1, v1) in itertools.pairwise(points):
            factor = max(v0, v1) / min(v0, v1)
            if low <= factor <= high:
                yield _finding(rule, subject, y1, (name,), field=name, y0=y0, v0=_show(v0), y1=y1,
                               v1=_show(v1), factor=f"{params.factor:g}")


def _ratio_range(ratio: Ratio, industry: str) -> tuple[tuple[float, float], str]:
    division = re.sub(r"^[A-Za-z]+", "", industry)[:2]
    if division in ratio.industries:
        return ratio.industries[division], division
    return ratio.range, division or "—"


def _intensity(rule: Rule, params: Intensity, subject: _Subject,
               units_of: dict[str, str]) -> Iterator[QualityFinding]:
    for ratio in params.ratios:
        factor = units.conversion_factor(
            f"({units_of[ratio.numerator]})/({units_of[ratio.denominator]})", ratio.unit)
        (low, high), industry = _ratio_range(ratio, subject.industry)
        for year, values in sorted(subject.values.items()):
            num, den = values.get(ratio.numerator), values.get(ratio.denominator)
            if num is None or not den:
                continue
            value = num / den * factor
            if not low <= value <= high:
                yield _finding(rule, subject, year, (ratio.numerator, ratio.denominator),
                               ratio=f"{ratio.numerator}/{ratio.denominator}", value=_show(value),
                               unit=ratio.unit, low=f"{low:g}", high=f"{high:g}", industry=industry)


def _stated(rule: Rule, params: StatedVsRecomputed, subject: _Subject) -> Iterator[QualityFinding]:
    for year, values in sorted(subject.values.items()):
        stated, computed = values.get(params.stated), values.get(params.computed)
        if stated is None or computed is None:
            continue
        if abs(stated - computed) > params.tolerance * max(abs(stated), abs(computed)):
            yield _finding(rule, subject, year, (params.stated, params.computed),
                           stated=_show(stated), computed=_show(computed),
                           gap=_gap(stated, computed))


# ------------------------------------------------------------------------ park level


def _park_subject(dataset: Dataset) -> _Subject:
    values: dict[int, dict[str, float]] = defaultdict(dict)
    for (item, year), obs in dataset.values.items():
        if isinstance(obs.value, float):
            values[year][item] = obs.value
    return _Subject(dataset.profile.name, dict(values))


def _enterprise_totals(rule: Rule, params: EnterpriseTotal, dataset: Dataset,
                       subject: _Subject) -> Iterator[QualityFinding]:
    stated = dataset.accounting.stated if dataset.accounting else {}
    for item, years in sorted(dataset.contributions.items()):
        if params.fields != "all" and item not in params.fields:
            continue
        for year, entries in sorted(years.items()):
            park = stated.get(item, {}).get(year)
            if park is None:
                obs = dataset.values.get((item, year))
                park = obs.value if obs is not None and isinstance(obs.value, float) else None
            total = math.fsum(e.value for e in entries)
            count = sum(e.count or 1 for e in entries)
            if park is not None and abs(total - park) > params.tolerance * max(abs(total), abs(park)):
                yield _finding(rule, subject, year, (item,), field=item, total=_show(total),
                               stated=_show(park), gap=_gap(total, park), count=count)


def _duplicate_contributions(rule: Rule, dataset: Dataset,
                             subject: _Subject) -> Iterator[QualityFinding]:
    for item, years in sorted(dataset.contributions.items()):
        for year, entries in sorted(years.items()):
            seen: dict[str, int] = defaultdict(int)
            for entry in entries:
                if entry.credit_code:
                    seen[entry.credit_code] += 1
            for code, count in seen.items():
                if count > 1:
                    yield _finding(rule, subject, year, (item,), code=code, count=count, rows="—")


def check_dataset(dataset: Dataset, framework: Framework,
                  rules: RuleSet | None = None) -> list[QualityFinding]:
    """Every park-level rule over a dataset (its observations, contributions, stated totals)."""
    rules = rules or load_rules(framework)
    subject = _park_subject(dataset)
    units_of = _park_fields(framework)
    found: list[QualityFinding] = []
    for rule in rules.rules("park"):
        params = rules.params[rule.id]
        found += _run(rule, params, subject, units_of, dataset)
    return _with_indicators(found, framework, lambda f: {f})


def _run(rule: Rule, params: Any, subject: _Subject, units_of: dict[str, str],
         dataset: Dataset | None = None) -> list[QualityFinding]:
    kind = rule.kind
    if kind == "balance":
        return list(_balance(rule, params, subject))
    if kind == "year_on_year":
        return list(_year_on_year(rule, params, subject))
    if kind == "unit_slip":
        return list(_unit_slip(rule, params, subject))
    if kind == "intensity":
        return list(_intensity(rule, params, subject, units_of))
    if kind == "stated_vs_recomputed":
        return list(_stated(rule, params, subject))
    if kind == "enterprise_total" and dataset is not None:
        return list(_enterprise_totals(rule, params, dataset, subject))
    if kind == "duplicate" and dataset is not None:
        return list(_duplicate_contributions(rule, dataset, subject))
    return []


KINDS = tuple(PARAMS)


# ------------------------------------------------------------------------ enterprise level


def _enterprise_subjects(roster: Roster, computed: list[dict[str, float]]) -> list[_Subject]:
    grouped: dict[str, list[tuple[EnterpriseYear, dict[str, float]]]] = defaultdict(list)
    for record, extra in zip(roster.records, computed, strict=True):
        grouped[record.code].append((record, extra))
    subjects = []
    for code, rows in grouped.items():
        first = rows[0][0]
        values: dict[int, dict[str, float]] = {
            r.year: {k: float(v) for k, v in {**r.values, **c}.items()
                     if isinstance(v, int | float) and not isinstance(v, bool)} for r, c in rows}
        cells = {r.year: roster.where(r, "name").split("!")[-1] for r, _ in rows}
        subjects.append(_Subject(f"{first.name}（{code}）", values, first.name, code,
                                 first.industry, cells))
    return subjects


def _duplicates(rule: Rule, roster: Roster) -> Iterator[QualityFinding]:
    rows: dict[tuple[str, int], list[EnterpriseYear]] = defaultdict(list)
    for record in roster.records:
        rows[(record.code, record.year)].append(record)
    for (code, year), records in rows.items():
        if len(records) > 1:
            subject = _Subject(f"{records[0].name}（{code}）", {}, records[0].name, code)
            yield _finding(rule, subject, year, ("credit_code",), code=code, count=len(records),
                           rows="、".join(str(r.row) for r in records))


def check_roster(roster: Roster, computed: list[dict[str, float]], framework: Framework,
                 rules: RuleSet | None = None) -> list[QualityFinding]:
    """Every enterprise-level rule over a roster (`computed`: each record's energy and CO2)."""
    rules = rules or load_rules(framework)
    units_of = _enterprise_fields()
    subjects = _enterprise_subjects(roster, computed)
    found: list[QualityFinding] = []
    for rule in rules.rules("enterprise"):
        if rule.kind == "duplicate":
            found += _duplicates(rule, roster)
            continue
        for subject in subjects:
            found += _run(rule, rules.params[rule.id], subject, units_of)
    from ecopark.accounting.rollup import items_by_field
    from ecopark.accounting.rollup import load_rules as rollup_rules

    mapping = items_by_field(rollup_rules(framework))
    return _with_indicators(found, framework, lambda f: mapping.get(f, set()))


def _with_indicators(found: list[QualityFinding], framework: Framework,
                     to_items: Callable[[str], set[str]]) -> list[QualityFinding]:
    numbers = {n: set(framework.items_of(n)) for n in framework.by_number}
    out = []
    for finding in found:
        items = {i for f in finding.fields for i in to_items(f)}
        touched = tuple(n for n, used in numbers.items() if used & items)
        out.append(dataclasses.replace(finding, indicators=touched))
    return sorted(out, key=lambda f: (_ORDER[f.severity], f.rule, f.where))


def touching(findings: Iterable[QualityFinding]) -> list[QualityFinding]:
    """The findings that touch at least one indicator (shown by assess and verify)."""
    return [f for f in findings if f.indicators]


def findings_json(findings: Iterable[QualityFinding]) -> list[dict[str, Any]]:
    return [{"rule": f.rule, "version": f.version, "kind": f.kind, "severity": f.severity,
             "level": f.level, "where": f.where, "year": f.year, "enterprise": f.enterprise,
             "credit_code": f.credit_code, "fields": list(f.fields),
             "indicators": list(f.indicators), "message_zh": f.zh, "message_en": f.en}
            for f in findings]
