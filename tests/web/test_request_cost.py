"""The fixed cost of a page request (issue 17 part 6): a page request is not matched against
the API's routes, and the signed-in dashboard costs a fixed, small number of statements — the
session, its user and the unread notifications in one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import event

from ecopark.store import models as m
from ecopark.store.engine import Store

from ..dbfixtures import World
from .pages import sign_in


@pytest.fixture
def tried(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The routes a request was matched against: the module of each one's endpoint and its
    path (an API route's path without the /api/v1 prefix)."""
    paths: list[str] = []
    original = APIRoute.matches

    def matches(self: APIRoute, scope: Any) -> Any:
        paths.append(f"{self.endpoint.__module__}:{self.path}")
        return original(self, scope)

    monkeypatch.setattr(APIRoute, "matches", matches)
    yield paths


def test_a_page_request_tries_no_api_route(client: TestClient, world: World,
                                           tried: list[str]) -> None:
    sign_in(client, world, "officer-a")
    tried.clear()
    assert client.get(f"/parks/{world.park_a}/years/2018").status_code == 200
    assert "ecopark.web.pages_park:/parks/{park_id}/years/{year}" in tried
    api = tuple(f"ecopark.web.routes_{n}:" for n in ("people", "parks", "values", "enterprises",
                                                     "jobs"))
    assert not [p for p in tried if p.startswith(api)]


def test_an_api_request_is_still_routed(client: TestClient, world: World,
                                        tried: list[str]) -> None:
    reply = client.get(f"/api/v1/parks/{world.park_a}", headers=world.headers("admin"))
    assert reply.status_code == 200 and reply.json()["id"] == world.park_a
    assert "ecopark.web.routes_parks:/parks/{park_id}" in tried
    missing = client.get("/api/v1/no-such-thing", headers=world.headers("admin"))
    assert missing.status_code == 404 and set(missing.json()["error"]) >= {"type", "message_en"}


def _statements(store: Store, client: TestClient, path: str) -> list[str]:
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(args[2])

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
    return [s for s in seen if not s.startswith(("BEGIN", "PRAGMA"))]


def test_the_dashboard_costs_two_statements(client: TestClient, world: World,
                                            store: Store) -> None:
    """Session + user + unread count; the park with its park-year's head (id, lifecycle state,
    edition, row version) and the park's data version."""
    sign_in(client, world, "officer-a")
    path = f"/parks/{world.park_a}/years/2018"
    client.get(path)  # the evaluation computed and cached
    statements = _statements(store, client, path)
    assert len(statements) == 2, statements
    assert "notifications" in statements[0] and "sessions" in statements[0]
    assert all(t in statements[1] for t in ("FROM parks", "park_years.state", "audit"))


def test_the_unread_count_comes_with_the_session(client: TestClient, world: World) -> None:
    sign_in(client, world, "officer-a")
    client.cookies.set("ecopark_lang", "en")
    path = f"/parks/{world.park_a}/years/2018"
    assert " unread" not in client.get(path).text
    with world.store.session(actor="test") as session:
        for read in (None, m.utcnow()):
            session.add(m.Notification(user_id=world.users["officer-a"], kind="reminder",
                                       text_zh="提醒", text_en="reminder", link="/",
                                       read_at=read))
    assert ">1 unread<" in client.get(path).text  # the read one is not counted


def test_the_parks_list_read_as_columns(client: TestClient, world: World) -> None:
    """GET /api/v1/parks reads columns, not ORM objects: the same parks, years and order."""
    with world.store.session(actor="test") as session:
        session.add(m.Park(name="无年度园区", province="浙江"))
    parks = client.get("/api/v1/parks?limit=2", headers=world.headers("admin"))
    assert parks.headers["x-total-count"] == "3"
    everything = client.get("/api/v1/parks", headers=world.headers("admin")).json()
    assert everything[:2] == parks.json()
    assert sorted((p["id"], p["years"]) for p in everything) == [
        (world.park_a, [2018]), (world.park_b, [2018]), (world.park_b + 1, [])]
    assert {p["province"] for p in everything if p["id"] == world.park_b + 1} == {"浙江"}
