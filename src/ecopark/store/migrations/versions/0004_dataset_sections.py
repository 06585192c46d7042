"""The dataset sections of the framework-format extensions, stored per park-year:

    dataset_sections(park_year_id, position, name, content)
        name     also_frameworks | settings | exemptions | gates | inventory
        content  the section as the dataset file's YAML (validated by the core on every write)

Before this, a park-year kept only HJ 274's sections, so a zero-carbon park's inventory, gates,
settings and exemptions were lost on loading. Existing park-years have none (nothing to move).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "dataset_sections",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("park_year_id", sa.Integer(),
                  sa.ForeignKey("park_years.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.UniqueConstraint("park_year_id", "name"),
    )
    op.create_index("ix_dataset_sections_park_year_id", "dataset_sections", ["park_year_id"])


def downgrade() -> None:
    op.drop_index("ix_dataset_sections_park_year_id", "dataset_sections")
    op.drop_table("dataset_sections")
