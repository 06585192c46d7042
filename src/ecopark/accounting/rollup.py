"""Roll-up: park items computed from an enterprise roster, each traceable to its enterprises.

The rules are data (data/rollup-<framework>.yaml, grammar in its header), checked at load by
the named `CHECKS`. `rollup()` computes every enterprise's 综合能耗 and CO2 with ONE resolved
coefficient set (one grid-factor vintage for every year), applies the rules and returns a
`DatasetFile`: observations with a per-year source ("企业汇总：N 家企业"), `contributions`
(largest enterprises first, the rest as one entry) and `accounting` (settings, CO2 split by
year, park-stated totals the roll-up replaced). The result is validated as a dataset before it
is returned; nothing is written here.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import heapq
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ecopark import units
from ecopark.accounting.carbon import carbon
from ecopark.accounting.coefficients import Library, Resolved, Settings, _validate, resolve
from ecopark.accounting.energy import Use, energy
from ecopark.accounting.roster import FIELDS, EnterpriseYear, Roster
from ecopark.accounting.steam import SteamState, SteamStateError
from ecopark.dataset import (
    Accounting,
    Contribution,
    DatasetFile,
    Park,
    Series,
    ValueEntry,
    build_dataset,
)
from ecopark.errors import DataFileError, UnitError, WorkbookError, WorkbookProblems
from ecopark.framework import Framework
from ecopark.yamlfile import read_yaml

__all__ = ["CHECKS", "COMPUTED", "CONDITIONS", "Options", "Rollup", "RollupRules", "compute",
           "enterprise_units", "items_by_field", "load_rules", "rollup"]

DATA_DIR = Path(__file__).parent / "data"
COMPUTED = {"energy_tce": "tce", "renewable_tce": "tce", "co2_total": "t", "co2_direct": "t",
            "co2_indirect": "t"}
_CO2_PARTS = ("combustion", "process", "electricity", "heat")
_NO_STEAM = SteamState()


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rule(_Model):
    sum: list[str] | None = None
    count: list[str] | None = None
    when: list[str] = []
    omit_zero: bool = False
    requires: str | None = None
    source: str


class Parameters(_Model):
    certificate_rule: Literal["any_day", "year_end"] = "any_day"
    audit_valid_years: int = Field(5, ge=1, le=50)


class RollupFile(_Model):
    format: Literal["ecopark-rollup/1"]
    framework: str
    source: str
    parameters: Parameters = Parameters()
    items: dict[str, Rule]


@dataclasses.dataclass
class RollupRules:
    spec: RollupFile
    file: str
    factors: dict[str, float] = dataclasses.field(default_factory=dict)  # item → unit factor


# ------------------------------------------------------------------------ conditions


def _hightech_valid(record: EnterpriseYear, year: int, params: Parameters) -> bool:
    start, end = record.values.get("hightech_from"), record.values.get("hightech_to")
    if not record.values.get("hightech_cert") or start is None or end is None:
        return False
    last = datetime.date(year, 12, 31)
    first = last if params.certificate_rule == "year_end" else datetime.date(year, 1, 1)
    return bool(start <= last and end >= first)


def _audited(record: EnterpriseYear, year: int, params: Parameters) -> bool:
    done = record.values.get("audit_year")
    return done is not None and done <= year < done + params.audit_valid_years


def _flag(key: str) -> Callable[[EnterpriseYear, int, Parameters], bool]:
    return lambda record, year, params: bool(record.values.get(key))


CONDITIONS: dict[str, tuple[str, Callable[[EnterpriseYear, int, Parameters], bool]]] = {
    "key_enterprise": ("key_enterprise", _flag("key_enterprise")),
    "key_polluter": ("key_polluter", _flag("key_polluter")),
    "disclosed": ("disclosed", _flag("disclosed")),
    "hightech_valid": ("hightech_cert", _hightech_valid),
    "audited": ("audit_year", _audited),
}
_FLAGS = frozenset({"key_enterprise", "key_polluter", "disclosed"})
_FIELD_UNITS = {f.key: f.unit for f in FIELDS if f.kind == "number"} | COMPUTED


def enterprise_units() -> dict[str, str]:
    """Enterprise-level fields a rule may name (roster amounts, computed values) → unit."""
    return dict(_FIELD_UNITS)


def items_by_field(rules: RollupRules) -> dict[str, set[str]]:
    """Roster field → the park items the roll-up computes from it (counts by their column)."""
    out: dict[str, set[str]] = {}
    for name, rule in rules.spec.items.items():
        for field in (*(rule.sum or ()), *(CONDITIONS[c][0] for c in (*rule.when, *(rule.count or ())))):
            out.setdefault(field, set()).add(name)
    for field, item in (("energy_tce", "energy"), ("co2_total", "co2"), ("co2_direct", "co2"),
                        ("co2_indirect", "co2"), ("renewable_tce", "renewable_energy"),
                        ("stated_co2", "co2"), ("stated_energy", "energy")):
        out.setdefault(field, set()).add(item)
    return out


# ------------------------------------------------------------------------ named checks


def _fail(rules: RollupRules, key_path: str, problem: str, hint: str = "") -> DataFileError:
    return DataFileError(rules.file, key_path, problem, hint)


def check_rule_form(rules: RollupRules, fw: Framework) -> None:
    """A rule is a sum or a count; `when` goes with a sum, `omit_zero`/`requires` with a count."""
    for name, rule in rules.spec.items.items():
        if (rule.sum is None) == (rule.count is None):
            raise _fail(rules, f"items.{name}", "须有 sum 或 count 之一 give either sum or count")
        if rule.sum is not None and (rule.omit_zero or rule.requires):
            raise _fail(rules, f"items.{name}", "omit_zero/requires 只用于 count only with count")
        if rule.count is not None and rule.when:
            raise _fail(rules, f"items.{name}.when", "count 直接列条件 a count lists its "
                        "conditions itself")


def check_rule_framework(rules: RollupRules, fw: Framework) -> None:
    """The file is for this framework and names its number items."""
    if rules.spec.framework != fw.id:
        raise _fail(rules, "framework", f"规则针对 {rules.spec.framework!r}，而指标体系是 {fw.id!r}")
    for name in rules.spec.items:
        item = fw.spec.items.get(name)
        if item is None or item.kind != "number":
            raise _fail(rules, f"items.{name}", f"不是该指标体系的数值数据项 not a number item of "
                        f"{fw.id}")


def check_rule_fields(rules: RollupRules, fw: Framework) -> None:
    """Sums name roster amount fields or computed values; conditions are known."""
    for name, rule in rules.spec.items.items():
        for field in rule.sum or ():
            if field not in _FIELD_UNITS:
                raise _fail(rules, f"items.{name}.sum", f"未知字段 unknown field {field!r}",
                            f"可用 available: {', '.join(sorted(_FIELD_UNITS))}")
        for condition in (*rule.when, *(rule.count or ())):
            if condition not in CONDITIONS:
                raise _fail(rules, f"items.{name}", f"未知条件 unknown condition {condition!r}",
                            f"可用 available: {', '.join(CONDITIONS)}")


def check_rule_units(rules: RollupRules, fw: Framework) -> None:
    """A sum's fields share a unit that converts to the item's; a count goes into a count."""
    for name, rule in rules.spec.items.items():
        target = fw.spec.items[name].unit
        sources = {_FIELD_UNITS[f] for f in rule.sum} if rule.sum else {"家"}
        if len(sources) != 1:
            raise _fail(rules, f"items.{name}.sum", f"字段单位不一致 the fields' units differ: "
                        f"{sorted(sources)}")
        try:
            rules.factors[name] = units.conversion_factor(sources.pop(), target)
        except UnitError as exc:
            raise _fail(rules, f"items.{name}", f"单位无法换算为 {target} ({exc.problem})") from None


def check_rule_requires(rules: RollupRules, fw: Framework) -> None:
    """`requires` names a count rule of the same file."""
    for name, rule in rules.spec.items.items():
        other = rules.spec.items.get(rule.requires or "")
        if rule.requires is not None and (other is None or other.count is None):
            raise _fail(rules, f"items.{name}.requires", f"{rule.requires!r} 不是本文件的 count 规则 "
                        "is not a count rule of this file")


CHECKS: tuple[Callable[[RollupRules, Framework], None], ...] = (
    check_rule_form, check_rule_framework, check_rule_fields, check_rule_units,
    check_rule_requires,
)


def load_rules(framework: Framework, path: Path | None = None) -> RollupRules:
    """The roll-up rules for `framework` (the built-in file unless `path` is given)."""
    chosen = path or DATA_DIR / f"rollup-{framework.id}.yaml"
    if not chosen.is_file():
        raise DataFileError(str(chosen), "(file)", f"没有 {framework.id} 的汇总规则 no roll-up rules "
                            f"for {framework.id}", "用 --rules 指定 give one with --rules")
    return _load_rules(chosen.resolve(), framework)


@functools.cache
def _cached_rules(path: Path) -> RollupFile:
    return _validate(RollupFile, read_yaml(path), str(path))  # type: ignore[no-any-return]


def _load_rules(path: Path, framework: Framework) -> RollupRules:
    rules = RollupRules(_cached_rules(path), str(path))
    for check in CHECKS:
        check(rules, framework)
    return rules


# ------------------------------------------------------------------------ per enterprise


def compute(roster: Roster, resolved: Resolved | None) -> list[dict[str, float]]:
    """Each record's computed values (energy_tce, renewable_tce, co2_*, and the CO2 parts);
    steam states that cannot be used are reported together, with their cells."""
    out: list[dict[str, float]] = []
    problems: list[WorkbookError] = []
    for record in roster.records:
        try:
            out.append(_computed(record, resolved))
        except SteamStateError as exc:
            problems.append(WorkbookError(roster.file, roster.sheet, roster.where(
                record, "steam_pressure").split("!")[-1], exc.problem))
            out.append({})
    if problems:
        raise WorkbookProblems(roster.file, problems)
    return out


def _computed(record: EnterpriseYear, resolved: Resolved | None) -> dict[str, float]:
    process = record.values.get("process_co2")
    if not record.carriers or resolved is None:
        return {} if process is None else {"co2_total": process, "co2_direct": process,
                                           "co2_indirect": 0.0, "process": process}
    use = Use(record.carriers, record.steam() if "steam" in record.carriers else _NO_STEAM)
    used = energy(use, resolved)
    co2 = carbon(use, resolved, process or 0.0)
    return {"energy_tce": used.total, "renewable_tce": used.renewable, "co2_total": co2.total,
            "co2_direct": co2.direct, "co2_indirect": co2.indirect,
            "combustion": co2.combustion, "process": co2.process,
            "electricity": co2.electricity, "heat": co2.heat}


# ------------------------------------------------------------------------ roll-up


@dataclasses.dataclass(frozen=True)
class Options:
    settings: Settings = dataclasses.field(default_factory=Settings)
    top: int = 10  # contributors listed per item-year (0 = all)
    park_name: str | None = None
    base_year: int | None = None


@dataclasses.dataclass
class _Sum:
    values: list[float] = dataclasses.field(default_factory=list)
    records: list[int] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(frozen=True)
class Rollup:
    spec: DatasetFile
    resolved: Resolved | None
    computed: list[dict[str, float]]
    replaced: list[tuple[str, int]]  # park-stated item-years the roll-up replaced


def rollup(roster: Roster, framework: Framework, library: Library, rules: RollupRules,
           options: Options, profile: DatasetFile | None = None, out_file: str = "") -> Rollup:
    settings = _settings(options.settings, profile)
    resolved = resolve(library, settings, roster.carriers()) if roster.carriers() else None
    computed = compute(roster, resolved)
    sums = _aggregate(roster, computed, rules)
    observations = _observations(roster, sums, rules, framework, resolved)
    spec, replaced = _dataset(roster, framework, observations, sums, computed, options, profile,
                              resolved, settings, rules)
    build_dataset(spec, framework, out_file or "(rollup)")
    return Rollup(spec, resolved, computed, replaced)


def _settings(given: Settings, profile: DatasetFile | None) -> Settings:
    """CLI settings, filled from the profile's `accounting` section where not given."""
    stated = profile.accounting if profile is not None else None
    if stated is None:
        return given
    default = Settings()
    electricity = given.electricity
    if given.electricity == default.electricity and stated.electricity == "equal_value":
        electricity = "equal_value"
    return dataclasses.replace(
        given, method=given.method or stated.method or None, electricity=electricity,
        grid_region=stated.grid_region if given.grid_region == default.grid_region and
        stated.grid_region else given.grid_region,
        grid_year=given.grid_year or stated.grid_year, grid_set=given.grid_set or
        stated.grid_set or None, equal_value_year=given.equal_value_year or stated.equal_value_year)


_Plan = tuple[str, tuple[str, ...] | None, tuple[str, ...]]


def _plans(roster: Roster, rules: RollupRules) -> list[_Plan]:
    """Each rule as (item, summed fields or None for a count, condition names); counts whose
    columns the roster lacks are left out."""
    plans: list[_Plan] = []
    for name, rule in rules.spec.items.items():
        if rule.count is not None:
            if all(roster.has(CONDITIONS[c][0]) for c in rule.count):
                plans.append((name, None, tuple(rule.count)))
        else:
            assert rule.sum is not None
            plans.append((name, tuple(rule.sum), tuple(rule.when)))
    return plans


def _column(field: str, records: list[EnterpriseYear],
            computed: list[dict[str, float]]) -> list[float | None]:
    """One field for every record (None = not reported), aligned with the records."""
    if field in COMPUTED:
        return [c.get(field) for c in computed]
    return [r.values.get(field) for r in records]


def _sum_column(fields: tuple[str, ...], columns: dict[str, list[float | None]]) -> list[float | None]:
    """Per record, the sum of the fields it reported (None when it reported none)."""
    if len(fields) == 1:
        return columns[fields[0]]
    rows = zip(*(columns[f] for f in fields), strict=True)
    return [math.fsum(found) if (found := [v for v in row if v is not None]) else None
            for row in rows]


def _mask(names: tuple[str, ...], records: list[EnterpriseYear], params: Parameters,
          cache: dict[str, list[bool]]) -> list[bool] | None:
    """Per record, whether every condition holds (None when there are no conditions)."""
    if not names:
        return None
    for name in names:
        if name in cache:
            continue
        column, test = CONDITIONS[name]
        if name in _FLAGS:  # a 是/否 column: read it directly
            cache[name] = [r.values.get(column) is True for r in records]
        else:
            cache[name] = [test(r, r.year, params) for r in records]
    return [all(row) for row in zip(*(cache[n] for n in names), strict=True)]


def _aggregate(roster: Roster, computed: list[dict[str, float]],
               rules: RollupRules) -> dict[tuple[str, int], _Sum]:
    """Per (item, year): the value each enterprise contributes, with its record index."""
    params, records = rules.spec.parameters, roster.records
    by_year: dict[int, list[int]] = {}
    for index, record in enumerate(records):
        by_year.setdefault(record.year, []).append(index)
    plans = _plans(roster, rules)
    columns = {f: _column(f, records, computed) for _, fields, _ in plans for f in fields or ()}
    tests: dict[str, list[bool]] = {}
    sums: dict[tuple[str, int], _Sum] = {}
    for name, fields, conditions in plans:
        mask = _mask(conditions, records, params, tests)
        column = None if fields is None else _sum_column(fields, columns)
        for year, indices in sorted(by_year.items()):
            chosen = indices if mask is None else [i for i in indices if mask[i]]
            if column is None:
                sums[(name, year)] = _Sum([1.0] * len(chosen), chosen)
                continue
            kept = [i for i in chosen if column[i] is not None]
            if kept:
                sums[(name, year)] = _Sum([column[i] for i in kept], kept)  # type: ignore[misc]
    return _drop_zero_counts(sums, rules)


def _drop_zero_counts(sums: dict[tuple[str, int], _Sum],
                      rules: RollupRules) -> dict[tuple[str, int], _Sum]:
    for (name, year), entry in list(sums.items()):
        rule = rules.spec.items[name]
        if rule.omit_zero and not entry.values:
            del sums[(name, year)]
    for (name, year) in list(sums):
        required = rules.spec.items[name].requires
        if required is not None and (required, year) not in sums:
            del sums[(name, year)]
    return sums


def _source(roster: Roster, entry: _Sum, year: int, name: str, rules: RollupRules,
            resolved: Resolved | None, rows: dict[int, int]) -> str:
    total = rows[year]
    rule = rules.spec.items[name]
    what = "符合条件" if rule.count else "填报"
    text = (f"企业汇总：{len(entry.values)} 家企业{what}（名录 {Path(roster.file).name} 中 {year} 年"
            f"共 {total} 行）")
    if name in ("energy", "renewable_energy", "co2") and resolved is not None:
        text += f"；核算方法 {resolved.method_id}"
        if name == "co2" and resolved.grid_year is not None:
            text += f"，电网因子 {resolved.settings.grid_region} {resolved.grid_year} 年（各年同一因子）"
    return text


def _observations(roster: Roster, sums: dict[tuple[str, int], _Sum], rules: RollupRules,
                  framework: Framework, resolved: Resolved | None) -> dict[str, Series]:
    out: dict[str, Series] = {}
    rows = _rows_per_year(roster)
    for (name, year), entry in sorted(sums.items()):
        value: float | int = _round(math.fsum(entry.values) * rules.factors[name])
        if rules.spec.items[name].count is not None:
            value = len(entry.values)
        series = out.setdefault(name, Series(unit=framework.spec.items[name].unit, values={}))
        series.values[year] = ValueEntry(value=value, source=_source(
            roster, entry, year, name, rules, resolved, rows))
    return out


def _rows_per_year(roster: Roster) -> dict[int, int]:
    rows: dict[int, int] = {}
    for record in roster.records:
        rows[record.year] = rows.get(record.year, 0) + 1
    return rows


def _round(value: float) -> float:
    return float(f"{value:.10g}")


def _contributions(roster: Roster, entry: _Sum, factor: float, top: int,
                   computed: list[dict[str, float]], name: str) -> list[Contribution]:
    values = entry.values
    nonzero = [i for i, v in enumerate(values) if v != 0]  # zeros add nothing: not listed
    if top <= 0 or len(nonzero) <= top + 1:
        ordered = sorted(nonzero, key=values.__getitem__, reverse=True)
    else:
        ordered = heapq.nlargest(top, nonzero, key=values.__getitem__)
    out = [_contribution(roster.records[entry.records[i]], entry.values[i] * factor,
                         computed[entry.records[i]], name) for i in ordered]
    rest = len(nonzero) - len(ordered)
    if rest:
        shown = math.fsum(entry.values[i] for i in ordered)
        out.append(Contribution(enterprise=f"其余 {rest} 家企业 {rest} other enterprises",
                                value=_round((math.fsum(entry.values) - shown) * factor),
                                count=rest))
    return out


def _contribution(record: EnterpriseYear, value: float, computed: dict[str, float],
                  name: str) -> Contribution:
    parts = {"direct": _round(computed["co2_direct"]), "indirect": _round(
        computed["co2_indirect"])} if name == "co2" and "co2_direct" in computed else {}
    return Contribution(enterprise=record.name, credit_code=record.code, value=_round(value),
                        row=record.row, parts=parts)


def _carbon_by_year(roster: Roster, computed: list[dict[str, float]]) -> dict[int, dict[str, float]]:
    years = [r.year for r in roster.records]
    out: dict[int, dict[str, float]] = {}
    for part in _CO2_PARTS:
        column = [c.get(part) for c in computed]
        for year, value in zip(years, column, strict=True):
            if value is None:
                continue
            parts = out.get(year)
            if parts is None:
                parts = out[year] = dict.fromkeys(_CO2_PARTS, 0.0)
            parts[part] += value
    for parts in out.values():
        parts["direct"] = parts["combustion"] + parts["process"]
        parts["indirect"] = parts["electricity"] + parts["heat"]
        parts["total"] = parts["direct"] + parts["indirect"]
        for key in parts:
            parts[key] = _round(parts[key])
    return out


def _dataset(roster: Roster, framework: Framework, observations: dict[str, Series],
             sums: dict[tuple[str, int], _Sum], computed: list[dict[str, float]],
             options: Options, profile: DatasetFile | None, resolved: Resolved | None,
             settings: Settings, rules: RollupRules) -> tuple[DatasetFile, list[tuple[str, int]]]:
    years = roster.years()
    stated, replaced = _stated(profile, observations, framework)
    contributions: dict[str, dict[int, list[Contribution]]] = {}
    for (name, year), entry in sorted(sums.items()):
        contributions.setdefault(name, {})[year] = _contributions(
            roster, entry, rules.factors[name], options.top, computed, name)
    described: dict[str, Any] = resolved.describe() if resolved else {
        "method": settings.method or "", "electricity": settings.electricity,
        "grid_region": settings.grid_region}
    accounting = Accounting(**{k: v for k, v in described.items() if v is not None},
                            roster=Path(roster.file).name,
                            enterprises=_rows_per_year(roster),
                            stated=stated, carbon=_carbon_by_year(roster, computed))
    spec = DatasetFile(format="ecopark-dataset/1", framework=framework.id,
                       park=_park(roster, options, profile), year=(profile.year if profile
                                                                   and profile.year else years[-1]),
                       observations=_merge(profile, observations, rules),
                       checklists=profile.checklists if profile else {},
                       lists=profile.lists if profile else {},
                       reported=profile.reported if profile else None,
                       contributions=contributions, accounting=accounting)
    return spec, replaced


def _method_bound(rule: Rule) -> bool:
    """Whether an item depends on the accounting method (computed energy or CO2)."""
    return any(field in COMPUTED for field in rule.sum or ())


def _merge(profile: DatasetFile | None, observations: dict[str, Series],
           rules: RollupRules) -> dict[str, Series]:
    """The profile's series, with rolled-up item-years replaced. Years the roster does not
    cover are kept, except for method-bound items (energy, CO2): those are never mixed."""
    merged = dict(profile.observations) if profile is not None else {}
    for name, series in observations.items():
        old = merged.pop(name, None)
        keep = {} if old is None or _method_bound(rules.spec.items[name]) else {
            year: _entry(raw, old) for year, raw in old.values.items()
            if year not in series.values}
        merged[name] = Series(unit=series.unit, values=dict(sorted({**keep, **series.values}.items())))
    return merged


def _entry(raw: object, series: Series) -> ValueEntry | None:
    if raw is None:
        return None
    entry = raw if isinstance(raw, ValueEntry) else ValueEntry(value=raw)
    return entry.model_copy(update={"unit": entry.unit or series.unit,
                                    "source": entry.source or series.source,
                                    "note": entry.note or series.note})


def _park(roster: Roster, options: Options, profile: DatasetFile | None) -> Park:
    if profile is not None:
        return profile.park
    years = roster.years()
    base = options.base_year or years[0]
    note = "" if options.base_year else (f"假设：取企业名录最早年份 {base}；请用 --base-year 或 --profile "
                                         "给出规划基准年 assumed: the roster's first year")
    return Park(name=options.park_name or Path(roster.file).stem, base_year=base,
                base_year_note=note)


def _stated(profile: DatasetFile | None, observations: dict[str, Series],
            framework: Framework) -> tuple[dict[str, dict[int, float]], list[tuple[str, int]]]:
    """Profile values of rolled-up item-years: kept as park-stated totals, replaced as values."""
    if profile is None:
        return {}, []
    loaded = build_dataset(profile, framework, "(profile)")
    stated: dict[str, dict[int, float]] = {}
    replaced: list[tuple[str, int]] = []
    for (name, year), obs in sorted(loaded.values.items()):
        if name in observations and isinstance(obs.value, float):
            stated.setdefault(name, {})[year] = _round(obs.value)
            if year in observations[name].values:
                replaced.append((name, year))
    return stated, replaced
