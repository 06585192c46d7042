"""Jobs fixtures: the database world of the web tests, and a queue whose workers run in this
process (huey's SQLite storage beside the test database)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ecopark.jobs import JobQueue
from ecopark.store.engine import Store
from ecopark.store.settings import Settings

from ..dbfixtures import World, settings, store, world

__all__ = ["db_url", "queue", "settings", "sqlite_url", "store", "world"]


@pytest.fixture
def db_url(tmp_path) -> str:  # type: ignore[no-untyped-def]
    """The normal suite runs the in-process queue on SQLite (tests/jobs/test_postgres_queue.py
    runs the PostgreSQL one)."""
    return f"sqlite:///{tmp_path / 'ecopark.sqlite'}"


sqlite_url = db_url


@pytest.fixture
def queue(store: Store, settings: Settings, world: World) -> Iterator[JobQueue]:
    jobs = JobQueue(store, settings.model_copy(update={"jobs": "in-process", "job_retries": 2}))
    yield jobs
    jobs.stop()
