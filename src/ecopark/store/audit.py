"""The audit log: every inserted, updated and deleted row becomes an `audit_log` row in the
same transaction, from a session `after_flush` hook, so no change can skip it.

The actor is the session's `info["actor"]` (a user name, or `cli:<os user>`). Secrets (password
and token hashes) are written as "***". Sessions, login attempts and the log itself are not
audited: they are records of access, not of data.

The log is a hash chain: each entry's `hash` is SHA-256 over a canonical serialisation of its
fields (`entry_hash`) and `prev_hash`, the hash of the entry before it (`GENESIS` for the first).
Appending reads the last hash only once the transaction holds the write lock: on SQLite the
flush has written the audited rows by the time `after_flush` runs (SQLite has one writer at a
time), on PostgreSQL a transaction-scoped advisory lock is taken first; a unique `prev_hash` is
the database's own guard against a fork. `verify` walks the chain and names the first broken link.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from contextlib import closing
from typing import Any

from sqlalchemy import Connection, RowMapping, event, insert, inspect, select, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.util import identity_key

from ecopark.core.errors import StoreError
from ecopark.store.models import (
    AuditEntry,
    Base,
    Enterprise,
    JobRow,
    KeptForm,
    LoginAttempt,
    ObservationHistory,
    ParkYear,
    SessionRow,
    Submission,
    utcnow,
)

__all__ = ["CHAINED", "GENESIS", "ChainCheck", "entry_hash", "install", "record_bulk",
           "require_intact", "verify"]

GENESIS = "0" * 64  # the prev_hash of the first entry
CHAINED = ("at", "actor", "action", "table_name", "row_key", "park_id", "old_json", "new_json")
_LOCK_KEY = 0x65636F7061726B  # "ecopark": the advisory lock that serialises appends (PostgreSQL)

# a value's history entry repeats the audited change of its observation row: not logged twice
# jobs: no data; kept forms: what a browser typed or uploaded but nobody saved (like sessions)
_SKIPPED = (AuditEntry, JobRow, KeptForm, LoginAttempt, ObservationHistory, SessionRow)
_SECRET = frozenset({"password_hash", "token_hash"})


def install(session: Session | sessionmaker[Session]) -> None:
    """Audit every flush of `session` (idempotent)."""
    if not event.contains(session, "before_flush", _orphans_deleted):
        event.listen(session, "before_flush", _orphans_deleted)
    if not event.contains(session, "after_flush", _after_flush):
        event.listen(session, "after_flush", _after_flush)


def _orphans_deleted(session: Session, _context: object, _instances: object) -> None:
    """Rows dropped from a `delete-orphan` collection (a replaced list of children) are deleted
    by the flush itself, after `session.deleted` was read: delete them explicitly first, so the
    log sees them as it sees any delete."""
    for obj in list(session.dirty):
        state = inspect(obj)
        for relation in state.mapper.relationships:
            if not relation.cascade.delete_orphan:
                continue
            for child in state.attrs[relation.key].history.deleted or ():
                if child is not None and inspect(child).persistent:
                    session.delete(child)


def _after_flush(session: Session, _context: object) -> None:
    actor = str(session.info.get("actor", "unknown"))
    now = utcnow()
    parks: dict[tuple[str, int], int | None] = {}
    rows = [_entry(session, obj, "insert", actor, now, parks) for obj in session.new]
    rows += [_entry(session, obj, "update", actor, now, parks) for obj in session.dirty
             if session.is_modified(obj, include_collections=False)]
    rows += [_entry(session, obj, "delete", actor, now, parks) for obj in session.deleted]
    kept = [row for row in rows if row is not None]
    if kept:
        connection = session.connection()
        _chain(connection, kept)
        connection.execute(insert(AuditEntry), kept)


def _entry(session: Session, obj: object, action: str, actor: str, now: dt.datetime,
           parks: dict[tuple[str, int], int | None]) -> dict[str, Any] | None:
    if not isinstance(obj, Base) or isinstance(obj, _SKIPPED):
        return None
    old, new = _change(obj, action)
    if action == "update" and old == new:
        return None
    return {"at": now, "actor": actor, "action": action, "table_name": obj.__tablename__,
            "row_key": _key(obj), "park_id": _park_of(session, obj, parks),
            "old_json": _dump(old), "new_json": _dump(new)}


def _change(obj: Base, action: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    state = inspect(obj)
    if action == "insert":
        return None, _columns(obj)
    if action == "delete":
        return _columns(obj), None
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if history.has_changes():
            old[attr.key] = _plain(attr.key, history.deleted[0] if history.deleted else None)
            new[attr.key] = _plain(attr.key, history.added[0] if history.added else None)
    return old, new


def _columns(obj: Base) -> dict[str, Any]:
    mapper = inspect(obj).mapper
    return {attr.key: _plain(attr.key, getattr(obj, attr.key)) for attr in mapper.column_attrs}


def _plain(key: str, value: Any) -> Any:
    if key in _SECRET and value is not None:
        return "***"
    if isinstance(value, dt.date):  # datetimes and dates (a campaign's deadline)
        return value.isoformat()
    return value


def _dump(values: dict[str, Any] | None) -> str | None:
    return None if values is None else json.dumps(values, ensure_ascii=False, sort_keys=True)


def _key(obj: Base) -> str:
    state = inspect(obj)
    return "/".join(str(part) for part in state.mapper.primary_key_from_instance(obj))


def _park_of(session: Session, obj: Base, parks: dict[tuple[str, int], int | None]) -> int | None:
    """The park a row belongs to, so a park's officers and reviewers can read its history."""
    if obj.__tablename__ == "parks":
        return getattr(obj, "id", None)
    for column, model in (("park_id", None), ("park_year_id", ParkYear),
                          ("enterprise_id", Enterprise), ("submission_id", Submission)):
        ref = getattr(obj, column, None)
        if isinstance(ref, int):
            return ref if model is None else _lookup(session, model, ref, parks)
    for relation in ("group_id", "list_id", "record_id"):
        if getattr(obj, relation, None) is not None:
            return _via_parent(session, obj, parks)
    return None


def _lookup(session: Session, model: type[Base], key: int,
            parks: dict[tuple[str, int], int | None]) -> int | None:
    cache_key = (model.__tablename__, key)
    if cache_key not in parks:
        loaded = _in_session(session, model, key)
        parks[cache_key] = _park_of(session, loaded, parks) if loaded is not None else \
            _park_from_db(session, model, key)
    return parks[cache_key]


def _in_session(session: Session, model: type[Base], key: int) -> Base | None:
    """A row already in the session, including one deleted in this very flush."""
    found = session.identity_map.get(identity_key(model, key))
    return found if isinstance(found, Base) else None


def _park_from_db(session: Session, model: type[Base], key: int) -> int | None:
    table = model.__table__
    if model is Submission:
        query = select(Enterprise.park_id).join(Submission).where(Submission.id == key)
    else:
        query = select(table.c.park_id).where(table.c.id == key)
    return session.connection().execute(query).scalar()


def _via_parent(session: Session, obj: Base, parks: dict[tuple[str, int], int | None]) -> int | None:
    """Checklist entries, list records and list fields: climb to the park-year."""
    from ecopark.store.models import ChecklistGroup, DataList, ListRecord

    steps: list[tuple[str, type[Base]]] = [("group_id", ChecklistGroup), ("list_id", DataList),
                                           ("record_id", ListRecord)]
    for column, model in steps:
        ref = getattr(obj, column, None)
        if isinstance(ref, int):
            parent = _in_session(session, model, ref) or session.get(model, ref)
            return None if parent is None else _park_of(session, parent, parks)
    return None


# --------------------------------------------------------------------------- the hash chain


def record_bulk(connection: Connection, actor: str, what: str, counts: Mapping[str, int]) -> None:
    """One entry for a bulk load written with Core inserts, which the flush hook never sees
    (`bench/national.py`): what was loaded and how many rows per table, not each row. Chained
    like every other entry, in the load's own transaction."""
    row: dict[str, Any] = {"at": utcnow(), "actor": actor, "action": "insert",
                           "table_name": "bulk_load", "row_key": what[:200], "park_id": None,
                           "old_json": None, "new_json": _dump(dict(counts))}
    _chain(connection, [row])
    connection.execute(insert(AuditEntry), [row])


def entry_hash(prev_hash: str, entry: Mapping[str, Any] | RowMapping) -> str:
    """SHA-256 (hex) of an entry: a JSON array of `prev_hash` and the `CHAINED` fields in that
    order, ASCII-escaped and without spaces; `at` as naive UTC ISO 8601 with microseconds."""
    values = [prev_hash, _instant(entry["at"]), *(entry[key] for key in CHAINED[1:])]
    canonical = json.dumps(values, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def _instant(at: dt.datetime) -> str:
    if at.tzinfo is not None:
        at = at.astimezone(dt.UTC).replace(tzinfo=None)
    return at.isoformat(timespec="microseconds")


def _chain(connection: Connection, rows: list[dict[str, Any]]) -> None:
    previous = _last_hash(connection)
    for row in rows:
        row["prev_hash"] = previous
        row["hash"] = previous = entry_hash(previous, row)


def _last_hash(connection: Connection) -> str:
    """The newest entry's hash, read under the write lock (see the module doc)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    last = connection.execute(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))
    return last.scalar() or GENESIS


@dataclasses.dataclass(frozen=True)
class ChainCheck:
    """The result of walking the chain: entries checked before the first broken link (all of
    them when intact), the last good hash, and the broken entry's id and what is wrong."""

    checked: int
    head: str
    broken_id: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_id is None


def verify(connection: Connection) -> ChainCheck:
    """Walk the log in id order (streamed) and stop at the first broken link."""
    table = AuditEntry.__table__
    query = select(table.c.id, table.c.prev_hash, table.c.hash,
                   *(table.c[key] for key in CHAINED)).order_by(table.c.id)
    previous, checked = GENESIS, 0
    with closing(connection.execution_options(yield_per=1000).execute(query)) as rows:
        for row in rows.mappings():
            problem = _link_problem(previous, row)
            if problem:
                return ChainCheck(checked, previous, row["id"], problem)
            previous, checked = row["hash"], checked + 1
    return ChainCheck(checked, previous)


def _link_problem(previous: str, row: RowMapping) -> str:
    if row["prev_hash"] != previous:
        return ("prev_hash 不是前一条记录的哈希（有记录被删除、插入或调换）prev_hash is not the "
                "hash of the entry before it (an entry was removed, inserted or reordered)")
    if row["hash"] != entry_hash(previous, row):
        return "内容与其哈希不符（记录被修改）the entry's content does not match its hash (edited)"
    return ""


def require_intact(check: ChainCheck, what: str) -> None:
    """Raise StoreError naming the first broken link of `what` (a database or a backup)."""
    if not check.intact:
        raise StoreError(f"{what} 的审计日志哈希链在第 {check.broken_id} 条记录处断开 the audit "
                         f"log's hash chain is broken at entry {check.broken_id}: {check.problem}",
                         "审计日志被篡改或损坏，请用可信的备份核对 the log was tampered with or "
                         "damaged; compare with a trusted backup")
