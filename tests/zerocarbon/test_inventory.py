"""The 附件4 inventory: classes, directions, feedstock kept apart, conversion carbon balance,
process products, bunkers listed apart, equal vs equivalent value — and bad input as typed
errors naming the line and what to add, never a silent zero."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ecopark import Dataset
from ecopark.accounting.inventory import load_method
from ecopark.accounting.library import load_library
from ecopark.accounting.zerocarbon import compute
from ecopark.core.dataset.inventory import InventoryResult, InventoryYear
from ecopark.core.errors import DatasetError, MissingCoefficient
from ecopark.core.evaluate import Evaluation

from .conftest import inventory, setting

EV_2022 = 300.7e-6  # tce/kWh, cec-supply-coal-rate 2022 (the latest ≤ 2027)


def _run(lines: dict[str, Any], params: dict[str, Any] | None = None) -> InventoryResult:
    method = load_method("zero-carbon-park-2025")
    return compute(method, load_library(), 2027, InventoryYear.model_validate(lines),
                   params or {}, "test.yaml")


def test_fossil_power_and_heat_factors_are_the_cited_ones() -> None:
    result = _run({"electricity": [{"class": "grid", "amount": 1, "unit": "kWh"}],
                   "heat": [{"kind": "fossil", "amount": 1, "unit": "GJ"}]})
    assert result.quantities["e_elec"] == pytest.approx(0.8325e-3)
    assert result.quantities["e_heat"] == pytest.approx(0.11)
    grid = result.co2.children[0].children[2].children[0].children[0]
    assert "0.8325" in grid.source and "附件4" in grid.source and "v2021-2023" in grid.source


def test_measured_heat_factor_replaces_the_default() -> None:
    result = _run({"heat": [{"kind": "fossil", "amount": 1000, "factor": {
        "value": 0.09, "unit": "t/GJ", "source": "热电厂实测"}}]})
    assert result.quantities["e_heat"] == pytest.approx(90.0)


def test_net_electricity_exporter_gets_a_negative_e_elec_and_a_warning(
        assess: Callable[..., Evaluation]) -> None:
    def exporter(data: dict[str, Any]) -> None:
        inventory(data)["electricity"].append(
            {"class": "grid", "direction": "sent", "amount": 200000, "unit": "MWh"})

    ev = assess(exporter)
    result = ev.dataset.inventory[2027]
    assert result.quantities["e_elec"] == pytest.approx((50000 - 200000) * 1e3 * 0.8325e-3)
    assert result.quantities["e_park"] == pytest.approx(40000 - 124875 + 22000)
    assert any("net exporter" in en for _, en in ev.result(1).warnings)


def test_chemical_park_keeps_feedstock_out_of_e_fuel_but_in_the_energy() -> None:
    result = _run({
        "fuels": [
            {"fuel": "raw_coal", "use": "feedstock", "amount": 100000, "unit": "t"},
            {"fuel": "natural_gas", "use": "final_consumption", "amount": 1000000, "unit": "m3"}],
        "process": [
            {"product": "ammonia", "amount": 300000, "mass_balance": {
                "carbon_in": 50000, "carbon_out": 20000, "source": "企业碳平衡表（虚构）"}},
            {"product": "methanol", "amount": 100000, "factor": {
                "value": 2.5, "unit": "t/t", "source": "企业实测（虚构）"}}],
        "conversion": [{"process": "炼焦", "inputs": [{"fuel": "raw_coal", "amount": 1000}],
                        "outputs": [{"fuel": "coke", "amount": 700}]}],
    })
    q = result.quantities
    gas = 0.038931 * 0.0153 * 0.99 * 44 / 12 * 1e6  # t CO2 of 10⁶ m3, guideline defaults
    assert q["e_fuel"] == pytest.approx(gas)  # the coal feedstock is not in E_fuel
    assert q["e_process"] == pytest.approx(30000 * 44 / 12 + 250000)
    coal_c, coke_c = 20.908 * 0.02618 * 44 / 12, 28.435 * 0.0295 * 44 / 12  # 100 % oxidation
    assert q["e_conversion"] == pytest.approx(1000 * coal_c - 700 * coke_c)
    coal_tce = 100000 * 0.7143 + 1000 * 0.7143 - 700 * 0.9714
    assert q["energy_equal_value"] == pytest.approx(coal_tce + 1e6 * 1.2143e-3)
    assert q["e_park"] == pytest.approx(q["e_fuel"] + q["e_conversion"] + q["e_process"])
    kept = [line for line in result.co2.children if line.key == "feedstock"]
    assert kept and kept[0].children[0].value == 0.0 and "E_fuel" in kept[0].children[0].source


def test_bunker_fuel_is_kept_in_the_total_and_listed_apart() -> None:
    result = _run({"fuels": [{"fuel": "fuel_oil", "use": "bunker_international",
                              "amount": 100, "unit": "t"}]})
    assert result.quantities["e_fuel"] > 0
    assert result.quantities["e_bunker"] == pytest.approx(result.quantities["e_fuel"])
    assert len(result.memo) == 1 and result.quantities["energy_equal_value"] > 0


def test_equal_and_equivalent_value(assess: Callable[..., Evaluation]) -> None:
    ev = assess()
    q = ev.dataset.inventory[2027].quantities
    kwh = 400000e3
    assert q["energy_equal_value"] - q["energy_equivalent"] == pytest.approx(
        kwh * (EV_2022 - 0.1229e-3))
    equivalent = {c.id: c.value for c in ev.result(1).companions}["co2_per_energy_equivalent"]
    assert equivalent == pytest.approx(103625 / (600000 - kwh * (EV_2022 - 0.1229e-3)))
    assert round(equivalent, 4) == 0.1959
    assert any("2022 used" in en for _, en in ev.result(1).warnings)  # no 2027 coefficient


def test_equal_value_coefficient_is_a_setting(assess: Callable[..., Evaluation]) -> None:
    ev = assess(setting("equal_value_override", 0.30))
    assert ev.dataset.values[("electricity_equal_value_factor", 2027)].value == 0.30
    assert not any("used" in en for _, en in ev.result(1).warnings)
    year = assess(setting("equal_value_year", 2020)).dataset
    assert year.values[("electricity_equal_value_factor", 2027)].value == pytest.approx(0.3055)


def test_direct_share_below_half_is_warned_with_its_denominator(
        assess: Callable[..., Evaluation]) -> None:
    def mostly_grid(data: dict[str, Any]) -> None:
        inventory(data)["electricity"][0]["amount"] = 400000

    warnings = assess(mostly_grid).result(1).warnings
    found = [en for _, en in warnings if "below 50 %" in en]
    assert found and "all electricity received by the park 750,000,000 kWh" in found[0]
    assert "40.0%" in found[0]  # 300 000 / 750 000
    net = assess(mostly_grid, setting("green_share_denominator", "net")).result(1).warnings
    assert any("net electricity received" in en for _, en in net)


# ------------------------------------------------------------------ bad input


def test_unknown_electricity_class_names_the_line(build: Callable[..., Dataset]) -> None:
    def bad(data: dict[str, Any]) -> None:
        inventory(data)["electricity"][1]["class"] = "direct_nonfosil"

    with pytest.raises(DatasetError) as caught:
        build(bad)
    assert caught.value.key_path == "inventory.2027.electricity[1].class"
    assert "direct_nonfossil" in caught.value.hint


def test_direction_not_allowed_for_the_class() -> None:
    with pytest.raises(DatasetError, match="green_certified"):
        _run({"electricity": [{"class": "green_certified", "direction": "sent", "amount": 1}]})


def test_fuel_without_a_factor_names_the_fuel_and_the_file() -> None:
    with pytest.raises(DatasetError) as caught:
        _run({"fuels": [{"fuel": "coke_oven_gas", "amount": 1000, "unit": "m3"}]})
    assert caught.value.key_path == "inventory.2027.fuels[0].fuel"
    assert "coal_factor" in caught.value.hint


def test_other_fuel_with_measured_factors_is_accepted() -> None:
    result = _run({"fuels": [{"fuel": "coke_oven_gas", "amount": 1000, "unit": "m3",
                              "factor": {"value": 0.8, "unit": "kg/m3", "source": "实测"},
                              "coal_factor": {"value": 0.6, "unit": "kgce/m3", "source": "实测"}}]})
    assert result.quantities["e_fuel"] == pytest.approx(0.8)
    assert result.quantities["energy_equal_value"] == pytest.approx(0.6)


def test_process_product_without_factor_or_mass_balance_is_an_error() -> None:
    with pytest.raises(MissingCoefficient) as caught:
        _run({"process": [{"product": "合成氨", "amount": 1000}]})
    assert "ammonia" in caught.value.coefficient
    assert "mass_balance" in caught.value.hint and "inventory.2027.process[0]" in caught.value.hint
    assert caught.value.file.endswith("method-zero-carbon-park-2025.yaml")


def test_process_product_factor_is_cited() -> None:
    result = _run({"process": [{"product": "clinker", "amount": 1000}]})
    line = result.co2.children[1].children[0]
    assert line.value == pytest.approx(520) and "IPCC" in line.source and "uncertain" in line.source


def test_unknown_product_suggests_the_near_one() -> None:
    with pytest.raises(DatasetError) as caught:
        _run({"process": [{"product": "clinkr", "amount": 1}]})
    assert "clinker" in caught.value.hint


def test_computed_item_cannot_be_observed(build: Callable[..., Dataset]) -> None:
    def observed(data: dict[str, Any]) -> None:
        data["observations"]["co2_park"] = {"unit": "t", "values": {2027: 1}}

    with pytest.raises(DatasetError, match="computed from the inventory"):
        build(observed)


def test_missing_equal_value_year_names_its_file() -> None:
    with pytest.raises(MissingCoefficient) as caught:
        _run({}, {"equal_value_year": 2010})
    assert caught.value.file.endswith("electricity-equal-value-cec.yaml")
