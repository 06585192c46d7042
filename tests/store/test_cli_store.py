"""The store commands end to end through typer's runner: init, load, export (round trip),
users, tokens, backup and restore, serve's refusal of a default secret, and bad input (exit 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ecopark.cli import app
from ecopark.cli.store import dataset_text
from ecopark.store import auth
from ecopark.store.engine import Store

from ..conftest import SEED
from ..dbfixtures import PARK_A, seed_spec

runner = CliRunner()


def ecopark(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_load_then_export_gives_the_dataset_back(db_url: str, tmp_path: Path) -> None:
    assert ecopark("db", "init", "--db", db_url)[0] == 0
    code, out, _ = ecopark("load", str(SEED), "--db", db_url)
    assert code == 0 and f"{PARK_A} 2018" in out
    exported = tmp_path / "out.yaml"
    assert ecopark("export", "--park", PARK_A, "-o", str(exported), "--db", db_url)[0] == 0
    assert exported.read_text(encoding="utf-8") == dataset_text(seed_spec())
    code, out, _ = ecopark("export", "--park", PARK_A, "--year", "2018", "--db", db_url)
    assert code == 0 and out == dataset_text(seed_spec())
    # the export loads again, and exports byte for byte the same
    assert ecopark("load", str(exported), "--park", "副本", "--db", db_url)[0] == 0
    code, again, _ = ecopark("export", "--park", "副本", "--db", db_url)
    assert again == exported.read_text(encoding="utf-8")
    assert ecopark("parks", "--db", db_url)[1].count("2018") == 2


def test_load_creates_a_new_database(tmp_path: Path) -> None:
    code, _, err = ecopark("load", str(SEED), "--db", str(tmp_path / "new.sqlite"))
    assert code == 0 and "created the database" in err


def test_loading_twice_needs_replace(db_url: str) -> None:
    ecopark("load", str(SEED), "--db", db_url)
    code, _, err = ecopark("load", str(SEED), "--db", db_url)
    assert code == 2 and "--replace" in err
    assert ecopark("load", str(SEED), "--replace", "--db", db_url)[0] == 0


def test_bad_input_is_exit_2_with_a_message(db_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SEED.read_text(encoding="utf-8").replace("unit: 吨标煤", "unit: furlong", 1),
                   encoding="utf-8")
    code, _, err = ecopark("load", str(bad), "--db", db_url)
    assert code == 2 and "furlong" in err and "energy" in err
    code, _, err = ecopark("export", "--park", "没有这个园区", "--db", db_url)
    assert code == 2 and "没有这个园区" in err
    code, _, err = ecopark("load", str(tmp_path / "missing.yaml"), "--db", db_url)
    assert code == 2 and "missing.yaml" in err
    code, _, err = ecopark("users", "add", "x", "--role", "boss", "--password-stdin",
                           "--db", db_url, stdin="long-password\n")
    assert code == 2 and "boss" in err


def test_users_and_tokens(db_url: str) -> None:
    ecopark("load", str(SEED), "--db", db_url)
    code, _, _ = ecopark("users", "add", "officer", "--role", "park_officer", "--park", PARK_A,
                         "--db", db_url, stdin="a-password\na-password\n")
    assert code == 0
    code, _, err = ecopark("users", "add", "firm", "--role", "enterprise", "--park", PARK_A,
                           "--enterprise", "甲企业", "--password-stdin", "--db", db_url,
                           stdin="b-password\n")
    assert code == 0 and "甲企业" in err
    assert ecopark("users", "passwd", "officer", "--password-stdin", "--db", db_url,
                   stdin="c-password\n")[0] == 0
    code, token, _ = ecopark("tokens", "create", "firm", "--db", db_url)
    assert code == 0 and token.startswith("ecp_")
    listing = ecopark("users", "list", "--db", db_url)[1]
    assert "officer\tpark_officer" in listing and "firm\tenterprise" in listing
    store = Store(db_url)
    with store.session(actor="t") as session:
        assert auth.principal_from_token(session, token.strip()).role == "enterprise"
    store.dispose()


def test_tokens_are_listed_and_revoked(db_url: str) -> None:
    ecopark("db", "init", "--db", db_url)
    ecopark("users", "add", "boss", "--role", "admin", "--password-stdin", "--db", db_url,
            stdin="a long passphrase\n")
    code, token, err = ecopark("tokens", "create", "boss", "--label", "grafana", "--scope",
                               "read", "--days", "7", "--db", db_url)
    assert code == 0 and token.startswith("ecp_") and "令牌 token 1" in err
    code, listing, _ = ecopark("tokens", "list", "--db", db_url)
    fields = listing.strip().split("\t")
    assert code == 0 and token.strip() not in listing
    assert (fields[0], fields[1], fields[2], fields[3], fields[6]) == (
        "1", "boss", "read", "active", "grafana")
    assert ecopark("tokens", "revoke", "1", "--db", db_url)[1] == "已撤销 revoked token 1 (boss)\n"
    assert "\trevoked\t" in ecopark("tokens", "list", "boss", "--db", db_url)[1]
    code, _, err = ecopark("tokens", "revoke", "9", "--db", db_url)
    assert code == 2 and "9" in err
    code, _, err = ecopark("tokens", "create", "boss", "--scope", "all", "--db", db_url)
    assert code == 2 and "scope" in err


def test_the_last_admin_cannot_be_deactivated(db_url: str) -> None:
    ecopark("db", "init", "--db", db_url)
    ecopark("users", "add", "boss", "--role", "admin", "--password-stdin", "--db", db_url,
            stdin="a long passphrase\n")
    code, _, err = ecopark("users", "deactivate", "boss", "--db", db_url)
    assert code == 2 and "不能停用最后一位管理员" in err
    code, _, err = ecopark("users", "add", "weak", "--role", "reviewer", "--password-stdin",
                           "--db", db_url, stdin="qwerty123\n")
    assert code == 2 and "password" in err
    ecopark("users", "add", "helper", "--role", "reviewer", "--password-stdin", "--db", db_url,
            stdin="another passphrase\n")
    assert ecopark("users", "deactivate", "helper", "--db", db_url)[0] == 0
    assert "helper\treviewer\t—\t—\t(停用 inactive)" in ecopark("users", "list", "--db",
                                                                 db_url)[1]


def test_backup_and_restore(db_url: str, tmp_path: Path) -> None:
    ecopark("load", str(SEED), "--db", db_url)
    dump = tmp_path / "backup.json"
    code, out, _ = ecopark("db", "backup", str(dump), "--format", "json", "--db", db_url)
    assert code == 0 and "json" in out
    restored = tmp_path / "restored.sqlite"
    assert ecopark("db", "restore", str(dump), "--db", str(restored))[0] == 0
    assert ecopark("export", "--park", PARK_A, "--db", str(restored))[1] == dataset_text(seed_spec())
    code, _, err = ecopark("db", "restore", str(dump), "--db", str(restored))
    assert code == 2 and "not empty" in err


def test_serve_refuses_the_default_secret(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ECOPARK_SECRET_KEY", raising=False)
    monkeypatch.delenv("ECOPARK_DEMO", raising=False)
    ecopark("db", "init", "--db", db_url)
    code, _, err = ecopark("serve", "--db", db_url)
    assert code == 2 and "ECOPARK_SECRET_KEY" in err


def test_a_workbook_loads_when_the_reader_is_installed(db_url: str) -> None:
    pytest.importorskip("ecopark.io.workbook")
    from ..conftest import ROOT

    workbook = ROOT / "tests" / "data" / "workbooks" / "tiny-park.xlsx"
    code, out, err = ecopark("load", str(workbook), "--db", db_url)
    assert code == 0, err
    assert "2018" in out


def test_compare_every_park_in_the_database(tmp_path: Path) -> None:
    db = str(tmp_path / "compare.sqlite")
    runner = CliRunner()
    assert runner.invoke(app, ["db", "init", "--db", db]).exit_code == 0
    assert runner.invoke(app, ["load", str(SEED), "--db", db]).exit_code == 0
    result = runner.invoke(app, ["compare", "--db", db])
    assert result.exit_code == 0 and "江苏武进经济开发区" in result.stdout and "34.97" in result.stdout
    empty = runner.invoke(app, ["compare"])
    assert empty.exit_code == 2 and "nothing to compare" in empty.stderr


def test_no_stored_text_holds_a_control_character_whichever_way_it_came(db_url: str) -> None:
    """A user name with a right-to-left override, given on the command line, is refused by the
    store itself (the web and the dataset readers refuse it earlier, naming their field)."""
    ecopark("db", "init", "--db", db_url)
    code, _, err = ecopark("users", "add", "evil\u202etxt.exe", "--role", "admin",
                           "--password-stdin", "--db", db_url, stdin="Quite-Long-pass-91\n")
    assert code == 2 and "users.name" in err and "U+202E" in err
    code, out, _ = ecopark("users", "list", "--db", db_url)
    assert code == 0 and "evil" not in out
