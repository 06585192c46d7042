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


# ------------------------------------------------------------ pictures

IMAGES = ROOT / "docs" / "images"
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _pictures() -> dict[Path, list[Path]]:
    """Every picture a doc shows (![…](path)), resolved from the doc's folder → the docs."""
    shown: dict[Path, list[Path]] = {}
    for doc in DOCS:
        for target in re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", doc.read_text(encoding="utf-8")):
            shown.setdefault((doc.parent / target).resolve(), []).append(doc)
    return shown


def test_every_picture_a_doc_shows_exists() -> None:
    missing = {str(p.relative_to(ROOT)): [d.name for d in docs]
               for p, docs in _pictures().items() if not p.is_file()}
    assert not missing, f"pictures shown but missing: {missing}"
    assert (IMAGES / "web-upload-preview.png").resolve() in _pictures()


def test_every_picture_is_shown_made_by_the_script_and_small() -> None:
    makers = " ".join(p.read_text(encoding="utf-8") for p in IMAGES.glob("make_*.py"))
    listed = (ROOT / "scripts" / "make_images.py").read_text(encoding="utf-8")
    assert all(p.name in listed for p in IMAGES.glob("make_*.py"))
    shown = _pictures()
    for png in IMAGES.glob("*.png"):
        assert png.resolve() in shown, f"{png.name} is in docs/images but no doc shows it"
        assert png.stem in makers, f"{png.name} is made by none of docs/images/make_*.py"
        assert png.stat().st_size < 250 * 1024, f"{png.name} is over 250 KB: crop or scale it"


# ------------------------------------------------------------ the guide's walk-through

GUIDES = [ROOT / "docs" / "guide.zh.md", ROOT / "docs" / "guide.en.md"]


def _walkthrough_commands(guide: Path) -> list[list[str]]:
    """The `$ ecopark …` lines of sections 3 and 4 (the walk-through), split into words."""
    text = guide.read_text(encoding="utf-8")
    start, end = text.index("\n## 3. "), text.index("\n## 5. ")
    lines = re.findall(r"^\$ ecopark (.*)$", text[start:end], flags=re.MULTILINE)
    return [line.split() for line in lines]


def _resolve(words: list[str]) -> tuple[str, set[str]]:
    """The command the words name ("users add") and the options it takes."""
    import typer

    from ecopark.cli import app

    command: Any = typer.main.get_command(app)
    path = []
    for word in words:
        sub = (getattr(command, "commands", None) or {}).get(word)
        if sub is None:
            break
        command, path = sub, [*path, word]
    assert not getattr(command, "commands", None), f"ecopark {' '.join(words)}: a group, no command"
    options = {o for param in command.params for o in (*param.opts, *param.secondary_opts)}
    return " ".join(path), options


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_walkthrough_commands_exist(guide: Path) -> None:
    shown = _walkthrough_commands(guide)
    named = set()
    for words in shown:
        name, options = _resolve(words)
        named.add(name)
        used = {w.split("=")[0] for w in words if w.startswith("-") and len(w) > 1}
        assert used <= options, f"{guide.name}: ecopark {' '.join(words)}: no {used - options}"
    assert {"template", "import", "assess", "table", "report", "db init", "users add",
            "serve"} <= named


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_walkthrough_assess_output_is_real(guide: Path, tmp_path: Path) -> None:
    """Every line the walk-through shows of `ecopark assess wujin.yaml` (bar the "…" cuts) is a
    line the command prints in an 80-column terminal."""
    from typer.testing import CliRunner

    from ecopark.cli import app

    runner, dataset = CliRunner(), tmp_path / "wujin.yaml"
    runner.invoke(app, ["import", str(EXAMPLE / "wujin-2018.xlsx"), "-o", str(dataset)])
    result = runner.invoke(app, ["assess", str(dataset)], env={"COLUMNS": "80"},
                           prog_name="ecopark")
    printed = {line.rstrip() for line in result.output.splitlines()}
    text = guide.read_text(encoding="utf-8")
    block = text[text.index("$ ecopark assess wujin.yaml\n"):]
    shown = block[:block.index("```")].splitlines()[1:]
    assert len(shown) > 30
    assert [line for line in shown if line != "…" and line.rstrip() not in printed] == []
