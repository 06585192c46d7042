"""Web fixtures: the real app in-process over a fresh database (SQLite, and PostgreSQL when
ECOPARK_TEST_DATABASE_URL is set), with a world of two parks and users of every role."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from ecopark.store.engine import Store
from ecopark.store.settings import Settings
from ecopark.web.app import create_app

from ..dbfixtures import World, db_url, settings, store, world

__all__ = ["client", "db_url", "settings", "store", "world"]


@pytest.fixture
def client(store: Store, settings: Settings, world: World) -> Iterator[TestClient]:
    with TestClient(create_app(settings, store)) as test_client:
        yield test_client
