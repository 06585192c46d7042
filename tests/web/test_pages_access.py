"""Every page × every role: what a role may open is 200, what it may not is a 403 PAGE (HTML,
never a redirect), a missing thing is a 404 page; no page of park B's shows up for park A's
people. The JSON API keeps its own JSON errors."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from ..dbfixtures import B_MARKER, ENTERPRISE_B, PARK_B, World
from .pages import sign_in

USERS = ("admin", "reviewer", "officer-a", "ent-a")
ALL = frozenset(USERS)
STAFF = frozenset({"admin", "reviewer", "officer-a"})
WRITERS = frozenset({"admin", "officer-a"})
READERS = frozenset({"admin", "reviewer"})

PAGES = [  # path with {a} {b} (parks) {ea} {eb} (enterprises); users allowed
    ("/parks", STAFF),
    ("/parks/{a}", STAFF),
    ("/parks/{a}/years/2018", STAFF),
    ("/parks/{a}/years/2018/indicators/26", STAFF),
    ("/parks/{a}/trends?n=26", STAFF),
    ("/parks/{a}/years/2018/edit/environment", WRITERS),
    ("/parks/{a}/upload", WRITERS),
    ("/parks/{a}/submissions", WRITERS),
    ("/parks/{a}/publish", WRITERS),
    ("/parks/{a}/years/2018/download/dataset.yaml", STAFF),
    ("/parks/{b}", READERS),
    ("/parks/{b}/years/2018", READERS),
    ("/parks/{b}/years/2018/indicators/1", READERS),
    ("/parks/{b}/upload", frozenset({"admin"})),
    ("/enterprises/{ea}", ALL),
    ("/enterprises/{eb}", READERS),
    ("/review", READERS),
    ("/review/verify", READERS),
    ("/admin", frozenset({"admin"})),
    ("/public", ALL),
]


def _path(template: str, world: World) -> str:
    return template.format(a=world.park_a, b=world.park_b, ea=world.enterprise_a,
                           eb=world.enterprise_b)


@pytest.mark.parametrize("user", USERS)
def test_every_page_for_every_role(client: TestClient, world: World, user: str) -> None:
    sign_in(client, world, user)
    for template, allowed in PAGES:
        reply = client.get(_path(template, world), follow_redirects=False)
        if user in allowed:
            assert reply.status_code == 200, (user, template, reply.text[:500])
        else:
            assert reply.status_code == 403, (user, template, reply.status_code)
            assert reply.headers["content-type"].startswith("text/html")
            assert "403" in reply.text and "location" not in reply.headers
        if user in ("officer-a", "ent-a"):
            for secret in (PARK_B, ENTERPRISE_B, B_MARKER):
                assert secret not in reply.text, (user, template, secret)


def test_an_enterprise_gets_a_403_page_for_another_enterprise(client: TestClient,
                                                             world: World) -> None:
    sign_in(client, world, "ent-a")
    reply = client.get(f"/enterprises/{world.enterprise_b}", follow_redirects=False)
    assert reply.status_code == 403 and "无权访问" in reply.text
    assert "返回我的首页" in reply.text and 'href="/"' in reply.text


def test_missing_things_are_404_pages(client: TestClient, world: World) -> None:
    sign_in(client, world, "admin")
    for path in ("/parks/999999", "/parks/999999/years/2018", f"/parks/{world.park_a}/years/2031",
                 f"/parks/{world.park_a}/years/2018/indicators/99", "/nowhere",
                 "/parks/abc", f"/parks/{world.park_a}/years/2018/edit/nonsense",
                 f"/parks/{world.park_a}/years/2018/choices",  # HJ 274 leaves no choices
                 f"/parks/{world.park_a}/years/2018/inventory"):  # nor an inventory
        reply = client.get(path)
        assert reply.status_code == 404, path
        assert reply.headers["content-type"].startswith("text/html") and "404" in reply.text


def test_the_api_keeps_json_errors(client: TestClient, world: World) -> None:
    reply = client.get("/api/v1/nowhere")
    assert reply.status_code == 404 and reply.json()["error"]["type"] == "NotFound"
    assert client.get("/api/v1/parks").status_code == 401


def test_a_write_refused_to_the_reviewer_is_a_403_page(client: TestClient, world: World) -> None:
    sign_in(client, world, "reviewer")
    page = client.get(f"/parks/{world.park_a}/years/2018")
    assert "填报数据" not in page.text  # no edit links for a read-only role
    from .pages import token
    reply = client.post(f"/parks/{world.park_a}/years/2018/edit/environment",
                        data={"csrf_token": token(page.text)})
    assert reply.status_code == 403
