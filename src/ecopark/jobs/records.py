"""The `jobs` table: a job's id, state, progress and result, where every worker and every web
process reads them.

A job's id is the digest of its request — kind, park-year, the park's data version (which
changes with every change to the park's rows), language, and the digest of its input when it
carries one (an upload, a message) — so a second request for the same
thing finds the same job and its result instead of a second run. A job that failed, or that
has sat queued or running with no progress for `STALE` (its worker stopped), is started again
by the next request. Finished jobs are deleted after the configured number of days.

    queued ──▶ running ──▶ done
       ▲          │
       └─ retry ◀─┤ (an unexpected error, while retries remain)
                  └──▶ failed (an error in the data at once; an unexpected one after the retries)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ecopark.core.errors import NotFound
from ecopark.store import models as m
from ecopark.store.engine import Store

__all__ = ["STALE", "STATES", "JobRequest", "claim", "fail", "find", "finish", "job_id",
           "progress", "purge", "request", "retry_later"]

STATES = ("queued", "running", "done", "failed")
STALE = dt.timedelta(minutes=30)  # a job this long without progress is taken as abandoned


@dataclasses.dataclass(frozen=True)
class JobRequest:
    kind: str
    park_id: int | None  # None (with year None): a job that is not one park-year's
    year: int | None
    lang: str
    data_version: int
    steps_total: int
    input: bytes | None = None  # what the job works on, when not the park's stored data
    input_name: str = ""
    owner: str = ""  # a job of no park: who asked (two reviewers' batches are two jobs)


def job_id(req: JobRequest) -> str:
    """The same request, the same id (hex SHA-256, 32 characters)."""
    text = f"{req.kind}|{req.park_id}|{req.year}|{req.lang}|{req.data_version}"
    if req.input is not None:
        text += f"|{req.input_name}|{hashlib.sha256(req.input).hexdigest()}"
    if req.owner:
        text += f"|{req.owner}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def request(session: Session, req: JobRequest, who: str,
            now: dt.datetime | None = None) -> tuple[m.JobRow, bool]:
    """The job for `req` and whether it must be (re)started: new, failed before, or abandoned.
    An existing job that is queued, running or done is returned as it is."""
    now = now or m.utcnow()
    row = session.get(m.JobRow, job_id(req))
    if row is None:
        row = m.JobRow(id=job_id(req), kind=req.kind, park_id=req.park_id, year=req.year,
                       lang=req.lang, data_version=req.data_version, state="queued",
                       steps_done=0, steps_total=req.steps_total, label="排队等候", error="",
                       attempts=0, result=None, result_name="", requested_by=who,
                       input=req.input, input_name=req.input_name, created_at=now,
                       updated_at=now)
        session.add(row)
        session.flush()
        return row, True
    abandoned = row.state in ("queued", "running") and now - row.updated_at > STALE
    if row.state == "failed" or abandoned:
        row.state, row.steps_done, row.label, row.error = "queued", 0, "排队等候", ""
        row.attempts, row.requested_by, row.updated_at = 0, who, now
        session.flush()
        return row, True
    return row, False


def find(session: Session, ident: str) -> m.JobRow:
    row = session.get(m.JobRow, ident)
    if row is None:
        raise NotFound("后台任务 job", ident)
    return row


@contextmanager
def _writing(store: Store) -> Iterator[Session]:
    with store.session("jobs") as session:
        yield session


def claim(store: Store, ident: str) -> m.JobRow | None:
    """Mark the job running (one more attempt); None when it is gone or already finished."""
    with _writing(store) as session:
        row = session.get(m.JobRow, ident)
        if row is None or row.state in ("done", "failed"):
            return None
        row.state, row.attempts, row.updated_at = "running", row.attempts + 1, m.utcnow()
        row.label = "开始生成"
        session.flush()
        session.expunge(row)
        return row


def progress(store: Store, ident: str, done: int, label: str) -> None:
    with _writing(store) as session:
        session.execute(update(m.JobRow).where(m.JobRow.id == ident).values(
            steps_done=done, label=label, updated_at=m.utcnow()))


def finish(store: Store, ident: str, content: bytes, name: str) -> None:
    with _writing(store) as session:
        session.execute(update(m.JobRow).where(m.JobRow.id == ident).values(
            state="done", steps_done=m.JobRow.steps_total, label="已完成", result=content,
            result_name=name, updated_at=m.utcnow()))


def fail(store: Store, ident: str, message: str) -> None:
    with _writing(store) as session:
        session.execute(update(m.JobRow).where(m.JobRow.id == ident).values(
            state="failed", label="失败", error=message, updated_at=m.utcnow()))


def retry_later(store: Store, ident: str) -> None:
    with _writing(store) as session:
        session.execute(update(m.JobRow).where(m.JobRow.id == ident).values(
            state="queued", steps_done=0, label="出现意外错误，稍后重试", updated_at=m.utcnow()))


def purge(session: Session, days: int, now: dt.datetime | None = None) -> int:
    """Delete the jobs finished (or last touched) more than `days` ago; how many."""
    cutoff = (now or m.utcnow()) - dt.timedelta(days=days)
    old = select(m.JobRow.id).where(m.JobRow.updated_at < cutoff)
    ids = list(session.scalars(old))
    if ids:
        session.execute(delete(m.JobRow).where(m.JobRow.id.in_(ids)))
    return len(ids)
