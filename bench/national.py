"""Benchmark: national-scale data — 2,500 parks × 10 years, 100,000 enterprises with their
submissions — loaded in bulk, then the reviewer's cross-park pages and the API's lists timed.

    .venv/bin/python bench/national.py [--parks 2500] [--requests 40] [--postgres URL]

1. Load. A fresh database (SQLite file; or a fresh schema of `--postgres`, dropped at the end)
   gets the seed park through the store (`save_dataset`: the framework rows, one real
   park-year), then everything else with Core `insert()` in batches of 5,000 rows (SQLAlchemy's
   insertmanyvalues: multi-row INSERTs on PostgreSQL, executemany on SQLite) in one
   transaction, copying the seed's rows: per park its 36 series and 46 observations (and their
   history), per park-year (2009–2018) its profile values and selected indicators, for 2018 its
   printed table; per park 40 enterprises, each with a submitted 2018 report of 3 values.
   Audit: the ORM's flush hook (one entry per row) never sees Core inserts; the load writes ONE
   audit entry (`store.audit.record_bulk`: table `bulk_load`, the row count per table), chained
   like every other, in the same transaction — a bulk load is an operator's act of setting up a
   database, recorded as such, not 1.3 million row entries. Prints the load time and rows.
2. Plans. EXPLAIN (QUERY PLAN on SQLite) of the lists' main queries; prints each plan's first
   lines, so index use (not a full scan of the big tables) can be read off.
3. Latency. `ecopark serve` on the database; 4 clients send `--requests` requests to each of:
   /parks (the list page, page 1 and page 25), /review (the comparison, 10 parks a page),
   GET /api/v1/parks?limit=100&offset=2000, /api/v1/parks/{id}/years,
   /api/v1/parks/{id}/enterprises, /api/v1/enterprises/{id}/submissions. Prints p50 / p95 per
   endpoint. Target: p95 < 300 ms. Asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Table, insert, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from store_load import pg_schema  # noqa: E402

from ecopark.core.dataset.schema import DatasetFile  # noqa: E402
from ecopark.core.framework.loading import load_framework  # noqa: E402
from ecopark.core.yamlfile import read_yaml  # noqa: E402
from ecopark.store import auth, repository  # noqa: E402
from ecopark.store import models as m  # noqa: E402
from ecopark.store.audit import record_bulk  # noqa: E402
from ecopark.store.engine import Store  # noqa: E402
from ecopark.store.migrate import upgrade  # noqa: E402
from ecopark.store.settings import Settings  # noqa: E402
from ecopark.web.launch import free_port  # noqa: E402

SEED = ROOT / "examples" / "wujin-2018" / "dataset.yaml"
YEARS = range(2009, 2019)
ENTERPRISES = 40  # per park: 100,000 for 2,500 parks
BATCH = 5000
PER_PARK = ("series", "observations", "observation_history")
PER_YEAR = ("profile_values", "selected_indicators")
PRINTED = ("reported_tables", "reported_values", "text_statements")
PASSWORD = "national-bench-" + secrets.token_hex(8)


class Loader:
    """Batched Core inserts into one connection, counting rows per table."""

    def __init__(self, connection: Any) -> None:
        self.connection, self.counts = connection, {}
        self.pending: dict[str, list[dict[str, Any]]] = {}

    def add(self, table: Table, row: dict[str, Any]) -> None:
        rows = self.pending.setdefault(table.name, [])
        rows.append(row)
        if len(rows) >= BATCH:
            self.flush(table)

    def flush(self, table: Table) -> None:
        """Write the table's pending rows, after those of every table before it in foreign-key
        order (a child's batch may fill before its parents')."""
        for other in m.Base.metadata.sorted_tables:
            rows = self.pending.pop(other.name, [])
            if rows:
                self.connection.execute(insert(other), rows)
                self.counts[other.name] = self.counts.get(other.name, 0) + len(rows)
            if other.name == table.name:
                return


def _table(name: str) -> Table:
    return m.Base.metadata.tables[name]


def _rows(connection: Any, name: str, column: str, key: int) -> list[dict[str, Any]]:
    table = _table(name)
    found = connection.execute(select(table).where(table.c[column] == key)).mappings()
    return [{k: v for k, v in row.items() if k != "id"} for row in found]


def seed_store(url: str) -> tuple[Store, int, int]:
    store = Store(url)
    upgrade(store)
    spec = DatasetFile.model_validate(read_yaml(SEED))
    with store.session(actor="bench") as session:
        park_year = repository.save_dataset(session, spec, load_framework(spec.framework))
        user = auth.create_user(session, "national-admin", "admin", PASSWORD,
                                auth.hasher(Settings()))
        auth.create_token(session, user, "bench")
        return store, park_year.park_id, park_year.id


def load(store: Store, parks: int, seed_park: int, seed_year: int) -> tuple[float, dict[str, int]]:
    started = time.perf_counter()
    with store.engine.begin() as connection:
        template = {name: _rows(connection, name, "park_id", seed_park) for name in PER_PARK}
        year_rows = {name: _rows(connection, name, "park_year_id", seed_year)
                     for name in PER_YEAR + PRINTED}
        park_year = _rows(connection, "park_years", "id", seed_year)[0]
        loader = Loader(connection)
        first = _next_id(connection, "parks")
        _parks(loader, parks, first)
        _years(loader, connection, parks, first, park_year, template, year_rows)
        _enterprises(loader, connection, parks, first)
        record_bulk(connection, "bench", f"national data set: {parks} parks", loader.counts)
    return time.perf_counter() - started, loader.counts


def _next_id(connection: Any, name: str) -> int:
    return int(connection.execute(text(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {name}"))
               .scalar_one())


def _parks(loader: Loader, parks: int, first: int) -> None:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for n in range(parks):
        loader.add(_table("parks"), {"id": first + n, "name": f"国家园区{n:05d}",
                                     "province": f"省份{n % 31:02d}", "created_at": now})
    loader.flush(_table("parks"))


def _years(loader: Loader, connection: Any, parks: int, first: int, park_year: dict[str, Any],
           template: dict[str, list[dict[str, Any]]],
           year_rows: dict[str, list[dict[str, Any]]]) -> None:
    next_year_id = _next_id(connection, "park_years")
    for n in range(parks):
        park_id = first + n
        for name, rows in template.items():
            for row in rows:
                loader.add(_table(name), {**row, "park_id": park_id})
        for year in YEARS:
            ident = next_year_id
            next_year_id += 1
            loader.add(_table("park_years"), {**park_year, "id": ident, "park_id": park_id,
                                              "year": year, "dataset_year": year,
                                              "park_name": f"国家园区{n:05d}"})
            for name in PER_YEAR + (PRINTED if year == 2018 else ()):
                for row in year_rows[name]:
                    loader.add(_table(name), {**row, "park_year_id": ident, "year": year}
                               if "year" in row else {**row, "park_year_id": ident})
    for name in ("park_years", *PER_PARK, *PER_YEAR, *PRINTED):
        loader.flush(_table(name))


def _enterprises(loader: Loader, connection: Any, parks: int, first: int) -> None:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    enterprise_id, submission_id = _next_id(connection, "enterprises"), \
        _next_id(connection, "submissions")
    for n in range(parks):
        for e in range(ENTERPRISES):
            loader.add(_table("enterprises"), {"id": enterprise_id, "park_id": first + n,
                                               "name": f"企业{e:03d}", "created_at": now})
            loader.add(_table("submissions"), {
                "id": submission_id, "enterprise_id": enterprise_id, "year": 2018,
                "framework_key": "hj274-2015", "status": "submitted", "reason": "",
                "created_by": "bench", "updated_at": now, "submitted_at": now})
            for position, item in enumerate(("energy", "water", "industrial_value_added")):
                loader.add(_table("submission_values"), {
                    "submission_id": submission_id, "position": position, "item": item,
                    "value": 100.0 + e, "value_text": str(100 + e), "unit": None,
                    "note": None})
            enterprise_id += 1
            submission_id += 1
    for name in ("enterprises", "submissions", "submission_values"):
        loader.flush(_table(name))


# ------------------------------------------------------------------------ plans

PLANS = {
    "parks page": "SELECT parks.id, parks.name FROM parks ORDER BY parks.name, parks.id "
                  "LIMIT 50 OFFSET 1200",
    "park's years": "SELECT * FROM park_years WHERE park_id = 1200 ORDER BY year",
    "park's enterprises": "SELECT * FROM enterprises WHERE park_id = 1200 "
                          "ORDER BY name, id LIMIT 100",
    "enterprise's submissions": "SELECT * FROM submissions WHERE enterprise_id = 50000 "
                                "ORDER BY year",
    "submission values": "SELECT * FROM submission_values WHERE submission_id IN (1, 2, 3)",
    "observations count": "SELECT park_years.id, count(observations.id) FROM park_years JOIN "
                          "observations ON observations.park_id = park_years.park_id AND "
                          "observations.year <= park_years.year WHERE park_years.id IN "
                          "(12000, 12001) GROUP BY park_years.id",
    "comparison's parks": "SELECT parks.id FROM parks WHERE parks.id IN (SELECT park_years."
                          "park_id FROM park_years JOIN framework_versions ON "
                          "framework_versions.id = park_years.framework_version_id JOIN "
                          "frameworks ON frameworks.id = framework_versions.framework_id WHERE "
                          "frameworks.key = 'hj274-2015' AND park_years.year = 2018) "
                          "ORDER BY parks.name, parks.id LIMIT 20",
}


def plans(store: Store) -> None:
    """Each list query's plan (PostgreSQL: EXPLAIN ANALYZE, its first lines and its execution
    time; SQLite: EXPLAIN QUERY PLAN)."""
    sqlite = store.dialect == "sqlite"
    prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN (ANALYZE, BUFFERS) "
    with store.connect() as connection:
        for name, sql in PLANS.items():
            lines = [" ".join(str(c) for c in row).strip() for row in
                     connection.exec_driver_sql(prefix + sql).all()]
            took = [line for line in lines if line.startswith("Execution Time")]
            print(f"  plan {name}: " + " | ".join(lines[:4] + took))


# ------------------------------------------------------------------------ latency


def serve(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "ECOPARK_SECRET_KEY": secrets.token_urlsafe(48), "ECOPARK_JOBS": "external"}
    server = subprocess.Popen([sys.executable, "-m", "ecopark", "serve", "--db", url, "--host",
                               "127.0.0.1", "--port", str(port), "--workers", str(workers)],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("the server did not start within 120 s")


def sign_in(base: str) -> dict[str, str]:
    import re

    with httpx.Client(base_url=base) as client:
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token
        reply = client.post("/login", data={"csrf_token": token.group(1), "next": "/",
                                            "name": "national-admin", "password": PASSWORD})
        assert reply.status_code in (200, 303), reply.status_code
        return dict(client.cookies)


def timed(base: str, path: str, requests: int, cookies: dict[str, str],
          headers: dict[str, str]) -> tuple[list[float], int]:
    out: list[float] = []
    errors: list[int] = []

    def worker() -> None:
        with httpx.Client(base_url=base, cookies=cookies, headers=headers, timeout=60) as client:
            for _ in range(requests // 4):
                started = time.perf_counter()
                reply = client.get(path)
                out.append(time.perf_counter() - started)
                if reply.status_code != 200:
                    errors.append(reply.status_code)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return out, len(errors)


def latency(url: str, store: Store, requests: int, workers: int) -> None:
    with store.connect() as connection:
        token_park = connection.execute(text("SELECT id FROM parks ORDER BY id DESC LIMIT 1"))
        park = int(token_park.scalar_one())
        enterprise = int(connection.execute(text(
            f"SELECT id FROM enterprises WHERE park_id = {park} LIMIT 1")).scalar_one())
    port = free_port()
    server = serve(url, port, workers)
    try:
        base = f"http://127.0.0.1:{port}"
        cookies = sign_in(base)
        with store.session("bench") as session:
            user = session.scalars(select(m.User).where(m.User.name == "national-admin")).one()
            bearer = {"Authorization": f"Bearer {auth.create_token(session, user, 'api')}"}
        for path in ("/parks", "/parks?page=25", "/review", "/api/v1/parks?limit=100&offset=2000",
                     f"/api/v1/parks/{park}/years", f"/api/v1/parks/{park}/enterprises",
                     f"/api/v1/enterprises/{enterprise}/submissions"):
            api = path.startswith("/api/")
            httpx.get(base + path, cookies=None if api else cookies,
                      headers=bearer if api else {}, timeout=120)  # warm-up
            ms, errors = timed(base, path, requests, {} if api else cookies,
                               bearer if api else {})
            ms = sorted(1000 * x for x in ms)
            p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
            print(f"  {path:<48} p50 {statistics.median(ms):7.1f} ms  p95 {p95:7.1f} ms  "
                  f"({len(ms)} requests, {errors} errors)")
    finally:
        server.terminate()
        server.wait(timeout=60)


def run(url: str, parks: int, requests: int, workers: int) -> None:
    engine = "postgresql" if url.startswith("postgresql") else "sqlite"
    store, seed_park, seed_year = seed_store(url)
    seconds, counts = load(store, parks, seed_park, seed_year)
    print(f"{engine}: loaded {sum(counts.values()):,} rows in {seconds:.1f} s "
          f"({', '.join(f'{k} {v:,}' for k, v in counts.items())})")
    if engine == "postgresql":
        with store.engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
            connection.commit()
    else:
        with store.engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
    plans(store)
    latency(url, store, requests, workers)
    store.dispose()


def schemas(base: str | None) -> Iterator[str]:
    if base:
        with pg_schema(base) as url:
            yield url
        return
    with tempfile.TemporaryDirectory() as tmp:
        yield f"sqlite:///{Path(tmp) / 'national.sqlite'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parks", type=int, default=2500)
    parser.add_argument("--requests", type=int, default=40, help="per endpoint (4 clients)")
    parser.add_argument("--postgres", help="a PostgreSQL database URL (a schema is made in it)")
    parser.add_argument("--workers", type=int, default=1, help="server processes (PostgreSQL)")
    args = parser.parse_args()
    for url in schemas(args.postgres):
        run(url, args.parks, args.requests, args.workers)


if __name__ == "__main__":
    main()
