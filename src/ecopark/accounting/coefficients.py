"""Coefficient sets, energy carriers and accounting methods: data files, checked at load.

Loading follows `ecopark.core.framework.model`: a pydantic schema validates the shape of each file (unknown
keys refused), then each function in `CHECKS` validates one rule that spans entries or files
(a factor names a known carrier, its unit is the one its kind needs, a method names sets of the
right kind …). Any failure is a `DataFileError` naming the file and the key path.

    carriers.yaml        the carrier vocabulary (roster columns, coefficient keys)
    methods.yaml         methods: which set of each kind, and which calculation module
    <set>.yaml           one coefficient set each (kind: standard_coal, fuel_co2, …)

`resolve(library, settings, carriers)` turns a method plus the park's settings (electricity
basis, grid region, one vintage for all years) into plain per-carrier factors. A coefficient
that no file has raises `MissingCoefficient` naming it and the file to add it to — never a
default.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ecopark.core import units
from ecopark.core.errors import DataFileError, MissingCoefficient, UnitError
from ecopark.core.yamlfile import read_yaml

__all__ = ["CHECKS", "Carrier", "CarrierFactors", "Library", "Method", "Resolved", "Settings",
           "load_library", "resolve"]

DATA_DIR = Path(__file__).parent / "data"
FORMAT = "ecopark-coefficients/1"
Kind = Literal["standard_coal", "electricity_equal_value", "fuel_co2", "heat_co2",
               "electricity_co2", "steam_if97"]
Basis = Literal["average", "residual", "fossil"]
_SECTION: dict[str, str] = {"standard_coal": "factors", "heat_co2": "factors",
                            "electricity_equal_value": "by_year", "fuel_co2": "fuels",
                            "electricity_co2": "grid", "steam_if97": "if97"}
_EMPTY: dict[str, Any] = {"factors": {}, "by_year": [], "fuels": {}, "grid": [], "if97": None}
CO2_PER_C = 44.0 / 12.0


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ------------------------------------------------------------------------ schemas


class Carrier(_Model):
    name_zh: str
    name_en: str
    aliases: list[str] = []
    unit: str
    sign: Literal[1, -1] = 1
    coal_factor: str | None = None
    co2: Literal["fuel", "grid", "green", "heat", "none"]
    renewable: bool = False
    enthalpy: bool = False


class CarriersFile(_Model):
    format: Literal["ecopark-carriers/1"]
    carriers: dict[str, Carrier]


class Factor(_Model):
    value: float = Field(gt=0)
    unit: str
    source: str
    note: str = ""


class Amount(_Model):
    value: float = Field(gt=0)
    unit: str


class FuelFactor(_Model):
    ncv: Amount
    carbon: Amount
    oxidation: float = Field(gt=0, le=1)
    source: str
    note: str = ""


class YearFactor(_Model):
    year: int = Field(ge=1900, le=2200)
    value: float = Field(gt=0)
    unit: str
    source: str
    note: str = ""


class GridFactor(_Model):
    region: str
    year: int = Field(ge=1900, le=2200)
    basis: Basis
    value: float = Field(ge=0)
    unit: str
    source: str
    note: str = ""


class Series(_Model):
    J: list[int]
    n: list[float]
    I: list[int] = []  # noqa: E741 — the release's own symbol


class Region2(_Model):
    ideal: Series
    residual: Series


class Region4(_Model):
    n: list[float] = Field(min_length=10, max_length=10)


class SteamLimits(_Model):
    pressure_max: float = Field(gt=0)
    temperature_max: float = Field(gt=0)
    note: str = ""


class IF97(_Model):
    R: float = Field(gt=0)
    region2: Region2
    region4: Region4
    reference_enthalpy: Factor
    limits: SteamLimits


class CoefficientFile(_Model):
    format: Literal["ecopark-coefficients/1"]
    id: str
    kind: Kind
    name_zh: str
    name_en: str
    source: str
    vintage: str
    status: str = ""
    note: str = ""
    regions: list[str] = []
    factors: dict[str, Factor] = {}
    by_year: list[YearFactor] = []
    fuels: dict[str, FuelFactor] = {}
    grid: list[GridFactor] = []
    if97: IF97 | None = None


class Method(_Model):
    name_zh: str
    name_en: str
    source: str
    note: str = ""
    module: str
    standard_coal: str
    equal_value: str
    fuel_co2: str
    heat_co2: str
    grid: str
    grid_basis: Basis
    green_power: Literal["grid", "zero"]
    steam: str


class MethodsFile(_Model):
    format: Literal["ecopark-methods/1"]
    default: str
    methods: dict[str, Method]


# ------------------------------------------------------------------------ the library


@dataclasses.dataclass(frozen=True)
class CoefficientSet:
    spec: CoefficientFile
    file: str


@dataclasses.dataclass
class Library:
    """Every carrier, coefficient set and method loaded (built-in files plus the user's)."""

    carriers: dict[str, Carrier]
    carriers_file: str
    sets: dict[str, CoefficientSet]
    methods: dict[str, Method]
    methods_file: str
    default_method: str

    def set_of(self, set_id: str) -> CoefficientSet:
        return self.sets[set_id]

    def coal_key(self, carrier: str) -> str:
        return self.carriers[carrier].coal_factor or carrier

    def carrier_of_name(self, text: str) -> str | None:
        """The carrier a roster header names (id, zh or en name, alias), compared loosely."""
        from ecopark.io.sheet import label_matches

        for key, carrier in self.carriers.items():
            if label_matches(text, (key, carrier.name_zh, carrier.name_en, *carrier.aliases)):
                return key
        return None


def validate(model: type[BaseModel], data: Any, file: str) -> Any:
    """Parsed YAML validated by a file's model; a `DataFileError` at the first failing key."""
    if not isinstance(data, dict):
        raise DataFileError(file, "(top)", "文件应为键值映射 the file must be a mapping")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key_path = ".".join(str(part) for part in first["loc"]) or "(top)"
        more = f"（另有 {exc.error_count() - 1} 处 and {exc.error_count() - 1} more）" \
            if exc.error_count() > 1 else ""
        raise DataFileError(file, key_path, f"{first['msg']}{more}") from None


def _read(path: Path, model: type[BaseModel]) -> Any:
    return validate(model, read_yaml(path), str(path))


# ------------------------------------------------------------------------ named checks


def _where(cset: CoefficientSet, section: str, key: object = None) -> str:
    return section if key is None else f"{section}.{key}"


def check_unique_set_ids(lib: Library, files: list[CoefficientSet]) -> None:
    """Set ids are unique across every loaded file (a user's set takes a new id)."""
    seen: dict[str, str] = {}
    for cset in files:
        if cset.spec.id in seen:
            raise DataFileError(cset.file, "id", f"系数集标识 {cset.spec.id!r} 已在 {seen[cset.spec.id]} "
                                "中使用 the set id is already used", "换一个 id choose another id")
        seen[cset.spec.id] = cset.file
        lib.sets[cset.spec.id] = cset


def check_kind_sections(lib: Library, files: list[CoefficientSet]) -> None:
    """A set has the section its kind needs, and no other."""
    for cset in files:
        wanted = _SECTION[cset.spec.kind]
        for section, empty in _EMPTY.items():
            filled = getattr(cset.spec, section) != empty
            if section == wanted and not filled:
                raise DataFileError(cset.file, section, f"kind: {cset.spec.kind} 需要 {section} "
                                    f"the kind needs a non-empty `{section}`")
            if section != wanted and filled:
                raise DataFileError(cset.file, section, f"kind: {cset.spec.kind} 不应有 {section} "
                                    f"the kind takes `{wanted}`, not `{section}`")


def check_carrier_units(lib: Library, files: list[CoefficientSet]) -> None:
    """Every carrier's unit is one the unit registry knows, and not a coal equivalent."""
    for key, carrier in lib.carriers.items():
        try:
            units.parse_unit(carrier.unit)
        except UnitError as exc:
            raise DataFileError(lib.carriers_file, f"carriers.{key}.unit", exc.problem) from None
        if is_coal_equivalent(carrier.unit):
            raise DataFileError(lib.carriers_file, f"carriers.{key}.unit", "能源品种须用实物单位 "
                                "a carrier is measured in a physical unit, not a coal equivalent")


def _coal_units(lib: Library) -> dict[str, str]:
    """Standard-coal factor key → the carrier unit it multiplies."""
    return {lib.coal_key(key): carrier.unit for key, carrier in lib.carriers.items()}


def _expect(file: str, key_path: str, unit: str, expected: str) -> None:
    try:
        units.conversion_factor(unit, expected)
    except UnitError as exc:
        raise DataFileError(file, key_path, f"单位 {unit!r} 应可换算为 {expected!r} the unit must "
                            f"convert to {expected!r} ({exc.problem})") from None


def check_factor_keys(lib: Library, files: list[CoefficientSet]) -> None:
    """Factor keys name carriers (or a coal-factor key such as `electricity`); a fuel set names
    combustion carriers only; a heat set has the single key `heat`."""
    coal_keys = _coal_units(lib)
    fuels = {k for k, c in lib.carriers.items() if c.co2 == "fuel"}
    for cset in files:
        kind = cset.spec.kind
        allowed = coal_keys if kind == "standard_coal" else {"heat"} if kind == "heat_co2" \
            else fuels
        keys = cset.spec.factors if kind in ("standard_coal", "heat_co2") else cset.spec.fuels
        for key in keys:
            if key not in allowed:
                raise DataFileError(cset.file, f"{_SECTION[kind]}.{key}", f"未知的键 unknown key "
                                    f"{key!r}", f"可用 allowed: {', '.join(sorted(allowed))}")


def check_factor_units(lib: Library, files: list[CoefficientSet]) -> None:
    """Each factor's unit converts to what its kind needs (tce per carrier unit, GJ per carrier
    unit and t C per GJ for fuels, t CO2 per kWh or per GJ, kJ/kg for steam)."""
    coal_units = _coal_units(lib)
    for cset in files:
        spec, file = cset.spec, cset.file
        for key, factor in spec.factors.items():
            expected = f"tce/{coal_units[key]}" if spec.kind == "standard_coal" else "t/GJ"
            _expect(file, f"factors.{key}.unit", factor.unit, expected)
        for index, year in enumerate(spec.by_year):
            _expect(file, f"by_year[{index}].unit", year.unit, "tce/kWh")
        for key, fuel in spec.fuels.items():
            _expect(file, f"fuels.{key}.ncv.unit", fuel.ncv.unit, f"GJ/{lib.carriers[key].unit}")
            _expect(file, f"fuels.{key}.carbon.unit", fuel.carbon.unit, "t/GJ")
        for index, grid in enumerate(spec.grid):
            _expect(file, f"grid[{index}].unit", grid.unit, "t/kWh")
        if spec.if97 is not None:
            _expect(file, "if97.reference_enthalpy.unit", spec.if97.reference_enthalpy.unit, "kJ/kg")


def check_grid_entries(lib: Library, files: list[CoefficientSet]) -> None:
    """Grid factors name declared regions, once per (region, year, basis)."""
    for cset in files:
        seen: set[tuple[str, int, str]] = set()
        for index, grid in enumerate(cset.spec.grid):
            if grid.region not in cset.spec.regions:
                raise DataFileError(cset.file, f"grid[{index}].region", f"未声明的区域 undeclared "
                                    f"region {grid.region!r}", "在 regions 中声明 declare it in regions")
            key = (grid.region, grid.year, grid.basis)
            if key in seen:
                raise DataFileError(cset.file, f"grid[{index}]", f"重复 duplicate {key}")
            seen.add(key)
        years = [y.year for y in cset.spec.by_year]
        if len(years) != len(set(years)):
            raise DataFileError(cset.file, "by_year", "年份重复 a year appears twice")


def check_if97_lengths(lib: Library, files: list[CoefficientSet]) -> None:
    """IF97 coefficient lists have matching lengths (I, J, n)."""
    for cset in files:
        if97 = cset.spec.if97
        if if97 is None:
            continue
        ideal, residual = if97.region2.ideal, if97.region2.residual
        if len(ideal.J) != len(ideal.n) or not len(residual.I) == len(residual.J) == len(residual.n):
            raise DataFileError(cset.file, "if97.region2", "I、J、n 长度不一致 the I, J and n "
                                "lists differ in length")


_METHOD_KINDS = {"standard_coal": "standard_coal", "equal_value": "electricity_equal_value",
                 "fuel_co2": "fuel_co2", "heat_co2": "heat_co2", "grid": "electricity_co2",
                 "steam": "steam_if97"}


def check_methods(lib: Library, files: list[CoefficientSet]) -> None:
    """Methods name existing sets of the right kind and a known calculation module; the
    default method exists."""
    from ecopark.accounting.carbon import MODULES

    for name, method in lib.methods.items():
        for field, kind in _METHOD_KINDS.items():
            set_id = getattr(method, field)
            found = lib.sets.get(set_id)
            if found is None or found.spec.kind != kind:
                have = sorted(k for k, s in lib.sets.items() if s.spec.kind == kind)
                raise DataFileError(lib.methods_file, f"methods.{name}.{field}",
                                    f"没有 kind 为 {kind} 的系数集 {set_id!r} no {kind} set "
                                    f"{set_id!r}", f"可用 available: {', '.join(have)}")
        if method.module not in MODULES:
            raise DataFileError(lib.methods_file, f"methods.{name}.module", f"未知计算模块 unknown "
                                f"module {method.module!r}", f"可用 available: {', '.join(MODULES)}")
    if lib.default_method not in lib.methods:
        raise DataFileError(lib.methods_file, "default", f"未定义的方法 unknown method "
                            f"{lib.default_method!r}")


CHECKS: tuple[Callable[[Library, list[CoefficientSet]], None], ...] = (
    check_unique_set_ids, check_kind_sections, check_carrier_units, check_factor_keys,
    check_factor_units, check_grid_entries, check_if97_lengths, check_methods,
)


# ------------------------------------------------------------------------ loading


def builtin_files() -> list[Path]:
    skip = {"carriers.yaml", "methods.yaml"}
    return [p for p in sorted(DATA_DIR.glob("*.yaml")) if p.name not in skip and
            _is_coefficient_file(p)]


def _is_coefficient_file(path: Path) -> bool:
    with path.open(encoding="utf-8") as handle:
        return any(line.strip() == f"format: {FORMAT}" for line in handle)


def load_library(extra: Iterable[Path] = ()) -> Library:
    """The built-in carriers, sets and methods, plus the user's coefficient files `extra`."""
    return _load(tuple(Path(p).resolve() for p in extra))


@functools.cache
def _load(extra: tuple[Path, ...]) -> Library:
    carriers_path, methods_path = DATA_DIR / "carriers.yaml", DATA_DIR / "methods.yaml"
    carriers: CarriersFile = _read(carriers_path, CarriersFile)
    methods: MethodsFile = _read(methods_path, MethodsFile)
    files = [CoefficientSet(_read(p, CoefficientFile), str(p))
             for p in (*builtin_files(), *extra)]
    return build_library(carriers, str(carriers_path), methods, str(methods_path), files)


def build_library(carriers: CarriersFile, carriers_file: str, methods: MethodsFile,
                  methods_file: str, files: list[CoefficientSet]) -> Library:
    """Assemble the library and run every named check."""
    lib = Library(dict(carriers.carriers), carriers_file, {}, dict(methods.methods),
                  methods_file, methods.default)
    for check in CHECKS:
        check(lib, files)
    return lib


def is_coal_equivalent(unit: str) -> bool:
    """Whether a unit is a coal equivalent (tce, kgce, 吨标煤 …): never a carrier's quantity."""
    parsed = str(units.parse_unit(unit))
    return any(name in parsed for name in ("kgce", "tce", "gce", "标准煤", "标煤"))


# ------------------------------------------------------------------------ resolving


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
    unit = _coal_units(lib)[key]
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
