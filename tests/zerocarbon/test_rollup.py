"""The zero-carbon roll-up: roster-zc.csv (3 enterprises, 2021 and 2022; tests/data/accounting/
make_rosters.py) to exact inventory lines, E_park and energy, each enterprise's share; the items
shared with HJ 274 by its own rules; a profile's lines; and what the roll-up refuses."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ecopark import evaluate, load_framework
from ecopark.accounting.coefficients import Library
from ecopark.accounting.library import load_library
from ecopark.accounting.rollup import PARK_LINES, Options, Rollup, rollup
from ecopark.accounting.rollup_rules import load_rules
from ecopark.cli import app
from ecopark.core.dataset.loading import build_dataset
from ecopark.core.dataset.schema import DatasetFile
from ecopark.core.errors import MissingCoefficient, WorkbookProblems
from ecopark.core.results import Status
from ecopark.core.yamlfile import read_yaml
from ecopark.io.roster import read_roster
from ecopark.store import repository, submissions
from ecopark.store.engine import Store
from ecopark.store.rollup_submissions import apply_rollup, plan_rollup

DATA = Path(__file__).resolve().parent.parent / "data" / "accounting"
ROSTER = DATA / "roster-zc.csv"
PROFILE = DATA / "profile-zc.yaml"
ZC = load_framework("zero-carbon-park-2025")
ENV = {"COLUMNS": "200", "NO_COLOR": "1"}

# Factors (附件4 and the method's sets): Ef 0.8325 kg/kWh, Hf 0.11 t/GJ; fuels
# (cn-guideline-2015) NCV × carbon content × oxidation × 44/12; tce by GB/T 2589-2020; equal
# value 302.5 (2021) and 300.7 (2022) gce/kWh (cec-supply-coal-rate); heat 0.03412 tce/GJ.
EF, HF = 0.8325e-3, 0.11
GAS = 389.31e-4 * 15.3e-3 * 0.99 * 44 / 12       # t CO2 per m³
COAL = 20.908 * 26.18e-3 * 0.93 * 44 / 12         # t CO2 per t
DIESEL = 42.652 * 20.2e-3 * 0.98 * 44 / 12        # t CO2 per t
STEAM_2800 = (2800 - 83.74) / 1000                # GJ per t: h − h(20 °C water)
STEAM_DEFAULT = 0.1286 * 29.3076                  # GJ per t: GB/T 2589 default 0.1286 kgce/kg
TCE = {"raw_coal": 0.7143, "diesel": 1.4571, "natural_gas": 1.2143e-3, "heat": 0.03412}
EV = {2021: 302.5e-6, 2022: 300.7e-6}             # tce per kWh at equal value


def _profile(**extra: Any) -> DatasetFile:
    data = read_yaml(PROFILE)
    data.update(extra)
    return DatasetFile.model_validate(data)


def _rolled(library: Library, path: Path = ROSTER, profile: DatasetFile | None = None,
            top: int = 10) -> Rollup:
    return rollup(read_roster(path, library), ZC, library, load_rules(ZC), Options(top=top),
                  profile or _profile())


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


@pytest.fixture(scope="module")
def rolled(library: Library) -> Rollup:
    return _rolled(library)


def _lines(r: Rollup, year: int, section: str) -> list[dict[str, Any]]:
    return [line.model_dump(by_alias=True) for line in getattr(r.spec.inventory[year], section)]


def _amounts(r: Rollup, year: int, section: str, *fields: str) -> dict[tuple[Any, ...], float]:
    return {tuple(line[f] for f in fields): line["amount"] for line in _lines(r, year, section)}


def test_lines_2022_one_per_class_kind_fuel_and_direction(rolled: Rollup) -> None:
    # grid received: 甲 12 000 000 + 癸 1 000 000; green power (丙) counted as green_certified;
    # 丙's own PV as self_renewable; 癸's 外供电力 as grid sent
    assert _amounts(rolled, 2022, "electricity", "class", "direction") == {
        ("grid", "received"): 13_000_000, ("green_certified", "received"): 5_000_000,
        ("self_renewable", "received"): 2_000_000, ("grid", "sent"): 8_000_000}
    # fossil heat received: 甲 steam 1 000 t × (2 800 − 83.74) kJ/kg = 2 716.26 GJ + 丙 20 000 GJ
    assert _amounts(rolled, 2022, "heat", "kind", "direction") == pytest.approx({
        ("fossil", "received"): 22_716.26, ("nonfossil", "received"): 1_000,
        ("fossil", "sent"): 10_000})
    assert _amounts(rolled, 2022, "fuels", "fuel", "use", "unit") == {
        ("raw_coal", "final_consumption", "t"): 50_000,
        ("diesel", "final_consumption", "t"): 10,
        ("natural_gas", "final_consumption", "m3"): 1_200_000}


def test_lines_2021_two_enterprises_and_steam_without_a_state(rolled: Rollup) -> None:
    assert _amounts(rolled, 2021, "electricity", "class", "direction") == {
        ("grid", "received"): 11_000_000, ("grid", "sent"): 6_000_000}
    # 甲 800 t of steam, no pressure, temperature or enthalpy: 0.1286 kgce/kg × 29.3076 GJ/tce
    heat = _amounts(rolled, 2021, "heat", "kind", "direction")
    assert heat[("fossil", "received")] == pytest.approx(800 * STEAM_DEFAULT)  # 3 015.165888 GJ
    assert "缺省折标系数" in _lines(rolled, 2021, "heat")[0]["note"]


def test_e_park_and_energy_are_computed_from_the_lines(rolled: Rollup) -> None:
    values = build_dataset(rolled.spec, ZC, "rolled.yaml").values
    e_fuel = 50_000 * COAL + 10 * DIESEL + 1_200_000 * GAS      # 95 952.42 t
    e_elec = (13_000_000 - 8_000_000) * EF                      # 4 162.5 t
    e_heat = (STEAM_2800 * 1000 + 20_000 - 10_000) * HF         # 1 398.7886 t
    assert values[("co2_park", 2022)].value == pytest.approx(e_fuel + e_elec + e_heat)  # 101 513.70
    # 2021: heat sent exceeds heat received: E_heat < 0, allowed (附件4) and kept
    e_2021 = 45_000 * COAL + 1_000_000 * GAS + 5_000_000 * EF + (800 * STEAM_DEFAULT - 8000) * HF
    assert values[("co2_park", 2021)].value == pytest.approx(e_2021)
    energy = (50_000 * TCE["raw_coal"] + 10 * TCE["diesel"] + 1_200_000 * TCE["natural_gas"]
              + (13e6 + 5e6 + 2e6 - 8e6) * EV[2022]
              + (STEAM_2800 * 1000 + 20_000 + 1_000 - 10_000) * TCE["heat"])  # 41 263.13 tce
    assert values[("energy_inventory", 2022)].value == pytest.approx(energy)


def test_each_enterprise_share_adds_up_to_e_park(rolled: Rollup) -> None:
    entries = {e.enterprise: e for e in rolled.spec.contributions["co2_park"][2022]}
    # 癸: coal 50 000 t, power 1 000 000 in and 8 000 000 out, heat 10 000 GJ out
    gui = entries["常州癸热电有限公司"]
    assert gui.value == pytest.approx(50_000 * COAL - 7_000_000 * EF - 10_000 * HF)
    assert gui.parts == pytest.approx({"direct": 50_000 * COAL, "indirect": -7_000_000 * EF
                                       - 10_000 * HF})
    assert entries["常州丙电子有限公司"].value == pytest.approx(10 * DIESEL + 20_000 * HF)
    values = build_dataset(rolled.spec, ZC, "x").values
    total = math.fsum(e.value for e in entries.values())
    assert total == pytest.approx(values[("co2_park", 2022)].value, rel=1e-9)
    assert rolled.spec.contributions["co2_park"][2022][0].enterprise == "常州癸热电有限公司"
    assert "energy_inventory" in rolled.spec.contributions
    assert "direct_green_share" not in rolled.spec.contributions  # a ratio: no shares


def test_line_sources_name_the_enterprises_and_the_roster(rolled: Rollup) -> None:
    grid, *_ = _lines(rolled, 2022, "electricity")
    assert grid["source"] == "企业汇总：2 家企业填报 外购电力（名录 roster-zc.csv 中 2022 年共 3 行）"
    assert "rollup-zero-carbon-park-2025.yaml inventory.electricity" in grid["note"]
    heat = _lines(rolled, 2022, "heat")[0]
    assert "外购蒸汽、外购热力" in heat["source"] and "1000 t = 2716.26 GJ" in heat["note"]
    assert "roster-zc.csv" in rolled.spec.inventory[2022].source


def test_shared_items_use_the_hj274_rules_written_once(library: Library) -> None:
    rules = load_rules(ZC)
    assert set(rules.included) == {"swaste_generated", "swaste_utilized", "swaste_stock_utilized",
                                   "swaste_all_generated", "swaste_all_utilized",
                                   "swaste_all_stock", "fresh_water", "water_reuse"}
    assert all(Path(f).name == "rollup-hj274-2015.yaml" for f in rules.included.values())
    hj274 = load_framework("hj274-2015")
    zc = _rolled(library).spec.observations
    hj = rollup(read_roster(ROSTER, library), hj274, library, load_rules(hj274),
                Options()).spec.observations
    for item in rules.included:
        assert zc[item].values == hj[item].values, item
    # 新鲜水 2022: 100 000 + 300 000 + 50 000 m³ = 45 万m³
    assert zc["fresh_water"].values[2022].value == 45.0  # type: ignore[union-attr]


def test_stated_process_co2_is_said_never_counted(rolled: Rollup) -> None:
    assert rolled.spec.inventory[2022].process == []
    assert "500 t" in rolled.spec.inventory[2022].note and "未计入 E_process" in rolled.notes[0]


def test_profile_lines_are_replaced_by_key_or_kept(library: Library) -> None:
    profile = _profile(inventory={2022: {
        "source": "园区能源统计",
        "electricity": [{"class": "电网电力（非绿电）", "amount": 999},          # replaced (by name)
                        {"class": "direct_nonfossil", "amount": 1_000_000}],  # kept
        "process": [{"product": "lime", "amount": 100}]}})                    # kept: 100 × 0.75
    r = _rolled(library, profile=profile)
    assert ("inventory.electricity[grid, received]", 2022) in r.replaced
    # the grid line: 甲 12 000 000 + 癸 1 000 000 kWh, 2 of the 3 enterprises of 2022, for 999
    assert [(c.item, c.year, c.enterprises, c.known, c.total, c.previous) for c in r.coverage] == [
        ("inventory.electricity[grid, received]", 2022, 2, 3, 13_000_000, 999.0)]
    lines = _amounts(r, 2022, "electricity", "class", "direction")
    assert lines[("grid", "received")] == 13_000_000
    assert lines[("direct_nonfossil", "received")] == 1_000_000
    assert "园区能源统计" in r.spec.inventory[2022].source
    values = build_dataset(r.spec, ZC, "x").values
    base = build_dataset(_rolled(library).spec, ZC, "x").values
    assert values[("co2_park", 2022)].value == pytest.approx(base[("co2_park", 2022)].value + 75)
    park_lines = [e for e in r.spec.contributions["co2_park"][2022] if e.enterprise == PARK_LINES]
    assert [e.value for e in park_lines] == [pytest.approx(75)]


def test_profile_sections_are_carried(rolled: Rollup) -> None:
    assert set(rolled.spec.gates) == {"development_zone", "clear_boundary",
                                      "accounting_groundwork", "no_major_incident"}
    assert rolled.spec.accounting is not None and rolled.spec.accounting.method == ""
    assert rolled.spec.accounting.carbon == {}  # no HJ 274 method mixed in
    assert "zero-carbon-park-2025" in rolled.spec.accounting.note


def test_a_roster_without_carrier_columns_reports_no_inventory(library: Library,
                                                               tmp_path: Path) -> None:
    path = tmp_path / "water-only.csv"
    path.write_text("年份,企业名称,统一社会信用代码,新鲜水用量（立方米）\n"
                    "2022,常州甲化工有限公司,91320412MA1AB0001C,100000\n", encoding="utf-8")
    r = _rolled(library, path)
    assert r.spec.inventory == {} and "不按 0 计" in r.notes[0]
    dataset = build_dataset(r.spec, ZC, "x")
    assert ("co2_park", 2022) not in dataset.values            # not reported, never 0
    assert evaluate(ZC, dataset, 2022).result(1).status == Status.MISSING


def test_a_year_without_an_equal_value_coefficient_is_a_typed_error(library: Library,
                                                                    tmp_path: Path) -> None:
    path = tmp_path / "2019.csv"
    path.write_text("年份,企业名称,统一社会信用代码,外购电力（千瓦时）\n"
                    "2019,常州甲化工有限公司,91320412MA1AB0001C,1000000\n", encoding="utf-8")
    with pytest.raises(MissingCoefficient) as raised:
        _rolled(library, path)
    assert "2019" in raised.value.coefficient
    assert raised.value.file.endswith("electricity-equal-value-cec.yaml")


def test_an_unusable_steam_state_names_its_cell(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "steam.csv"
    path.write_text("年份,企业名称,统一社会信用代码,外购蒸汽（吨）,蒸汽绝对压力（MPa）,蒸汽温度（℃）\n"
                    "2022,常州甲化工有限公司,91320412MA1AB0001C,100,1.0,120\n", encoding="utf-8")
    with pytest.raises(WorkbookProblems) as raised:
        _rolled(library, path)
    assert raised.value.problems[0].cell == "E2"  # below saturation at 1 MPa: not steam


# ------------------------------------------------------------------ the commands


def _run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), env=ENV)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_rollup_then_assess_carbon_and_explain(tmp_path: Path) -> None:
    out = tmp_path / "dataset.yaml"
    text = _run("rollup", str(ROSTER), "--framework", "zero-carbon-park-2025", "--profile",
                str(PROFILE), "-o", str(out))
    assert "核算清单 2022：10 行" in text and "未计入 E_process" in text
    assessed = json.loads(_run("assess", str(out), "--framework", "zero-carbon-park-2025",
                               "--json"))
    e_park = assessed["inventory"]["2022"]["quantities"]["e_park"]
    assert e_park == pytest.approx(50_000 * COAL + 10 * DIESEL + 1_200_000 * GAS + 4162.5
                                   + 1398.7886)
    tree = _run("carbon", str(out), "--method", "zero-carbon-park-2025")
    assert "E_park = 101513.70 t" in tree
    explained = _run("explain", str(out), "1")
    assert "常州癸热电有限公司 91320412MA1AB0010A = 86399.33 t" in explained


def test_rollup_refuses_method_options_and_needs_a_profile(tmp_path: Path) -> None:
    out = str(tmp_path / "x.yaml")
    refused = CliRunner().invoke(app, ["rollup", str(ROSTER), "--framework",
                                       "zero-carbon-park-2025", "--profile", str(PROFILE),
                                       "--grid-year", "2022", "-o", out], env=ENV)
    assert refused.exit_code == 2 and "--grid-year" in refused.output
    bare = CliRunner().invoke(app, ["rollup", str(ROSTER), "--framework",
                                    "zero-carbon-park-2025", "-o", out], env=ENV)
    assert bare.exit_code == 2 and "park_scope" in bare.output
    assert not Path(out).exists()


# ------------------------------------------------------------------ the store


def test_accepted_submissions_fill_shared_items_of_a_zero_carbon_park(store: Store) -> None:
    spec = _profile()
    with store.session(actor="loader") as session:
        park = repository.save_dataset(session, spec, ZC).park
        enterprise = submissions.create_enterprise(session, park, "甲")
        sub = submissions.save_draft(session, enterprise, 2022, [
            submissions.SubmittedValue("fresh_water", 12, "万m3"),
            submissions.SubmittedValue("energy", 100, "tce")])  # an HJ 274 item only
        submissions.submit(session, sub)
        submissions.accept(session, sub)
        plan = plan_rollup(session, park, 2022)
        park_year, lines = plan.park_year, plan.lines
        assert park_year is not None and plan.duplicates == []
        assert [(line.item, line.total, line.action) for line in lines] == [
            ("fresh_water", 12.0, "fill")]
        apply_rollup(session, park_year, lines)
        _, dataset = repository.dataset_of(park_year)
        assert dataset.values[("fresh_water", 2022)].value == 12.0
