"""综合能耗 and CO2 for a small enterprise set, computed by hand in the comments.

Coefficients: GB/T 2589-2020 (equivalent value), the Chinese guideline's fuel defaults, heat
0.11 t/GJ, and ONE grid factor: national 2022, 0.5366 kg/kWh."""

from __future__ import annotations

import pytest

from ecopark.accounting.carbon import carbon
from ecopark.accounting.coefficients import Library
from ecopark.accounting.energy import Use, energy
from ecopark.accounting.factors import Resolved, Settings, resolve
from ecopark.accounting.steam import SteamState, SteamStateError, enthalpy, saturation_temperature

GRID_2022 = Settings(grid_year=2022)

# 甲: a plant burning coal that buys grid power and passes some of its own power on
JIA = Use({"raw_coal": 1000, "electricity": 2_000_000, "electricity_out": 500_000})
# 乙: gas, diesel, purchased heat, documented green power and self-used PV
YI = Use({"natural_gas": 100_000, "diesel": 10, "heat": 1000, "green_power": 100_000,
          "self_renewable_power": 50_000})
# 丙: 1 000 t of saturated steam at 1.0 MPa (absolute)
BING = Use({"steam": 1000}, SteamState(pressure=1.0))


def _resolved(library: Library, use: Use, settings: Settings = GRID_2022) -> Resolved:
    return resolve(library, settings, use.amounts)


def test_jia_energy_deducts_power_passed_on(library: Library) -> None:
    result = energy(JIA, _resolved(library, JIA))
    # coal 1 000 t × 0.7143 tce/t = 714.3; power 2 000 000 kWh × 0.1229 kgce/kWh = 245.8 tce;
    # power passed on 500 000 kWh × 0.1229 = 61.45 tce, deducted: 714.3 + 245.8 − 61.45 = 898.65
    assert result.total == pytest.approx(898.65)
    assert result.by_carrier["electricity_out"] == pytest.approx(-61.45)
    assert result.renewable == 0


def test_jia_carbon_direct_and_indirect(library: Library) -> None:
    result = carbon(JIA, _resolved(library, JIA))
    # coal: 1 000 t × 20.908 GJ/t = 20 908 GJ × 26.18 t C/TJ = 547.37144 t C × 0.93 = 509.0554 t C
    #       × 44/12 = 1 866.5366 t CO2
    assert result.combustion == pytest.approx(20908 * 0.02618 * 0.93 * 44 / 12)
    assert result.combustion == pytest.approx(1866.5366, abs=1e-3)
    # power: (2 000 000 − 500 000) kWh × 0.5366 kg/kWh = 804 900 kg = 804.9 t
    assert result.electricity == pytest.approx(804.9)
    assert (result.direct, result.indirect) == (pytest.approx(1866.5366, abs=1e-3),
                                               pytest.approx(804.9))
    assert result.total == pytest.approx(1866.5366 + 804.9, abs=1e-3)


def test_yi_energy_and_renewables(library: Library) -> None:
    result = energy(YI, _resolved(library, YI))
    # gas 100 000 m³ × 1.2143 kgce/m³ = 121.43; diesel 10 t × 1.4571 = 14.571;
    # heat 1 000 GJ × 0.03412 = 34.12; green 100 000 kWh × 0.1229 kgce = 12.29; PV 50 000 → 6.145
    # total = 121.43 + 14.571 + 34.12 + 12.29 + 6.145 = 188.556; renewable = 12.29 + 6.145 = 18.435
    assert result.total == pytest.approx(188.556)
    assert result.renewable == pytest.approx(18.435)


def test_yi_carbon(library: Library) -> None:
    result = carbon(YI, _resolved(library, YI))
    # gas: 10 × 389.31 GJ = 3 893.1 GJ × 15.3 t C/TJ = 59.56443 t C × 0.99 × 44/12 = 216.2189 t
    # diesel: 10 t × 42.652 GJ/t = 426.52 GJ × 20.2 t C/TJ = 8.615704 × 0.98 × 44/12 = 30.9591 t
    assert result.combustion == pytest.approx(216.2189 + 30.9591, abs=1e-3)
    # heat 1 000 GJ × 0.11 = 110 t; green power counted at the grid factor (method hj274-cn):
    # 100 000 kWh × 0.5366 kg = 53.66 t; self-used PV: 0
    assert result.heat == pytest.approx(110.0)
    assert result.electricity == pytest.approx(53.66)
    assert result.by_carrier["self_renewable_power"] == 0


def test_bing_steam_by_enthalpy(library: Library) -> None:
    resolved = _resolved(library, BING)
    # IF97: saturated steam at 1.0 MPa, h = 2 777.12 kJ/kg; heat from 20 °C water:
    # 2 777.12 − 83.74 = 2 693.38 kJ/kg → 1 000 t × 2.69338 GJ/t = 2 693.38 GJ
    # tce = 2 693.38 GJ ÷ 29.3076 GJ/tce = 91.900; CO2 = 2 693.38 × 0.11 = 296.27 t
    assert energy(BING, resolved).total == pytest.approx(2693.38 / 29.3076, abs=1e-3)
    assert carbon(BING, resolved).heat == pytest.approx(296.272, abs=1e-3)


def test_steam_without_state_uses_the_cited_default(library: Library) -> None:
    use = Use({"steam": 1000})
    resolved = _resolved(library, use)
    # GB/T 2589-2008 低压蒸汽 0.1286 kgce/kg → 1 000 t × 0.1286 = 128.6 tce
    assert energy(use, resolved).total == pytest.approx(128.6)


def test_the_set_totals(library: Library) -> None:
    uses = [JIA, YI, BING]
    total = sum(energy(u, _resolved(library, u)).total for u in uses)
    # 898.65 + 188.556 + 91.900 = 1 179.106 tce
    assert total == pytest.approx(898.65 + 188.556 + 2693.38 / 29.3076, abs=1e-3)


def test_equal_value_electricity(library: Library) -> None:
    use = Use({"electricity": 1_000_000})
    resolved = resolve(library, Settings(electricity="equal_value", equal_value_year=2022),
                       use.amounts)
    # 1 000 000 kWh × 300.7 gce/kWh = 300.7 tce (vs 122.9 tce at the equivalent value)
    assert energy(use, resolved).total == pytest.approx(300.7)


def test_green_power_zero_is_a_method_setting(library: Library) -> None:
    import dataclasses

    method = library.methods["hj274-cn"].model_copy(update={"green_power": "zero"})
    zero = dataclasses.replace(library, methods={**library.methods, "green-zero": method})
    use = Use({"green_power": 100_000, "electricity": 100_000})
    result = carbon(use, resolve(zero, Settings(method="green-zero", grid_year=2022), use.amounts))
    # green power 0; grid power 100 000 kWh × 0.5366 kg = 53.66 t
    assert result.by_carrier["green_power"] == 0 and result.total == pytest.approx(53.66)


# ------------------------------------------------------------------ IAPWS-IF97


@pytest.mark.parametrize(("pressure", "kelvin", "h"), [
    (0.0035, 300.0, 0.254991145e4),  # IF97 Table 15, region 2 verification values
    (0.0035, 700.0, 0.333568375e4),
    (30.0, 700.0, 0.263149474e4),
])
def test_if97_region2_verification_values(library: Library, pressure: float, kelvin: float,
                                          h: float) -> None:
    from ecopark.accounting.steam import _region2_h

    if97 = library.sets["iapws-if97"].spec.if97
    assert if97 is not None
    assert _region2_h(pressure, kelvin, if97) == pytest.approx(h, rel=1e-8)


def test_if97_saturation_temperature(library: Library) -> None:
    if97 = library.sets["iapws-if97"].spec.if97
    assert if97 is not None
    # IF97 Table 35: Tsat(0.1 MPa) = 372.755919 K, Tsat(1 MPa) = 453.035632 K
    assert saturation_temperature(0.1, if97) == pytest.approx(372.755919, abs=1e-6)
    assert saturation_temperature(1.0, if97) == pytest.approx(453.035632, abs=1e-6)


def test_liquid_water_is_not_steam(library: Library) -> None:
    if97 = library.sets["iapws-if97"].spec.if97
    assert if97 is not None
    with pytest.raises(SteamStateError, match="饱和温度"):
        enthalpy(1.0, 150.0, if97)  # Tsat(1 MPa) = 179.9 °C
