"""A second, tiny framework (tests/data/tiny) runs through the same engine, no code changes."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from ecopark import Status, VerdictStatus, evaluate, load_dataset, load_framework, verify
from ecopark.cli import app

from .conftest import TINY


def test_tiny_framework_evaluates_with_its_own_profile_field_and_verdict_rule() -> None:
    framework = load_framework(TINY / "framework.yaml")
    dataset = load_dataset(TINY / "dataset.yaml", framework)
    evaluation = evaluate(framework, dataset)
    first, second = evaluation.results
    # water 0.6 万m3 = 6000 m3; output 0.1 亿元 = 1000 万元 → 6.0 m3/万元; dry climate: ≤ 5
    assert (first.value, first.status, first.rule) == (6.0, Status.NOT_MET, "<= 5")
    # 1000 万元 / 250 人 = 4.0 万元/人 < 5
    assert (second.value, second.status) == (4.0, Status.NOT_MET)
    assert evaluation.verdict.status is VerdictStatus.FAILED
    kinds = [(r.kind, r.numbers) for r in evaluation.verdict.reasons]
    assert kinds == [("mandatory_not_met", (1,)), ("group_not_met", (2,))]
    assert verify(evaluation).findings == ()  # printed "6.0" and "4" agree


def test_tiny_framework_through_the_cli() -> None:
    result = CliRunner().invoke(app, ["assess", str(TINY / "dataset.yaml"), "--framework",
                                      str(TINY / "framework.yaml"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["framework"] == "tiny-water"
    assert [i["value"] for i in data["indicators"]] == [6.0, 4.0]
