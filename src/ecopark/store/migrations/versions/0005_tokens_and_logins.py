"""Tokens that expire and have a scope, and login counters that limit guessing:

    api_tokens.expires_at   when the token stops working (existing tokens: 90 days after the
                            upgrade; a token without one is treated as expired)
    api_tokens.scope        read (GET and HEAD only) | write (existing tokens: write, as before)
    login_counters(key, failures, window_start)
                            failed sign-ins per account (`user:<name>`), per address
                            (`ip:<address>`) and in all (`global`), each in its own window

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None

_EXISTING_TOKEN_DAYS = 90


def upgrade() -> None:
    # plain ADD COLUMN (no batch copy of api_tokens)
    op.add_column("api_tokens", sa.Column("expires_at", sa.DateTime(), nullable=True))
    op.add_column("api_tokens", sa.Column("scope", sa.String(8), nullable=False,
                                          server_default="write"))
    expires = (dt.datetime.now(dt.UTC) + dt.timedelta(days=_EXISTING_TOKEN_DAYS)).replace(
        tzinfo=None)
    tokens = sa.table("api_tokens", sa.column("expires_at", sa.DateTime()))
    op.execute(tokens.update().values(expires_at=expires))
    op.create_table(
        "login_counters",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_counters")),
    )


def downgrade() -> None:
    op.drop_table("login_counters")
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("scope")
        batch.drop_column("expires_at")
