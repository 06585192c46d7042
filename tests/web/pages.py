"""Helpers for the page tests: sign in through the real form, read a form's CSRF token."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from ..dbfixtures import World

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def token(html: str) -> str:
    found = TOKEN.search(html)
    assert found, "no csrf_token in the page"
    return found.group(1)


def sign_in(client: TestClient, world: World, user: str) -> None:
    client.cookies.clear()
    page = client.get("/login")
    reply = client.post("/login", data={"csrf_token": token(page.text), "name": user,
                                        "password": world.passwords[user], "next": "/"},
                        follow_redirects=False)
    assert reply.status_code == 303, reply.text


def csrf_of(client: TestClient, path: str) -> str:
    return token(client.get(path).text)
