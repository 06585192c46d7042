"""Docs derived from code and data must not drift: regenerate with scripts/gen_docs.py."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _generator() -> object:
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GENERATED = _generator().generated()  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", list(GENERATED), ids=lambda p: p.name)
def test_generated_doc_is_current(path: Path) -> None:
    assert path.read_text(encoding="utf-8") == GENERATED[path], (
        f"{path.name} is out of date: run .venv/bin/python scripts/gen_docs.py")


def test_readme_starts_with_the_two_commands() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    block = lines[lines.index("```bash") + 1:lines.index("```bash") + 3]
    assert [line.split()[0] for line in block] == ["scripts/demo", "scripts/check"]
    assert "exec scripts/check" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def _app_commands() -> list[str]:
    """Every command of the real app, walked here independently of the generator."""
    import typer

    from ecopark.cli import app

    found: list[str] = []

    def walk(command: Any, path: list[str]) -> None:
        found.append(" ".join(path))
        for name, sub in (getattr(command, "commands", None) or {}).items():
            if not getattr(sub, "hidden", False):
                walk(sub, [*path, name])

    walk(typer.main.get_command(app), ["ecopark"])
    return found


def test_cli_reference_has_every_command() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^## `(ecopark[^`]*)`$", text, flags=re.MULTILINE))
    commands = _app_commands()
    assert {"ecopark template", "ecopark import", "ecopark table", "ecopark report",
            "ecopark serve", "ecopark db init", "ecopark users add",
            "ecopark tokens revoke"} <= set(commands)
    missing = [c for c in commands if c not in headings]
    assert not missing, f"docs/cli.md lacks {missing}: run .venv/bin/python scripts/gen_docs.py"


# ------------------------------------------------------------ the guide's example workbook

EXAMPLE = ROOT / "examples" / "wujin-2018"


def test_example_workbook_is_current() -> None:
    spec = importlib.util.spec_from_file_location(
        "make_example_workbook", ROOT / "scripts" / "make_example_workbook.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (EXAMPLE / "wujin-2018.xlsx").read_bytes() == module.workbook_bytes(), (
        "examples/wujin-2018/wujin-2018.xlsx is out of date: run "
        ".venv/bin/python scripts/make_example_workbook.py")


def _assessed(path: Path) -> tuple[str, list[tuple[int, float | str | None, str]]]:
    from typer.testing import CliRunner

    from ecopark.cli import app

    result = CliRunner().invoke(app, ["assess", str(path), "--json"], prog_name="ecopark")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    return data["verdict"]["status"], [(i["number"], i["value"], i["status"])
                                       for i in data["indicators"]]


def test_example_workbook_assesses_as_the_dataset(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from ecopark.cli import app

    imported = tmp_path / "wujin.yaml"
    result = CliRunner().invoke(app, ["import", str(EXAMPLE / "wujin-2018.xlsx"), "-o",
                                      str(imported)], prog_name="ecopark")
    assert result.exit_code == 0, result.output
    verdict, indicators = _assessed(imported)
    assert (verdict, indicators) == _assessed(EXAMPLE / "dataset.yaml")
    assert verdict == "failed"
    values = {number: value for number, value, _ in indicators}
    assert isinstance(values[26], float) and round(values[26], 2) == -5.54
