"""Which database, and how to talk to it.

The URL is chosen in this order: `--db` (a URL or a file path), then the `ECOPARK_DATABASE_URL`
environment variable, then an SQLite file `ecopark.sqlite` in the user data directory
(platformdirs, e.g. ~/.local/share/ecopark). SQLite runs in WAL mode with foreign keys on and
SQLAlchemy emitting BEGIN itself (so a load is one real transaction); PostgreSQL runs through
psycopg 3 (`postgresql://…` is read as `postgresql+psycopg://…`).

A `Store` is passed to whoever needs the database: there is no global engine.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DataError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from ecopark.errors import Conflict, InvalidValue, StoreError
from ecopark.store import audit

__all__ = ["ENV_VAR", "Store", "default_url", "make_engine", "resolve_url"]

ENV_VAR = "ECOPARK_DATABASE_URL"
# Connections an SQLite file keeps open: one per worker thread of the server (anyio runs at most
# 40). With SQLAlchemy's default of 5 (+10 overflow), 20 concurrent clients made the server close
# and reopen a connection, PRAGMAs included, for about every fourth request.
_SQLITE_POOL = 40


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


def make_engine(url: str, **options: Any) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"无效的数据库地址 invalid database URL {url!r}: {exc}",
                         "例如 e.g. sqlite:///ecopark.sqlite 或 postgresql://user@host/db") from None
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database, **options)
    return create_engine(url, pool_pre_ping=True, **options)


def _sqlite_engine(url: str, database: str | None, **options: Any) -> Engine:
    memory = not database or database == ":memory:"
    if database and not memory:
        Path(database).parent.mkdir(parents=True, exist_ok=True)
        options.setdefault("pool_size", _SQLITE_POOL)
    engine = create_engine(url, connect_args={"check_same_thread": False}, **options)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN (see module doc)
        cursor = dbapi_connection.cursor()
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine


class Store:
    """One database: its engine and a way to open audited sessions on it."""

    def __init__(self, url: str, **engine_options: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_options)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def display_url(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    @contextmanager
    def session(self, actor: str) -> Iterator[Session]:
        """A transaction: committed when the block ends, rolled back (all of it) on error."""
        session = self._sessions(info={"actor": actor})
        audit.install(session)
        try:
            with session.begin():
                yield session
        except OperationalError as exc:
            raise StoreError(f"无法访问数据库 cannot use the database {self.display_url}: "
                             f"{exc.orig}") from None
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
        """A plain connection (in one transaction with `transaction`); errors say which
        database could not be reached."""
        try:
            with self.engine.begin() if transaction else self.engine.connect() as connection:
                yield connection
        except OperationalError as exc:
            raise StoreError(f"无法连接数据库 cannot connect to {self.display_url}: {exc.orig}",
                             "检查 --db 或 ECOPARK_DATABASE_URL check --db") from None

    def table_names(self) -> list[str]:
        with self.connect() as connection:
            return inspect(connection).get_table_names()

    def dispose(self) -> None:
        self.engine.dispose()
