"""The audit log becomes tamper-evident, and PostgreSQL refuses to truncate it.

    audit_log + prev_hash (unique: the chain cannot fork), hash

Existing entries are chained in id order: `hash` = SHA-256 over the canonical serialisation of
the entry (`ecopark.store.audit.entry_hash`, copied here as it was at this revision so the
migration never changes under a later edit of the code). The append-only triggers are dropped
for that one update and recreated; SQLite's table is rebuilt (batch mode) to make the columns
NOT NULL, which is why its triggers are created again afterwards.

PostgreSQL also gets a statement-level `BEFORE TRUNCATE` trigger. When the setting
`ECOPARK_DB_APP_ROLE` names an existing role other than the one migrating, that role is given
what the application needs and no more on the log: SELECT and INSERT (no UPDATE, DELETE or
TRUNCATE), and DML on the other tables. It is not the owner, so it cannot drop the triggers.
The migration cannot stop the owner (or a superuser) from doing so: see docs/store-and-api.md.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None

_MESSAGE = "audit_log is append-only"
_GENESIS = "0" * 64
_CHAINED = ("at", "actor", "action", "table_name", "row_key", "park_id", "old_json", "new_json")
APP_ROLE_ENV = "ECOPARK_DB_APP_ROLE"
_PAGE = 5000

_SQLITE_TRIGGERS = [
    f"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END",
    f"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END",
]
_PG_TRUNCATE = ("CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
                "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()")

_log = sa.table("audit_log", sa.column("id", sa.Integer), sa.column("at", sa.DateTime),
                *(sa.column(name) for name in _CHAINED[1:]),
                sa.column("prev_hash", sa.String), sa.column("hash", sa.String))


def _entry_hash(prev_hash: str, entry: Any) -> str:
    at: dt.datetime = entry["at"]
    if at.tzinfo is not None:
        at = at.astimezone(dt.UTC).replace(tzinfo=None)
    values = [prev_hash, at.isoformat(timespec="microseconds"),
              *(entry[key] for key in _CHAINED[1:])]
    canonical = json.dumps(values, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def _chain_existing() -> None:
    """Chain the existing entries in id order, a page at a time (bounded memory)."""
    bind = op.get_bind()
    update = _log.update().where(_log.c.id == sa.bindparam("key")).values(
        prev_hash=sa.bindparam("p"), hash=sa.bindparam("h"))
    previous, after = _GENESIS, 0
    while page := bind.execute(sa.select(_log).where(_log.c.id > after).order_by(_log.c.id)
                               .limit(_PAGE)).mappings().all():
        links = []
        for row in page:
            current = _entry_hash(previous, row)
            links.append({"key": row["id"], "p": previous, "h": current})
            previous = current
        bind.execute(update, links)
        after = page[-1]["id"]


def _drop_sqlite_triggers() -> None:
    op.execute("DROP TRIGGER audit_log_no_update")
    op.execute("DROP TRIGGER audit_log_no_delete")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _drop_sqlite_triggers()
    else:
        op.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change")
    op.add_column("audit_log", sa.Column("prev_hash", sa.String(64), nullable=True))
    op.add_column("audit_log", sa.Column("hash", sa.String(64), nullable=True))
    _chain_existing()
    with op.batch_alter_table("audit_log") as batch:
        batch.alter_column("prev_hash", existing_type=sa.String(64), nullable=False)
        batch.alter_column("hash", existing_type=sa.String(64), nullable=False)
        batch.create_unique_constraint("uq_audit_log_prev_hash", ["prev_hash"])
    if sqlite:
        for statement in _SQLITE_TRIGGERS:
            op.execute(statement)
        return
    op.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change")
    op.execute(_PG_TRUNCATE)
    _grant_app_role()


def _grant_app_role() -> None:
    """Grants for the application's role, when ECOPARK_DB_APP_ROLE names one that exists."""
    role = os.environ.get(APP_ROLE_ENV, "").strip()
    bind = op.get_bind()
    if not role or role == bind.execute(sa.text("SELECT current_user")).scalar():
        return
    if not bind.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar():
        return
    quoted, schema = bind.dialect.identifier_preparer.quote(role), _schema(bind)
    for statement in (
        f"GRANT USAGE ON SCHEMA {schema} TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {quoted}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {quoted}",
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_log FROM {quoted}",
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM {quoted}",
    ):
        op.execute(statement)


def _schema(bind: Any) -> str:
    name = bind.execute(sa.text("SELECT current_schema()")).scalar()
    return str(bind.dialect.identifier_preparer.quote(name))


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _drop_sqlite_triggers()
    else:
        op.execute("DROP TRIGGER audit_log_no_truncate ON audit_log")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_constraint("uq_audit_log_prev_hash", type_="unique")
        batch.drop_column("hash")
        batch.drop_column("prev_hash")
    if sqlite:
        for statement in _SQLITE_TRIGGERS:
            op.execute(statement)
