"""Verify on printed tables (.docx) through the real CLI: never a traceback on numbers, the
overall verdict compared on what can be determined, the printed base year read back, and the
terminal output readable at 80 columns."""

from __future__ import annotations

import json
import re
from pathlib import Path

import docx
import pytest
import yaml
from typer.testing import CliRunner

from ecopark.cli import app
from ecopark.core.framework.loading import load_framework
from ecopark.io.printed_table import read_printed_table

ROOT = Path(__file__).resolve().parent.parent
SEED_DOCX = ROOT / "tests" / "data" / "wujin-2018-table.docx"
SEED_YAML = ROOT / "examples" / "wujin-2018" / "dataset.yaml"
runner = CliRunner()


def _base_rows() -> list[tuple[int, str, str]]:
    """(table row, item, printed value) of every base row the seed's table prints."""
    dataset = read_printed_table(SEED_DOCX, load_framework("hj274-2015"))
    assert dataset.reported is not None
    out = []
    for row in dataset.reported.rows:
        source = dataset.values[(row.item, row.year)].source or ""
        found = re.fullmatch(r"对照考核表 第(\d+)行", source)
        assert found is not None
        out.append((int(found.group(1)) - 1, row.item, row.value))
    return out


BASE_ROWS = _base_rows()


def _with_cell(tmp_path: Path, row: int, old: str, new: str) -> Path:
    document = docx.Document(str(SEED_DOCX))
    cells = [c for c in document.tables[0].rows[row].cells if c.text.strip() == old]
    assert cells, (row, old)
    cells[-1].text = new
    path = tmp_path / "table.docx"
    document.save(str(path))
    return path


def test_the_seed_prints_its_base_rows() -> None:
    assert len(BASE_ROWS) == 34
    assert ("swaste_stock_utilized", "382.28") in [(i, v) for _, i, v in BASE_ROWS]


@pytest.mark.parametrize("value", ["0.00", "/"])
@pytest.mark.parametrize(("row", "item", "printed"), BASE_ROWS,
                         ids=[f"{item}-{row}" for row, item, _ in BASE_ROWS])
def test_a_zero_or_missing_base_row_never_crashes_verify(tmp_path: Path, row: int, item: str,
                                                         printed: str, value: str) -> None:
    path = _with_cell(tmp_path, row, printed, value)
    result = runner.invoke(app, ["verify", str(path), "--base-year", "2012"])
    assert result.exit_code == 0, result.stderr
    assert "内部错误" not in result.stderr and "Traceback" not in result.output
    assert "核查结果" in result.stdout


def test_a_zero_base_value_is_a_finding_in_words(tmp_path: Path) -> None:
    # 综合利用往年贮存量 0 is a value (6 = 14035.40 / 14001.20 = 100.24 %); 工业增加值 2012 = 0
    # makes every elasticity impossible: 10, 13 and 25 cannot be recomputed, and say why
    row = next(r for r, item, _ in BASE_ROWS if item == "swaste_stock_utilized")
    path = _with_cell(tmp_path, row, "382.28", "0.00")
    result = runner.invoke(app, ["verify", str(path), "--base-year", "2012", "--json"])
    assert result.exit_code == 0
    iva = next((r, v) for r, item, v in BASE_ROWS if item == "iva" and v == "192300.00")
    path = _with_cell(tmp_path, iva[0], iva[1], "0.00")
    result = runner.invoke(app, ["verify", str(path), "--base-year", "2012", "--json"])
    assert result.exit_code == 0, result.stderr
    found = {(f["kind"], f["number"]): f for f in json.loads(result.stdout)["findings"]}
    cannot = found[("cannot_reproduce", 10)]
    assert cannot["message_zh"] == ("指标 10（综合能耗弹性系数）表中为 0.16，但无法复算：基础值为 0"
                                    "（工业增加值 2012年）；工业增加值 在 2012 年为零，增长率无意义")
    assert "base value is 0 (industrial value added 2012)" in cannot["message_en"]
    assert "cagr" not in cannot["message_zh"] and "iva" not in cannot["message_zh"]


def test_the_seed_docx_gives_the_overall_flip_as_its_yaml_does() -> None:
    flips = {}
    for path in (SEED_DOCX, SEED_YAML):
        result = runner.invoke(app, ["verify", str(path), "--json"])
        assert result.exit_code == 0, result.stderr
        found = [f for f in json.loads(result.stdout)["findings"]
                 if f["kind"] == "overall_verdict_flip"]
        assert [(f["reported"], f["computed"]) for f in found] == [("passed", "failed")]
        flips[path.suffix] = found[0]["message_zh"]
    assert flips[".yaml"] == "总体判定改变：按表中数值园区达标，按复算园区不达标（必选指标未达标：26）"
    assert flips[".docx"] == ("总体判定改变：按表中数值园区达标，按复算园区不达标（必选指标未达标：26）"
                              "（指标 32 表中未列且无法复算，比较时两者均按达标计）")


def _table_docx(tmp_path: Path, base_year: int) -> Path:
    data = yaml.safe_load(SEED_YAML.read_text(encoding="utf-8"))
    data["park"]["base_year"] = base_year
    data["park"]["base_year_note"] = ""
    for series in data["observations"].values():  # the seed's 2012 rows, now for base_year
        values = series.get("values", {})
        if 2012 in values and base_year != 2012:
            values[base_year] = values.pop(2012)
    source = tmp_path / "d.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "t.docx"
    assert runner.invoke(app, ["table", str(source), "-o", str(out)]).exit_code == 0
    return out


@pytest.mark.parametrize("base_year", [2012, 2010])
def test_a_printed_base_year_is_read_back(tmp_path: Path, base_year: int) -> None:
    path = _table_docx(tmp_path, base_year)
    dataset = read_printed_table(path, load_framework("hj274-2015"))
    assert dataset.profile.base_year == base_year
    assert dataset.profile.base_year_note == (f"表中印出 printed in the document（规划基准年为"
                                              f"{base_year}年）")
    result = runner.invoke(app, ["verify", str(path), "--base-year", str(base_year + 1)])
    assert result.exit_code == 2 and "文件中印出的规划基准年为" in result.stderr


def _description_cells(output: str) -> tuple[int, str]:
    """The width of the last column of the first table and the text of its cells, joined."""
    lines = output.splitlines()
    header = next(line for line in lines if line.startswith("┃"))
    width = len(header.split("┃")[-2])
    body = [line.split("│")[-2].strip() for line in lines
            if line.startswith("│") and line.count("│") >= 4]
    return width, "".join(body)


def test_verify_at_80_columns_keeps_every_finding_whole() -> None:
    result = runner.invoke(app, ["verify", str(SEED_DOCX), "--json"])
    messages = [f["message_zh"] for f in json.loads(result.stdout)["findings"]]
    shown = runner.invoke(app, ["verify", str(SEED_DOCX)], env={"COLUMNS": "80"})
    assert shown.exit_code == 0
    assert max(len(line) for line in shown.stdout.splitlines()) <= 80
    width, text = _description_cells(shown.stdout)
    assert width >= 40
    for message in messages:  # wrapped, never cut
        assert "".join(message.split()) in "".join(text.split())
    assert "verdict_flip" not in shown.stdout and "判定改变" in shown.stdout
    assert "elasticity" not in shown.stdout and "publicity_events" not in shown.stdout


def test_check_at_80_columns_keeps_the_description_column(tmp_path: Path) -> None:
    data = yaml.safe_load(SEED_YAML.read_text(encoding="utf-8"))
    data["observations"]["iva"]["values"][2018] = 49.675852  # 亿元 typed into 万元: a slip
    path = tmp_path / "d.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    found = runner.invoke(app, ["check", str(path), "--json"])
    messages = [f["message_zh"] for f in json.loads(found.stdout)["findings"]]
    assert messages
    shown = runner.invoke(app, ["check", str(path)], env={"COLUMNS": "80"})
    width, text = _description_cells(shown.stdout)
    assert width >= 30
    for message in messages:
        assert "".join(message.split()) in "".join(text.split())


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_ecoparks_own_table_with_a_zero_base_row_verifies(tmp_path: Path, suffix: str) -> None:
    # issue 14: 综合利用往年贮存量 printed 0.00 crashed verify with ZeroDivisionError
    data = yaml.safe_load(SEED_YAML.read_text(encoding="utf-8"))
    data["observations"]["swaste_stock_utilized"]["values"][2018] = 0
    source = tmp_path / "d.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    table = tmp_path / f"t{suffix}"
    assert runner.invoke(app, ["table", str(source), "-o", str(table)]).exit_code == 0
    result = runner.invoke(app, ["verify", str(table), "--json"])
    assert result.exit_code == 0, result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert [f for f in findings if f["kind"] in ("base_row_mismatch", "mismatch")] == []
