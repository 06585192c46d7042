"""The YAML a workbook is imported to: readable, laid out like the seed, and read back by
`load_dataset` to the very same dataset."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from ecopark import Dataset, load_dataset
from ecopark.core.dataset.schema import DatasetFile
from ecopark.core.yamlfile import read_yaml
from ecopark.io.workbook import read_workbook, read_workbook_spec
from ecopark.io.yamlout import dataset_yaml
from tests.conftest import SEED

WORKBOOKS = Path(__file__).resolve().parents[1] / "data" / "workbooks"


def same(a: Dataset, b: Dataset) -> bool:
    return dataclasses.replace(a, file="") == dataclasses.replace(b, file="")


def write_and_load(spec: DatasetFile, tmp_path: Path) -> tuple[str, Dataset]:
    text = dataset_yaml(spec)
    path = tmp_path / "dataset.yaml"
    path.write_text(text, encoding="utf-8")
    return text, load_dataset(path)


def test_the_seed_spec_round_trips(tmp_path: Path, seed: Dataset) -> None:
    spec = DatasetFile.model_validate(read_yaml(SEED, floats_as_text=True))
    _, again = write_and_load(spec, tmp_path)
    assert same(again, seed)
    assert DatasetFile.model_validate(read_yaml(tmp_path / "dataset.yaml", floats_as_text=True)) \
        == spec


def test_the_layout_reads_like_the_seed(seed: Dataset) -> None:
    spec = DatasetFile.model_validate(read_yaml(SEED, floats_as_text=True))
    lines = dataset_yaml(spec).splitlines()
    assert lines[1] == "# ecopark 数据集 dataset — 江苏武进经济开发区，评价年份 2018（指标体系 hj274-2015）"
    body = lines[lines.index("format: ecopark-dataset/1"):]
    assert body[:19] == [
        "format: ecopark-dataset/1", "framework: hj274-2015", "", "park:",
        "  name: 江苏武进经济开发区", "  base_year: 2012", body[6], "  region_class: other",
        "  area: 20.14 平方公里", body[9],
        "  leading_industries: 先进碳材料（石墨烯）、健康、互联网、文化旅游",
        "  approval_doc: 环发﹝2013﹞41号", "  approval_date: 2013-04", "  plan_approval_date: 2013-09",
        "  selected: [2, 6, 8, 11, 14, 27]", "", "year: 2018", "", "observations:"]
    assert "  iva:  # 工业增加值" in body
    assert "      2012: {value: 192300.00, source: 对照考核表 序号3 规划基准年工业增加值}" in body
    assert "    values: {2018: 723782.20}" in body  # decimals as written
    assert "    values: {2018: \"/\"}" in body  # not reported, quoted
    assert "    1: \"39.31\"" in body and "    17: 达标" in body


def test_years_are_integer_keys_and_marks_stay_strings(tmp_path: Path) -> None:
    spec = read_workbook_spec(WORKBOOKS / "messy.xlsx")
    data = yaml.safe_load(dataset_yaml(spec))
    assert data["observations"]["cod"]["values"] == {2015: "—", 2018: "-"}
    assert data["observations"]["water_reuse"]["values"] == {
        2015: "/", 2018: {"value": 3163000, "unit": "立方米"}}
    assert list(data["observations"]["iva"]["values"]) == [2015, 2018]


@pytest.mark.parametrize("name", ["tiny-park.xlsx", "messy.xlsx"])
def test_an_imported_workbook_loads_back_identically(name: str, tmp_path: Path) -> None:
    _, again = write_and_load(read_workbook_spec(WORKBOOKS / name), tmp_path)
    assert same(again, read_workbook(WORKBOOKS / name))


def test_awkward_values_survive(tmp_path: Path) -> None:
    spec = DatasetFile.model_validate({
        "format": "ecopark-dataset/1", "framework": "hj274-2015",
        "park": {"name": "yes: #1 园区, \"甲\"\n二期", "base_year": 2015, "region_class": "other"},
        "year": 2018,
        "observations": {
            "iva": {"unit": "万元", "source": "2018", "note": "-", "values": {
                2015: 0.00001, 2018: 1e20}},
            "employees": {"values": {2018: "12957"}},
            "cod": {"unit": "t", "values": {2015: "/", 2018: {"value": "0.40", "note": "null"}}},
        },
        "lists": {"eco_chain_projects": [{"name": "[蒸汽]", "partners": "", "exchange": "on",
                                          "year": 2016}]},
        "checklists": {"info_platform": {2018: [{"name": "~", "done": False}]}},
        "reported": {"year": 2018, "indicators": {2: "3", 4: "/", 17: "达标"}},
    })
    text, again = write_and_load(spec, tmp_path)
    assert "2015: 0.00001, 2018: 100000000000000000000" in text  # never 1e-05: the reader refuses it
    assert again.profile.name == "yes: #1 园区, \"甲\"\n二期"
    assert again.values[("iva", 2015)].value == 0.00001
    assert again.values[("employees", 2018)].value == 12957
    assert again.values[("cod", 2018)].given == "0.40 t"
    assert again.values[("iva", 2015)].source == "2018" and again.values[("iva", 2015)].note == "-"
    assert again.lists == {"eco_chain_projects": [{"name": "[蒸汽]", "partners": "", "exchange": "on",
                                                   "year": 2016}]}
    assert again.checklists["info_platform"][2018][0].name == "~"
    assert again.reported is not None and again.reported.indicators == {2: "3", 4: "/", 17: "达标"}


def test_zero_carbon_sections_survive_the_round_trip(tmp_path: Path) -> None:
    from ecopark import evaluate, load_dataset, load_framework
    from ecopark.core.dataset.schema import DatasetFile
    from ecopark.core.yamlfile import read_yaml
    from ecopark.io.yamlout import dataset_yaml

    source = Path(__file__).resolve().parents[2] / "examples" / "zero-carbon-demo" / "dataset.yaml"
    spec = DatasetFile.model_validate(read_yaml(source, floats_as_text=True))
    out = tmp_path / "again.yaml"
    out.write_text(dataset_yaml(spec), encoding="utf-8")
    again = DatasetFile.model_validate(read_yaml(out, floats_as_text=True))
    for section in ("settings", "exemptions", "gates", "inventory", "also_frameworks"):
        assert getattr(again, section) == getattr(spec, section), section
    framework = load_framework("zero-carbon-park-2025")
    first = evaluate(framework, load_dataset(source, framework))
    second = evaluate(framework, load_dataset(out, framework))
    assert [(r.value, r.status) for r in first.results] == \
        [(r.value, r.status) for r in second.results]
