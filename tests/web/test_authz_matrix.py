"""Every route × every role, aimed at a resource of ANOTHER park (park B, its enterprise, its
officer): what a role may not do is refused (403/404), writes nothing, and no data of park B
ever appears in the reply. What a role may do (admin everything; a reviewer reads every park
and uploads printed tables) is not refused.

The callers: admin; park_officer of park A; enterprise user of A's enterprise; reviewer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from ecopark.store import models as m

from ..dbfixtures import B_MARKER, ENTERPRISE_B, PARK_B, ROLE_USERS, World, park_b_spec

V1 = "/api/v1"
ROLES = ("enterprise", "park_officer", "reviewer", "admin")  # admin last: it may change things
B_SECRETS = (PARK_B, ENTERPRISE_B, B_MARKER, "officer-b", "ent-b")


@dataclasses.dataclass(frozen=True)
class Call:
    method: str
    path: str  # with {park} {enterprise} {user} for park B's resources
    allowed: frozenset[str]  # roles that may do this to park B's resource
    body: Callable[[], dict[str, Any]] | None = None
    files: Callable[[], dict[str, Any]] | None = None


ALL = frozenset(ROLES)
ADMIN = frozenset({"admin"})
READERS = frozenset({"admin", "reviewer"})


def _dataset() -> dict[str, Any]:
    return park_b_spec().model_dump(mode="json")


def _table() -> dict[str, Any]:
    return {"file": ("table.yaml", yaml.safe_dump({"year": 2018, "indicators": {1: "1.00"}}))}


def _dataset_file() -> dict[str, Any]:
    return {"file": ("b.yaml", yaml.safe_dump(_dataset(), allow_unicode=True))}


CALLS = [
    Call("GET", "/parks/{park}", READERS),
    Call("GET", "/parks/{park}/audit", READERS),
    Call("GET", "/parks/{park}/years", READERS),
    Call("POST", "/parks/{park}/years?replace=true", ADMIN, body=_dataset),
    Call("POST", "/parks/{park}/years/upload?replace=true", ADMIN, files=_dataset_file),
    Call("GET", "/parks/{park}/years/2018", READERS),
    Call("GET", "/parks/{park}/years/2018/dataset", READERS),
    Call("GET", "/parks/{park}/years/2018/observations", READERS),
    Call("GET", "/parks/{park}/observations/energy/2018", READERS),
    Call("PUT", "/parks/{park}/observations/energy/2018", ADMIN, body=lambda: {"value": 1.0}),
    Call("GET", "/parks/{park}/years/2018/evaluation", READERS),
    Call("GET", "/parks/{park}/years/2018/verification", READERS),
    Call("PUT", "/parks/{park}/years/2018/reported", READERS,
         body=lambda: {"year": 2018, "indicators": {"1": "1.00"}}),
    Call("POST", "/parks/{park}/years/2018/reported/upload", READERS, files=_table),
    Call("POST", "/parks/{park}/years/2018/reports", READERS, body=lambda: {"format": "docx"}),
    Call("GET", "/parks/{park}/enterprises", READERS),
    Call("POST", "/parks/{park}/enterprises", ADMIN, body=lambda: {"name": "新企业"}),
    Call("GET", "/enterprises/{enterprise}", READERS),
    Call("GET", "/enterprises/{enterprise}/submissions", READERS),
    Call("GET", "/enterprises/{enterprise}/submissions/2018", READERS),
    Call("PUT", "/enterprises/{enterprise}/submissions/2019", ADMIN,
         body=lambda: {"values": [{"item": "energy", "value": 1}]}),
    Call("POST", "/enterprises/{enterprise}/submissions/2018/submit", ADMIN),
    Call("POST", "/enterprises/{enterprise}/submissions/2018/withdraw", ADMIN),
    Call("POST", "/enterprises/{enterprise}/submissions/2018/accept", ADMIN),
    Call("POST", "/enterprises/{enterprise}/submissions/2018/reject", ADMIN,
         body=lambda: {"reason": "不完整"}),
    Call("GET", "/users", ADMIN),
    Call("POST", "/users", ADMIN, body=lambda: {"name": "spy", "role": "park_officer",
                                                 "password": "a-long-password", "park_id": 2}),
    Call("GET", "/users/{user}", ADMIN),
    Call("PATCH", "/users/{user}", ADMIN, body=lambda: {"active": True}),
    Call("DELETE", "/parks/{park}/years/2018", ADMIN),
    Call("GET", "/audit", ADMIN),
    Call("POST", "/parks", ADMIN, body=lambda: {"name": "另一个新园区"}),
    Call("GET", "/parks/{park}/years/2018/lifecycle", READERS),
    Call("POST", "/parks/{park}/years/2018/transitions", ADMIN,
         body=lambda: {"action": "submit", "version": 1}),
    Call("GET", "/parks/{park}/years/2018/comments", READERS),
    Call("POST", "/parks/{park}/years/2018/comments", READERS, body=lambda: {"text": "意见"}),
    # no comment 1 on park B: refused (404) for everyone, saying nothing of park B
    Call("POST", "/parks/{park}/years/2018/comments/{comment}/resolve", frozenset(),
         body=lambda: {"resolved": True}),
]

# Routes about the caller only (no other park's resource to aim at); checked separately below
# (the tokens in tests/web/test_tokens.py: one's own, or anyone's by an admin).
SELF_ONLY = {("POST", "/auth/login"), ("POST", "/auth/logout"), ("GET", "/auth/me"),
             ("POST", "/auth/tokens"), ("GET", "/parks"), ("GET", "/tokens"),
             ("POST", "/tokens"), ("DELETE", "/tokens/{token_id}")}


# A job of park B, addressed by its id: checked in test_another_parks_job_is_not_found below.
JOBS = {("GET", "/jobs/{job_id}"), ("GET", "/jobs/{job_id}/result")}
# Batch jobs (uploads of several files): who may ask is checked in test_verify_batch.py
# (reviewers, admins) and test_import_bulk.py (admins).
BATCHES = {("POST", "/verifications"), ("POST", "/imports")}


def _template(path: str) -> str:
    bare = path.split("?")[0]
    for name, param in (("park", "park_id"), ("enterprise", "enterprise_id"), ("user", "user_id"),
                        ("comment", "comment_id")):
        bare = bare.replace("{" + name + "}", "{" + param + "}")
    parts = bare.split("/")
    return "/".join("{year}" if p in ("2018", "2019") else
                    "{item}" if p == "energy" else p for p in parts)


def test_the_matrix_covers_every_route(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    routes = {(method.upper(), path.removeprefix(V1)) for path, operations in paths.items()
              for method in operations}
    covered = {(c.method, _template(c.path)) for c in CALLS} | SELF_ONLY | JOBS | BATCHES
    assert routes == covered


def _audit_rows(world: World) -> int:
    with world.store.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(m.AuditEntry)).scalar_one()


def _send(client: TestClient, world: World, role: str, call: Call) -> Any:
    path = call.path.format(park=world.park_b, enterprise=world.enterprise_b,
                            user=world.users["officer-b"], comment=1)
    kwargs: dict[str, Any] = {"headers": world.headers(ROLE_USERS[role])}
    if call.body is not None:
        kwargs["json"] = call.body()
    if call.files is not None:
        kwargs["files"] = call.files()
    return client.request(call.method, V1 + path, **kwargs)


@pytest.mark.parametrize("call", CALLS, ids=lambda c: f"{c.method} {c.path}")
def test_every_role_against_another_parks_resource(client: TestClient, world: World,
                                                   call: Call) -> None:
    for role in ROLES:
        before = _audit_rows(world)
        response = _send(client, world, role, call)
        if role in call.allowed:
            assert response.status_code not in (401, 403, 404), (role, response.text)
            continue
        assert response.status_code in (403, 404), (role, response.status_code, response.text)
        assert response.json()["error"]["type"] in ("PermissionDenied", "NotFound")
        leaked = [s for s in B_SECRETS if s in response.text]
        assert not leaked, (role, leaked, response.text)
        assert _audit_rows(world) == before, (role, "a refused request wrote something")


def test_another_parks_job_is_not_found(client: TestClient, world: World) -> None:
    asked = client.post(f"{V1}/parks/{world.park_b}/years/2018/reports", json={},
                        headers=world.headers("admin"))
    assert asked.status_code == 202
    job = asked.headers["location"]
    for role in ROLES:
        headers = world.headers(ROLE_USERS[role])
        for path in (job, f"{job}/result"):
            reply = client.get(path, headers=headers)
            if role in READERS:
                assert reply.status_code in (200, 404 if path.endswith("result") else 200)
                continue
            assert reply.status_code == 404, (role, path, reply.text)
            assert reply.json()["error"]["type"] == "NotFound"
            assert not [s for s in B_SECRETS if s in reply.text], (role, reply.text)


@pytest.mark.parametrize("role", ROLES)
def test_routes_about_oneself_show_nothing_of_another_park(client: TestClient, world: World,
                                                           role: str) -> None:
    headers = world.headers(ROLE_USERS[role])
    replies = [client.get(f"{V1}/auth/me", headers=headers),
               client.post(f"{V1}/auth/tokens", json={}, headers=headers),
               client.get(f"{V1}/parks", headers=headers)]
    if role not in READERS:
        for reply in replies:
            assert not [s for s in B_SECRETS if s in reply.text], (role, reply.text)
    assert all(reply.status_code < 400 for reply in replies)
    login = client.post(f"{V1}/auth/login", json={"name": ROLE_USERS[role],
                                                  "password": world.passwords[ROLE_USERS[role]]})
    assert login.status_code == 200 and PARK_B not in login.text
    logout = client.post(f"{V1}/auth/logout", headers={
        "X-CSRF-Token": login.json()["csrf_token"]})
    assert logout.status_code == 204
