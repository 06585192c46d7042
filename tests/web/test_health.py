"""/healthz and /readyz on the real app, in-process: no sign-in, the security headers, and
/readyz answering 503 — naming the database, never its place — when the database really cannot be
reached: an SQLite file that cannot be opened, a PostgreSQL port nothing listens on, a server
that accepts the connection and never answers."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from ecopark.store.engine import Store
from ecopark.store.migrate import upgrade
from ecopark.store.settings import Settings
from ecopark.store.timeouts import Timeouts
from ecopark.web.app import create_app
from ecopark.web.routes_health import LIMIT


@pytest.fixture
def app(store: Store, settings: Settings) -> FastAPI:
    return create_app(settings, store)


def _plain_and_secure(reply: httpx.Response, status: int) -> None:
    assert reply.status_code == status, reply.text
    assert reply.headers["content-type"] == "application/json"
    assert reply.headers["x-content-type-options"] == "nosniff"
    assert reply.headers["x-frame-options"] == "DENY"
    assert reply.headers["cache-control"] == "no-store"
    assert "default-src 'self'" in reply.headers["content-security-policy"]
    assert "set-cookie" not in reply.headers


def test_healthz_and_readyz_answer_ok_without_sign_in(app: FastAPI) -> None:
    with TestClient(app) as client:
        health, ready = client.get("/healthz"), client.get("/readyz")
        _plain_and_secure(health, 200)
        _plain_and_secure(ready, 200)
        assert health.json() == {"status": "ok"}
        assert ready.json() == {"status": "ok", "checks": {"database": "ok", "queue": "ok"}}
        assert client.head("/healthz").status_code == 200
        assert client.head("/readyz").status_code == 200
        assert client.post("/readyz").status_code == 405


def _sqlite_app(folder: Path, settings: Settings) -> tuple[FastAPI, Store, Path]:
    path = folder / "ecopark.sqlite"
    store = Store(f"sqlite:///{path}")
    upgrade(store)
    return create_app(settings, store), store, path


def test_readyz_is_503_when_the_sqlite_file_cannot_be_opened_and_healthz_stays_200(
        tmp_path: Path, settings: Settings) -> None:
    app, store, path = _sqlite_app(tmp_path, settings)
    with TestClient(app) as client:
        assert client.get("/readyz").status_code == 200
        store.dispose()  # no pooled connection left: the next one opens the path anew
        for name in os.listdir(tmp_path):
            os.remove(tmp_path / name)
        path.mkdir()  # a folder where the database file was: SQLite cannot open it
        ready = client.get("/readyz")
        _plain_and_secure(ready, 503)
        assert ready.json() == {"status": "unavailable",
                                "checks": {"database": "unavailable", "queue": "unavailable"}}
        assert str(tmp_path) not in ready.text
        health = client.get("/healthz")
        _plain_and_secure(health, 200)
        assert health.json() == {"status": "ok"}
    store.dispose()


def test_readyz_is_503_when_postgresql_cannot_be_reached(tmp_path: Path,
                                                         settings: Settings) -> None:
    app, store, _ = _sqlite_app(tmp_path, settings)
    unreachable = Store("postgresql://ecopark:secret@127.0.0.1:1/ecopark", Timeouts(wait=2))
    app.state.store = unreachable  # the app pointed at a port nothing listens on
    try:
        with TestClient(app) as client:
            ready = client.get("/readyz")
        _plain_and_secure(ready, 503)
        assert ready.json() == {"status": "unavailable",
                                "checks": {"database": "unavailable", "queue": "ok"}}
        assert "127.0.0.1" not in ready.text and "secret" not in ready.text
    finally:
        unreachable.dispose()
        store.dispose()


@pytest.fixture
def silent_server() -> Iterator[socket.socket]:
    """A TCP port that accepts connections (the kernel's backlog) and never says a word."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener


def test_readyz_gives_up_on_a_database_that_never_answers(tmp_path: Path, settings: Settings,
                                                          silent_server: socket.socket) -> None:
    app, store, _ = _sqlite_app(tmp_path, settings)
    port = silent_server.getsockname()[1]
    silent = Store(f"postgresql://ecopark@127.0.0.1:{port}/ecopark", Timeouts(wait=30))
    app.state.store = silent  # connecting would wait 30 s (connect_timeout): readyz waits LIMIT
    try:
        with TestClient(app) as client:
            started = time.monotonic()
            ready = client.get("/readyz")
            elapsed = time.monotonic() - started
            silent_server.close()  # the connection still waiting is reset: its thread ends
        _plain_and_secure(ready, 503)
        assert ready.json() == {"status": "unavailable",
                                "checks": {"database": "timeout", "queue": "ok"}}
        assert LIMIT <= elapsed < LIMIT + 5, elapsed
    finally:
        silent.dispose()
        store.dispose()


def test_readyz_names_the_queue_when_its_storage_is_gone(store: Store,
                                                         settings: Settings) -> None:
    """SQLite: the queue's own file beside the database's; PostgreSQL: huey's tables in the
    same database. The database itself still answers: only the queue is named."""
    app = create_app(settings.model_copy(update={"jobs": "external"}), store)
    with TestClient(app) as client:
        assert client.get("/readyz").json()["checks"] == {"database": "ok", "queue": "ok"}
        if store.dialect == "postgresql":
            with store.connect() as connection:
                connection.exec_driver_sql("ALTER TABLE huey_task RENAME TO huey_task_gone")
                connection.commit()
        else:
            jobs_file = Path(app.state.jobs.huey.storage.filename)
            assert jobs_file.name == "ecopark.jobs.sqlite"
            app.state.jobs.huey.storage.close()
            jobs_file.unlink()
        ready = client.get("/readyz")
        _plain_and_secure(ready, 503)
        assert ready.json() == {"status": "unavailable",
                                "checks": {"database": "ok", "queue": "unavailable"}}
        assert "huey" not in ready.text and "jobs.sqlite" not in ready.text
