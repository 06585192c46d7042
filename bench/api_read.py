"""Benchmark: read a park-year's evaluation over HTTP with 20 concurrent clients.

    .venv/bin/python bench/api_read.py [--clients 20] [--requests 25] [--url URL]

A fresh database holds the seed park (examples/wujin-2018/dataset.yaml) and an admin token;
`ecopark serve` runs it in a subprocess on 127.0.0.1 (a free port; loopback only); after one
warm-up request, 20 threads each with its own httpx client send 25 requests to
GET /api/v1/parks/{id}/years/2018/evaluation (the full assessment JSON; after the first request
it comes from the server's reply cache, revalidated against the park's data version on every
request). Prints p50 / p95 / max latency, throughput and the first, computed request; the server
is stopped at the end. Runs on SQLite, then on PostgreSQL (a schema of its own, dropped afterwards) when
ECOPARK_TEST_DATABASE_URL is set. Bounded: 60 s to start, 120 s per run. Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from store_load import pg_schema  # noqa: E402

from ecopark.core.dataset.schema import DatasetFile  # noqa: E402
from ecopark.core.framework.loading import load_framework  # noqa: E402
from ecopark.core.yamlfile import read_yaml  # noqa: E402
from ecopark.store import auth, repository  # noqa: E402
from ecopark.store.engine import Store  # noqa: E402
from ecopark.store.migrate import upgrade  # noqa: E402
from ecopark.store.settings import Settings  # noqa: E402
from ecopark.web.launch import free_port  # noqa: E402

SEED = ROOT / "examples" / "wujin-2018" / "dataset.yaml"


def prepare(url: str) -> tuple[int, str]:
    store = Store(url)
    upgrade(store)
    spec = DatasetFile.model_validate(read_yaml(SEED))
    with store.session(actor="bench") as session:
        park_year = repository.save_dataset(session, spec, load_framework(spec.framework))
        user = auth.create_user(session, "bench-admin", "admin", None,
                                auth.hasher(Settings()))
        token = auth.create_token(session, user, "bench")
        park_id = park_year.park_id
    store.dispose()
    return park_id, token




def start(url: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "ECOPARK_SECRET_KEY": secrets.token_urlsafe(48)}
    server = subprocess.Popen([sys.executable, "-m", "ecopark", "serve", "--db", url, "--host",
                               "127.0.0.1", "--port", str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1)
            return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start within 60 s")


def client_loop(base: str, path: str, token: str, count: int, out: list[float],
                errors: list[int]) -> None:
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"},
                      timeout=60) as client:
        for _ in range(count):
            started = time.perf_counter()
            response = client.get(path)
            out.append(time.perf_counter() - started)
            if response.status_code != 200:
                errors.append(response.status_code)


def measure(url: str, clients: int, requests: int) -> None:
    park_id, token = prepare(url)
    port = free_port()
    server = start(url, port)
    try:
        base, path = f"http://127.0.0.1:{port}", f"/api/v1/parks/{park_id}/years/2018/evaluation"
        started = time.perf_counter()
        warm = httpx.get(base + path, headers={"Authorization": f"Bearer {token}"}, timeout=60)
        first = time.perf_counter() - started
        assert warm.status_code == 200, warm.text
        latencies: list[float] = []
        errors: list[int] = []
        threads = [threading.Thread(target=client_loop, args=(base, path, token, requests,
                                                              latencies, errors))
                   for _ in range(clients)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    report(url, latencies, errors, wall, clients, len(warm.content))
    print(f"{'':<10} first request (computed, not yet in the reply cache): {1000 * first:.1f} ms")


def report(url: str, latencies: list[float], errors: list[int], wall: float, clients: int,
           size: int) -> None:
    ms = sorted(1000 * x for x in latencies)
    p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
    engine = url.split(":", 1)[0].split("+")[0]
    print(f"{engine:<10} {len(ms)} requests, {clients} clients: p50 {statistics.median(ms):.1f} ms, "
          f"p95 {p95:.1f} ms, max {ms[-1]:.1f} ms; {len(ms) / wall:.0f} requests/s; "
          f"{size // 1024} KiB per reply; {len(errors)} errors")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=25, help="per client")
    parser.add_argument("--url", default=None, help="only this (empty) database")
    args = parser.parse_args()
    if args.url:
        measure(args.url, args.clients, args.requests)
        return
    with tempfile.TemporaryDirectory() as tmp:
        measure(f"sqlite:///{Path(tmp) / 'bench.sqlite'}", args.clients, args.requests)
    pg = os.environ.get("ECOPARK_TEST_DATABASE_URL")
    if pg:
        with pg_schema(pg) as url:
            measure(url, args.clients, args.requests)


if __name__ == "__main__":
    main()
