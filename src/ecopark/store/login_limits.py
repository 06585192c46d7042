"""Login defence: failed sign-ins counted per account (whatever the address), per address
(across all user names: password spraying) and in all, each in a window of
`login_window_seconds` that starts at its first failure.

Every attempt is counted as a failure *before* its password is checked (`reserve`): one UPSERT
per counter (INSERT … ON CONFLICT DO UPDATE … RETURNING, a row lock on PostgreSQL, the write
lock on SQLite), so concurrent guesses are counted exactly and no more than the limit are ever
checked. When a counter is over its limit the transaction is rolled back (a refused attempt
counts nowhere) and TooManyAttempts is raised. A successful sign-in then gives its count back
and clears the account's counter (`finish`). The price of exact counting: more concurrent
sign-ins of one account than its limit (even right ones) are refused while they are in flight.

Both are short write transactions of their own (on SQLite BEGIN IMMEDIATE: they take the write
lock first, so they wait rather than fail), apart from the password check; when the database
stays busy past its wait limit they log a warning and let the sign-in go on, so bookkeeping
never makes a legitimate sign-in fail.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import math

from sqlalchemy import case, delete, literal, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ecopark.core.errors import DatabaseBusy, StoreError, TooManyAttempts
from ecopark.store import models as m
from ecopark.store.engine import Store
from ecopark.store.settings import Settings

__all__ = ["address_key", "finish", "reserve"]

_log = logging.getLogger(__name__)
_COUNTERS = m.Base.metadata.tables["login_counters"]
_IPV6_PREFIX = 64  # one IPv6 client usually holds a whole /64


def address_key(ip: str) -> str:
    """The counter key of an address: IPv4 as it is, IPv6 by its /64 network."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return f"ip:{ip[:100]}"
    if address.version == 6:
        return f"ip:{ipaddress.ip_network(f'{address}/{_IPV6_PREFIX}', strict=False)}"
    return f"ip:{address}"


def _limits(name: str, ip: str, settings: Settings) -> list[tuple[str, int]]:
    """The counters of an attempt with their limits, always in this order (no deadlocks)."""
    return [("global", settings.login_max_global),
            (address_key(ip), settings.login_max_per_address),
            (f"user:{name}", settings.login_max_failures)]


def reserve(store: Store, name: str, ip: str, settings: Settings) -> None:
    """Count an attempt as failed before checking it; TooManyAttempts when a limit is reached."""
    try:
        with store.session(actor=name) as session:
            _reserve(session, name, ip, settings)
    except (DatabaseBusy, StoreError) as exc:
        _log.warning("login bookkeeping skipped (database busy): %s", exc)


def _reserve(session: Session, name: str, ip: str, settings: Settings) -> None:
    now = m.utcnow()
    window = dt.timedelta(seconds=settings.login_window_seconds)
    for key, limit in _limits(name, ip, settings):
        failures, start = _bump(session, key, now, now - window)
        if failures > limit:  # raising rolls every counter of this attempt back
            retry = (start + window - now).total_seconds()
            raise TooManyAttempts(name, ip, max(1, math.ceil(retry)))


def _bump(session: Session, key: str, now: dt.datetime,
          since: dt.datetime) -> tuple[int, dt.datetime]:
    dialect = session.get_bind().dialect.name
    insert = (pg_insert if dialect == "postgresql" else sqlite_insert)(_COUNTERS)
    expired = _COUNTERS.c.window_start <= since
    statement = insert.values(key=key, failures=1, window_start=now).on_conflict_do_update(
        index_elements=[_COUNTERS.c.key],
        set_={"failures": case((expired, 1), else_=_COUNTERS.c.failures + 1),
              "window_start": case((expired, literal(now, m.UTCDateTime())),
                                   else_=_COUNTERS.c.window_start)},
    ).returning(_COUNTERS.c.failures, _COUNTERS.c.window_start)
    failures, start = session.execute(statement).one()
    return int(failures), start


def finish(store: Store, name: str, ip: str, ok: bool, settings: Settings) -> None:
    """Record the attempt; after a success give its count back and clear the account's."""
    try:
        with store.session(actor=name) as session:
            session.add(m.LoginAttempt(user_name=name, ip=ip[:64], succeeded=ok))
            if ok:
                _give_back(session, name, ip, settings)
            _forget_old(session, settings)
    except (DatabaseBusy, StoreError) as exc:
        _log.warning("login bookkeeping skipped (database busy): %s", exc)


def _give_back(session: Session, name: str, ip: str, settings: Settings) -> None:
    keys = [key for key, _ in _limits(name, ip, settings)]
    session.execute(delete(_COUNTERS).where(_COUNTERS.c.key == keys[-1]))
    session.execute(update(_COUNTERS).where(_COUNTERS.c.key.in_(keys[:-1]),
                                            _COUNTERS.c.failures > 0)
                    .values(failures=_COUNTERS.c.failures - 1))


def _forget_old(session: Session, settings: Settings) -> None:
    since = m.utcnow() - dt.timedelta(seconds=settings.login_window_seconds)
    session.execute(delete(_COUNTERS).where(_COUNTERS.c.window_start <= since))
