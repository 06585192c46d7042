"""The dataset sections of the extensions: settings, exemptions, gates, list records, and one
dataset serving two frameworks."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from ecopark import Dataset, Status, VerdictStatus, evaluate, load_framework
from ecopark.core.dataset.loading import build_dataset
from ecopark.core.dataset.schema import DatasetFile
from ecopark.core.errors import DatasetError
from ecopark.core.evaluate import Evaluation

from .conftest import worked_case

GATES = {"development_zone", "clear_boundary", "accounting_groundwork", "no_major_incident"}


def _answers(met: bool = True, skip: str = "") -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["gates"] = {g: {"met": met if g == "no_major_incident" else True, "evidence": "文件"}
                         for g in GATES if g != skip}

    return change


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda data: data.__setitem__(key, value)


# ------------------------------------------------------------------ settings


def test_settings_default_and_override_are_recorded(build: Callable[..., Dataset]) -> None:
    dataset = build(_set("settings", {"band_year": {"value": "base", "note": "省里要求"}}))
    assert dataset.settings["band_year"].value == "base"
    assert dataset.settings["band_year"].origin_text("en") == "set by the dataset: 省里要求"
    assert dataset.settings["band_edge_100"].origin == "default"


@pytest.mark.parametrize(("settings", "key_path", "fragment"), [
    ({"band_yaer": "base"}, "settings.band_yaer", "did you mean 'band_year'"),
    ({"band_year": "application"}, "settings.band_year", "allowed: evaluated, base"),
    ({"include_hazardous_waste": "yes"}, "settings.include_hazardous_waste", "true / false"),
    ({"limit_below_band": "low"}, "settings.limit_below_band", "a number"),
])
def test_bad_settings_are_named(build: Callable[..., Dataset], settings: dict[str, Any],
                                key_path: str, fragment: str) -> None:
    with pytest.raises(DatasetError) as caught:
        build(_set("settings", settings))
    assert caught.value.key_path == key_path and fragment in caught.value.message("en")


def test_hazardous_waste_switch(assess: Callable[..., Evaluation]) -> None:
    def waste(data: dict[str, Any]) -> None:
        data["observations"].update({
            "swaste_utilized": {"values": {2027: 80}}, "swaste_generated": {"values": {2027: 100}},
            "swaste_stock_utilized": {"values": {2027: 0}},
            "swaste_all_utilized": {"values": {2027: 81}},
            "swaste_all_generated": {"values": {2027: 110}},
            "swaste_all_stock": {"values": {2027: 0}}})

    assert assess(waste).result(4).value == pytest.approx(80.0)
    hazardous = assess(waste, _set("settings", {"include_hazardous_waste": True}))
    assert hazardous.result(4).value == pytest.approx(81 / 110 * 100)
    assert hazardous.result(4).status is Status.NOT_MET


def test_clean_energy_switches(assess: Callable[..., Evaluation]) -> None:
    base = assess().result(2)
    nonfossil = (300000 + 50000) * 1e3 * 300.7e-6
    assert base.value == pytest.approx(nonfossil / 600000 * 100)
    gas = assess(_set("settings", {"clean_includes_natural_gas": True})).result(2)
    assert gas.value == pytest.approx((nonfossil + 2e7 * 1.2143e-3) / 600000 * 100)
    unset = assess(_set("settings", {"clean_includes_grid_share": True})).result(2)
    assert unset.status is Status.NOT_EVALUABLE and "grid_nonfossil_share" in unset.reason_en
    share = assess(_set("settings", {"clean_includes_grid_share": True,
                                     "grid_nonfossil_share": 40})).result(2)
    grid = 50000e3 * 300.7e-6
    assert share.value == pytest.approx((nonfossil + grid * 0.4) / 600000 * 100)


def test_waste_energy_weights(assess: Callable[..., Evaluation]) -> None:
    def recovery(data: dict[str, Any]) -> None:
        data["observations"].update({
            "waste_heat_recoverable": {"values": {2027: 900}},
            "waste_heat_recovered": {"values": {2027: 450}},
            "waste_cold_recoverable": {"values": {2027: 100}},
            "waste_cold_recovered": {"values": {2027: 90}},
            "waste_pressure_recoverable": {"values": {2027: "/"}},
            "waste_pressure_recovered": {"values": {2027: "/"}}})

    def gj(data: dict[str, Any]) -> None:
        recovery(data)
        for kind in ("pressure_recoverable", "pressure_recovered"):
            data["observations"][f"waste_{kind}"]["values"][2027] = 0

    assert assess(gj).result(5).value == pytest.approx(540 / 1000 * 100)
    plain = assess(recovery, _set("settings", {"waste_energy_weights": "equal"})).result(5)
    assert plain.value == pytest.approx((0.5 + 0.9) / 2 * 100)
    assert any("left out of the mean" in en for _, en in plain.warnings)


# ------------------------------------------------------------------ exemptions


def test_exempted_guidance_indicator_keeps_its_value_and_reason(
        assess: Callable[..., Evaluation]) -> None:
    ev = assess(_set("exemptions", {2: "园区无条件接入绿电（虚构）"}))
    result = ev.result(2)
    assert result.status is Status.EXEMPTED and result.value is not None
    assert result.reason_zh == "园区无条件接入绿电（虚构）"
    assert next(g for g in ev.verdict.guidance if g.number == 2).status is Status.EXEMPTED


@pytest.mark.parametrize(("exemptions", "key_path", "fragment"), [
    ({1: "核心指标"}, "exemptions.1", "cannot be exempted"),
    ({5: "  "}, "exemptions.5", "needs a reason"),
    ({"five": "x"}, "exemptions.five", "expected an indicator number"),
    ({"hj274-2015": {6: "x"}}, "exemptions.hj274-2015", "not a framework this dataset names"),
])
def test_bad_exemptions_are_named(build: Callable[..., Dataset], exemptions: dict[Any, Any],
                                  key_path: str, fragment: str) -> None:
    with pytest.raises(DatasetError) as caught:
        build(_set("exemptions", exemptions))
    assert caught.value.key_path == key_path and fragment in caught.value.message("en")


def test_exemptions_keyed_by_framework(build: Callable[..., Dataset]) -> None:
    dataset = build(_set("exemptions", {"zero-carbon-park-2025": {5: "无余能"}}))
    assert dataset.exemptions == {5: "无余能"}


# ------------------------------------------------------------------ gates


def test_all_gates_met_and_core_met_passes(assess: Callable[..., Evaluation]) -> None:
    ev = assess(_answers())
    assert ev.verdict.status is VerdictStatus.PASSED
    assert ev.verdict.reasons[0].kind == "core_met"


def test_a_gate_not_met_fails(assess: Callable[..., Evaluation]) -> None:
    ev = assess(_answers(met=False))
    assert ev.verdict.status is VerdictStatus.FAILED
    assert [r.kind for r in ev.verdict.reasons if r.severity == "fail"] == ["gate_not_met"]


def test_an_unanswered_gate_leaves_the_verdict_incomplete(
        assess: Callable[..., Evaluation]) -> None:
    ev = assess(_answers(skip="clear_boundary"))
    assert ev.verdict.status is VerdictStatus.INCOMPLETE
    assert any(r.kind == "gate_unanswered" for r in ev.verdict.reasons)


def test_core_not_met_fails_whatever_the_guidance(assess: Callable[..., Evaluation]) -> None:
    def more_grid(data: dict[str, Any]) -> None:
        data["inventory"][2027]["electricity"][0]["amount"] = 100000

    ev = assess(_answers(), more_grid)
    assert ev.verdict.status is VerdictStatus.FAILED
    assert ev.verdict.reasons[0].kind == "mandatory_not_met"
    assert "核心指标" in ev.verdict.reasons[0].zh


@pytest.mark.parametrize(("gates", "key_path"), [
    ({"clear_boundary": {"met": True}}, "gates.clear_boundary.evidence"),
    ({"clear_boundry": {"met": False}}, "gates.clear_boundry"),
])
def test_bad_gate_answers_are_named(build: Callable[..., Dataset], gates: dict[str, Any],
                                    key_path: str) -> None:
    with pytest.raises(DatasetError) as caught:
        build(_set("gates", gates))
    assert caught.value.key_path == key_path


# ------------------------------------------------------------------ list records


def test_product_records_without_a_standard_do_not_apply(
        assess: Callable[..., Evaluation]) -> None:
    records = [{"year": 2027, "product": "A", "standard": "GB 1", "value": 10, "level2": 12},
               {"year": 2027, "product": "B", "standard": "GB 2", "value": "13.5", "level2": 12},
               {"year": 2027, "product": "C", "value": 99}]
    result = assess(_set("lists", {"product_energy": records})).result(3)
    assert (result.value, result.status) == (50.0, Status.NOT_MET)
    none = assess(_set("lists", {"product_energy": records[2:]})).result(3)
    assert none.status is Status.NOT_APPLICABLE


def test_product_record_without_a_number_is_named(build: Callable[..., Dataset]) -> None:
    records = [{"year": 2027, "product": "A", "standard": "GB 1", "value": "低", "level2": 12}]
    with pytest.raises(DatasetError) as caught:
        build(_set("lists", {"product_energy": records}))
    assert caught.value.key_path == "lists.product_energy[0].value"


# ------------------------------------------------------------------ two frameworks, one dataset


def _both() -> dict[str, Any]:
    data = copy.deepcopy(worked_case())
    data["also_frameworks"] = ["hj274-2015"]
    data["park"]["region_class"] = "other"
    data["park"]["selected"] = []
    data["observations"].update({"fresh_water": {"unit": "万m3", "values": {2027: 300}},
                                 "water_reuse": {"unit": "万m3", "values": {2027: 1500}},
                                 "iva": {"unit": "万元", "values": {2025: 100, 2027: 121}}})
    data["lists"] = {"eco_chain_projects": [{"name": "x", "year": 2026}]}
    return data


def test_one_dataset_two_frameworks() -> None:
    spec = DatasetFile.model_validate(_both())
    hj, zc = load_framework("hj274-2015"), load_framework("zero-carbon-park-2025")
    under_hj, under_zc = build_dataset(spec, hj, "x"), build_dataset(spec, zc, "x")
    assert ("iva", 2027) in under_hj.values and ("iva", 2027) not in under_zc.values
    assert ("co2_park", 2027) in under_zc.values and ("co2_park", 2027) not in under_hj.values
    assert evaluate(hj, under_hj).result(15).value == evaluate(zc, under_zc).result(6).value
    assert under_zc.profile.fields == {"park_scope": "sub_area"}
    assert under_hj.profile.fields == {"region_class": "other"}


def test_an_item_of_neither_framework_is_still_refused() -> None:
    data = _both()
    data["observations"]["ivaa"] = {"values": {2027: 1}}
    with pytest.raises(DatasetError, match="unknown item 'ivaa'"):
        build_dataset(DatasetFile.model_validate(data), load_framework("hj274-2015"), "x")


def test_a_framework_the_dataset_does_not_name_is_refused() -> None:
    data = worked_case()
    with pytest.raises(DatasetError) as caught:
        build_dataset(DatasetFile.model_validate(data), load_framework("hj274-2015"), "x")
    assert caught.value.key_path == "framework"
