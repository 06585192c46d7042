"""Headers of the pages (a CSP without inline scripts, no framing, a referrer policy, no-store),
no inline script or style in any page, and escaping of whatever users typed."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from ecopark.store import models as m
from ecopark.store import submissions

from ..dbfixtures import World
from .pages import sign_in

PAGES = ["/parks", "/parks/{a}", "/parks/{a}/years/2018", "/parks/{a}/years/2018/indicators/26",
         "/parks/{a}/trends", "/parks/{a}/years/2018/edit/economy", "/parks/{a}/upload",
         "/parks/{a}/submissions", "/parks/{a}/publish", "/enterprises/{e}", "/review",
         "/review/verify", "/admin", "/public", "/login", "/nowhere"]


def _pages(client: TestClient, world: World) -> list[tuple[str, str, dict[str, str]]]:
    sign_in(client, world, "admin")
    out = []
    for template in PAGES:
        path = template.format(a=world.park_a, e=world.enterprise_a)
        reply = client.get(path)
        out.append((path, reply.text, dict(reply.headers)))
    return out


def test_pages_carry_the_security_headers(client: TestClient, world: World) -> None:
    for path, _, headers in _pages(client, world):
        csp = headers["content-security-policy"]
        script = re.search(r"script-src ([^;]+)", csp)
        assert script and script.group(1).strip() == "'self'", path
        assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "same-origin"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["cache-control"] == "no-store"


def test_no_page_has_an_inline_script_or_style(client: TestClient, world: World) -> None:
    for path, html, _ in _pages(client, world):
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag, (path, tag)
        assert not re.search(r"<script\b[^>]*>\s*[^<\s]", html), path
        assert " style=" not in html and "<style" not in html, path
        assert re.search(r"\son[a-z]+=", html) is None, path  # no inline event handlers


def test_static_files_are_served_and_cacheable(client: TestClient) -> None:
    css = client.get("/static/app.css")
    assert css.status_code == 200 and "no-store" not in css.headers.get("cache-control", "")
    assert client.get("/static/app.js").status_code == 200


def test_what_users_type_is_escaped(client: TestClient, world: World) -> None:
    evil = '<script>alert("x")</script>'
    with world.store.session(actor="t") as session:
        park = session.get(m.Park, world.park_a)
        assert park is not None
        enterprise = submissions.create_enterprise(session, park, evil)
        enterprise.disclosure = evil
        enterprise.key_enterprise = True
        park.publish_enterprises = True
    sign_in(client, world, "officer-a")
    for path in (f"/parks/{world.park_a}", f"/enterprises/{enterprise.id}",
                 f"/public/parks/{world.park_a}"):
        html = client.get(path).text
        assert evil not in html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    reply = client.get("/login?next=%22%3E%3Cscript%3E")
    assert "<script>" not in reply.text.replace('<script src="/static/app.js" defer></script>',
                                                "")
