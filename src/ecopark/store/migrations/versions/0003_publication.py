"""What a park publishes on its public disclosure page (信息公开), and which of its enterprises
are key enterprises with their environmental information:

    parks.publish_table        the 对照考核表 of the published year is public
    parks.publish_enterprises  key enterprises' environmental information is public
    parks.published_year       the year shown (NULL: the latest stored)
    enterprises.key_enterprise 重点企业
    enterprises.disclosure     环境信息 as the enterprise discloses it (plain text)

Existing rows publish nothing (server defaults false / empty).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    # plain ADD COLUMN (no batch copy: recreating `parks` on SQLite would cascade deletes)
    op.add_column("parks", sa.Column("publish_table", sa.Boolean(), nullable=False,
                                     server_default=sa.false()))
    op.add_column("parks", sa.Column("publish_enterprises", sa.Boolean(), nullable=False,
                                     server_default=sa.false()))
    op.add_column("parks", sa.Column("published_year", sa.Integer(), nullable=True))
    op.add_column("enterprises", sa.Column("key_enterprise", sa.Boolean(), nullable=False,
                                           server_default=sa.false()))
    op.add_column("enterprises", sa.Column("disclosure", sa.Text(), nullable=False,
                                           server_default=""))


def downgrade() -> None:
    for table, column in (("enterprises", "disclosure"), ("enterprises", "key_enterprise"),
                          ("parks", "published_year"), ("parks", "publish_enterprises"),
                          ("parks", "publish_table")):
        op.drop_column(table, column)
