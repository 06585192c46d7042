"""Items computed from the dataset's `inventory:` section: the framework names an inventory
method, and the method's quantities become the observations of its `computed` items, each with
how it was computed, and the method's warnings are attached to the items they concern."""

from __future__ import annotations

from typing import Any

from ecopark.core.dataset.inventory import InventoryResult, InventoryYear
from ecopark.core.dataset.model import Observation, Warnings
from ecopark.core.dataset.settings import SettingValue
from ecopark.core.errors import DatasetError
from ecopark.core.framework.model import Framework
from ecopark.core.framework.providers import provider
from ecopark.core.units import conversion_factor

__all__ = ["check_inventory_section", "derived_observations"]


def derived_observations(framework: Framework, inventory: dict[int, InventoryYear],
                         settings: dict[str, SettingValue], file: str
                         ) -> tuple[dict[tuple[str, int], Observation], Warnings,
                                    dict[int, InventoryResult]]:
    """The `computed` items of every inventory year, each with how it was computed, and the
    inventory's warnings attached to the items they concern."""
    link = framework.spec.inventory
    if link is None or not inventory:
        return {}, {}, {}
    method = provider(link.method)
    assert method is not None, link.method  # check_inventory found it when the framework loaded
    params = {param: settings[setting].value for param, setting in link.settings.items()}
    values: dict[tuple[str, int], Observation] = {}
    warnings: Warnings = {}
    results: dict[int, InventoryResult] = {}
    for year, lines in sorted(inventory.items()):
        result = method.compute(year, lines, params, file)
        results[year] = result
        for name, item in framework.spec.items.items():
            quantity = item.computed
            if quantity is None or quantity not in result.quantities:
                continue
            factor = conversion_factor(method.quantities[quantity], item.unit)
            value = float(f"{result.quantities[quantity] * factor:.12g}")
            values[(name, year)] = Observation(name, year, value, result.how(quantity),
                                               given=f"{value:g} {item.unit}")
            found = tuple((w.zh, w.en) for w in result.warnings if quantity in w.quantities)
            if found:
                warnings[(name, year)] = found
    return values, warnings, results


def check_inventory_section(framework: Framework, inventory: dict[int, Any],
                            others: list[Framework], file: str) -> None:
    """An inventory section needs a framework (this one or another listed) that uses one."""
    if inventory and framework.spec.inventory is None and not any(
            fw.spec.inventory for fw in others):
        raise DatasetError(file, "inventory", "指标体系没有核算清单方法 the framework has no "
                           "inventory method", "删去 inventory，或列出使用它的指标体系 remove it or "
                           "name a framework that uses it (also_frameworks)")
