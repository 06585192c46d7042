"""The first schema: parks and park-years with their observations, checklists, lists and
reported tables; frameworks and versions; enterprises and submissions; users, roles, tokens,
sessions, login attempts; the audit log. The four roles are rows of `roles`.

Revision ID: 0001
Revises: (none)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

ROLES = [
    {"name": "admin", "description_zh": "管理员：全部权限", "description_en": "administrator: everything"},
    {
        "name": "park_officer",
        "description_zh": "园区工作人员：本园区的数据",
        "description_en": "park officer: their own park's data",
    },
    {
        "name": "enterprise",
        "description_zh": "企业：仅本企业的报送",
        "description_en": "enterprise: their own enterprise's submissions only",
    },
    {
        "name": "reviewer",
        "description_zh": "审核人员：读取全部园区，仅可上传核查用的表",
        "description_en": "reviewer: reads every park, writes only verification uploads",
    },
]


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=False),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("row_key", sa.Text(), nullable=False),
        sa.Column("park_id", sa.Integer(), nullable=True),
        sa.Column("old_json", sa.Text(), nullable=True),
        sa.Column("new_json", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_park_id"), "audit_log", ["park_id"], unique=False)
    op.create_index(op.f("ix_audit_log_table_name"), "audit_log", ["table_name"], unique=False)

    op.create_table(
        "frameworks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("name_zh", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_frameworks")),
        sa.UniqueConstraint("key", name=op.f("uq_frameworks_key")),
    )
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_name", sa.Text(), nullable=False),
        sa.Column("ip", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempts")),
    )
    op.create_index("ix_login_attempts_user_ip_at", "login_attempts", ["user_name", "ip", "at"], unique=False)

    op.create_table(
        "parks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("province", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parks")),
        sa.UniqueConstraint("name", name=op.f("uq_parks_name")),
    )
    op.create_table(
        "roles",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("description_zh", sa.Text(), nullable=False),
        sa.Column("description_en", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_roles")),
    )
    roles = sa.table("roles", sa.column("name"), sa.column("description_zh"), sa.column("description_en"))
    op.bulk_insert(roles, ROLES)
    op.create_table(
        "enterprises",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("park_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("credit_code", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["park_id"], ["parks.id"], name=op.f("fk_enterprises_park_id_parks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enterprises")),
        sa.UniqueConstraint("park_id", "name", name=op.f("uq_enterprises_park_id_name")),
    )
    op.create_index(op.f("ix_enterprises_park_id"), "enterprises", ["park_id"], unique=False)

    op.create_table(
        "framework_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["frameworks.id"],
            name=op.f("fk_framework_versions_framework_id_frameworks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_framework_versions")),
        sa.UniqueConstraint(
            "framework_id", "version", name=op.f("uq_framework_versions_framework_id_version")
        ),
    )
    op.create_index(
        op.f("ix_framework_versions_framework_id"), "framework_versions", ["framework_id"], unique=False
    )

    op.create_table(
        "park_years",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("park_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("framework_version_id", sa.Integer(), nullable=False),
        sa.Column("dataset_year", sa.Integer(), nullable=True),
        sa.Column("park_name", sa.Text(), nullable=False),
        sa.Column("base_year", sa.Integer(), nullable=False),
        sa.Column("base_year_note", sa.Text(), nullable=False),
        sa.Column("source_file", sa.Text(), nullable=False),
        sa.Column("loaded_by", sa.Text(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["framework_version_id"],
            ["framework_versions.id"],
            name=op.f("fk_park_years_framework_version_id_framework_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["park_id"], ["parks.id"], name=op.f("fk_park_years_park_id_parks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_park_years")),
        sa.UniqueConstraint("park_id", "year", name=op.f("uq_park_years_park_id_year")),
    )
    op.create_index(
        op.f("ix_park_years_framework_version_id"), "park_years", ["framework_version_id"], unique=False
    )
    op.create_index(op.f("ix_park_years_park_id"), "park_years", ["park_id"], unique=False)

    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("framework_key", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by", sa.Text(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_submissions_enterprise_id_enterprises"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submissions")),
        sa.UniqueConstraint("enterprise_id", "year", name=op.f("uq_submissions_enterprise_id_year")),
    )
    op.create_index(op.f("ix_submissions_enterprise_id"), "submissions", ["enterprise_id"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("park_id", sa.Integer(), nullable=True),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.Column("password_hash", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_users_enterprise_id_enterprises"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["park_id"], ["parks.id"], name=op.f("fk_users_park_id_parks"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["role"], ["roles.name"], name=op.f("fk_users_role_roles")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("name", name=op.f("uq_users_name")),
    )
    op.create_index(op.f("ix_users_enterprise_id"), "users", ["enterprise_id"], unique=False)
    op.create_index(op.f("ix_users_park_id"), "users", ["park_id"], unique=False)

    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    op.create_index(op.f("ix_api_tokens_user_id"), "api_tokens", ["user_id"], unique=False)

    op.create_table(
        "checklist_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("park_year_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("checklist", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["park_year_id"],
            ["park_years.id"],
            name=op.f("fk_checklist_groups_park_year_id_park_years"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_groups")),
    )
    op.create_index(
        op.f("ix_checklist_groups_park_year_id"), "checklist_groups", ["park_year_id"], unique=False
    )

    op.create_table(
        "data_lists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("park_year_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["park_year_id"],
            ["park_years.id"],
            name=op.f("fk_data_lists_park_year_id_park_years"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_lists")),
    )
    op.create_index(op.f("ix_data_lists_park_year_id"), "data_lists", ["park_year_id"], unique=False)

    op.create_table(
        "observations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("park_year_id", sa.Integer(), nullable=False),
        sa.Column("park_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("item", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("value_text", sa.Text(), nullable=False),
        sa.Column("value_kind", sa.String(length=8), nullable=False),
        sa.Column("unit", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("detailed", sa.Boolean(), nullable=False),
        sa.Column("entered_by", sa.Text(), nullable=False),
        sa.Column("entered_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["park_id"], ["parks.id"], name=op.f("fk_observations_park_id_parks"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["park_year_id"],
            ["park_years.id"],
            name=op.f("fk_observations_park_year_id_park_years"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observations")),
        sa.UniqueConstraint(
            "park_year_id", "item", "year", name=op.f("uq_observations_park_year_id_item_year")
        ),
    )
    op.create_index(
        "ix_observations_park_item_year", "observations", ["park_id", "item", "year"], unique=False
    )
    op.create_index(op.f("ix_observations_park_year_id"), "observations", ["park_year_id"], unique=False)

    op.create_table(
        "profile_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("park_year_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["park_year_id"],
            ["park_years.id"],
            name=op.f("fk_profile_values_park_year_id_park_years"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile_values")),
        sa.UniqueConstraint("park_year_id", "name", name=op.f("uq_profile_values_park_year_id_name")),
    )
    op.create_index(op.f("ix_profile_values_park_year_id"), "profile_values", ["park_year_id"], unique=False)

    op.create_table(
        "reported_rows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("park_year_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("item", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value_text", sa.Text(), nullable=False),
        sa.Column("value_kind", sa.String(length=8), nullable=False),
        sa.Column("unit", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["park_year_id"],
            ["park_years.id"],
            name=op.f("fk_reported_rows_park_year_id_park_years"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reported_rows")),
    )
    op.create_index(op.f("ix_reported_rows_park_year_id"), "reported_rows", ["park_year_id"], unique=False)

    op.create_table(
        "reported_tables",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("park_year_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("uploaded_by", sa.Text(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["park_year_id"],
            ["park_years.id"],
            name=op.f("fk_reported_tables_park_year_id_park_years"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reported_tables")),
        sa.UniqueConstraint("park_year_id", name=op.f("uq_reported_tables_park_year_id")),
    )
    op.create_table(
        "reported_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("park_year_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("value_text", sa.Text(), nullable=False),
        sa.Column("value_kind", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ["park_year_id"],
            ["park_years.id"],
            name=op.f("fk_reported_values_park_year_id_park_years"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reported_values")),
    )
    op.create_index(
        op.f("ix_reported_values_park_year_id"), "reported_values", ["park_year_id"], unique=False
    )

    op.create_table(
        "selected_indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("park_year_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["park_year_id"],
            ["park_years.id"],
            name=op.f("fk_selected_indicators_park_year_id_park_years"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selected_indicators")),
    )
    op.create_index(
        op.f("ix_selected_indicators_park_year_id"), "selected_indicators", ["park_year_id"], unique=False
    )

    op.create_table(
        "series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("park_year_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("item", sa.Text(), nullable=False),
        sa.Column("unit", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["park_year_id"],
            ["park_years.id"],
            name=op.f("fk_series_park_year_id_park_years"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_series")),
        sa.UniqueConstraint("park_year_id", "item", name=op.f("uq_series_park_year_id_item")),
    )
    op.create_index(op.f("ix_series_park_year_id"), "series", ["park_year_id"], unique=False)

    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("ip", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_sessions_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_sessions_token_hash")),
    )
    op.create_index(op.f("ix_sessions_user_id"), "sessions", ["user_id"], unique=False)

    op.create_table(
        "submission_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("item", sa.Text(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("value_text", sa.Text(), nullable=False),
        sa.Column("unit", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_submission_values_submission_id_submissions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission_values")),
        sa.UniqueConstraint("submission_id", "item", name=op.f("uq_submission_values_submission_id_item")),
    )
    op.create_index(
        op.f("ix_submission_values_submission_id"), "submission_values", ["submission_id"], unique=False
    )

    op.create_table(
        "text_statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("park_year_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.Integer(), nullable=True),
        sa.Column("item", sa.Text(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("value_text", sa.Text(), nullable=False),
        sa.Column("value_kind", sa.String(length=8), nullable=False),
        sa.Column("unit", sa.Text(), nullable=True),
        sa.Column("where", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["park_year_id"],
            ["park_years.id"],
            name=op.f("fk_text_statements_park_year_id_park_years"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_text_statements")),
    )
    op.create_index(
        op.f("ix_text_statements_park_year_id"), "text_statements", ["park_year_id"], unique=False
    )

    op.create_table(
        "checklist_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["checklist_groups.id"],
            name=op.f("fk_checklist_entries_group_id_checklist_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_entries")),
    )
    op.create_index(op.f("ix_checklist_entries_group_id"), "checklist_entries", ["group_id"], unique=False)

    op.create_table(
        "list_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["data_lists.id"],
            name=op.f("fk_list_records_list_id_data_lists"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_records")),
    )
    op.create_index(op.f("ix_list_records_list_id"), "list_records", ["list_id"], unique=False)

    op.create_table(
        "list_fields",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("value_json", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["list_records.id"],
            name=op.f("fk_list_fields_record_id_list_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_fields")),
    )
    op.create_index(op.f("ix_list_fields_record_id"), "list_fields", ["record_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_list_fields_record_id"), table_name="list_fields")

    op.drop_table("list_fields")
    op.drop_index(op.f("ix_list_records_list_id"), table_name="list_records")

    op.drop_table("list_records")
    op.drop_index(op.f("ix_checklist_entries_group_id"), table_name="checklist_entries")

    op.drop_table("checklist_entries")
    op.drop_index(op.f("ix_text_statements_park_year_id"), table_name="text_statements")

    op.drop_table("text_statements")
    op.drop_index(op.f("ix_submission_values_submission_id"), table_name="submission_values")

    op.drop_table("submission_values")
    op.drop_index(op.f("ix_sessions_user_id"), table_name="sessions")

    op.drop_table("sessions")
    op.drop_index(op.f("ix_series_park_year_id"), table_name="series")

    op.drop_table("series")
    op.drop_index(op.f("ix_selected_indicators_park_year_id"), table_name="selected_indicators")

    op.drop_table("selected_indicators")
    op.drop_index(op.f("ix_reported_values_park_year_id"), table_name="reported_values")

    op.drop_table("reported_values")
    op.drop_table("reported_tables")
    op.drop_index(op.f("ix_reported_rows_park_year_id"), table_name="reported_rows")

    op.drop_table("reported_rows")
    op.drop_index(op.f("ix_profile_values_park_year_id"), table_name="profile_values")

    op.drop_table("profile_values")
    op.drop_index(op.f("ix_observations_park_year_id"), table_name="observations")
    op.drop_index("ix_observations_park_item_year", table_name="observations")

    op.drop_table("observations")
    op.drop_index(op.f("ix_data_lists_park_year_id"), table_name="data_lists")

    op.drop_table("data_lists")
    op.drop_index(op.f("ix_checklist_groups_park_year_id"), table_name="checklist_groups")

    op.drop_table("checklist_groups")
    op.drop_index(op.f("ix_api_tokens_user_id"), table_name="api_tokens")

    op.drop_table("api_tokens")
    op.drop_index(op.f("ix_users_park_id"), table_name="users")
    op.drop_index(op.f("ix_users_enterprise_id"), table_name="users")

    op.drop_table("users")
    op.drop_index(op.f("ix_submissions_enterprise_id"), table_name="submissions")

    op.drop_table("submissions")
    op.drop_index(op.f("ix_park_years_park_id"), table_name="park_years")
    op.drop_index(op.f("ix_park_years_framework_version_id"), table_name="park_years")

    op.drop_table("park_years")
    op.drop_index(op.f("ix_framework_versions_framework_id"), table_name="framework_versions")

    op.drop_table("framework_versions")
    op.drop_index(op.f("ix_enterprises_park_id"), table_name="enterprises")

    op.drop_table("enterprises")
    op.drop_table("roles")
    op.drop_table("parks")
    op.drop_index("ix_login_attempts_user_ip_at", table_name="login_attempts")

    op.drop_table("login_attempts")
    op.drop_table("frameworks")
    op.drop_index(op.f("ix_audit_log_table_name"), table_name="audit_log")
    op.drop_index(op.f("ix_audit_log_park_id"), table_name="audit_log")

    op.drop_table("audit_log")
