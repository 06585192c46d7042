"""Build tests/data/store/ecopark-v1.sqlite: a database of the FIRST schema (revision 0001) with
real data, which tests/store/test_migrations.py upgrades to head.

    .venv/bin/python tests/data/store/build_v1.py

It holds the seed park-year (examples/wujin-2018/dataset.yaml), an enterprise with an accepted
submission, an admin user `v1-admin` (password `v1-password`) with an API token, and their audit
rows. Written with the code of revision 0001; after a later schema change, do not rebuild this
file (the point is that it is old): add a new fixture for the new revision instead.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ecopark.core.dataset.schema import DatasetFile
from ecopark.core.framework.loading import load_framework
from ecopark.core.yamlfile import read_yaml
from ecopark.store import auth, repository, submissions
from ecopark.store.engine import Store
from ecopark.store.migrate import upgrade
from ecopark.store.settings import Settings

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
TARGET = HERE / "ecopark-v1.sqlite"
TOKEN_FILE = HERE / "ecopark-v1.token"


def main() -> None:
    TARGET.unlink(missing_ok=True)
    store = Store(f"sqlite:///{TARGET}")
    upgrade(store, "0001")
    spec = DatasetFile.model_validate(read_yaml(ROOT / "examples" / "wujin-2018" / "dataset.yaml"))
    ph = auth.hasher(Settings(argon2_time_cost=1, argon2_memory_kib=64))
    with store.session(actor="v1-builder") as session:
        park_year = repository.save_dataset(session, spec, load_framework("hj274-2015"),
                                            source_file="examples/wujin-2018/dataset.yaml")
        enterprise = submissions.create_enterprise(session, park_year.park, "v1企业")
        draft = submissions.save_draft(session, enterprise, 2018, [
            submissions.SubmittedValue("energy", 1234.5, "吨标煤")])
        submissions.submit(session, draft)
        submissions.accept(session, draft)
        user = auth.create_user(session, "v1-admin", "admin", "v1-password", ph)
        token = auth.create_token(session, user, "v1")
    store.dispose()
    connection = sqlite3.connect(TARGET)
    connection.execute("PRAGMA journal_mode=DELETE")
    connection.execute("VACUUM")
    connection.close()
    TOKEN_FILE.write_text(token + "\n", encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)} ({TARGET.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
