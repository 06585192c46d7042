"""The accounting commands through the CLI runner: rollup (atomic, exit 2 on bad input), explain
showing contributors, energy, carbon, check, roster-template; assess/verify quality keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from ecopark.cli import app

from ..conftest import SEED
from .conftest import BAD_CSV, BAD_XLSX, CODE_JIA, DUP_CSV, DUP_XLSX, ROSTER_CSV, ROSTER_XLSX

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def _rollup(tmp_path: Path, roster: Path = ROSTER_XLSX, *extra: str) -> tuple[int, str, str, Path]:
    out = tmp_path / "rolled.yaml"
    code, stdout, stderr = invoke("rollup", str(roster), "-o", str(out), "--base-year", "2012",
                                  "--grid-year", "2022", *extra)
    return code, stdout, stderr, out


def test_rollup_writes_a_dataset_that_assesses(tmp_path: Path) -> None:
    code, out, _, path = _rollup(tmp_path)
    assert code == 0 and "已写入" in out and "24 个数据项" in out and "全国 2022" in out
    # the quality summary: 甲 states 31 000 t, recomputed 13 506 t
    assert "企业填报二氧化碳排放量" in out and "stated_co2" not in out
    code, out, _ = invoke("assess", str(path), "--json")
    data = json.loads(out)
    assert code == 0 and data["year"] == 2018
    i21 = next(i for i in data["indicators"] if i["number"] == 21)
    assert i21["value"] == 80.0 and "quality" in data


def test_explain_lists_contributors_largest_first(tmp_path: Path) -> None:
    _, _, _, path = _rollup(tmp_path)
    code, out, _ = invoke("explain", str(path), "2")
    assert code == 0
    lines = [line for line in out.splitlines() if "有限公司" in line]
    iva = [line for line in lines if "万元" in line]
    assert "常州癸热电有限公司" in iva[0] and "15000" in iva[0] and "21.1%" in iva[0]
    assert "常州壬环保科技有限公司" in iva[-1]
    assert "企业汇总：10 家企业填报" in out


def test_rollup_bad_roster_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    for bad in (BAD_CSV, BAD_XLSX):
        code, _, err, path = _rollup(tmp_path, bad)
        assert code == 2 and not path.exists()
        assert "D3" in err and "C4" in err and "A5" in err and "G1" in err and "F1" in err


def test_rollup_keeps_the_old_file_when_it_fails(tmp_path: Path) -> None:
    path = tmp_path / "rolled.yaml"
    path.write_text("old\n", encoding="utf-8")
    code, _, err = invoke("rollup", str(ROSTER_CSV), "-o", str(path), "--grid-region", "江苏")
    assert code == 2 and "co2-grid-mee.yaml" in err and "江苏" in err
    assert path.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["rolled.yaml"]


def test_energy_with_amounts() -> None:
    code, out, _ = invoke("energy", "--use", "天然气=35万立方米", "--use", "电力=1200万千瓦时", "--json")
    data = json.loads(out)
    # 350 000 m³ × 1.2143 kgce/m³ = 425.005 tce; 12 000 000 kWh × 0.1229 kgce/kWh = 1 474.8 tce
    assert code == 0 and abs(data["energy_tce"] - 1899.805) < 1e-6


def test_energy_refuses_a_coal_equivalent_and_an_unknown_carrier() -> None:
    code, _, err = invoke("energy", "--use", "电力=10吨标准煤")
    assert code == 2 and "折标量" in err
    code, _, err = invoke("energy", "--use", "煤油=10吨")
    assert code == 2 and "未知能源品种" in err


def test_carbon_for_one_enterprise() -> None:
    code, out, _ = invoke("carbon", str(ROSTER_CSV), "--enterprise", "91320412MA1AB0001C",
                          "--year", "2018", "--grid-year", "2022", "--json")
    data = json.loads(out)
    # 甲 2018: power 20 000 000 kWh × 0.5366 kg = 10 732 t; heat 5 000 GJ × 0.11 = 550 t
    assert code == 0 and data["co2"]["electricity"] == pytest.approx(10732)
    assert data["co2"]["heat"] == pytest.approx(550)


def test_carbon_park_totals_by_year() -> None:
    code, out, _ = invoke("carbon", str(ROSTER_CSV), "--grid-year", "2022", "--json")
    data = json.loads(out)
    assert code == 0 and data["years"]["2018"]["electricity"] == pytest.approx(10732)


def test_check_roster_and_dataset() -> None:
    code, out, _ = invoke("check", str(ROSTER_CSV), "--json")
    data = json.loads(out)
    assert code == 0 and [f["rule"] for f in data["findings"]] == ["stated_co2"]
    assert data["findings"][0]["indicators"] == [26] and len(data["rules_run"]) == 23
    code, out, _ = invoke("check", str(SEED), "--json")
    # the seed's one real gap: NH3-N blank for the base year 2012 leaves indicator 25's mean 3/4
    assert code == 0 and [(f["rule"], f["item"], f["year"]) for f in json.loads(out)[
        "findings"]] == [("mean_member_left_out", "nh3n", 2012)]


def test_assess_and_verify_json_only_add_the_quality_key() -> None:
    code, out, _ = invoke("verify", str(SEED), "--json")
    data = json.loads(out)
    assert code == 0 and data["findings"][0]["kind"] == "overall_verdict_flip"
    assert [(q["rule"], q["severity"], q["item"], q["year"], q["value"]) for q in data["quality"]] \
        == [("mean_member_left_out", "warning", "nh3n", 2012, None)]


def test_assess_json_quality_names_item_year_value_and_fix(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8").replace("values: {2018: 24.83}", "values: {2018: 0.2483}")
    path = tmp_path / "slip.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, _ = invoke("assess", str(path), "--json")
    quality = [q for q in json.loads(out)["quality"] if q["severity"] == "error"]
    assert code == 0 and [(q["rule"], q["item"], q["year"], q["value"], q["indicators"])
                          for q in quality] == [
        ("percent_as_fraction_range", "green_coverage_rate", 2018, 0.2483, [29])]
    assert quality[0]["fix_zh"] == "按百分数填写：小数 0.2483 即 24.83 %"
    assert quality[0]["message_en"].endswith("below the plausible range 5–100 %: likely a "
                                             "fraction typed where a percentage is asked")
    code, out, _ = invoke("assess", str(path))
    assert code == 0 and "疑为把小数填进了百分数栏" in out and "建议：按百分数填写" in out


def test_roster_template(tmp_path: Path) -> None:
    path = tmp_path / "roster.xlsx"
    code, out, _ = invoke("roster-template", "-o", str(path))
    assert code == 0 and path.is_file() and "已写入" in out


def test_rollup_stops_at_a_duplicated_credit_code(tmp_path: Path) -> None:
    out = tmp_path / "rolled.yaml"
    code, _, err = invoke("rollup", str(DUP_XLSX), "-o", str(out))
    assert code == 2 and not out.exists()
    assert (f"工作表 企业数据，第 2、4 行：统一社会信用代码 {CODE_JIA} 在 2018 年出现不止一次（第 2 行 "
            "常州甲化工有限公司、第 4 行 常州甲化工（重复录入）），汇总已停止，不重复计算") in err
    assert f"--keep-row {CODE_JIA}=2" in err
    code, stdout, _ = invoke("rollup", str(DUP_CSV), "-o", str(out), "--keep-row",
                             f"{CODE_JIA}=4")
    assert code == 0 and "按 --keep-row 只计第 4 行" in stdout
    iva = yaml.safe_load(out.read_text(encoding="utf-8"))["observations"]["iva"]["values"][2018]
    assert iva["value"] == 30000  # 12000 + 8000 + 10000: 甲 once
    code, _, err = invoke("rollup", str(DUP_CSV), "-o", str(out), "--keep-row", f"{CODE_JIA}=3")
    assert code == 2 and "--keep-row：" in err and "第 3 行不是代码" in err
    code, stdout, _ = invoke("check", str(DUP_CSV), "--json")  # check reports, it does not stop
    findings = json.loads(stdout)["findings"]
    assert code == 0 and [f["rule"] for f in findings] == ["duplicate_enterprise"]


def test_replacing_a_park_total_needs_confirmation_below_full_coverage(tmp_path: Path) -> None:
    profile = tmp_path / "park.yaml"
    profile.write_text(PROFILE, encoding="utf-8")
    out = tmp_path / "rolled.yaml"
    args = ("rollup", str(DUP_CSV), "-o", str(out), "--profile", str(profile), "--keep-row",
            f"{CODE_JIA}=2")
    code, _, err = invoke(*args)
    assert code == 2 and not out.exists()
    assert "企业汇总未覆盖全部企业，替换园区填报的合计值须确认" in err
    assert "energy 2018：1 / 3 家企业（33 %），其合计 1229 为原值 28110 的 4.4 %" in err
    assert "iva 2018" not in err and "--confirm-coverage" in err
    code, stdout, _ = invoke(*args, "--confirm-coverage", "--lang", "en")
    assert code == 0 and out.exists()
    assert ("coverage energy 2018: 1 of 3 enterprises (33 %); their sum 1229 is 4.4 % of the "
            "previous total 28110") in stdout
    assert "coverage iva 2018: 3 of 3 enterprises (100 %)" in stdout


PROFILE = """format: ecopark-dataset/1
framework: hj274-2015
park: {name: 常州测试园, base_year: 2012, region_class: other}
observations:
  energy: {unit: tce, values: {2018: 28110}}
  iva: {unit: 万元, values: {2018: 30000}}
"""


def test_park_energy_totals_count_a_duplicate_once() -> None:
    code, _, err = invoke("energy", str(DUP_CSV))
    assert code == 2 and f"统一社会信用代码 {CODE_JIA} 在 2018 年出现不止一次" in err
    code, out, _ = invoke("energy", str(DUP_CSV), "--keep-row", f"{CODE_JIA}=2", "--json")
    data = json.loads(out)
    # 甲 once: 10 000 000 kWh × 0.1229 kgce/kWh = 1 229 tce (not 2 458)
    assert code == 0 and data["years"]["2018"]["energy_tce"] == pytest.approx(1229)
    assert data["notes"][0].startswith("名录 roster-dup.csv：统一社会信用代码")
    code, _, err = invoke("energy", "--use", "天然气=1万立方米", "--keep-row", f"{CODE_JIA}=2")
    assert code == 2 and "--keep-row：只用于名录的园区合计" in err
