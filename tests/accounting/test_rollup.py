"""Roll-up of the 10-enterprise roster (tests/data/accounting/roster-10.csv) to exact park items,
with the arithmetic in the comments; contributions; profile merge; the rule file's checks."""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from ecopark import evaluate, load_framework
from ecopark.accounting import duplicates, rollup_rules
from ecopark.accounting import rollup as ru
from ecopark.accounting.coefficients import Library
from ecopark.accounting.coverage import require_confirmed
from ecopark.accounting.factors import Settings
from ecopark.accounting.rollup import Options, rollup
from ecopark.accounting.rollup_rules import RollupFile, RollupRules, load_rules
from ecopark.core.dataset.loading import build_dataset
from ecopark.core.dataset.schema import DatasetFile
from ecopark.core.errors import (
    DataFileError,
    DuplicateEnterprise,
    InvalidValue,
    PartialCoverage,
    WorkbookProblems,
)
from ecopark.core.framework.model import Framework
from ecopark.core.yamlfile import read_yaml
from ecopark.io.roster import read_roster

from .conftest import CODE_JIA, DUP_CSV, DUP_XLSX, ROSTER_CSV, ROSTER_XLSX

FW = load_framework("hj274-2015")
ZC = load_framework("zero-carbon-park-2025")
OPTIONS = Options(Settings(grid_year=2022), base_year=2012, park_name="常州测试园")


def _rolled(library: Library, path: Path = ROSTER_CSV, options: Options = OPTIONS,
            profile: DatasetFile | None = None) -> ru.Rollup:
    return rollup(read_roster(path, library), FW, library, load_rules(FW), options, profile)


def _value(result: ru.Rollup, item: str, year: int) -> Any:
    entry = result.spec.observations[item].values[year]
    return entry.value  # type: ignore[union-attr]


def test_sums_2018(library: Library) -> None:
    r = _rolled(library)
    # 工业总产值 50000+30000+40000+20000+25000+10000+15000+35000+5000+60000 = 290 000 万元
    assert _value(r, "gross_output", 2018) == 290000
    # 工业增加值 12000+8000+10000+4000+6000+2500+3000+9000+1500+15000 = 71 000 万元
    assert _value(r, "iva", 2018) == 71000
    # 从业人员 400+300+350+500+200+150+180+260+60+120 = 2 520 人
    assert _value(r, "employees", 2018) == 2520
    # 用地 80000+50000+40000+60000+30000+20000+25000+35000+10000+100000 m² = 450 000 m² = 0.45 km²
    assert _value(r, "industrial_land", 2018) == pytest.approx(0.45)
    # 新鲜水 200000+50000+30000+150000+20000+40000+10000+60000+5000+300000 m³ = 86.5 万m³
    assert _value(r, "fresh_water", 2018) == pytest.approx(86.5)
    # COD 12+2+1+15+1+3+1+4+0.5+6 = 45.5 t; SO2 only 甲 3, 庚 1, 癸 20 reported = 24 t
    assert _value(r, "cod", 2018) == pytest.approx(45.5)
    assert _value(r, "so2", 2018) == pytest.approx(24)


def test_hightech_output_counts_certificates_valid_in_the_year(library: Library) -> None:
    r = _rolled(library)
    # 2018: 甲 (2017-11-17…2020-11-16) 50000 + 丙 (from 2018-11-30) 40000 + 戊 (…2018-10-09) 25000
    #       + 辛 (2016-11-30…2019-11-29) 35000 = 150 000; 乙 expired 2015
    assert _value(r, "hightech_output", 2018) == 150000
    # 2012: only 乙 (2012-10-01…2015-09-30) 20000
    assert _value(r, "hightech_output", 2012) == 20000


def test_key_enterprise_rates(library: Library) -> None:
    r = _rolled(library)
    # 重点企业 2018: 甲 丙 丁 辛 癸 = 5; audited within 5 years: 甲 2016, 丙 2018, 辛 2014, 癸 2017
    # (丁 2012 + 5 = 2017 ≤ 2018: expired) = 4
    assert (_value(r, "key_ent_audit_required", 2018), _value(r, "key_ent_audited", 2018)) == (5, 4)
    # 重点排污单位 2018: 甲 丁 庚 癸 = 4; disclosed: 甲 庚 癸 = 3
    assert (_value(r, "key_ent_disclosure_required", 2018),
            _value(r, "key_ent_disclosed", 2018)) == (4, 3)
    evaluation = evaluate(FW, build_dataset(r.spec, FW, "x"), 2018)
    assert evaluation.result(21).value == 80.0 and evaluation.result(30).value == 75.0


def test_energy_2018_excludes_energy_passed_on(library: Library) -> None:
    r = _rolled(library)
    # tce by enterprise (GB/T 2589, electricity 0.1229 kgce/kWh):
    # 甲 gas 1 000 000 × 1.2143e-3 = 1214.3 + diesel 20 × 1.4571 = 29.142 + power 2e7 × 1.229e-4
    #    = 2458 + heat 5000 × 0.03412 = 170.6 → 3872.042
    # 乙 14.571 + 983.2 + PV 61.45 = 1059.221      丙 1474.8 + green 245.8 + PV 122.9 = 1843.5
    # 丁 364.29 + 737.4 + 102.36 = 1204.05          戊 614.5 + PV 49.16 = 663.66
    # 己 242.86 + 245.8 = 488.66                    庚 7.2855 + 491.6 = 498.8855
    # 辛 607.15 + 1106.1 + 68.24 = 1781.49          壬 2.9142 + 122.9 = 125.8142
    # 癸 coal 100 000 × 0.7143 = 71430 + 122.9 − power passed on 5e7 × 1.229e-4 = 6145 → 65407.9
    # Σ = 76 945.2227 tce
    assert _value(r, "energy", 2018) == pytest.approx(76945.2227)
    # renewable: 乙 61.45 + 丙 245.8 + 122.9 + 戊 49.16 = 479.31 tce
    assert _value(r, "renewable_energy", 2018) == pytest.approx(479.31)


def test_co2_2018_direct_and_indirect(library: Library) -> None:
    r = _rolled(library)
    gas = 389.31e-4 * 15.3e-3 * 0.99 * 44 / 12          # t CO2 per m³
    diesel = 42.652 * 20.2e-3 * 0.98 * 44 / 12          # t CO2 per t
    coal = 20.908 * 26.18e-3 * 0.93 * 44 / 12           # t CO2 per t
    # combustion: gas 2 000 000 m³, diesel 37 t, coal 100 000 t
    combustion = 2_000_000 * gas + 37 * diesel + 100_000 * coal
    # electricity: purchased 68 000 000 + green 2 000 000 − passed on 50 000 000 = 20 000 000 kWh
    # × 0.5366 kg/kWh = 10 732 t;  heat: 5000 + 3000 + 2000 = 10 000 GJ × 0.11 = 1 100 t
    parts = r.spec.accounting.carbon[2018]  # type: ignore[union-attr]
    assert parts["combustion"] == pytest.approx(combustion, rel=1e-9)
    assert parts["electricity"] == pytest.approx(10732)
    assert parts["heat"] == pytest.approx(1100)
    assert parts["direct"] == pytest.approx(combustion, rel=1e-9)
    assert parts["indirect"] == pytest.approx(11832)
    assert _value(r, "co2", 2018) == pytest.approx(combustion + 11832, rel=1e-9)


def test_one_grid_factor_for_every_year(library: Library) -> None:
    r = _rolled(library)
    accounting = r.spec.accounting
    assert accounting is not None and accounting.grid_year == 2022
    assert "全国 2022" in r.spec.observations["co2"].values[2012].source  # type: ignore[union-attr]
    assert "全国 2022" in r.spec.observations["co2"].values[2018].source  # type: ignore[union-attr]


def test_contributions_sum_to_the_item_largest_first(library: Library) -> None:
    r = _rolled(library)
    entries = r.spec.contributions["iva"][2018]
    assert [e.enterprise for e in entries][:2] == ["常州癸热电有限公司", "常州甲化工有限公司"]
    assert sum(e.value for e in entries) == 71000
    assert entries[0].credit_code == "91320412MA1AB0010A" and entries[0].row == 19
    co2 = r.spec.contributions["co2"][2018][0]
    assert set(co2.parts) == {"direct", "indirect"}


def test_top_n_keeps_the_rest_as_one_entry(library: Library) -> None:
    r = _rolled(library, options=Options(Settings(grid_year=2022), top=3))
    entries = r.spec.contributions["iva"][2018]
    assert len(entries) == 4 and entries[-1].count == 7
    assert sum(e.value for e in entries) == pytest.approx(71000)


def test_xlsx_rolls_up_to_the_same_items(library: Library) -> None:
    a, b = _rolled(library, ROSTER_CSV), _rolled(library, ROSTER_XLSX)
    assert a.spec.observations.keys() == b.spec.observations.keys()
    for item in a.spec.observations:
        assert _value(a, item, 2018) == _value(b, item, 2018)


def test_profile_facts_kept_and_stated_totals_replaced(library: Library) -> None:
    profile = DatasetFile.model_validate({
        "format": "ecopark-dataset/1", "framework": "hj274-2015",
        "park": {"name": "常州测试园", "base_year": 2012, "region_class": "other"},
        "observations": {
            "green_coverage_rate": {"unit": "%", "values": {2018: 20}},
            "iva": {"unit": "亿元", "source": "统计局", "values": {2015: 5.0, 2018: 7.2}},
            "co2": {"unit": "t", "values": {2012: 150000, 2018: 210000}},
        },
        "accounting": {"grid_year": 2022},
    })
    r = _rolled(library, options=Options(), profile=profile)
    obs = r.spec.observations
    assert obs["green_coverage_rate"].values[2018] == 20         # a fact the roster cannot give
    assert _value(r, "iva", 2018) == 71000                        # the roll-up wins …
    assert r.spec.accounting.stated["iva"][2018] == 72000         # … the park's figure is kept
    assert obs["iva"].values[2015].value == 5.0                   # a year the roster lacks stays
    assert obs["iva"].values[2015].unit == "亿元"
    assert set(obs["co2"].values) == {2012, 2018}                 # CO2 never mixes methods
    assert ("co2", 2018) in r.replaced and r.spec.accounting.grid_year == 2022


# ------------------------------------------------------------------ the rule file's checks


def _rules(change: Callable[[dict[str, Any]], None], framework: Framework = FW) -> RollupRules:
    data = copy.deepcopy(read_yaml(rollup_rules.DATA_DIR / f"rollup-{framework.id}.yaml"))
    change(data)
    rules = RollupRules(RollupFile.model_validate(data), "rollup.yaml")
    for check in rollup_rules.CHECKS:
        check(rules, framework)
    return rules


def _fails(change: Callable[[dict[str, Any]], None], key_path: str,
           framework: Framework = FW) -> None:
    with pytest.raises(DataFileError) as caught:
        _rules(change, framework)
    assert caught.value.key_path == key_path, caught.value


def _zc_fails(change: Callable[[dict[str, Any]], None], key_path: str) -> None:
    _fails(change, key_path, ZC)


def _line(carrier: str, **rule: Any) -> Callable[[dict[str, Any]], None]:
    return lambda d: d["inventory"].update({carrier: {"source": "x", **rule}})


def test_shipped_rules_load(hj274: Framework) -> None:
    assert "energy" in load_rules(hj274).spec.items
    zc = load_rules(ZC)
    assert "fresh_water" in zc.spec.items and "electricity" in zc.spec.inventory


def test_check_rule_form() -> None:
    _fails(lambda d: d["items"]["iva"].update(count=["key_enterprise"]), "items.iva")


def test_check_rule_framework() -> None:
    _fails(lambda d: d["items"].update(nonsense={"sum": ["gross_output"], "source": "x"}),
           "items.nonsense")


def test_check_rule_fields() -> None:
    _fails(lambda d: d["items"]["iva"].update(sum=["turnover"]), "items.iva.sum")


def test_check_rule_units() -> None:
    _fails(lambda d: d["items"]["iva"].update(sum=["fresh_water"]), "items.iva")


def test_check_rule_requires() -> None:
    _fails(lambda d: d["items"]["key_ent_audited"].update(requires="iva"),
           "items.key_ent_audited.requires")


def test_check_rule_include(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _zc_fails(lambda d: d["include"]["hj274-2015"].append("iva"),  # not shared with zc
              "include.hj274-2015[8]")
    _zc_fails(lambda d: d["items"].update(fresh_water={"sum": ["fresh_water"], "source": "x"}),
              "include.hj274-2015[6]")  # written twice
    _zc_fails(lambda d: d["include"].update({"zero-carbon-park-2025": []}),
              "include.zero-carbon-park-2025")
    # an included file that includes in turn (here: back) is refused before it is loaded
    hj274 = read_yaml(rollup_rules.DATA_DIR / "rollup-hj274-2015.yaml")
    hj274["include"] = {"zero-carbon-park-2025": []}
    (tmp_path / "rollup-hj274-2015.yaml").write_text(yaml.safe_dump(hj274, allow_unicode=True),
                                                     encoding="utf-8")
    shutil.copy(rollup_rules.DATA_DIR / "rollup-zero-carbon-park-2025.yaml", tmp_path)
    monkeypatch.setattr(rollup_rules, "DATA_DIR", tmp_path)
    _zc_fails(lambda d: None, "include.hj274-2015")


def test_check_rule_not_computed() -> None:
    _zc_fails(lambda d: d["items"].update(co2_park={"sum": ["co2_total"], "source": "x"}),
              "items.co2_park")


def test_check_inventory_method() -> None:
    _fails(lambda d: d.update(inventory={"electricity": {"line": "electricity", "class": "grid",
                                                         "direction": "received",
                                                         "source": "x"}}), "inventory")


def test_check_inventory_carriers() -> None:
    _zc_fails(_line("electricty", line="electricity", **{"class": "grid"},
                    direction="received"), "inventory.electricty")


def test_check_inventory_complete() -> None:
    _zc_fails(lambda d: d["inventory"].pop("coke"), "inventory")


def test_check_inventory_form() -> None:
    _zc_fails(_line("heat", line="heat", kind="fossil", direction="received",
                    **{"class": "grid"}), "inventory.heat.class")
    _zc_fails(_line("electricity", line="fuels", use="final_consumption"),
              "inventory.electricity.line")


def test_check_inventory_vocabulary() -> None:
    _zc_fails(_line("green_power", line="electricity", **{"class": "green"},
                    direction="received"), "inventory.green_power.class")
    _zc_fails(_line("electricity_out", line="electricity", **{"class": "self_renewable"},
                    direction="sent"), "inventory.electricity_out.direction")
    _zc_fails(_line("coke", line="fuels", use="burnt"), "inventory.coke.use")


def test_check_inventory_direction() -> None:
    _zc_fails(_line("electricity_out", line="electricity", **{"class": "grid"},
                    direction="received"), "inventory.electricity_out.direction")


def test_check_inventory_steam() -> None:
    _zc_fails(lambda d: d["parameters"].update(steam="gb2589-2020"), "parameters.steam")


def test_every_check_has_a_test() -> None:
    tested = {name.removeprefix("test_") for name in globals() if name.startswith("test_check_")}
    assert {check.__name__ for check in rollup_rules.CHECKS} == tested


def test_written_yaml_reads_back_with_its_contributions(library: Library, tmp_path: Path) -> None:
    from ecopark import load_dataset
    from ecopark.io.yamlout import dataset_yaml

    r = _rolled(library)
    path = tmp_path / "rolled.yaml"
    path.write_text(dataset_yaml(r.spec), encoding="utf-8")
    loaded = load_dataset(path, FW)
    assert loaded.contributions["iva"][2018][0].enterprise == "常州癸热电有限公司"
    assert loaded.accounting is not None and loaded.accounting.carbon[2018]["heat"] == 1100
    assert loaded.values[("co2", 2018)].value == pytest.approx(_value(r, "co2", 2018))


# ------------------------------------------------------------------ duplicates and coverage


def test_a_duplicated_credit_code_stops_the_rollup_naming_the_rows(library: Library) -> None:
    roster = read_roster(DUP_XLSX, library)
    with pytest.raises(WorkbookProblems) as caught:
        rollup(roster, FW, library, load_rules(FW), OPTIONS)
    [found] = caught.value.problems
    assert isinstance(found, DuplicateEnterprise)
    assert (found.file, found.sheet, found.cell) == (str(DUP_XLSX), "企业数据", "C2、C4")
    assert (found.code, found.year, found.rows) == (CODE_JIA, 2018, "2、4")
    assert found.names == "第 2 行 常州甲化工有限公司、第 4 行 常州甲化工（重复录入）"
    with pytest.raises(WorkbookProblems):
        duplicates.resolve(roster)


def test_the_kept_row_is_summed_once(library: Library) -> None:
    roster, notes = duplicates.resolve(read_roster(DUP_CSV, library), [(CODE_JIA, 4)])
    assert [r.row for r in roster.records] == [3, 4, 5]
    r = rollup(roster, FW, library, load_rules(FW), OPTIONS)
    # 工业增加值 12000 (甲, row 4 only) + 8000 + 10000 = 30 000 万元, not 42 000
    assert _value(r, "iva", 2018) == 30000
    assert next((e.enterprise, e.row) for e in r.spec.contributions["iva"][2018]) == (
        "常州甲化工（重复录入）", 4)
    assert notes[0].startswith(f"名录 roster-dup.csv：统一社会信用代码 {CODE_JIA} 在 2018 年出现于"
                               "第 2、4 行，按 --keep-row 只计第 4 行")


def test_a_choice_must_name_one_duplicated_row(library: Library) -> None:
    roster = read_roster(DUP_CSV, library)
    with pytest.raises(InvalidValue) as caught:
        duplicates.resolve(roster, [(CODE_JIA, 3)])
    assert caught.value.field == "--keep-row" and "第 3 行不是代码" in caught.value.problem
    with pytest.raises(InvalidValue) as caught:
        duplicates.resolve(roster, [(CODE_JIA, 2), (CODE_JIA, 4)])
    assert "只能保留一行" in caught.value.problem
    with pytest.raises(InvalidValue):
        duplicates.parse_keep([f"{CODE_JIA}=row4"])
    assert duplicates.parse_keep([f" {CODE_JIA.lower()} =4"]) == [(CODE_JIA, 4)]


def test_coverage_of_replaced_totals(library: Library) -> None:
    profile = DatasetFile.model_validate({
        "format": "ecopark-dataset/1", "framework": "hj274-2015",
        "park": {"name": "常州测试园", "base_year": 2012, "region_class": "other"},
        "observations": {"energy": {"unit": "tce", "values": {2018: 28110}},
                         "iva": {"unit": "万元", "values": {2018: 30000}}}})
    roster, _ = duplicates.resolve(read_roster(DUP_CSV, library), [(CODE_JIA, 2)])
    r = rollup(roster, FW, library, load_rules(FW), OPTIONS, profile)
    energy, iva = r.coverage
    # only 甲 reports power: 10 000 000 kWh × 0.1229 kgce/kWh = 1 229 tce, 1 of 3 enterprises
    assert (energy.item, energy.year, energy.enterprises, energy.known) == ("energy", 2018, 1, 3)
    assert energy.total == pytest.approx(1229) and energy.previous == 28110
    assert energy.share == pytest.approx(1229 / 28110) and not energy.complete
    assert (iva.enterprises, iva.known, iva.total, iva.previous, iva.complete) == (
        3, 3, 30000, 30000, True)
    with pytest.raises(PartialCoverage) as caught:
        require_confirmed("x", r.coverage, False, "")
    assert [c["item"] for c in caught.value.coverage] == ["energy"]
    require_confirmed("x", r.coverage, True, "")
