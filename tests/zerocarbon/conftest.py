"""Fixtures of the zero-carbon park tests: the framework, and a dataset builder around the
spec's worked case (invented inputs; spec/zero-carbon-park-2025.md)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ecopark import Dataset, Framework, evaluate, load_framework
from ecopark.core.dataset.loading import build_dataset
from ecopark.core.dataset.schema import DatasetFile
from ecopark.core.evaluate import Evaluation

from ..dbfixtures import db_url, store

__all__ = ["db_url", "store"]  # store fixtures, for the roll-up into a stored park

ROOT = Path(__file__).resolve().parent.parent.parent
DEMO = ROOT / "examples" / "zero-carbon-demo" / "dataset.yaml"
FRAMEWORK = "zero-carbon-park-2025"


def worked_case() -> dict[str, Any]:
    """The spec's worked case: 600 000 tce, E_fuel 40 000 t, grid 50 000 MWh, direct PV
    300 000 MWh, certificates 50 000 MWh, fossil heat 200 000 GJ (invented)."""
    return {
        "format": "ecopark-dataset/1",
        "framework": FRAMEWORK,
        "park": {"name": "算例园区", "base_year": 2025, "park_scope": "sub_area"},
        "year": 2027,
        "observations": {"energy_consumption_ev": {"unit": "tce", "values": {2027: 600000}}},
        "inventory": {2027: {
            "electricity": [
                {"class": "grid", "amount": 50000, "unit": "MWh"},
                {"class": "direct_nonfossil", "amount": 300000, "unit": "MWh"},
                {"class": "green_certified", "amount": 50000, "unit": "MWh"}],
            "heat": [{"kind": "fossil", "amount": 200000, "unit": "GJ"}],
            "fuels": [{"fuel": "natural_gas", "amount": 2000, "unit": "万m3",
                       "factor": {"value": 2.0, "unit": "kg/m3", "source": "invented"}}],
        }},
    }


Change = Callable[[dict[str, Any]], None]


@pytest.fixture(scope="session")
def zc() -> Framework:
    return load_framework(FRAMEWORK)


@pytest.fixture
def build(zc: Framework) -> Callable[..., Dataset]:
    def make(*changes: Change, framework: Framework | None = None) -> Dataset:
        data = copy.deepcopy(worked_case())
        for change in changes:
            change(data)
        return build_dataset(DatasetFile.model_validate(data), framework or zc, "test.yaml")

    return make


@pytest.fixture
def assess(zc: Framework, build: Callable[..., Dataset]) -> Callable[..., Evaluation]:
    def run(*changes: Change) -> Evaluation:
        return evaluate(zc, build(*changes))

    return run


def inventory(data: dict[str, Any], year: int = 2027) -> dict[str, Any]:
    found: dict[str, Any] = data["inventory"][year]
    return found


def energy(value: float, year: int = 2027) -> Change:
    def change(data: dict[str, Any]) -> None:
        data["observations"]["energy_consumption_ev"]["values"][year] = value

    return change


def setting(name: str, value: Any) -> Change:
    def change(data: dict[str, Any]) -> None:
        data.setdefault("settings", {})[name] = value

    return change
