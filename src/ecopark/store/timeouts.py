"""How long ecopark waits for the database, and what it says when it could not wait longer.

Two limits, both from the settings (`ECOPARK_DB_WAIT_SECONDS`, `ECOPARK_STATEMENT_TIMEOUT_SECONDS`):

- **wait**: connecting, taking a pooled connection, and waiting for another writer's lock
  (SQLite `busy_timeout`; PostgreSQL `connect_timeout` and `lock_timeout`);
- **statement**: one statement's run time (PostgreSQL `statement_timeout`; SQLite a progress
  handler that interrupts the statement once its deadline has passed). A frozen network path to
  PostgreSQL is cut by TCP keepalives and `tcp_user_timeout`, so no request hangs on a socket.

Running out of either is `DatabaseBusy` (HTTP 503 with Retry-After), never a hang or a
traceback.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

__all__ = ["FOR_COMMANDS", "Timeouts", "is_busy", "postgres_connect_args", "watch_sqlite_statements"]

# SQLite calls the progress handler every this many virtual-machine instructions (about 0.1 ms)
_PROGRESS_STEPS = 20_000
# PostgreSQL error classes that mean "ran out of time": query_canceled, lock_not_available
_PG_TIMEOUT_STATES = frozenset({"57014", "55P03"})
_SQLITE_BUSY_WORDS = ("database is locked", "database is busy", "interrupted")


@dataclasses.dataclass(frozen=True)
class Timeouts:
    """Seconds to wait for the database (connect, pool, locks) and for one statement."""

    wait: float = 5.0
    statement: float = 30.0

    @property
    def wait_ms(self) -> int:
        return max(1, int(self.wait * 1000))

    @property
    def statement_ms(self) -> int:
        return max(1, int(self.statement * 1000))


def postgres_connect_args(timeouts: Timeouts, given: Mapping[str, Any]) -> dict[str, Any]:
    """libpq parameters: a bounded connect, server-side statement and lock timeouts, and a
    dead peer noticed within seconds (keepalives; unacknowledged data dropped after the
    statement timeout). What the URL `given` sets stays; its `options` are kept and extended."""
    ours = f"-c statement_timeout={timeouts.statement_ms} -c lock_timeout={timeouts.wait_ms}"
    arguments: dict[str, Any] = {
        "connect_timeout": max(2, round(timeouts.wait)), "keepalives": 1, "keepalives_idle": 5,
        "keepalives_interval": 2, "keepalives_count": 3, "tcp_user_timeout": timeouts.statement_ms}
    arguments = {key: value for key, value in arguments.items() if key not in given}
    arguments["options"] = f"{given.get('options', '')} {ours}".strip()
    return arguments


class _Deadline:
    """One SQLite connection's statement deadline, checked by its progress handler."""

    def __init__(self, seconds: float) -> None:
        self.seconds, self.until = seconds, float("inf")

    def start(self) -> None:
        self.until = time.monotonic() + self.seconds

    def passed(self) -> int:
        return int(time.monotonic() > self.until)  # non-zero interrupts the statement


def watch_sqlite_statements(dbapi_connection: Any, timeouts: Timeouts) -> _Deadline:
    """Interrupt any statement on this connection that runs past the statement timeout; the
    caller starts the clock before each statement."""
    deadline = _Deadline(timeouts.statement)
    dbapi_connection.set_progress_handler(deadline.passed, _PROGRESS_STEPS)
    return deadline


def is_busy(error: BaseException) -> bool:
    """Did the database run out of time (a lock not granted in time, a statement cut off, no
    pooled connection free), as opposed to being unreachable or refusing the data?"""
    if isinstance(error, PoolTimeout):
        return True
    if not isinstance(error, DBAPIError):
        return False
    state = getattr(error.orig, "sqlstate", None)
    if state in _PG_TIMEOUT_STATES:
        return True
    return any(word in str(error.orig).lower() for word in _SQLITE_BUSY_WORDS)


# A command run by an operator (load, restore, backup) may wait longer for a lock than a web
# request, and its bulk statements may run long.
FOR_COMMANDS = Timeouts(wait=30.0, statement=3600.0)
