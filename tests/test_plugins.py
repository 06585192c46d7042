"""Frameworks as plugins: a third framework, from a temporary directory or an installed package's
entry point, listed by `ecopark frameworks` and assessed by `ecopark assess`, with no core module
touched; and the typed errors of a broken plugin.

The framework here is small enough to check by hand: energy per output (300 tce / 1000 万元 =
0.3, met, ≤ 0.5), the electricity received (30 000 kWh + 45 MWh = 75 MWh, met, ≤ 100; the
5 000 kWh sent are left out), computed by a provider the plugin registers, and the energy used
(300 tce, not met, ≤ 250), so the verdict fails on indicator 3.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ecopark.cli import app
from ecopark.core.framework import discovery

runner = CliRunner()

FRAMEWORK = """\
id: {id}
version: "1"
name_zh: 微型园区评价
name_en: Tiny park evaluation
source: test
categories:
  - {{id: energy, name_zh: 能源, name_en: energy}}
items:
  energy: {{name_zh: 综合能耗, name_en: energy used, unit: tce, source: test}}
  output: {{name_zh: 工业总产值, name_en: industrial output, unit: 万元, source: test}}
  power_mwh: {{name_zh: 受入电量, name_en: power received, unit: MWh, computed: received,
              source: test}}
indicators:
  - {{number: 1, id: energy_per_output, category: energy, name_zh: 单位产值能耗,
     name_en: energy per output, unit: tce/万元, formula: energy / output, mandatory: true,
     requirement: {{rule: "<= 0.5", text_zh: "≤0.5", text_en: "≤ 0.5"}}, source: test}}
  - {{number: 2, id: power, category: energy, name_zh: 受入电量, name_en: power received,
     unit: MWh, formula: power_mwh, mandatory: true,
     requirement: {{rule: "<= 100", text_zh: "≤100", text_en: "≤ 100"}}, source: test}}
  - {{number: 3, id: energy_used, category: energy, name_zh: 综合能耗, name_en: energy used,
     unit: tce, formula: energy, mandatory: true,
     requirement: {{rule: "<= 250", text_zh: "≤250", text_en: "≤ 250"}}, source: test}}
verdict: {{mandatory: all_met, source: test}}
inventory: {{method: {method}}}
"""

PROVIDER = """\
import dataclasses
from collections.abc import Mapping
from typing import Any

from ecopark.core.dataset.inventory import InventoryResult, InventoryYear, Line
from ecopark.core.framework.providers import register_provider


@dataclasses.dataclass(frozen=True)
class ReceivedPower:
    quantities: Mapping[str, str] = dataclasses.field(default_factory=lambda: {{"received": "MWh"}})
    parameters: Mapping[str, str] = dataclasses.field(default_factory=dict)

    def compute(self, year: int, lines: InventoryYear, params: Mapping[str, Any],
                file: str) -> InventoryResult:
        mwh = sum(line.amount / 1000 if line.unit == "kWh" else line.amount
                  for line in lines.electricity if line.direction == "received")
        total = Line("received", "受入电量", "received", mwh, "MWh")
        return InventoryResult("{method}", "1", year, total, total, (), {{"received": mwh}}, (),
                               {{}}, "test inventory")


register_provider("{method}", ReceivedPower)
"""

DATASET = """\
format: ecopark-dataset/1
framework: {id}
park: {{name: 测试园区, base_year: 2015}}
year: 2018
observations:
  energy: {{unit: tce, source: test, values: {{2018: 300}}}}
  output: {{unit: 万元, source: test, values: {{2018: 1000}}}}
inventory:
  2018:
    electricity:
      - {{class: grid, amount: 30000, unit: kWh}}
      - {{class: grid, amount: 45, unit: MWh}}
      - {{class: grid, direction: sent, amount: 5000, unit: kWh}}
"""


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _framework_dir(root: Path, framework_id: str, method: str) -> Path:
    """A framework directory: the framework's YAML and the module registering its provider."""
    directory = root / "frameworks"
    directory.mkdir()
    (directory / f"{framework_id}.yaml").write_text(
        FRAMEWORK.format(id=framework_id, method=method), encoding="utf-8")
    (directory / "power_provider.py").write_text(PROVIDER.format(method=method),
                                                 encoding="utf-8")
    return directory


def _dataset(root: Path, framework_id: str) -> Path:
    path = root / "dataset.yaml"
    path.write_text(DATASET.format(id=framework_id), encoding="utf-8")
    return path


def _assert_assessed(data: dict[str, object], framework_id: str) -> None:
    indicators = data["indicators"]
    assert isinstance(indicators, list)
    assert [(i["number"], i["value"], i["status"]) for i in indicators] == [
        (1, 0.3, "met"), (2, 75.0, "met"), (3, 300.0, "not_met")]
    verdict = data["verdict"]
    assert isinstance(verdict, dict)
    assert verdict["passed"] is False and verdict["reasons"][0]["numbers"] == [3]
    assert data["framework"] == framework_id


# --------------------------------------------------------------------- a framework directory


def test_a_framework_from_a_directory_is_listed_and_assesses_a_dataset(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    directory = _framework_dir(tmp_path, "tiny-park", "tiny-dir-power")
    monkeypatch.setenv(discovery.DIRECTORY_VARIABLE, str(directory))
    code, out, err = invoke("frameworks", "--json")
    assert code == 0, err
    listed = {f["id"]: f for f in json.loads(out)}
    assert list(listed) == ["hj274-2015", "zero-carbon-park-2025", "tiny-park"]
    assert listed["tiny-park"]["source"] == {
        "kind": "directory", "directory": str(directory.resolve()),
        "file": str(directory.resolve() / "tiny-park.yaml")}
    assert listed["tiny-park"]["indicators"] == 3 and listed["tiny-park"]["mandatory"] == 3
    assert listed["hj274-2015"]["source"]["kind"] == "entry_point"
    assert listed["hj274-2015"]["source"]["entry_point"] == \
        "hj274-2015 = ecopark.frameworks:HJ274_2015"
    code, out, err = invoke("assess", str(_dataset(tmp_path, "tiny-park")), "--json")
    assert code == 0, err
    _assert_assessed(json.loads(out), "tiny-park")


def test_the_table_names_where_each_framework_came_from(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    directory = _framework_dir(tmp_path, "tiny-park", "tiny-table-power")
    monkeypatch.setenv(discovery.DIRECTORY_VARIABLE, str(directory))
    code, out, _ = invoke("frameworks")
    assert code == 0
    assert "软件包 ecopark" in out and "微型园区评价" in out and "目录" in out


# ------------------------------------------------------------ an installed package's entry point


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A package `tinyplug` installed into this process: its module and its metadata (the
    distribution's entry points), found on sys.path as pip would leave them."""
    site = tmp_path / "site"
    package = site / "tinyplug"
    package.mkdir(parents=True)
    (package / "tiny-ep.yaml").write_text(FRAMEWORK.format(id="tiny-ep", method="tiny-ep-power"),
                                          encoding="utf-8")
    (package / "power.py").write_text(PROVIDER.format(method="tiny-ep-power"), encoding="utf-8")
    (package / "__init__.py").write_text(
        "from pathlib import Path\n\n\ndef framework() -> Path:\n"
        "    from tinyplug import power  # registers the provider\n"
        "    return Path(__file__).parent / 'tiny-ep.yaml'\n", encoding="utf-8")
    meta = site / "tinyplug-1.0.dist-info"
    meta.mkdir()
    (meta / "METADATA").write_text("Metadata-Version: 2.1\nName: tinyplug\nVersion: 1.0\n",
                                   encoding="utf-8")
    (meta / "entry_points.txt").write_text("[ecopark.frameworks]\ntiny-ep = tinyplug:framework\n",
                                           encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    discovery.refresh()
    yield meta / "entry_points.txt"
    monkeypatch.undo()
    for name in [name for name in sys.modules if name.split(".")[0] == "tinyplug"]:
        del sys.modules[name]
    discovery.refresh()


def test_a_framework_from_a_package_entry_point_is_listed_and_assesses_a_dataset(
        installed: Path, tmp_path: Path) -> None:
    code, out, err = invoke("frameworks", "--json")
    assert code == 0, err
    listed = {f["id"]: f for f in json.loads(out)}
    assert listed["tiny-ep"]["source"] == {
        "kind": "entry_point", "entry_point": "tiny-ep = tinyplug:framework",
        "package": "tinyplug 1.0", "file": str(installed.parents[1] / "tinyplug" / "tiny-ep.yaml")}
    code, out, err = invoke("assess", str(_dataset(tmp_path, "tiny-ep")), "--json")
    assert code == 0, err
    _assert_assessed(json.loads(out), "tiny-ep")


def test_an_entry_point_that_does_not_load_is_named(installed: Path) -> None:
    installed.write_text("[ecopark.frameworks]\ntiny-ep = tinyplug.nowhere:framework\n",
                         encoding="utf-8")
    discovery.refresh()
    code, _, err = invoke("frameworks")
    assert code == 2
    assert "指标体系插件 ecopark.frameworks 入口 entry point tiny-ep = tinyplug.nowhere:framework " \
        "(tinyplug 1.0)：无法加载 cannot be loaded: ModuleNotFoundError" in err
    assert "Traceback" not in err


# ------------------------------------------------------------------- a broken plugin, named


def _fails(monkeypatch: pytest.MonkeyPatch, directory: Path) -> str:
    monkeypatch.setenv(discovery.DIRECTORY_VARIABLE, str(directory))
    code, _, err = invoke("frameworks")
    assert code == 2 and "Traceback" not in err and "内部错误" not in err
    return err


def test_two_frameworks_with_one_id_name_both_sources(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    directory = _framework_dir(tmp_path, "hj274-2015", "tiny-dup-power")
    err = _fails(monkeypatch, directory)
    assert "entry point hj274-2015 = ecopark.frameworks:HJ274_2015 (ecopark " in err
    assert f"目录 directory {directory.resolve()}：两处给出同一个指标体系 'hj274-2015'" in err


def test_a_framework_file_that_is_not_yaml_is_named(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    directory = tmp_path / "frameworks"
    directory.mkdir()
    (directory / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    err = _fails(monkeypatch, directory)
    assert str(directory.resolve() / "broken.yaml") in err


def test_a_provider_nobody_registers_is_named(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    directory = tmp_path / "frameworks"
    directory.mkdir()
    (directory / "lonely.yaml").write_text(FRAMEWORK.format(id="lonely", method="unregistered"),
                                           encoding="utf-8")
    err = _fails(monkeypatch, directory)
    assert f"{directory.resolve() / 'lonely.yaml'} 的 inventory.method：没有核算清单方法 no " \
        "inventory method 'unregistered'" in err


def test_a_provider_module_that_fails_is_named(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    directory = _framework_dir(tmp_path, "tiny-park", "tiny-fail-power")
    (directory / "power_provider.py").write_text("raise RuntimeError('no licence file')\n",
                                                 encoding="utf-8")
    err = _fails(monkeypatch, directory)
    assert f"指标体系插件 文件 file {directory.resolve() / 'power_provider.py'}：运行出错 fails: " \
        "RuntimeError: no licence file" in err


def test_a_file_whose_id_is_not_its_name_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    directory = _framework_dir(tmp_path, "tiny-park", "tiny-id-power")
    (directory / "tiny-park.yaml").rename(directory / "other-name.yaml")
    err = _fails(monkeypatch, directory)
    assert "other-name.yaml 的 id：应为 should be 'other-name'" in err


def test_a_directory_that_does_not_exist_is_named(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    err = _fails(monkeypatch, tmp_path / "nowhere")
    assert f"指标体系插件 目录 directory {tmp_path / 'nowhere'}：不是可读的目录" in err
