"""Reports as background jobs on the pages and in the API, in-process: the park-year page's
POST redirects to the job page, which refreshes itself until the report is ready and then
offers it; the API answers 202 with the job's address; another park's officer cannot see the
job (403 on pages, 404 in the API); the same request gives the same job."""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator

import pytest
from docx import Document
from fastapi.testclient import TestClient

from ecopark.store.engine import Store
from ecopark.store.settings import Settings
from ecopark.web.app import create_app

from ..dbfixtures import World
from .pages import sign_in, token

JOB = re.compile(r"^/jobs/([0-9a-f]{32})$")


@pytest.fixture
def jobs_client(store: Store, settings: Settings, world: World) -> Iterator[TestClient]:
    app = create_app(settings.model_copy(update={"jobs": "in-process"}), store)
    with TestClient(app) as test_client:
        yield test_client


def until_done(client: TestClient, path: str, seconds: float = 90.0) -> str:
    """The job page once it no longer refreshes itself."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        page = client.get(path)
        assert page.status_code == 200, page.text
        if 'http-equiv="refresh"' not in page.text:
            return page.text
        time.sleep(0.1)
    raise AssertionError("the job page kept refreshing")


def ask(client: TestClient, park: int, fmt: str = "docx") -> str:
    page = client.get(f"/parks/{park}/years/2018")
    assert f'action="/parks/{park}/years/2018/reports"' in page.text
    reply = client.post(f"/parks/{park}/years/2018/reports",
                        data={"csrf_token": token(page.text), "format": fmt},
                        follow_redirects=False)
    assert reply.status_code == 303, reply.text
    location = reply.headers["location"]
    assert JOB.match(location), location
    return location


def test_the_page_flow_gives_a_word_report(jobs_client: TestClient, world: World) -> None:
    sign_in(jobs_client, world, "officer-a")
    path = ask(jobs_client, world.park_a)
    waiting = jobs_client.get(path).text
    assert "评价报告（docx）" in waiting
    done = until_done(jobs_client, path)
    assert "报告已生成" in done and f'href="{path}/result"' in done
    reply = jobs_client.get(f"{path}/result")
    assert reply.status_code == 200
    assert reply.headers["content-type"] == \
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert "filename*=UTF-8''%E6%B1%9F%E8%8B%8F" in reply.headers["content-disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(reply.content)).paragraphs)
    assert "江苏武进经济开发区" in text
    # the same request again: the same job, already done
    assert ask(jobs_client, world.park_a) == path


def test_a_waiting_job_page_refreshes_itself_and_shows_progress(
        store: Store, settings: Settings, world: World) -> None:
    external = create_app(settings.model_copy(update={"jobs": "external"}), store)
    with TestClient(external) as client:  # no worker: the job stays queued
        sign_in(client, world, "officer-a")
        path = ask(client, world.park_a, "pdf")
        page = client.get(path).text
        assert '<meta http-equiv="refresh" content="2">' in page
        assert '<progress max="4" value="0"' in page
        assert "已完成 0 / 4 步" in page and "排队等候" in page
        client.cookies.set("ecopark_lang", "en")
        english = client.get(path).text
        assert "0 of 4 steps done" in english and "Waiting in the queue" in english


def test_another_parks_officer_cannot_see_the_job(jobs_client: TestClient,
                                                  world: World) -> None:
    sign_in(jobs_client, world, "officer-a")
    path = ask(jobs_client, world.park_a)
    until_done(jobs_client, path)
    for user in ("officer-b", "ent-b"):
        sign_in(jobs_client, world, user)
        assert jobs_client.get(path).status_code == 403
        assert jobs_client.get(f"{path}/result").status_code == 403
    sign_in(jobs_client, world, "reviewer")  # reviewers read every park
    assert jobs_client.get(f"{path}/result").status_code == 200
    jobs_client.cookies.clear()
    assert jobs_client.get(f"{path}/result", follow_redirects=False).status_code == 303


def test_the_api_flow(jobs_client: TestClient, world: World) -> None:
    headers = world.headers("officer-a")
    url = f"/api/v1/parks/{world.park_a}/years/2018/reports"
    reply = jobs_client.post(url, json={"format": "docx", "lang": "en"}, headers=headers)
    assert reply.status_code == 202, reply.text
    job = reply.json()
    assert reply.headers["location"] == f"/api/v1/jobs/{job['id']}"
    assert (job["kind"], job["lang"], job["park_id"], job["year"], job["steps_total"]) == \
        ("report.docx", "en", world.park_a, 2018, 3)
    end = time.monotonic() + 90
    while job["state"] not in ("done", "failed") and time.monotonic() < end:
        time.sleep(0.1)
        job = jobs_client.get(reply.headers["location"], headers=headers).json()
    assert (job["state"], job["steps_done"], job["result"]) == \
        ("done", 3, f"/api/v1/jobs/{job['id']}/result")
    document = jobs_client.get(job["result"], headers=headers)
    assert document.status_code == 200 and document.content[:2] == b"PK"
    again = jobs_client.post(url, json={"format": "docx", "lang": "en"}, headers=headers)
    assert (again.status_code, again.json()["id"], again.json()["state"]) == \
        (202, job["id"], "done")
    other = world.headers("officer-b")
    assert jobs_client.get(f"/api/v1/jobs/{job['id']}", headers=other).status_code == 404
    assert jobs_client.get(job["result"], headers=other).status_code == 404
    assert jobs_client.post(url, json={}, headers=other).status_code == 404


def test_the_api_refuses_an_unknown_format_and_a_bad_id(jobs_client: TestClient,
                                                        world: World) -> None:
    headers = world.headers("officer-a")
    url = f"/api/v1/parks/{world.park_a}/years/2018/reports"
    assert jobs_client.post(url, json={"format": "odt"}, headers=headers).status_code == 422
    assert jobs_client.get("/api/v1/jobs/nope", headers=headers).status_code == 422
    assert jobs_client.get("/api/v1/jobs/" + "0" * 32, headers=headers).status_code == 404


def test_a_result_before_the_job_is_done_is_not_found(
        store: Store, settings: Settings, world: World) -> None:
    external = create_app(settings.model_copy(update={"jobs": "external"}), store)
    with TestClient(external) as client:
        reply = client.post(f"/api/v1/parks/{world.park_a}/years/2018/reports", json={},
                            headers=world.headers("officer-a"))
        assert reply.json()["state"] == "queued"
        result = client.get(reply.headers["location"] + "/result",
                            headers=world.headers("officer-a"))
        assert result.status_code == 404


def test_a_job_of_no_park_is_seen_by_its_requester_and_admins_only(
        jobs_client: TestClient, world: World) -> None:
    from ecopark.jobs import KINDS, kind

    @kind("test.echo", 1)
    def echo(work):  # type: ignore[no-untyped-def]
        return work.input or b"", "echo.txt"

    try:
        queue = jobs_client.app.state.jobs  # type: ignore[attr-defined]
        row = queue.start("test.echo", None, None, "zh", 0, "reviewer", b"x", "x.txt")
        path = f"/api/v1/jobs/{row.id}"
        seen = {who: jobs_client.get(path, headers=world.headers(who)).status_code
                for who in ("reviewer", "admin", "officer-a", "officer-b")}
        assert seen == {"reviewer": 200, "admin": 200, "officer-a": 404, "officer-b": 404}
        body = jobs_client.get(path, headers=world.headers("reviewer")).json()
        assert (body["park_id"], body["year"], body["kind"]) == (None, None, "test.echo")
    finally:
        KINDS.pop("test.echo", None)
