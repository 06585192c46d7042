"""The park profile's numbers, dates and texts (园区概况): read, converted and refused by the
framework's declaration of each field."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from ecopark import Dataset, Framework, load_dataset
from ecopark.core.errors import DatasetError, UnitError
from tests.conftest import SEED


def _with_park(tmp_path: Path, **park: Any) -> Path:
    data = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    data["park"].update(park)
    path = tmp_path / "d.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_the_seed_carries_its_overview_as_written(seed: Dataset) -> None:
    fields = seed.profile.fields
    assert {k: fields.get(k) for k in ("area", "approval_doc", "approval_date",
                                       "plan_approval_date", "enterprises")} == {
        "area": "20.14", "approval_doc": "环发﹝2013﹞41号", "approval_date": "2013-04",
        "plan_approval_date": "2013-09", "enterprises": None}


@pytest.mark.parametrize(("written", "kept"), [
    (12.5, "12.5"), ("1,250 公顷", "12.5"), ("3 km2", "3"), ("  ", None)])
def test_an_area_is_kept_in_km2(tmp_path: Path, hj274: Framework, written: object,
                                kept: str | None) -> None:
    dataset = load_dataset(_with_park(tmp_path, area=written), hj274)
    assert dataset.profile.fields.get("area") == kept


@pytest.mark.parametrize(("written", "kept"), [
    ("2013年4月8日", "2013-04-08"), ("2013/4/8", "2013-04-08"), ("2013年4月", "2013-04")])
def test_a_date_is_kept_as_iso(tmp_path: Path, hj274: Framework, written: str,
                               kept: str) -> None:
    dataset = load_dataset(_with_park(tmp_path, approval_date=written), hj274)
    assert dataset.profile.fields["approval_date"] == kept


@pytest.mark.parametrize(("park", "where", "problem"), [
    ({"area": "大约二十"}, "park.area", "园区面积不是数字 is not a number: '大约二十'"),
    ({"enterprises": 12.5}, "park.enterprises", "企业数量应为整数 must be a whole number: 12.5"),
    ({"enterprises_above_size": -3}, "park.enterprises_above_size",
     "规模以上工业企业数量不能为负 cannot be negative: -3"),
    ({"approval_date": "2013-13-01"}, "park.approval_date",
     "创建批复日期不是日期 is not a date: '2013-13-01'"),
])
def test_a_value_the_field_cannot_hold_is_refused_at_its_place(
        tmp_path: Path, hj274: Framework, park: dict[str, Any], where: str,
        problem: str) -> None:
    with pytest.raises(DatasetError) as caught:
        load_dataset(_with_park(tmp_path, **park), hj274)
    assert (caught.value.key_path, caught.value.problem) == (where, problem)


def test_an_area_in_a_unit_that_is_no_area_is_a_unit_error(tmp_path: Path,
                                                            hj274: Framework) -> None:
    with pytest.raises(UnitError) as caught:
        load_dataset(_with_park(tmp_path, area="20 吨"), hj274)
    assert (caught.value.key_path, caught.value.value, caught.value.to_unit) == (
        "park.area", "20 吨", "km2")
