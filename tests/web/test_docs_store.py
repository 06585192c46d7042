"""docs/store-and-api.md must not drift from the code: every setting and every route is there."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from ecopark.store.settings import Settings

DOC = (Path(__file__).resolve().parents[2] / "docs" / "store-and-api.md").read_text(encoding="utf-8")


def test_every_setting_is_documented() -> None:
    for name in Settings.model_fields:
        assert f"ECOPARK_{name.upper()}" in DOC, name


def test_every_route_is_documented(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in paths:
        tail = path.split("/submissions")[-1] if "/submissions" in path else path
        assert path in DOC or ("/submissions" in path and f"submissions{tail}" in DOC), path
