"""PostgreSQL restarted under a running server (docs/deploy.md, "Connections that died"): the
request that meets a dead connection gets the "database unavailable" page, never a traceback
or the database's address; the pool replaces its connections and the next request works."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from ecopark import Framework
from ecopark.store.engine import Store, resolve_url
from ecopark.store.migrate import upgrade
from ecopark.store.settings import Settings
from ecopark.web.app import create_app

from ..dbfixtures import PG_URL, build_world
from .pages import sign_in

_NAME = "ecopark_restart_test"  # the application name the killed connections carry


def _kill_connections() -> int:
    assert PG_URL is not None
    killer = create_engine(resolve_url(PG_URL))
    with killer.begin() as connection:
        killed = connection.execute(text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE application_name = :name"), {"name": _NAME}).scalar_one()
    killer.dispose()
    return int(killed)


def test_a_database_restart_fails_one_request_then_pages_work(
        db_url: str, settings: Settings, hj274: Framework) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("a PostgreSQL server's connections are killed")
    url = make_url(db_url).update_query_dict({"application_name": _NAME})
    store = Store(url.render_as_string(hide_password=False))
    upgrade(store)
    world = build_world(store, settings, hj274)
    path = f"/parks/{world.park_a}/years/2018"
    try:
        with TestClient(create_app(settings, store)) as client:
            sign_in(client, world, "officer-a")
            assert client.get(path).status_code == 200
            assert _kill_connections() >= 1
            failed = client.get(path)
            assert failed.status_code == 503
            assert "数据库：暂时无法使用。" in failed.text and "postgresql" not in failed.text
            assert client.get(path).status_code == 200
            assert client.get(path).status_code == 200
    finally:
        store.dispose()
