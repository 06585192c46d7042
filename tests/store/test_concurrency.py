"""Writers wait instead of failing: concurrent read-then-write transactions all commit with no
update lost (SQLite BEGIN IMMEDIATE, PostgreSQL row locks); a lock or statement past its limit
is DatabaseBusy (503 with Retry-After), never a hang or a traceback; reads never write."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import select, text

from ecopark.core.errors import DatabaseBusy
from ecopark.store import models as m
from ecopark.store.engine import Store
from ecopark.store.migrate import upgrade
from ecopark.store.timeouts import Timeouts, postgres_connect_args

from ..dbfixtures import PG_URL


def _counter_store(url: str, timeouts: Timeouts | None = None) -> Store:
    store = Store(url, timeouts)
    upgrade(store)
    with store.session("test") as session:
        session.add(m.Park(name="计数园区"))
    return store


def _increment(store: Store, times: int, failures: list[BaseException]) -> None:
    """Read the park's name length as a counter and write it back one longer: a lost update
    would show as a shorter name in the end."""
    for _ in range(times):
        try:
            with store.session("writer") as session:
                park = session.scalars(select(m.Park).with_for_update()).one()
                park.name = park.name + "+"
        except BaseException as exc:  # collected: the test asserts there are none
            failures.append(exc)


def test_concurrent_read_then_write_transactions_all_commit(db_url: str) -> None:
    store = _counter_store(db_url)
    failures: list[BaseException] = []
    threads = [threading.Thread(target=_increment, args=(store, 20, failures)) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with store.session("reader", write=False) as session:
        name = session.scalars(select(m.Park.name)).one()
    store.dispose()
    assert failures == []
    assert name == "计数园区" + "+" * 100


def test_a_read_transaction_refuses_to_write(db_url: str) -> None:
    store = _counter_store(db_url)
    with pytest.raises(RuntimeError, match="read-only transaction"), \
            store.session("reader", write=False) as session:
        session.scalars(select(m.Park)).one().name = "改名"
    with store.session("reader", write=False) as session:
        assert session.scalars(select(m.Park.name)).one() == "计数园区"
    store.dispose()


def test_reads_do_not_wait_for_a_writer_on_sqlite(tmp_path: Path) -> None:
    store = _counter_store(f"sqlite:///{tmp_path / 'db.sqlite'}", Timeouts(wait=0.2))
    with store.session("writer") as writing:
        writing.scalars(select(m.Park)).one().name = "写入中"
        writing.flush()
        with store.session("reader", write=False) as reading:
            assert reading.scalars(select(m.Park.name)).one() == "计数园区"
    store.dispose()


def test_a_writer_that_cannot_get_the_lock_in_time_is_told_the_database_is_busy(
        tmp_path: Path) -> None:
    store = _counter_store(f"sqlite:///{tmp_path / 'db.sqlite'}", Timeouts(wait=0.2))
    with store.session("first") as first:
        first.scalars(select(m.Park)).one().name = "先到者"
        first.flush()
        with pytest.raises(DatabaseBusy) as raised, store.session("second") as second:
            second.scalars(select(m.Park)).one()
    assert raised.value.retry_after == 1 and raised.value.waited == "0.2"
    assert "数据库繁忙" in str(raised.value) and "nothing was changed" in raised.value.message("en")
    with store.session("reader", write=False) as reading:
        assert reading.scalars(select(m.Park.name)).one() == "先到者"
    store.dispose()


_LONG_QUERY = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
               "WHERE i < 100000000) SELECT count(*) FROM n")


def test_a_statement_past_its_timeout_is_cut_off_on_sqlite(tmp_path: Path) -> None:
    store = _counter_store(f"sqlite:///{tmp_path / 'db.sqlite'}", Timeouts(statement=0.3))
    with pytest.raises(DatabaseBusy), store.session("slow", write=False) as session:
        session.execute(text(_LONG_QUERY))
    with store.session("next", write=False) as session:  # the connection is usable again
        assert session.execute(text("SELECT 1")).scalar() == 1
    store.dispose()


@pytest.mark.skipif(PG_URL is None, reason="needs ECOPARK_TEST_DATABASE_URL (PostgreSQL)")
def test_a_statement_past_its_timeout_is_cut_off_on_postgresql(db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    store = Store(db_url, Timeouts(statement=0.3))
    with pytest.raises(DatabaseBusy), store.session("slow", write=False) as session:
        session.execute(text("SELECT pg_sleep(5)"))
    store.dispose()


def test_postgresql_connections_are_bounded_and_keep_the_urls_options() -> None:
    given = {"options": "-csearch_path=s1", "connect_timeout": "2"}
    arguments = postgres_connect_args(Timeouts(wait=5, statement=30), given)
    assert arguments["options"] == "-csearch_path=s1 -c statement_timeout=30000 -c lock_timeout=5000"
    assert "connect_timeout" not in arguments  # the URL's own stays
    assert arguments["tcp_user_timeout"] == 30000 and arguments["keepalives"] == 1
