"""Data-quality rules: every rule has a case that fires it; the seed park raises no false alarm;
one test per named check of the rule file."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import ecopark.quality as q
from ecopark import Dataset, Framework
from ecopark.accounting.coefficients import Settings, load_library, resolve
from ecopark.accounting.rollup import compute
from ecopark.accounting.roster import read_roster
from ecopark.dataset import DatasetFile, build_dataset
from ecopark.errors import DataFileError
from ecopark.yamlfile import read_yaml

CODE_A, CODE_B = "91320412MA1AB0001C", "91320412MA1AB0002F"


def _dataset(fw: Framework, values: dict[str, dict[int, float]],
             contributions: dict[str, Any] | None = None) -> Dataset:
    spec = DatasetFile.model_validate({
        "format": "ecopark-dataset/1", "framework": fw.id,
        "park": {"name": "测试园", "base_year": 2010},
        "observations": {k: {"unit": fw.spec.items[k].unit, "values": v} for k, v in values.items()},
        "contributions": contributions or {}})
    return build_dataset(spec, fw, "test.yaml")


def _entry(code: str, value: float) -> dict[str, Any]:
    return {"enterprise": f"企业{code[-2:]}", "credit_code": code, "value": value}


PARK_CASES: dict[str, tuple[dict[str, dict[int, float]], dict[str, Any] | None]] = {
    # 100 ≠ 50 + 40 万m³
    "water_balance": ({"industrial_water_total": {2018: 100}, "fresh_water": {2018: 50},
                       "water_reuse": {2018: 40}}, None),
    # 100 + 0 < 150 t utilized
    "solid_waste_balance": ({"swaste_generated": {2018: 100}, "swaste_stock_utilized": {2018: 0},
                             "swaste_utilized": {2018: 150}}, None),
    # 100 + 0 < 80 + 50
    "solid_waste_all_balance": ({"swaste_all_generated": {2018: 100}, "swaste_all_stock": {2018: 0},
                                 "swaste_all_utilized": {2018: 80},
                                 "swaste_all_disposed": {2018: 50}}, None),
    # IVA tripled in one year
    "year_on_year": ({"iva": {2017: 100000, 2018: 300000}}, None),
    # energy 50 000 tce then 5 tce: a factor of 10⁴
    "wan_slip": ({"energy": {2017: 50000, 2018: 5}}, None),
    # the same credit code twice among the contributions
    "duplicate_contribution": ({"iva": {2018: 300}},
                               {"iva": {2018: [_entry(CODE_A, 100), _entry(CODE_A, 200)]}}),
    # enterprises 100 + 20 = 120 万元, the park states 200
    "enterprise_vs_park_total": ({"iva": {2018: 200}},
                                 {"iva": {2018: [_entry(CODE_A, 100), _entry(CODE_B, 20)]}}),
    # 1 000 tce for 10 万元: 100 tce/万元 > 10
    "intensity_park": ({"energy": {2018: 1000}, "iva": {2018: 10}}, None),
}

HEAD = "年份,企业名称,统一社会信用代码,行业代码"
ENTERPRISE_CASES: dict[str, str] = {
    "water_balance_enterprise": f"{HEAD},用水总量（立方米）,新鲜水用量（立方米）,重复用水量（立方米）\n"
                                f"2018,甲,{CODE_A},C2614,100,50,40\n",
    "solid_waste_balance_enterprise": f"{HEAD},一般工业固体废物产生量（吨）,一般工业固体废物综合利用量（吨）,"
                                      f"一般工业固体废物处置量（吨）\n2018,甲,{CODE_A},C2614,100,90,30\n",
    "year_on_year_enterprise": f"{HEAD},工业总产值（万元）\n2017,甲,{CODE_A},C2614,100\n"
                               f"2018,甲,{CODE_A},C2614,1000\n",
    "wan_slip_enterprise": f"{HEAD},工业增加值（万元）\n2017,甲,{CODE_A},C2614,12\n"
                           f"2018,甲,{CODE_A},C2614,120000\n",
    "duplicate_enterprise": f"{HEAD},工业总产值（万元）\n2018,甲,{CODE_A},C2614,100\n"
                            f"2018,甲（重复）,{CODE_A},C2614,100\n",
    # 1 000 000 kWh × 0.5366 kg = 536.6 t recomputed; 100 t stated
    "stated_co2": f"{HEAD},外购电力（千瓦时）,企业填报二氧化碳排放量（吨）\n"
                  f"2018,甲,{CODE_A},C2614,1000000,100\n",
    # 1 000 000 kWh × 0.1229 kgce = 122.9 tce recomputed; 300 tce stated (an equal-value figure)
    "stated_energy": f"{HEAD},外购电力（千瓦时）,企业填报综合能耗（吨标准煤）\n"
                     f"2018,甲,{CODE_A},C2614,1000000,300\n",
    # 1 万元 of output for 1 000 employees: 0.001 万元/人 < 1
    "intensity_enterprise": f"{HEAD},工业总产值（万元）,年末从业人员（人）\n2018,甲,{CODE_A},C2614,1,1000\n",
}


def _roster_findings(fw: Framework, text: str, tmp_path: Path) -> list[q.QualityFinding]:
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    library = load_library()
    roster = read_roster(path, library)
    resolved = resolve(library, Settings(grid_year=2022), roster.carriers()) if roster.carriers() \
        else None
    return q.check_roster(roster, compute(roster, resolved), fw)


def test_every_rule_has_a_case() -> None:
    ids = {rule.id for rule in q.load_rules(_fw()).spec.rules}
    assert ids == set(PARK_CASES) | set(ENTERPRISE_CASES)


def _fw() -> Framework:
    from ecopark import load_framework

    return load_framework("hj274-2015")


@pytest.mark.parametrize("rule", list(PARK_CASES))
def test_park_rule_fires(hj274: Framework, rule: str) -> None:
    values, contributions = PARK_CASES[rule]
    found = q.check_dataset(_dataset(hj274, values, contributions), hj274)
    assert rule in {f.rule for f in found}, found
    finding = next(f for f in found if f.rule == rule)
    assert finding.zh and finding.en and finding.version == 1 and "测试园" in finding.where


@pytest.mark.parametrize("rule", list(ENTERPRISE_CASES))
def test_enterprise_rule_fires(hj274: Framework, rule: str, tmp_path: Path) -> None:
    found = _roster_findings(hj274, ENTERPRISE_CASES[rule], tmp_path)
    assert rule in {f.rule for f in found}, found
    finding = next(f for f in found if f.rule == rule)
    assert finding.credit_code == CODE_A and finding.zh and finding.en


def test_stated_co2_names_indicator_26_and_the_cell(hj274: Framework, tmp_path: Path) -> None:
    found = _roster_findings(hj274, ENTERPRISE_CASES["stated_co2"], tmp_path)
    finding = next(f for f in found if f.rule == "stated_co2")
    assert finding.indicators == (26,) and "B2" in finding.where
    assert "536.60" in finding.zh and "100.00" in finding.zh


def test_within_tolerance_does_not_fire(hj274: Framework) -> None:
    values = {"industrial_water_total": {2018: 90.2}, "fresh_water": {2018: 50},
              "water_reuse": {2018: 40}}  # 0.2 % off: rounding, not a finding
    assert q.check_dataset(_dataset(hj274, values), hj274) == []


def test_seed_raises_no_false_alarm(hj274: Framework, seed: Dataset) -> None:
    assert q.check_dataset(seed, hj274) == []


def test_findings_touching_indicators(hj274: Framework) -> None:
    values, _ = PARK_CASES["water_balance"]
    found = q.check_dataset(_dataset(hj274, values), hj274)
    assert q.touching(found)[0].indicators == (13, 14, 15)


def test_findings_json_shape(hj274: Framework) -> None:
    values, _ = PARK_CASES["wan_slip"]
    data = q.findings_json(q.check_dataset(_dataset(hj274, values), hj274))[0]
    assert set(data) >= {"rule", "version", "severity", "where", "indicators", "message_zh",
                         "message_en"}
    assert data["severity"] == "error" and data["indicators"] == [10, 11, 12]


# ------------------------------------------------------------------ the rule file's checks


def _load(change: Callable[[dict[str, Any]], None]) -> None:
    data = copy.deepcopy(read_yaml(q.RULES_FILE))
    change(data)
    rules = q.RuleSet(q.RulesFile.model_validate(data), "rules.yaml")
    for check in q.CHECKS:
        check(rules, _fw())


def _fails(change: Callable[[dict[str, Any]], None], key_path: str) -> None:
    with pytest.raises(DataFileError) as caught:
        _load(change)
    assert caught.value.key_path.startswith(key_path), caught.value


def test_shipped_rules_load() -> None:
    _load(lambda d: None)


def test_check_unique_ids() -> None:
    _fails(lambda d: d["rules"].append(copy.deepcopy(d["rules"][0])), "rules[16].id")


def test_check_params() -> None:
    _fails(lambda d: d["rules"][0]["params"].update(op="<"), "rules[0].params.op")


def test_check_fields() -> None:
    _fails(lambda d: d["rules"][0]["params"].update(left=["water_total"]), "rules[0].params")


def test_check_placeholders() -> None:
    _fails(lambda d: d["rules"][0].update(message_zh="{where} {nonsense}"), "rules[0].message_zh")


def test_check_ratio_units() -> None:
    def wrong(d: dict[str, Any]) -> None:
        rule = next(r for r in d["rules"] if r["id"] == "intensity_park")
        rule["params"]["ratios"][0]["unit"] = "m3/万元"

    with pytest.raises(DataFileError, match="ratios"):
        _load(wrong)


def test_every_check_has_a_test() -> None:
    tested = {name.removeprefix("test_") for name in globals() if name.startswith("test_check_")}
    assert {check.__name__ for check in q.CHECKS} == tested


def test_another_framework_gets_no_rules() -> None:
    from ecopark import load_framework

    from .conftest import TINY

    tiny = load_framework(TINY / "framework.yaml")
    assert q.load_rules(tiny).spec.rules == []
    with pytest.raises(DataFileError, match="framework"):
        q.load_rules(tiny, q.RULES_FILE)
