"""One use of energy explained carrier by carrier: the rows `ecopark energy` and `ecopark carbon`
print (and their JSON), and park totals by year from a roster."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from ecopark.accounting.carbon import carbon
from ecopark.accounting.coefficients import Library
from ecopark.accounting.energy import Use, energy, steam_tce_per_tonne
from ecopark.accounting.factors import Resolved
from ecopark.accounting.roster import Roster

__all__ = ["by_year", "explain_use"]


def explain_use(use: Use, resolved: Resolved, library: Library, process: float = 0.0) -> dict[str, Any]:
    """Per carrier: amount, factors, tce and CO2 with sources; then the totals."""
    used = energy(use, resolved)
    co2 = carbon(use, resolved, process)
    rows = []
    for key, amount in use.amounts.items():
        carrier, factors = library.carriers[key], resolved.carriers[key]
        tce_source = factors.tce_source
        if key == "steam":
            tce_source = steam_tce_per_tonne(use.steam, resolved)[1]
        rows.append({"carrier": key, "name_zh": carrier.name_zh, "name_en": carrier.name_en,
                     "amount": amount, "unit": carrier.unit, "sign": factors.sign,
                     "tce": used.by_carrier[key], "tce_source": tce_source,
                     "co2": co2.by_carrier[key], "co2_scope": factors.co2_scope,
                     "co2_source": factors.co2_source, "renewable": factors.renewable})
    return {"settings": resolved.describe(), "carriers": rows, "energy_tce": used.total,
            "renewable_tce": used.renewable,
            "co2": {"combustion": co2.combustion, "process": co2.process,
                    "electricity": co2.electricity, "heat": co2.heat, "direct": co2.direct,
                    "indirect": co2.indirect, "total": co2.total}}


def by_year(roster: Roster, computed: list[dict[str, float]]) -> dict[int, dict[str, float]]:
    """Park totals per year: enterprises, energy, renewable energy and the CO2 parts."""
    keys = ("energy_tce", "renewable_tce", "combustion", "process", "electricity", "heat",
            "co2_direct", "co2_indirect", "co2_total")
    parts: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    counts: dict[int, int] = defaultdict(int)
    for record, values in zip(roster.records, computed, strict=True):
        counts[record.year] += 1
        for key in keys:
            if key in values:
                parts[record.year][key].append(values[key])
    return {year: {"enterprises": float(counts[year]),
                   **{k: math.fsum(parts[year][k]) for k in keys}} for year in sorted(counts)}
