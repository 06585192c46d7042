"""Inventory methods (e.g. 发改环资〔2025〕910号 附件4): loading a method file
(`ecopark.accounting.inventory_method`), the named checks run at load, the calculation modules
by name, and a method as the core's inventory provider (`MethodProvider`; the shipped ones are
registered by `ecopark.accounting.providers`).

Loading a method file follows the framework's: a schema, then each function in `METHOD_CHECKS`
for one cross-reference rule, each failure a `DataFileError` naming the file and key path. The
computation is a module named by the file (`module:`), found in `MODULES`.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ecopark.accounting.coefficients import Library, validate
from ecopark.accounting.inventory_method import METHOD_FORMAT, InventoryMethod, InventoryModule, MethodFile
from ecopark.accounting.library import load_library
from ecopark.accounting.zerocarbon import MODULE as ANNEX4
from ecopark.core import units
from ecopark.core.dataset.inventory import InventoryResult, InventoryYear
from ecopark.core.errors import DataFileError, UnitError
from ecopark.core.yamlfile import read_yaml

__all__ = ["METHOD_CHECKS", "MODULES", "MethodProvider", "available_methods", "load_method",
           "method_provider"]

DATA_DIR = Path(__file__).parent / "data"
MODULES: Mapping[str, InventoryModule] = {"annex4-2025": ANNEX4}

# ------------------------------------------------------------------------ named checks


def check_module_known(method: InventoryMethod, library: Library) -> None:
    """The method names a known calculation module."""
    if method.spec.module not in MODULES:
        raise DataFileError(method.file, "module", f"未知计算模块 unknown module "
                            f"{method.spec.module!r}", f"可用 available: {', '.join(MODULES)}")


_SET_KINDS = {"standard_coal": "standard_coal", "equal_value": "electricity_equal_value",
              "fuel_co2": "fuel_co2", "heat_co2": "heat_co2",
              "electricity_co2": "electricity_co2"}


def check_method_sets(method: InventoryMethod, library: Library) -> None:
    """The coefficient sets the method names exist and are of the right kind; the fossil-power
    entry exists in its electricity set."""
    for field, kind in _SET_KINDS.items():
        set_id = getattr(method.spec.sets, field)
        found = library.sets.get(set_id)
        if found is None or found.spec.kind != kind:
            raise DataFileError(method.file, f"sets.{field}", f"没有 kind 为 {kind} 的系数集 "
                                f"{set_id!r} no {kind} set {set_id!r}")
    fp = method.spec.fossil_power
    grid = library.sets[method.spec.sets.electricity_co2].spec.grid
    if not any((g.region, g.year, g.basis) == (fp.region, fp.year, fp.basis) for g in grid):
        raise DataFileError(method.file, "fossil_power", f"电力排放因子集中没有 {fp.region} "
                            f"{fp.year} {fp.basis} no such entry in the electricity set")


def check_product_units(method: InventoryMethod, library: Library) -> None:
    """Every product factor is a mass of CO2 per mass of product."""
    for key, product in method.spec.products.items():
        if product.factor is None:
            continue
        try:
            units.conversion_factor(product.factor.unit, "t/t")
        except UnitError as exc:
            raise DataFileError(method.file, f"products.{key}.factor.unit", f"应为 t/t "
                                f"expected CO2 mass per product mass ({exc.problem})") from None


def check_vocabulary(method: InventoryMethod, library: Library) -> None:
    """The vocabulary has the entries the module relies on: a fossil heat kind using the heat
    set, at least one fuel use counted in E_fuel, and a product without a factor says why."""
    spec = method.spec
    if not any(k.factor == "heat_set" for k in spec.heat_kinds.values()):
        raise DataFileError(method.file, "heat_kinds", "至少一种热力使用热力因子集 one heat kind "
                            "must use the heat set")
    if not any(u.in_e_fuel for u in spec.fuel_uses.values()):
        raise DataFileError(method.file, "fuel_uses", "至少一种用途计入 E_fuel one use must "
                            "count in E_fuel")
    for key, product in spec.products.items():
        if product.factor is None and not product.note:
            raise DataFileError(method.file, f"products.{key}.note", "没有缺省因子的产品须说明"
                                "原因 a product without a factor needs a note saying why")


METHOD_CHECKS: tuple[Callable[[InventoryMethod, Library], None], ...] = (
    check_module_known, check_method_sets, check_product_units, check_vocabulary,
)


# ------------------------------------------------------------------------ loading


def _method_files() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(DATA_DIR.glob("*.yaml")):
        with path.open(encoding="utf-8") as handle:
            if not any(line.strip() == f"format: {METHOD_FORMAT}" for line in handle):
                continue
        data = read_yaml(path)
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            found[data["id"]] = path


    return found


def available_methods() -> list[str]:
    """The ids of the inventory-method files shipped."""
    return sorted(_method_files())


def load_method(method_id: str) -> InventoryMethod:
    """The inventory method with this id, validated against the coefficient library."""
    return _load(method_id)


@functools.cache
def _load(method_id: str) -> InventoryMethod:
    files = _method_files()
    if method_id not in files:
        raise DataFileError(str(DATA_DIR), "id", f"没有核算清单方法 no inventory method "
                            f"{method_id!r}", f"可用 available: {', '.join(files) or '—'}")
    path = files[method_id]
    method = InventoryMethod(validate(MethodFile, read_yaml(path), str(path)), str(path))
    return build_method(method, load_library())


def build_method(method: InventoryMethod, library: Library) -> InventoryMethod:
    """Run every named check on a parsed method file."""
    for check in METHOD_CHECKS:
        check(method, library)
    return method


# ------------------------------------------------------------------------ providers


@dataclasses.dataclass(frozen=True)
class MethodProvider:
    """An inventory method with its calculation module and the coefficient library, as the
    core's `InventoryProvider`."""

    method: InventoryMethod
    module: InventoryModule
    library: Library

    @property
    def quantities(self) -> Mapping[str, str]:
        return self.module.quantities

    @property
    def parameters(self) -> Mapping[str, str]:
        return self.module.parameters

    def compute(self, year: int, lines: InventoryYear, params: Mapping[str, Any],
                file: str) -> InventoryResult:
        return self.module.compute(self.method, self.library, year, lines, params, file)


def method_provider(method_id: str) -> MethodProvider:
    """The method `method_id` (loaded and checked) as a provider."""
    method = load_method(method_id)
    return MethodProvider(method, MODULES[method.spec.module], load_library())
