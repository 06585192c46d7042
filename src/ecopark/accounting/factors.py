"""Resolving an accounting method and the park's settings (electricity basis, grid region, one
vintage for all years) into plain per-carrier factors: tce and t CO2 per carrier unit, each
with where it comes from. A coefficient that no file has raises `MissingCoefficient` naming it
and the file to add it to — never a default.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any, Literal

from ecopark.accounting.coefficients import CO2_PER_C, DATA_DIR, IF97, Carrier, Library, Method
from ecopark.core import units
from ecopark.core.errors import MissingCoefficient

__all__ = ["CarrierFactors", "Resolved", "Settings", "resolve"]


@dataclasses.dataclass(frozen=True)
class Settings:
    """The park's accounting settings; every one is recorded in the rolled-up dataset.

    `grid_year` / `equal_value_year`: the ONE vintage applied to every year (None = the latest
    the set has for the region and basis)."""

    method: str | None = None
    electricity: Literal["equivalent", "equal_value"] = "equivalent"
    grid_region: str = "全国"
    grid_year: int | None = None
    grid_set: str | None = None
    equal_value_year: int | None = None


@dataclasses.dataclass(frozen=True)
class CarrierFactors:
    """Per unit of a carrier (its canonical unit): tce and t CO2, with where they come from.
    `co2_scope`: combustion | electricity | heat | none."""

    carrier: str
    sign: int
    tce: float
    co2: float
    co2_scope: str
    renewable: bool
    tce_source: str
    co2_source: str


@dataclasses.dataclass(frozen=True)
class Resolved:
    method_id: str
    method: Method
    settings: Settings
    grid_year: int | None
    equal_value_year: int | None
    carriers: dict[str, CarrierFactors]
    heat_co2: float
    steam: IF97 | None
    steam_default_tce: float | None

    def describe(self) -> dict[str, Any]:
        """The settings as recorded in a dataset's `accounting` section."""
        return {"method": self.method_id, "electricity": self.settings.electricity,
                "grid_region": self.settings.grid_region, "grid_set": self.settings.grid_set
                or self.method.grid, "grid_year": self.grid_year,
                "equal_value_year": self.equal_value_year}


def resolve(lib: Library, settings: Settings, carriers: Iterable[str]) -> Resolved:
    """Per-carrier factors for `carriers` under the method and settings; raise
    MissingCoefficient for any factor no file has."""
    method_id = settings.method or lib.default_method
    if method_id not in lib.methods:
        raise MissingCoefficient(f"核算方法 method {method_id!r}", lib.methods_file,
                                 f"可用 available: {', '.join(lib.methods)}")
    method = lib.methods[method_id]
    wanted = list(carriers)
    grid = _grid(lib, method, settings) if any(
        lib.carriers[c].co2 in ("grid", "green") for c in wanted) else None
    elec = _electricity_tce(lib, method, settings) if any(
        lib.coal_key(c) == "electricity" for c in wanted) else None
    heat = _heat_co2(lib, method)
    resolved = {c: _carrier(lib, method, c, grid, elec, heat) for c in wanted}
    steam = lib.set_of(method.steam).spec.if97
    default_steam = _steam_default(lib, method) if "steam" in wanted else None
    return Resolved(method_id, method, settings, grid[2] if grid else settings.grid_year,
                    elec[2] if elec else settings.equal_value_year, resolved, heat[0], steam,
                    default_steam)


def _grid(lib: Library, method: Method, settings: Settings) -> tuple[float, str, int]:
    set_id = settings.grid_set or method.grid
    cset = lib.sets.get(set_id)
    if cset is None or cset.spec.kind != "electricity_co2":
        raise MissingCoefficient(f"电网排放因子集 grid factor set {set_id!r}", str(DATA_DIR),
                                 "用 --coefficients 加载该文件 load its file with --coefficients")
    basis, region = method.grid_basis, settings.grid_region
    rows = [g for g in cset.spec.grid if g.region == region and g.basis == basis]
    if settings.grid_year is not None:
        rows = [g for g in rows if g.year == settings.grid_year]
    if not rows:
        have = sorted({f"{g.region} {g.year}" for g in cset.spec.grid if g.basis == basis})
        year = f" {settings.grid_year} 年" if settings.grid_year else ""
        raise MissingCoefficient(f"电网排放因子 grid CO2 factor {region}{year} ({basis})",
                                 cset.file, f"已有 available: {', '.join(have)}")
    chosen = max(rows, key=lambda g: g.year)
    value = chosen.value * units.conversion_factor(chosen.unit, "t/kWh")
    source = f"{cset.spec.id}: {chosen.region} {chosen.year} {chosen.value} {chosen.unit}（{chosen.source}）"
    return value, source, chosen.year


def _electricity_tce(lib: Library, method: Method, settings: Settings) -> tuple[float, str, int | None]:
    if settings.electricity == "equivalent":
        factor = _coal_factor(lib, method, "electricity")
        return factor[0], factor[1], None
    cset = lib.set_of(method.equal_value)
    rows = cset.spec.by_year if settings.equal_value_year is None else [
        y for y in cset.spec.by_year if y.year == settings.equal_value_year]
    if not rows:
        have = ", ".join(str(y.year) for y in cset.spec.by_year)
        raise MissingCoefficient(f"电力等价值折标系数 equal-value coal rate {settings.equal_value_year}",
                                 cset.file, f"已有年份 available: {have}")
    chosen = max(rows, key=lambda y: y.year)
    value = chosen.value * units.conversion_factor(chosen.unit, "tce/kWh")
    note = f"；{chosen.note}" if chosen.note else ""
    return value, f"{cset.spec.id}: {chosen.year} {chosen.value} {chosen.unit}（等价值{note}）", chosen.year


def _coal_factor(lib: Library, method: Method, key: str) -> tuple[float, str]:
    cset = lib.set_of(method.standard_coal)
    factor = cset.spec.factors.get(key)
    if factor is None:
        raise MissingCoefficient(f"折标准煤系数 standard-coal factor {key!r}", cset.file)
    unit = lib.coal_units()[key]
    value = factor.value * units.conversion_factor(factor.unit, f"tce/{unit}")
    return value, f"{cset.spec.id}: {key} {factor.value} {factor.unit}"


def _heat_co2(lib: Library, method: Method) -> tuple[float, str]:
    cset = lib.set_of(method.heat_co2)
    factor = cset.spec.factors["heat"]
    return factor.value * units.conversion_factor(factor.unit, "t/GJ"), \
        f"{cset.spec.id}: {factor.value} {factor.unit}"


def _fuel_co2(lib: Library, method: Method, carrier: str) -> tuple[float, str]:
    cset = lib.set_of(method.fuel_co2)
    fuel = cset.spec.fuels.get(carrier)
    if fuel is None:
        raise MissingCoefficient(f"燃料 CO2 排放因子 fuel CO2 factor {carrier!r} "
                                 f"({lib.carriers[carrier].name_zh})", cset.file)
    unit = lib.carriers[carrier].unit
    ncv = fuel.ncv.value * units.conversion_factor(fuel.ncv.unit, f"GJ/{unit}")
    carbon = fuel.carbon.value * units.conversion_factor(fuel.carbon.unit, "t/GJ")
    value = ncv * carbon * fuel.oxidation * CO2_PER_C
    return value, (f"{cset.spec.id}: {fuel.ncv.value} {fuel.ncv.unit} × {fuel.carbon.value} "
                   f"{fuel.carbon.unit} × {fuel.oxidation:g} × 44/12")


def _carrier(lib: Library, method: Method, key: str, grid: tuple[float, str, int] | None,
             elec: tuple[float, str, int | None] | None, heat: tuple[float, str]) -> CarrierFactors:
    carrier = lib.carriers[key]
    coal_key = lib.coal_key(key)
    if coal_key == "electricity":
        assert elec is not None
        tce, tce_source = elec[0], elec[1]
    else:
        tce, tce_source = _coal_factor(lib, method, coal_key)
    co2, co2_source, scope = _co2_of(lib, method, key, carrier, grid, heat)
    return CarrierFactors(key, carrier.sign, tce, co2, scope, carrier.renewable, tce_source,
                          co2_source)


def _co2_of(lib: Library, method: Method, key: str, carrier: Carrier,
            grid: tuple[float, str, int] | None, heat: tuple[float, str]) -> tuple[float, str, str]:
    kind = carrier.co2
    if kind == "green" and method.green_power == "zero":
        return 0.0, "绿电按 0 计 green power counted as zero", "electricity"
    if kind in ("grid", "green"):
        assert grid is not None
        return grid[0], grid[1], "electricity"
    if kind == "heat":
        return heat[0], heat[1], "heat"
    if kind == "fuel":
        value, source = _fuel_co2(lib, method, key)
        return value, source, "combustion"
    return 0.0, "无排放 none", "none"


def _steam_default(lib: Library, method: Method) -> float:
    return _coal_factor(lib, method, "steam")[0]
