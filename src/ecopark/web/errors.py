"""One error shape for every failure, from one place:

    {"error": {"type": "DatasetError", "message_zh": "…", "message_en": "…", "fields": {…}}}

Domain errors (EcoparkError) carry their fields; invalid requests (bad JSON, wrong types, a
missing field) list each offending field under `fields.errors` and name the first in the message;
an unknown route, a wrong method or an oversized body use the same shape.

No answer names a place on the server: an unreachable database (whose URL is a file's path, and
whose driver's message may be another) is "the database is unavailable", a `file` field keeps
only the file's name, and any other exception (a bug) is a 500 with a generic message — the
details of both go to the server's log.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from ecopark import metrics
from ecopark.core.errors import (
    AuthError,
    Conflict,
    DatabaseBusy,
    EcoparkError,
    NotFound,
    PartialCoverage,
    PermissionDenied,
    PreconditionRequired,
    StaleWrite,
    StoreError,
    TooManyAttempts,
)
from ecopark.web.error_pages import is_page, page_error
from ecopark.web.headers import security_headers

__all__ = ["BodyTooLarge", "error_body", "handle", "install", "public", "status_of", "unexpected"]

_log = logging.getLogger("ecopark.web")

_STATUS: tuple[tuple[type[EcoparkError], int], ...] = (
    (NotFound, 404), (PermissionDenied, 403), (AuthError, 401), (TooManyAttempts, 429),
    (Conflict, 409), (PartialCoverage, 409), (StaleWrite, 412), (PreconditionRequired, 428),
    (StoreError, 503), (DatabaseBusy, 503))

_HTTP = {404: ("NotFound", "没有这个地址", "no such route"),
         405: ("MethodNotAllowed", "此地址不支持该方法", "method not allowed on this route")}
_INTERNAL = ("InternalError", "服务器内部错误，已记录；请稍后重试",
             "internal server error (logged); try again later")
_UNAVAILABLE = StoreError("暂时无法使用 unavailable", "请稍后重试 try again later")


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"请求体超过 {limit} 字节 the request body exceeds {limit} bytes")
        self.limit = limit


def status_of(error: EcoparkError) -> int:
    """Client errors are 4xx; only an unreachable or busy database is 503."""
    for cls, status in _STATUS:
        if isinstance(error, cls):
            return status
    return 422


def error_body(kind: str, zh: str, en: str, fields: dict[str, Any]) -> dict[str, Any]:
    return {"error": {"type": kind, "message_zh": zh, "message_en": en,
                      "fields": jsonable_encoder(fields)}}


def _fields(error: EcoparkError) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in error.fields().items():
        if isinstance(value, list):
            value = [v.fields() if isinstance(v, EcoparkError) else v for v in value]
        out[key] = value
    return out


def public(exc: EcoparkError) -> EcoparkError:
    """The error as the web shows it: a StoreError (not its subclass Conflict) is the generic
    "database unavailable", logged here in full; a `file` field keeps only the file's name."""
    if type(exc) is StoreError:
        _log.error("database unavailable: %s", exc)
        return _UNAVAILABLE
    return _names_only(exc)


def _names_only(exc: EcoparkError) -> EcoparkError:
    fields = exc.fields()
    changed = dict(fields)
    for key, value in fields.items():
        if key == "file" and isinstance(value, str):
            changed[key] = PurePath(value).name or value
        elif isinstance(value, list):
            changed[key] = [_names_only(v) if isinstance(v, EcoparkError) else v for v in value]
    return exc if changed == fields else type(exc)(**changed)


def _domain(exc: EcoparkError) -> tuple[int, dict[str, Any], Mapping[str, str] | None]:
    headers: dict[str, str] | None = None
    if isinstance(exc, TooManyAttempts | DatabaseBusy):
        headers = {"Retry-After": str(exc.retry_after)}
    if isinstance(exc, DatabaseBusy):
        metrics.DATABASE_BUSY.inc()
    if isinstance(exc, AuthError):
        headers = {"WWW-Authenticate": "Bearer"}
    body = error_body(type(exc).__name__, exc.message("zh"), exc.message("en"), _fields(exc))
    return status_of(exc), body, headers


def _invalid(exc: RequestValidationError) -> tuple[int, dict[str, Any], None]:
    errors = [{"field": ".".join(str(p) for p in e.get("loc", ())), "problem": str(e.get("msg")),
               "type": str(e.get("type"))} for e in exc.errors()]
    first = errors[0] if errors else {"field": "body", "problem": "invalid"}
    more = f" (+{len(errors) - 1})" if len(errors) > 1 else ""
    body = error_body("InvalidRequest", f"请求无效：{first['field']}：{first['problem']}{more}",
                      f"invalid request: {first['field']}: {first['problem']}{more}",
                      {"field": first["field"], "errors": errors})
    return 422, body, None


def _http(exc: HTTPException, path: str) -> tuple[int, dict[str, Any], Mapping[str, str] | None]:
    if isinstance(exc, BodyTooLarge):
        kind, zh, en = "BodyTooLarge", str(exc.detail), str(exc.detail)
    else:
        kind, zh, en = _HTTP.get(exc.status_code, ("HTTPError", str(exc.detail), str(exc.detail)))
    return exc.status_code, error_body(kind, zh, en, {"path": path}), exc.headers


async def handle(request: Request, exc: Exception) -> Response:
    """The one exception handler: every error becomes the one shape (JSON for the API, an
    HTML page in the user's language for the web pages: `ecopark.web.error_pages`)."""
    if isinstance(exc, EcoparkError):
        exc = public(exc)
        status, body, headers = _domain(exc)
    elif isinstance(exc, RequestValidationError):
        status, body, headers = _invalid(exc)
    elif isinstance(exc, HTTPException):
        status, body, headers = _http(exc, request.url.path)
    else:  # pragma: no cover - registered for the three classes above only
        raise exc
    if is_page(request.url.path):
        page = page_error(request, exc, status)
        if headers and "Retry-After" in headers:
            page.headers["Retry-After"] = headers["Retry-After"]
        return page
    return JSONResponse(body, status_code=status, headers=headers)


async def unexpected(request: Request, exc: Exception) -> Response:
    """Any other exception: 500 with a generic message (a page or the JSON shape). Its
    traceback is logged by the server, to which the exception goes on; this answer is sent
    outside the middleware, so it carries the security headers itself."""
    _log.error("500 on %s %s: %s", request.method, request.url.path, type(exc).__name__)
    if is_page(request.url.path):
        response = page_error(request, exc, 500)
    else:
        response = JSONResponse(error_body(*_INTERNAL, {}), status_code=500)
    for name, value in security_headers(request.url.path, request.url.scheme == "https"):
        response.headers[name.decode()] = value.decode()
    return response


def install(app: FastAPI) -> None:
    for kind in (EcoparkError, RequestValidationError, HTTPException):
        app.add_exception_handler(kind, handle)
    app.add_exception_handler(Exception, unexpected)
