"""Property-based requests generated from the app's own OpenAPI schema (schemathesis, in-process
ASGI, a bounded and deterministic number of examples per operation): no server errors.

The operations are driven with hypothesis directly (schemathesis' pytest plugin does not run
under this pytest); requests carry an admin's token, so every route is reached."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from ..dbfixtures import World

EXAMPLES = 30


def _operations(client: TestClient) -> list[Any]:
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    return [result.ok() for result in schema.get_all_operations()]


def test_no_request_makes_the_server_fail(client: TestClient, world: World) -> None:
    headers = world.headers("admin")
    failures: list[str] = []
    statuses: list[int] = []
    operations = _operations(client)
    assert len(operations) >= 30
    for operation in operations:

        @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            response = case.call(headers=headers)
            statuses.append(response.status_code)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {response.status_code} "
                                f"{response.text[:300]}")

        run()
    assert failures == []
    assert sum(200 <= status < 300 for status in statuses) > 100  # not only refusals


@pytest.mark.parametrize("path", ["/openapi.json"])
def test_the_schema_is_valid_openapi(client: TestClient, path: str) -> None:
    schema = client.get(path).json()
    assert schema["openapi"].startswith("3.") and schema["info"]["title"] == "ecopark"
