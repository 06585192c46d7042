"""Shared fixtures: the shipped framework and the seed park, loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecopark import Dataset, Evaluation, Framework, evaluate, load_dataset, load_framework

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "wujin-2018" / "dataset.yaml"
TINY = Path(__file__).resolve().parent / "data" / "tiny"


@pytest.fixture(scope="session")
def hj274() -> Framework:
    return load_framework("hj274-2015")


@pytest.fixture(scope="session")
def seed(hj274: Framework) -> Dataset:
    return load_dataset(SEED, hj274)


@pytest.fixture(scope="session")
def seed_eval(hj274: Framework, seed: Dataset) -> Evaluation:
    return evaluate(hj274, seed)
