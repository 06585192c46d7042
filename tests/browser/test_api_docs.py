"""The API reference at /docs in a real browser: Swagger UI, served from this site under the
strict CSP, renders every route from /openapi.json with no console error (a CSP violation is
one) and no request to another site."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Request, expect

from ecopark.web.api_docs import SWAGGER_UI
from ecopark.web.launch import DemoServer

pytestmark = pytest.mark.skipif(not (SWAGGER_UI / "swagger-ui-bundle.js").is_file(),
                                reason="swagger-ui-dist is not installed (npm ci: scripts/setup)")


def test_swagger_ui_renders_under_the_strict_csp(page: Page, live: DemoServer) -> None:
    asked: list[str] = []

    def remember(request: Request) -> None:
        asked.append(request.url)

    page.on("request", remember)
    page.goto(f"{live.url}/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("ecopark")
    parks = page.locator(".opblock-summary-path[data-path='/api/v1/parks']")
    expect(parks.first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert page.errors == [], page.errors  # type: ignore[attr-defined]
    assert asked and all(url.startswith(live.url) or url.startswith("data:") for url in asked), asked
