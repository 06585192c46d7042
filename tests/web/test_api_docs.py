"""The API reference at /docs: Swagger UI from this site (never a CDN, no inline script), the
note pointing to /openapi.json when Swagger UI is not installed, and nothing else of the
installed npm packages served."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ecopark.web import api_docs

needs_swagger_ui = pytest.mark.skipif(
    not (api_docs.SWAGGER_UI / "package.json").is_file(),
    reason="swagger-ui-dist is not installed (npm ci: scripts/setup)")


@needs_swagger_ui
def test_docs_loads_swagger_ui_from_this_site_only(client: TestClient) -> None:
    html = client.get("/docs").text
    assert re.findall(r'(?:src|href)="([^"]+)"', html) == [
        "/static/favicon.svg", "/static/vendor/swagger-ui/swagger-ui.css",
        "/static/vendor/swagger-ui/swagger-ui-bundle.js", "/static/api-docs.js",
        "/openapi.json", "/openapi.json"]
    assert "http" not in html and not re.search(r"<script\b[^>]*>\s*[^<\s]", html)
    assert 'SwaggerUIBundle({\n    url: "/openapi.json"' in client.get("/static/api-docs.js").text


@needs_swagger_ui
def test_the_swagger_ui_files_are_served_and_cacheable(client: TestClient) -> None:
    for name, kind in (("swagger-ui.css", "text/css"), ("swagger-ui-bundle.js", "text/javascript")):
        reply = client.get(f"/static/vendor/swagger-ui/{name}")
        assert reply.status_code == 200 and reply.headers["content-type"].startswith(kind)
        assert reply.content == (api_docs.SWAGGER_UI / name).read_bytes()
        assert reply.headers["cache-control"] == "public, max-age=86400"


def test_nothing_else_of_the_npm_packages_is_served(client: TestClient) -> None:
    for path in ("/static/vendor/swagger-ui/index.html", "/static/vendor/swagger-ui/package.json",
                 "/static/vendor/node_modules/swagger-ui-dist/oauth2-redirect.html",
                 "/static/vendor/node_modules/echarts/package.json", "/static/vendor/package.json"):
        reply = client.get(path)
        assert reply.status_code == 404 and reply.json()["error"]["type"] == "NotFound", path


def test_without_swagger_ui_docs_points_to_openapi_json(client: TestClient, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Where npm was not run: the installed package's folder is empty."""
    monkeypatch.setattr(api_docs, "SWAGGER_UI", tmp_path)
    reply = client.get("/docs")
    assert reply.status_code == 200 and "swagger-ui" not in reply.text
    assert "API 的完整描述（OpenAPI）见 <a href=\"/openapi.json\">/openapi.json</a>" in reply.text
    assert "The full API reference (OpenAPI) is at <a href=\"/openapi.json\">" in reply.text
    assert client.get("/static/vendor/swagger-ui/swagger-ui.css").status_code == 404
