"""Roll-up: park items computed from an enterprise roster, each traceable to its enterprises.

The rules are data (data/rollup-<framework>.yaml, grammar in its header), checked at load by
the named `CHECKS` (`ecopark.accounting.rollup_rules`). `rollup()` computes every enterprise's
综合能耗 and CO2 with ONE resolved coefficient set (one grid-factor vintage for every year) when
a rule needs them, sums the roster by the rules (`ecopark.accounting.aggregate`) and returns a
`DatasetFile`: observations with a per-year
source ("企业汇总：N 家企业"), `contributions` (largest enterprises first, the rest as one entry)
and `accounting` (settings, CO2 split by year, park-stated totals the roll-up replaced).

Rules with an `inventory:` section (a framework with an inventory method, e.g. the 2025
zero-carbon park, 附件4) also write the dataset's `inventory:` lines from the carrier columns
(`ecopark.accounting.rollup_inventory`); the framework's `computed` items then come from those
lines, with each enterprise's share as their contributions. A profile's settings, gates,
exemptions and inventory lines are carried over. The result is validated as a dataset before it
is returned; nothing is written here.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from typing import Any

from ecopark.accounting import rollup_inventory as ri
from ecopark.accounting.aggregate import Sum, aggregate, compute, contributions, rounded
from ecopark.accounting.coefficients import Library
from ecopark.accounting.coverage import Coverage
from ecopark.accounting.duplicates import refuse as refuse_duplicates
from ecopark.accounting.factors import Resolved, Settings, resolve
from ecopark.accounting.rollup_rules import COMPUTED, RollupRules, Rule, inventory_method
from ecopark.accounting.roster import Roster
from ecopark.core.dataset.inventory import InventoryYear
from ecopark.core.dataset.loading import build_dataset
from ecopark.core.dataset.model import Dataset
from ecopark.core.dataset.schema import (
    Accounting,
    Contribution,
    DatasetFile,
    Park,
    Series,
    ValueEntry,
)
from ecopark.core.framework.model import Framework

__all__ = ["PARK_LINES", "Options", "Rollup", "needs_method", "rollup"]

_CO2_PARTS = ("combustion", "process", "electricity", "heat")
PARK_LINES = "园区填报的核算清单行 park-stated inventory lines"


# ------------------------------------------------------------------------ roll-up


@dataclasses.dataclass(frozen=True)
class Options:
    settings: Settings = dataclasses.field(default_factory=Settings)
    top: int = 10  # contributors listed per item-year (0 = all)
    park_name: str | None = None
    base_year: int | None = None


@dataclasses.dataclass(frozen=True)
class Rollup:
    spec: DatasetFile
    resolved: Resolved | None
    computed: list[dict[str, float]]
    replaced: list[tuple[str, int]]  # park-stated item-years (or inventory lines) replaced
    notes: tuple[str, ...] = ()  # what the roll-up could not count, said (zh, then en)
    coverage: tuple[Coverage, ...] = ()  # per replaced item-year: N of M enterprises


@dataclasses.dataclass(frozen=True)
class _Inventory:
    years: dict[int, InventoryYear]  # the rolled-up lines merged with the profile's
    gathered: dict[int, dict[ri.LineKey, ri.Gathered]]
    replaced: list[tuple[str, int]]
    notes: tuple[str, ...]
    coverage: tuple[Coverage, ...] = ()  # of the profile's lines replaced


def needs_method(rules: RollupRules) -> bool:
    """Whether a rule sums a computed energy or CO2 value (then an accounting method is
    resolved and every enterprise's 综合能耗 and CO2 computed)."""
    return any(_method_bound(rule) for rule in rules.spec.items.values())


def rollup(roster: Roster, framework: Framework, library: Library, rules: RollupRules,
           options: Options, profile: DatasetFile | None = None, out_file: str = "") -> Rollup:
    """The roll-up of a roster whose credit codes appear once per year (`duplicates.resolve`
    settles the others; a duplicate left is refused, never summed twice)."""
    refuse_duplicates(roster)
    settings = _settings(options.settings, profile)
    needed = needs_method(rules)
    resolved = resolve(library, settings, roster.carriers()) if needed and roster.carriers() \
        else None
    computed = compute(roster, resolved) if needed else [{} for _ in roster.records]
    sums = aggregate(roster, computed, rules)
    observations = _observations(roster, sums, rules, framework, resolved)
    inventory = _inventory(roster, framework, library, rules, profile)
    spec, replaced = _dataset(roster, framework, observations, sums, computed, options, profile,
                              resolved, settings, rules, inventory)
    file = out_file or "(rollup)"
    dataset = build_dataset(spec, framework, file)
    if inventory.gathered:
        spec = _with_shares(spec, dataset, roster, framework, inventory, options.top)
        build_dataset(spec, framework, file)
    return Rollup(spec, resolved, computed, replaced + inventory.replaced, inventory.notes,
                  _coverage(roster, sums, rules, spec, replaced) + inventory.coverage)


def _coverage(roster: Roster, sums: dict[tuple[str, int], Sum], rules: RollupRules,
              spec: DatasetFile, replaced: list[tuple[str, int]]) -> tuple[Coverage, ...]:
    """Per replaced item-year: the enterprises summed (a count covers every row) of those the
    roster has for the year, and the park-stated value replaced."""
    known = roster.rows_per_year()  # one row per enterprise and year (duplicates refused)
    stated = spec.accounting.stated if spec.accounting is not None else {}
    out = []
    for name, year in replaced:
        entry = spec.observations[name].values[year]
        total = entry.value if isinstance(entry, ValueEntry) else entry
        counted = known[year] if rules.spec.items[name].count is not None else len(
            sums[(name, year)].values)
        out.append(Coverage(name, year, counted, known[year], float(total),  # type: ignore[arg-type]
                            stated.get(name, {}).get(year)))
    return tuple(out)


def _inventory(roster: Roster, framework: Framework, library: Library, rules: RollupRules,
               profile: DatasetFile | None) -> _Inventory:
    """The inventory lines of the carrier columns, merged with the profile's lines."""
    stated = dict(profile.inventory) if profile is not None else {}
    method = inventory_method(framework)
    if not rules.spec.inventory or method is None:
        return _Inventory(stated, {}, [], ())
    gathered = ri.gather(roster, rules, library, method)
    notes = ri.process_notes(roster)
    merged, replaced = ri.merge(stated, ri.years(roster, gathered, rules, library, notes),
                                method, library)
    coverage = ri.line_coverage(stated, gathered, roster.rows_per_year(), method, library)
    return _Inventory(merged, gathered, replaced, (*_no_carriers(roster, gathered, merged),
                                                   *notes.values()), tuple(coverage))


def _no_carriers(roster: Roster, gathered: dict[int, Any], merged: dict[int, Any]
                 ) -> tuple[str, ...]:
    """Said when the roster reports no carrier at all (no line is made from it)."""
    if gathered:
        return ()
    name = Path(roster.file).name
    if merged:
        return (f"名录 {name} 没有填报任何能源品种：核算清单只有 --profile 的行 the roster reports "
                "no energy carrier: the inventory has the profile's lines only",)
    return (f"名录 {name} 没有填报任何能源品种：没有核算清单行，E_park 等计算项不报告（不按 0 计）the "
            "roster reports no energy carrier: no inventory lines, computed items are not "
            "reported (never 0)",)


def _with_shares(spec: DatasetFile, dataset: Dataset, roster: Roster, framework: Framework,
                 inventory: _Inventory, top: int) -> DatasetFile:
    """The computed items' contributions: each enterprise's share, and the profile's own lines
    as one entry, so that they add up to the item."""
    by_item = dict(spec.contributions)
    blank: list[dict[str, float]] = [{} for _ in roster.records]
    found = ri.shares(framework, inventory.gathered, dataset.settings, dataset.file)
    for (name, year), share in found.items():
        listed = contributions(roster, Sum(share.values, share.records, share.parts), 1.0, top,
                               blank, name)
        park = dataset.values.get((name, year))
        total = park.value if park is not None else None
        rest = total - math.fsum(share.values) if isinstance(total, float) else 0.0
        if isinstance(total, float) and abs(rest) > 1e-9 * max(1.0, abs(total)):
            listed.append(Contribution(enterprise=PARK_LINES, value=rounded(rest)))
        if listed:
            by_item.setdefault(name, {})[year] = listed
    return spec.model_copy(update={"contributions": by_item})


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


def _source(roster: Roster, entry: Sum, year: int, name: str, rules: RollupRules,
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


def _observations(roster: Roster, sums: dict[tuple[str, int], Sum], rules: RollupRules,
                  framework: Framework, resolved: Resolved | None) -> dict[str, Series]:
    out: dict[str, Series] = {}
    rows = roster.rows_per_year()
    for (name, year), entry in sorted(sums.items()):
        value: float | int = rounded(math.fsum(entry.values) * rules.factors[name])
        if rules.spec.items[name].count is not None:
            value = len(entry.values)
        series = out.setdefault(name, Series(unit=framework.spec.items[name].unit, values={}))
        series.values[year] = ValueEntry(value=value, source=_source(
            roster, entry, year, name, rules, resolved, rows))
    return out



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
            parts[key] = rounded(parts[key])
    return out


def _dataset(roster: Roster, framework: Framework, observations: dict[str, Series],
             sums: dict[tuple[str, int], Sum], computed: list[dict[str, float]],
             options: Options, profile: DatasetFile | None, resolved: Resolved | None,
             settings: Settings, rules: RollupRules,
             inventory: _Inventory) -> tuple[DatasetFile, list[tuple[str, int]]]:
    years = roster.years()
    stated, replaced = _stated(profile, observations, framework)
    by_item: dict[str, dict[int, list[Contribution]]] = {}
    for (name, year), entry in sorted(sums.items()):
        by_item.setdefault(name, {})[year] = contributions(
            roster, entry, rules.factors[name], options.top, computed, name)
    accounting = _accounting(roster, computed, resolved, settings, rules, framework, stated)
    spec = DatasetFile(format="ecopark-dataset/1", framework=framework.id,
                       park=_park(roster, options, profile), year=(profile.year if profile
                                                                   and profile.year else years[-1]),
                       observations=_merge(profile, observations, rules),
                       checklists=profile.checklists if profile else {},
                       lists=profile.lists if profile else {},
                       reported=profile.reported if profile else None,
                       contributions=by_item, accounting=accounting,
                       inventory=inventory.years, **_carried(profile, framework))
    return spec, replaced


def _carried(profile: DatasetFile | None, framework: Framework) -> dict[str, Any]:
    """The profile's sections for other frameworks' extensions, kept as they are."""
    if profile is None:
        return {}
    others = [f for f in (profile.framework, *profile.also_frameworks) if f != framework.id]
    return {"also_frameworks": others, "settings": profile.settings,
            "exemptions": profile.exemptions, "gates": profile.gates}


def _accounting(roster: Roster, computed: list[dict[str, float]], resolved: Resolved | None,
                settings: Settings, rules: RollupRules, framework: Framework,
                stated: dict[str, dict[int, float]]) -> Accounting:
    """The settings used (none when no rule needs an accounting method), rows per year, the
    park-stated totals replaced, the CO2 split; the inventory's origin in `note`."""
    described: dict[str, Any] = resolved.describe() if resolved else {
        "method": settings.method or "", "electricity": settings.electricity,
        "grid_region": settings.grid_region} if needs_method(rules) else {}
    method = inventory_method(framework) if rules.spec.inventory else None
    note = "" if method is None else (
        f"核算清单行由汇总规则 {Path(rules.file).name} 从名录的能源品种列生成；计算项（E_park 等）按核算"
        f"方法 {method.id} {method.spec.version} 由清单计算 inventory lines from the roster's "
        "carrier columns by the roll-up rules; computed items from the inventory")
    return Accounting(**{k: v for k, v in described.items() if v is not None},
                      roster=Path(roster.file).name, enterprises=roster.rows_per_year(),
                      stated=stated, carbon=_carbon_by_year(roster, computed), note=note)


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
            stated.setdefault(name, {})[year] = rounded(obs.value)
            if year in observations[name].values:
                replaced.append((name, year))
    return stated, replaced
