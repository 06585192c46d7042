"""Backup → restore → identical export; SQLite files and portable JSON dumps, on every engine;
checksums and the audit chain verified on restore; every hostile backup refused, all or nothing."""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from sqlalchemy import select, text
from typer.testing import CliRunner

from ecopark import Framework
from ecopark.cli import app
from ecopark.core.errors import InputFileError, StoreError
from ecopark.store import backup, repository
from ecopark.store import models as m
from ecopark.store.engine import Store
from ecopark.store.migrate import upgrade

from ..dbfixtures import B_MARKER, PG_URL, _pg_schema, park_b_spec, seed_spec


def _fill(store: Store, hj274: Framework) -> None:
    with store.session(actor="loader") as session:
        repository.save_dataset(session, seed_spec(), hj274)
        repository.save_dataset(session, park_b_spec(), hj274)


def _exports(store: Store) -> list[str]:
    with store.session(actor="reader") as session:
        return [repository.read_spec(repository.get_park_year(session, p)).model_dump_json()
                for p in repository.list_parks(session)]


@pytest.fixture
def empty_url(store: Store, tmp_path: Path) -> Iterator[str]:
    """A second, empty database on the same engine as `store`."""
    if store.dialect == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite'}"
    else:
        assert PG_URL is not None
        yield from _pg_schema(PG_URL)


@pytest.mark.parametrize("fmt", ["sqlite", "json"])
def test_backup_restore_gives_identical_exports(store: Store, hj274: Framework, tmp_path: Path,
                                                empty_url: str, fmt: str) -> None:
    if fmt == "sqlite" and store.dialect != "sqlite":
        with pytest.raises(StoreError):
            backup.backup(store, tmp_path / "b", fmt)
        return
    _fill(store, hj274)
    assert backup.backup(store, tmp_path / "backup", fmt).fmt == fmt
    target = Store(empty_url)
    assert backup.restore(target, tmp_path / "backup").fmt == fmt
    assert _exports(target) == _exports(store)
    assert backup.dump(target)["tables"] == backup.dump(store)["tables"]
    with target.session(actor="after") as session:  # ids continue after the restored ones
        repository.save_dataset(session, seed_spec().model_copy(update={"year": 2019}), hj274,
                                park="新园区")
    target.dispose()


def test_a_json_dump_moves_between_engines(store: Store, hj274: Framework, tmp_path: Path) -> None:
    _fill(store, hj274)
    backup.backup(store, tmp_path / "dump.json", "json")
    other = Store(f"sqlite:///{tmp_path / 'other.sqlite'}")
    backup.restore(other, tmp_path / "dump.json")
    assert _exports(other) == _exports(store)
    other.dispose()


def test_restore_refuses_a_database_with_data(store: Store, hj274: Framework,
                                              tmp_path: Path) -> None:
    _fill(store, hj274)
    backup.backup(store, tmp_path / "dump.json", "json")
    with pytest.raises(StoreError) as raised:
        backup.restore(store, tmp_path / "dump.json")
    assert "not empty" in raised.value.message("en")


def test_restore_refuses_what_is_not_a_backup(store: Store, tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text("{}", encoding="utf-8")
    with pytest.raises(InputFileError):
        backup.restore(store, tmp_path / "x.json")
    with pytest.raises(InputFileError):
        backup.restore(store, tmp_path / "missing.json")


# --------------------------------------------------------------------------- checksums, the chain


def _dumped(store: Store, hj274: Framework, tmp_path: Path) -> dict[str, Any]:
    _fill(store, hj274)
    backup.backup(store, tmp_path / "backup.json", "json")
    return cast(dict[str, Any], json.loads((tmp_path / "backup.json").read_text(encoding="utf-8")))


def _write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _nothing_left(url: str) -> bool:
    if url.startswith("sqlite"):
        return not Path(url.removeprefix("sqlite:///")).exists()
    store = Store(url)
    try:
        return store.table_names() == []
    finally:
        store.dispose()


def _refusal(url: str, path: Path) -> str:
    target = Store(url)
    try:
        with pytest.raises(InputFileError) as raised:
            backup.restore(target, path)
    finally:
        target.dispose()
    assert _nothing_left(url)
    return raised.value.message("en")


def test_a_json_backup_carries_its_checksum(store: Store, hj274: Framework,
                                            tmp_path: Path) -> None:
    data = _dumped(store, hj274, tmp_path)
    body = {key: value for key, value in data.items() if key != "checksum"}
    canonical = json.dumps(body, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    assert data["checksum"] == "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()
    log = data["tables"]["audit_log"]
    assert data["audit"] == {"entries": len(log["rows"]),
                             "head": log["rows"][-1][log["columns"].index("hash")]}


def _forge_energy(data: dict[str, Any]) -> int:
    """Change park A's 2018 energy value and its audit row, as a forger would; the entry's id."""
    observations = data["tables"]["observations"]
    cols = observations["columns"]
    row = next(r for r in observations["rows"] if r[cols.index("item")] == "energy")
    row[cols.index("value_text")], row[cols.index("value")] = "1.0", 1.0
    log = data["tables"]["audit_log"]
    at = {name: log["columns"].index(name) for name in ("table_name", "row_key", "new_json", "id")}
    entry = next(e for e in log["rows"] if (e[at["table_name"]], e[at["row_key"]]) ==
                 ("observations", str(row[cols.index("id")])))
    new = json.loads(entry[at["new_json"]])
    new["value_text"], new["value"] = "1.0", 1.0
    entry[at["new_json"]] = json.dumps(new, ensure_ascii=False, sort_keys=True)
    return int(entry[at["id"]])


def test_an_edited_value_and_its_audit_row_are_refused(store: Store, hj274: Framework,
                                                       tmp_path: Path, empty_url: str) -> None:
    data = _dumped(store, hj274, tmp_path)
    forged = _forge_energy(data)
    edited = _write(tmp_path / "edited.json", data)
    assert "the checksum does not match" in _refusal(empty_url, edited)
    recomputed = _write(tmp_path / "recomputed.json", backup.with_checksum(data))
    target = Store(empty_url)
    with pytest.raises(StoreError) as raised:
        backup.restore(target, recomputed)
    target.dispose()
    assert f"hash chain is broken at entry {forged}: " in raised.value.message("en")
    assert "(edited)" in raised.value.message("en")
    assert _nothing_left(empty_url)


def test_an_old_dump_without_a_checksum_restores_with_a_warning(
        store: Store, hj274: Framework, tmp_path: Path, empty_url: str) -> None:
    data = _dumped(store, hj274, tmp_path)
    del data["checksum"]
    data["format"] = "ecopark-backup/1"
    target = Store(empty_url)
    restored = backup.restore(target, _write(tmp_path / "old.json", data))
    assert len(restored.warnings) == 1 and "no checksum" in restored.warnings[0]
    assert restored.chain.checked == data["audit"]["entries"]
    assert _exports(target) == _exports(store)
    target.dispose()


def _sqlite_backup(store: Store, hj274: Framework, tmp_path: Path) -> Path:
    if store.dialect != "sqlite":
        pytest.skip("SQLite file backups are SQLite's")
    _fill(store, hj274)
    backup.backup(store, tmp_path / "backup.sqlite")
    return tmp_path / "backup.sqlite"


def test_an_sqlite_backup_has_a_sha256sum_sidecar(store: Store, hj274: Framework,
                                                  tmp_path: Path) -> None:
    path = _sqlite_backup(store, hj274, tmp_path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert (tmp_path / "backup.sqlite.sha256").read_text(encoding="utf-8") == \
        f"{digest}  backup.sqlite\n"


def test_an_altered_sqlite_backup_is_refused(store: Store, hj274: Framework, tmp_path: Path,
                                            empty_url: str) -> None:
    path = _sqlite_backup(store, hj274, tmp_path)
    content = path.read_bytes()
    at = content.index(B_MARKER.encode())
    path.write_bytes(content[:at] + b"1" + content[at + 1:])
    assert "does not match its checksum file backup.sqlite.sha256" in _refusal(empty_url, path)


def test_an_sqlite_backup_without_its_sidecar_restores_with_a_warning(
        store: Store, hj274: Framework, tmp_path: Path, empty_url: str) -> None:
    path = _sqlite_backup(store, hj274, tmp_path)
    (tmp_path / "backup.sqlite.sha256").unlink()
    target = Store(empty_url)
    restored = backup.restore(target, path)
    assert restored.warnings == ("没有校验文件 backup.sqlite.sha256，未能核对备份是否被改动 no "
                                 "checksum file backup.sqlite.sha256: the backup could not be "
                                 "checked for edits",)
    assert _exports(target) == _exports(store)
    target.dispose()


# --------------------------------------------------------------------------- hostile backups


def _edit(change: Callable[[dict[str, Any]], object]) -> Callable[[dict[str, Any], Path], Path]:
    def build(data: dict[str, Any], path: Path) -> Path:
        change(data)
        return _write(path.with_suffix(".json"), backup.with_checksum(data))
    return build


def _text(content: str | bytes, suffix: str = ".json") -> Callable[[dict[str, Any], Path], Path]:
    def build(_data: dict[str, Any], path: Path) -> Path:
        target = path.with_suffix(suffix)
        target.write_bytes(content.encode() if isinstance(content, str) else content)
        return target
    return build


def _another_app(_data: dict[str, Any], path: Path) -> Path:
    target = path.with_suffix(".sqlite")
    with contextlib.closing(sqlite3.connect(target)) as connection:
        connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        connection.commit()
    return target


def _truncated(data: dict[str, Any], path: Path) -> Path:
    whole = json.dumps(backup.with_checksum(data))
    return _text(whole[: len(whole) // 2])(data, path)


def _cell(table: str, column: str, value: object) -> Callable[[dict[str, Any]], object]:
    def change(data: dict[str, Any]) -> None:
        content = data["tables"][table]
        content["rows"][0][content["columns"].index(column)] = value
    return change


HOSTILE: dict[str, tuple[Callable[[dict[str, Any], Path], Path], str]] = {
    "truncated JSON": (_truncated, "not an ecopark backup: "),
    "top-level list": (_text("[]"), "not an ecopark backup (ecopark-backup/2)"),
    "deeply nested": (_text("[" * 200_000), "not an ecopark backup: 嵌套过深 nested too deeply"),
    "binary": (_text(b"\xff\xfe\x00garbage"), "not an ecopark backup: 'utf-8' codec"),
    "5000-digit number": (_text('{"format": ' + "9" * 5000 + "}"),
                          "not an ecopark backup: Exceeds the limit (4300 digits)"),
    "no checksum": (lambda d, p: _write(p.with_suffix(".json"), d | {"checksum": None}),
                    "the checksum does not match"),
    "tables not a map": (_edit(lambda d: d.update(tables=[])), "the backup has no tables"),
    "unknown table": (_edit(lambda d: d["tables"].update(evil={"columns": [], "rows": []})),
                      "unknown table: evil"),
    "wrong column": (_edit(lambda d: d["tables"]["parks"]["columns"].__setitem__(1, "nope")),
                     "table parks has no such column"),
    "short row": (_edit(lambda d: d["tables"]["parks"]["rows"][0].pop()),
                  "table parks, row 1: expected"),
    "text id": (_edit(_cell("parks", "id", "x")), "table parks, row 1, column id）：应为整数 "
                "not an integer"),
    "400 digits": (_edit(_cell("parks", "id", 10 ** 400)), "the integer is out of range"),
    "lone surrogate": (_edit(_cell("parks", "name", "\ud800")), "not valid Unicode text"),
    "bad instant": (_edit(_cell("parks", "created_at", "yesterday")), "not an ISO 8601"),
    "number as text": (_edit(_cell("parks", "name", 12)), "column name）：应为文本 not text"),
    "no revision": (_edit(lambda d: d.pop("revision")), "the backup has no schema revision"),
    "newer revision": (_edit(lambda d: d.update(revision="9999")),
                       "schema revision 9999 is unknown to this ecopark"),
    "duplicate rows": (_edit(lambda d: d["tables"]["parks"]["rows"].append(
        d["tables"]["parks"]["rows"][0])), "the rows of table parks cannot be stored"),
    "not SQLite, named .sqlite": (_text("hello", ".sqlite"), "not an ecopark backup"),
    "SQLite of another app": (_another_app, "not an ecopark database"),
    "damaged SQLite": (_text(b"SQLite format 3\x00" + b"\x07" * 5000, ".sqlite"),
                       "the SQLite file is damaged"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_a_hostile_backup_is_refused_and_leaves_nothing(store: Store, hj274: Framework,
                                                        tmp_path: Path, empty_url: str,
                                                        case: str) -> None:
    build, expected = HOSTILE[case]
    path = build(_dumped(store, hj274, tmp_path), tmp_path / "hostile")
    assert expected in _refusal(empty_url, path)


def test_nul_in_text_restores_exactly_or_is_refused_by_name(tmp_path: Path, empty_url: str) -> None:
    """A database written before the store refused control characters (an anonymous visitor's
    login name with a NUL, on SQLite): the backup still restores into SQLite exactly, and into
    PostgreSQL it is refused naming table, row and column."""
    source = Store(f"sqlite:///{tmp_path / 'source.sqlite'}")
    upgrade(source)
    with source.engine.begin() as connection:  # as an older ecopark wrote it: no session checks
        connection.execute(m.LoginAttempt.__table__.insert().values(
            user_name="anon\x00ymous", ip="192.0.2.1", at=m.utcnow(), succeeded=False))
    backup.backup(source, tmp_path / "nul.sqlite")
    source.dispose()
    if empty_url.startswith("sqlite"):
        target = Store(empty_url)
        backup.restore(target, tmp_path / "nul.sqlite")
        with target.engine.connect() as connection:
            assert connection.execute(select(m.LoginAttempt.user_name)).scalar() == "anon\x00ymous"
        target.dispose()
        return
    assert "table login_attempts, row 1, column user_name）：含 NUL 字符" in \
        _refusal(empty_url, tmp_path / "nul.sqlite")


def test_a_broken_chain_is_a_warning_on_backup_and_a_refusal_on_restore(
        store: Store, hj274: Framework, db_url: str, tmp_path: Path, empty_url: str) -> None:
    _fill(store, hj274)
    with store.engine.begin() as connection:
        if store.dialect == "sqlite":
            connection.execute(text("DROP TRIGGER audit_log_no_update"))
        else:
            connection.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
        connection.execute(text("UPDATE audit_log SET actor = 'forger' WHERE id = 3"))
    runner = CliRunner()
    made = runner.invoke(app, ["db", "backup", str(tmp_path / "b.json"), "--format", "json",
                               "--db", db_url])
    assert made.exit_code == 0
    assert made.stderr.startswith("警告 warning: 审计日志哈希链在第 3 条记录处断开 the audit log's "
                                  "hash chain is broken at entry 3: 内容与其哈希不符")
    refused = runner.invoke(app, ["db", "restore", str(tmp_path / "b.json"), "--db", empty_url])
    assert refused.exit_code == 2 and "Traceback" not in refused.output
    assert refused.stderr.startswith("错误: 数据库：备份 backup b.json 的审计日志哈希链在第 3 条记录处断开")
    assert _nothing_left(empty_url)


def test_restore_refuses_a_database_of_another_app(store: Store, hj274: Framework,
                                                   tmp_path: Path) -> None:
    _fill(store, hj274)
    backup.backup(store, tmp_path / "dump.json", "json")
    other = tmp_path / "other.sqlite"
    with contextlib.closing(sqlite3.connect(other)) as connection:
        connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY)")
    target = Store(f"sqlite:///{other}")
    with pytest.raises(StoreError) as raised:
        backup.restore(target, tmp_path / "dump.json")
    assert "has tables but no ecopark schema" in raised.value.message("en")
    assert target.table_names() == ["notes"]
    target.dispose()
