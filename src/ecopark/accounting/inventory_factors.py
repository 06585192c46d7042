"""The coefficients an inventory method uses, looked up once per computation with their
sources and set versions, and the line helpers (unit conversion, measured factors, vocabulary
look-up with a near-miss hint). Used by `ecopark.accounting.zerocarbon`."""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ecopark.accounting.coefficients import CO2_PER_C
from ecopark.core import units
from ecopark.core.errors import DatasetError, MissingCoefficient, UnitError

if TYPE_CHECKING:
    from ecopark.accounting.coefficients import Library
    from ecopark.accounting.inventory_method import InventoryMethod
    from ecopark.core.dataset.inventory import LineFactor

__all__ = ["EqualValueFallback", "Factors", "convert", "measured", "pick"]


@dataclasses.dataclass(frozen=True)
class EqualValueFallback:
    """The equal-value coefficient of an earlier year was used (no figure for the year)."""

    zh: str
    en: str

@dataclasses.dataclass
class Factors:
    """The method's coefficients, looked up once per computation, with their sources."""

    method: InventoryMethod
    library: Library
    file: str
    where: str

    def set_label(self, set_id: str) -> str:
        spec = self.library.sets[set_id].spec
        return f"{spec.id} v{spec.vintage}"

    def fossil_power(self) -> tuple[float, str]:
        fp, set_id = self.method.spec.fossil_power, self.method.spec.sets.electricity_co2
        entry = next(g for g in self.library.sets[set_id].spec.grid
                     if (g.region, g.year, g.basis) == (fp.region, fp.year, fp.basis))
        value = entry.value * units.conversion_factor(entry.unit, "t/kWh")
        return value, (f"Ef {entry.value} {entry.unit} — {self.set_label(set_id)}: "
                       f"{entry.region} {entry.year} {entry.basis}（{entry.source}）")

    def heat(self) -> tuple[float, str]:
        set_id = self.method.spec.sets.heat_co2
        factor = self.library.sets[set_id].spec.factors["heat"]
        return factor.value * units.conversion_factor(factor.unit, "t/GJ"), \
            f"Hf {factor.value} {factor.unit} — {self.set_label(set_id)}（{factor.source}）"

    def coal(self, key: str, unit: str) -> tuple[float, str]:
        set_id = self.method.spec.sets.standard_coal
        factor = self.library.sets[set_id].spec.factors.get(key)
        if factor is None:
            raise MissingCoefficient(f"折标准煤系数 standard-coal factor {key!r}",
                                     self.library.sets[set_id].file,
                                     "或在该行给出实测 coal_factor（含出处）or give the line a "
                                     "measured coal_factor with its source")
        value = factor.value * units.conversion_factor(factor.unit, f"tce/{unit}")
        return value, f"{factor.value} {factor.unit} — {self.set_label(set_id)}"

    def fuel_co2(self, carrier: str, oxidised: bool, hint: str) -> tuple[float, str]:
        set_id = self.method.spec.sets.fuel_co2
        cset = self.library.sets[set_id]
        fuel = cset.spec.fuels.get(carrier)
        if fuel is None:
            raise MissingCoefficient(f"燃料 CO2 排放因子 fuel CO2 factor {carrier!r}", cset.file,
                                     hint)
        unit = self.library.carriers[carrier].unit
        ncv = fuel.ncv.value * units.conversion_factor(fuel.ncv.unit, f"GJ/{unit}")
        carbon = fuel.carbon.value * units.conversion_factor(fuel.carbon.unit, "t/GJ")
        oxidation = fuel.oxidation if oxidised else 1.0
        text = (f"{fuel.ncv.value} {fuel.ncv.unit} × {fuel.carbon.value} {fuel.carbon.unit} × "
                f"{oxidation:g} × 44/12 — {self.set_label(set_id)}（{fuel.source}）")
        return ncv * carbon * oxidation * CO2_PER_C, text

    def electricity_tce(self, year: int, params: Mapping[str, Any]
                        ) -> tuple[float, str, EqualValueFallback | None]:
        """Equal-value tce/kWh: the override, else the named vintage, else the inventory
        year's, else the latest earlier one (warned)."""
        override = params.get("equal_value_override")
        if override is not None:
            return float(override) * 1e-3, f"{override} kgce/kWh（设置 setting " \
                "equal_value_override）", None
        cset = self.library.sets[self.method.spec.sets.equal_value]
        wanted = params.get("equal_value_year")
        rows = {y.year: y for y in cset.spec.by_year}
        warning = None
        if wanted is not None:
            if int(wanted) not in rows:
                raise MissingCoefficient(f"电力等价值折标系数 equal-value coal rate {int(wanted)}",
                                         cset.file, f"已有年份 available: {sorted(rows)}")
            chosen = rows[int(wanted)]
        else:
            earlier = [y for y in rows if y <= year]
            if not earlier:
                raise MissingCoefficient(f"电力等价值折标系数 equal-value coal rate ≤ {year}",
                                         cset.file, f"已有年份 available: {sorted(rows)}")
            chosen = rows[max(earlier)]
            if chosen.year != year:
                warning = EqualValueFallback(
                    f"没有 {year} 年的电力等价值系数，采用 {chosen.year} 年（{chosen.value} "
                    f"{chosen.unit}）；可用设置 equal_value_year / equal_value_override 指定",
                    f"no equal-value coefficient for {year}: {chosen.year} used ({chosen.value} "
                    f"{chosen.unit}); set equal_value_year or equal_value_override")
        value = chosen.value * units.conversion_factor(chosen.unit, "tce/kWh")
        note = f"；{chosen.note}" if chosen.note else ""
        return value, (f"{chosen.value} {chosen.unit} — {self.set_label(cset.spec.id)}: "
                       f"{chosen.year}（{chosen.source}{note}）"), warning


def convert(amount: float, unit: str, to: str, file: str, where: str) -> float:
    try:
        return amount * units.conversion_factor(unit, to)
    except UnitError as exc:
        raise DatasetError(file, f"{where}.unit", f"单位 {unit!r} 无法换算为 {to!r} cannot be "
                           f"converted ({exc.problem})", f"用可换算为 {to} 的单位 use a unit "
                           f"convertible to {to}") from None


def measured(factor: LineFactor, to: str, file: str, where: str) -> tuple[float, str]:
    value = convert(factor.value, factor.unit, to, file, where)
    return value, f"{factor.value} {factor.unit}（实测 measured: {factor.source}）"


def pick(vocabulary: Mapping[str, Any], key: str, what: str, file: str, where: str) -> Any:
    if key in vocabulary:
        return vocabulary[key]
    for name, entry in vocabulary.items():
        if key in (getattr(entry, "name_zh", None), getattr(entry, "name_en", None),
                   *getattr(entry, "aliases", ())):
            return vocabulary[name]
    near = difflib.get_close_matches(key, list(vocabulary), n=1)
    hint = f"是否应为 did you mean {near[0]!r}? " if near else ""
    raise DatasetError(file, where, f"未知的{what} unknown {what.split()[-1]} {key!r}",
                       f"{hint}可用 allowed: {', '.join(vocabulary)}")
