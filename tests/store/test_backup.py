"""Backup → restore → identical export; SQLite files and portable JSON dumps, on every engine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ecopark import Framework
from ecopark.errors import InputFileError, StoreError
from ecopark.store import backup, repository
from ecopark.store.engine import Store

from ..dbfixtures import PG_URL, _pg_schema, park_b_spec, seed_spec


def _fill(store: Store, hj274: Framework) -> None:
    with store.session(actor="loader") as session:
        repository.save_dataset(session, seed_spec(), hj274)
        repository.save_dataset(session, park_b_spec(), hj274)


def _exports(store: Store) -> list[str]:
    with store.session(actor="reader") as session:
        return [repository.read_spec(repository.get_park_year(session, p)).model_dump_json()
                for p in repository.list_parks(session)]


@pytest.fixture
def empty_url(store: Store, tmp_path: Path) -> Iterator[str]:
    """A second, empty database on the same engine as `store`."""
    if store.dialect == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite'}"
    else:
        assert PG_URL is not None
        yield from _pg_schema(PG_URL)


@pytest.mark.parametrize("fmt", ["sqlite", "json"])
def test_backup_restore_gives_identical_exports(store: Store, hj274: Framework, tmp_path: Path,
                                                empty_url: str, fmt: str) -> None:
    if fmt == "sqlite" and store.dialect != "sqlite":
        with pytest.raises(StoreError):
            backup.backup(store, tmp_path / "b", fmt)
        return
    _fill(store, hj274)
    assert backup.backup(store, tmp_path / "backup", fmt).fmt == fmt
    target = Store(empty_url)
    assert backup.restore(target, tmp_path / "backup").fmt == fmt
    assert _exports(target) == _exports(store)
    assert backup.dump(target)["tables"] == backup.dump(store)["tables"]
    with target.session(actor="after") as session:  # ids continue after the restored ones
        repository.save_dataset(session, seed_spec().model_copy(update={"year": 2019}), hj274,
                                park="新园区")
    target.dispose()


def test_a_json_dump_moves_between_engines(store: Store, hj274: Framework, tmp_path: Path) -> None:
    _fill(store, hj274)
    backup.backup(store, tmp_path / "dump.json", "json")
    other = Store(f"sqlite:///{tmp_path / 'other.sqlite'}")
    backup.restore(other, tmp_path / "dump.json")
    assert _exports(other) == _exports(store)
    other.dispose()


def test_restore_refuses_a_database_with_data(store: Store, hj274: Framework,
                                              tmp_path: Path) -> None:
    _fill(store, hj274)
    backup.backup(store, tmp_path / "dump.json", "json")
    with pytest.raises(StoreError) as raised:
        backup.restore(store, tmp_path / "dump.json")
    assert "not empty" in raised.value.message("en")


def test_restore_refuses_what_is_not_a_backup(store: Store, tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text("{}", encoding="utf-8")
    with pytest.raises(InputFileError):
        backup.restore(store, tmp_path / "x.json")
    with pytest.raises(InputFileError):
        backup.restore(store, tmp_path / "missing.json")
