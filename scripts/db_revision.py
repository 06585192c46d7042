"""Write a new Alembic revision by comparing the models with a database at head (developers only).

    .venv/bin/python scripts/db_revision.py "add enterprise sector" [--rev-id 0003]

The packaged migrations need no template at run time; this script borrows Alembic's own
`script.py.mako` in a temporary copy of the migrations folder, autogenerates the revision there
against a fresh SQLite database upgraded to head, and copies the new file into
src/ecopark/store/migrations/versions/. Review and edit it: autogenerate misses renames, data
moves and dialect-specific objects (the audit-log triggers, for instance).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

import alembic
from alembic import command
from alembic.config import Config

from ecopark.store.engine import Store
from ecopark.store.migrate import MIGRATIONS, upgrade


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("message")
    parser.add_argument("--rev-id", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        scripts = Path(tmp) / "migrations"
        shutil.copytree(MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
        template = Path(alembic.__file__).parent / "templates" / "generic" / "script.py.mako"
        shutil.copy(template, scripts / "script.py.mako")
        store = Store(f"sqlite:///{Path(tmp) / 'head.sqlite'}")
        if any((MIGRATIONS / "versions").glob("[0-9]*.py")):
            upgrade(store)
        with store.engine.begin() as connection:
            config = Config()
            config.set_main_option("script_location", str(scripts))
            config.attributes["connection"] = connection
            command.revision(config, args.message, autogenerate=True, rev_id=args.rev_id)
        before = {p.name for p in (MIGRATIONS / "versions").glob("*.py")}
        for path in (scripts / "versions").glob("*.py"):
            if path.name not in before:
                shutil.copy(path, MIGRATIONS / "versions" / path.name)
                print(f"wrote {MIGRATIONS / 'versions' / path.name}")


if __name__ == "__main__":
    main()
