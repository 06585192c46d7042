"""What an operator sees of the running server: one log line per request and the Prometheus
metrics (`ecopark.metrics`) at /metrics.

Logs: `configure_logging("json")` writes JSON lines (one object per record: time, level, logger,
message, and for requests request_id, method, route, path, status, ms, client, pid);
"text" writes the same as readable text. A request's id is the client's `X-Request-ID` when
ECOPARK_TRUST_REQUEST_ID is on (a proxy in front sets it) and it is short and plain (letters,
digits, `.`, `_`, `-`; at most 64), else a new one; either way it is echoed in the response's
`X-Request-ID`. Never logged: the query string, headers, cookies, bodies.

/metrics is not public: it answers the addresses in ECOPARK_METRICS_ALLOW (default: this host's
loopback) and requests carrying `Authorization: Bearer <ECOPARK_METRICS_TOKEN>` (when one is
set); anyone else gets 404, as if there were nothing there.
"""

from __future__ import annotations

import datetime as dt
import hmac
import ipaddress
import json
import logging
import os
import re
import sys
import time
import uuid
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ecopark import metrics
from ecopark.web.deps import client_ip, settings_of

__all__ = ["RequestLog", "configure_logging", "router"]

_log = logging.getLogger("ecopark.request")
_PLAIN_ID = re.compile(rb"[A-Za-z0-9._\-]{1,64}")
_EXTRA = ("request_id", "method", "route", "path", "status", "ms", "client", "pid")

router = APIRouter(include_in_schema=False)


class _Json(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"),
            "level": record.levelname.lower(), "logger": record.name,
            "message": record.getMessage()}
        line.update({k: getattr(record, k) for k in _EXTRA if hasattr(record, k)})
        line.setdefault("pid", record.process)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


class _Text(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s [%(process)d] %(message)s")


def configure_logging(log_format: str, level: int = logging.INFO) -> None:
    """Send the root logger's records (ecopark's and uvicorn's) to stderr, one per line."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Json() if log_format == "json" else _Text())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").disabled = True  # our request line replaces it
    for name in ("httpx", "httpx2", "httpcore"):  # their info lines carry whole URLs
        logging.getLogger(name).setLevel(logging.WARNING)


def _request_id(scope: Scope, trusted: bool) -> str:
    if trusted:
        for name, value in scope.get("headers", []):
            if name == b"x-request-id" and _PLAIN_ID.fullmatch(value):
                return str(value.decode())
    return uuid.uuid4().hex


def _route(scope: Scope) -> str:
    """The template of the route that answered: the route's own path under the prefix of the
    router that included it (the app's prefixes hold no parameters: /api/v1)."""
    route = scope.get("route")
    template = getattr(route, "path", None)
    if not template:
        return "(unmatched)"
    pattern = getattr(route, "path_regex", None)
    path = str(scope.get("path", ""))
    if pattern is None or pattern.match(path):
        return str(template)
    for cut in (i for i, c in enumerate(path) if c == "/" and i):
        if pattern.match(path[cut:]):
            return path[:cut] + str(template)
    return str(template)


class RequestLog:
    """Time every HTTP request, count it, log it (one line, after its last byte) and give it its
    id; the id is kept in scope["state"]["request_id"] for the handlers."""

    def __init__(self, app: ASGIApp, trust_request_id: bool) -> None:
        self.app, self.trust = app, trust_request_id

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = _request_id(scope, self.trust)
        scope.setdefault("state", {})["request_id"] = request_id
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message["headers"] = [*message.get("headers", []),
                                      (b"x-request-id", request_id.encode())]
            await send(message)

        metrics.IN_FLIGHT.inc()
        try:
            await self.app(scope, receive, sending)
        finally:
            metrics.IN_FLIGHT.dec()
            seconds = time.perf_counter() - started
            method, route = str(scope.get("method", "")), _route(scope)
            metrics.REQUESTS.labels(method, route, str(status)).inc()
            metrics.LATENCY.labels(method, route).observe(seconds)
            client = scope.get("client")
            address = client[0] if client else None
            _log.info('%s "%s %s" %d %.1f ms', address or "-", method, scope.get("path", ""),
                      status, seconds * 1000,
                      extra={"request_id": request_id, "method": method, "route": route,
                             "path": scope.get("path", ""), "status": status,
                             "ms": round(seconds * 1000, 1), "client": address,
                             "pid": os.getpid()})


def _allowed(request: Request) -> bool:
    settings = settings_of(request)
    token = settings.metrics_token.get_secret_value()
    sent = request.headers.get("authorization", "")
    if token and hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    return any(address in network for network in settings.metrics_networks())


@router.get("/metrics")
def metrics_page(request: Request) -> Response:
    """Prometheus text format, for the addresses and the token allowed (else 404)."""
    if not _allowed(request):
        raise HTTPException(404)
    body, content_type = metrics.exposition()
    return Response(body, media_type=content_type)
