"""Background jobs: one row per job (ecopark.jobs), where every worker and web process reads
its state, progress and result.

    jobs(id, kind, park_id, year, lang, data_version, state, steps_done, steps_total, label,
         error, attempts, result, result_name, requested_by, created_at, updated_at)

The id is the digest of the request, so the same request finds the same row. The table is not
audited (a job changes no data). On PostgreSQL the queue (huey) lives in the same database:
its tables (`huey_kv`, `huey_schedule`, `huey_task`, `huey_counter`, from huey's own DDL) are
made here by the owner role, since the server's role may not create tables; on SQLite huey
keeps its queue in a file beside the database and makes it itself.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None

APP_ROLE_ENV = "ECOPARK_DB_APP_ROLE"


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("park_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("data_version", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("steps_done", sa.Integer(), nullable=False),
        sa.Column("steps_total", sa.Integer(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("result", sa.LargeBinary(), nullable=True),
        sa.Column("result_name", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
    )
    op.create_index(op.f("ix_jobs_park_id"), "jobs", ["park_id"], unique=False)
    op.create_index(op.f("ix_jobs_updated_at"), "jobs", ["updated_at"], unique=False)
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for statement in _huey_ddl():
            op.execute(statement)
        _grant_app_role(bind)


HUEY_TABLES = ("huey_kv", "huey_schedule", "huey_task", "huey_counter")


def _huey_ddl() -> list[str]:
    """huey's own statements for its PostgreSQL tables (they all say `if not exists`)."""
    from huey.storage import PostgresStorage

    storage = PostgresStorage("ecopark", dsn="postgresql://", create_tables=False)
    return list(storage.ddl)


def _grant_app_role(bind: sa.Connection) -> None:
    """The new table for the application's role, as 0006 granted the others."""
    role = os.environ.get(APP_ROLE_ENV, "").strip()
    if not role or role == bind.execute(sa.text("SELECT current_user")).scalar():
        return
    if not bind.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar():
        return
    quoted = bind.dialect.identifier_preparer.quote(role)
    for table in ("jobs", *HUEY_TABLES):
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {quoted}")
    for sequence in ("huey_schedule_id_seq", "huey_task_id_seq"):
        op.execute(f"GRANT USAGE, SELECT ON SEQUENCE {sequence} TO {quoted}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in HUEY_TABLES:
            op.execute(f"DROP TABLE IF EXISTS {table}")
    op.drop_index(op.f("ix_jobs_updated_at"), table_name="jobs")
    op.drop_index(op.f("ix_jobs_park_id"), table_name="jobs")
    op.drop_table("jobs")
