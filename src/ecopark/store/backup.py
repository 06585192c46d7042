"""Backups, and restoring them into an empty database.

Two formats, each with a SHA-256 checksum that restore verifies:

- **SQLite file** (the default for an SQLite store): a consistent copy made with SQLite's online
  backup API, safe while the server runs. Its checksum is a sidecar file `<backup>.sha256` in
  the format of `sha256sum` (so `sha256sum -c` checks it too): a file cannot hold its own hash.
- **JSON dump** (`ecopark-backup/2`, the default for PostgreSQL, available for SQLite with
  `--format json`): every table's rows, tables in dependency order, with the schema revision,
  the audit log's length and last hash, and `checksum`: SHA-256 over the canonical JSON of
  everything else (keys sorted, ASCII-escaped, no spaces). It is portable: a dump of SQLite
  restores into PostgreSQL and back. An `ecopark-backup/1` dump (made before checksums) is
  still restored, with a warning.

`restore` refuses a database that holds any data. It reads and checks the whole backup first
(format, checksum, a revision this ecopark knows, known tables and columns, every value of the
column's type), then in **one transaction** creates the schema of the backup's revision,
inserts every row, resets PostgreSQL's id sequences, upgrades to the code's head and verifies
the audit log's hash chain: any problem rolls all of it back (schema included), and a new
SQLite file made by the failed restore is removed. PostgreSQL text cannot hold NUL characters:
a backup with one is refused for PostgreSQL, naming table, row and column (never altered).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, MetaData, Table, create_engine, delete, func, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError, StatementError

from ecopark.core.errors import InputFileError, StoreError
from ecopark.store import audit
from ecopark.store.backup_rows import check_rows
from ecopark.store.engine import Store
from ecopark.store.migrate import current_revision, is_known, require_current, upgrade_on

__all__ = ["FORMAT", "Restored", "Written", "backup", "dump", "restore", "with_checksum"]

FORMAT = "ecopark-backup/2"
_UNCHECKED = "ecopark-backup/1"  # dumps made before checksums
_SQLITE_MAGIC = b"SQLite format 3\x00"
_SEEDED = frozenset({"roles"})  # rows the first migration inserts
_NOT_A_BACKUP = "不是 ecopark 备份 not an ecopark backup"


@dataclasses.dataclass(frozen=True)
class Written:
    """A backup made: its format, checksum, and the audit chain as it was (warn when broken)."""

    fmt: str
    checksum: str
    chain: audit.ChainCheck


@dataclasses.dataclass(frozen=True)
class Restored:
    """A backup restored: its format, the verified audit chain and any warnings."""

    fmt: str
    chain: audit.ChainCheck
    warnings: tuple[str, ...] = ()


def backup(store: Store, path: Path, fmt: str | None = None) -> Written:
    """Write a backup of `store` to `path` (atomically) with its checksum."""
    require_current(store)
    fmt = fmt or ("sqlite" if store.dialect == "sqlite" else "json")
    if fmt == "sqlite":
        if store.dialect != "sqlite":
            raise StoreError("SQLite 文件格式只适用于 SQLite 数据库 the sqlite format needs an "
                             "SQLite store", "用 --format json use --format json")
        checksum = _sqlite_backup(store, path)
        return Written(fmt, checksum, _chain_of(path))
    content, chain = _snapshot(store)
    data = with_checksum(content)
    _atomically(path, lambda temp: temp.write_text(json.dumps(data, ensure_ascii=False),
                                                   encoding="utf-8"))
    return Written(fmt, data["checksum"], chain)


def _atomically(path: Path, write: Callable[[Path], object]) -> None:
    """Write through a temporary file in the same folder, then rename: never a half backup."""
    temp: Path | None = None
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(handle)
        temp = Path(name)
        write(temp)
        os.replace(temp, path)
    except OSError as exc:
        raise InputFileError(path.name, f"无法写入 cannot write: {exc.strerror or exc}",
                             "检查备份路径及其权限 check the backup's path and permissions") from None
    finally:
        if temp is not None:
            temp.unlink(missing_ok=True)


def _sqlite_backup(store: Store, path: Path) -> str:
    def copy(temp: Path) -> None:
        temp.unlink()
        raw = store.engine.raw_connection()
        try:
            with contextlib.closing(sqlite3.connect(temp)) as target:
                raw.driver_connection.backup(target)  # type: ignore[union-attr]
        finally:
            raw.close()

    _atomically(path, copy)
    digest = _file_sha256(path)
    _atomically(_sidecar(path), lambda temp: temp.write_text(f"{digest}  {path.name}\n",
                                                             encoding="utf-8"))
    return f"sha256:{digest}"


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _chain_of(path: Path) -> audit.ChainCheck:
    """The audit chain of the backup just written (what was copied, not the live log)."""
    with _read_only(path) as connection:
        return audit.verify(connection)


@contextlib.contextmanager
def _read_only(path: Path) -> Iterator[Connection]:
    """A connection to an SQLite file that cannot change it (no journal, no WAL files)."""
    uri = f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1"
    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True))
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def dump(store: Store) -> dict[str, Any]:
    """Every table's rows as JSON-ready lists, tables in dependency order (no checksum)."""
    return _snapshot(store)[0]


def _snapshot(store: Store) -> tuple[dict[str, Any], audit.ChainCheck]:
    """The dump and its audit chain, read in one snapshot (on PostgreSQL a REPEATABLE READ
    transaction, so the tables and the log agree)."""
    with store.connect() as plain:
        connection = plain.execution_options(isolation_level="REPEATABLE READ") \
            if store.dialect == "postgresql" else plain
        data = _dump_connection(connection)
        chain = audit.verify(connection)
    data["revision"] = current_revision(store)
    data["audit"] = {"entries": chain.checked, "head": chain.head}
    return data, chain


def _dump_connection(connection: Connection) -> dict[str, Any]:
    return {"format": FORMAT, "revision": None,
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "tables": {t.name: _dump_table(connection, t) for t in _tables(connection)}}


def with_checksum(data: dict[str, Any]) -> dict[str, Any]:
    """`data` with its `checksum` (SHA-256 over the canonical JSON of the rest)."""
    body = {key: value for key, value in data.items() if key != "checksum"}
    return {**body, "checksum": f"sha256:{_canonical_sha256(body)}"}


def _canonical_sha256(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def _tables(connection: Connection) -> list[Table]:
    """The tables of the record: not Alembic's, and not the job queue's (on PostgreSQL huey keeps
    its `huey_*` tables in the same database; queued work belongs to a running deployment)."""
    metadata = MetaData()
    metadata.reflect(connection)
    return [t for t in metadata.sorted_tables
            if t.name != "alembic_version" and not t.name.startswith("huey_")]


def _dump_table(connection: Connection, table: Table) -> dict[str, Any]:
    order = [c for c in table.primary_key.columns]
    rows = connection.execute(select(table).order_by(*order)).all()
    return {"columns": [c.name for c in table.columns],
            "rows": [[_plain(v) for v in row] for row in rows]}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


# --------------------------------------------------------------------------- restore


def restore(store: Store, path: Path) -> Restored:
    """Restore a backup file (either format) into the empty database `store` (see module doc)."""
    fresh = _new_sqlite_file(store)
    fmt, data, warnings = _read_backup(path)
    try:
        _require_empty(store)
        chain = _load(store, data, path.name)
    except BaseException:
        if fresh is not None:
            _remove_database(store, fresh)
        raise
    return Restored(fmt, chain, warnings)


def _read_backup(path: Path) -> tuple[str, dict[str, Any], tuple[str, ...]]:
    if _head(path).startswith(_SQLITE_MAGIC):
        warning = _check_sidecar(path)
        return "sqlite", _read_sqlite(path), (warning,) if warning else ()
    data, warnings = _read_json(path)
    return "json", data, warnings


def _head(path: Path) -> bytes:
    if not path.is_file():
        raise InputFileError(path.name, "文件不存在 file not found", "检查路径 check the path")
    with path.open("rb") as handle:
        return handle.read(16)


def _read_json(path: Path) -> tuple[dict[str, Any], tuple[str, ...]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, RecursionError) as exc:  # not UTF-8, not JSON, a number too long
        reason = "嵌套过深 nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise InputFileError(path.name, f"{_NOT_A_BACKUP}: {reason}") from None
    if not isinstance(data, dict) or data.get("format") not in (FORMAT, _UNCHECKED):
        raise InputFileError(path.name, f"{_NOT_A_BACKUP} ({FORMAT})")
    if data["format"] == _UNCHECKED:
        return data, ("备份没有校验和（旧格式），未能核对文件是否被改动 the backup has no checksum "
                      "(an older format): it could not be checked for edits",)
    _require_checksum(path, data)
    return data, ()


def _require_checksum(path: Path, data: dict[str, Any]) -> None:
    body = {key: value for key, value in data.items() if key != "checksum"}
    if data.get("checksum") != f"sha256:{_canonical_sha256(body)}":
        raise InputFileError(path.name, "校验和不符：备份在写出后被改动或已损坏 the checksum does "
                             "not match: the backup was edited or damaged after it was written",
                             "使用未被改动的备份 use an unaltered backup")


def _check_sidecar(path: Path) -> str:
    """Verify `<backup>.sha256` when there is one; without it, a warning."""
    sidecar = _sidecar(path)
    if not sidecar.is_file():
        return (f"没有校验文件 {sidecar.name}，未能核对备份是否被改动 no checksum file "
                f"{sidecar.name}: the backup could not be checked for edits")
    with sidecar.open("rb") as handle:
        recorded = handle.read(64).decode("ascii", errors="replace")
    if recorded != _file_sha256(path):
        raise InputFileError(path.name, f"与校验文件 {sidecar.name} 不符：备份被改动或已损坏 does "
                             f"not match its checksum file {sidecar.name}: the backup was edited "
                             "or damaged", "使用未被改动的备份 use an unaltered backup")
    return ""


def _read_sqlite(path: Path) -> dict[str, Any]:
    """The rows of an ecopark SQLite file, read without changing it."""
    try:
        with _read_only(path) as connection:
            return _sqlite_content(path, connection)
    except (SQLAlchemyError, sqlite3.Error) as exc:
        raise InputFileError(path.name, f"SQLite 文件已损坏或无法读取 the SQLite file is damaged "
                             f"or unreadable: {getattr(exc, 'orig', exc)}") from None


def _sqlite_content(path: Path, connection: Connection) -> dict[str, Any]:
    if connection.exec_driver_sql("PRAGMA quick_check").scalar() != "ok":
        raise InputFileError(path.name, "SQLite 文件已损坏 the SQLite file is damaged")
    names = set(connection.exec_driver_sql("SELECT name FROM sqlite_master").scalars())
    if "alembic_version" not in names:
        raise InputFileError(path.name, "不是 ecopark 数据库 not an ecopark database")
    data = _dump_connection(connection)
    data["revision"] = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    return data


def _new_sqlite_file(store: Store) -> Path | None:
    """The target's SQLite file when the restore is about to create it (removed on failure)."""
    url = make_url(store.url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    target = Path(url.database)
    return None if target.exists() else target


def _remove_database(store: Store, target: Path) -> None:
    store.dispose()
    for suffix in ("", "-wal", "-shm", "-journal"):
        target.with_name(target.name + suffix).unlink(missing_ok=True)


def _require_empty(store: Store) -> None:
    if current_revision(store) is None:
        if store.table_names():
            raise StoreError(f"{store.display_url} 已有表但不是 ecopark 管理的 has tables but no "
                             "ecopark schema", "恢复到新的数据库 restore into a new, empty "
                             "database (--db)")
        return
    with store.connect() as connection:
        for table in _tables(connection):
            if table.name in _SEEDED:
                continue
            if connection.execute(select(func.count()).select_from(table)).scalar():
                raise StoreError(f"{store.display_url} 不是空数据库（{table.name} 有数据）the "
                                 "target database is not empty",
                                 "恢复到新的数据库 restore into a new, empty database (--db)")


def _load(store: Store, data: dict[str, Any], name: str) -> audit.ChainCheck:
    revision = _revision(name, data)
    current = current_revision(store)
    if current is not None and current != revision:
        raise StoreError(f"备份的结构版本为 {revision}，目标数据库为 {current} the backup's schema "
                         "revision differs from the target's",
                         "恢复到一个全新的（未初始化的）数据库 restore into a new database")
    try:
        with store.connect(transaction=True) as connection:
            return _load_into(connection, data, name, revision if current is None else None)
    except StatementError as exc:
        raise InputFileError(name, f"备份中的行无法写入数据库 the backup's rows cannot be "
                             f"stored: {exc.orig}") from None


def _revision(name: str, data: dict[str, Any]) -> str:
    revision = data.get("revision")
    if not isinstance(revision, str) or not revision:
        raise InputFileError(name, "备份缺少结构版本 the backup has no schema revision")
    if not is_known(revision):
        raise InputFileError(name, f"备份的结构版本 {revision} 不是本版 ecopark 所知的（来自更新的"
                             f"版本？）the backup's schema revision {revision} is unknown to this "
                             "ecopark (made by a newer one?)", "用更新的 ecopark 恢复 restore "
                             "with the newer ecopark")
    return revision


def _load_into(connection: Connection, data: dict[str, Any], name: str,
               create: str | None) -> audit.ChainCheck:
    if create is not None:
        upgrade_on(connection, create)
    tables = {t.name: t for t in _tables(connection)}
    rows = check_rows(name, data.get("tables"), tables, connection.dialect.name)
    for table_name, table_rows in rows.items():
        _insert(connection, tables[table_name], table_rows, name)
    if connection.dialect.name == "postgresql":
        _reset_sequences(connection, list(tables.values()))
    upgrade_on(connection)
    chain = audit.verify(connection)
    audit.require_intact(chain, f"备份 backup {name}")
    return chain


def _insert(connection: Connection, table: Table, rows: list[dict[str, Any]], name: str) -> None:
    try:
        if table.name in _SEEDED:
            connection.execute(delete(table))
        if rows:
            connection.execute(insert(table), rows)
    except StatementError as exc:
        raise InputFileError(name, f"表 {table.name} 的行无法写入数据库 the rows of table "
                             f"{table.name} cannot be stored: {exc.orig}",
                             "备份已损坏或被改动 the backup is damaged or was edited") from None


def _reset_sequences(connection: Connection, tables: list[Table]) -> None:
    for table in tables:
        keys = list(table.primary_key.columns)
        if [c.name for c in keys] != ["id"] or keys[0].type.python_type is not int:
            continue  # only integer ids have a sequence (the jobs table's id is a digest)
        connection.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table.name}), 1), "
            f"(SELECT MAX(id) FROM {table.name}) IS NOT NULL)"))
