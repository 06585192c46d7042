"""The bundled examples: found through the installed package (not a checkout's examples/
folder), listed and copied out by `ecopark examples`."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import ecopark
from ecopark.cli import app
from ecopark.core.errors import InputFileError
from ecopark.io import examples
from ecopark.store import demo

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]


def test_the_examples_are_found_inside_the_package() -> None:
    assert examples.names() == ["wujin-2018", "zero-carbon-demo"]
    package = Path(ecopark.__file__).parent
    assert examples.dataset("wujin-2018") == package / "examples" / "wujin-2018" / "dataset.yaml"
    assert demo.seed_path() == examples.dataset("wujin-2018")
    assert demo.zero_carbon_path() == package / "examples" / "zero-carbon-demo" / "dataset.yaml"
    # in a checkout the package's folder is the repository's examples/, the same files
    assert (examples.dataset("wujin-2018").read_bytes()
            == (ROOT / "examples" / "wujin-2018" / "dataset.yaml").read_bytes())


def test_an_unknown_example_names_the_ones_there_are() -> None:
    with pytest.raises(InputFileError) as caught:
        examples.dataset("wujin-2019")
    assert caught.value.hint == "可用 available: wujin-2018、zero-carbon-demo"


def test_ecopark_examples_lists_them() -> None:
    result = runner.invoke(app, ["examples"])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "wujin-2018         江苏武进经济开发区, evaluation year 2018 (seed / conformance case)",
        "zero-carbon-demo   零碳园区示例（规范中的算例）/ zero-carbon park demo (the spec's "
        "worked case)"]


def test_ecopark_examples_copies_one_out_and_it_can_be_assessed(tmp_path: Path) -> None:
    result = runner.invoke(app, ["examples", "wujin-2018", "--to", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "wujin-2018").iterdir()) == [
        "dataset.yaml", "wujin-2018.xlsx"]
    assessed = runner.invoke(app, ["assess", str(tmp_path / "wujin-2018" / "dataset.yaml")])
    assert assessed.exit_code == 0 and "必选指标未达标：26" in assessed.stdout
    again = runner.invoke(app, ["examples", "wujin-2018", "--to", str(tmp_path)])
    assert again.exit_code == 2  # bad input, as every command exits on it
    assert "已存在 already exists; not overwritten" in again.stderr
    assert "Traceback" not in again.output
