"""CO2: direct (fuel combustion, plus stated process emissions) and indirect (net purchased
electricity and heat), reported separately and totalled.

    combustion  = Σ fuel × NCV × carbon content × oxidation × 44/12
    electricity = (purchased grid power [+ green power per the method] − power supplied) × Ef
    heat        = (purchased heat + steam heat − heat supplied) × Hf
    direct = combustion + process;  indirect = electricity + heat;  total = direct + indirect

A method names its calculation module (methods.yaml `module`); `MODULES` maps the names to
functions. The HJ 274 methods use `default`; a later method (e.g. the 2025 zero-carbon park
method, 附件4, with the fossil-power factor and green power at zero) registers its own.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from ecopark.accounting.energy import Use
from ecopark.accounting.factors import Resolved
from ecopark.accounting.steam import heat_per_tonne

__all__ = ["MODULES", "CarbonResult", "carbon"]


@dataclasses.dataclass(frozen=True)
class CarbonResult:
    combustion: float
    process: float
    electricity: float
    heat: float
    by_carrier: dict[str, float]

    @property
    def direct(self) -> float:
        return self.combustion + self.process

    @property
    def indirect(self) -> float:
        return self.electricity + self.heat

    @property
    def total(self) -> float:
        return self.direct + self.indirect


def _amount_for_co2(carrier: str, amount: float, use: Use, resolved: Resolved) -> float:
    """The quantity the carrier's CO2 factor multiplies: steam in GJ of heat, else the amount."""
    if carrier != "steam":
        return amount
    if use.steam.known and resolved.steam is not None:
        return amount * heat_per_tonne(use.steam, resolved.steam)[0]
    # no state: the heat implied by the cited standard-coal default (same basis as the energy)
    assert resolved.steam_default_tce is not None
    return amount * resolved.steam_default_tce * 29.3076


def default_module(use: Use, resolved: Resolved, process: float) -> CarbonResult:
    """Combustion + process (direct), net purchased electricity and heat (indirect)."""
    scopes = {"combustion": 0.0, "electricity": 0.0, "heat": 0.0, "none": 0.0}
    by_carrier: dict[str, float] = {}
    for carrier, amount in use.amounts.items():
        factors = resolved.carriers[carrier]
        co2 = factors.sign * _amount_for_co2(carrier, amount, use, resolved) * factors.co2
        by_carrier[carrier] = co2
        scopes[factors.co2_scope] += co2
    return CarbonResult(scopes["combustion"], process, scopes["electricity"], scopes["heat"],
                        by_carrier)


MODULES: dict[str, Callable[[Use, Resolved, float], CarbonResult]] = {"default": default_module}


def carbon(use: Use, resolved: Resolved, process: float = 0.0) -> CarbonResult:
    """CO2 of one use (t) by the method's module; `process` = stated process emissions (t)."""
    return MODULES[resolved.method.module](use, resolved, process)
