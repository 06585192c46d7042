"""Coefficient files: every shipped file loads; one test per named check; a missing coefficient
is an error naming it and the file to add it to, never a default."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ecopark.accounting.coefficients import (
    DATA_DIR,
    CarriersFile,
    CoefficientFile,
    CoefficientSet,
    Library,
    MethodsFile,
)
from ecopark.accounting.factors import Settings, resolve
from ecopark.accounting.library import CHECKS, build_library, builtin_files, load_library
from ecopark.core.errors import DataFileError, MissingCoefficient
from ecopark.core.yamlfile import read_yaml


def _raw() -> tuple[dict[str, Any], dict[str, Any], dict[str, dict[str, Any]]]:
    carriers = read_yaml(DATA_DIR / "carriers.yaml")
    methods = read_yaml(DATA_DIR / "methods.yaml")
    sets = {p.name: read_yaml(p) for p in builtin_files()}
    return carriers, methods, sets


def _build(change: Callable[[dict[str, Any], dict[str, Any], dict[str, dict[str, Any]]], None]) -> Library:
    carriers, methods, sets = (copy.deepcopy(x) for x in _raw())
    change(carriers, methods, sets)
    files = [CoefficientSet(CoefficientFile.model_validate(d), name) for name, d in sets.items()]
    return build_library(CarriersFile.model_validate(carriers), "carriers.yaml",
                         MethodsFile.model_validate(methods), "methods.yaml", files)


def _fails(change: Callable[..., None], file: str, key_path: str) -> DataFileError:
    with pytest.raises(DataFileError) as caught:
        _build(change)
    assert (caught.value.file, caught.value.key_path) == (file, key_path), caught.value
    return caught.value


def test_every_shipped_file_loads(library: Library) -> None:
    kinds = {s.spec.kind for s in library.sets.values()}
    assert kinds == {"standard_coal", "electricity_equal_value", "fuel_co2", "heat_co2",
                     "electricity_co2", "steam_if97"}
    assert set(library.methods) == {"hj274-cn", "hj274-ipcc"} and library.default_method == "hj274-cn"


def test_every_number_has_a_source(library: Library) -> None:
    for cset in library.sets.values():
        spec = cset.spec
        entries = [*spec.factors.values(), *spec.fuels.values(), *spec.by_year, *spec.grid]
        assert spec.source and spec.vintage
        assert all(entry.source for entry in entries), cset.file


def test_fuel_factor_is_the_product_of_its_parts(library: Library) -> None:
    # natural gas, Chinese guideline: 389.31 GJ/10⁴m³ × 15.3 t C/TJ × 0.99 × 44/12
    # = 0.038931 GJ/m³ × 0.0153 t/GJ × 0.99 × 3.6667 = 0.0021622 t/m³ (spec: ≈ 2.16 kg/m³)
    gas = resolve(library, Settings(), ["natural_gas", "diesel", "gasoline"]).carriers
    assert gas["natural_gas"].co2 == pytest.approx(0.038931 * 0.0153 * 0.99 * 44 / 12)
    assert gas["natural_gas"].co2 * 1000 == pytest.approx(2.16, abs=0.005)
    assert gas["diesel"].co2 == pytest.approx(3.10, abs=0.005)      # spec: diesel ≈ 3.10 t/t
    assert gas["gasoline"].co2 == pytest.approx(2.93, abs=0.005)    # spec: gasoline ≈ 2.93 t/t


def test_ipcc_set_is_an_alternative_method(library: Library) -> None:
    # IPCC 2006 diesel: 43.0 TJ/Gg × 20.2 kg C/GJ × 1 × 44/12 = 3.1849 t/t
    ipcc = resolve(library, Settings(method="hj274-ipcc"), ["diesel"]).carriers["diesel"]
    assert ipcc.co2 == pytest.approx(43.0 * 0.0202 * 44 / 12)


def test_published_grid_factors_are_the_cited_ones(library: Library) -> None:
    def grid(region: str, year: int) -> float:
        return resolve(library, Settings(grid_region=region, grid_year=year),
                       ["electricity"]).carriers["electricity"].co2 * 1000  # kg/kWh

    assert grid("全国", 2021) == pytest.approx(0.5568)
    assert grid("全国", 2022) == pytest.approx(0.5366)
    assert grid("全国", 2023) == pytest.approx(0.5306)
    assert grid("华东", 2022) == pytest.approx(0.5617)


def test_default_grid_year_is_the_latest_published(library: Library) -> None:
    resolved = resolve(library, Settings(), ["electricity"])
    assert resolved.grid_year == 2023


def test_missing_grid_factor_names_the_factor_and_the_file(library: Library) -> None:
    with pytest.raises(MissingCoefficient) as caught:
        resolve(library, Settings(grid_region="江苏"), ["electricity"])
    assert "江苏" in caught.value.coefficient
    assert caught.value.file.endswith("co2-grid-mee.yaml")
    assert "请在" in str(caught.value) and "add it to" in caught.value.message("en")


def test_missing_year_is_an_error_not_a_default(library: Library) -> None:
    with pytest.raises(MissingCoefficient) as caught:
        resolve(library, Settings(grid_year=2019), ["electricity"])
    assert "2019" in caught.value.coefficient


def test_missing_equal_value_year_names_its_file(library: Library) -> None:
    with pytest.raises(MissingCoefficient) as caught:
        resolve(library, Settings(electricity="equal_value", equal_value_year=2010), ["electricity"])
    assert caught.value.file.endswith("electricity-equal-value-cec.yaml")


def test_missing_fuel_factor_names_the_fuel_set() -> None:
    def drop_lpg(carriers: dict[str, Any], methods: dict[str, Any], sets: dict[str, Any]) -> None:
        del sets["co2-fuels-cn-guideline-2015.yaml"]["fuels"]["lpg"]

    library = _build(drop_lpg)
    with pytest.raises(MissingCoefficient) as caught:
        resolve(library, Settings(), ["lpg"])
    assert "lpg" in caught.value.coefficient and caught.value.file.endswith(
        "co2-fuels-cn-guideline-2015.yaml")


def test_unknown_method_is_named(library: Library) -> None:
    with pytest.raises(MissingCoefficient, match="zero-carbon"):
        resolve(library, Settings(method="zero-carbon"), ["electricity"])


def test_user_file_adds_a_grid_set(tmp_path: Path) -> None:
    user = tmp_path / "my-grid.yaml"
    user.write_text(
        "format: ecopark-coefficients/1\nid: my-grid\nkind: electricity_co2\nname_zh: 自定义\n"
        "name_en: own\nsource: 测试 test\nvintage: '2020'\nregions: [江苏]\n"
        "grid:\n  - {region: 江苏, year: 2020, basis: average, value: 0.7, unit: kg/kWh, source: test}\n",
        encoding="utf-8")
    library = load_library([user])
    resolved = resolve(library, Settings(grid_region="江苏", grid_set="my-grid"), ["electricity"])
    assert resolved.carriers["electricity"].co2 == pytest.approx(0.0007)


# ------------------------------------------------------------------ one test per named check


def test_check_unique_set_ids() -> None:
    def twice(c: dict[str, Any], m: dict[str, Any], s: dict[str, Any]) -> None:
        s["copy.yaml"] = copy.deepcopy(s["co2-heat-cn-2015.yaml"])

    _fails(twice, "copy.yaml", "id")


def test_check_kind_sections() -> None:
    def wrong(c: dict[str, Any], m: dict[str, Any], s: dict[str, Any]) -> None:
        s["co2-heat-cn-2015.yaml"]["by_year"] = [{"year": 2020, "value": 1, "unit": "gce/kWh",
                                                  "source": "x"}]

    _fails(wrong, "co2-heat-cn-2015.yaml", "by_year")


def test_check_carrier_units() -> None:
    def coal_equivalent(c: dict[str, Any], m: dict[str, Any], s: dict[str, Any]) -> None:
        c["carriers"]["raw_coal"]["unit"] = "tce"

    _fails(coal_equivalent, "carriers.yaml", "carriers.raw_coal.unit")


def test_check_factor_keys() -> None:
    def unknown(c: dict[str, Any], m: dict[str, Any], s: dict[str, Any]) -> None:
        s["standard-coal-gb2589-2020.yaml"]["factors"]["unobtainium"] = {
            "value": 1, "unit": "kgce/kg", "source": "x"}

    _fails(unknown, "standard-coal-gb2589-2020.yaml", "factors.unobtainium")


def test_check_factor_units() -> None:
    def per_volume(c: dict[str, Any], m: dict[str, Any], s: dict[str, Any]) -> None:
        s["standard-coal-gb2589-2020.yaml"]["factors"]["diesel"]["unit"] = "kgce/m3"

    _fails(per_volume, "standard-coal-gb2589-2020.yaml", "factors.diesel.unit")


def test_check_grid_entries() -> None:
    def undeclared(c: dict[str, Any], m: dict[str, Any], s: dict[str, Any]) -> None:
        s["co2-grid-mee.yaml"]["grid"][0]["region"] = "火星"

    _fails(undeclared, "co2-grid-mee.yaml", "grid[0].region")


def test_check_if97_lengths() -> None:
    def short(c: dict[str, Any], m: dict[str, Any], s: dict[str, Any]) -> None:
        s["steam-iapws-if97.yaml"]["if97"]["region2"]["residual"]["n"].pop()

    _fails(short, "steam-iapws-if97.yaml", "if97.region2")


def test_check_methods() -> None:
    def wrong_kind(c: dict[str, Any], m: dict[str, Any], s: dict[str, Any]) -> None:
        m["methods"]["hj274-cn"]["fuel_co2"] = "mee-grid"

    _fails(wrong_kind, "methods.yaml", "methods.hj274-cn.fuel_co2")

    def unknown_module(c: dict[str, Any], m: dict[str, Any], s: dict[str, Any]) -> None:
        m["methods"]["hj274-cn"]["module"] = "zero-carbon-2025"

    _fails(unknown_module, "methods.yaml", "methods.hj274-cn.module")


def test_every_check_has_a_test() -> None:
    tested = {name.removeprefix("test_") for name in globals() if name.startswith("test_check_")}
    assert {check.__name__ for check in CHECKS} == tested
