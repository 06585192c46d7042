"""Benchmark: readers and writers at once against `ecopark serve`, on SQLite or PostgreSQL.

    .venv/bin/python bench/load.py [--db sqlite|postgresql] [--readers 50] [--writers 5]
                                   [--seconds 60] [--dataset seed|large]

`ecopark serve --demo` runs in a subprocess on 127.0.0.1 (a free port; loopback only) over a
fresh demo database: an SQLite file, or a PostgreSQL database created for the run on the
machine's server (127.0.0.1:5432, ECOPARK_BENCH_PG to change) and dropped afterwards. With
`--dataset large` the seed park-year is first replaced through the API by the seed with every
numeric series extended back to 1900 (about 3,000 values). The park officer signs in once
through the API; then readers loop over three reads of the park-year (its evaluation as JSON,
its dataset, the 对照考核表 page) and writers loop over PUT of one observation (a random
item-year of the dataset, a new value each time), all at once, closed loop, for the given time.
Every client thread has its own connection pool, built before the clock starts.

Prints per kind: requests, errors (any status other than 200, or no answer), p50 / p95 / p99 /
max latency, throughput; the server's state at the end (a crash shows as its signal, with the
fault handler's stacks from its log). Targets (issue 13): 0 errors and read p95 < 300 ms on the
seed with 50 readers + 5 writers; 0 crashes in the 10-minute soak on the large dataset
(`--dataset large --seconds 600`). Asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import os
import random
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text

from ecopark.core.yamlfile import read_yaml
from ecopark.web.launch import demo_server

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "wujin-2018" / "dataset.yaml"
V1 = "/api/v1"
READS = ["/api/v1/parks/1/years/2018/evaluation", "/api/v1/parks/1/years/2018/dataset",
         "/parks/1/years/2018"]
FIRST_YEAR = 1900


def large_dataset() -> dict[str, Any]:
    """The seed with every numeric series filled back to 1900 (each missing year a share of the
    series' earliest value, so values stay in the item's range)."""
    spec: dict[str, Any] = copy.deepcopy(read_yaml(SEED))
    for entry in spec["observations"].values():
        values = entry["values"]
        numeric = {int(y): _number(v) for y, v in values.items() if _number(v) is not None}
        if not numeric:
            continue
        first_year = min(numeric)
        first = numeric[first_year]
        for year in range(FIRST_YEAR, first_year):
            share = 0.5 + 0.5 * (year - FIRST_YEAR) / max(1, first_year - FIRST_YEAR)
            values[year] = round(first * share) if isinstance(first, int) else round(first * share, 4)
    return spec


def _number(value: Any) -> float | int | None:
    if isinstance(value, dict):
        value = value.get("value")
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def writable_points(spec: dict[str, Any]) -> list[tuple[str, int, float | int]]:
    points = []
    for item, entry in spec["observations"].items():
        for year, value in entry["values"].items():
            number = _number(value)
            if number is not None and number > 0:
                points.append((item, int(year), number))
    return points


@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh database on the local PostgreSQL server, dropped at the end."""
    base = os.environ.get("ECOPARK_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    name = f"ecopark_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def sign_in(base: str, name: str, password: str) -> tuple[str, str]:
    with httpx.Client(base_url=base) as client:
        reply = client.post(f"{V1}/auth/login", json={"name": name, "password": password})
        reply.raise_for_status()
        return str(client.cookies["ecopark_session"]), str(reply.json()["csrf_token"])


class Tally:
    """Latencies and errors per kind, shared by the client threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = {"read": [], "write": []}
        self.errors: dict[str, int] = {"read": 0, "write": 0}
        self.statuses: dict[str, int] = {}

    def add(self, kind: str, seconds: float, status: int | str) -> None:
        with self.lock:
            self.times[kind].append(seconds)
            if status != 200:
                self.errors[kind] += 1
                key = f"{kind} {status}"
                self.statuses[key] = self.statuses.get(key, 0) + 1


def reader(client: httpx.Client, tally: Tally, until: float, seed: int) -> None:
    pick = random.Random(seed)
    while time.monotonic() < until:
        _timed(tally, "read", lambda: client.get(pick.choice(READS)))


def writer(client: httpx.Client, tally: Tally, until: float, seed: int,
           points: list[tuple[str, int, float | int]]) -> None:
    pick = random.Random(seed)
    while time.monotonic() < until:
        item, year, value = pick.choice(points)
        new = round(value * pick.uniform(0.9, 1.1), 4)
        url = f"{V1}/parks/1/observations/{item}/{year}"
        # a deliberate overwrite (If-Match: *): writers here do not read first; a value ±10 %
        # may be implausible (a rate above 100 %), so it comes with a reason, as a user's would
        _timed(tally, "write", lambda u=url, v=new: client.put(
            u, json={"value": v, "reason": "负载测试 load test"}, headers={"If-Match": "*"}))


def _timed(tally: Tally, kind: str, send: Any) -> None:
    start = time.perf_counter()
    try:
        status: int | str = send().status_code
    except httpx.HTTPError as exc:
        status = type(exc).__name__
    tally.add(kind, time.perf_counter() - start, status)


def run(base: str, cookie: str, csrf: str, args: argparse.Namespace,
        points: list[tuple[str, int, float | int]]) -> tuple[Tally, float]:
    tally = Tally()
    headers = {"X-CSRF-Token": csrf}
    clients = [httpx.Client(base_url=base, cookies={"ecopark_session": cookie}, headers=headers,
                            timeout=60) for _ in range(args.readers + args.writers)]
    until = time.monotonic() + args.seconds
    threads = [threading.Thread(target=reader, args=(c, tally, until, i))
               for i, c in enumerate(clients[:args.readers])]
    threads += [threading.Thread(target=writer, args=(c, tally, until, 1000 + i, points))
                for i, c in enumerate(clients[args.readers:])]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    for c in clients:
        c.close()
    return tally, wall


def report(tally: Tally, wall: float) -> None:
    for kind in ("read", "write"):
        ms = sorted(t * 1000 for t in tally.times[kind])
        if not ms:
            continue
        p95, p99 = ms[int(0.95 * (len(ms) - 1))], ms[int(0.99 * (len(ms) - 1))]
        print(f"{kind:5}: {len(ms):6} requests  {len(ms) / wall:6.1f}/s  errors {tally.errors[kind]}"
              f"   p50 {statistics.median(ms):7.1f} ms  p95 {p95:7.1f} ms  p99 {p99:7.1f} ms  "
              f"max {ms[-1]:7.1f} ms")
    if tally.statuses:
        print("errors by status:", ", ".join(f"{k}: {v}" for k, v in sorted(tally.statuses.items())))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--writers", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--dataset", choices=["seed", "large"], default="seed")
    args = parser.parse_args()
    database = postgres_database() if args.db == "postgresql" else contextlib.nullcontext(None)
    with tempfile.TemporaryDirectory(prefix="ecopark-bench-") as tmp, database as url, \
            demo_server(Path(tmp), db=url) as server:
        cookie, csrf = sign_in(server.url, *server.logins["park_officer"])
        spec = large_dataset() if args.dataset == "large" else read_yaml(SEED)
        if args.dataset == "large":
            with httpx.Client(base_url=server.url, cookies={"ecopark_session": cookie},
                              headers={"X-CSRF-Token": csrf}, timeout=300) as c:
                c.post(f"{V1}/parks/1/years?replace=true", json=spec).raise_for_status()
        points = writable_points(spec)
        values = sum(len(e["values"]) for e in spec["observations"].values())
        print(f"ecopark serve on {args.db}, {args.dataset} dataset ({values} values), "
              f"{args.readers} readers + {args.writers} writers for {args.seconds:g} s")
        tally, wall = run(server.url, cookie, csrf, args, points)
        state = server.process.poll()
        report(tally, wall)
        crashed = state is not None
        print(f"server: {'STOPPED with ' + str(state) if crashed else 'still serving'}; "
              f"crashes {int(crashed)}")
        if crashed:
            print(server.log.read_text(encoding="utf-8")[-4000:])


if __name__ == "__main__":
    main()
