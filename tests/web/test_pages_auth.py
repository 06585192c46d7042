"""Signing in and out in the browser: the sign-in form (double-submit CSRF), the session cookie's
flags, errors next to their field in the user's language, the way back after signing in, and
no redirect loop."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from ecopark.store import models as m

from ..dbfixtures import World
from .pages import csrf_of, sign_in, token


def test_a_page_without_a_session_goes_to_the_sign_in_page_and_back(client: TestClient,
                                                                     world: World) -> None:
    reply = client.get(f"/parks/{world.park_a}/years/2018", follow_redirects=False)
    assert reply.status_code == 303
    assert reply.headers["location"] == f"/login?next=/parks/{world.park_a}/years/2018"
    page = client.get(reply.headers["location"])
    assert page.status_code == 200 and "登录" in page.text
    back = client.post("/login", data={"csrf_token": token(page.text), "name": "officer-a",
                                       "password": world.passwords["officer-a"],
                                       "next": f"/parks/{world.park_a}/years/2018"},
                       follow_redirects=False)
    assert back.headers["location"] == f"/parks/{world.park_a}/years/2018"


def test_the_session_cookie_is_httponly_and_lax(client: TestClient, world: World) -> None:
    page = client.get("/login")
    reply = client.post("/login", data={"csrf_token": token(page.text), "name": "admin",
                                        "password": world.passwords["admin"]},
                        follow_redirects=False)
    cookie = next(v for k, v in reply.headers.multi_items()
                  if k == "set-cookie" and v.startswith("ecopark_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie


def test_over_https_the_cookie_is_secure(store: object, settings: object, world: World) -> None:
    from ecopark.web.app import create_app

    with TestClient(create_app(settings, store), base_url="https://testserver") as secure:  # type: ignore[arg-type]
        page = secure.get("/login")
        reply = secure.post("/login", data={"csrf_token": token(page.text), "name": "admin",
                                            "password": world.passwords["admin"]},
                            follow_redirects=False)
    cookie = next(v for k, v in reply.headers.multi_items()
                  if k == "set-cookie" and v.startswith("ecopark_session="))
    assert "Secure" in cookie
    assert "max-age=31536000" in reply.headers["strict-transport-security"]


def test_a_wrong_password_is_said_next_to_the_field(client: TestClient, world: World) -> None:
    page = client.get("/login")
    reply = client.post("/login", data={"csrf_token": token(page.text), "name": "admin",
                                        "password": "nope-nope"})
    assert reply.status_code == 401
    assert 'id="password-error">用户名或密码错误。' in reply.text
    client.cookies.set("ecopark_lang", "en")
    page = client.get("/login")
    reply = client.post("/login", data={"csrf_token": token(page.text), "name": "",
                                        "password": ""})
    assert reply.status_code == 422 and 'id="name-error">Required.' in reply.text


def test_the_sign_in_form_refuses_a_missing_token(client: TestClient, world: World) -> None:
    client.get("/login")
    reply = client.post("/login", data={"csrf_token": "forged", "name": "admin",
                                        "password": world.passwords["admin"]},
                        follow_redirects=False)
    assert reply.status_code == 403 and "ecopark_session" not in reply.headers.get(
        "set-cookie", "")


def test_sign_out_needs_the_form_token_and_ends_the_session(client: TestClient,
                                                            world: World) -> None:
    sign_in(client, world, "officer-a")
    refused = client.post("/logout", data={"csrf_token": "forged"})
    assert refused.status_code == 403 and "表单已过期" in refused.text
    with world.store.session(actor="t") as session:
        before = session.scalar(select(func.count()).select_from(m.SessionRow))
    reply = client.post("/logout", data={"csrf_token": csrf_of(client, "/parks")},
                        follow_redirects=False)
    assert reply.status_code == 303 and reply.headers["location"] == "/login"
    with world.store.session(actor="t") as session:
        assert session.scalar(select(func.count()).select_from(m.SessionRow)) == before - 1


def test_the_sign_in_page_never_redirects_a_signed_in_user(client: TestClient,
                                                           world: World) -> None:
    sign_in(client, world, "ent-a")
    page = client.get("/login", follow_redirects=False)
    assert page.status_code == 200 and "ent-a" in page.text


def test_next_never_leaves_the_site(client: TestClient, world: World) -> None:
    for target in ("https://evil.example/", "//evil.example/", "/\\evil"):
        client.cookies.clear()
        page = client.get("/login")
        reply = client.post("/login", data={"csrf_token": token(page.text), "name": "admin",
                                            "password": world.passwords["admin"],
                                            "next": target}, follow_redirects=False)
        assert reply.headers["location"] == "/"
    switched = client.get("/lang/en?next=//evil.example/", follow_redirects=False)
    assert switched.headers["location"] == "/"


def test_home_sends_each_role_to_its_page(client: TestClient, world: World) -> None:
    homes = {"admin": "/admin", "reviewer": "/review", "officer-a": f"/parks/{world.park_a}",
             "ent-a": f"/enterprises/{world.enterprise_a}"}
    for user, home in homes.items():
        sign_in(client, world, user)
        reply = client.get("/", follow_redirects=False)
        assert reply.headers["location"] == home
        assert client.get(home).status_code == 200
