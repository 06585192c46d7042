"""Which database: `--db` > ECOPARK_DATABASE_URL > the user data directory; SQLite in WAL mode
with foreign keys on; clear errors for a bad or unreachable database."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from ecopark.core.errors import StoreError
from ecopark.store.engine import Store, default_url, resolve_url
from ecopark.store.migrate import require_current


def test_db_option_wins_over_the_environment_which_wins_over_the_default() -> None:
    env = {"ECOPARK_DATABASE_URL": "postgresql://u@h/db"}
    assert resolve_url("sqlite:///x.sqlite", env) == "sqlite:///x.sqlite"
    assert resolve_url(None, env) == "postgresql+psycopg://u@h/db"
    assert resolve_url(None, {}) == default_url()
    assert default_url().startswith("sqlite:///") and default_url().endswith("ecopark.sqlite")


def test_a_path_is_an_sqlite_file(tmp_path: Path) -> None:
    assert resolve_url(str(tmp_path / "a.sqlite"), {}) == f"sqlite:///{tmp_path / 'a.sqlite'}"


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'deep' / 'er' / 'db.sqlite'}")
    with store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    store.dispose()


def test_an_invalid_url_is_a_clear_error() -> None:
    with pytest.raises(StoreError) as raised:
        Store("not a url://")
    assert "invalid database URL" in raised.value.message("en")


def test_an_unreachable_database_is_a_clear_error() -> None:
    store = Store("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
    with pytest.raises(StoreError) as raised:
        require_current(store)
    assert "cannot" in raised.value.message("en")
    store.dispose()


def test_a_database_without_schema_says_how_to_create_it(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    with pytest.raises(StoreError) as raised:
        require_current(store)
    assert "ecopark db init" in raised.value.message("en")
    store.dispose()
