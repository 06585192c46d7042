"""Profile: where one dashboard request's server time goes, in-process.

    .venv/bin/python bench/profile_dashboard.py [--requests 300] [--top 30] [--postgres URL]

A fresh SQLite demo database (or a fresh schema of `--postgres`, dropped at the end), made
by `store.demo.create_demo`, and the app (`create_app`); the
park officer signs in through the form; after 30 warm-up requests, `--requests` requests to
GET /parks/1/years/2018 go through httpx's ASGI transport in one event loop, with the
thread-pool hop made inline (so cProfile sees the whole request in one thread). Prints the
mean wall time per request without the profiler, then with it, and the `--top` functions by
cumulative time.
Asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import re
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import anyio.to_thread
import httpx
from fastapi import FastAPI
from starlette import concurrency

from ecopark.store.demo import create_demo
from ecopark.store.engine import Store
from ecopark.store.settings import Settings
from ecopark.web.app import create_app

sys.path.insert(0, str(Path(__file__).resolve().parent))
from store_load import pg_schema

PAGE = "/parks/1/years/2018"


async def _inline(func: Any, *args: Any, **kwargs: Any) -> Any:
    return func(*args, **kwargs)


def _no_thread_hops() -> None:
    concurrency.run_in_threadpool = _inline  # type: ignore[assignment]
    import fastapi.concurrency

    import ecopark.web.page_deps as page_deps
    fastapi.concurrency.run_in_threadpool = _inline  # type: ignore[assignment]
    page_deps.run_in_threadpool = _inline  # type: ignore[attr-defined]

    async def run_sync(func: Any, *args: Any, **_: Any) -> Any:
        return func(*args)
    anyio.to_thread.run_sync = run_sync  # type: ignore[assignment]


async def _signed_in(client: httpx.AsyncClient, name: str, password: str) -> None:
    form = (await client.get("/login")).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token is not None
    await client.post("/login", data={"csrf_token": token.group(1), "name": name,
                                      "password": password})


async def _timed(client: httpx.AsyncClient, requests: int) -> float:
    start = time.perf_counter()
    for _ in range(requests):
        assert (await client.get(PAGE)).status_code == 200
    return (time.perf_counter() - start) / requests * 1000


async def _measure(app: FastAPI, name: str, password: str, requests: int
                   ) -> tuple[float, float, cProfile.Profile]:
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), \
            httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        await _signed_in(client, name, password)
        await _timed(client, 30)
        plain = await _timed(client, requests)
        profile = cProfile.Profile()
        profile.enable()
        profiled = await _timed(client, requests)
        profile.disable()
    return plain, profiled, profile


@contextmanager
def _database(postgres: str | None) -> Iterator[str]:
    if postgres:
        with pg_schema(postgres) as url:
            yield url
        return
    with tempfile.TemporaryDirectory(prefix="ecopark-profile-") as tmp:
        yield f"sqlite:///{Path(tmp) / 'p.sqlite'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--postgres", help="a PostgreSQL database URL (a schema is made in it)")
    args = parser.parse_args()
    with _database(args.postgres) as url:
        settings = Settings(demo=True, database_url=url)
        store = Store(settings.database_url, settings.timeouts())
        login = {x.role: x for x in create_demo(store, settings)}["park_officer"]
        _no_thread_hops()
        app = create_app(settings, store)
        plain, profiled, profile = asyncio.run(
            _measure(app, login.name, login.password, args.requests))
        store.dispose()
    print(f"{PAGE}: {plain:.2f} ms per request ({profiled:.2f} ms under the profiler)")
    pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
