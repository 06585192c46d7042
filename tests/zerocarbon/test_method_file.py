"""The inventory-method file: it loads, every number has a source, and one broken file per
named check (METHOD_CHECKS)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from ecopark.accounting.inventory import (
    DATA_DIR,
    METHOD_CHECKS,
    available_methods,
    build_method,
    load_method,
)
from ecopark.accounting.inventory_method import InventoryMethod, MethodFile
from ecopark.accounting.library import load_library
from ecopark.core.errors import DataFileError
from ecopark.core.yamlfile import read_yaml

PATH = DATA_DIR / "method-zero-carbon-park-2025.yaml"
RAW: dict[str, Any] = read_yaml(PATH)


def _build(change: Callable[[dict[str, Any]], None]) -> InventoryMethod:
    data = copy.deepcopy(RAW)
    change(data)
    return build_method(InventoryMethod(MethodFile.model_validate(data), "m.yaml"),
                        load_library())


def _fails(change: Callable[[dict[str, Any]], None], key_path: str) -> None:
    with pytest.raises(DataFileError) as caught:
        _build(change)
    assert caught.value.key_path == key_path, caught.value


def test_the_shipped_method_loads_and_cites_everything() -> None:
    assert available_methods() == ["zero-carbon-park-2025"]
    method = load_method("zero-carbon-park-2025")
    spec = method.spec
    assert (spec.version, spec.module) == ("2025-trial", "annex4-2025")
    for entry in (*spec.electricity_classes.values(), *spec.heat_kinds.values(),
                  *spec.fuel_uses.values()):
        assert entry.source
    for product in spec.products.values():
        assert product.factor is None or (product.factor.source and product.factor.note)
    assert {"clinker", "lime", "ammonia", "methanol", "primary_aluminium", "crude_steel",
            "ferroalloy", "industrial_silicon", "calcium_carbide"} <= set(spec.products)


def test_coefficient_library_is_unchanged_by_the_method() -> None:
    assert set(load_library().methods) == {"hj274-cn", "hj274-ipcc"}


def test_unknown_method_is_named() -> None:
    with pytest.raises(DataFileError, match="zero-carbon-park-2030"):
        load_method("zero-carbon-park-2030")


def test_check_module_known() -> None:
    _fails(lambda d: d.update(module="annex9"), "module")


def test_check_method_sets() -> None:
    _fails(lambda d: d["sets"].update(fuel_co2="mee-grid"), "sets.fuel_co2")
    _fails(lambda d: d["fossil_power"].update(year=2019), "fossil_power")


def test_check_product_units() -> None:
    _fails(lambda d: d["products"]["clinker"]["factor"].update(unit="t/GJ"),
           "products.clinker.factor.unit")


def test_check_vocabulary() -> None:
    _fails(lambda d: d["products"]["ammonia"].pop("note"), "products.ammonia.note")


def test_every_method_check_has_a_test() -> None:
    tested = {name.removeprefix("test_") for name in globals() if name.startswith("test_check_")}
    assert {check.__name__ for check in METHOD_CHECKS} == tested
