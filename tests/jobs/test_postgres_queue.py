"""The real queue on PostgreSQL (runs when ECOPARK_TEST_DATABASE_URL is set, as in CI): a server
configured `external` records and enqueues the job in huey's tables of the same database, and
an `ecopark worker` process — started here, consuming from PostgreSQL (LISTEN/NOTIFY) — makes the
report and leaves it in the jobs table; SIGINT stops the worker cleanly."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from docx import Document
from sqlalchemy import text

from ecopark.jobs import JobQueue, records
from ecopark.store import models as m
from ecopark.store import repository
from ecopark.store.engine import Store
from ecopark.store.migrate import upgrade
from ecopark.store.settings import Settings

from ..dbfixtures import PG_URL, _pg_schema, build_world

pytestmark = pytest.mark.skipif(PG_URL is None, reason="ECOPARK_TEST_DATABASE_URL is not set")


@pytest.fixture
def pg_store() -> Iterator[Store]:
    for url in _pg_schema(PG_URL or ""):
        store = Store(url)
        upgrade(store)
        yield store
        store.dispose()


def test_a_worker_process_runs_the_job_from_postgresql(pg_store: Store, settings: Settings,
                                                        hj274) -> None:  # type: ignore[no-untyped-def]
    world = build_world(pg_store, settings, hj274)
    queue = JobQueue(pg_store, settings.model_copy(update={"jobs": None}))
    assert queue.mode == "external" and type(queue.huey).__name__ == "PostgresHuey"
    with pg_store.session("test", write=False) as session:
        version = repository.park_version(session, session.get(m.Park, world.park_a), 2018)[1]
    row = queue.start("report.docx", world.park_a, 2018, "zh", version, "officer-a")
    with pg_store.connect() as connection:  # on the queue, in the database, nobody consuming
        assert connection.execute(text("SELECT count(*) FROM huey_task")).scalar() == 1
    env = {**os.environ, "ECOPARK_DATABASE_URL": pg_store.url, "ECOPARK_JOB_THREADS": "1"}
    worker = subprocess.Popen([sys.executable, "-m", "ecopark", "worker"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        end, done = time.monotonic() + 120, None
        while time.monotonic() < end:
            with pg_store.session("test", write=False) as session:
                found = records.find(session, row.id)
                if found.state in ("done", "failed"):
                    session.expunge(found)
                    done = found
                    break
            time.sleep(0.2)
        assert done is not None, "the worker did not finish the job"
        assert (done.state, done.attempts, done.steps_done) == ("done", 1, 3), done.error
        assert done.result is not None
        body = "\n".join(p.text for p in Document(io.BytesIO(done.result)).paragraphs)
        assert "江苏武进经济开发区" in body
        again = queue.start("report.docx", world.park_a, 2018, "zh", version, "admin")
        assert (again.id, again.state) == (row.id, "done")
        with pg_store.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM huey_task")).scalar() == 0
    finally:
        queue.stop()
        worker.send_signal(signal.SIGINT)
        output = worker.communicate(timeout=60)[0]
    assert worker.returncode == 0, output
