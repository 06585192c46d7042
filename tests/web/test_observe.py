"""The request log and /metrics on the real app, in-process: one line per request (JSON or
text) with its id, route template, status and time and nothing secret; the id echoed, taken
from the client only when told to trust it; /metrics counting by route template and closed to
all but the allowed addresses and the token; the jobs' counting API."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY
from pydantic import SecretStr

from ecopark import metrics
from ecopark.store.engine import Store
from ecopark.store.settings import Settings
from ecopark.web.app import create_app
from ecopark.web.observe import configure_logging

from ..dbfixtures import World

ROUTE = "/api/v1/parks/{park_id}"


@pytest.fixture
def log_format() -> Iterator[None]:
    """Leave the root logger as it was (pytest's capture handlers) after the test."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    logging.getLogger("uvicorn.access").disabled = False


def _request_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()
            if line.startswith("{") and '"ecopark.request"' in line]


def _count(route: str, status: str) -> float:
    return REGISTRY.get_sample_value("ecopark_http_requests_total",
                                     {"method": "GET", "route": route, "status": status}) or 0.0


def test_one_json_line_per_request_without_secrets(
        store: Store, settings: Settings, world: World, log_format: None,
        capsys: pytest.CaptureFixture[str]) -> None:
    with TestClient(create_app(settings, store)) as client:
        configure_logging("json")
        token = world.tokens["officer-a"]
        client.cookies.set("ecopark_session", "c00k")
        reply = client.get(f"/api/v1/parks/{world.park_a}?password=hunter2",
                           headers=world.headers("officer-a"))
    assert reply.status_code == 200
    err = capsys.readouterr().err
    (line,) = _request_lines(err)
    assert line["request_id"] == reply.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", str(line["request_id"]))
    assert {k: line[k] for k in ("level", "method", "route", "path", "status", "client")} == {
        "level": "info", "method": "GET", "route": ROUTE, "path": f"/api/v1/parks/{world.park_a}",
        "status": 200, "client": "testclient"}
    assert isinstance(line["ms"], float) and line["ms"] > 0 and isinstance(line["pid"], int)
    assert line["message"] == f'testclient "GET /api/v1/parks/{world.park_a}" 200 {line["ms"]:.1f} ms'
    for secret in ("hunter2", token, "c00k", "password"):
        assert secret not in err


def test_text_lines_are_readable(store: Store, settings: Settings, world: World,
                                 log_format: None, capsys: pytest.CaptureFixture[str]) -> None:
    with TestClient(create_app(settings, store)) as client:
        configure_logging("text")
        client.get("/healthz")
    (line,) = [x for x in capsys.readouterr().err.splitlines() if "ecopark.request" in x]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO    ecopark\.request "
                        r'\[\d+\] testclient "GET /healthz" 200 \d+\.\d ms', line), line


def test_the_request_id_is_the_clients_only_when_trusted(
        store: Store, settings: Settings, world: World) -> None:
    with TestClient(create_app(settings, store)) as client:
        ignored = client.get("/healthz", headers={"X-Request-ID": "from-the-client"})
    assert re.fullmatch(r"[0-9a-f]{32}", ignored.headers["X-Request-ID"])
    trusting = settings.model_copy(update={"trust_request_id": True})
    with TestClient(create_app(trusting, store)) as client:
        kept = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.01_x"})
        odd = client.get("/healthz", headers={"X-Request-ID": "a b\tc"})
        long = client.get("/healthz", headers={"X-Request-ID": "a" * 65})
    assert kept.headers["X-Request-ID"] == "lb-7f3a.01_x"
    assert re.fullmatch(r"[0-9a-f]{32}", odd.headers["X-Request-ID"])
    assert re.fullmatch(r"[0-9a-f]{32}", long.headers["X-Request-ID"])


def test_metrics_count_by_route_template_for_the_token_only(
        store: Store, settings: Settings, world: World) -> None:
    opened = settings.model_copy(update={"metrics_token": SecretStr("m" * 40)})
    before_ok, before_404 = _count(ROUTE, "200"), _count(ROUTE, "404")
    with TestClient(create_app(opened, store)) as client:
        for park in (world.park_a, world.park_a, world.park_b):
            client.get(f"/api/v1/parks/{park}", headers=world.headers("admin"))
        client.get("/api/v1/parks/999999", headers=world.headers("admin"))
        refused = [client.get("/metrics"), client.get("/metrics", headers={
            "Authorization": "Bearer " + "n" * 40}), client.get("/metrics", headers={
                "Authorization": "m" * 40})]
        page = client.get("/metrics", headers={"Authorization": "Bearer " + "m" * 40})
    assert [r.status_code for r in refused] == [404, 404, 404]
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/plain")
    assert (_count(ROUTE, "200") - before_ok, _count(ROUTE, "404") - before_404) == (3.0, 1.0)
    assert f'ecopark_http_requests_total{{method="GET",route="{ROUTE}",status="200"}}' in page.text
    assert "ecopark_http_requests_in_flight 1.0" in page.text  # the /metrics request itself
    assert "/api/v1/parks/999999" not in page.text


def test_metrics_answer_the_allowed_addresses(store: Store, settings: Settings,
                                              world: World) -> None:
    app = create_app(settings.model_copy(update={"metrics_allow": "10.0.0.0/8"}), store)
    with TestClient(app, client=("10.1.2.3", 5000)) as inside, \
            TestClient(app, client=("192.0.2.1", 5000)) as outside:
        assert inside.get("/metrics").status_code == 200
        assert outside.get("/metrics").status_code == 404
    with TestClient(create_app(settings, store), client=("127.0.0.1", 5000)) as local:
        assert local.get("/metrics").status_code == 200  # the default: loopback only


def _jobs(kind: str, outcome: str) -> float:
    return REGISTRY.get_sample_value("ecopark_jobs_total", {"kind": kind, "outcome": outcome}) or 0


def test_the_jobs_counting_api() -> None:
    with metrics.job_timer("test-report"):
        assert REGISTRY.get_sample_value("ecopark_jobs_running", {"kind": "test-report"}) == 1
    with pytest.raises(RuntimeError), metrics.job_timer("test-report"):
        raise RuntimeError("boom")
    metrics.job_started("test-report")
    metrics.job_finished("test-report", "retried", 0.5)
    assert [_jobs("test-report", o) for o in ("done", "failed", "retried")] == [1, 1, 1]
    assert REGISTRY.get_sample_value("ecopark_jobs_running", {"kind": "test-report"}) == 0
    assert REGISTRY.get_sample_value("ecopark_job_seconds_count", {"kind": "test-report"}) == 3
    with pytest.raises(ValueError, match="'lost' is not one of"):
        metrics.job_finished("test-report", "lost", 1.0)
