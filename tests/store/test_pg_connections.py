"""PostgreSQL connections (run when ECOPARK_TEST_DATABASE_URL is set): read sessions send no
BEGIN or COMMIT (every statement has its own snapshot at READ COMMITTED anyway), writes stay
one transaction, and a pooled connection is pinged only after it sat idle — a dead one is
replaced before a request sees it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text

from ecopark.store import engine as engine_module
from ecopark.store import models as m
from ecopark.store.engine import Store, resolve_url
from ecopark.store.migrate import upgrade

from ..dbfixtures import PG_URL, _pg_schema

pytestmark = pytest.mark.skipif(PG_URL is None, reason="ECOPARK_TEST_DATABASE_URL is not set")


@pytest.fixture
def pg_store() -> Iterator[Store]:
    assert PG_URL is not None
    for url in _pg_schema(PG_URL):
        store = Store(url)
        upgrade(store)
        yield store
        store.dispose()


def _transaction_status(session: Any) -> tuple[bool, str]:
    raw = session.connection().connection.dbapi_connection
    return raw.autocommit, raw.info.transaction_status.name


def test_a_read_session_sends_no_begin(pg_store: Store) -> None:
    with pg_store.session("test", write=False) as session:
        assert session.scalar(select(m.Park.id).limit(1)) is None
        assert _transaction_status(session) == (True, "IDLE")  # no transaction open
    with pg_store.session("test") as session:
        session.scalar(select(m.Park.id).limit(1))
        assert _transaction_status(session) == (False, "INTRANS")


def test_a_write_session_is_still_one_transaction(pg_store: Store) -> None:
    with pytest.raises(RuntimeError), pg_store.session("test") as session:
        session.add(m.Park(name="回滚园区"))
        session.flush()
        raise RuntimeError("after the first row")
    with pg_store.session("test", write=False) as session:
        assert session.scalar(select(m.Park.id).where(m.Park.name == "回滚园区")) is None


def test_a_read_session_after_a_write_one_reads_in_autocommit(pg_store: Store) -> None:
    """The same pooled connection serves both kinds; each gets its own mode back."""
    for write in (True, False, True, False):
        with pg_store.session("test", write=write) as session:
            session.scalar(select(m.Park.id).limit(1))
            assert _transaction_status(session)[0] is not write


def test_a_busy_connection_is_not_pinged(pg_store: Store,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    pings: list[int] = []
    real = pg_store.engine.dialect.do_ping
    monkeypatch.setattr(pg_store.engine.dialect, "do_ping",
                        lambda c: pings.append(1) or real(c))
    for _ in range(3):
        with pg_store.session("test", write=False) as session:
            session.scalar(select(m.Park.id).limit(1))
    assert pings == []
    monkeypatch.setattr(engine_module, "_PING_AFTER", 0.0)
    with pg_store.session("test", write=False) as session:
        session.scalar(select(m.Park.id).limit(1))
    assert pings == [1]


def test_an_idle_connection_that_died_is_replaced(pg_store: Store,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    with pg_store.session("test", write=False) as session:
        before = session.scalar(text("SELECT pg_backend_pid()"))
    assert PG_URL is not None
    killer = create_engine(resolve_url(PG_URL))
    with killer.begin() as connection:
        assert connection.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": before})
    killer.dispose()
    monkeypatch.setattr(engine_module, "_PING_AFTER", 0.0)  # it has been idle long enough
    with pg_store.session("test", write=False) as session:
        after = session.scalar(text("SELECT pg_backend_pid()"))
    assert after != before
