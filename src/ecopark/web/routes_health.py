"""Health endpoints for a container engine, an orchestrator or a load balancer; no sign-in,
no CSRF (they change nothing), the security headers of every response.

- `GET /healthz`: the process is up and answering. Touches nothing else, the database least of
  all, so a slow database never gets a healthy server restarted. 200 `{"status": "ok"}`.
- `GET /readyz`: the server can do its work: every readiness check passes within `LIMIT`
  seconds. 200 `{"status": "ok", "checks": {"database": "ok", "queue": "ok"}}`; otherwise 503
  with `"status": "unavailable"` and, for each part (`database`, `queue`), `"ok"`,
  `"unavailable"` (it answered with an error, or could not be reached) or `"timeout"` (no answer
  within the limit).

The answers name the parts but never a place on the server (host, file, driver message): the
details go to the server's log.

A readiness check is a `Readiness(name, probe)` in `CHECKS`: `probe(app)` runs in a worker
thread and raises when its part is not ready.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable

import anyio
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse

__all__ = ["CHECKS", "LIMIT", "Readiness", "router"]

LIMIT = 2.0  # seconds each readiness check may take: well inside a probe's usual 5 s timeout

_log = logging.getLogger("ecopark.web")

router = APIRouter(include_in_schema=False)


@dataclasses.dataclass(frozen=True)
class Readiness:
    """One part the server needs: its name in /readyz's answer, and how to try it."""

    name: str
    probe: Callable[[FastAPI], object]  # raises when the part is not ready


def _database(app: FastAPI) -> None:
    """The app's own store answers a trivial query."""
    with app.state.store.connect() as connection:
        connection.exec_driver_sql("SELECT 1").scalar_one()


def _queue(app: FastAPI) -> None:
    """The job queue's storage answers (`JobQueue.probe`): huey's tables on PostgreSQL, its
    SQLite file beside the database's otherwise."""
    app.state.jobs.probe()


CHECKS: tuple[Readiness, ...] = (Readiness("database", _database), Readiness("queue", _queue))


@router.api_route("/healthz", methods=["GET", "HEAD"])
def healthz() -> JSONResponse:
    """Up and answering."""
    return JSONResponse({"status": "ok"})


@router.api_route("/readyz", methods=["GET", "HEAD"])
async def readyz(request: Request) -> JSONResponse:
    """Every readiness check, each within `LIMIT` seconds; 503 names those that failed."""
    results = {check.name: await _run(check, request.app) for check in CHECKS}
    ready = all(result == "ok" for result in results.values())
    return JSONResponse({"status": "ok" if ready else "unavailable", "checks": results},
                        status_code=200 if ready else 503)


async def _run(check: Readiness, app: FastAPI) -> str:
    """"ok", "timeout" or "unavailable". A probe still running at the limit is left to end in
    its thread (bounded by the database's own connect and statement timeouts)."""
    try:
        with anyio.fail_after(LIMIT):
            await anyio.to_thread.run_sync(check.probe, app, abandon_on_cancel=True)
    except TimeoutError:
        _log.warning("not ready: %s gave no answer within %g s", check.name, LIMIT)
        return "timeout"
    except Exception as exc:  # any failure of the part is "not ready", never a 500
        _log.warning("not ready: %s: %s", check.name, exc)
        return "unavailable"
    return "ok"
