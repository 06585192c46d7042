"""Gap solver on the seed park: exact answers checked by hand, and by re-evaluation."""

from __future__ import annotations

import pytest

from ecopark import Evaluation, Status
from ecopark.analysis.gap import gaps, verdict_sensitivity


def _changes(seed_eval: Evaluation, number: int) -> dict[tuple[str, int], tuple[float, str, str]]:
    gap = next(g for g in gaps(seed_eval) if g.number == number)
    return {(c.item, c.year): (c.required or 0.0, c.direction, c.method) for c in gap.inputs}


def test_gaps_list_unmet_and_near_indicators(seed_eval: Evaluation) -> None:
    # 3 and 26 are not met; 15 (80.23 vs ≥ 75) is within 10 %; 100 % rates at 100 are not listed
    assert [(g.number, g.status) for g in gaps(seed_eval)] == [
        (3, Status.NOT_MET), (15, Status.MET), (26, Status.NOT_MET)]


def test_indicator_26_co2_and_iva_needed(seed_eval: Evaluation) -> None:
    changes = _changes(seed_eval, 26)
    # need 1 − (I18 / I12) ** (1/6) ≥ 3 % → I18 ≤ (37968 / 192300) · 0.97⁶ = 0.1644623 t/万元
    limit = 37968 / 192300 * 0.97**6
    assert changes[("co2", 2018)] == (pytest.approx(limit * 496758.52, rel=1e-9), "at_most",
                                      "exact")
    assert changes[("co2", 2018)][0] == pytest.approx(81698.516, abs=1e-3)
    assert changes[("iva", 2018)] == (pytest.approx(135509.97 / limit, rel=1e-9), "at_least",
                                      "exact")
    assert changes[("co2", 2012)][1:] == ("at_least", "exact")
    assert changes[("iva", 2012)][1:] == ("at_most", "exact")


def test_indicator_3_iva_needed(seed_eval: Evaluation) -> None:
    changes = _changes(seed_eval, 3)
    # (IVA18 / IVA15) ** (1/3) − 1 ≥ 15 % → IVA18 ≥ 412800 · 1.15³ = 627 817.2
    assert changes[("iva", 2018)] == (pytest.approx(412800 * 1.15**3, rel=1e-12), "at_least",
                                      "exact")
    assert changes[("iva", 2015)][0] == pytest.approx(496758.52 / 1.15**3, rel=1e-12)


def test_input_read_twice_falls_back_to_bisection(seed_eval: Evaluation) -> None:
    # 15 = reuse / (fresh + reuse) reads water_reuse twice; boundary 75 % → reuse = 3 · 77.94
    changes = _changes(seed_eval, 15)
    required, direction, method = changes[("water_reuse", 2018)]
    assert method == "bisection" and direction == "at_least"
    assert required == pytest.approx(3 * 77.94, rel=1e-9)
    assert changes[("fresh_water", 2018)] == (pytest.approx(316.3 / 3, rel=1e-12), "at_most",
                                              "exact")


def test_verdict_sensitivity_names_the_smallest_change_first(seed_eval: Evaluation) -> None:
    ranked = verdict_sensitivity(seed_eval)
    assert {number for number, _ in ranked} == {26}
    first = ranked[0][1]
    assert first.relative == pytest.approx(0.97**6 * (37968 / 192300) * 496758.52 / 135509.97 - 1,
                                           rel=1e-9)
    assert all(change.flips_verdict for _, change in ranked)
