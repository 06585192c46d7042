"""Reporting campaigns, notifications, e-mail addresses and forms kept over an expired session:

    users.email                  where a user's notifications are e-mailed (empty: not e-mailed)
    campaigns(park, year, deadline, opened_by, opened_at)
    campaign_items(campaign, position, item)       the items a campaign asks for
    reminders(campaign, enterprise, sent_by, sent_at)   every reminder (催报) sent
    notifications(user, kind, text_zh, text_en, link, created_at, read_at)
    kept_forms(token_hash, path, fields_json, created_at)

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | None = None
depends_on: str | None = None


def _fk(column: str, table: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], ondelete="CASCADE",
                                   name=op.f(f"fk_{table}_{column}_{target}"))


def _index(table: str, column: str) -> None:
    op.create_index(op.f(f"ix_{table}_{column}"), table, [column])


def upgrade() -> None:
    op.add_column("users", sa.Column("email", sa.Text(), nullable=True))
    op.create_table(
        "campaigns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("park_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("opened_by", sa.Text(), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        _fk("park_id", "campaigns", "parks"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaigns")),
        sa.UniqueConstraint("park_id", "year", name=op.f("uq_campaigns_park_id_year")),
    )
    _index("campaigns", "park_id")
    op.create_table(
        "campaign_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("item", sa.Text(), nullable=False),
        _fk("campaign_id", "campaign_items", "campaigns"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_items")),
        sa.UniqueConstraint("campaign_id", "item", name=op.f("uq_campaign_items_campaign_id_item")),
    )
    _index("campaign_items", "campaign_id")
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("sent_by", sa.Text(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        _fk("campaign_id", "reminders", "campaigns"),
        _fk("enterprise_id", "reminders", "enterprises"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminders")),
    )
    _index("reminders", "campaign_id")
    _index("reminders", "enterprise_id")
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("text_zh", sa.Text(), nullable=False),
        sa.Column("text_en", sa.Text(), nullable=False),
        sa.Column("link", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        _fk("user_id", "notifications", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    _index("notifications", "user_id")
    op.create_table(
        "kept_forms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("fields_json", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kept_forms")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_kept_forms_token_hash")),
    )
    _index("kept_forms", "created_at")


def downgrade() -> None:
    for table in ("kept_forms", "notifications", "reminders", "campaign_items", "campaigns"):
        op.drop_table(table)
    with op.batch_alter_table("users") as batch:
        batch.drop_column("email")
