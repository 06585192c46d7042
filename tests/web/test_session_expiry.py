"""A form saved after the session expired keeps what was typed: the sign-in page says so, and
after signing in the browser comes back to the form's page with the typed values (kept
server-side under a random token) ready to be put back into the form."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from ecopark.store import models as m

from ..dbfixtures import World
from .pages import csrf_of, sign_in, token


def _expired_save(client: TestClient, world: World, drop_cookie: bool) -> str:
    page = f"/enterprises/{world.enterprise_b}?year=2019"
    sign_in(client, world, "ent-b")
    csrf = csrf_of(client, page)
    if drop_cookie:  # the browser dropped the cookie when the session ended
        client.cookies.clear()
    else:  # the cookie is still sent, the session is over in the database
        with world.store.session(actor="t") as session:
            session.execute(update(m.SessionRow).values(expires_at=m.utcnow()))
    reply = client.post(f"/enterprises/{world.enterprise_b}/submissions/2019",
                        data={"csrf_token": csrf, "v:energy": "4321.5", "u:energy": "tce"},
                        headers={"Referer": f"http://testserver{page}"}, follow_redirects=False)
    assert reply.status_code == 303
    return reply.headers["location"]


def _back_after_sign_in(client: TestClient, world: World, location: str) -> str:
    query = parse_qs(urlsplit(location).query)
    assert urlsplit(location).path == "/login" and query["expired"] == ["1"]
    login = client.get(location)
    assert "会话已过期，请重新登录；您填写的内容已保留。" in login.text
    next_path = query["next"][0]
    assert next_path.startswith(f"/enterprises/{world.enterprise_b}?year=2019&kept=")
    reply = client.post("/login", data={"csrf_token": token(login.text), "name": "ent-b",
                                        "password": world.passwords["ent-b"], "next": next_path},
                        follow_redirects=False)
    assert (reply.status_code, reply.headers["location"]) == (303, next_path)
    return client.get(next_path).text


def _kept(html: str) -> dict[str, object]:
    found = re.search(r'<script type="application/json" id="kept-form">(.*?)</script>', html)
    assert found
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def test_a_save_without_the_cookie_keeps_the_typed_values(client: TestClient,
                                                          world: World) -> None:
    html = _back_after_sign_in(client, world, _expired_save(client, world, drop_cookie=True))
    assert _kept(html) == {"action": f"/enterprises/{world.enterprise_b}/submissions/2019",
                           "fields": {"v:energy": "4321.5", "u:energy": "tce"}}
    assert "重新登录前填写的内容已恢复到表单中" in html


def test_a_save_with_an_expired_session_keeps_the_typed_values(client: TestClient,
                                                               world: World) -> None:
    html = _back_after_sign_in(client, world, _expired_save(client, world, drop_cookie=False))
    assert _kept(html)["fields"] == {"v:energy": "4321.5", "u:energy": "tce"}


def test_a_kept_form_is_not_given_for_another_token(client: TestClient, world: World) -> None:
    sign_in(client, world, "ent-b")
    html = client.get(f"/enterprises/{world.enterprise_b}?year=2019&kept=forged").text
    assert 'id="kept-form"' not in html


def test_a_password_is_never_kept(client: TestClient, world: World) -> None:
    sign_in(client, world, "admin")
    csrf = csrf_of(client, "/admin")
    client.cookies.clear()
    reply = client.post(f"/admin/users/{world.users['ent-a']}/password",
                        data={"csrf_token": csrf, "password": "a-secret-new-password"},
                        headers={"Referer": "http://testserver/admin"}, follow_redirects=False)
    assert reply.status_code == 303 and "expired=1" in reply.headers["location"]
    with world.store.session(actor="t", write=False) as session:
        kept = [row.fields_json for row in session.scalars(select(m.KeptForm))]
    assert kept == ["{}"]


def test_ticked_boxes_are_all_kept(client: TestClient, world: World) -> None:
    """A name given more than once (the items ticked on the campaign form) keeps every value;
    a name given once stays one value."""
    page = f"/parks/{world.park_a}/campaigns"
    sign_in(client, world, "officer-a")
    csrf = csrf_of(client, page)
    client.cookies.clear()
    reply = client.post(page, data={"csrf_token": csrf, "year": "2018", "deadline": "2019-03-31",
                                    "items": ["energy", "gross_output"]},
                        headers={"Referer": f"http://testserver{page}"}, follow_redirects=False)
    assert reply.status_code == 303 and "expired=1" in reply.headers["location"]
    with world.store.session(actor="t", write=False) as session:
        kept = [json.loads(row.fields_json) for row in session.scalars(select(m.KeptForm))]
    assert kept == [{"year": "2018", "deadline": "2019-03-31",
                     "items": ["energy", "gross_output"]}]
