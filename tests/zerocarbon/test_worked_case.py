"""The spec's worked case, exactly: 0.1727 met; with 100 000 MWh of grid power 0.2421 not met
and 25 250 t to cut at constant energy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ecopark import Status, VerdictStatus, evaluate, load_dataset
from ecopark.analysis.gap import gaps
from ecopark.core.evaluate import Evaluation

from .conftest import DEMO, inventory


def _more_grid(data: dict[str, Any]) -> None:
    inventory(data)["electricity"][0]["amount"] = 100000


def test_worked_case_core_indicator_is_met(assess: Callable[..., Evaluation]) -> None:
    ev = assess()
    first = ev.result(1)
    assert ev.dataset.values[("co2_park", 2027)].value == 103625
    assert first.value == pytest.approx(103625 / 600000)
    assert round(first.value, 4) == 0.1727
    assert (first.status, first.rule) == (Status.MET, "<= 0.2")
    assert ev.verdict.status is VerdictStatus.INCOMPLETE  # no gate answered in this fixture


def test_direct_supply_share_is_75_percent(assess: Callable[..., Evaluation]) -> None:
    companions = {c.id: c.value for c in assess().result(1).companions}
    assert companions["direct_green_share"] == pytest.approx(75.0)


def test_more_grid_power_fails_and_the_cut_is_25250_t(assess: Callable[..., Evaluation]) -> None:
    ev = assess(_more_grid)
    first = ev.result(1)
    assert ev.dataset.values[("co2_park", 2027)].value == 145250
    assert round(first.value, 4) == 0.2421
    assert first.status is Status.NOT_MET
    gap = next(g for g in gaps(ev) if g.number == 1)
    cut = next(c for c in gap.inputs if c.item == "co2_park")
    assert cut.method == "exact" and cut.direction == "at_most"
    assert cut.required == pytest.approx(120000)
    assert cut.current - cut.required == pytest.approx(25250)


def test_example_dataset_reproduces_the_worked_case() -> None:
    dataset = load_dataset(DEMO)
    ev = evaluate(__import__("ecopark").load_framework(dataset.framework_id), dataset)
    assert round(ev.result(1).value, 4) == 0.1727
    assert ev.verdict.status is VerdictStatus.PASSED
    assert [(g.number, g.status) for g in ev.verdict.guidance] == [
        (2, Status.NOT_MET), (3, Status.MET), (4, Status.MET), (5, Status.EXEMPTED),
        (6, Status.MET)]
