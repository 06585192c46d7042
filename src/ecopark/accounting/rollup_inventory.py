"""Inventory lines rolled up from an enterprise roster: the rule file's `inventory:` section
puts each carrier column into one line of a dataset's `inventory.<year>` (electricity by class
and direction, heat by kind and direction, fuels by fuel and use).

    line amount (year) = Σ over enterprises of what each reported (blank = not reported)

A line exists only when an enterprise reported something for it, and a year only when it has a
line: a roster without carrier columns gives no inventory, never zeros. Steam (t) becomes heat
(GJ) per enterprise, by its own pressure and temperature or enthalpy (`steam.heat_per_tonne`),
else by the method's standard-coal default — the conversion 综合能耗 uses (`energy.py`).

Each enterprise's share of an additive computed item (E_park, energy …) follows by linearity:
the framework's inventory method computes one unit of each line once per year, and a share is
Σ amount × that. `merge` puts the rolled-up lines beside a profile's: a rolled-up line replaces
the profile's lines of the same class/kind/fuel and direction/use; the others are kept.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecopark.accounting.coverage import Coverage
from ecopark.accounting.inventory import MODULES
from ecopark.accounting.rollup_rules import LineRule, RollupRules, inventory_method, line_unit
from ecopark.accounting.steam import KJ_PER_TCE, SteamStateError, heat_per_tonne
from ecopark.core import units
from ecopark.core.dataset.inventory import ElectricityLine, FuelLine, HeatLine, InventoryYear
from ecopark.core.errors import MissingCoefficient, UnitError, WorkbookError, WorkbookProblems

if TYPE_CHECKING:
    from ecopark.accounting.coefficients import IF97, Library
    from ecopark.accounting.inventory_method import InventoryMethod
    from ecopark.accounting.roster import EnterpriseYear, Roster
    from ecopark.core.dataset.settings import SettingValue
    from ecopark.core.framework.model import Framework

__all__ = ["Gathered", "LineKey", "Shares", "gather", "line_coverage", "line_key", "merge",
           "process_notes", "shares", "years"]

LineKey = tuple[str, str, str]  # (section, class | kind | fuel, direction | use)
_PARTS = {"direct": ("e_fuel", "e_conversion", "e_process"), "indirect": ("e_indirect",)}


def line_key(carrier: str, rule: LineRule) -> LineKey:
    """The line a carrier goes into."""
    if rule.line == "electricity":
        return ("electricity", str(rule.class_), str(rule.direction))
    if rule.line == "heat":
        return ("heat", str(rule.kind), str(rule.direction))
    return ("fuels", carrier, str(rule.use))


@dataclasses.dataclass
class Gathered:
    """One line of one year: the amount each enterprise (record index) puts in, in the line's
    unit, the carriers it sums, and the steam it converted."""

    unit: str
    by_record: dict[int, float] = dataclasses.field(default_factory=dict)
    carriers: list[str] = dataclasses.field(default_factory=list)
    steam_t: float = 0.0
    steam_gj: float = 0.0
    steam_default: int = 0  # enterprises whose steam had no state (default factor)


@dataclasses.dataclass(frozen=True)
class _Steam:
    if97: IF97 | None
    default_gj: float  # GJ per t when the state is not known


def _steam(rules: RollupRules, library: Library, method: InventoryMethod) -> _Steam:
    cset = library.sets[method.spec.sets.standard_coal]
    factor = cset.spec.factors.get("steam")
    if factor is None:
        raise MissingCoefficient("蒸汽折标准煤系数 steam standard-coal factor 'steam'", cset.file,
                                 "或在名录中给出蒸汽压力、温度或焓值 or give the steam state")
    tce = factor.value * units.conversion_factor(factor.unit, "tce/t")
    if97 = library.sets[rules.spec.parameters.steam].spec.if97 if rules.spec.parameters.steam \
        else None
    return _Steam(if97, tce * KJ_PER_TCE / 1e6)


def gather(roster: Roster, rules: RollupRules, library: Library,
           method: InventoryMethod) -> dict[int, dict[LineKey, Gathered]]:
    """Per year and line, what each enterprise reported; steam states that cannot be used are
    reported together, with their cells."""
    inventory = rules.spec.inventory
    steam = _steam(rules, library, method) if any(
        library.carriers[c].enthalpy for c in roster.carriers()) else None
    factors = {key: 1.0 if c.enthalpy else units.conversion_factor(c.unit, line_unit(
        inventory[key], c)) for key, c in library.carriers.items() if key in inventory}
    out: dict[int, dict[LineKey, Gathered]] = {}
    problems: list[WorkbookError] = []
    for index, record in enumerate(roster.records):
        lines = out.setdefault(record.year, {})
        for carrier, amount in record.carriers.items():
            rule = inventory[carrier]
            line = lines.setdefault(line_key(carrier, rule), Gathered(line_unit(
                rule, library.carriers[carrier])))
            if carrier not in line.carriers:
                line.carriers.append(carrier)
            if library.carriers[carrier].enthalpy:
                assert steam is not None
                try:
                    amount = _steam_gj(line, record, amount, steam)
                except SteamStateError as exc:
                    problems.append(WorkbookError(roster.file, roster.sheet, roster.where(
                        record, "steam_pressure").split("!")[-1], exc.problem))
                    continue
            line.by_record[index] = line.by_record.get(index, 0.0) + amount * factors[carrier]
    if problems:
        raise WorkbookProblems(roster.file, problems)
    return {year: lines for year, lines in sorted(out.items()) if lines}


def _steam_gj(line: Gathered, record: EnterpriseYear, tonnes: float, steam: _Steam) -> float:
    state = record.steam()
    if state.known and steam.if97 is not None:
        per_tonne = heat_per_tonne(state, steam.if97)[0]
    else:
        per_tonne = steam.default_gj
        line.steam_default += 1
    line.steam_t += tonnes
    line.steam_gj += tonnes * per_tonne
    return tonnes * per_tonne


# ------------------------------------------------------------------------ lines


def years(roster: Roster, gathered: dict[int, dict[LineKey, Gathered]], rules: RollupRules,
          library: Library, notes: Mapping[int, str]) -> dict[int, InventoryYear]:
    """The inventory section: per year, one line per class/kind/fuel and direction/use, in the
    order of the rule file, each with its source."""
    order = {line_key(c, r): i for i, (c, r) in reversed(list(enumerate(
        rules.spec.inventory.items())))}
    rows = roster.rows_per_year()
    name = Path(roster.file).name
    out: dict[int, InventoryYear] = {}
    for year, lines in gathered.items():
        built: dict[str, list[Any]] = {"electricity": [], "heat": [], "fuels": []}
        for key in sorted(lines, key=order.__getitem__):
            line = lines[key]
            built[key[0]].append(_line(key, line, _source(line, name, year, rows, library),
                                       _note(line, rules)))
        out[year] = InventoryYear.model_validate({
            "source": f"企业汇总：名录 {name} 中 {year} 年共 {rows[year]} 行，汇总规则 "
                      f"{Path(rules.file).name}", "note": notes.get(year, ""), **built})
    return out



def _line(key: LineKey, line: Gathered, source: str, note: str) -> Any:
    section, what, how = key
    data = {"amount": float(f"{math.fsum(line.by_record.values()):.10g}"), "unit": line.unit,
            "source": source, "note": note}
    if section == "electricity":
        return ElectricityLine.model_validate({"class": what, "direction": how, **data})
    if section == "heat":
        return HeatLine.model_validate({"kind": what, "direction": how, **data})
    return FuelLine.model_validate({"fuel": what, "use": how, **data})


def _source(line: Gathered, roster: str, year: int, rows: dict[int, int], library: Library) -> str:
    names = "、".join(library.carriers[c].name_zh for c in line.carriers)
    return (f"企业汇总：{len(line.by_record)} 家企业填报 {names}（名录 {roster} 中 {year} 年共 "
            f"{rows[year]} 行）")


def _note(line: Gathered, rules: RollupRules) -> str:
    parts = [f"{Path(rules.file).name} inventory.{c}: {rules.spec.inventory[c].source}"
             for c in line.carriers]
    if line.steam_t:
        default = f"；其中 {line.steam_default} 家企业无蒸汽参数，按缺省折标系数换算 " \
            f"{line.steam_default} without a steam state: default factor" if line.steam_default \
            else ""
        parts.append(f"含蒸汽 {line.steam_t:g} t = {line.steam_gj:.6g} GJ（各企业按压力、温度或焓值，"
                     f"IAPWS-IF97，自 20 ℃ 给水起算{default}）steam converted per enterprise")
    return "；".join(parts)


def process_notes(roster: Roster) -> dict[int, str]:
    """Per year, the process CO2 enterprises stated: 附件4 computes E_process from product
    output, so it is not counted — said, never dropped silently."""
    stated: dict[int, list[float]] = {}
    for record in roster.records:
        value = record.values.get("process_co2")
        if value is not None:
            stated.setdefault(record.year, []).append(value)
    return {year: (f"名录中 {len(found)} 家企业填报了工业生产过程二氧化碳排放（合计 "
                   f"{math.fsum(found):g} t），未计入 E_process：附件4 按产品产量 × 排放因子（或碳平衡）"
                   f"计算，请在 --profile 的 inventory.{year}.process 中给出产品产量。{len(found)} "
                   f"enterprise(s) stated process CO2 ({math.fsum(found):g} t): not counted; 附件4 "
                   "computes it from product output — give the products in the profile's "
                   f"inventory.{year}.process")
            for year, found in sorted(stated.items())}


# ------------------------------------------------------------------------ enterprise shares


@dataclasses.dataclass(frozen=True)
class Shares:
    """One computed item-year: each enterprise's value (the item's unit), record index and
    parts (E_park: direct = E_fuel + E_conversion + E_process, indirect = E_indirect)."""

    values: list[float]
    records: list[int]
    parts: list[dict[str, float]]


def shares(framework: Framework, gathered: dict[int, dict[LineKey, Gathered]],
           settings: dict[str, SettingValue], file: str) -> dict[tuple[str, int], Shares]:
    """Each enterprise's share of every additive computed item, by year."""
    items = _additive_items(framework)
    wanted = {q for q, _ in items.values()} | {q for names in _PARTS.values() for q in names}
    out: dict[tuple[str, int], Shares] = {}
    for year, lines in gathered.items():
        per_record: dict[int, dict[str, float]] = {}
        for key, line in lines.items():
            rates = {q: v for q, v in _unit_quantities(framework, year, key, line.unit, settings,
                                                       file).items() if q in wanted and v}
            for record, amount in line.by_record.items():
                found = per_record.setdefault(record, {})
                for quantity, rate in rates.items():
                    found[quantity] = found.get(quantity, 0.0) + amount * rate
        records = sorted(per_record)
        for name, (quantity, factor) in items.items():
            out[(name, year)] = Shares(
                [per_record[r].get(quantity, 0.0) * factor for r in records], records,
                [_parts(per_record[r]) if quantity == "e_park" else {} for r in records])
    return out


def _additive_items(framework: Framework) -> dict[str, tuple[str, float]]:
    """Computed items whose quantity adds up over enterprises (an amount, not a ratio or a
    coefficient) → (quantity, factor to the item's unit)."""
    method = inventory_method(framework)
    if method is None:
        return {}
    quantities = MODULES[method.spec.module].quantities
    out: dict[str, tuple[str, float]] = {}
    for name, item in framework.spec.items.items():
        unit = quantities.get(item.computed or "")
        if unit is not None and "/" not in unit and unit != "1":
            out[name] = (str(item.computed), units.conversion_factor(unit, item.unit))
    return out


def _unit_quantities(framework: Framework, year: int, key: LineKey, unit: str,
                     settings: dict[str, SettingValue], file: str) -> dict[str, float]:
    """Every quantity of the inventory of one unit of one line (the method's own arithmetic)."""
    from ecopark.core.dataset.derived import derived_observations

    lines = InventoryYear.model_validate({key[0]: [_line(key, Gathered(unit, {0: 1.0}), "", "")]})
    _, _, results = derived_observations(framework, {year: lines}, settings, file)
    return dict(results[year].quantities)


def _parts(quantities: dict[str, float]) -> dict[str, float]:
    return {part: float(f"{math.fsum(quantities.get(q, 0.0) for q in names):.10g}")
            for part, names in _PARTS.items()}


# ------------------------------------------------------------------------ the profile's lines


def merge(profile: Mapping[int, InventoryYear], rolled: Mapping[int, InventoryYear],
          method: InventoryMethod, library: Library
          ) -> tuple[dict[int, InventoryYear], list[tuple[str, int]]]:
    """The profile's inventory with the rolled-up lines: per year, a rolled-up line replaces the
    profile's lines with the same key; other lines, conversion and process are kept."""
    out = dict(profile)
    replaced: list[tuple[str, int]] = []
    for year, ours in rolled.items():
        theirs = profile.get(year)
        if theirs is None:
            out[year] = ours
            continue
        sections: dict[str, list[Any]] = {}
        for section in ("electricity", "heat", "fuels"):
            have = {_profile_key(line, method, library) for line in getattr(ours, section)}
            kept = []
            for line in getattr(theirs, section):
                key = _profile_key(line, method, library)
                if key in have:
                    replaced.append((_label(key), year))
                else:
                    kept.append(line)
            sections[section] = [*getattr(ours, section), *kept]
        out[year] = theirs.model_copy(update={
            "source": ours.source + (f"；园区填报 park-stated: {theirs.source}" if theirs.source
                                     else ""),
            "note": "；".join(n for n in (ours.note, theirs.note) if n), **sections})
    return dict(sorted(out.items())), replaced


def _profile_key(line: Any, method: InventoryMethod, library: Library) -> LineKey:
    spec = method.spec
    if isinstance(line, ElectricityLine):
        return ("electricity", _canonical(spec.electricity_classes, line.class_), line.direction)
    if isinstance(line, HeatLine):
        return ("heat", _canonical(spec.heat_kinds, line.kind), line.direction)
    return ("fuels", library.carrier_of_name(line.fuel) or line.fuel,
            _canonical(spec.fuel_uses, line.use))


def _canonical(vocabulary: Mapping[str, Any], text: str) -> str:
    """The id a line names by id or by name (as `inventory_factors.pick` accepts them)."""
    for key, entry in vocabulary.items():
        if text in (key, entry.name_zh, entry.name_en, *getattr(entry, "aliases", ())):
            return key
    return text


def _label(key: LineKey) -> str:
    return f"inventory.{key[0]}[{key[1]}, {key[2]}]"


def line_coverage(profile: Mapping[int, InventoryYear], gathered: dict[int, dict[LineKey, Gathered]],
                  rows: Mapping[int, int], method: InventoryMethod, library: Library
                  ) -> list[Coverage]:
    """Per profile line replaced by a rolled-up line: the enterprises that put something in it
    of the roster's enterprises of the year, its amount, and the profile's amount of the same
    key in the line's unit (None when a unit does not convert)."""
    out = []
    for year, lines in gathered.items():
        theirs = profile.get(year)
        if theirs is None:
            continue
        stated: dict[LineKey, list[Any]] = {}
        for section in ("electricity", "heat", "fuels"):
            for line in getattr(theirs, section):
                stated.setdefault(_profile_key(line, method, library), []).append(line)
        for key, line in lines.items():
            if key in stated:
                out.append(Coverage(_label(key), year, len(line.by_record), rows[year],
                                    math.fsum(line.by_record.values()),
                                    _stated_amount(key, stated[key], line.unit, library)))
    return out


def _stated_amount(key: LineKey, lines: list[Any], unit: str, library: Library) -> float | None:
    carrier = library.carriers.get(key[1])
    total = 0.0
    for line in lines:
        given = line.unit or (carrier.unit if carrier is not None else None)
        try:
            total += line.amount * units.conversion_factor(given or unit, unit)
        except UnitError:
            return None
    return total
