"""A ten-year park for the benchmarks: the seed dataset (examples/wujin-2018) with every 2018
observation repeated for 2009–2017, each year 6 % smaller than the next (growth), the base year
2012's own printed rows kept. Built in memory, deterministic; the printed table stays 2018's.

    from ten_years import ten_year_dataset
    dataset = ten_year_dataset(framework)
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATASET = ROOT / "examples" / "wujin-2018" / "dataset.yaml"
YEARS = range(2009, 2019)
GROWTH = 0.94


def ten_year_dataset(framework: Any) -> Any:
    """The seed's dataset with values in each of 2009–2018 (ten years of data)."""
    from ecopark import load_dataset

    dataset = load_dataset(DATASET, framework)
    changes = {}
    for (item, year), obs in dataset.values.items():
        if year != dataset.year:
            continue
        for earlier in YEARS:
            if earlier == year or (item, earlier) in dataset.values:
                continue
            changes[(item, earlier)] = dataclasses.replace(
                obs, year=earlier, value=_scaled(obs.value, year - earlier), given="", printed="",
                unit_given="")
    return dataset.with_values(changes)


def _scaled(value: object, years_back: int) -> object:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return round(value * GROWTH ** years_back, 4)
