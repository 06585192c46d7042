"""Benchmark: store 1,000 park-years, each in its own transaction, as `ecopark load` does.

    .venv/bin/python bench/store_load.py [--count 1000] [--url URL]

Input, built in memory and not timed: 100 parks × 10 years made from the seed dataset
(examples/wujin-2018/dataset.yaml) with `random.Random(2015)`: every numeric value scaled by its
own factor in 0.6–1.6, the dataset's year set to 2013–2022. Timed: `save_dataset` (validation by
the core, every row, and its audit row) and the commit, per park-year. Runs on a fresh SQLite
file, then on PostgreSQL in a schema of its own (dropped afterwards) when
ECOPARK_TEST_DATABASE_URL is set, or on --url only. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from ecopark.core.dataset.schema import DatasetFile  # noqa: E402
from ecopark.core.framework.loading import load_framework  # noqa: E402
from ecopark.core.yamlfile import read_yaml  # noqa: E402
from ecopark.store import models as m  # noqa: E402
from ecopark.store import repository  # noqa: E402
from ecopark.store.engine import Store, resolve_url  # noqa: E402
from ecopark.store.migrate import upgrade  # noqa: E402

SEED = ROOT / "examples" / "wujin-2018" / "dataset.yaml"


def variants(count: int) -> list[tuple[str, DatasetFile]]:
    base = DatasetFile.model_validate(read_yaml(SEED))
    rng = random.Random(2015)
    out = []
    for index in range(count):
        data = base.model_dump()
        for series in data["observations"].values():
            for year, raw in series["values"].items():
                series["values"][year] = _scaled(raw, rng)
        data["year"] = 2013 + index % 10
        out.append((f"基准园区-{index // 10:03d}", DatasetFile.model_validate(data)))
    return out


def _scaled(raw: object, rng: random.Random) -> object:
    if isinstance(raw, dict):
        return {**raw, "value": _scaled(raw["value"], rng)}
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return round(float(raw) * rng.uniform(0.6, 1.6), 4)
    return raw


@contextmanager
def pg_schema(base: str) -> Iterator[str]:
    schema = f"ecopark_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(resolve_url(base))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = make_url(resolve_url(base)).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def run(url: str, specs: list[tuple[str, DatasetFile]]) -> None:
    store = Store(url)
    upgrade(store)
    framework = load_framework("hj274-2015")
    with store.session(actor="bench") as session:  # warm-up, not counted
        repository.save_dataset(session, specs[0][1], framework, park="warm-up")
    started = time.perf_counter()
    for park, spec in specs:
        with store.session(actor="bench") as session:
            repository.save_dataset(session, spec, framework, park=park)
    seconds = time.perf_counter() - started
    with store.connect() as connection:
        observations = connection.execute(select(func.count()).select_from(m.ObservationRow)).scalar()
        audit = connection.execute(select(func.count()).select_from(m.AuditEntry)).scalar()
    store.dispose()
    print(f"{store.dialect:<10} {len(specs)} park-years in {seconds:.2f} s "
          f"({1000 * seconds / len(specs):.1f} ms each); {observations} observations, "
          f"{audit} audit rows in the database")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--url", default=None, help="only this database (must be empty)")
    args = parser.parse_args()
    specs = variants(args.count)
    if args.url:
        run(args.url, specs)
        return
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{Path(tmp) / 'bench.sqlite'}", specs)
    pg = os.environ.get("ECOPARK_TEST_DATABASE_URL")
    if pg:
        with pg_schema(pg) as url:
            run(url, specs)


if __name__ == "__main__":
    main()
