"""Two ASGI middlewares: a request body size limit and the security headers
(`ecopark.web.headers`) on every response that passes through the app."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ecopark.web.errors import BodyTooLarge, error_body
from ecopark.web.headers import security_headers

__all__ = ["BodyLimit", "SecurityHeaders"]


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
        (b"connection", b"close"), *security_headers("/api/", https=False)]})
    await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """nosniff, no framing, a strict CSP (own scripts and styles only, nothing inline, nothing
    from another site), no-store for the API and the pages, and HSTS under https."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = security_headers(str(scope.get("path", "")), scope.get("scheme") == "https")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                headers: list[Any] = list(message.get("headers", []))
                headers += [(k, v) for k, v in extra if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
