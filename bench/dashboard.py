"""Benchmark: the park-year dashboard page with 20 concurrent clients, on SQLite.

    .venv/bin/python bench/dashboard.py [--clients 20] [--requests 25]

`ecopark serve --demo` runs in a subprocess on 127.0.0.1 (a free port; loopback only) over a
fresh SQLite demo database (the seed park). One sign-in through the real form gives a session
cookie; after one warm-up request, 20 threads each with its own httpx client send 25 requests
to GET /parks/1/years/2018 (session lookup, park visibility, data version, the cached
evaluation, the whole 对照考核表 page rendered by Jinja2 — about 60 KiB of HTML). Prints p50 /
p95 / max latency, throughput and the first (computed) request; the server is stopped at the
end. Bounded: 60 s to start, 120 s for the run. Target: p95 < 150 ms. Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PAGE = "/parks/1/years/2018"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait(url: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within 60 s")


def sign_in(base: str, log: Path) -> str:
    name, password = re.findall(r"^\s+park_officer\s+(\S+)\s+(\S+)$", log.read_text(), re.M)[0]
    with httpx.Client(base_url=base) as client:
        form = client.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form)
        assert token is not None
        client.post("/login", data={"csrf_token": token.group(1), "name": name,
                                    "password": password})
        return str(client.cookies["ecopark_session"])


def run(base: str, cookie: str, clients: int, requests: int) -> tuple[list[float], int, int]:
    times: list[float] = []
    errors = 0
    size = 0
    lock = threading.Lock()
    deadline = time.monotonic() + 120

    def worker() -> None:
        nonlocal errors, size
        with httpx.Client(base_url=base, cookies={"ecopark_session": cookie}, timeout=30) as c:
            for _ in range(requests):
                if time.monotonic() > deadline:
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

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times, errors, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=25)
    args = parser.parse_args()
    port = free_port()
    env = {**os.environ, "ECOPARK_ARGON2_MEMORY_KIB": "64", "ECOPARK_ARGON2_TIME_COST": "1"}
    env.pop("ECOPARK_SECRET_KEY", None)
    with tempfile.TemporaryDirectory(prefix="ecopark-bench-") as tmp:
        log = Path(tmp) / "serve.log"
        with log.open("w") as out, subprocess.Popen(
                [sys.executable, "-m", "ecopark", "serve", "--demo", "--port", str(port),
                 "--db", f"sqlite:///{Path(tmp) / 'demo.sqlite'}"],
                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env) as server:
            try:
                base = f"http://127.0.0.1:{port}"
                wait(f"{base}/login", time.monotonic() + 60)
                cookie = sign_in(base, log)
                with httpx.Client(base_url=base, cookies={"ecopark_session": cookie}) as c:
                    start = time.perf_counter()
                    first = c.get(PAGE)
                    first_ms = (time.perf_counter() - start) * 1000
                began = time.perf_counter()
                times, errors, size = run(base, cookie, args.clients, args.requests)
                wall = time.perf_counter() - began
            finally:
                server.terminate()
                server.wait(timeout=30)
    ms = sorted(t * 1000 for t in times)
    p95 = ms[int(0.95 * (len(ms) - 1))]
    print(f"dashboard {PAGE}: {len(ms)} requests, {args.clients} clients, SQLite")
    print(f"first (computed) request: {first_ms:.1f} ms, status {first.status_code}, "
          f"{len(first.content) / 1024:.1f} KiB")
    print(f"p50 {statistics.median(ms):.1f} ms   p95 {p95:.1f} ms   max {ms[-1]:.1f} ms")
    print(f"{len(ms) / wall:.0f} requests/s, reply {size / 1024:.1f} KiB, errors {errors}")
    print(f"target p95 < 150 ms: {'OK' if p95 < 150 else 'MISSED'}")


if __name__ == "__main__":
    main()
