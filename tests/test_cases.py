"""Hand-built evaluation cases on the HJ 274-2015 framework.

Every expected value is computed by hand in the comment next to it. Datasets are small YAML
files written to `tmp_path`; base year t0 = 2016 and evaluation year t = 2018 (n = 2) unless a
test says otherwise, so cagr(X) = sqrt(X[2018] / X[2016]) − 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from ecopark.core.dataset.loading import load_dataset
from ecopark.core.dataset.model import Dataset
from ecopark.core.evaluate import evaluate, evaluate_indicator, judge_value
from ecopark.core.framework.loading import load_framework
from ecopark.core.results import Status
from ecopark.core.verdict import VerdictStatus

FW = load_framework("hj274-2015")
T = 2018


def write_dataset(tmp_path: Path, observations: dict[str, dict[int, Any]], *,
                  units: dict[str, str] | None = None, park: dict[str, Any] | None = None,
                  base_year: int = 2016, year: int = T, **sections: Any) -> Path:
    """Write a small ecopark dataset as YAML text: `observations` maps item -> {year: value},
    `units` gives a series unit per item, `sections` adds top-level keys (checklists, lists)."""
    series: dict[str, Any] = {}
    for item, values in observations.items():
        entry: dict[str, Any] = {"values": values}
        if units and item in units:
            entry["unit"] = units[item]
        series[item] = entry
    data: dict[str, Any] = {
        "format": "ecopark-dataset/1",
        "framework": "hj274-2015",
        "park": {"name": "测试园区 test park", "base_year": base_year, **(park or {})},
        "year": year,
        "observations": series,
        **sections,
    }
    path = tmp_path / "dataset.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def load(tmp_path: Path, observations: dict[str, dict[int, Any]], **kwargs: Any) -> Dataset:
    return load_dataset(write_dataset(tmp_path, observations, **kwargs))


# A park that passes: t0 = 2016, t = 2018. Hand values of every determined indicator:
#   g_IVA = sqrt(121000 / 100000) − 1 = 1.1 − 1 = 10 %
#   2  iva / employees = 121000 万元 / 1000 人 = 121 万元/人             ≥ 15   met   (G1)
#   5  eco_chain_project_count = 6                                    ≥ 6    met   (boundary)
#   6  80 / (100 + 0) = 80 %                                          ≥ 70   met   (G2)
#   8  121000 万元 = 12.1 亿元 / 1 km² = 12.1                          ≥ 9    met   (G3)
#   10 (sqrt(110/100) − 1) / 0.1 = 0.0488088 / 0.1 = 0.488088         ≤ 0.6  met
#   11 110 tce / 121000 万元 = 0.000909                                ≤ 0.5  met   (G4)
#   13 (sqrt(52.5/50) − 1) / 0.1 = 0.0246951 / 0.1 = 0.246951         ≤ 0.55 met
#   14 52.5 万m³ = 525000 m³ / 121000 万元 = 4.339 m³/万元              ≤ 8    met   (G5)
#   17 达标, 18 全部完成, 22 具备: met; 19: 0 == 0 met
#   20, 21, 23, 24, 30, 31: 100 % ≥ 100 met
#   25 every pollutant constant: each elasticity 0 / 0.1 = 0, mean 0   ≤ 0.3  met
#   26 co2 constant, I[t] / I[t0] = 1 / 1.21: −(sqrt(1/1.21) − 1) = 1 − 1/1.1 = 9.0909 %  ≥ 3 met
#   27 121000 t / 121000 万元 = 1 t/万元                                ≤ 7    met   (G6)
#   28 100 t / 121000 万元 = 0.000826                                   ≤ 0.1  met   (G6)
#   29 20 % ≥ 15 met; 32 2 ≥ 2 met
#   missing (optional, their groups carried by others): 1, 3, 4, 7, 9, 12, 15, 16
PASSING: dict[str, dict[int, Any]] = {
    "iva": {2016: 100000, 2018: 121000},
    "employees": {2018: 1000},
    "eco_chain_project_count": {2018: 6},
    "swaste_utilized": {2018: 80},
    "swaste_generated": {2018: 100},
    "swaste_stock_utilized": {2018: 0},
    "industrial_land": {2018: 1},
    "energy": {2016: 100, 2018: 110},
    "fresh_water": {2016: 50, 2018: 52.5},
    "key_source_compliance": {2018: "达标"},
    "total_control_completion": {2018: "全部完成"},
    "major_incidents": {2018: 0},
    "env_management_rate": {2018: 100},
    "clean_production_audit_rate": {2018: 100},
    "wastewater_facility": {2018: "具备"},
    "risk_prevention_rate": {2018: 100},
    "swaste_disposal_rate": {2018: 100},
    "cod": {2016: 10, 2018: 10},
    "nh3n": {2016: 1, 2018: 1},
    "so2": {2016: 2, 2018: 2},
    "nox": {2016: 3, 2018: 3},
    "co2": {2016: 1000, 2018: 1000},
    "wastewater": {2018: 121000},
    "green_coverage_rate": {2018: 20},
    "disclosure_rate": {2018: 100},
    "info_platform_rate": {2018: 100},
    "publicity_events": {2018: 2},
}


def passing(**changes: dict[int, Any]) -> dict[str, dict[int, Any]]:
    return {**PASSING, **changes}


def without(*items: str) -> dict[str, dict[int, Any]]:
    return {k: v for k, v in PASSING.items() if k not in items}


# --------------------------------------------------------------------------- the baseline


def test_baseline_park_passes_with_hand_values(tmp_path: Path) -> None:
    evaluation = evaluate(FW, load(tmp_path, PASSING), T)
    values = {r.number: r.value for r in evaluation.results}
    statuses = {r.number: r.status for r in evaluation.results}
    assert values[2] == 121.0
    assert values[5] == 6.0
    assert values[6] == 80.0
    assert values[8] == 12.1
    assert values[10] == pytest.approx(0.4880884817015163, abs=1e-11)
    assert values[13] == pytest.approx(0.2469507659595983, abs=1e-11)
    assert values[14] == pytest.approx(525000 / 121000, abs=1e-10)  # 4.3388…
    assert values[25] == 0.0
    assert values[26] == pytest.approx(100 * (1 - 1 / 1.1), abs=1e-9)  # 9.0909…
    assert values[27] == 1.0
    assert values[17] == "达标"
    missing = {1, 3, 4, 7, 9, 12, 15, 16}
    assert {n for n, s in statuses.items() if s is Status.MISSING} == missing
    assert {n for n, s in statuses.items() if s is Status.MET} == set(range(1, 33)) - missing
    assert evaluation.verdict.status is VerdictStatus.PASSED
    assert [r.kind for r in evaluation.verdict.reasons] == ["all_met"]


# --------------------------------------------------------------- IVA growth and elasticity


def test_iva_growth_positive_energy_elasticity_met(tmp_path: Path) -> None:
    # cagr(iva) = sqrt(121/100) − 1 = 0.1; cagr(energy) = sqrt(110/100) − 1 = 0.0488088482
    # elasticity = 0.0488088482 / 0.1 = 0.488088482 ≤ 0.6 → met, rule "<= 0.6"
    ds = load(tmp_path, {"iva": {2016: 100, 2018: 121}, "energy": {2016: 100, 2018: 110}})
    result = evaluate_indicator(FW, ds, 10, T)
    assert result.value == pytest.approx(0.48808848170151, abs=1e-12)
    assert result.status is Status.MET
    assert result.rule == "<= 0.6"


@pytest.mark.parametrize(("energy", "expected", "status"), [
    # iva 121 → 100: g = sqrt(100/121) − 1 = 10/11 − 1 = −1/11
    # energy 484 → 441: sqrt(441/484) − 1 = 21/22 − 1 = −1/22; e = (−1/22) / (−1/11) = 0.5 < 0.6
    ({2016: 484, 2018: 441}, 0.5, Status.NOT_MET),
    # energy 12100 → 10609: sqrt = 103/110, −7/110; e = (−7/110) / (−1/11) = 0.7 ≥ 0.6
    ({2016: 12100, 2018: 10609}, 0.7, Status.MET),
])
def test_iva_growth_negative_flips_the_requirement(tmp_path: Path, energy: dict[int, int],
                                                  expected: float, status: Status) -> None:
    ds = load(tmp_path, {"iva": {2016: 121, 2018: 100}, "energy": energy})
    result = evaluate_indicator(FW, ds, 10, T)
    assert result.value == expected
    assert result.status is status
    assert result.rule == ">= 0.6"


def test_same_value_judged_by_the_sign_of_iva_growth(tmp_path: Path) -> None:
    growing = load(tmp_path, {"iva": {2016: 100, 2018: 121}})
    assert judge_value(FW, growing, 10, T, 0.5).status is Status.MET  # 0.5 ≤ 0.6
    assert judge_value(FW, growing, 13, T, 0.56).status is Status.NOT_MET  # 0.56 > 0.55
    shrinking = load(tmp_path, {"iva": {2016: 121, 2018: 100}})
    assert judge_value(FW, shrinking, 10, T, 0.5).status is Status.NOT_MET  # 0.5 < 0.6
    assert judge_value(FW, shrinking, 13, T, 0.56).status is Status.MET  # 0.56 ≥ 0.55
    result = judge_value(FW, shrinking, 25, T, 0.3)  # boundary: 0.3 ≥ 0.3
    assert (result.status, result.rule) == (Status.MET, ">= 0.3")


@pytest.mark.parametrize("number", [10, 13, 25])
def test_iva_growth_zero_is_not_evaluable(tmp_path: Path, number: int) -> None:
    # iva 100 → 100: cagr = 1 ** 0.5 − 1 = 0, the elasticities divide by 0
    ds = load(tmp_path, {
        "iva": {2016: 100, 2018: 100}, "energy": {2016: 100, 2018: 110},
        "fresh_water": {2016: 10, 2018: 11}, "cod": {2016: 5, 2018: 4},
        "nh3n": {2016: 1, 2018: 1}, "so2": {2016: 2, 2018: 1}, "nox": {2016: 3, 2018: 2},
    })
    result = evaluate_indicator(FW, ds, number, T)
    assert result.status is Status.NOT_EVALUABLE
    assert result.value is None
    assert result.rule == ""
    assert "分母" in result.reason_zh and "= 0" in result.reason_zh
    assert "denominator cagr(iva, t0, t) = 0" in result.reason_en


def test_iva_growth_zero_printed_value_takes_the_otherwise_branch(tmp_path: Path) -> None:
    ds = load(tmp_path, {"iva": {2016: 100, 2018: 100}})
    result = judge_value(FW, ds, 10, T, 0.16)
    assert result.status is Status.NOT_EVALUABLE
    assert result.rule == ""
    assert result.reason_en == "IVA growth over the construction period is 0; the elasticity is undefined"


# ----------------------------------------------------------------- region class (16)


@pytest.mark.parametrize(("region", "rule", "status"), [
    ("water_scarce", ">= 20", Status.MET),   # 25 ≥ 20
    ("jingjinji", ">= 30", Status.NOT_MET),  # 25 < 30
    ("other", ">= 10", Status.MET),          # 25 ≥ 10
])
def test_indicator_16_by_region_class(tmp_path: Path, region: str, rule: str,
                                      status: Status) -> None:
    # 25 万吨 / 100 万吨 = 25 %
    ds = load(tmp_path, {"reclaimed_water": {2018: 25}, "wwtp_discharge": {2018: 100}},
              park={"region_class": region})
    result = evaluate_indicator(FW, ds, 16, T)
    assert result.value == 25.0
    assert (result.rule, result.status) == (rule, status)


def test_indicator_16_region_class_defaults_to_other(tmp_path: Path) -> None:
    # 9 / 100 = 9 % < 10 (the default "other" rule); it would be judged ≥ 20 / ≥ 30 elsewhere
    ds = load(tmp_path, {"reclaimed_water": {2018: 9}, "wwtp_discharge": {2018: 100}})
    assert ds.profile.fields == {"region_class": "other"}
    result = evaluate_indicator(FW, ds, 16, T)
    assert (result.value, result.rule, result.status) == (9.0, ">= 10", Status.NOT_MET)


# ------------------------------------------------------------- pollutant elasticity (25)


@pytest.mark.parametrize("nh3n", [{2016: "/", 2018: 3}, {2018: 3}])
def test_indicator_25_leaves_out_a_pollutant_without_base_value(tmp_path: Path,
                                                                nh3n: dict[int, Any]) -> None:
    # g_iva = sqrt(1.21) − 1 = 0.1
    # cod 5 → 5: e = 0;  so2 100 → 121: e = 0.1 / 0.1 = 1;  nox 100 → 144: e = 0.2 / 0.1 = 2
    # nh3n has no 2016 value: left out → mean(0, 1, 2) = 1.0 (reading it as 0 would give 0.75)
    ds = load(tmp_path, {
        "iva": {2016: 100, 2018: 121}, "cod": {2016: 5, 2018: 5}, "nh3n": nh3n,
        "so2": {2016: 100, 2018: 121}, "nox": {2016: 100, 2018: 144},
    })
    result = evaluate_indicator(FW, ds, 25, T)
    assert result.value == 1.0
    assert (result.status, result.rule) == (Status.NOT_MET, "<= 0.3")  # 1.0 > 0.3
    assert len(result.warnings) == 1
    zh, en = result.warnings[0]
    assert "nh3n" in zh and "2016" in zh and "不按 0 计" in zh
    assert "nh3n for 2016 is missing (not 0)" in en
    assert result.trace is not None
    assert result.trace.children[0].note == "3/4"


def test_indicator_25_all_four_base_values_missing(tmp_path: Path) -> None:
    ds = load(tmp_path, {
        "iva": {2016: 100, 2018: 121}, "cod": {2018: 5}, "nh3n": {2018: 1},
        "so2": {2018: 2}, "nox": {2018: 3},
    })
    result = evaluate_indicator(FW, ds, 25, T)
    assert result.status is Status.MISSING
    assert result.value is None
    assert result.missing == ("cod", 2016)  # the first member's missing input
    assert len(result.warnings) == 4


# --------------------------------------------------------------------------- verdict


def test_group_with_none_met_fails_the_park(tmp_path: Path) -> None:
    # G2: 6 = 50 / (100 + 0) = 50 % < 70; 7 = 1 / 2 = 50 % < 80 → none met
    ds = load(tmp_path, passing(swaste_utilized={2018: 50}, recycled_resources={2018: 1},
                                collected_resources={2018: 2}))
    evaluation = evaluate(FW, ds, T)
    assert evaluation.result(6).value == 50.0
    assert evaluation.result(7).value == 50.0
    verdict = evaluation.verdict
    assert verdict.status is VerdictStatus.FAILED
    assert [(r.kind, r.numbers, r.severity) for r in verdict.reasons] == [
        ("group_not_met", (6, 7), "fail")]
    assert verdict.reasons[0].en == "G2 (industrial symbiosis options) has 0 met, needs 1"


def test_mandatory_not_met_fails_the_park(tmp_path: Path) -> None:
    ds = load(tmp_path, passing(major_incidents={2018: 1}))  # 19: 1 ≠ 0
    verdict = evaluate(FW, ds, T).verdict
    assert verdict.status is VerdictStatus.FAILED
    assert [(r.kind, r.numbers) for r in verdict.reasons] == [("mandatory_not_met", (19,))]


def test_declared_selection_judges_the_group_on_the_selected_only(tmp_path: Path) -> None:
    # 1 = 10 / 100 = 10 % < 30 (selected, not met); 2 = 121 ≥ 15 is met but not selected:
    # the park declared 1 as G1's assessed indicator, so 2 does not carry the group
    ds = load(tmp_path, passing(hightech_output={2018: 10}, gross_output={2018: 100}),
              park={"selected": [1]})
    evaluation = evaluate(FW, ds, T)
    assert evaluation.result(1).status is Status.NOT_MET
    assert evaluation.result(2).status is Status.MET
    verdict = evaluation.verdict
    assert verdict.status is VerdictStatus.FAILED
    assert [(r.kind, r.numbers, r.severity) for r in verdict.reasons] == [
        ("group_not_met", (1,), "fail")]
    assert verdict.reasons[0].zh == ("G1（经济发展可选指标）所选考核指标 1 中没有足够的达标指标"
                                     "（需 1 项，实 0 项）")
    assert verdict.reasons[0].en == ("G1 (economic development options) has 0 met among the "
                                     "selected 1, needs 1")
    assert verdict.groups[0].selected == (1,)
    assert verdict.groups[0].met == (2,)


def test_selected_not_met_with_unselected_member_unreported_fails(tmp_path: Path) -> None:
    # issue 14: G2 = {6, 7}; 6 selected: 50 / (100 + 0) = 50 % < 70, not met; 7 not selected and
    # printed "/" (missing). Judged on 6 alone: failed, not incomplete
    ds = load(tmp_path, passing(swaste_utilized={2018: 50}, recycled_resources={2018: "/"}),
              park={"selected": [6]})
    evaluation = evaluate(FW, ds, T)
    assert [evaluation.result(n).status for n in (6, 7)] == [Status.NOT_MET, Status.MISSING]
    verdict = evaluation.verdict
    assert verdict.status is VerdictStatus.FAILED
    assert [(r.kind, r.numbers, r.severity) for r in verdict.reasons] == [
        ("group_not_met", (6,), "fail")]


def test_selected_member_missing_leaves_the_group_undetermined(tmp_path: Path) -> None:
    # 7 selected and missing, 6 (not selected) met: judged on 7 alone, which cannot be judged
    ds = load(tmp_path, passing(recycled_resources={2018: "/"}), park={"selected": [7]})
    verdict = evaluate(FW, ds, T).verdict
    assert verdict.status is VerdictStatus.INCOMPLETE
    assert [(r.kind, r.numbers, r.severity) for r in verdict.reasons] == [
        ("group_undetermined", (7,), "incomplete")]
    assert verdict.reasons[0].en == ("G2 (industrial symbiosis options) has too few met and "
                                     "selected indicators 7 cannot be judged")


def test_group_without_a_selected_member_is_judged_on_all_members(tmp_path: Path) -> None:
    # selection declared in G1 only; G2 (none selected) still carried by 6 while 7 is missing
    ds = load(tmp_path, passing(recycled_resources={2018: "/"}), park={"selected": [2]})
    verdict = evaluate(FW, ds, T).verdict
    assert verdict.status is VerdictStatus.PASSED
    assert [r.kind for r in verdict.reasons] == ["all_met"]


def test_selected_not_met_names_a_selected_carrier(tmp_path: Path) -> None:
    ds = load(tmp_path, passing(hightech_output={2018: 10}, gross_output={2018: 100}),
              park={"selected": [1, 2]})
    reasons = [r for r in evaluate(FW, ds, T).verdict.reasons if r.kind == "selected_not_met"]
    assert [r.numbers for r in reasons] == [(1, 2)]


def test_group_all_missing_is_undetermined(tmp_path: Path) -> None:
    # G2 members 6 and 7 have no data; 28 loses swaste_generated too but 27 carries G6
    ds = load(tmp_path, without("swaste_utilized", "swaste_generated", "swaste_stock_utilized"))
    evaluation = evaluate(FW, ds, T)
    assert evaluation.result(6).status is Status.MISSING
    assert evaluation.result(7).status is Status.MISSING
    verdict = evaluation.verdict
    assert verdict.status is VerdictStatus.INCOMPLETE
    assert [(r.kind, r.numbers, r.severity) for r in verdict.reasons] == [
        ("group_undetermined", (6, 7), "incomplete")]


# ------------------------------------------------------------------------ checklists (20)


def _entries(done: list[bool]) -> list[dict[str, Any]]:
    return [{"name": f"子项 {i + 1}", "done": d, "evidence": f"文件 {i + 1}"} for i, d in enumerate(done)]


@pytest.mark.parametrize(("done", "value", "status"), [
    ([True, True, False, True], 75.0, Status.NOT_MET),  # 3 / 4 = 75 % < 100
    ([True, True, True, True], 100.0, Status.MET),      # 4 / 4 = 100 % ≥ 100
])
def test_indicator_20_from_checklist(tmp_path: Path, done: list[bool], value: float,
                                     status: Status) -> None:
    # env_management_rate 100 is also given, but the checklist (alternative 1) comes first
    ds = load(tmp_path, {"env_management_rate": {2018: 100}},
              checklists={"env_management": {2018: _entries(done)}})
    result = evaluate_indicator(FW, ds, 20, T)
    assert (result.value, result.status, result.rule) == (value, status, ">= 100")
    assert result.trace is not None
    chosen = result.trace.children[0]
    assert chosen.note == "采用第 1 种算法 / alternative 1 used: checklist(env_management)"
    assert chosen.children[0].note == f"{sum(done)}/4"


@pytest.mark.parametrize("checklists", [None, {"env_management": {2017: _entries([True])}}])
def test_indicator_20_falls_back_to_reported_rate(tmp_path: Path,
                                                  checklists: dict[str, Any] | None) -> None:
    # no checklist for 2018 → coalesce takes env_management_rate = 90 % < 100
    extra = {"checklists": checklists} if checklists else {}
    ds = load(tmp_path, {"env_management_rate": {2018: 90}}, **extra)
    result = evaluate_indicator(FW, ds, 20, T)
    assert (result.value, result.status) == (90.0, Status.NOT_MET)
    assert result.trace is not None
    assert result.trace.children[0].note == "采用第 2 种算法 / alternative 2 used: env_management_rate"


def test_indicator_20_missing_when_neither_alternative(tmp_path: Path) -> None:
    result = evaluate_indicator(FW, load(tmp_path, {"iva": {2018: 1}}), 20, T)
    assert result.status is Status.MISSING
    assert result.missing == ("env_management", 2018)


# ------------------------------------------------------------------ eco-chain projects (5)


def test_indicator_5_counts_projects_after_base_year_up_to_t(tmp_path: Path) -> None:
    # base 2016 < year ≤ 2018: C (2017) and D (2018) count; A (2015), B (2016), E (2019) do not
    # → 2 < 6 not met; the reported count 13 is only the fallback and is not used
    projects = [{"name": n, "year": y, "partners": "甲 → 乙", "exchange": "蒸汽"}
                for n, y in [("A", 2015), ("B", 2016), ("C", 2017), ("D", 2018), ("E", 2019)]]
    ds = load(tmp_path, {"eco_chain_project_count": {2018: 13}},
              lists={"eco_chain_projects": projects})
    result = evaluate_indicator(FW, ds, 5, T)
    assert (result.value, result.status, result.rule) == (2.0, Status.NOT_MET, ">= 6")
    assert result.trace is not None
    count = result.trace.children[0].children[0]
    assert count.note == "2016 < year ≤ 2018"
    assert [leaf.label for leaf in count.children] == ["C (2017)", "D (2018)"]


def test_indicator_5_six_projects_met(tmp_path: Path) -> None:
    projects = [{"name": f"P{i}", "year": 2017 + i % 2} for i in range(6)]  # 3 × 2017, 3 × 2018
    ds = load(tmp_path, {"iva": {2018: 1}}, lists={"eco_chain_projects": projects})
    result = evaluate_indicator(FW, ds, 5, T)
    assert (result.value, result.status) == (6.0, Status.MET)


# ------------------------------------------------------------------------ unit variants


@pytest.mark.parametrize(("iva_unit", "iva"), [("万元", 180000), ("亿元", 18), ("元", 1.8e9)])
@pytest.mark.parametrize(("land_unit", "land"), [
    ("km2", 2), ("km²", 2), ("平方公里", 2), ("公顷", 200), ("亩", 3000), ("m2", 2_000_000)])
def test_indicator_8_same_value_in_any_unit(tmp_path: Path, iva_unit: str, iva: float,
                                            land_unit: str, land: float) -> None:
    # 18 亿元 / 2 km² = 9 亿元/km² (boundary ≥ 9 met); 200 公顷 = 3000 亩 (1 亩 = 10000/15 m²)
    # = 2 000 000 m² = 2 km²
    ds = load(tmp_path, {"iva": {2018: iva}, "industrial_land": {2018: land}},
              units={"iva": iva_unit, "industrial_land": land_unit})
    result = evaluate_indicator(FW, ds, 8, T)
    assert result.value == 9.0
    assert result.status is Status.MET


@pytest.mark.parametrize(("unit", "fresh"), [
    ("万m3", 80), ("万m³", 80), ("万立方米", 80), ("万 m³", 80),
    ("m3", 800000), ("m³", 800000), ("立方米", 800000)])
@pytest.mark.parametrize(("iva_unit", "iva"), [("万元", 100000), ("亿元", 10)])
def test_indicator_14_same_value_in_any_unit(tmp_path: Path, unit: str, fresh: float,
                                             iva_unit: str, iva: float) -> None:
    # 80 万m³ = 800 000 m³; 10 亿元 = 100 000 万元 → 800000 / 100000 = 8 m³/万元 (boundary ≤ 8)
    ds = load(tmp_path, {"iva": {2018: iva}, "fresh_water": {2018: fresh}},
              units={"iva": iva_unit, "fresh_water": unit})
    assert ds.values[("fresh_water", T)].value == 80.0  # canonical unit 万m3
    result = evaluate_indicator(FW, ds, 14, T)
    assert result.value == 8.0
    assert result.status is Status.MET


def test_fresh_water_unit_with_space_and_ascii_digit(tmp_path: Path) -> None:
    ds = load(tmp_path, {"fresh_water": {2018: 80}}, units={"fresh_water": "万 m3"})
    assert ds.values[("fresh_water", T)].value == 80.0


def test_value_entry_unit_overrides_series_unit(tmp_path: Path) -> None:
    # 2016 given as 10 亿元 = 100000 万元, 2018 as 121000 万元 → g = 10 %; energy 100 → 110
    ds = load(tmp_path, {"iva": {2016: {"value": 10, "unit": "亿元"}, 2018: 121000},
                         "energy": {2016: 100, 2018: 110}}, units={"iva": "万元"})
    assert ds.values[("iva", 2016)].value == 100000.0
    result = evaluate_indicator(FW, ds, 10, T)
    assert result.value == pytest.approx(0.48808848170151, abs=1e-12)


# ---------------------------------------------------------------------------- boundaries


@pytest.mark.parametrize(("hightech", "gross"), [(30, 100), (3, 10), (2.7, 9), (2.01, 6.7)])
def test_indicator_1_share_of_exactly_30_percent_is_met(tmp_path: Path, hightech: float,
                                                        gross: float) -> None:
    # every pair is 30 %; in binary floating point 2.7 / 9 × 100 = 30.000000000000004 and
    # 2.01 / 6.7 × 100 = 29.999999999999993 (which would fail ≥ 30): the value must be exactly 30
    ds = load(tmp_path, {"hightech_output": {2018: hightech}, "gross_output": {2018: gross}})
    result = evaluate_indicator(FW, ds, 1, T)
    assert result.value == 30.0
    assert (result.status, result.rule) == (Status.MET, ">= 30")


def test_indicator_1_just_below_30_is_not_met(tmp_path: Path) -> None:
    ds = load(tmp_path, {"hightech_output": {2018: 29.99}, "gross_output": {2018: 100}})
    result = evaluate_indicator(FW, ds, 1, T)
    assert (result.value, result.status) == (29.99, Status.NOT_MET)


# --------------------------------------------------------------------------------- facts


@pytest.mark.parametrize(("number", "item", "given", "stored", "status"), [
    (17, "key_source_compliance", "达标", "达标", Status.MET),
    (17, "key_source_compliance", "未达标", "未达标", Status.NOT_MET),
    (17, "key_source_compliance", "compliant", "达标", Status.MET),
    (17, "key_source_compliance", "not compliant", "未达标", Status.NOT_MET),
    (18, "total_control_completion", "all completed", "全部完成", Status.MET),
    (18, "total_control_completion", "未全部完成", "未全部完成", Status.NOT_MET),
    (22, "wastewater_facility", "available", "具备", Status.MET),
    (22, "wastewater_facility", "not available", "不具备", Status.NOT_MET),
])
def test_fact_indicators_and_english_aliases(tmp_path: Path, number: int, item: str,
                                             given: str, stored: str, status: Status) -> None:
    ds = load(tmp_path, {item: {2018: given}})
    assert ds.values[(item, T)].value == stored
    result = evaluate_indicator(FW, ds, number, T)
    assert (result.value, result.status) == (stored, status)


# ----------------------------------------------------------------- "/" is not reported


@pytest.mark.parametrize("absent", ["/", "—", "-", "／"])
def test_not_reported_value_is_missing_never_zero(tmp_path: Path, absent: str) -> None:
    ds = load(tmp_path, {"hightech_output": {2018: 30}, "gross_output": {2018: absent}})
    assert ds.values[("gross_output", T)].value is None
    result = evaluate_indicator(FW, ds, 1, T)
    assert result.status is Status.MISSING
    assert result.value is None
    assert result.missing == ("gross_output", 2018)
    assert "gross_output" in result.reason_zh and "2018" in result.reason_zh
    assert result.reason_en.startswith("missing gross_output for 2018")


def test_not_reported_fact_is_missing(tmp_path: Path) -> None:
    ds = load(tmp_path, {"key_source_compliance": {2018: "/"}})
    result = evaluate_indicator(FW, ds, 17, T)
    assert (result.status, result.missing) == (Status.MISSING, ("key_source_compliance", 2018))


def test_not_reported_base_year_value_is_missing(tmp_path: Path) -> None:
    ds = load(tmp_path, {"iva": {2016: "/", 2018: 121}, "energy": {2016: 100, 2018: 110}})
    result = evaluate_indicator(FW, ds, 10, T)
    assert (result.status, result.missing) == (Status.MISSING, ("iva", 2016))


def test_empty_value_reason_does_not_quote_the_unit(tmp_path: Path) -> None:
    ds = load(tmp_path, {"hightech_output": {2018: 30}, "gross_output": {2018: ""}},
              units={"gross_output": "万元"})
    result = evaluate_indicator(FW, ds, 1, T)
    assert result.status is Status.MISSING
    assert "万元" not in result.reason_zh
