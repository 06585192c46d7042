"""No input makes the `ecopark` command print a traceback: every command, run on a small
hostile corpus (broken and disguised files, NUL bytes, a file where a database should be,
malformed backups, an output "folder" that is a file), exits 2 with a clear Chinese-first
message.

A command added to the CLI fails `test_every_command_has_hostile_cases` until it is given cases.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
import typer
import typer.main
from typer.testing import CliRunner

from ecopark.cli import app
from ecopark.cli.common import handles_errors
from tests.io.hostile import DATA, WORKBOOKS, rezip, sheet_workbook

from .conftest import SEED

ROSTER = DATA / "accounting" / "roster-10.xlsx"
TINY = WORKBOOKS / "tiny-park.xlsx"
PARK = "江苏武进经济开发区"  # the seed's park


def _write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def _files(folder: Path) -> dict[str, Path]:
    """Hostile stand-ins for a dataset, workbook or roster file."""
    return {
        "truncated YAML": _write(folder / "truncated.yaml", "park: {name: 园区\nyear: [20".encode()),
        "NUL in YAML": _write(folder / "nul.yaml", b"park:\n  name: a\x00b\nyear: 2018\n"),
        "binary as YAML": _write(folder / "binary.yaml", b"\xff\xfe\x00\x01garbage"),
        "empty YAML": _write(folder / "empty.yaml", b""),
        "list as YAML": _write(folder / "list.yaml", b"- 1\n- 2\n"),
        "text as xlsx": _write(folder / "text.xlsx", b"not a workbook"),
        "text as docx": _write(folder / "text.docx", b"not a document"),
        "xlsx without a workbook part": rezip(WORKBOOKS / "tiny-park.xlsx", folder / "gutted.xlsx",
                                              {"xl/workbook.xml": lambda _: b"<broken"}),
        "sparse sheet": sheet_workbook(folder / "sparse.xlsx",
                                       '<row r="1"><c r="A1" t="inlineStr"><is><t>企业</t></is></c>'
                                       '<c r="XFD1048576"><v>1</v></c></row>'),
        "unknown suffix": _write(folder / "data.bin", b"\x00" * 64),
    }


def _databases(folder: Path) -> dict[str, str]:
    """Hostile stand-ins for a database (--db)."""
    other = folder / "other-app.sqlite"
    with contextlib.closing(sqlite3.connect(other)) as connection:
        connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        connection.commit()
    blocker = _write(folder / "blocker.txt", b"a file, not a folder")
    return {"text as database": str(_write(folder / "text.sqlite", b"not a database at all")),
            "another app's database": str(other),
            "damaged database": str(_write(folder / "damaged.sqlite",
                                           b"SQLite format 3\x00" + b"\x07" * 5000)),
            "database inside a file": str(blocker / "inside.sqlite"),
            "unknown kind of database": "nosuchdb://host/db",
            "driver not installed": "mysql://user@host/db"}


def _backups(folder: Path) -> dict[str, Path]:
    """Malformed backups (the full set is in tests/store/test_backup.py)."""
    good = {"format": "ecopark-backup/2", "revision": "0001", "tables": {}}
    return {"truncated backup": _write(folder / "truncated.json", b'{"format": "ecopark-'),
            "backup of a list": _write(folder / "list.json", b"[]"),
            "backup without checksum": _write(folder / "nochecksum.json",
                                              json.dumps(good).encode()),
            "text as .sqlite backup": _write(folder / "fake-backup.sqlite", b"hello"),
            "NUL backup": _write(folder / "nul.json", b'{"format": "\x00"}')}


def _on_files(*template: str) -> Callable[[Path], list[list[str]]]:
    """The command run once per hostile file; {file} and {out} are filled in."""
    def runs(folder: Path) -> list[list[str]]:
        return [[part.format(file=path, out=folder / "out" / "result") for part in template]
                for path in _files(folder).values()]
    return runs


def _on_databases(*template: str) -> Callable[[Path], list[list[str]]]:
    def runs(folder: Path) -> list[list[str]]:
        return [[*(part.format(out=folder / "out.json") for part in template), "--db", db]
                for db in _databases(folder).values()]
    return runs


def _to_a_file_folder(*template: str) -> Callable[[Path], list[list[str]]]:
    """The command run once on good input with its output in a "folder" that is a file;
    {db} is a database holding the seed park."""
    def runs(folder: Path) -> list[list[str]]:
        blocker = _write(folder / "blocker", b"a file, not a folder")
        db = folder / "seeded.sqlite"
        if "{db}" in template and not db.exists():
            assert CliRunner().invoke(app, ["load", str(SEED), "--db", str(db)]).exit_code == 0
        return [[part.format(out=blocker / "result", seed=SEED, db=db) for part in template]]
    return runs


def _also(*sources: Callable[[Path], list[list[str]]]) -> Callable[[Path], list[list[str]]]:
    return lambda folder: [args for runs in sources for args in runs(folder)]


def _restores(folder: Path) -> list[list[str]]:
    return [["db", "restore", str(path), "--db", str(folder / f"fresh-{n}.sqlite")]
            for n, path in enumerate(_backups(folder).values())]


COMMANDS: dict[str, Callable[[Path], list[list[str]]]] = {
    "assess": _on_files("assess", "{file}"),
    "verify": _on_files("verify", "{file}"),
    "explain": _on_files("explain", "{file}", "1"),
    "gap": _on_files("gap", "{file}"),
    "whatif": _on_files("whatif", "{file}", "--set", "energy=1"),
    "forecast": _on_files("forecast", "{file}"),
    "compare": _also(_on_files("compare", "{file}", "{file}"), _on_databases("compare"),
                     _to_a_file_folder("compare", "{seed}", "--chart", "{out}.png")),
    "crosswalk": _on_files("crosswalk", "{file}"),
    "check": _on_files("check", "{file}"),
    "rollup": _also(_on_files("rollup", "{file}", "--output", "{out}.yaml"),
                    _to_a_file_folder("rollup", str(ROSTER), "--output", "{out}.yaml")),
    "energy": _on_files("energy", "{file}"),
    "carbon": _on_files("carbon", "{file}"),
    "import": _also(_on_files("import", "{file}", "--output", "{out}.yaml"),
                    _to_a_file_folder("import", str(TINY), "--output", "{out}.yaml")),
    "table": _also(_on_files("table", "{file}", "--output", "{out}.xlsx"),
                   _to_a_file_folder("table", "{seed}", "--output", "{out}.xlsx")),
    "report": _also(_on_files("report", "{file}", "--output", "{out}.docx"),
                    _to_a_file_folder("report", "{seed}", "--output", "{out}.docx")),
    "items": _on_files("items", "--framework", "{file}"),
    "examples": _also(_to_a_file_folder("examples", "wujin-2018", "--to", "{out}"),
                      lambda folder: [["examples", "no-such-example"]]),
    "template": _also(_on_files("template", "--framework", "{file}", "--output", "{out}.xlsx"),
                      _to_a_file_folder("template", "--output", "{out}.xlsx")),
    "roster-template": _to_a_file_folder("roster-template", "--output", "{out}.xlsx"),
    "load": _on_files("load", "{file}", "--db", "{out}.sqlite"),
    "export": _also(_on_databases("export", "--park", "园区"),
                    _to_a_file_folder("export", "--park", PARK, "-o", "{out}.yaml", "--db", "{db}")),
    "parks": _on_databases("parks"),
    "serve": _on_databases("serve"),
    "worker": _on_databases("worker"),
    "db init": _on_databases("db", "init"),
    "db upgrade": _on_databases("db", "upgrade"),
    "db backup": _also(_on_databases("db", "backup", "{out}"),
                       _to_a_file_folder("db", "backup", "{out}.json", "--db", "{db}")),
    "db restore": _restores,
    "db verify-audit": _on_databases("db", "verify-audit"),
    "users add": _on_databases("users", "add", "u1", "--role", "admin", "--password-stdin"),
    "users passwd": _on_databases("users", "passwd", "u1", "--password-stdin"),
    "users list": _on_databases("users", "list"),
    "users deactivate": _on_databases("users", "deactivate", "u1"),
    "users activate": _on_databases("users", "activate", "u1"),
    "tokens create": _on_databases("tokens", "create", "u1"),
    "tokens list": _on_databases("tokens", "list"),
    "tokens revoke": _on_databases("tokens", "revoke", "1"),
}
# Commands that read no file and no database: the only hostile input is a bad option, which the
# CLI library itself refuses (its usage message, exit 2).
WITHOUT_INPUT = {"frameworks": ["frameworks", "--lang", "klingon"],
                 "schema": ["schema", "--bogus"]}


def _leaf_commands() -> set[str]:
    def walk(command: object, prefix: tuple[str, ...]) -> set[str]:
        children = getattr(command, "commands", None)
        if children is None:
            return {" ".join(prefix)}
        return set().union(*(walk(sub, (*prefix, name)) for name, sub in children.items()))
    return walk(typer.main.get_command(app), ())


def test_every_command_has_hostile_cases() -> None:
    assert _leaf_commands() == set(COMMANDS) | set(WITHOUT_INPUT)


@pytest.mark.parametrize("command", COMMANDS)
def test_hostile_input_exits_2_with_a_message(command: str, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    for args in COMMANDS[command](tmp_path):
        result = CliRunner().invoke(app, args, input="long-password-1\n",
                                    env={"ECOPARK_DATABASE_URL": ""})
        assert "Traceback" not in result.output, args
        assert (result.exit_code, result.exception.__class__.__name__) == (2, "SystemExit"), \
            (args, result.output, result.exception)
        assert result.stderr.startswith("错误: "), (args, result.stderr)


@pytest.mark.parametrize("command", WITHOUT_INPUT)
def test_a_bad_option_is_a_usage_error(command: str) -> None:
    result = CliRunner().invoke(app, WITHOUT_INPUT[command])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "Usage: " in result.stderr


def test_a_bug_is_a_short_internal_error_with_its_trace_in_a_log(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The last resort: not a traceback on screen, exit 1 (never 2: that is for bad input)."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    buggy = typer.Typer()

    @buggy.command()
    @handles_errors
    def broken() -> None:
        raise ZeroDivisionError("a bug")

    result = CliRunner().invoke(buggy, [])
    log = tmp_path / "ecopark" / "log" / "internal-errors.log"
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.startswith("内部错误 internal error") and str(log) in result.stderr
    assert "Traceback" not in result.output
    assert "ZeroDivisionError: a bug" in log.read_text(encoding="utf-8")
