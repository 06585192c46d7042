"""Loading the coefficient library: carriers.yaml, methods.yaml, every coefficient set shipped
and the user's own (`ecopark.accounting.coefficients` holds their schemas).

Loading follows the framework's: a pydantic schema validates the shape of each file (unknown
keys refused), then each function in `CHECKS` validates one rule that spans entries or files
(a factor names a known carrier, its unit is the one its kind needs, a method names sets of the
right kind and a known calculation module …). Any failure is a `DataFileError` naming the file
and the key path.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ecopark.accounting.carbon import MODULES
from ecopark.accounting.coefficients import (
    DATA_DIR,
    FORMAT,
    CarriersFile,
    CoefficientFile,
    CoefficientSet,
    Library,
    MethodsFile,
    is_coal_equivalent,
    validate,
)
from ecopark.core import units
from ecopark.core.errors import DataFileError, UnitError
from ecopark.core.yamlfile import read_yaml

__all__ = ["CHECKS", "build_library", "builtin_files", "load_library"]

_SECTION: dict[str, str] = {"standard_coal": "factors", "heat_co2": "factors",
                            "electricity_equal_value": "by_year", "fuel_co2": "fuels",
                            "electricity_co2": "grid", "steam_if97": "if97"}
_EMPTY: dict[str, Any] = {"factors": {}, "by_year": [], "fuels": {}, "grid": [], "if97": None}


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


def _expect(file: str, key_path: str, unit: str, expected: str) -> None:
    try:
        units.conversion_factor(unit, expected)
    except UnitError as exc:
        raise DataFileError(file, key_path, f"单位 {unit!r} 应可换算为 {expected!r} the unit must "
                            f"convert to {expected!r} ({exc.problem})") from None


def check_factor_keys(lib: Library, files: list[CoefficientSet]) -> None:
    """Factor keys name carriers (or a coal-factor key such as `electricity`); a fuel set names
    combustion carriers only; a heat set has the single key `heat`."""
    coal_keys = lib.coal_units()
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
    coal_units = lib.coal_units()
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
