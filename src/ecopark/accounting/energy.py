"""综合能耗: comprehensive energy consumption (tce) from consumption by carrier (GB/T 2589).

    综合能耗 = Σ consumed × standard-coal factor − Σ passed on to others × factor

Carriers with `sign: -1` (外供电力, 外供热力) are energy converted and passed on: deducted, so
self-generated power that is sold is not counted twice. Renewable energy used (indicator 12) is
the part of the total from renewable carriers (self-used PV/wind power, documented green power,
renewable heat), at the same coefficients as the total.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from ecopark.accounting.factors import Resolved
from ecopark.accounting.steam import KJ_PER_TCE, SteamState, heat_per_tonne

__all__ = ["EnergyResult", "Use", "energy", "steam_tce_per_tonne"]


@dataclasses.dataclass(frozen=True)
class Use:
    """One enterprise-year's energy use: amounts in each carrier's canonical unit (t, m3, kWh,
    GJ), and the state of its steam if it buys any."""

    amounts: Mapping[str, float]
    steam: SteamState = dataclasses.field(default_factory=SteamState)


@dataclasses.dataclass(frozen=True)
class EnergyResult:
    total: float  # tce
    renewable: float  # tce
    by_carrier: dict[str, float]  # tce, negative for energy passed on
    notes: tuple[str, ...] = ()


def steam_tce_per_tonne(state: SteamState, resolved: Resolved) -> tuple[float, str]:
    """tce per tonne of steam: by its heat when the state is known, else the cited default."""
    if state.known and resolved.steam is not None:
        gj, how = heat_per_tonne(state, resolved.steam)
        return gj * 1e9 / 1e3 / KJ_PER_TCE, how
    assert resolved.steam_default_tce is not None
    return resolved.steam_default_tce, resolved.carriers["steam"].tce_source + "（缺省值 default）"


def energy(use: Use, resolved: Resolved) -> EnergyResult:
    """综合能耗 and renewable energy (tce) of one use; amounts must be ≥ 0."""
    by_carrier: dict[str, float] = {}
    notes: tuple[str, ...] = ()
    renewable = 0.0
    factors_of = resolved.carriers
    for carrier, amount in use.amounts.items():
        factors = factors_of[carrier]
        per_unit = factors.tce
        if carrier == "steam":
            per_unit, how = steam_tce_per_tonne(use.steam, resolved)
            notes = (how,)
        tce = factors.sign * amount * per_unit
        by_carrier[carrier] = tce
        if factors.renewable:
            renewable += tce
    return EnergyResult(sum(by_carrier.values()), renewable, by_carrier, notes)
