"""Providers of derived items: a framework names its inventory method, a provider registered
under that name computes it, and the core calls it through the registry without knowing it.

The small provider here is a real one, not a stand-in: it sums the electricity received and
reports it in MWh, so its value can be checked by hand."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from ecopark import FrameworkError, evaluate, load_dataset, load_framework
from ecopark.accounting.inventory import available_methods
from ecopark.core.dataset.inventory import InventoryResult, InventoryYear, Line
from ecopark.core.framework.providers import provider, provider_names, register_provider

FRAMEWORK = """\
id: tiny-power
version: "1"
name_zh: 微型用电评价
name_en: Tiny power evaluation
source: test
categories:
  - {{id: power, name_zh: 用电, name_en: power}}
items:
  power_mwh: {{name_zh: 受入电量, name_en: power received, unit: MWh, computed: received,
              source: test}}
indicators:
  - number: 1
    id: power
    category: power
    name_zh: 受入电量
    name_en: power received
    unit: MWh
    formula: power_mwh
    mandatory: true
    requirement: {{rule: "<= 100", text_zh: "≤100", text_en: "≤ 100"}}
    source: test
verdict: {{mandatory: all_met, source: test}}
inventory: {{method: {method}}}
"""

DATASET = """\
format: ecopark-dataset/1
framework: tiny-power
park: {name: 测试园区, base_year: 2015}
year: 2018
inventory:
  2018:
    electricity:
      - {class: grid, amount: 30000, unit: kWh}
      - {class: grid, amount: 45, unit: MWh}
      - {class: grid, direction: sent, amount: 5000, unit: kWh}
"""


@dataclasses.dataclass(frozen=True)
class ReceivedPower:
    """Electricity received, in MWh; the lines sent are left out."""

    quantities: Mapping[str, str] = dataclasses.field(default_factory=lambda: {"received": "MWh"})
    parameters: Mapping[str, str] = dataclasses.field(default_factory=dict)

    def compute(self, year: int, lines: InventoryYear, params: Mapping[str, Any],
                file: str) -> InventoryResult:
        mwh = [line.amount / 1000 if line.unit == "kWh" else line.amount
               for line in lines.electricity if line.direction == "received"]
        total = Line("received", "受入电量", "received", sum(mwh), "MWh")
        return InventoryResult("received-power", "1", year, total, total, (), {"received": sum(mwh)},
                               (), {}, "test inventory")


def _framework(tmp_path: Path, method: str) -> Path:
    path = tmp_path / f"{method}.yaml"
    path.write_text(FRAMEWORK.format(method=method), encoding="utf-8")
    return path


def test_the_shipped_methods_are_registered_by_their_id() -> None:
    assert set(available_methods()) <= set(provider_names())
    found = provider("zero-carbon-park-2025")
    assert found is not None and "e_park" in found.quantities


def test_a_framework_computes_its_items_with_the_provider_it_names(tmp_path: Path) -> None:
    register_provider("received-power", ReceivedPower)
    framework = load_framework(_framework(tmp_path, "received-power"))
    path = tmp_path / "dataset.yaml"
    path.write_text(DATASET, encoding="utf-8")
    result = evaluate(framework, load_dataset(path, framework)).result(1)
    assert result.value == 75.0  # 30 MWh + 45 MWh received; the 5 MWh sent is not
    assert result.status.value == "met"


def test_a_framework_naming_no_registered_provider_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FrameworkError) as caught:
        load_framework(_framework(tmp_path, "no-such-method"))
    assert caught.value.key_path == "inventory.method"
    assert "no inventory method 'no-such-method'" in caught.value.problem
    assert "zero-carbon-park-2025" in caught.value.hint
