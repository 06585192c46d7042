"""Bulk import as a job, in-process: an admin uploads dataset files (several, or one zip) →
`import.bulk` → each file imported into the park it names, all of it or nothing of it; an
unknown park, an unreadable file, invalid data are that file's error, listed, the others
imported. Page and API; only admins may ask."""

from __future__ import annotations

import io
import json
import time
import zipfile
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from ecopark.store import models as m
from ecopark.store.engine import Store
from ecopark.store.settings import Settings
from ecopark.web.app import create_app

from ..conftest import SEED
from ..dbfixtures import PARK_A, PARK_B, World
from .pages import sign_in, token
from .test_jobs_web import until_done

YAML = "application/yaml"


@pytest.fixture
def jobs_client(store: Store, settings: Settings, world: World) -> Iterator[TestClient]:
    app = create_app(settings.model_copy(update={"jobs": "in-process"}), store)
    with TestClient(app) as test_client:
        yield test_client


def _files() -> list[tuple[str, bytes]]:
    seed = SEED.read_text(encoding="utf-8")
    return [
        ("a.yaml", seed.encode()),
        ("b.yaml", seed.replace(PARK_A, PARK_B).encode()),
        ("c-unknown.yaml", seed.replace(PARK_A, "不存在的园区").encode()),
        ("d-broken.yaml", b"park: [unclosed\n"),
        ("e-invalid.yaml", seed.replace(PARK_A, PARK_B).replace("year: 2018", "year: 1800")
         .encode()),
    ]


def _state(store: Store) -> tuple[int, list[tuple[str, str]]]:
    with store.session("test", write=False) as session:
        parks = session.scalar(select(func.count()).select_from(m.Park)) or 0
        rows = session.execute(select(m.Park.name, m.ParkYear.source_file).join(m.ParkYear.park)
                               .order_by(m.Park.name)).all()
        return parks, [(name, source) for name, source in rows]


def _check(outcome: dict[str, object]) -> None:
    assert outcome["files"] == 5 and outcome["imported"] == 2
    rows = outcome["outcomes"]
    assert isinstance(rows, list)
    assert [(r["file"], r["park"], r["year"], r["error"] == "") for r in rows] == [
        ("a.yaml", PARK_A, 2018, True), ("b.yaml", PARK_B, 2018, True),
        ("c-unknown.yaml", "不存在的园区", None, False), ("d-broken.yaml", "", None, False),
        ("e-invalid.yaml", PARK_B, None, False)]
    assert rows[0]["values"] == rows[1]["values"] == 46  # the seed's observed values
    assert rows[2]["error"].startswith("文件 c-unknown.yaml：系统中没有名为“不存在的园区”的园区")
    assert rows[3]["error"].startswith("文件 d-broken.yaml")


def test_the_page_imports_each_file_into_its_park(jobs_client: TestClient, world: World,
                                                  store: Store) -> None:
    parks_before, _ = _state(store)
    sign_in(jobs_client, world, "admin")
    form = jobs_client.get("/admin/import")
    assert form.status_code == 200
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in _files():
            archive.writestr(name, content)
    reply = jobs_client.post("/admin/import", data={"csrf_token": token(form.text)},
                             files=[("files", ("parks.zip", buffer.getvalue(), "application/zip"))],
                             follow_redirects=False)
    assert reply.status_code == 303, reply.text
    page = until_done(jobs_client, reply.headers["location"])
    assert "5 个文件：已导入 2 个，未导入 3 个。" in page and "46 个数值" in page
    outcome = json.loads(jobs_client.get(reply.headers["location"] + "/result").content)
    _check(outcome)
    parks_after, stored = _state(store)
    assert parks_after == parks_before  # the unknown park was not created
    # park B's year is b.yaml's: e-invalid.yaml (same park, refused) wrote nothing
    assert sorted(stored) == sorted([(PARK_A, "a.yaml"), (PARK_B, "b.yaml")])


def test_the_api_imports_and_only_admins_may_ask(jobs_client: TestClient, world: World) -> None:
    files = [("files", (name, content, YAML)) for name, content in _files()]
    refused = jobs_client.post("/api/v1/imports", files=files, headers=world.headers("reviewer"))
    assert refused.status_code == 403
    reply = jobs_client.post("/api/v1/imports", files=files, headers=world.headers("admin"))
    assert reply.status_code == 202, reply.text
    job = reply.headers["location"]
    end = time.monotonic() + 90
    while (state := jobs_client.get(job, headers=world.headers("admin")).json())["state"] \
            in ("queued", "running") and time.monotonic() < end:
        time.sleep(0.1)
    assert state["state"] == "done" and state["kind"] == "import.bulk"
    result = jobs_client.get(state["result"], headers=world.headers("admin"))
    assert result.headers["content-type"] == "application/json"
    _check(result.json())
    assert jobs_client.get(job, headers=world.headers("reviewer")).status_code == 404
