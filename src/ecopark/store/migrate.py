"""Schema migrations (Alembic), configured in code: the scripts are shipped inside the package
(`ecopark/store/migrations`), so neither alembic.ini nor a template is needed to upgrade.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection
from sqlalchemy.exc import DatabaseError

from ecopark.core.errors import StoreError
from ecopark.store.engine import Store

__all__ = ["MIGRATIONS", "current_revision", "head_revision", "is_known", "require_current",
           "upgrade", "upgrade_on"]

MIGRATIONS = Path(__file__).parent / "migrations"


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def is_known(revision: str) -> bool:
    """Whether this version of ecopark has a migration of that id (a newer one's it has not)."""
    scripts = ScriptDirectory.from_config(_config())
    return revision in {script.revision for script in scripts.walk_revisions()}


def current_revision(store: Store) -> str | None:
    """The schema revision of the database (None: no ecopark schema yet)."""
    try:
        with store.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except DatabaseError as exc:
        raise StoreError(f"{store.display_url} 不是数据库或已损坏 is not a database, or is damaged: "
                         f"{exc.orig}", "检查 --db 所指的文件 check the file --db names") from None


def upgrade(store: Store, revision: str = "head") -> tuple[str | None, str]:
    """Create or upgrade the schema, in one transaction; return (before, after) revisions."""
    before = current_revision(store)
    _refuse_foreign(store, before)
    with store.connect(transaction=True) as connection:
        command.upgrade(_config(connection), revision)
    after = current_revision(store)
    assert after is not None
    return before, after


def upgrade_on(connection: Connection, revision: str = "head") -> None:
    """Upgrade inside the caller's transaction (a restore: schema and rows commit together)."""
    command.upgrade(_config(connection), revision)


def _refuse_foreign(store: Store, revision: str | None) -> None:
    if revision is None and store.table_names():
        raise StoreError(f"{store.display_url} 已有表但不是 ecopark 管理的 has tables but no "
                         "ecopark schema revision", "使用新的数据库 use an empty database")


def require_current(store: Store) -> None:
    """Refuse to work on a database whose schema is missing or behind the code."""
    revision = current_revision(store)
    if revision is None:
        raise StoreError(f"{store.display_url} 尚未初始化 has no ecopark schema",
                         f"运行 run: ecopark db init --db {store.display_url}")
    if revision != head_revision():
        raise StoreError(f"{store.display_url} 的结构版本为 {revision}，需要 {head_revision()} "
                         "the schema is not current",
                         f"先备份再升级 back up, then run: ecopark db upgrade --db {store.display_url}")
