"""One error shape for every failure, from one handler; bad input is a 4xx naming the field and
writes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from ecopark.core.errors import PermissionDenied
from ecopark.store import models as m
from ecopark.store.engine import Store
from ecopark.store.settings import Settings
from ecopark.store.timeouts import Timeouts
from ecopark.web.app import create_app
from ecopark.web.errors import status_of

from ..dbfixtures import World, seed_spec

V1 = "/api/v1"
SHAPE = {"type", "message_zh", "message_en", "fields"}


def _error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == SHAPE
    assert isinstance(body["error"]["fields"], dict)
    assert body["error"]["message_zh"] and body["error"]["message_en"]
    return dict(body["error"])


def _audit_rows(store: Store) -> int:
    with store.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(m.AuditEntry)).scalar_one()


def test_the_shape_is_pinned(client: TestClient, world: World) -> None:
    error = _error(client.get(f"{V1}/parks/999999", headers=world.headers("admin")), 404)
    assert error == {"type": "NotFound", "message_zh": "未找到 园区 park：999999",
                     "message_en": "园区 park not found: 999999",
                     "fields": {"kind": "园区 park", "key": "999999"}}


def test_invalid_json_names_the_body(client: TestClient, world: World, store: Store) -> None:
    before = _audit_rows(store)
    response = client.post(f"{V1}/parks", content=b'{"name": ', headers={
        **world.headers("admin"), "content-type": "application/json"})
    error = _error(response, 422)
    assert error["type"] == "InvalidRequest" and error["fields"]["errors"][0]["type"] == "json_invalid"
    assert _audit_rows(store) == before


def test_a_wrong_type_names_the_field(client: TestClient, world: World, store: Store) -> None:
    before = _audit_rows(store)
    error = _error(client.post(f"{V1}/parks", json={"name": ["not", "text"]},
                               headers=world.headers("admin")), 422)
    assert error["fields"]["field"] == "body.name" and "body.name" in error["message_en"]
    spec = seed_spec().model_dump(mode="json")
    spec["park"]["base_year"] = "long ago"
    error = _error(client.post(f"{V1}/parks/{world.park_a}/years?replace=true", json=spec,
                               headers=world.headers("admin")), 422)
    assert error["fields"]["field"] == "body.park.base_year"
    assert _audit_rows(store) == before


def test_an_unknown_unit_names_item_and_unit(client: TestClient, world: World,
                                             store: Store) -> None:
    before = _audit_rows(store)
    spec = seed_spec().model_dump(mode="json")
    spec["observations"]["energy"]["unit"] = "furlong"
    error = _error(client.post(f"{V1}/parks/{world.park_a}/years?replace=true", json=spec,
                               headers=world.headers("admin")), 422)
    assert error["type"] == "UnitError" and error["fields"]["from_unit"] == "furlong"
    assert error["fields"]["key_path"].startswith("observations.energy")
    assert _audit_rows(store) == before


def test_a_submission_for_another_enterprise_is_not_found(client: TestClient, world: World,
                                                          store: Store) -> None:
    before = _audit_rows(store)
    response = client.put(f"{V1}/enterprises/{world.enterprise_b}/submissions/2018",
                          json={"values": [{"item": "energy", "value": 1}]},
                          headers=world.headers("ent-a"))
    assert _error(response, 404)["type"] == "NotFound"
    assert _audit_rows(store) == before


def test_unknown_routes_and_methods_use_the_shape(client: TestClient) -> None:
    assert _error(client.get(f"{V1}/nowhere"), 404)["type"] == "NotFound"
    assert _error(client.delete(f"{V1}/parks"), 405)["type"] == "MethodNotAllowed"
    assert _error(client.get(f"{V1}/parks"), 401)["type"] == "AuthError"


@pytest.fixture
def small_client(store: Store, settings: Settings, world: World) -> Iterator[TestClient]:
    limited = settings.model_copy(update={"max_body_bytes": 2048})
    with TestClient(create_app(limited, store)) as test_client:
        yield test_client


def test_an_oversized_body_is_413_and_writes_nothing(small_client: TestClient, world: World,
                                                     store: Store) -> None:
    before = _audit_rows(store)
    big = {"name": "x" * 5000}
    error = _error(small_client.post(f"{V1}/parks", json=big, headers=world.headers("admin")), 413)
    assert error["type"] == "BodyTooLarge" and error["fields"]["limit"] == 2048

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams
        yield b'{"name": "'
        for _ in range(10):
            yield b"y" * 1000
        yield b'"}'

    streamed = small_client.post(f"{V1}/parks", content=chunks(), headers={
        **world.headers("admin"), "content-type": "application/json"})
    assert _error(streamed, 413)["type"] == "BodyTooLarge"
    assert _audit_rows(store) == before


def test_every_domain_error_is_a_client_error_except_an_unreachable_or_busy_database() -> None:
    from ..test_errors import ALL, _sample

    for cls in ALL:
        status = status_of(_sample(cls))
        server_side = cls.__name__ in ("StoreError", "DatabaseBusy")
        assert (status == 503) if server_side else 400 <= status < 500, cls


def test_security_headers(client: TestClient) -> None:
    headers = client.get(f"{V1}/parks").headers
    assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
    assert headers["content-security-policy"].startswith("default-src 'none'")
    assert headers["cache-control"] == "no-store"
    docs = client.get("/docs").headers["content-security-policy"]
    assert "script-src 'self';" in docs and "unsafe-inline" not in docs and "http" not in docs


def test_domain_errors_keep_their_class_name(client: TestClient, world: World) -> None:
    response = client.post(f"{V1}/parks", json={"name": "x"}, headers=world.headers("reviewer"))
    error = _error(response, 403)
    assert error["type"] == "PermissionDenied" and error["fields"]["role"] == "reviewer"
    assert error["message_en"] == PermissionDenied("reviewer", "新建园区 create a park",
                                                   "仅管理员 admin only").message("en")


def test_nan_and_infinity_are_refused(client: TestClient, world: World, store: Store) -> None:
    before = _audit_rows(store)
    admin = {**world.headers("admin"), "content-type": "application/json"}
    url = f"{V1}/parks/{world.park_a}/years/2018"
    table = _error(client.put(f"{url}/reported", content=b'{"year": 2018, "indicators": {"1": NaN}}',
                              headers=admin), 422)
    assert table["fields"]["field"] == "reported.indicators.1"
    value = client.put(f"{V1}/parks/{world.park_a}/observations/energy/2018",
                       content=b'{"value": Infinity}', headers={**admin, "If-Match": "*"})
    assert _error(value, 422)["fields"]["field"].startswith("body.value")
    assert _audit_rows(store) == before


def test_a_write_that_cannot_get_the_database_in_time_is_503_with_retry_after(
        store: Store, settings: Settings, world: World) -> None:
    """Another writer holds the lock past the wait limit: the API answers 503 with Retry-After
    and changes nothing; reads still answer; the same request succeeds once the lock is free."""
    if store.dialect != "sqlite":
        pytest.skip("the write lock held from outside is SQLite's")
    impatient = Store(store.url, Timeouts(wait=0.2))
    url = f"{V1}/parks/{world.park_a}/observations/energy/2018"
    body = {"value": 123456, "unit": "tce"}
    admin = {**world.headers("admin"), "If-Match": "*"}
    with TestClient(create_app(settings, impatient)) as client:
        with store.session("another writer") as holding:
            holding.add(m.Park(name="占用写锁的园区"))
            holding.flush()
            error = client.put(url, json=body, headers=admin)
            assert client.get(url, headers=admin).status_code == 200
        assert error.headers["retry-after"] == "1"
        assert _error(error, 503)["type"] == "DatabaseBusy"
        assert client.put(url, json=body, headers=admin).status_code == 200
    impatient.dispose()


def test_concurrent_writers_through_the_api_all_succeed(client: TestClient, world: World,
                                                        store: Store) -> None:
    """Eight clients each writing five values at once: every write is answered 200 (none
    fails because another committed first) and the last value written is the one stored."""
    import threading

    url = f"{V1}/parks/{world.park_a}/observations/energy/2018"
    statuses: list[int] = []

    def write(offset: int) -> None:
        for i in range(5):
            reply = client.put(url, json={"value": 100000 + offset * 10 + i, "unit": "tce"},
                               headers={**world.headers("admin"), "If-Match": "*"})
            statuses.append(reply.status_code)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 40
    with store.engine.connect() as connection:
        changes = connection.execute(select(func.count()).select_from(m.AuditEntry).where(
            m.AuditEntry.table_name == "observations", m.AuditEntry.action == "update")).scalar_one()
    assert changes == 40
