"""Which database, and how to talk to it.

The URL is chosen in this order: `--db` (a URL or a file path), then the `ECOPARK_DATABASE_URL`
environment variable, then an SQLite file `ecopark.sqlite` in the user data directory
(platformdirs, e.g. ~/.local/share/ecopark). SQLite runs in WAL mode with foreign keys on and
SQLAlchemy emitting BEGIN itself (so a load is one real transaction); PostgreSQL runs through
psycopg 3 (`postgresql://…` is read as `postgresql+psycopg://…`).

Writers wait instead of failing: a write transaction on SQLite starts with `BEGIN IMMEDIATE`,
so it takes the write lock before it reads anything (a transaction that read first and then wrote
could only fail with "database is locked" once another writer had committed); taking the lock is
retried within the wait limit (`timeouts.py`). Read transactions start with a plain `BEGIN` and
never block in WAL mode; one that tries to write is a bug, refused at its flush.

On PostgreSQL a read session runs without BEGIN and COMMIT (autocommit): at PostgreSQL's READ
COMMITTED level every statement takes its own snapshot even inside a transaction, so the
transaction gave a reader nothing but two round trips (a third of a cached page's). A pooled
connection is pinged before it is handed out only when it has sat idle for `_PING_AFTER` seconds
(where a firewall, a restart or an idle timeout may have closed it); a connection in steady use
is not pinged on every request. One that died while in use fails its request: SQLAlchemy then
recycles every connection of the pool opened before the failure.

A `Store` is passed to whoever needs the database: there is no global engine.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import (
    ArgumentError,
    DataError,
    DisconnectionError,
    IntegrityError,
    OperationalError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

from ecopark.core.errors import Conflict, DatabaseBusy, InvalidValue, StoreError
from ecopark.store import audit, locks, texts
from ecopark.store.timeouts import Timeouts, is_busy, postgres_connect_args, watch_sqlite_statements

__all__ = ["ENV_VAR", "Store", "default_url", "make_engine", "resolve_url"]

ENV_VAR = "ECOPARK_DATABASE_URL"
# Connections an SQLite file keeps open: one per worker thread of the server (anyio runs at most
# 40). With SQLAlchemy's default of 5 (+10 overflow), 20 concurrent clients made the server close
# and reopen a connection, PRAGMAs included, for about every fourth request.
_SQLITE_POOL = 40
_READ = "ecopark_read_only"  # execution option of the engine that read transactions run on
_LOCK_TRIES = 2  # BEGIN IMMEDIATE asked this often, each waiting up to the busy timeout
_PING_AFTER = 10.0  # seconds idle in the pool after which a connection is pinged at checkout


def default_url() -> str:
    """The SQLite file in the user data directory (created on first use)."""
    from platformdirs import user_data_dir

    folder = Path(user_data_dir("ecopark", appauthor=False))
    return f"sqlite:///{folder / 'ecopark.sqlite'}"


def resolve_url(db: str | None = None, env: dict[str, str] | None = None) -> str:
    """`--db` > ECOPARK_DATABASE_URL > the default SQLite file; paths become sqlite URLs."""
    environ = os.environ if env is None else env
    raw = db or environ.get(ENV_VAR) or default_url()
    if "://" not in raw:
        return f"sqlite:///{Path(raw).expanduser().resolve()}"
    if raw.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + raw.split("://", 1)[1]
    return raw


def make_engine(url: str, timeouts: Timeouts | None = None, **options: Any) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"无效的数据库地址 invalid database URL {url!r}: {exc}",
                         "例如 e.g. sqlite:///ecopark.sqlite 或 postgresql://user@host/db") from None
    timeouts = timeouts or Timeouts()
    options.setdefault("pool_timeout", timeouts.wait)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database, timeouts, **options)
    if parsed.get_backend_name() == "postgresql":
        arguments = postgres_connect_args(timeouts, parsed.query)
        return _ping_when_idle(create_engine(url, connect_args=arguments, **options))
    return create_engine(url, pool_pre_ping=True, **options)


def _ping_when_idle(engine: Engine) -> Engine:
    """Ping a pooled connection at checkout when it has been idle `_PING_AFTER` seconds; a dead
    one is replaced (DisconnectionError makes the pool connect anew)."""

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop("idle_since", None)
        if since is None or time.monotonic() - since < _PING_AFTER:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError(str(exc)) from exc

    return engine


def _sqlite_engine(url: str, database: str | None, timeouts: Timeouts, **options: Any) -> Engine:
    memory = not database or database == ":memory:"
    if database and not memory:
        Path(database).parent.mkdir(parents=True, exist_ok=True)
        options.setdefault("pool_size", _SQLITE_POOL)
    else:
        options.pop("pool_timeout")  # an in-memory database has no pool to wait for
    engine = create_engine(url, connect_args={"check_same_thread": False}, **options)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN (see module doc)
        cursor = dbapi_connection.cursor()
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={timeouts.wait_ms}")
        cursor.close()
        record.info["deadline"] = watch_sqlite_statements(dbapi_connection, timeouts)

    @event.listens_for(engine, "before_cursor_execute")
    def _on_statement(connection: Any, *_args: Any) -> None:
        connection.connection.info["deadline"].start()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        if connection.get_execution_options().get(_READ, False):
            connection.exec_driver_sql("BEGIN")
        else:
            _begin_immediate(connection)

    return engine


def _begin_immediate(connection: Connection) -> None:
    """Take the write lock; a lock not granted within the busy timeout is asked for again, a
    bounded number of times, before the caller is told the database is busy."""
    for attempt in range(_LOCK_TRIES):
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            return
        except OperationalError as exc:
            if attempt == _LOCK_TRIES - 1 or not is_busy(exc):
                raise



class Store:
    """One database: its engine and a way to open audited sessions on it."""

    def __init__(self, url: str, timeouts: Timeouts | None = None, **engine_options: Any) -> None:
        self.url = url
        self.timeouts = timeouts or Timeouts()
        self.engine = make_engine(url, self.timeouts, **engine_options)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._reader = self.engine.execution_options(**{_READ: True})
        # on PostgreSQL read sessions autocommit (see the module doc); `connect` keeps BEGIN
        reading = self._reader.execution_options(isolation_level="AUTOCOMMIT") \
            if self.dialect == "postgresql" else self._reader
        self._readers = sessionmaker(reading, expire_on_commit=False)
        # the flush hooks, once per kind of session rather than once per session: a writer's
        # flush is checked (text, lifecycle locks) and audited; a reader's is refused
        for install in (texts.install, locks.install, audit.install):
            install(self._sessions)
        event.listen(self._readers, "before_flush", _refuse_writes)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def display_url(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    @contextmanager
    def session(self, actor: str, write: bool = True) -> Iterator[Session]:
        """A transaction: committed when the block ends, rolled back (all of it) on error.
        A write transaction holds the write lock from its start (SQLite); a read one
        (`write=False`) never waits for writers and refuses to write."""
        session = (self._sessions if write else self._readers)(info={"actor": actor})
        try:
            with session.begin():
                yield session
        except (OperationalError, PoolTimeout) as exc:
            raise self._unavailable(exc) from None
        except IntegrityError as exc:
            raise Conflict(problem=f"与已有数据冲突 conflicts with stored data: {exc.orig}",
                           kind="数据 data", key="") from None
        except (DataError, OverflowError) as exc:
            raise InvalidValue("(数据库 database)", f"数值超出数据库允许的范围 a value is out of "
                               f"the database's range: {getattr(exc, 'orig', exc)}") from None
        finally:
            session.close()

    @contextmanager
    def connect(self, transaction: bool = False) -> Iterator[Connection]:
        """A plain connection: for reading, or in one write transaction with `transaction`;
        errors say which database could not be reached."""
        try:
            with self.engine.begin() if transaction else self._reader.connect() as connection:
                yield connection
        except OperationalError as exc:
            raise StoreError(f"无法连接数据库 cannot connect to {self.display_url}: {exc.orig}",
                             "检查 --db 或 ECOPARK_DATABASE_URL check --db") from None

    def table_names(self) -> list[str]:
        with self.connect() as connection:
            return inspect(connection).get_table_names()

    def dispose(self) -> None:
        self.engine.dispose()

    def _unavailable(self, exc: OperationalError | PoolTimeout) -> StoreError | DatabaseBusy:
        if is_busy(exc):
            return DatabaseBusy(f"{self.timeouts.wait:g}", max(1, round(self.timeouts.wait)))
        reason = getattr(exc, "orig", None) or exc
        return StoreError(f"无法访问数据库 cannot use the database {self.display_url}: {reason}")


def _refuse_writes(session: Session, _context: object, _instances: object) -> None:
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("a read-only transaction tried to write; open it with write=True")
