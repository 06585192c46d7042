"""Batch verification as a job, in-process: a reviewer uploads printed tables (several files,
or one zip) → `verify.batch` → the job page lists them worst first with exact counts, each
linked to its findings, and offers the list as a workbook. A file that cannot be read is named
in the list and does not fail the batch; a zip bomb is refused before anything is queued; the
job is its requester's (another reviewer: 404), the page a reviewer's (an officer: 403).

Fixtures: tests/data/wujin-2018-table.docx (the seed) and tests/data/verify-batch/ made from it
by tests/data/make_verify_variants.py (its docstring says what differs)."""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from ecopark.jobs.verify_batch import TIERS
from ecopark.store import auth
from ecopark.store.engine import Store
from ecopark.store.settings import Settings
from ecopark.web.app import create_app

from ..dbfixtures import World
from .pages import sign_in, token
from .test_jobs_web import until_done

DATA = Path(__file__).resolve().parent.parent / "data"
SEED = DATA / "wujin-2018-table.docx"
VARIANTS = DATA / "verify-batch"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
JOB = re.compile(r"^/jobs/([0-9a-f]{32})$")
# worst first: (file, overall flips, verdict flips, other errors, mandatory, warnings, notes)
RANKED = [
    ("wujin-2018-table.docx", 1, 1, 0, 2, 4, 4),
    ("mandatory.docx", 0, 0, 0, 2, 1, 4),
    ("optional.docx", 0, 0, 0, 1, 2, 4),
]


@pytest.fixture
def jobs_client(store: Store, settings: Settings, world: World) -> Iterator[TestClient]:
    app = create_app(settings.model_copy(update={"jobs": "in-process"}), store)
    with TestClient(app) as test_client:
        yield test_client


def _files() -> list[tuple[str, bytes]]:
    return [(SEED.name, SEED.read_bytes()),
            *((name, (VARIANTS / name).read_bytes()) for name in
              ("optional.docx", "broken.docx", "mandatory.docx"))]


def _upload(client: TestClient, files: list[tuple[str, bytes]]) -> tuple[int, str, str]:
    form = client.get("/review/batch")
    assert form.status_code == 200
    reply = client.post("/review/batch", data={"csrf_token": token(form.text)},
                        files=[("files", (name, content, DOCX)) for name, content in files],
                        follow_redirects=False)
    return reply.status_code, reply.headers.get("location", ""), reply.text


def _rows(html: str) -> list[list[str]]:
    body = html.split('class="grid batch-tables"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body.split("<tbody>", 1)[1], re.S)
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>",
                                                                          row, re.S)]
            for row in rows]


def _check_list(client: TestClient, path: str) -> None:
    page = until_done(client, path)
    assert "4 个文件已核查：3 张表已复算，1 个无法读取。" in page
    rows = _rows(page)
    assert [row[1] for row in rows] == [r[0] for r in RANKED] + ["broken.docx"]
    for row, expected in zip(rows, RANKED, strict=False):
        assert row[0] == str(RANKED.index(expected) + 1)
        assert row[2:4] == ["江苏武进经济开发区", "2018"]
        assert [int(cell) for cell in row[5:]] == list(expected[1:])
    assert rows[3][0] == "4" and "无法读取" in rows[3][2] and "不是有效的 xlsx/docx 文件" in rows[3][2]
    for index in range(1, 5):
        assert f'href="{path}/tables/{index}"' in page


def test_a_batch_of_files_is_ranked_worst_first(jobs_client: TestClient, world: World) -> None:
    sign_in(jobs_client, world, "reviewer")
    assert 'href="/review/batch"' in jobs_client.get("/review").text
    status, path, _ = _upload(jobs_client, _files())
    assert status == 303 and JOB.match(path), path
    _check_list(jobs_client, path)
    worst = jobs_client.get(f"{path}/tables/1")
    assert worst.status_code == 200
    assert "共 12 条核查结果：错误 2，警告 6，提示 4。" in worst.text
    assert "总体判定改变" in worst.text and "3.37" in worst.text
    broken = jobs_client.get(f"{path}/tables/4").text
    assert "broken.docx" in broken and "另存为 .xlsx 或 .docx" in broken
    assert jobs_client.get(f"{path}/tables/5").status_code == 404
    book = jobs_client.get(f"{path}/tables.xlsx")
    assert book.status_code == 200
    sheet = load_workbook(io.BytesIO(book.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("排名", "文件", "园区", "年份")
    assert [r[:2] for r in rows[1:]] == [(1, "wujin-2018-table.docx"), (2, "mandatory.docx"),
                                         (3, "optional.docx"), (4, "broken.docx")]
    assert rows[1][4:12] == ("不达标", "无法判定（数据不全）", 1, 1, 0, 2, 4, 4)
    assert rows[4][12].startswith("文件 broken.docx：不是有效的 xlsx/docx 文件")
    # in English: the English words and the English half of each error
    jobs_client.cookies.set("ecopark_lang", "en")
    english = jobs_client.get(path).text
    assert "4 files checked: 3 tables verified, 1 could not be read." in english
    assert "file broken.docx: " in english and "Could not be read" in english
    jobs_client.cookies.set("ecopark_lang", "zh-CN")
    # the same upload again: the same job
    assert _upload(jobs_client, _files())[1] == path


def test_a_zip_of_tables_in_a_folder_gives_the_same_list(jobs_client: TestClient,
                                                        world: World) -> None:
    sign_in(jobs_client, world, "reviewer")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in _files():
            archive.writestr(f"园区报表/{name}", content)
        archive.writestr("__MACOSX/._optional.docx", b"resource fork")
    status, path, _ = _upload(jobs_client, [("tables.zip", buffer.getvalue())])
    assert status == 303, path
    _check_list(jobs_client, path)
    assert "已上传：tables.zip" in jobs_client.get(path).text


def test_a_zip_bomb_is_refused_before_anything_is_queued(jobs_client: TestClient,
                                                         world: World, store: Store) -> None:
    sign_in(jobs_client, world, "reviewer")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("table.docx", b"\0" * (50 * 2**20))  # 50 MB of zeros, ~50 kB packed
    assert len(buffer.getvalue()) < 200_000
    status, location, page = _upload(jobs_client, [("bomb.zip", buffer.getvalue())])
    assert status == 422 and location == ""
    assert "文件 bomb.zip：解压后过大（50 MB），疑为恶意压缩包" in page
    with store.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM jobs").scalar_one() == 0


def test_the_job_is_its_requesters_and_the_page_a_reviewers(
        jobs_client: TestClient, world: World, store: Store, settings: Settings) -> None:
    sign_in(jobs_client, world, "reviewer")
    path = _upload(jobs_client, _files()[:1])[1]
    until_done(jobs_client, path)
    with store.session(actor="fixture") as session:
        auth.create_user(session, "reviewer-2", "reviewer", "Pw-another-reviewer-9",
                         auth.hasher(settings))
    world.passwords["reviewer-2"] = "Pw-another-reviewer-9"
    jobs_client.cookies.clear()
    sign_in(jobs_client, world, "reviewer-2")
    assert jobs_client.get(path).status_code == 404
    assert jobs_client.get(f"{path}/tables/1").status_code == 404
    jobs_client.cookies.clear()
    sign_in(jobs_client, world, "admin")
    assert jobs_client.get(f"{path}/tables/1").status_code == 200
    jobs_client.cookies.clear()
    sign_in(jobs_client, world, "officer-a")
    assert jobs_client.get("/review/batch").status_code == 403


def test_the_api_ranks_the_same_and_only_reviewers_may_ask(jobs_client: TestClient,
                                                          world: World) -> None:
    files = [("files", (name, content, DOCX)) for name, content in _files()]
    refused = jobs_client.post("/api/v1/verifications", files=files,
                               headers=world.headers("officer-a"))
    assert refused.status_code == 403
    reply = jobs_client.post("/api/v1/verifications", files=files,
                             headers=world.headers("reviewer"))
    assert reply.status_code == 202, reply.text
    job = reply.headers["location"]
    end = time.monotonic() + 90
    while (state := jobs_client.get(job, headers=world.headers("reviewer")).json())["state"] \
            in ("queued", "running") and time.monotonic() < end:
        time.sleep(0.1)
    assert state["state"] == "done" and state["kind"] == "verify.batch"
    result = jobs_client.get(state["result"], headers=world.headers("reviewer")).json()
    assert [(t["file"], *(t["counts"][k] for k in TIERS)) for t in result["tables"][:3]] == \
        RANKED
    assert result["tables"][3]["file"] == "broken.docx"
    assert result["tables"][3]["error_en"].startswith("file broken.docx: ")
