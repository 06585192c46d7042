"""An approved edition's annual report, a job asked for on the review page: rendered from the
edition's snapshot with the approval time everywhere inside the file, so a second job run later,
after the year was reopened and a value changed, gives the same bytes (Word and PDF); its text
carries the approved values and no 草稿 mark."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from fastapi.testclient import TestClient

from ecopark.jobs.records import JobRequest, job_id
from ecopark.reports.marks import fixed_pdf
from ecopark.store import models as m
from ecopark.store import transitions
from ecopark.store.engine import Store
from ecopark.store.settings import Settings
from ecopark.web.app import create_app

from ..dbfixtures import World
from .pages import sign_in, token
from .test_jobs_web import JOB, until_done
from .test_lifecycle_web import _approve, _move


@pytest.fixture
def jobs_client(store: Store, settings: Settings, world: World) -> Iterator[TestClient]:
    app = create_app(settings.model_copy(update={"jobs": "in-process"}), store)
    with TestClient(app) as test_client:
        yield test_client


def _ask(client: TestClient, world: World, fmt: str, number: int = 1) -> str:
    review = f"/parks/{world.park_a}/years/2018/review"
    page = client.get(review).text
    action = f"/parks/{world.park_a}/years/2018/editions/{number}/report"
    assert f'action="{action}"' in page and "报告（Word）" in page and "报告（PDF）" in page
    reply = client.post(action, data={"csrf_token": token(page), "format": fmt},
                        follow_redirects=False)
    assert reply.status_code == 303, reply.text
    assert JOB.match(reply.headers["location"]), reply.headers["location"]
    return str(reply.headers["location"])


def _made(client: TestClient, world: World, fmt: str) -> tuple[str, bytes]:
    path = _ask(client, world, fmt)
    assert "报告已生成" in until_done(client, path, seconds=240)
    reply = client.get(f"{path}/result")
    assert reply.status_code == 200, reply.text
    return path, reply.content


def _forget(world: World, path: str) -> None:
    """The job's row gone (as after the days jobs are kept), so the next request runs anew."""
    with world.store.session(actor="t") as session:
        session.delete(session.get(m.JobRow, path.rsplit("/", 1)[1]))


def _reopen_and_edit(client: TestClient, world: World) -> None:
    assert _move(client, world, "park_officer", "reopen", "更正二氧化碳排放").status_code == 200
    put = client.put(f"/api/v1/parks/{world.park_a}/observations/co2/2018",
                     headers={**world.headers("officer-a"), "If-Match": "*"},
                     json={"value": 5.5, "unit": "万吨", "reason": "更正"})
    assert put.status_code == 200, put.text


def _approved_at(world: World) -> dt.datetime:
    with world.store.session(actor="t", write=False) as session:
        kept = transitions.snapshot(session, world.park_a, 2018, 1)
        assert kept is not None
        return kept.approved_at


def _words(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    heads = [p.text for s in document.sections for p in s.header.paragraphs]
    return "\n".join([p.text for p in document.paragraphs] + cells + heads)


def _made_twice(client: TestClient, world: World, fmt: str) -> tuple[str, bytes, str, bytes]:
    """The approved edition's report made (its job's page and the file), then — the kept file
    forgotten, the year reopened and a value changed, another second on the clock — made
    again."""
    _approve(client, world)
    sign_in(client, world, "officer-a")
    path, first = _made(client, world, fmt)
    _forget(world, path)
    _reopen_and_edit(client, world)
    time.sleep(1.1)
    again, second = _made(client, world, fmt)
    return path, first, again, second


def test_the_editions_word_report_is_the_same_bytes_after_the_year_changed(
        jobs_client: TestClient, world: World) -> None:
    path, first, again, second = _made_twice(jobs_client, world, "docx")
    assert again == path and second == first
    text = _words(first)
    assert "135,509.97" in text and "55,000" not in text  # the approved value, not the edit
    assert "草稿" not in text
    day = _approved_at(world).astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    assert f"{day.year}年{day.month}月{day.day}日" in text
    stamp = _approved_at(world).strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        core = package.read("docProps/core.xml").decode()
    assert core.count(stamp) == 2  # created and modified: the approval time
    following = job_id(JobRequest("edition.report.docx", world.park_a, 2018, "zh", 2, 3))
    assert following != path.rsplit("/", 1)[1]  # the next edition is another job


def _pdf_text(data: bytes) -> str:
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "r.pdf"
        pdf.write_bytes(data)
        return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_editions_pdf_report_is_the_same_bytes_after_the_year_changed(
        jobs_client: TestClient, world: World) -> None:
    _, first, _, second = _made_twice(jobs_client, world, "pdf")
    assert second == first
    stamp = _approved_at(world).strftime("D:%Y%m%d%H%M%SZ").encode()
    assert b"/CreationDate(" + stamp + b")" in first
    text = _pdf_text(first)
    assert "135,509.97" in text and "草稿" not in text


def _pdf(info: bytes) -> bytes:
    """A two-object PDF whose information dictionary (object 1) comes before the catalogue."""
    objects = [b"1 0 obj\n<</CreationDate(" + info + b")>>\nendobj\n",
               b"2 0 obj\n<</Type/Catalog>>\nendobj\n"]
    out, offsets = b"%PDF-1.4\n", []
    for body in objects:
        offsets.append(len(out))
        out += body
    xref = len(out)
    out += b"xref\n0 3\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o
                                                           for o in offsets)
    return out + (b"trailer\n<</Size 3/Root 2 0 R/Info 1 0 R/ID [ <AB12> <CD34> ]>>\n"
                  b"startxref\n%d\n%%%%EOF\n" % xref)


def test_fixed_pdf_sets_the_date_and_moves_the_offsets() -> None:
    at = dt.datetime(2026, 5, 1, 8, 30, 5, tzinfo=dt.UTC)
    fixed = fixed_pdf(_pdf(b"D:20261207045534+08'00'"), at)  # 23 characters become 17
    assert b"/CreationDate(D:20260501083005Z)" in fixed
    assert b"0000000009 00000 n \n0000000061 00000 n \n" in fixed  # object 2: 67 - 6
    assert fixed.index(b"2 0 obj") == 61
    assert re.search(rb"startxref\n(\d+)", fixed)[1] == b"%d" % fixed.index(b"xref")  # type: ignore[index]
    ids = re.search(rb"/ID \[ <([0-9A-F]{32})> <([0-9A-F]{32})> \]", fixed)
    assert ids is not None and ids[1] == ids[2]
    assert fixed == fixed_pdf(_pdf(b"D:20270101000000Z'"), at)  # the moment of conversion gone


def test_a_failed_editions_report_offers_to_ask_for_that_edition_again(
        jobs_client: TestClient, world: World) -> None:
    sign_in(jobs_client, world, "officer-a")
    queue = jobs_client.app.state.jobs  # type: ignore[attr-defined]
    row = queue.start("edition.report.docx", world.park_a, 2018, "zh", 7, "officer-a")
    page = until_done(jobs_client, f"/jobs/{row.id}")
    assert "已通过的版本" in page  # no edition 7: the job says so
    assert f'action="/parks/{world.park_a}/years/2018/editions/7/report"' in page
    asked = jobs_client.post(f"/parks/{world.park_a}/years/2018/editions/7/report",
                             data={"csrf_token": token(page), "format": "docx"},
                             follow_redirects=False)
    assert asked.status_code == 404
