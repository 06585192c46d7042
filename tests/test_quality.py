"""Data-quality rules: every rule has a case that fires it; the seed park raises no false alarm;
one test per named check of the rule file."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import ecopark.core.quality as q
from ecopark import Dataset, Framework
from ecopark.accounting.aggregate import compute
from ecopark.accounting.factors import Settings, resolve
from ecopark.accounting.library import load_library
from ecopark.accounting.roster_quality import check_roster
from ecopark.core.dataset.loading import build_dataset
from ecopark.core.dataset.schema import DatasetFile
from ecopark.core.errors import DataFileError
from ecopark.core.yamlfile import read_yaml
from ecopark.io.roster import read_roster

CODE_A, CODE_B = "91320412MA1AB0001C", "91320412MA1AB0002F"


def _dataset(fw: Framework, values: dict[str, dict[int, float | None]],
             contributions: dict[str, Any] | None = None) -> Dataset:
    spec = DatasetFile.model_validate({
        "format": "ecopark-dataset/1", "framework": fw.id,
        "park": {"name": "测试园", "base_year": 2010},
        "observations": {k: {"unit": fw.spec.items[k].unit, "values": v} for k, v in values.items()},
        "contributions": contributions or {}})
    return build_dataset(spec, fw, "test.yaml")


def _entry(code: str, value: float) -> dict[str, Any]:
    return {"enterprise": f"企业{code[-2:]}", "credit_code": code, "value": value}


PARK_CASES: dict[str, tuple[dict[str, dict[int, float | None]], dict[str, Any] | None]] = {
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
    # completeness typed as 104 %
    "share_above_100": ({"env_management_rate": {2018: 104}}, None),
    # 绿化覆盖率 0.165 typed in a % field (plausible 5–100 %)
    "percent_as_fraction_range": ({"green_coverage_rate": {2018: 0.165}}, None),
    # an audit rate of 100 % typed as 1 where the other years are 95 and 98 %
    "percent_as_fraction_history": ({"clean_production_audit_rate": {2016: 95, 2017: 98,
                                                                     2018: 1}}, None),
    # 13.52 projects
    "count_not_whole": ({"eco_chain_project_count": {2018: 13.52}}, None),
    # industrial land of 0 km²
    "zero_denominator": ({"industrial_land": {2018: 0}}, None),
    # 绿化覆盖率 left blank in the evaluation year 2018
    "mandatory_input_blank": ({"green_coverage_rate": {2017: 20, 2018: None}}, None),
    # NOx blank in 2018: indicator 25 averages three elasticities
    "mean_member_left_out": ({"iva": {2010: 100, 2018: 200}, "cod": {2010: 10, 2018: 9},
                              "nh3n": {2010: 1, 2018: 0.9}, "so2": {2010: 5, 2018: 4},
                              "nox": {2010: 6, 2018: None}}, None),
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
    return check_roster(roster, compute(roster, resolved), fw)


def test_every_rule_has_a_case() -> None:
    ids = {rule.id for rule in q.load_rules(_fw()).spec.rules}
    assert ids == set(PARK_CASES) | set(ENTERPRISE_CASES)


def _fw() -> Framework:
    from ecopark import load_framework

    return load_framework("hj274-2015")


def test_every_rule_says_the_likely_fix() -> None:
    assert [r.id for r in q.load_rules(_fw()).spec.rules if not (r.fix_zh and r.fix_en)] == []


@pytest.mark.parametrize("rule", list(PARK_CASES))
def test_park_rule_fires(hj274: Framework, rule: str) -> None:
    values, contributions = PARK_CASES[rule]
    found = q.check_dataset(_dataset(hj274, values, contributions), hj274)
    assert rule in {f.rule for f in found}, found
    finding = next(f for f in found if f.rule == rule)
    assert finding.zh and finding.en and finding.version >= 1 and "测试园" in finding.where
    assert finding.fix_zh and finding.fix_en


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


def test_a_park_rule_names_the_item_not_its_id(hj274: Framework) -> None:
    """Park-level messages that name an item say its name in each language, never its id."""
    values, _ = PARK_CASES["year_on_year"]
    finding = next(f for f in q.check_dataset(_dataset(hj274, values), hj274)
                   if f.rule == "year_on_year")
    assert finding.zh == "测试园 2018年：工业增加值 由 2017 年 100000.00 变为 2018 年 300000.00，" \
                         "变化 3.00 倍，请核实"
    assert finding.en == "测试园 2018: industrial value added went from 100000.00 in 2017 to " \
                         "300000.00 in 2018, a factor of 3.00: check it"
    assert "iva" not in finding.zh + finding.en


def test_within_tolerance_does_not_fire(hj274: Framework) -> None:
    values = {"industrial_water_total": {2018: 90.2}, "fresh_water": {2018: 50},
              "water_reuse": {2018: 40}}  # 0.2 % off: rounding, not a finding
    assert q.check_dataset(_dataset(hj274, values), hj274) == []


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
    _fails(lambda d: d["rules"].append(copy.deepcopy(d["rules"][0])), "rules[23].id")


def test_check_params() -> None:
    _fails(lambda d: d["rules"][0]["params"].update(op="<"), "rules[0].params.op")


def test_check_fields() -> None:
    _fails(lambda d: d["rules"][0]["params"].update(left=["water_total"]), "rules[0].params")


def test_check_placeholders() -> None:
    _fails(lambda d: d["rules"][0].update(message_zh="{where} {nonsense}"), "rules[0].message_zh")


def test_check_params_park_only_kind_at_enterprise_level() -> None:
    def wrong(d: dict[str, Any]) -> None:
        next(r for r in d["rules"] if r["id"] == "count_not_whole")["level"] = "enterprise"

    with pytest.raises(DataFileError, match="park level only"):
        _load(wrong)


def test_check_fields_at_any_framework_names_no_item() -> None:
    def wrong(d: dict[str, Any]) -> None:
        next(r for r in d["rules"] if r["id"] == "zero_denominator")["any_framework"] = True

    with pytest.raises(DataFileError, match="names no item"):
        _load(wrong)


def test_check_indicators() -> None:
    def wrong(d: dict[str, Any]) -> None:  # indicator 3 is a growth rate in %, 2 is in 万元/人
        next(r for r in d["rules"] if r["id"] == "share_above_100")["params"]["indicators"] += [2]

    with pytest.raises(DataFileError, match="no indicator 2 in %"):
        _load(wrong)


def test_check_ratio_units() -> None:
    def wrong(d: dict[str, Any]) -> None:
        rule = next(r for r in d["rules"] if r["id"] == "intensity_park")
        rule["params"]["ratios"][0]["unit"] = "m3/万元"

    with pytest.raises(DataFileError, match="ratios"):
        _load(wrong)


def test_every_check_has_a_test() -> None:
    tested = {name.removeprefix("test_") for name in globals() if name.startswith("test_check_")
              and "_at_" not in name}
    assert {check.__name__ for check in q.CHECKS} == tested


def test_another_framework_gets_only_the_rules_for_any_framework() -> None:
    from ecopark import load_framework

    from .conftest import TINY

    tiny = load_framework(TINY / "framework.yaml")
    assert [r.id for r in q.load_rules(tiny).spec.rules] == ["wan_slip"]  # names no item
    with pytest.raises(DataFileError, match="framework"):
        q.load_rules(tiny, q.RULES_FILE)


# ------------------------------------------------------------------ plausibility (issue 12)


def _one(fw: Framework, rule: str, values: dict[str, dict[int, float | None]],
         year: int | None = None) -> q.QualityFinding:
    found = [f for f in q.check_dataset(_dataset(fw, values), fw, year=year) if f.rule == rule]
    assert len(found) == 1, found
    return found[0]


def test_share_above_100_item(hj274: Framework) -> None:
    f = _one(hj274, "share_above_100", {"env_management_rate": {2018: 104}})
    assert (f.item, f.year, f.value, f.severity, f.indicators) == (
        "env_management_rate", 2018, 104.0, "error", (20,))
    assert f.zh == "测试园 2018年：数据项“环境管理能力完善度（直接填报）”为 104 %，比例不可能超过 100 %"
    assert f.en == ("测试园 2018: item 'completeness of environmental management capacity "
                    "(reported directly)' is 104 %; a share cannot exceed 100 %")
    assert f.fix_zh == "核对该比例及其分子、分母（如已实施的企业数不应多于应实施的企业数）"


def test_share_above_100_computed_indicator(hj274: Framework) -> None:
    # 13 enterprises audited of 12 required: indicator 21 = 108.33 %
    f = _one(hj274, "share_above_100", {"key_ent_audited": {2018: 13},
                                        "key_ent_audit_required": {2018: 12}})
    assert f.indicators == (21,) and f.year == 2018 and f.value == pytest.approx(108.33333333)
    assert set(f.cells) == {("key_ent_audited", 2018), ("key_ent_audit_required", 2018)}
    assert f.zh == ("测试园 2018年：指标 21“工业园区重点企业清洁生产审核实施率”为 108.33 %，"
                    "比例不可能超过 100 %")


def test_percent_typed_as_fraction_below_the_declared_range(hj274: Framework) -> None:
    f = _one(hj274, "percent_as_fraction_range", {"green_coverage_rate": {2018: 0.165}})
    assert (f.item, f.year, f.value, f.severity) == ("green_coverage_rate", 2018, 0.165, "error")
    assert f.zh == "测试园 2018年：绿化覆盖率 为 0.165 %，低于合理范围 5–100 %，疑为把小数填进了百分数栏"
    assert (f.fix_zh, f.fix_en) == ("按百分数填写：小数 0.165 即 16.5 %",
                                    "enter it as a percentage: the fraction 0.165 is 16.5 %")


def test_percent_typed_as_fraction_against_the_history(hj274: Framework) -> None:
    f = _one(hj274, "percent_as_fraction_history",
             {"clean_production_audit_rate": {2016: 95, 2017: 98, 2018: 1}})
    assert (f.item, f.year, f.value) == ("clean_production_audit_rate", 2018, 1.0)
    assert f.zh == ("测试园 2018年：重点企业清洁生产审核实施率（直接填报） 为 1 %，而其它年份（2016、2017）"
                    "均大于 1 %，疑为把小数填进了百分数栏")
    assert f.fix_zh == "按百分数填写：小数 1 即 100 %"


def test_a_rate_of_0_is_no_fraction(hj274: Framework) -> None:
    values: dict[str, dict[int, float | None]] = {"clean_production_audit_rate": {2017: 98, 2018: 0}}
    assert [f.rule for f in q.check_dataset(_dataset(hj274, values), hj274)
            if f.kind == "fraction_for_percent"] == []


def test_count_not_whole(hj274: Framework) -> None:
    f = _one(hj274, "count_not_whole", {"eco_chain_project_count": {2018: 13.52}})
    assert (f.item, f.year, f.value, f.severity, f.indicators) == (
        "eco_chain_project_count", 2018, 13.52, "error", (5,))
    assert f.zh == "测试园 2018年：建设规划实施后新增构建生态工业链项目数量 为 13.52，数量应为整数"
    assert f.fix_zh == "填写整数（如 14），或核对是否填错了栏"


def test_zero_denominator(hj274: Framework) -> None:
    f = _one(hj274, "zero_denominator", {"industrial_land": {2018: 0}})
    assert (f.item, f.year, f.value, f.severity) == ("industrial_land", 2018, 0.0, "error")
    assert f.zh == "测试园 2018年：工业用地面积 为 0，以它为分母的指标无法计算（它参与指标 8、9）"
    assert f.fix_en == "enter the actual value; leave it blank when unknown, never 0"


def test_wan_slip_against_the_items_own_history(hj274: Framework) -> None:
    # IVA 430 typed in 亿元 where 万元 is asked; the other years are about 4 000 000 万元
    f = _one(hj274, "wan_slip", {"iva": {2015: 3900000, 2016: 4000000, 2017: 4100000,
                                         2018: 430}})
    assert (f.item, f.year, f.value, f.severity, f.version) == ("iva", 2018, 430.0, "error", 2)
    assert f.zh == ("测试园 2018年：工业增加值 为 430 万元，而其它年份（2015、2016、2017）约为 4000000 万元，"
                    "相差约 9,302 倍，疑为“万”单位错位")
    assert f.fix_zh == "按 万元 填写（其它年份约为 4000000 万元），或核对各年份所用单位"


def test_wan_slip_names_the_odd_year_not_the_next(hj274: Framework) -> None:
    f = _one(hj274, "wan_slip", {"iva": {2015: 390, 2016: 4000000, 2017: 4100000, 2018: 4200000}})
    assert (f.year, f.value) == (2015, 390.0)


def test_mandatory_input_blank(hj274: Framework) -> None:
    values: dict[str, dict[int, float | None]] = {"green_coverage_rate": {2017: 20, 2018: None}}
    found = [f for f in q.check_dataset(_dataset(hj274, values), hj274)
             if f.rule == "mandatory_input_blank" and f.item == "green_coverage_rate"]
    assert [(f.year, f.value, f.severity, f.indicators) for f in found] == [
        (2018, None, "warning", (29,))]
    assert found[0].zh == "测试园 2018年：必选指标 29（绿化覆盖率）缺少评价年的 绿化覆盖率，无法评价"
    assert found[0].fix_zh == "填写 绿化覆盖率（2018年）"


def test_mandatory_input_blank_only_for_the_evaluation_year(hj274: Framework) -> None:
    values: dict[str, dict[int, float | None]] = {"green_coverage_rate": {2017: None, 2018: 20}}
    assert not [f for f in q.check_dataset(_dataset(hj274, values), hj274)
                if f.rule == "mandatory_input_blank" and f.item == "green_coverage_rate"]


def test_mean_member_left_out(hj274: Framework) -> None:
    values, _ = PARK_CASES["mean_member_left_out"]
    f = _one(hj274, "mean_member_left_out", values)
    assert (f.item, f.year, f.value, f.severity, f.indicators) == ("nox", 2018, None, "warning",
                                                                   (25,))
    assert f.zh == ("测试园 2018年：缺少 氮氧化物排放量，指标 25（主要污染物排放弹性系数）的平均值"
                    "只计入了 3/4 项（缺项不按 0 计）")
    assert f.fix_en == "enter NOx emitted for 2018 so that every member is averaged"


def test_seed_trips_only_its_real_gap(hj274: Framework, seed: Dataset) -> None:
    """The seed's table leaves NH3-N blank for the base year 2012: indicator 25 is a mean of
    three elasticities (the report says so too). Nothing else fires."""
    found = q.check_dataset(seed, hj274)
    assert [(f.rule, f.item, f.year, f.severity) for f in found] == [
        ("mean_member_left_out", "nh3n", 2012, "warning")]


# ------------------------------------------------------------------ the door: screen and gate


SLIPPED: dict[str, dict[int, float | None]] = {
    "iva": {2015: 3900000, 2016: 4000000, 2017: 4100000, 2018: 430},
    "green_coverage_rate": {2018: 20}}


def test_screen_returns_the_findings_on_the_written_cells(hj274: Framework) -> None:
    found = q.screen(hj274, _dataset(hj274, SLIPPED), [("iva", 2018)])
    assert [(f.rule, f.item, f.year, f.value) for f in found] == [("wan_slip", "iva", 2018, 430.0)]


def test_screen_ignores_findings_on_other_cells(hj274: Framework) -> None:
    assert q.screen(hj274, _dataset(hj274, SLIPPED), [("green_coverage_rate", 2018)]) == []
    assert q.screen(hj274, _dataset(hj274, SLIPPED), []) == []


def test_screen_names_the_earlier_year_when_it_is_the_one_written(hj274: Framework) -> None:
    values: dict[str, dict[int, float | None]] = {"iva": {2017: 410, 2018: 4200000}}
    found = q.screen(hj274, _dataset(hj274, values), [("iva", 2017)])
    assert [(f.rule, f.year) for f in found] == [("wan_slip", 2017)]


def test_screen_warns_of_a_blank_mandatory_input(hj274: Framework) -> None:
    values = {**SLIPPED, "green_coverage_rate": {2018: None}}
    found = q.screen(hj274, _dataset(hj274, values), [("green_coverage_rate", 2018)])
    assert [(f.rule, f.severity) for f in found] == [("mandatory_input_blank", "warning")]
    assert q.gate(found) == found  # warnings never stop a write


def test_gate_stops_an_error_without_a_reason(hj274: Framework) -> None:
    from ecopark.core.errors import ImplausibleValue

    found = q.screen(hj274, _dataset(hj274, SLIPPED), [("iva", 2018)])
    for reason in (None, "", "  "):
        with pytest.raises(ImplausibleValue) as caught:
            q.gate(found, reason)
        assert caught.value.findings == found
    message = str(caught.value)
    assert message.startswith("1 处数值不合理，未保存：\n  - 测试园 2018年：工业增加值 为 430 万元")
    assert "（可能的更正：按 万元 填写（其它年份约为 4000000 万元），或核对各年份所用单位）" in message
    assert message.endswith("建议：核对并更正数值；如数值确实无误，请填写理由后确认保存 correct the value, "
                            "or confirm it with a reason to save it anyway")
    assert "a likely 10⁴ (万) unit slip" in caught.value.message("en")
    assert q.gate(found, "2018 年园区口径调整，已核实") == found
