"""The queue (huey) set up from the settings, and starting a job.

Where the queue lives follows the database, so no second service is ever needed:

- SQLite file `…/ecopark.sqlite`: huey's SQLite storage in `…/ecopark.jobs.sqlite` beside it. A
  job queued when the server stops is still queued when it starts again (an in-memory queue
  would lose it), and the database file itself keeps only ecopark's own tables.
- PostgreSQL: huey's PostgreSQL storage in the same database (its tables `huey_kv`,
  `huey_schedule`, `huey_task`, `huey_counter`, made by migration 0008; new jobs are announced
  with LISTEN/NOTIFY).
- an in-memory SQLite database (tests): huey's in-memory storage.

Who consumes: `in-process` — worker threads inside `ecopark serve` (the default on SQLite: one
command, one process); `external` — `ecopark worker` processes (the default on PostgreSQL, where
several servers share the database). `ECOPARK_JOBS` chooses otherwise.

A job's state, progress and result are in the `jobs` table (`records`), not in huey: huey only
carries the job's id to a worker, and retries it after an unexpected error.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from pathlib import Path
from typing import Any

from huey import Huey, MemoryHuey, PostgresHuey, SqliteHuey
from huey.api import Task
from huey.consumer import Consumer
from sqlalchemy import select
from sqlalchemy.engine import make_url

from ecopark.core.errors import EcoparkError, InvalidValue
from ecopark.io.limited import Limits
from ecopark.jobs import records
from ecopark.jobs.kinds import KINDS, Work
from ecopark.store import models as m
from ecopark.store.engine import Store
from ecopark.store.settings import Settings

__all__ = ["HUEY_TABLES", "UNEXPECTED", "JobQueue", "mode_of"]

HUEY_TABLES = ("huey_kv", "huey_schedule", "huey_task", "huey_counter")  # migration 0008

log = logging.getLogger(__name__)

UNEXPECTED = ("生成时多次出现意外错误，未能完成。请稍后再试；如仍失败，请联系系统管理员。"
              " An unexpected error occurred several times; please try again later or ask "
              "the administrator.")


def mode_of(settings: Settings, store: Store) -> str:
    """in-process or external: as set, else by the database (PostgreSQL: external)."""
    if settings.jobs is not None:
        return settings.jobs
    return "external" if store.dialect == "postgresql" else "in-process"


def _huey(store: Store, listen: bool) -> Huey:
    url = make_url(store.url)
    if store.dialect == "postgresql":
        dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        # its tables are made by migration 0008 (the server's role may not create tables).
        # `listen`: idle workers wait on LISTEN (a connection per worker thread, which huey
        # leaves open until the process ends: right for `ecopark worker`); otherwise they poll
        # the one shared connection, closed when the server stops.
        return PostgresHuey("ecopark", dsn=dsn, results=False, create_tables=False,
                            blocking=listen)
    database = url.database or ""
    if store.dialect == "sqlite" and database and database != ":memory:" \
            and not database.startswith("file:"):
        path = Path(database)
        return SqliteHuey("ecopark", filename=str(path.with_name(f"{path.stem}.jobs.sqlite")),
                          results=False)
    return MemoryHuey("ecopark", results=False)


class _Consumer(Consumer):  # type: ignore[misc]
    """huey's consumer without signal handlers: inside `ecopark serve` the server owns them."""

    def _set_signal_handlers(self) -> None:
        return None


class JobQueue:
    """A store's queue: `start` asks for a job (idempotent), workers run it."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store, self.settings = store, settings
        self.mode = mode_of(settings, store)
        self._use(_huey(store, listen=False))
        self._consumer: Consumer | None = None
        self._lock = threading.Lock()

    # --------------------------------------------------------------------- asking for a job

    def start(self, kind: str, park_id: int | None, year: int | None, lang: str,
              data_version: int, who: str, input: bytes | None = None,
              input_name: str = "") -> m.JobRow:
        """The job for this request: found (queued, running or done: nothing more is run) or
        queued now (new, failed before, or abandoned). Committed before it is enqueued, so the
        worker always finds its row. `input` is what a job works on when it is not the park's
        stored data (park_id and year are None for a job that is not one park-year's)."""
        if kind not in KINDS:
            raise InvalidValue("kind", f"没有这种后台任务 no such job kind “{kind}”",
                               " / ".join(sorted(KINDS)))
        req = records.JobRequest(kind, park_id, year, lang, data_version, KINDS[kind].steps,
                                 input, input_name, who if park_id is None else "")
        with self.store.session("jobs") as session:
            records.purge(session, self.settings.job_keep_days)
            row, fresh = records.request(session, req, who)
            session.flush()
            session.expunge(row)
        if fresh:
            if self.mode == "in-process":
                self.run_in_process()
            self._task(row.id)
        return row

    # --------------------------------------------------------------------- running it

    def _execute(self, ident: str, task: Task | None = None) -> None:
        row = records.claim(self.store, ident)
        if row is None or row.kind not in KINDS:
            return
        work = Work(self.store, ident, row.park_id, row.year, row.lang,
                    lambda done, label: records.progress(self.store, ident, done, label),
                    row.input, row.input_name, row.requested_by,
                    Limits(self.settings.upload_memory_mb, self.settings.upload_cpu_seconds))
        try:
            content, name = KINDS[row.kind].run(work)
        except EcoparkError as exc:  # an error in the data: retrying would give it again
            records.fail(self.store, ident, exc.message("en" if row.lang == "en" else "zh"))
            return
        except Exception:
            if task is not None and task.retries > 0:
                records.retry_later(self.store, ident)
            else:
                records.fail(self.store, ident, UNEXPECTED)
            raise  # huey logs it and, while retries remain, queues the job again
        limit = self.settings.job_result_max_mb * 1024 * 1024
        if len(content) > limit:
            records.fail(self.store, ident, f"生成的文件过大（超过 {self.settings.job_result_max_mb}"
                         f" MB），未保存。请联系系统管理员。 The file is larger than the limit.")
            return
        records.finish(self.store, ident, content, name)

    def resume(self) -> None:
        """In-process: start the workers now if jobs wait in the queue (left when the server
        stopped); otherwise they start with the first job asked for."""
        if self.mode != "in-process":
            return
        with self.store.session("jobs", write=False) as session:
            waiting = session.scalar(select(m.JobRow.id).where(
                m.JobRow.state.in_(("queued", "running"))).limit(1))
        if waiting is not None:
            self.run_in_process()

    def run_in_process(self) -> None:
        """Start the worker threads inside this process (once)."""
        with self._lock:
            if self._consumer is None:
                self._consumer = self.consumer(self.settings.job_threads)
                self._consumer.start()

    def consumer(self, threads: int, signals: bool = False, **options: Any) -> Consumer:
        """A huey consumer of this queue, with `threads` worker threads; with `signals` it
        handles SIGINT (finish the running jobs, then stop) and SIGTERM (stop now) itself."""
        options.setdefault("max_delay", 1.0)  # an idle worker looks for work at least every 1 s
        options.setdefault("shutdown_timeout", 30.0)  # then a stopping server stops waiting
        kind = Consumer if signals else _Consumer
        return kind(self.huey, workers=threads, worker_type="thread", periodic=False,
                    check_worker_health=False, **options)

    def run_worker(self, threads: int) -> None:
        """Consume this queue until stopped by a signal (`ecopark worker`): on PostgreSQL idle
        workers wait for new jobs with LISTEN/NOTIFY."""
        self._use(_huey(self.store, listen=True))
        self.consumer(threads, signals=True).run()

    def _use(self, huey: Huey) -> None:
        """Carry jobs on `huey`: its one task runs a job by id, retried after the unexpected."""
        self.huey = huey
        self._task = huey.task(retries=self.settings.job_retries, retry_delay=1, context=True,
                               name="ecopark.job")(self._execute)

    # --------------------------------------------------------------------- readiness

    def probe(self) -> None:
        """Raise unless the queue's storage answers (for /readyz): on PostgreSQL, huey's four
        tables through the store's own connection (its timeouts apply); on an SQLite file, the
        file opened anew (never created) and its task table read; in memory, nothing to reach."""
        storage = self.huey.storage
        if self.store.dialect == "postgresql":
            with self.store.connect() as connection:
                for table in HUEY_TABLES:
                    connection.exec_driver_sql(f"SELECT 1 FROM {table} LIMIT 1").all()
            return
        filename = getattr(storage, "filename", None)
        if filename is None:  # MemoryHuey
            storage.queue_size()
            return
        path = Path(filename).resolve()
        with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=rw", uri=True,
                                                timeout=1)) as connection:
            connection.execute("SELECT count(*) FROM task").fetchone()

    def stop(self) -> None:
        """Stop the in-process workers, letting the running jobs finish, and close the queue's
        connection."""
        with self._lock:
            if self._consumer is not None:
                self._consumer.stop(graceful=True)
                self._consumer = None
        self.huey.storage.close()
