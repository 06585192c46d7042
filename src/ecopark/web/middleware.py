"""Two ASGI middlewares: a request body size limit and security headers on every response
(API, pages, static files and the API docs each with their Content-Security-Policy)."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ecopark.web.errors import BodyTooLarge, error_body

__all__ = ["BodyLimit", "SecurityHeaders"]

_API_CSP = "default-src 'none'; frame-ancestors 'none'"
# pages: scripts and styles from this site only (no inline scripts, no CDN), forms post here
_PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
             "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
             "form-action 'self'; frame-ancestors 'none'")
# the API docs (Swagger UI served from this site by `ecopark.web.api_docs`): as strict. Swagger
# UI sets style properties from its scripts (CSSOM), which a CSP does not govern, and injects no
# <style> element, so no 'unsafe-inline' (checked in Chromium: tests/browser/test_api_docs.py);
# its icons are data: images; "Try it out" fetches from this site.
_DOCS_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
             "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
             "frame-ancestors 'none'")


class BodyLimit:
    """Refuse bodies over `limit` bytes with 413: at once when Content-Length says so, else as
    soon as the streamed body passes the limit (the route then sees BodyTooLarge)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.limit:
            await _too_large(send, self.limit)
            return
        await self.app(scope, self._counting(receive), send)

    def _counting(self, receive: Receive) -> Receive:
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise BodyTooLarge(self.limit)
            return message

        return counted


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _too_large(send: Send, limit: int) -> None:
    problem = f"请求体超过 {limit} 字节 the request body exceeds {limit} bytes"
    body = json.dumps(error_body("BodyTooLarge", problem, problem, {"limit": limit}),
                      ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": 413, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"), *_headers("api", False)]})
    await send({"type": "http.response.body", "body": body})


_CSP = {"api": _API_CSP, "docs": _DOCS_CSP, "page": _PAGE_CSP, "static": _PAGE_CSP}


def _kind(path: str) -> str:
    if path == "/docs":
        return "docs"
    if path.startswith(("/api/", "/openapi.json")):
        return "api"
    return "static" if path.startswith("/static/") else "page"


def _headers(kind: str, https: bool) -> list[tuple[bytes, bytes]]:
    out = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
           (b"referrer-policy", b"same-origin"), (b"cross-origin-opener-policy", b"same-origin"),
           (b"content-security-policy", _CSP[kind].encode())]
    if kind in ("api", "page"):
        out.append((b"cache-control", b"no-store"))
    if https:
        out.append((b"strict-transport-security", b"max-age=31536000"))
    return out


class SecurityHeaders:
    """nosniff, no framing, a strict CSP (own scripts and styles only, nothing inline, nothing
    from another site), no-store for the API and the pages, and HSTS under https."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = _headers(_kind(str(scope.get("path", ""))), scope.get("scheme") == "https")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                headers: list[Any] = list(message.get("headers", []))
                headers += [(k, v) for k, v in extra if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
