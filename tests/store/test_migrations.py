"""Schema migrations: a committed database of the first schema upgrades to head with its data;
the models and the migrations describe the same schema on every engine."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError
from typer.testing import CliRunner

from ecopark.cli import app
from ecopark.core.dataset.schema import DatasetFile
from ecopark.core.errors import StoreError
from ecopark.store import audit, auth, repository
from ecopark.store import models as m
from ecopark.store.engine import Store
from ecopark.store.migrate import current_revision, head_revision, require_current, upgrade
from ecopark.store.models import Base
from ecopark.store.settings import Settings

from ..dbfixtures import seed_spec

V1 = Path(__file__).resolve().parents[1] / "data" / "store" / "ecopark-v1.sqlite"
V1_TOKEN = V1.with_suffix(".token").read_text(encoding="utf-8").strip()
# the seed's 园区概况 facts, added to examples/wujin-2018 after the committed database was made
LATER_PARK_FIELDS = frozenset({"area", "location", "leading_industries", "approval_doc",
                               "approval_date", "plan_approval_date"})


def seed_as_in_v1() -> DatasetFile:
    spec = seed_spec()
    park = {k: v for k, v in spec.park.model_dump().items() if k not in LATER_PARK_FIELDS}
    return DatasetFile.model_validate({**spec.model_dump(by_alias=True), "park": park})


@pytest.fixture
def v1(tmp_path: Path) -> Path:
    copy = tmp_path / "v1.sqlite"
    shutil.copy(V1, copy)
    return copy


def test_the_committed_database_is_of_the_first_schema(v1: Path) -> None:
    store = Store(f"sqlite:///{v1}")
    assert current_revision(store) == "0001" != head_revision()
    with pytest.raises(StoreError) as raised:
        require_current(store)
    assert "ecopark db upgrade" in raised.value.message("en")
    store.dispose()


def test_upgrading_the_first_schema_keeps_every_row(v1: Path) -> None:
    store = Store(f"sqlite:///{v1}")
    with store.engine.connect() as connection:
        audit_rows = connection.execute(text("SELECT count(*) FROM audit_log")).scalar_one()
    assert upgrade(store) == ("0001", head_revision())
    with store.session(actor="test") as session:
        park = repository.park_by_name(session, seed_spec().park.name)
        assert repository.read_spec(repository.get_park_year(session, park, 2018)) == \
            seed_as_in_v1()
        assert park.enterprises[0].submissions[0].status == "accepted"
        assert auth.principal_from_token(session, V1_TOKEN).name == "v1-admin"
    settings = Settings(secret_key="x" * 40, argon2_time_cost=1, argon2_memory_kib=64)
    assert auth.login(store, "v1-admin", "v1-password", "127.0.0.1", settings).role == "admin"
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM audit_log")).scalar_one() == audit_rows
    store.dispose()


def test_tokens_of_the_first_schema_become_write_tokens_that_expire(v1: Path) -> None:
    store = Store(f"sqlite:///{v1}")
    upgrade(store)
    with store.session(actor="test") as session:
        [token] = auth.list_tokens(session)
    assert (token.user, token.scope, token.state) == ("v1-admin", "write", "active")
    assert token.expires_at is not None
    assert 89 <= (token.expires_at - m.utcnow()).days <= 90
    store.dispose()


def test_after_the_upgrade_the_audit_log_is_append_only(v1: Path) -> None:
    store = Store(f"sqlite:///{v1}")
    upgrade(store)
    with pytest.raises(DatabaseError, match="append-only"), store.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log"))
    store.dispose()


def test_the_upgrade_chains_the_existing_audit_entries(v1: Path) -> None:
    store = Store(f"sqlite:///{v1}")
    with store.engine.connect() as connection:
        audit_rows = connection.execute(text("SELECT count(*) FROM audit_log")).scalar_one()
    upgrade(store)
    with store.engine.connect() as connection:
        check = audit.verify(connection)
        last = connection.execute(text("SELECT hash FROM audit_log ORDER BY id DESC")).first()
    assert audit_rows > 0 and check == audit.ChainCheck(audit_rows, last[0] if last else "")
    store.dispose()


def test_db_upgrade_command(v1: Path) -> None:
    result = CliRunner().invoke(app, ["db", "upgrade", "--db", str(v1)])
    assert result.exit_code == 0, result.output
    assert f"0001 → {head_revision()}" in result.stdout
    again = CliRunner().invoke(app, ["db", "upgrade", "--db", str(v1)])
    assert "up to date" in again.stdout


def test_models_and_migrations_describe_the_same_schema(store: Store) -> None:
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "include_name": _not_the_queue})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def _not_the_queue(name: str | None, kind: str, _parents: object) -> bool:
    """huey's own tables (PostgreSQL, migration 0008) are the job queue's, not the models'."""
    return not (kind == "table" and name is not None and name.startswith("huey_"))
