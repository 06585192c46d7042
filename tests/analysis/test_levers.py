"""Which inputs the report may propose as measures: the items only under a division (or the
second argument of an elasticity) of each HJ 274-2015 indicator, and the items marked as the
park's size."""

from __future__ import annotations

from ecopark import Framework
from ecopark.analysis.levers import denominator_only


def test_denominators_of_the_hj274_indicators(hj274: Framework) -> None:
    found = {i.number: sorted(denominator_only(hj274, i)) for i in hj274.indicators}
    assert {n: found[n] for n in (1, 3, 6, 12, 15, 21, 25, 26, 29)} == {
        1: ["gross_output"], 3: [], 6: ["swaste_generated", "swaste_stock_utilized"],
        12: ["energy"], 15: ["fresh_water"],  # water reused is on both sides: a lever
        21: ["key_ent_audit_required"], 25: ["iva"], 26: ["iva"], 29: []}


def test_the_parks_size_is_never_a_lever(hj274: Framework) -> None:
    assert sorted(k for k, item in hj274.spec.items.items() if not item.lever) == [
        "employees", "gross_output", "industrial_land", "iva", "key_ent_audit_required",
        "key_ent_disclosure_required"]
