"""What every page route needs: the signed-in user from the session cookie (no cookie or an
expired session: the error handler sends the browser to the sign-in page), the form of a POST
with its CSRF token checked (session-bound: HMAC of the session cookie), and who may see what.

Pages answer 403 for what a role may not open (an enterprise asking for another enterprise's
page gets a 403 page, never a redirect), 404 for what does not exist.
"""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from ecopark.core.errors import AuthError, NotFound, PermissionDenied
from ecopark.core.text import check_text
from ecopark.store import auth, repository
from ecopark.store import models as m
from ecopark.store.kept import kept
from ecopark.store.permissions import Principal, can_read_park, can_write_park, deny
from ecopark.web.deps import COOKIE, Db, ReadDb, request_session, settings_of
from ecopark.web.turns import turn

__all__ = ["CSRF_FIELD", "CheckedForm", "Page", "RawForm", "ReadingViewer", "Viewer", "field",
           "in_one_thread", "readable_enterprise", "readable_park", "readable_year", "upload",
           "writable_park"]

CSRF_FIELD = "csrf_token"
_FORM_PART_BYTES = 16 * 1024 * 1024  # the signed preview of an upload travels in a form field


def _viewer(request: Request, session: Db) -> Principal:
    return _signed_in(request, session)


def _reading_viewer(request: Request, session: ReadDb) -> Principal:
    return _signed_in(request, session)


def _signed_in(request: Request, session: Session) -> Principal:
    cookie = request.cookies.get(COOKIE)
    if not cookie:
        raise AuthError("未登录 not signed in")
    who, request.state.unread = auth.session_with_unread(session, cookie)
    session.info["actor"] = who.name
    request.state.who = who
    back = kept(session, request.query_params.get("kept", ""))
    request.state.kept = {"action": back[0], "fields": back[1]} if back else None
    request.state.csrf = auth.csrf_token(settings_of(request).secret(), cookie)
    return who


Viewer = Annotated[Principal, Depends(_viewer)]
ReadingViewer = Annotated[Principal, Depends(_reading_viewer)]  # with ReadDb
Page = Callable[[Session, Principal], Response]


async def in_one_thread(request: Request, page: Page) -> Response:
    """A page's whole request — its transaction, the signed-in user, the page — in one worker
    thread. With `Db` and `Viewer` as dependencies of a sync route FastAPI hands the request
    between the event loop and the thread pool four times (open, viewer, page, commit); under
    20 concurrent clients those hand-offs (thread wake-ups, GIL switches) cost about as much CPU
    as the page's own work. Unlike dependencies, the user is looked up after FastAPI has
    checked the address, so a malformed one is a 404 page even before signing in."""
    async with turn(request):
        return await run_in_threadpool(_in_session, request, page)


def _in_session(request: Request, page: Page) -> Response:
    with request_session(request) as session:
        return page(session, _signed_in(request, session))


async def _checked_form(request: Request) -> AsyncIterator[FormData]:
    form = await request.form(max_part_size=_FORM_PART_BYTES)
    try:
        cookie = request.cookies.get(COOKIE, "")
        request.state.typed = _typed(form)  # kept if the session turns out to have expired
        if not cookie:
            raise AuthError("会话已过期，请重新登录 session expired; sign in again")
        expected = auth.csrf_token(settings_of(request).secret(), cookie) if cookie else ""
        given = form.get(CSRF_FIELD)
        if not expected or not isinstance(given, str) or not hmac.compare_digest(expected, given):
            raise PermissionDenied("-", "提交表单 submit a form",
                                   "表单已过期或来源不明，请刷新页面后重试 the form has expired or "
                                   "did not come from this site; reload the page and try again")
        yield form
    finally:
        await form.close()


CheckedForm = Annotated[FormData, Depends(_checked_form)]


def _typed(form: FormData) -> dict[str, str | list[str]]:
    """The text a person typed into a form (not its token, passwords or files), bounded; a
    name given more than once (ticked checkboxes, repeated rows) keeps all its values."""
    out: dict[str, str | list[str]] = {}
    for name, value in list(form.multi_items())[:500]:
        if not isinstance(value, str) or name == CSRF_FIELD or "password" in name:
            continue
        before = out.get(name)
        if before is None:
            out[name] = value[:20_000]
        else:
            out[name] = [*([before] if isinstance(before, str) else before), value[:20_000]]
    return out


async def _raw_form(request: Request) -> AsyncIterator[FormData]:
    """A small form without a session (sign-in): no files, few fields."""
    form = await request.form(max_files=0, max_fields=10)
    try:
        yield form
    finally:
        await form.close()


RawForm = Annotated[FormData, Depends(_raw_form)]


def field(form: FormData, name: str, limit: int = 10_000) -> str:
    """A text field of a form ('' when absent), trimmed and bounded; InvalidValue when it holds
    a control character (NUL, a bidirectional override …)."""
    value = form.get(name)
    return check_text(value.strip()[:limit], name) if isinstance(value, str) else ""


def upload(form: FormData, name: str = "file") -> UploadFile | None:
    value = form.get(name)
    if isinstance(value, UploadFile) and value.filename:
        return value
    return None


def readable_park(session: Session, who: Principal, park_id: int) -> m.Park:
    if who.role in ("park_officer", "enterprise") and not can_read_park(who, park_id):
        raise deny(who, "查看园区 open a park", f"park {park_id}")
    park = session.get(m.Park, park_id)
    if park is None:
        raise NotFound("园区 park", str(park_id))
    return park


def readable_year(session: Session, who: Principal, park_id: int,
                  year: int) -> tuple[m.Park, repository.YearHead]:
    """`readable_park` and the park-year's head, in one statement."""
    if who.role in ("park_officer", "enterprise") and not can_read_park(who, park_id):
        raise deny(who, "查看园区 open a park", f"park {park_id}")
    return repository.year_head(session, park_id, year)


def writable_park(session: Session, who: Principal, park_id: int, action: str) -> m.Park:
    park = readable_park(session, who, park_id)
    if not can_write_park(who, park.id):
        raise deny(who, action, f"park {park.id}")
    return park


def readable_enterprise(session: Session, who: Principal, enterprise_id: int) -> m.Enterprise:
    if who.role == "enterprise" and who.enterprise_id != enterprise_id:
        raise deny(who, "查看企业 open an enterprise", f"enterprise {enterprise_id}")
    enterprise = session.get(m.Enterprise, enterprise_id)
    if enterprise is None:
        raise NotFound("企业 enterprise", str(enterprise_id))
    if who.role == "park_officer" and enterprise.park_id != who.park_id:
        raise deny(who, "查看企业 open an enterprise", f"enterprise {enterprise_id}")
    return enterprise
