"""The annual-energy band sets the threshold: none below 200 000 tce unless the user sets one,
0.2 from 200 000, 0.3 from exactly 1 000 000 (a setting), and a warning when the band of the
base year differs."""

from __future__ import annotations

from collections.abc import Callable

from ecopark import Status
from ecopark.core.evaluate import Evaluation

from .conftest import energy, setting


def test_150000_tce_has_no_threshold(assess: Callable[..., Evaluation]) -> None:
    first = assess(energy(150000)).result(1)
    assert first.status is Status.NOT_EVALUABLE and first.rule == ""
    assert "no national threshold" in first.reason_en
    assert first.value is not None  # the intensity is still computed and shown


def test_below_band_threshold_only_when_the_user_sets_one(
        assess: Callable[..., Evaluation]) -> None:
    first = assess(energy(150000), setting("limit_below_band", 0.8)).result(1)
    assert (first.status, first.rule) == (Status.MET, "<= limit_below_band")
    strict = assess(energy(150000), setting("limit_below_band", 0.2)).result(1)
    assert strict.status is Status.NOT_MET  # 103 625 / 150 000 = 0.69


def test_exactly_200000_tce_is_in_the_02_band(assess: Callable[..., Evaluation]) -> None:
    assert assess(energy(200000)).result(1).rule == "<= 0.2"


def test_exactly_1000000_tce_is_in_the_03_band(assess: Callable[..., Evaluation]) -> None:
    assert assess(energy(1000000)).result(1).rule == "<= 0.3"
    assert assess(energy(999999)).result(1).rule == "<= 0.2"


def test_band_edge_setting_moves_exactly_1000000(assess: Callable[..., Evaluation]) -> None:
    first = assess(energy(1000000), setting("band_edge_100", "lower")).result(1)
    assert first.rule == "<= 0.2"


def test_band_year_setting_uses_the_base_year(assess: Callable[..., Evaluation]) -> None:
    base_small = energy(150000, 2025)
    assert assess(base_small).result(1).rule == "<= 0.2"  # default: the evaluated year
    first = assess(base_small, setting("band_year", "base")).result(1)
    assert first.status is Status.NOT_EVALUABLE  # the base year is below 200 000 tce


def test_band_change_is_warned(assess: Callable[..., Evaluation]) -> None:
    warnings = assess(energy(150000, 2025)).result(1).warnings
    assert any("different energy bands" in en for _, en in warnings)
    assert not any("different energy bands" in en
                   for _, en in assess(energy(500000, 2025)).result(1).warnings)


def test_trace_shows_the_settings_it_used(assess: Callable[..., Evaluation]) -> None:
    trace = assess(energy(1000000)).result(1).trace
    assert trace is not None
    labels: list[str] = []

    def walk(node: object) -> None:
        labels.append(f"{node.label} {node.note or ''}")  # type: ignore[attr-defined]
        for child in node.children:  # type: ignore[attr-defined]
            walk(child)

    walk(trace)
    assert any(label.startswith("band_year") and "默认值" in label for label in labels)
    assert any(label.startswith("band_edge_100") for label in labels)
