"""Backups, and restoring them into an empty database.

Two formats:

- **SQLite file** (the default for an SQLite store): a consistent copy made with SQLite's online
  backup API, safe while the server runs.
- **JSON dump** (`ecopark-backup/1`, the default for PostgreSQL, available for SQLite with
  `--format json`): every table's rows, tables in dependency order, with the schema revision.
  It is portable: a dump of SQLite restores into PostgreSQL and back.

`restore` refuses a database that holds any data. It creates the schema of the backup's revision,
inserts every row in dependency order (one transaction), resets PostgreSQL's id sequences, then
upgrades the schema to the code's head, so an old backup restores into a current ecopark.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, MetaData, Table, delete, func, insert, select, text

from ecopark.errors import InputFileError, StoreError
from ecopark.store.engine import Store
from ecopark.store.migrate import current_revision, require_current, upgrade

__all__ = ["FORMAT", "backup", "dump", "restore"]

FORMAT = "ecopark-backup/1"
_SQLITE_MAGIC = b"SQLite format 3\x00"
_SEEDED = frozenset({"roles"})  # rows the first migration inserts


def backup(store: Store, path: Path, fmt: str | None = None) -> str:
    """Write a backup of `store` to `path`; return the format used ("sqlite" or "json")."""
    require_current(store)
    fmt = fmt or ("sqlite" if store.dialect == "sqlite" else "json")
    if fmt == "sqlite":
        if store.dialect != "sqlite":
            raise StoreError("SQLite 文件格式只适用于 SQLite 数据库 the sqlite format needs an "
                             "SQLite store", "用 --format json use --format json")
        _sqlite_backup(store, path)
    else:
        path.write_text(json.dumps(dump(store), ensure_ascii=False), encoding="utf-8")
    return fmt


def _sqlite_backup(store: Store, path: Path) -> None:
    path.unlink(missing_ok=True)
    raw = store.engine.raw_connection()
    try:
        target = sqlite3.connect(path)
        try:
            raw.driver_connection.backup(target)  # type: ignore[union-attr]
        finally:
            target.close()
    finally:
        raw.close()


def dump(store: Store) -> dict[str, Any]:
    """Every table's rows as JSON-ready lists, tables in dependency order."""
    with store.connect() as connection:
        tables = _tables(connection)
        return {"format": FORMAT, "revision": current_revision(store),
                "created_at": dt.datetime.now(dt.UTC).isoformat(),
                "tables": {t.name: _dump_table(connection, t) for t in tables}}


def _tables(connection: Connection) -> list[Table]:
    metadata = MetaData()
    metadata.reflect(connection)
    return [t for t in metadata.sorted_tables if t.name != "alembic_version"]


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


def restore(store: Store, path: Path) -> str:
    """Restore a backup file (either format) into the empty database `store`; return its format."""
    head = _head(path)
    _require_empty(store)
    if head.startswith(_SQLITE_MAGIC):
        _sqlite_revision(path)
        if store.dialect == "sqlite" and current_revision(store) is None:
            _sqlite_restore(store, path)
            upgrade(store)
            return "sqlite"
        source = Store(f"sqlite:///{path.resolve()}")
        try:
            data = dump(source)
        finally:
            source.dispose()
    else:
        data = _read_json(path)
    _load(store, data)
    return "json" if not head.startswith(_SQLITE_MAGIC) else "sqlite"


def _head(path: Path) -> bytes:
    if not path.is_file():
        raise InputFileError(str(path), "文件不存在 file not found", "检查路径 check the path")
    with path.open("rb") as handle:
        return handle.read(16)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputFileError(str(path), f"不是 ecopark 备份 not an ecopark backup: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputFileError(str(path), f"不是 ecopark 备份 not an ecopark backup ({FORMAT})")
    return data


def _sqlite_revision(path: Path) -> str:
    connection = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True)
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        row = None
    finally:
        connection.close()
    if row is None:
        raise InputFileError(str(path), "不是 ecopark 数据库 not an ecopark database")
    return str(row[0])


def _require_empty(store: Store) -> None:
    if current_revision(store) is None and "parks" not in store.table_names():
        return
    with store.connect() as connection:
        for table in _tables(connection):
            if table.name in _SEEDED:
                continue
            if connection.execute(select(func.count()).select_from(table)).scalar():
                raise StoreError(f"{store.display_url} 不是空数据库（{table.name} 有数据）the "
                                 "target database is not empty",
                                 "恢复到新的数据库 restore into a new, empty database (--db)")


def _sqlite_restore(store: Store, path: Path) -> None:
    store.engine.dispose()
    source = sqlite3.connect(path)
    raw = store.engine.raw_connection()
    try:
        source.backup(raw.driver_connection)  # type: ignore[arg-type]
    finally:
        raw.close()
        source.close()
        store.engine.dispose()


def _load(store: Store, data: dict[str, Any]) -> None:
    revision = data.get("revision")
    if not isinstance(revision, str):
        raise StoreError("备份缺少结构版本 the backup has no schema revision")
    current = current_revision(store)
    if current is None:
        upgrade(store, revision)
    elif current != revision:
        raise StoreError(f"备份的结构版本为 {revision}，目标数据库为 {current} the backup's schema "
                         "revision differs from the target's",
                         "恢复到一个全新的（未初始化的）数据库 restore into a new database")
    with store.connect(transaction=True) as connection:
        tables = {t.name: t for t in _tables(connection)}
        for name, content in data["tables"].items():
            _load_table(connection, tables[name], content)
        if store.dialect == "postgresql":
            _reset_sequences(connection, list(tables.values()))
    upgrade(store)


def _load_table(connection: Connection, table: Table, content: dict[str, Any]) -> None:
    if table.name in _SEEDED:
        connection.execute(delete(table))
    columns: list[str] = content["columns"]
    times = {c.name for c in table.columns if _is_time(c.type)}
    rows = [{c: _value(v, c in times) for c, v in zip(columns, row, strict=True)}
            for row in content["rows"]]
    if rows:
        connection.execute(insert(table), rows)


def _is_time(column_type: Any) -> bool:
    try:
        return bool(column_type.python_type is dt.datetime)
    except NotImplementedError:
        return False


def _value(value: Any, is_time: bool) -> Any:
    if is_time and isinstance(value, str):
        parsed = dt.datetime.fromisoformat(value)
        return parsed.astimezone(dt.UTC).replace(tzinfo=None) if parsed.tzinfo else parsed
    return value


def _reset_sequences(connection: Connection, tables: list[Table]) -> None:
    for table in tables:
        if [c.name for c in table.primary_key.columns] != ["id"]:
            continue
        connection.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table.name}), 1), "
            f"(SELECT MAX(id) FROM {table.name}) IS NOT NULL)"))
