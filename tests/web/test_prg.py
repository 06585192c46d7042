"""Post/redirect/get: every page route that takes a POST answers a successful submission with
303 (so back and reload never post it again). The test walks the app's routes and fails for a
POST page route it has no submission for; each is submitted as its own page's form stands
(or with the smallest valid values) by a user who may."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response

from ecopark.store import models as m
from ecopark.store import repository, transitions
from ecopark.store.permissions import Principal

from ..dbfixtures import World
from .pages import csrf_of, sign_in
from .test_pages_sections import YEAR, zc

__all__ = ["zc"]  # the zero-carbon demo park: the pages of its extra sections

WORKBOOK = Path(__file__).resolve().parents[1] / "data" / "workbooks" / "tiny-park.xlsx"
PRINTED = Path(__file__).resolve().parents[1] / "data" / "wujin-2018-table.docx"
DATASET = Path(__file__).resolve().parents[2] / "examples" / "wujin-2018" / "dataset.yaml"
# renders its findings on the POST: the reviewer's verification (issue 15 part 2 saves it
# with the park-year and redirects; it is reworked there)
NOT_YET: set[str] = set()


def page_posts(app: FastAPI) -> set[str]:
    """The paths of the page routes (not the API) that take a POST."""
    def walk(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, set[str]]]:
        for route in routes:
            inner = getattr(route, "original_router", None)
            if inner is not None:
                yield from walk(inner.routes, prefix + (route.include_context.prefix or ""))
            else:
                yield prefix + getattr(route, "path", ""), getattr(route, "methods", None) or set()
    return {path for path, methods in walk(app.routes)
            if "POST" in methods and not path.startswith("/api/")}


def form_of(html: str, action: str, page: str = "") -> dict[str, Any]:
    """The fields the page's form posting to `action` submits as it stands (a form without
    an action posts to its `page`)."""
    fields: dict[str, Any] = {}

    class Reader(HTMLParser):
        inside = False
        select: str | None = None
        textarea: str | None = None

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            a = {k: v or "" for k, v in attrs}
            if tag == "form":
                self.inside = a.get("action", page) == action
            if not self.inside or not a.get("name"):
                if tag == "option" and self.inside and self.select and (
                        "selected" in a or self.select not in fields):
                    fields[self.select] = a.get("value", "")
                return
            name = a["name"]
            if tag == "input" and a.get("type") not in ("checkbox", "radio", "file"):
                fields[name] = a.get("value", "")
            elif tag == "input" and a.get("type") in ("checkbox", "radio") and "checked" in a:
                if a.get("type") == "checkbox" and name in fields:
                    previous = fields[name]
                    fields[name] = [*(previous if isinstance(previous, list) else [previous]),
                                    a.get("value", "on")]
                else:
                    fields[name] = a.get("value", "on")
            elif tag == "select":
                self.select = name
            elif tag == "textarea":
                self.textarea = name
                fields[name] = ""

        def handle_endtag(self, tag: str) -> None:
            if tag == "form":
                self.inside = False
            elif tag == "select":
                self.select = None
            elif tag == "textarea":
                self.textarea = None

        def handle_data(self, data: str) -> None:
            if self.textarea:
                fields[self.textarea] += data

    Reader().feed(html)
    assert fields, f"no form posting to {action}"
    return fields


def _as_is(user: str, page: str, action: str, **extra: Any) -> Callable[[TestClient, World],
                                                                          Response]:
    def post(client: TestClient, world: World) -> Response:
        sign_in(client, world, user)
        fields = form_of(client.get(page.format(w=world)).text, action.format(w=world),
                         page.format(w=world))
        return client.post(action.format(w=world), data={**fields, **extra},
                           follow_redirects=False)
    return post


def _with(user: str, action: str, page: str = "/notifications",
          **data: Any) -> Callable[[TestClient, World], Response]:
    def post(client: TestClient, world: World) -> Response:
        sign_in(client, world, user)
        return client.post(action.format(w=world), data={
            "csrf_token": csrf_of(client, page.format(w=world)), **data}, follow_redirects=False)
    return post


def _login(client: TestClient, world: World) -> Response:
    client.cookies.clear()
    page = client.get("/login").text
    return client.post("/login", data={**form_of(page, "/login"), "name": "admin",
                                       "password": world.passwords["admin"]},
                       follow_redirects=False)


def _upload(client: TestClient, world: World) -> Response:
    sign_in(client, world, "officer-a")
    with WORKBOOK.open("rb") as handle:
        return client.post(f"/parks/{world.park_a}/upload", data={
            "csrf_token": csrf_of(client, f"/parks/{world.park_a}/upload")},
            files={"file": ("tiny-park.xlsx", handle)}, follow_redirects=False)


def _confirm(client: TestClient, world: World) -> Response:
    preview = _upload(client, world).headers["location"]
    action = f"/parks/{world.park_a}/upload/confirm"
    return client.post(action, data=form_of(client.get(preview).text, action),
                       follow_redirects=False)


def _campaign(client: TestClient, world: World) -> Response:
    return _with("officer-a", "/parks/{w.park_a}/campaigns", year="2018",
                 deadline="2019-03-31")(client, world)


def _remind(client: TestClient, world: World) -> Response:  # the campaign opened above
    return _with("officer-a", "/parks/{w.park_a}/campaigns/2018/remind")(client, world)


def _read_one(client: TestClient, world: World) -> Response:  # the campaign's notification
    sign_in(client, world, "ent-a")
    html = client.get("/notifications").text
    action = html.split('action="/notifications/', 1)[1].split('"', 1)[0]
    return client.post(f"/notifications/{action}", data=form_of(html, f"/notifications/{action}"),
                       follow_redirects=False)


def _enterprise_upload(client: TestClient, world: World) -> Response:
    assert _with("ent-b", "/enterprises/{w.enterprise_b}/submissions/2018/withdraw")(
        client, world).status_code == 303
    with WORKBOOK.open("rb") as handle:
        return client.post(f"/enterprises/{world.enterprise_b}/submissions/2018/upload", data={
            "csrf_token": csrf_of(client, "/notifications")},
            files={"file": ("tiny-park.xlsx", handle)}, follow_redirects=False)


def _files(user: str, action: str, file: Path) -> Callable[[TestClient, World], Response]:
    """A batch upload (printed tables, dataset files): one file in the multi-file field."""
    def post(client: TestClient, world: World) -> Response:
        sign_in(client, world, user)
        return client.post(action, data={"csrf_token": csrf_of(client, action)},
                           files=[("files", (file.name, file.read_bytes()))],
                           follow_redirects=False)
    return post


def _printed_verify(client: TestClient, world: World) -> Response:
    sign_in(client, world, "reviewer")
    return client.post("/review/verify", data={"csrf_token": csrf_of(client, "/review/verify")},
                       files={"file": (PRINTED.name, PRINTED.read_bytes())},
                       follow_redirects=False)


def _printed(client: TestClient, world: World) -> Response:
    sign_in(client, world, "reviewer")
    page = f"/parks/{world.park_a}/years/2018/review"
    return client.post(f"/parks/{world.park_a}/years/2018/printed",
                       data={"csrf_token": csrf_of(client, page)},
                       files={"file": (PRINTED.name, PRINTED.read_bytes())}, follow_redirects=False)


def _submit_draft(client: TestClient, world: World) -> Response:
    assert _with("ent-a", "/enterprises/{w.enterprise_a}/submissions/2018/withdraw")(
        client, world).status_code == 303
    return _with("ent-a", "/enterprises/{w.enterprise_a}/submissions/2018/submit")(client, world)


def _accept(client: TestClient, world: World) -> Response:
    assert _with("ent-a", "/enterprises/{w.enterprise_a}/submissions/2018/submit")(
        client, world).status_code == 303  # withdrawn above: submitted again
    return _as_is("officer-a", "/parks/{w.park_a}/submissions",
                  "/parks/{w.park_a}/submissions/1/accept")(client, world)


def _reject(client: TestClient, world: World) -> Response:
    assert _with("ent-b", "/enterprises/{w.enterprise_b}/submissions/2018/submit")(
        client, world).status_code == 303  # the draft read from the workbook above
    return _with("officer-b", "/parks/{w.park_b}/submissions/2/reject", reason="单位有误")(
        client, world)


def _edition_report(client: TestClient, world: World) -> Response:
    """The submitted year taken and approved (the reviewer's sign-in was switched off above:
    the moves made in the store), then its edition's report asked for."""
    reviewer = Principal(0, "reviewer", "reviewer")
    with world.store.session(actor="reviewer") as session:
        park_year = repository.get_park_year(session, session.get(m.Park, world.park_a), 2018)
        for action in ("take", "approve"):
            transitions.transition(session, park_year, action, reviewer)
    return _as_is("officer-a", "/parks/{w.park_a}/years/2018/review",
                  "/parks/{w.park_a}/years/2018/editions/1/report", format="docx")(client, world)


SUBMISSIONS: dict[str, Callable[[TestClient, World], Response]] = {
    "/login": _login,
    "/logout": _with("admin", "/logout"),
    "/review/batch": _files("reviewer", "/review/batch", PRINTED),  # before passwords change
    "/review/verify": _printed_verify,
    "/admin/import": _files("admin", "/admin/import", DATASET),
    "/parks/{park_id}/years/{year}/comments": _with(
        "reviewer", "/parks/{w.park_a}/years/2018/comments", indicator="26", text="请核实。"),
    "/parks/{park_id}/years/{year}/comments/{comment_id}/resolve": _with(
        "reviewer", "/parks/{w.park_a}/years/2018/comments/1/resolve", resolved="yes"),
    "/parks/{park_id}/years/{year}/printed": _printed,
    "/parks/{park_id}/years/{year}/edit/{category}": _as_is(
        "officer-a", "/parks/{w.park_a}/years/2018/edit/environment",
        "/parks/{w.park_a}/years/2018/edit/environment"),
    "/parks/{park_id}/upload": _upload,
    "/parks/{park_id}/upload/confirm": _confirm,
    "/parks/{park_id}/years/{year}/choices": _as_is(
        "officer-z", f"/parks/{{w.zc}}/years/{YEAR}/choices",
        f"/parks/{{w.zc}}/years/{YEAR}/choices"),
    "/parks/{park_id}/years/{year}/inventory": _as_is(
        "officer-z", f"/parks/{{w.zc}}/years/{YEAR}/inventory",
        f"/parks/{{w.zc}}/years/{YEAR}/inventory"),
    "/parks/{park_id}/years/{year}/profile": _as_is(
        "officer-a", "/parks/{w.park_a}/years/2018/profile", "/parks/{w.park_a}/years/2018/profile"),
    "/parks/{park_id}/years/{year}/reports": _with(
        "officer-a", "/parks/{w.park_a}/years/2018/reports", format="docx"),
    "/enterprises/{enterprise_id}/submissions/{year}": _with(
        "ent-a", "/enterprises/{w.enterprise_a}/submissions/2019", **{"v:energy": "12.5"}),
    "/enterprises/{enterprise_id}/submissions/{year}/upload": _enterprise_upload,
    "/enterprises/{enterprise_id}/submissions/{year}/submit": _submit_draft,
    "/enterprises/{enterprise_id}/submissions/{year}/withdraw": _with(
        "ent-a", "/enterprises/{w.enterprise_a}/submissions/2018/withdraw"),
    "/enterprises/{enterprise_id}/disclosure": _with(
        "ent-a", "/enterprises/{w.enterprise_a}/disclosure", disclosure="达标排放"),
    "/parks/{park_id}/submissions/{submission_id}/accept": _accept,
    "/parks/{park_id}/submissions/{submission_id}/reject": _reject,
    "/admin/users": _with("admin", "/admin/users", name="new-user", role="reviewer",
                          password="a-long-enough-password", email="new@example.cn"),
    "/admin/users/{user_id}/email": _with("admin", "/admin/users/2/email",
                                          email="officer@example.cn"),
    "/admin/users/{user_id}/active": _with("admin", "/admin/users/4/active", active="0"),
    "/admin/users/{user_id}/password": _with("admin", "/admin/users/4/password",
                                             password="another-long-password"),
    "/admin/tokens/{token_id}/revoke": _with("admin", "/admin/tokens/1/revoke"),
    "/admin/parks": _with("admin", "/admin/parks", park_name="新园区"),
    "/admin/enterprises": _with("admin", "/admin/enterprises", enterprise_park="1",
                                  enterprise_name="新企业"),
    "/parks/{park_id}/publish": _with("officer-a", "/parks/{w.park_a}/publish",
                                      publish_table="on"),
    "/parks/{park_id}/new-year": _as_is("officer-a", "/parks/{w.park_a}/new-year",
                                        "/parks/{w.park_a}/new-year"),
    "/parks/{park_id}/campaigns": _campaign,
    "/parks/{park_id}/campaigns/{year}/remind": _remind,
    "/notifications/{notification_id}/read": _read_one,
    "/notifications/read": _with("ent-a", "/notifications/read"),
    # submitting last: a submitted year refuses the edits above
    "/parks/{park_id}/years/{year}/transitions": _as_is(
        "officer-a", "/parks/{w.park_a}/years/2018/review",
        "/parks/{w.park_a}/years/2018/transitions"),  # the officer's one move: submit
    "/parks/{park_id}/years/{year}/editions/{number}/report": _edition_report,
}


def test_every_post_page_route_is_known(client: TestClient) -> None:
    routes = page_posts(client.app)  # type: ignore[arg-type]
    assert routes - NOT_YET == set(SUBMISSIONS), "a POST page route without a PRG test"


def test_every_post_page_route_answers_303(client: TestClient, world: World, zc: int) -> None:
    world.zc = zc  # type: ignore[attr-defined]
    for path, post in SUBMISSIONS.items():
        reply = post(client, world)
        assert reply.status_code == 303, (path, reply.status_code, reply.text[:2000])
