"""Tokens over the API and the admin page (listed without secrets, revoked, read-only ones
refused writes), revocation when a password changes, the admin that cannot deactivate itself,
and the client address (X-Forwarded-For only from a trusted proxy)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from ecopark.store import models as m
from ecopark.store.settings import Settings
from ecopark.web.app import create_app

from ..dbfixtures import World
from .pages import csrf_of, sign_in

V1 = "/api/v1"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_read_token_reads_but_may_not_write(client: TestClient, world: World) -> None:
    made = client.post(f"{V1}/tokens", json={"label": "dashboard", "scope": "read", "days": 7},
                       headers=world.headers("officer-a"))
    assert made.status_code == 201, made.text
    assert made.json()["scope"] == "read" and made.json()["label"] == "dashboard"
    reader = _bearer(made.json()["token"])
    url = f"{V1}/parks/{world.park_a}/observations/energy/2018"
    assert client.get(f"{V1}/parks/{world.park_a}", headers=reader).status_code == 200
    refused = client.put(url, json={"value": 27000}, headers=reader)
    assert refused.status_code == 403
    assert refused.json()["error"]["message_zh"].startswith("角色 park_officer 无权 用只读令牌修改数据")
    assert client.put(url, json={"value": 27000}, headers={**world.headers("officer-a"),
                                                       "If-Match": "*"}).status_code == 200


def test_tokens_are_listed_without_secrets_and_revoked(client: TestClient, world: World) -> None:
    ent = world.headers("ent-a")
    made = client.post(f"{V1}/tokens", json={"label": "cron"}, headers=ent).json()
    listed = client.get(f"{V1}/tokens", headers=ent)
    assert made["token"] not in listed.text and "token_hash" not in listed.text
    assert [(t["user"], t["label"], t["scope"], t["state"]) for t in listed.json()] == [
        ("ent-a", "cron", "write", "active"), ("ent-a", "tests", "write", "active")]
    other = client.delete(f"{V1}/tokens/{made['id']}", headers=world.headers("ent-b"))
    assert other.status_code == 404
    assert client.get(f"{V1}/tokens?user_id={world.users['ent-b']}",
                      headers=ent).status_code == 403
    revoked = client.delete(f"{V1}/tokens/{made['id']}", headers=ent)
    assert revoked.json()["state"] == "revoked"
    assert client.get(f"{V1}/auth/me", headers=_bearer(made["token"])).status_code == 401
    everyone = client.get(f"{V1}/tokens", headers=world.headers("admin")).json()
    assert len(everyone) == len(world.users) + 1
    by_admin = client.delete(f"{V1}/tokens/{everyone[-1]['id']}", headers=world.headers("admin"))
    assert by_admin.json()["state"] == "revoked"


def test_a_password_reset_revokes_sessions_and_tokens(client: TestClient, world: World) -> None:
    officer = world.headers("officer-a")
    assert client.get(f"{V1}/auth/me", headers=officer).status_code == 200
    reset = client.patch(f"{V1}/users/{world.users['officer-a']}",
                         json={"password": "a brand new passphrase"},
                         headers=world.headers("admin"))
    assert reset.status_code == 200
    assert client.get(f"{V1}/auth/me", headers=officer).status_code == 401
    common = client.patch(f"{V1}/users/{world.users['officer-a']}",
                          json={"password": "password123"}, headers=world.headers("admin"))
    assert common.status_code == 422
    assert common.json()["error"]["message_zh"].startswith(
        "password：这是常见密码，容易被猜中 this is a common password, easily guessed。建议：")


def test_an_admin_cannot_deactivate_itself(client: TestClient, world: World) -> None:
    reply = client.patch(f"{V1}/users/{world.users['admin']}", json={"active": False},
                         headers=world.headers("admin"))
    assert reply.status_code == 409
    assert reply.json()["error"]["message_zh"] == "用户 user admin：不能停用自己 you cannot " \
        "deactivate yourself"
    assert client.get(f"{V1}/auth/me", headers=world.headers("admin")).status_code == 200


def test_the_admin_page_lists_and_revokes_tokens(client: TestClient, world: World) -> None:
    sign_in(client, world, "admin")
    page = client.get("/admin").text
    assert 'id="tokens"' in page and "ecp_" not in page
    with world.store.session(actor="t") as session:
        token_id = session.scalars(select(m.ApiToken.id).where(
            m.ApiToken.user_id == world.users["reviewer"])).one()
    reply = client.post(f"/admin/tokens/{token_id}/revoke",
                        data={"csrf_token": csrf_of(client, "/admin")}, follow_redirects=False)
    assert reply.status_code == 303
    assert client.get(f"{V1}/auth/me", headers=world.headers("reviewer")).status_code == 401


def _signed_in_from(client: TestClient, world: World, forwarded: str) -> str:
    reply = client.post(f"{V1}/auth/login", json={"name": "reviewer",
                                                  "password": world.passwords["reviewer"]},
                        headers={"X-Forwarded-For": forwarded})
    assert reply.status_code == 200
    with world.store.session(actor="t") as session:
        return session.scalars(select(m.LoginAttempt.ip).order_by(m.LoginAttempt.id.desc())
                               ).first() or ""


def test_forwarded_addresses_are_believed_from_trusted_proxies_only(
        world: World, settings: Settings) -> None:
    direct = TestClient(create_app(settings, world.store), client=("127.0.0.1", 50000))
    assert _signed_in_from(direct, world, "203.0.113.9") == "127.0.0.1"
    trusting = settings.model_copy(update={"trusted_proxies": "127.0.0.1, 10.0.0.0/8"})
    proxied = TestClient(create_app(trusting, world.store), client=("127.0.0.1", 50000))
    assert _signed_in_from(proxied, world, "203.0.113.9, 10.1.2.3") == "203.0.113.9"
    stranger = TestClient(create_app(trusting, world.store), client=("198.51.100.1", 50000))
    assert _signed_in_from(stranger, world, "203.0.113.9") == "198.51.100.1"


def test_the_admin_page_applies_the_policy_and_ends_sessions(client: TestClient,
                                                             world: World) -> None:
    reviewer = TestClient(client.app)
    sign_in(reviewer, world, "reviewer")
    assert reviewer.get("/parks").status_code == 200
    sign_in(client, world, "admin")
    url = f"/admin/users/{world.users['reviewer']}/password"
    weak = client.post(url, data={"csrf_token": csrf_of(client, "/admin"),
                                  "password": "reviewer-2026"})
    assert weak.status_code == 422 and "密码不能包含用户名" in weak.text
    reset = client.post(url, data={"csrf_token": csrf_of(client, "/admin"),
                                   "password": "a brand new passphrase"}, follow_redirects=False)
    assert reset.status_code == 303
    assert reviewer.get("/parks", follow_redirects=False).status_code == 303  # to /login
    itself = client.post(f"/admin/users/{world.users['admin']}/active",
                         data={"csrf_token": csrf_of(client, "/admin"), "active": "0"})
    assert itself.status_code == 409 and "不能停用自己" in itself.text
