"""Jobs that are not one park-year's: `jobs.park_id` and `jobs.year` may be empty, and a job
carries its own input (an upload, a message) in `input` with its file name in `input_name`.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.alter_column("park_id", existing_type=sa.Integer(), nullable=True)
        batch.alter_column("year", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("input", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("input_name", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    op.execute("DELETE FROM jobs WHERE park_id IS NULL OR year IS NULL")
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("input_name")
        batch.drop_column("input")
        batch.alter_column("year", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("park_id", existing_type=sa.Integer(), nullable=False)
