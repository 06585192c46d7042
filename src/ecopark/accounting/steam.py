"""Steam: its heat from pressure and temperature (IAPWS-IF97 regions 2 and 4), or its enthalpy.

The heat a tonne of steam brings is counted from feed water at 20 °C, as the Chinese accounting
guideline does: q = h(p, T) − 83.74 kJ/kg (both numbers from steam-iapws-if97.yaml). The same
heat converts to tce (÷ 29 307.6 kJ/kgce) and to CO2 (× the heat factor), so energy and carbon
agree. Without pressure/temperature or enthalpy, the cited standard-coal default is used.
"""

from __future__ import annotations

import dataclasses
import math

from ecopark.accounting.coefficients import IF97

__all__ = ["SteamState", "enthalpy", "heat_per_tonne", "saturation_temperature"]

KJ_PER_TCE = 29_307_600.0  # 1 kgce = 29 307.6 kJ (GB/T 2589-2020)
_T_STAR = 540.0  # K, region 2 reducing temperature (IAPWS-IF97)
_KELVIN = 273.15


@dataclasses.dataclass(frozen=True)
class SteamState:
    """What a roster row says about its steam: absolute pressure (MPa) and temperature (°C),
    or the specific enthalpy (kJ/kg) directly."""

    pressure: float | None = None
    temperature: float | None = None
    enthalpy: float | None = None

    @property
    def known(self) -> bool:
        return self.enthalpy is not None or self.pressure is not None


class SteamStateError(ValueError):
    """A state outside what ecopark accepts; `problem` is zh-CN then English."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def saturation_temperature(pressure: float, if97: IF97) -> float:
    """Tsat in K for an absolute pressure in MPa (IF97 region 4, backward equation)."""
    n = if97.region4.n
    beta = pressure ** 0.25
    e = beta ** 2 + n[2] * beta + n[5]
    f = n[0] * beta ** 2 + n[3] * beta + n[6]
    g = n[1] * beta ** 2 + n[4] * beta + n[7]
    d = 2 * g / (-f - math.sqrt(f * f - 4 * e * g))
    kelvin: float = (n[9] + d - math.sqrt((n[9] + d) ** 2 - 4 * (n[8] + n[9] * d))) / 2
    return kelvin


def _region2_h(pressure: float, kelvin: float, if97: IF97) -> float:
    """Specific enthalpy (kJ/kg) in region 2: h = R T τ (γ°τ + γrτ)."""
    tau, pi = _T_STAR / kelvin, pressure
    ideal, residual = if97.region2.ideal, if97.region2.residual
    g0 = sum(n * j * tau ** (j - 1) for j, n in zip(ideal.J, ideal.n, strict=True))
    gr = sum(n * pi ** i * j * (tau - 0.5) ** (j - 1)
             for i, j, n in zip(residual.I, residual.J, residual.n, strict=True))
    return if97.R * kelvin * tau * (g0 + gr)


def enthalpy(pressure: float, temperature: float | None, if97: IF97) -> float:
    """h (kJ/kg) of steam at an absolute pressure (MPa) and a temperature (°C); saturated
    steam when the temperature is not given. Raise SteamStateError outside region 2."""
    limits = if97.limits
    if not 0 < pressure <= limits.pressure_max:
        raise SteamStateError(f"蒸汽压力须在 0–{limits.pressure_max:g} MPa（绝对压力）之间 steam "
                              f"pressure must be within 0–{limits.pressure_max:g} MPa absolute")
    tsat = saturation_temperature(pressure, if97)
    kelvin = tsat if temperature is None else temperature + _KELVIN
    if kelvin < tsat - 0.5:
        raise SteamStateError(f"{temperature:g} ℃ 低于 {pressure:g} MPa 下的饱和温度 "
                              f"{tsat - _KELVIN:.1f} ℃，不是蒸汽（或压力填成了表压）below the "
                              f"saturation temperature: not steam (or a gauge pressure)")
    if kelvin - _KELVIN > limits.temperature_max:
        raise SteamStateError(f"蒸汽温度超过 {limits.temperature_max:g} ℃ steam temperature above "
                              f"{limits.temperature_max:g} °C")
    return _region2_h(pressure, max(kelvin, tsat), if97)


def heat_per_tonne(state: SteamState, if97: IF97) -> tuple[float, str]:
    """GJ of heat per tonne of steam (counted from feed water at 20 °C), and how it was found."""
    reference = if97.reference_enthalpy.value
    if state.enthalpy is not None:
        h, how = state.enthalpy, f"焓值 {state.enthalpy:g} kJ/kg"
    elif state.pressure is not None:
        h = enthalpy(state.pressure, state.temperature, if97)
        temp = "饱和" if state.temperature is None else f"{state.temperature:g} ℃"
        how = f"IAPWS-IF97 {state.pressure:g} MPa {temp} → h = {h:.1f} kJ/kg"
    else:
        raise SteamStateError("缺少蒸汽压力/温度或焓值 steam needs pressure and temperature, "
                              "or its enthalpy")
    if h <= reference:
        raise SteamStateError(f"焓值 {h:g} kJ/kg 不高于 {reference:g} kJ/kg the enthalpy is not "
                              f"above the 20 °C water reference")
    return (h - reference) / 1000.0, f"{how}，热量按 (h − {reference:g}) 计"
