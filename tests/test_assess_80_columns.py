"""`ecopark assess` in an 80-column terminal: the indicator names stay readable (issue 14).

rich narrows every wrapping column alike when a table is wider than the terminal, so the names
were folded into a column of a few characters; now the name column takes three shares of the
room the fixed columns leave and the requirement one."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from ecopark.cli import app

from .conftest import SEED

runner = CliRunner()


def _cells(output: str, column: int) -> list[str]:
    return [line.split("│")[column].strip() for line in output.splitlines()
            if line.startswith("│") and line.count("│") == 8]


@pytest.mark.parametrize(("lang", "name", "least"), [
    ("zh", "高新技术企业工业总产值占园区工业总产值比例", 20),
    ("en", "share of high-tech enterprises in the park's gross industrial output", 16)])
def test_names_readable_at_80_columns(lang: str, name: str, least: int) -> None:
    result = runner.invoke(app, ["assess", str(SEED), "--lang", lang], env={"COLUMNS": "80"})
    assert result.exit_code in (0, 1), result.output
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 80
    header = next(line for line in lines if line.startswith("┃"))
    assert len(header.split("┃")[2]) >= least  # the name column: 20 cells, not 12 (zh)
    names = _cells(result.output, 2)
    joined = "".join(names) if lang == "zh" else " ".join(names)
    assert name in joined  # wrapped, never cut
    assert "人均工业增加值" in names or lang == "en"  # a short name on one line


def test_wide_terminal_keeps_the_natural_width() -> None:
    result = runner.invoke(app, ["assess", str(SEED)], env={"COLUMNS": "200"})
    lines = [line for line in result.output.splitlines() if line.startswith("┃")]
    assert len(lines[0]) < 160  # not stretched to the terminal
    assert "高新技术企业工业总产值占园区工业总产值比例" in _cells(result.output, 2)
