"""The commands end to end: assess (one framework and --framework all), explain, carbon on a
dataset, crosswalk, and the generic workbook template for the zero-carbon framework."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ecopark.cli import app

from .conftest import DEMO

ENV = {"COLUMNS": "200", "NO_COLOR": "1"}


def _run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), env=ENV)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_assess_prints_settings_gates_and_the_core_verdict() -> None:
    out = _run("assess", str(DEMO))
    assert "0.1727" in out and "核心指标判定：达到" in out
    assert "band_year" in out and "默认值" in out and "申报条件" in out
    assert "豁免" in out and "0.1959" in out  # exempted 5; intensity at equivalent value


def test_assess_json_carries_settings_inventory_and_guidance() -> None:
    data = json.loads(_run("assess", str(DEMO), "--json"))
    assert data["framework_version"] == "2025-trial"
    assert {s["id"]: s["origin"] for s in data["settings"]}["band_year"] == "default"
    assert data["inventory"]["2027"]["quantities"]["e_park"] == 103625
    assert data["verdict"]["kind"] == "gate_guidance"
    assert [g["status"] for g in data["verdict"]["guidance"]] == [
        "not_met", "met", "met", "exempted", "met"]
    first = data["indicators"][0]
    assert [c["id"] for c in first["companions"]] == ["co2_per_energy_equivalent",
                                                      "direct_green_share"]


def test_assess_all_frameworks_side_by_side() -> None:
    data = json.loads(_run("assess", str(DEMO), "--framework", "all", "--json"))
    assert [f["framework"] for f in data["frameworks"]] == ["zero-carbon-park-2025",
                                                           "hj274-2015"]
    feeds = {row["item"]: row["feeds"] for row in data["crosswalk"]["items"]}
    assert feeds["water_reuse"] == {"zero-carbon-park-2025": [6], "hj274-2015": [15]}
    pairs = {(r["left"]["number"], r["right"]["number"]) for r in data["crosswalk"]["related"]}
    assert {(1, 11), (1, 26), (2, 12), (4, 6), (6, 15)} == pairs
    text = _run("assess", str(DEMO), "--framework", "all")
    assert "相近指标的定义差异" in text and "等价值" in text


def test_crosswalk_command_without_a_dataset() -> None:
    out = _run("crosswalk", "-f", "zero-carbon-park-2025", "-f", "hj274-2015", "--lang", "en")
    assert "swaste_utilized" in out and "equal value" in out


def test_carbon_on_a_dataset_prints_the_inventory_tree() -> None:
    out = _run("carbon", str(DEMO), "--method", "zero-carbon-park-2025")
    assert "E_park = 103625.00 t" in out and "0.8325" in out and "附件4" in out
    assert "v2021-2023" in out and "cn-heat-2015 v2015" in out
    data = json.loads(_run("carbon", str(DEMO), "--json"))
    assert data["co2"]["value"] == 103625 and data["method_version"] == "2025-trial"


def test_carbon_with_a_method_the_dataset_does_not_use_is_an_error() -> None:
    result = CliRunner().invoke(app, ["carbon", str(DEMO), "--method", "hj274-cn"], env=ENV)
    assert result.exit_code == 2 and "zero-carbon-park-2025" in result.output


def test_explain_shows_companions_and_every_setting() -> None:
    out = _run("explain", str(DEMO), "1")
    assert "伴随值" in out and "limit_below_band" in out and "附件4 核算清单" in out


def test_generic_template_works_for_the_zero_carbon_framework(tmp_path: Path) -> None:
    output = tmp_path / "zc.xlsx"
    _run("template", "--framework", "zero-carbon-park-2025", "-o", str(output))
    assert output.stat().st_size > 0
