"""Benchmark: the park-year dashboard page with 20 concurrent clients, on SQLite (one worker) or
on PostgreSQL with several workers.

    .venv/bin/python bench/dashboard.py [--clients 20] [--requests 25]
    .venv/bin/python bench/dashboard.py --postgres postgresql://postgres@127.0.0.1/test --workers 2
    .venv/bin/python bench/dashboard.py --postgres … --workers 2 --clients 200 --seconds 60

`ecopark serve --demo` runs in a subprocess on 127.0.0.1 (a free port; loopback only) over a
fresh SQLite demo database (the seed park), or over a fresh schema of the PostgreSQL database
`--postgres` (dropped at the end) with `--workers` processes. One sign-in through the real
form gives a session cookie; after one warm-up request, 20 threads each with its own httpx
client (built before the clock starts; each sends one untimed request first, which opens its
connection and warms the page caches of the worker process it reaches — each of `--workers`
processes has its own; `--cold` leaves this out) send 25 requests to GET /parks/1/years/2018 (session
lookup, park visibility, data version, the cached evaluation, the whole 对照考核表 page
rendered by Jinja2 — about 28 KiB of HTML). Prints p50 / p95 / max latency, throughput and the
first (computed) request; the server is stopped at the end. Bounded: 120 s to start, 120 s for
the run. Target: p95 < 150 ms. With `--seconds` each client sends for that long instead (load
mode: 200 clients for 60 s; one connection each); p99 and throughput are printed too. The
clients are threads of this one Python process: at 200 clients their own CPU (on the same
machine) is part of the latency measured. Asserts nothing.
"""

from __future__ import annotations

import argparse
import re
import secrets
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from ecopark.store.engine import resolve_url
from ecopark.web.launch import demo_server

ROOT = Path(__file__).resolve().parent.parent
PAGE = "/parks/1/years/2018"


def sign_in(base: str, name: str, password: str) -> str:
    with httpx.Client(base_url=base) as client:
        form = client.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form)
        assert token is not None
        client.post("/login", data={"csrf_token": token.group(1), "name": name,
                                    "password": password})
        return str(client.cookies["ecopark_session"])


def run(base: str, cookie: str, clients: int, requests: int, seconds: float | None = None,
        warm: bool = True) -> tuple[list[float], int, int, float]:
    """The latencies, errors, reply size and wall seconds of the timed requests: `requests`
    per client, or (`seconds`) as many as each client sends in that time. With `warm`, each
    client first sends one untimed request."""
    times: list[float] = []
    errors = 0
    size = 0
    lock = threading.Lock()
    deadline = time.monotonic() + (seconds or 120)
    if seconds:
        requests = 10**9

    # The clients are built before any request is timed, and the threads start together: building
    # an httpx.Client loads the CA bundle (tens of ms of CPU, GIL held), which stalled the threads
    # already sending requests and was counted as their latency.
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    pool = [httpx.Client(base_url=base, cookies={"ecopark_session": cookie}, timeout=30,
                         limits=limits) for _ in range(clients)]
    began: list[float] = []
    ready = threading.Barrier(clients, action=lambda: began.append(time.perf_counter()))
    if seconds:  # the clock starts when every client is ready
        deadline = time.monotonic() + seconds + 60

    def worker(c: httpx.Client) -> None:
        nonlocal errors, size
        if warm:  # untimed: opens the connection; warms the cache of the worker it reaches
            try:
                failed = c.get(PAGE).status_code != 200
            except httpx.HTTPError:
                failed = True
            with lock:
                errors += failed
        ready.wait()
        end = began[0] + seconds if seconds else None
        for _ in range(requests):
            if time.monotonic() > deadline or (end is not None and time.perf_counter() > end):
                return
            start = time.perf_counter()
            try:
                reply = c.get(PAGE)
            except httpx.HTTPError:
                with lock:
                    errors += 1
                continue
            elapsed = time.perf_counter() - start
            with lock:
                times.append(elapsed)
                size = len(reply.content)
                errors += reply.status_code != 200

    threads = [threading.Thread(target=worker, args=(c,)) for c in pool]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began[0]
    for c in pool:
        c.close()
    return times, errors, size, wall


@contextmanager
def postgres_schema(base: str | None) -> Iterator[str | None]:
    """A fresh schema of the database `base` (its URL searching it), dropped at the end."""
    if base is None:
        yield None
        return
    schema = f"ecopark_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(resolve_url(base))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield make_url(resolve_url(base)).update_query_dict(
            {"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=25)
    parser.add_argument("--postgres", help="a PostgreSQL database URL (a schema is made in it)")
    parser.add_argument("--workers", type=int, default=1, help="worker processes (PostgreSQL)")
    parser.add_argument("--seconds", type=float, default=None,
                        help="send for this long instead of --requests per client (load mode: "
                             "e.g. --clients 200 --seconds 60)")
    parser.add_argument("--cold", action="store_true",
                        help="no untimed first request per client (as before 2026-12-07)")
    args = parser.parse_args()
    environment = {"ECOPARK_SECRET_KEY": secrets.token_urlsafe(48)} if args.workers > 1 else {}
    with tempfile.TemporaryDirectory(prefix="ecopark-bench-") as tmp, \
            postgres_schema(args.postgres) as db, \
            demo_server(Path(tmp), timeout=120, db=db, workers=args.workers,
                        environment=environment) as server:
        base = server.url
        cookie = sign_in(base, *server.logins["park_officer"])
        with httpx.Client(base_url=base, cookies={"ecopark_session": cookie}) as c:
            start = time.perf_counter()
            first = c.get(PAGE)
            first_ms = (time.perf_counter() - start) * 1000
        times, errors, size, wall = run(base, cookie, args.clients, args.requests, args.seconds,
                                        warm=not args.cold)
    ms = sorted(t * 1000 for t in times)
    p95 = ms[int(0.95 * (len(ms) - 1))]
    where = f"PostgreSQL, {args.workers} workers" if args.postgres else "SQLite, 1 worker"
    print(f"dashboard {PAGE}: {len(ms)} requests, {args.clients} clients, {where}")
    print(f"first (computed) request: {first_ms:.1f} ms, status {first.status_code}, "
          f"{len(first.content) / 1024:.1f} KiB")
    p99 = ms[int(0.99 * (len(ms) - 1))]
    print(f"p50 {statistics.median(ms):.1f} ms   p95 {p95:.1f} ms   p99 {p99:.1f} ms   "
          f"max {ms[-1]:.1f} ms")
    print(f"{len(ms) / wall:.0f} requests/s, reply {size / 1024:.1f} KiB, errors {errors}")
    print(f"target p95 < 150 ms: {'OK' if p95 < 150 else 'MISSED'}")


if __name__ == "__main__":
    main()
