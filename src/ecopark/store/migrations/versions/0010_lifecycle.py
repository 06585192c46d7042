"""The park-year lifecycle: `park_years.state` and `park_years.edition`, the transitions
(`lifecycle_steps`), the approved editions kept whole (`park_year_snapshots`) and the reviewers'
comments per indicator (`review_comments`, threaded).

An existing park-year becomes `published` when its park publishes its table and it is the
year shown (the chosen `published_year`, else the park's latest year), else `draft`. A
published year of before this migration has no snapshot: it is locked, so its stored data are
its published edition, and a snapshot is taken of them before it is ever reopened.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | None = None
depends_on: str | None = None

APP_ROLE_ENV = "ECOPARK_DB_APP_ROLE"
TABLES = ("lifecycle_steps", "park_year_snapshots", "review_comments")


def upgrade() -> None:
    with op.batch_alter_table("park_years") as batch:
        batch.add_column(sa.Column("state", sa.String(length=16), nullable=False,
                                   server_default="draft"))
        batch.add_column(sa.Column("edition", sa.Integer(), nullable=False, server_default="1"))
    _steps()
    _snapshots()
    _comments()
    _published_years()
    if op.get_bind().dialect.name == "postgresql":
        _grant_app_role(op.get_bind())


def _parked(name: str, *columns: sa.Column[object] | sa.Constraint) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("park_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(["park_id"], ["parks.id"], name=op.f(f"fk_{name}_park_id_parks"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
    )
    op.create_index(op.f(f"ix_{name}_park_id"), name, ["park_id"], unique=False)


def _steps() -> None:
    _parked("lifecycle_steps",
            sa.Column("edition", sa.Integer(), nullable=False),
            sa.Column("action", sa.String(length=16), nullable=False),
            sa.Column("from_state", sa.String(length=16), nullable=False),
            sa.Column("to_state", sa.String(length=16), nullable=False),
            sa.Column("by", sa.Text(), nullable=False),
            sa.Column("at", sa.DateTime(), nullable=False),
            sa.Column("comment", sa.Text(), nullable=False))


def _snapshots() -> None:
    _parked("park_year_snapshots",
            sa.Column("edition", sa.Integer(), nullable=False),
            sa.Column("dataset_yaml", sa.Text(), nullable=False),
            sa.Column("approved_by", sa.Text(), nullable=False),
            sa.Column("approved_at", sa.DateTime(), nullable=False),
            sa.Column("published_at", sa.DateTime(), nullable=True),
            sa.Column("published_by", sa.Text(), nullable=True),
            sa.UniqueConstraint("park_id", "year", "edition",
                                name=op.f("uq_park_year_snapshots_park_id_year_edition")))


def _comments() -> None:
    _parked("review_comments",
            sa.Column("indicator", sa.Integer(), nullable=True),
            sa.Column("parent_id", sa.Integer(), nullable=True),
            sa.Column("author", sa.Text(), nullable=False),
            sa.Column("author_role", sa.String(length=32), nullable=False),
            sa.Column("text", sa.Text(), nullable=False),
            sa.Column("at", sa.DateTime(), nullable=False),
            sa.Column("resolved", sa.Boolean(), nullable=False, server_default=sa.false()),
            sa.Column("resolved_by", sa.Text(), nullable=True),
            sa.Column("resolved_at", sa.DateTime(), nullable=True),
            sa.ForeignKeyConstraint(["parent_id"], ["review_comments.id"],
                                    name=op.f("fk_review_comments_parent_id_review_comments"),
                                    ondelete="CASCADE"))
    op.create_index(op.f("ix_review_comments_parent_id"), "review_comments", ["parent_id"],
                    unique=False)


def _published_years() -> None:
    """published: the year a publishing park shows (its chosen year, else its latest)."""
    op.execute(sa.text("""
        UPDATE park_years SET state = 'published'
        WHERE park_id IN (SELECT id FROM parks WHERE publish_table = :yes)
          AND year = COALESCE(
                (SELECT p.published_year FROM parks p WHERE p.id = park_years.park_id
                   AND p.published_year IN (SELECT y.year FROM park_years y
                                            WHERE y.park_id = p.id)),
                (SELECT MAX(y.year) FROM park_years y WHERE y.park_id = park_years.park_id))
    """).bindparams(yes=True))


def _grant_app_role(bind: sa.Connection) -> None:
    """The new tables for the application's role, as 0006 granted the others."""
    role = os.environ.get(APP_ROLE_ENV, "").strip()
    if not role or role == bind.execute(sa.text("SELECT current_user")).scalar():
        return
    if not bind.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar():
        return
    quoted = bind.dialect.identifier_preparer.quote(role)
    for table in TABLES:
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {quoted}")
        op.execute(f"GRANT USAGE, SELECT ON SEQUENCE {table}_id_seq TO {quoted}")


def downgrade() -> None:
    op.drop_index(op.f("ix_review_comments_parent_id"), table_name="review_comments")
    for table in reversed(TABLES):
        op.drop_index(op.f(f"ix_{table}_park_id"), table_name=table)
        op.drop_table(table)
    with op.batch_alter_table("park_years") as batch:
        batch.drop_column("edition")
        batch.drop_column("state")
