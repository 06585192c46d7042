"""Who runs when: reads in a few slots at a time, writes one at a time (on the embedded SQLite
store), each waiting for its turn in the event loop, first come first served, holding no thread
and no database connection while it waits.

Writes: SQLite has one write lock. A writer waiting for it inside a worker thread (the busy
timeout) holds that thread, and SQLite's busy handler polls with growing sleeps, so under load a
writer could wait seconds past others that came later — and with enough writers waiting, the
one holding the lock found no free thread for the rest of its request. So a request that writes
takes its turn here first; on PostgreSQL writers run concurrently (row locks) and take none.

Reads: a request runs in several hops between the event loop and the worker threads. With 50
readers in the threads at once, every hop of a writer that holds the write lock waited behind
them for a thread and for the interpreter lock, and the lock was held for seconds. Reads beyond
the slots (`ECOPARK_READ_SLOTS`) wait here instead, so the threads stay fewer and a writer's
hops quicker. Every write makes the park's evaluation stale, and recomputing it is most of the
CPU a busy park costs: more slots favour readers (fewer writes get through), fewer favour
writers; 16 balances them (figures in bench/README.md).

A turn not had within the wait limit is DatabaseBusy (503 with Retry-After).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request

from ecopark.core.errors import DatabaseBusy

__all__ = ["install", "turn"]

_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


def install(app: FastAPI, read_slots: int) -> None:
    """Give the app its lines; called in the app's lifespan, inside its event loop (an asyncio
    lock belongs to the loop that first waits on it)."""
    sqlite = app.state.store.dialect == "sqlite"
    app.state.write_line = asyncio.Lock() if sqlite else None
    app.state.read_line = asyncio.Semaphore(read_slots)


@asynccontextmanager
async def turn(request: Request) -> AsyncIterator[None]:
    """Wait for this request's turn (a read slot, or the one write turn)."""
    state = request.app.state
    reading = request.method in _SAFE
    line: asyncio.Lock | asyncio.Semaphore | None = getattr(
        state, "read_line" if reading else "write_line", None)
    if line is None:
        yield
        return
    wait = state.store.timeouts.wait
    try:
        await asyncio.wait_for(line.acquire(), timeout=wait)
    except TimeoutError:
        raise DatabaseBusy(f"{wait:g}", max(1, round(wait))) from None
    try:
        yield
    finally:
        line.release()
