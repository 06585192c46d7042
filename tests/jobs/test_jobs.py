"""The job state machine on the real in-process queue (huey consumer threads, SQLite storage):
queued → running → done, progress read back while running, a transient error retried then
successful, an error in the data failed at once, retries exhausted, the same request finding
the same job, clean-up, and the real report kinds."""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import select

from ecopark.core.errors import MissingData
from ecopark.jobs import KINDS, JobQueue, Work, kind, records
from ecopark.jobs.queue import UNEXPECTED
from ecopark.store import models as m
from ecopark.store import repository
from ecopark.store.engine import Store

from ..dbfixtures import World


def wait(store: Store, ident: str, seconds: float = 60.0) -> m.JobRow:
    """The job once it is done or failed."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        with store.session("test", write=False) as session:
            row = records.find(session, ident)
            if row.state in ("done", "failed"):
                session.expunge(row)
                return row
        time.sleep(0.05)
    raise AssertionError(f"job {ident} did not finish within {seconds} s")


def version(store: Store, park_id: int, year: int = 2018) -> int:
    with store.session("test", write=False) as session:
        return repository.park_version(session, session.get(m.Park, park_id), year)[1]


@pytest.fixture
def temporary_kinds() -> Iterator[Callable[[str, int], Callable[..., object]]]:
    """Register kinds for one test only."""
    added: list[str] = []

    def register(name: str, steps: int) -> Callable[..., object]:
        added.append(name)
        return kind(name, steps)

    yield register
    for name in added:
        KINDS.pop(name, None)


def test_queued_running_done_with_progress_seen_while_running(
        queue: JobQueue, store: Store, world: World, temporary_kinds) -> None:
    seen: list[tuple[str, int, int, str]] = []

    @temporary_kinds("test.steps", 2)
    def steps(work: Work) -> tuple[bytes, str]:
        for done, label in ((0, "第一步"), (1, "第二步")):
            work.step(done, label)
            with store.session("test", write=False) as session:
                row = records.find(session, work.job_id)
                seen.append((row.state, row.steps_done, row.steps_total, row.label))
        return b"content", "result.txt"

    row = queue.start("test.steps", world.park_a, 2018, "zh", 1, "officer-a")
    assert (row.state, row.steps_done, row.label, row.requested_by) == \
        ("queued", 0, "排队等候", "officer-a")
    done = wait(store, row.id)
    assert seen == [("running", 0, 2, "第一步"), ("running", 1, 2, "第二步")]
    assert (done.state, done.steps_done, done.steps_total, done.label, done.attempts) == \
        ("done", 2, 2, "已完成", 1)
    assert (done.result, done.result_name, done.error) == (b"content", "result.txt", "")


def test_a_transient_error_is_retried_then_succeeds(
        queue: JobQueue, store: Store, world: World, temporary_kinds) -> None:
    calls: list[int] = []

    @temporary_kinds("test.flaky", 1)
    def flaky(work: Work) -> tuple[bytes, str]:
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("the converter went away")
        return b"second time", "ok.txt"

    row = queue.start("test.flaky", world.park_a, 2018, "zh", 1, "officer-a")
    done = wait(store, row.id)
    assert (done.state, done.attempts, done.result, len(calls)) == ("done", 2, b"second time", 2)


def test_an_error_in_the_data_fails_at_once_with_its_message(
        queue: JobQueue, store: Store, world: World, temporary_kinds) -> None:
    calls: list[int] = []
    error = MissingData(item="综合能源消费量", year=2018)

    @temporary_kinds("test.missing", 1)
    def missing(work: Work) -> tuple[bytes, str]:
        calls.append(1)
        raise error

    row = queue.start("test.missing", world.park_a, 2018, "zh", 1, "officer-a")
    done = wait(store, row.id)
    assert (done.state, done.attempts, done.error, done.result, len(calls)) == \
        ("failed", 1, error.message("zh"), None, 1)
    time.sleep(1.5)  # a retry, had there been one, would have run by now
    assert len(calls) == 1


def test_an_error_that_keeps_happening_fails_after_the_retries(
        queue: JobQueue, store: Store, world: World, temporary_kinds) -> None:
    calls: list[int] = []

    @temporary_kinds("test.broken", 1)
    def broken(work: Work) -> tuple[bytes, str]:
        calls.append(1)
        raise RuntimeError("always")

    row = queue.start("test.broken", world.park_a, 2018, "zh", 1, "officer-a")
    done = wait(store, row.id)
    assert (done.state, done.attempts, done.error, len(calls)) == ("failed", 3, UNEXPECTED, 3)


def test_the_same_request_finds_the_same_job_and_runs_once(
        queue: JobQueue, store: Store, world: World, temporary_kinds) -> None:
    calls: list[int] = []

    @temporary_kinds("test.once", 1)
    def once(work: Work) -> tuple[bytes, str]:
        calls.append(1)
        return b"x", "x.txt"

    first = queue.start("test.once", world.park_a, 2018, "zh", 7, "officer-a")
    wait(store, first.id)
    again = queue.start("test.once", world.park_a, 2018, "zh", 7, "admin")
    assert (again.id, again.state, again.requested_by) == (first.id, "done", "officer-a")
    other_lang = queue.start("test.once", world.park_a, 2018, "en", 7, "officer-a")
    new_data = queue.start("test.once", world.park_a, 2018, "zh", 8, "officer-a")
    assert len({first.id, other_lang.id, new_data.id}) == 3
    wait(store, other_lang.id), wait(store, new_data.id)
    assert len(calls) == 3


def test_a_failed_job_runs_again_when_asked_again(
        queue: JobQueue, store: Store, world: World, temporary_kinds) -> None:
    calls: list[int] = []

    @temporary_kinds("test.second_chance", 1)
    def second_chance(work: Work) -> tuple[bytes, str]:
        calls.append(1)
        if len(calls) == 1:
            raise MissingData(item="综合能源消费量", year=2018)
        return b"y", "y.txt"

    row = queue.start("test.second_chance", world.park_a, 2018, "zh", 1, "officer-a")
    assert wait(store, row.id).state == "failed"
    again = queue.start("test.second_chance", world.park_a, 2018, "zh", 1, "officer-a")
    assert (again.id, again.state) == (row.id, "queued")
    assert (wait(store, row.id).state, len(calls)) == ("done", 2)


def test_an_unknown_kind_is_refused(queue: JobQueue, world: World) -> None:
    from ecopark.core.errors import InvalidValue

    with pytest.raises(InvalidValue, match="no such job kind"):
        queue.start("report.odt", world.park_a, 2018, "zh", 1, "officer-a")


def test_finished_jobs_are_deleted_after_the_kept_days(store: Store, world: World) -> None:
    now = dt.datetime(2026, 12, 7, tzinfo=dt.UTC)
    with store.session("test") as session:
        for n, age in enumerate((10, 8, 6)):
            req = records.JobRequest("report.docx", world.park_a, 2018, "zh", n, 3)
            records.request(session, req, "officer-a", now=now - dt.timedelta(days=age))
    with store.session("test") as session:
        assert records.purge(session, 7, now=now) == 2
    with store.session("test", write=False) as session:
        assert list(session.scalars(select(m.JobRow.data_version))) == [2]


def test_an_abandoned_job_is_started_again(store: Store, world: World) -> None:
    start = dt.datetime(2026, 12, 7, tzinfo=dt.UTC)
    req = records.JobRequest("report.docx", world.park_a, 2018, "zh", 1, 3)
    with store.session("test") as session:
        row, fresh = records.request(session, req, "officer-a", now=start)
        row.state = "running"
    with store.session("test") as session:
        assert records.request(session, req, "x", now=start + dt.timedelta(minutes=5))[1] is False
        row, fresh = records.request(session, req, "x", now=start + dt.timedelta(minutes=31))
        assert (fresh, row.state) == (True, "queued")


def test_asking_for_a_job_changes_no_data_version(queue: JobQueue, store: Store, world: World,
                                                   temporary_kinds) -> None:
    temporary_kinds("test.nothing", 1)(lambda work: (b"", "empty.txt"))
    before = version(store, world.park_a)
    row = queue.start("test.nothing", world.park_a, 2018, "zh", before, "officer-a")
    wait(store, row.id)
    assert version(store, world.park_a) == before


def test_the_report_docx_job_writes_the_report(queue: JobQueue, store: Store,
                                                world: World) -> None:
    from docx import Document

    row = queue.start("report.docx", world.park_a, 2018, "zh", version(store, world.park_a),
                      "officer-a")
    done = wait(store, row.id)
    assert (done.state, done.steps_done, done.steps_total) == ("done", 3, 3)
    assert done.result_name == "江苏武进经济开发区-2018-评价报告.docx"
    assert done.result is not None
    text = "\n".join(p.text for p in Document(io.BytesIO(done.result)).paragraphs)
    assert "江苏武进经济开发区" in text and "园区概况" in text
    assert "（草稿，尚未审核通过）" in text  # the year is not approved (store/lifecycle.py)
    assert zipfile.ZipFile(io.BytesIO(done.result)).testzip() is None


def test_the_report_pdf_job_writes_a_pdf(queue: JobQueue, store: Store, world: World) -> None:
    import shutil

    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    row = queue.start("report.pdf", world.park_a, 2018, "en", version(store, world.park_a),
                      "officer-a")
    done = wait(store, row.id, seconds=120)
    assert (done.state, done.steps_done, done.steps_total) == ("done", 4, 4), done.error
    assert done.result is not None and done.result.startswith(b"%PDF-")
    assert done.result_name == "江苏武进经济开发区-2018-report.pdf"


def test_a_missing_park_fails_the_report_with_a_message(queue: JobQueue, store: Store,
                                                        world: World) -> None:
    row = queue.start("report.docx", 999_999, 2018, "zh", 1, "admin")
    done = wait(store, row.id)
    assert (done.state, done.attempts) == ("failed", 1)
    assert "999999" in done.error


def test_a_job_of_no_park_carries_its_input_and_is_seen_by_its_requester_only(
        queue: JobQueue, store: Store, world: World, temporary_kinds) -> None:
    @temporary_kinds("test.upper", 1)
    def upper(work: Work) -> tuple[bytes, str]:
        assert (work.park_id, work.year, work.requested_by) == (None, None, "reviewer")
        assert work.input is not None
        return work.input.upper(), work.input_name + ".out"

    row = queue.start("test.upper", None, None, "zh", 0, "reviewer", b"abc", "tables.zip")
    again = queue.start("test.upper", None, None, "zh", 0, "reviewer", b"abc", "tables.zip")
    other = queue.start("test.upper", None, None, "zh", 0, "reviewer", b"abd", "tables.zip")
    assert row.id == again.id != other.id  # the same input, the same job
    done = wait(store, row.id)
    assert (done.state, done.result, done.result_name, done.park_id, done.year) == \
        ("done", b"ABC", "tables.zip.out", None, None)
    wait(store, other.id)
