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


def form_fields(html: str) -> dict[str, str]:
    """What the page's form would submit as it stands: every named input (checkboxes when
    checked), every select's selected option (else its first), every textarea."""
    from html.parser import HTMLParser

    fields: dict[str, str] = {}

    class Reader(HTMLParser):
        select: str | None = None
        first: str | None = None

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            a = {k: v or "" for k, v in attrs}
            name = a.get("name")
            if tag == "input" and name and (a.get("type") != "checkbox" or "checked" in a):
                fields[name] = a.get("value", "")
            elif tag == "select" and name:
                self.select, self.first = name, None
            elif tag == "option" and self.select is not None:
                if self.first is None:
                    self.first = a.get("value", "")
                    fields.setdefault(self.select, self.first)
                if "selected" in a:
                    fields[self.select] = a.get("value", "")

        def handle_endtag(self, tag: str) -> None:
            if tag == "select":
                self.select = None

    Reader().feed(html)
    return fields
