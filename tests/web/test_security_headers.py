"""Every kind of response carries the security headers — the API's JSON, pages, static and
vendor files, the API docs and their schema, redirects, and the errors 404, 405, 413, 422, 500
and 503 — with a CSP that allows nothing inline and no other site. The 500s come from a route
this test adds that fails the way a bug would (answered outside the middleware)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from ecopark.store.engine import Store
from ecopark.store.settings import Settings
from ecopark.web.api_docs import SWAGGER_UI
from ecopark.web.app import create_app
from ecopark.web.render import ECHARTS

from ..dbfixtures import World

V1 = "/api/v1"


def _crash() -> None:
    raise RuntimeError("a bug at /srv/ecopark/secret.py")


@pytest.fixture
def app(store: Store, settings: Settings, world: World) -> FastAPI:
    app = create_app(settings.model_copy(update={"max_body_bytes": 2048}), store)
    app.add_api_route(f"{V1}/crash", _crash)
    app.add_api_route("/crash", _crash)
    return app


@pytest.fixture
def crashing(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def _secure(reply: httpx.Response, status: int) -> None:
    headers = reply.headers
    assert reply.status_code == status, (reply.url, reply.status_code)
    assert headers["x-content-type-options"] == "nosniff", reply.url
    assert headers["x-frame-options"] == "DENY" and headers["referrer-policy"] == "same-origin"
    csp = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp, csp
    assert re.search(r"https?:|\*", csp) is None, csp


def test_every_kind_of_response_carries_the_security_headers(crashing: TestClient,
                                                             world: World) -> None:
    admin = world.headers("admin")
    replies = [
        (crashing.get(f"{V1}/parks", headers=admin), 200),
        (crashing.get("/login"), 200),
        (crashing.get("/static/app.css"), 200),
        (crashing.get("/static/vendor/swagger-ui/swagger-ui.css"),
         200 if (SWAGGER_UI / "swagger-ui.css").is_file() else 404),  # 404: npm was not run
        (crashing.get("/static/vendor/echarts.min.js"), 200 if ECHARTS.is_file() else 404),
        (crashing.get("/docs"), 200),
        (crashing.get("/openapi.json"), 200),
        (crashing.get("/parks", follow_redirects=False), 303),
        (crashing.get("/lang/en?next=/login", follow_redirects=False), 303),
        (crashing.get(f"{V1}/nowhere", headers=admin), 404),
        (crashing.get("/nowhere"), 404),
        (crashing.put("/openapi.json"), 405),
        (crashing.post(f"{V1}/parks", json={"name": "x" * 5000}, headers=admin), 413),
        (crashing.get(f"{V1}/parks/abc", headers=admin), 422),
        (crashing.get(f"{V1}/crash"), 500),
        (crashing.get("/crash"), 500),
    ]
    for reply, status in replies:
        _secure(reply, status)


def test_an_unexpected_error_is_a_generic_500_without_its_details(
        crashing: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("ERROR", logger="ecopark.web"):
        api = crashing.get(f"{V1}/crash")
    assert api.json() == {"error": {
        "type": "InternalError", "message_zh": "服务器内部错误，已记录；请稍后重试",
        "message_en": "internal server error (logged); try again later", "fields": {}}}
    assert api.headers["cache-control"] == "no-store"
    assert "500 on GET /api/v1/crash: RuntimeError" in caplog.text
    page = crashing.get("/crash")
    assert page.headers["content-type"].startswith("text/html")
    assert "服务器内部出错，已记录；请稍后重试。" in page.text
    assert "secret" not in page.text and "RuntimeError" not in page.text
