"""The database schema: typed columns only (no pickled or JSON blobs of domain data).

A park has ONE record of observations: a value per (park, item, year), stored once whatever
evaluation reads it, with a version and a history (who, when, through what). A park-year is one
evaluation: what is its own (evaluation year, base year, selection, profile, checklists, lists,
sections, the printed table), and it reads the park's series up to its year, so
`repository.read_spec` gives back a complete, self-contained `DatasetFile`. Every value keeps
its as-written text, kind and unit next to the number in the item's canonical unit, and every
list keeps its order (`position`).

    parks ─< series, observations ─< observation_history
    parks ─< park_years ─< profile_values, selected_indicators,
                         checklist_groups ─< checklist_entries, data_lists ─< list_records
                         ─< list_fields, reported_tables, reported_values, reported_rows,
                         text_statements
    frameworks ─< framework_versions ─< park_years
    parks ─< enterprises ─< submissions ─< submission_values
    roles ─< users ─< api_tokens, sessions;  login_attempts, login_counters;  audit_log (append-only)
    jobs (background work: state, progress and result; not audited)
    parks ─< campaigns ─< campaign_items, reminders;  users ─< notifications;  kept_forms
    parks ─< lifecycle_steps, park_year_snapshots, review_comments ─< review_comments (replies)
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = [
    "ROLES", "SUBMISSION_STATUSES", "TOKEN_SCOPES", "ApiToken", "AuditEntry", "Base", "Campaign",
    "CampaignItem", "ChecklistEntry", "ChecklistGroup", "DataList", "Enterprise", "FrameworkRow",
    "FrameworkVersion", "JobRow", "KeptForm", "LifecycleStep", "ListField", "ListRecord",
    "LoginAttempt", "LoginCounter", "Notification", "ObservationHistory", "ObservationRow",
    "Park", "ParkYear", "ParkYearSnapshot", "ProfileValue", "Reminder", "ReportedRowRow",
    "ReportedTable", "ReportedValue", "ReviewComment", "Role", "SelectedIndicator", "SeriesRow",
    "SessionRow", "Submission", "SubmissionValue", "TextStatementRow", "User", "utcnow",
]

ROLES = ("admin", "park_officer", "enterprise", "reviewer")
TOKEN_SCOPES = ("read", "write")
SUBMISSION_STATUSES = ("draft", "submitted", "accepted", "rejected")

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A UTC instant: stored naive (UTC) on every engine, read back timezone-aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC)  # type: ignore[no-any-return]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dt.datetime: UTCDateTime, str: Text}


def _fk(target: str, nullable: bool = False) -> Mapped[Any]:
    return mapped_column(ForeignKey(target, ondelete="CASCADE"), nullable=nullable, index=True)


_CHILDREN = "all, delete-orphan"


# --------------------------------------------------------------------------- parks, frameworks


class Park(Base):
    __tablename__ = "parks"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(unique=True)
    province: Mapped[str | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # the public disclosure page (信息公开): what the park officer chose to publish
    publish_table: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    publish_enterprises: Mapped[bool] = mapped_column(Boolean, default=False,
                                                      server_default=false())
    published_year: Mapped[int | None] = mapped_column(Integer)  # None: the latest stored
    years: Mapped[list[ParkYear]] = relationship(back_populates="park", cascade=_CHILDREN,
                                                 order_by="ParkYear.year")
    enterprises: Mapped[list[Enterprise]] = relationship(back_populates="park",
                                                         cascade=_CHILDREN)
    series: Mapped[list[SeriesRow]] = relationship(cascade=_CHILDREN,
                                                   order_by="SeriesRow.position")
    observations: Mapped[list[ObservationRow]] = relationship(
        back_populates="park", cascade=_CHILDREN, order_by="ObservationRow.position")


class FrameworkRow(Base):
    __tablename__ = "frameworks"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(Text, unique=True)
    name_zh: Mapped[str]
    name_en: Mapped[str]


class FrameworkVersion(Base):
    __tablename__ = "framework_versions"
    __table_args__ = (UniqueConstraint("framework_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = _fk("frameworks.id")
    version: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(default="")
    framework: Mapped[FrameworkRow] = relationship()


class ParkYear(Base):
    """One park's evaluation of one year: its own settings, and the park's series read up to
    its year (`series`, `observations`: read-only views of the park's record). `version` counts
    the changes to what is its own (settings, selection, sections, printed table)."""

    __tablename__ = "park_years"
    __table_args__ = (UniqueConstraint("park_id", "year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = _fk("parks.id")
    year: Mapped[int]
    framework_version_id: Mapped[int] = mapped_column(ForeignKey("framework_versions.id"),
                                                      index=True)
    dataset_year: Mapped[int | None]  # the file's `year:` (None when it had none)
    park_name: Mapped[str]  # `park.name` as the file wrote it
    base_year: Mapped[int]
    base_year_note: Mapped[str] = mapped_column(Text, default="")
    source_file: Mapped[str] = mapped_column(Text, default="")
    loaded_by: Mapped[str]
    loaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # the lifecycle (store/lifecycle.py): its state, and the edition (版本) it is at; an
    # approved edition is kept whole in park_year_snapshots, a reopened year is the next one
    state: Mapped[str] = mapped_column(String(16), default="draft", server_default="draft")
    edition: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it)
    park: Mapped[Park] = relationship(back_populates="years")
    framework_version: Mapped[FrameworkVersion] = relationship()
    profile_values: Mapped[list[ProfileValue]] = relationship(
        cascade=_CHILDREN, order_by="ProfileValue.position")
    selected: Mapped[list[SelectedIndicator]] = relationship(
        cascade=_CHILDREN, order_by="SelectedIndicator.position")
    series: Mapped[list[SeriesRow]] = relationship(
        primaryjoin="ParkYear.park_id == foreign(SeriesRow.park_id)", viewonly=True,
        order_by="SeriesRow.position")
    observations: Mapped[list[ObservationRow]] = relationship(
        primaryjoin="and_(ParkYear.park_id == foreign(ObservationRow.park_id), "
                    "ObservationRow.year <= ParkYear.year)",
        viewonly=True, order_by="ObservationRow.position")
    checklist_groups: Mapped[list[ChecklistGroup]] = relationship(
        cascade=_CHILDREN, order_by="ChecklistGroup.position")
    data_lists: Mapped[list[DataList]] = relationship(cascade=_CHILDREN,
                                                      order_by="DataList.position")
    reported: Mapped[ReportedTable | None] = relationship(cascade=_CHILDREN)
    reported_values: Mapped[list[ReportedValue]] = relationship(
        cascade=_CHILDREN, order_by="ReportedValue.position")
    reported_rows: Mapped[list[ReportedRowRow]] = relationship(
        cascade=_CHILDREN, order_by="ReportedRowRow.position")
    text_statements: Mapped[list[TextStatementRow]] = relationship(
        cascade=_CHILDREN, order_by="TextStatementRow.position")
    sections: Mapped[list[DatasetSection]] = relationship(
        cascade=_CHILDREN, order_by="DatasetSection.position")

    @property
    def framework_key(self) -> str:
        return self.framework_version.framework.key


class ProfileValue(Base):
    """A framework-declared profile field of the park (e.g. region_class), as written."""

    __tablename__ = "profile_values"
    __table_args__ = (UniqueConstraint("park_year_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    park_year_id: Mapped[int] = _fk("park_years.id")
    position: Mapped[int]
    name: Mapped[str] = mapped_column(Text)
    value: Mapped[str]


class SelectedIndicator(Base):
    """An optional indicator the park is assessed on (是否为考核指标 = 是)."""

    __tablename__ = "selected_indicators"
    id: Mapped[int] = mapped_column(primary_key=True)
    park_year_id: Mapped[int] = _fk("park_years.id")
    position: Mapped[int]
    number: Mapped[int]


# --------------------------------------------------------------------------- observations


class SeriesRow(Base):
    """One item's series header in a park's record: its unit, source and note."""

    __tablename__ = "series"
    __table_args__ = (UniqueConstraint("park_id", "item"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = _fk("parks.id")
    position: Mapped[int]
    item: Mapped[str] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


VIAS = ("form", "import", "rollup", "api", "cli", "migration")


class ObservationRow(Base):
    """One value of an item in a year, in the park's record: stored once per (park, item, year).
    `value` is in the item's canonical unit (None for "/" and for facts); `value_text` and
    `value_kind` (int, float, str) are the value as written, and `unit` the unit it was written
    in (None for counts and facts; `unit_given`: written on the value itself, not only on the
    series). `version` starts at 1 and grows with every change; `via` is
    how the current version came in (one of VIAS), `via_detail` e.g. the import file's name."""

    __tablename__ = "observations"
    __table_args__ = (UniqueConstraint("park_id", "item", "year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = _fk("parks.id")
    position: Mapped[int]
    item: Mapped[str] = mapped_column(Text)
    year: Mapped[int]
    value: Mapped[float | None] = mapped_column(Float)
    value_text: Mapped[str] = mapped_column(Text)
    value_kind: Mapped[str] = mapped_column(String(8))
    unit: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    detailed: Mapped[bool] = mapped_column(Boolean, default=False)  # written as {value: …}
    unit_given: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    via: Mapped[str] = mapped_column(String(16), default="cli", server_default="cli")
    via_detail: Mapped[str] = mapped_column(Text, default="", server_default="")
    entered_by: Mapped[str]
    entered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    park: Mapped[Park] = relationship(back_populates="observations")
    # UPDATE … WHERE version = <read>: a concurrent change makes the flush fail, never lost
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it)
    history: Mapped[list[ObservationHistory]] = relationship(
        cascade=_CHILDREN, order_by="ObservationHistory.id.desc()", passive_deletes=True)


class ObservationHistory(Base):
    """Every version a value has had, the current one included: what, who, when, through what,
    and the reason given when a plausibility error was confirmed. Rows are only ever added."""

    __tablename__ = "observation_history"
    id: Mapped[int] = mapped_column(primary_key=True)
    observation_id: Mapped[int] = _fk("observations.id")
    park_id: Mapped[int] = mapped_column(Integer, index=True)
    version: Mapped[int]
    value: Mapped[float | None] = mapped_column(Float)
    value_text: Mapped[str] = mapped_column(Text)
    value_kind: Mapped[str] = mapped_column(String(8))
    unit: Mapped[str | None] = mapped_column(Text)
    by: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    via: Mapped[str] = mapped_column(String(16))
    via_detail: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")


class ChecklistGroup(Base):
    """A checklist's entries for one year (year None: the checklist was given with no years)."""

    __tablename__ = "checklist_groups"
    id: Mapped[int] = mapped_column(primary_key=True)
    park_year_id: Mapped[int] = _fk("park_years.id")
    position: Mapped[int]
    checklist: Mapped[str] = mapped_column(Text)
    year: Mapped[int | None]
    entries: Mapped[list[ChecklistEntry]] = relationship(cascade=_CHILDREN,
                                                         order_by="ChecklistEntry.position")


class ChecklistEntry(Base):
    __tablename__ = "checklist_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = _fk("checklist_groups.id")
    position: Mapped[int]
    name: Mapped[str] = mapped_column(Text)
    done: Mapped[bool] = mapped_column(Boolean)
    evidence: Mapped[str] = mapped_column(Text, default="")


class DataList(Base):
    """A framework-declared list (e.g. eco_chain_projects) of one dataset."""

    __tablename__ = "data_lists"
    id: Mapped[int] = mapped_column(primary_key=True)
    park_year_id: Mapped[int] = _fk("park_years.id")
    position: Mapped[int]
    name: Mapped[str] = mapped_column(Text)
    records: Mapped[list[ListRecord]] = relationship(cascade=_CHILDREN,
                                                     order_by="ListRecord.position")


class ListRecord(Base):
    __tablename__ = "list_records"
    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = _fk("data_lists.id")
    position: Mapped[int]
    year: Mapped[int]
    fields: Mapped[list[ListField]] = relationship(cascade=_CHILDREN,
                                                   order_by="ListField.position")


class ListField(Base):
    """One field of a list record; its value as JSON text (a scalar as the file wrote it)."""

    __tablename__ = "list_fields"
    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = _fk("list_records.id")
    position: Mapped[int]
    key: Mapped[str] = mapped_column(Text)
    value_json: Mapped[str] = mapped_column(Text)


# --------------------------------------------------------------------------- reported tables


class ReportedTable(Base):
    """The table a park printed (对照考核表): its year and where it comes from."""

    __tablename__ = "reported_tables"
    id: Mapped[int] = mapped_column(primary_key=True)
    park_year_id: Mapped[int] = mapped_column(ForeignKey("park_years.id", ondelete="CASCADE"),
                                              unique=True)
    year: Mapped[int]
    source: Mapped[str] = mapped_column(Text, default="")
    uploaded_by: Mapped[str]
    uploaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ReportedValue(Base):
    """An indicator value as printed (e.g. "39.31", "达标", "/")."""

    __tablename__ = "reported_values"
    id: Mapped[int] = mapped_column(primary_key=True)
    park_year_id: Mapped[int] = _fk("park_years.id")
    position: Mapped[int]
    number: Mapped[int]
    value_text: Mapped[str] = mapped_column(Text)
    value_kind: Mapped[str] = mapped_column(String(8))


class ReportedRowRow(Base):
    """A base row as printed (item, year, value, unit)."""

    __tablename__ = "reported_rows"
    id: Mapped[int] = mapped_column(primary_key=True)
    park_year_id: Mapped[int] = _fk("park_years.id")
    position: Mapped[int]
    item: Mapped[str] = mapped_column(Text)
    year: Mapped[int]
    value_text: Mapped[str] = mapped_column(Text)
    value_kind: Mapped[str] = mapped_column(String(8))
    unit: Mapped[str | None] = mapped_column(Text)


class TextStatementRow(Base):
    """A value stated in the report's text (about an indicator or an item-year)."""

    __tablename__ = "text_statements"
    id: Mapped[int] = mapped_column(primary_key=True)
    park_year_id: Mapped[int] = _fk("park_years.id")
    position: Mapped[int]
    indicator: Mapped[int | None]
    item: Mapped[str | None] = mapped_column(Text)
    year: Mapped[int | None]
    value_text: Mapped[str] = mapped_column(Text)
    value_kind: Mapped[str] = mapped_column(String(8))
    unit: Mapped[str | None] = mapped_column(Text)
    where: Mapped[str] = mapped_column(Text, default="")


class DatasetSection(Base):
    """A dataset section of the framework-format extensions (also_frameworks, settings,
    exemptions, gates, inventory), kept whole as the YAML the dataset file would hold: they are
    documents validated by the core's dataset schema, read and written as a unit."""

    __tablename__ = "dataset_sections"
    __table_args__ = (UniqueConstraint("park_year_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    park_year_id: Mapped[int] = _fk("park_years.id")
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(40))
    content: Mapped[str] = mapped_column(Text)


# --------------------------------------------------------------------------- enterprises


class Enterprise(Base):
    __tablename__ = "enterprises"
    __table_args__ = (UniqueConstraint("park_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = _fk("parks.id")
    name: Mapped[str]
    credit_code: Mapped[str | None] = mapped_column(Text)  # 统一社会信用代码
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    key_enterprise: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    disclosure: Mapped[str] = mapped_column(Text, default="", server_default="")  # 环境信息
    park: Mapped[Park] = relationship(back_populates="enterprises")
    submissions: Mapped[list[Submission]] = relationship(back_populates="enterprise",
                                                         cascade=_CHILDREN,
                                                         order_by="Submission.year")


class Submission(Base):
    """An enterprise's data for one year: draft → submitted → accepted | rejected (reason)."""

    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("enterprise_id", "year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = _fk("enterprises.id")
    year: Mapped[int]
    framework_key: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    reason: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[dt.datetime | None]
    decided_by: Mapped[str | None]
    decided_at: Mapped[dt.datetime | None]
    enterprise: Mapped[Enterprise] = relationship(back_populates="submissions")
    values: Mapped[list[SubmissionValue]] = relationship(cascade=_CHILDREN,
                                                         order_by="SubmissionValue.position")


class SubmissionValue(Base):
    """One item of a submission: as written (text, unit) and in the item's canonical unit."""

    __tablename__ = "submission_values"
    __table_args__ = (UniqueConstraint("submission_id", "item"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = _fk("submissions.id")
    position: Mapped[int]
    item: Mapped[str] = mapped_column(Text)
    value: Mapped[float | None] = mapped_column(Float)
    value_text: Mapped[str] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


# --------------------------------------------------------------------------- users


class Role(Base):
    __tablename__ = "roles"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    description_zh: Mapped[str]
    description_en: Mapped[str]


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    role: Mapped[str] = mapped_column(ForeignKey("roles.name"))
    park_id: Mapped[int | None] = _fk("parks.id", nullable=True)
    enterprise_id: Mapped[int | None] = _fk("enterprises.id", nullable=True)
    password_hash: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    email: Mapped[str | None] = mapped_column(Text)  # where notifications are e-mailed (if any)
    tokens: Mapped[list[ApiToken]] = relationship(cascade=_CHILDREN)


class ApiToken(Base):
    """A bearer token for scripts; only its SHA-256 is stored. `scope` is read (GET and HEAD
    only) or write; a token without `expires_at` is treated as expired."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = _fk("users.id")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None]
    expires_at: Mapped[dt.datetime | None]
    scope: Mapped[str] = mapped_column(String(8), default="write", server_default="write")


class SessionRow(Base):
    """A browser session; only the SHA-256 of the cookie value is stored."""

    __tablename__ = "sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = _fk("users.id")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    ip: Mapped[str] = mapped_column(Text, default="")


class LoginAttempt(Base):
    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_user_ip_at", "user_name", "ip", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_name: Mapped[str] = mapped_column(Text)
    ip: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    succeeded: Mapped[bool] = mapped_column(Boolean)


class LoginCounter(Base):
    """Failed sign-ins counted per key (`user:<name>`, `ip:<address>`, `global`) since
    `window_start`; changed only by single UPSERT statements, so concurrent logins count
    exactly (see `login_limits.py`)."""

    __tablename__ = "login_counters"
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    window_start: Mapped[dt.datetime]


class AuditEntry(Base):
    """Who changed what, when: one row per inserted, updated or deleted row, old → new as JSON
    text, written in the transaction of the change (see `audit.py`). Never updated or deleted:
    a database trigger refuses both. Each entry is hash-chained to the one before it
    (`prev_hash` is that entry's `hash`; `hash` is SHA-256 over this entry's fields and
    `prev_hash`), so an edited, removed or inserted entry breaks the chain."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str]
    action: Mapped[str] = mapped_column(String(8))  # insert | update | delete
    table_name: Mapped[str] = mapped_column(String(64), index=True)
    row_key: Mapped[str] = mapped_column(Text)
    park_id: Mapped[int | None] = mapped_column(Integer, index=True)  # no FK: outlives the park
    old_json: Mapped[str | None] = mapped_column(Text)
    new_json: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)  # unique: the chain cannot fork
    hash: Mapped[str] = mapped_column(String(64))


class JobRow(Base):
    """A background job (ecopark.jobs): its id is the digest of the request (kind, park-year,
    the park's data version, language, the input's digest), so asking twice finds the same
    job. Its state, progress and result live here, where every worker and every web process
    reads them. Not audited: a job changes no data, and the park's data version is read from
    the audit log. A job that is not one park-year's (a batch of uploads, an e-mail) has no
    park_id and year, and only its requester and administrators see it."""

    __tablename__ = "jobs"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    park_id: Mapped[int | None] = mapped_column(Integer, index=True)  # None: not one park's
    year: Mapped[int | None]
    lang: Mapped[str] = mapped_column(String(8))
    data_version: Mapped[int]
    # what the job works on when it is not a park-year's stored data (an upload, a message)
    input: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    input_name: Mapped[str] = mapped_column(Text, default="", server_default="")
    state: Mapped[str] = mapped_column(String(16))  # queued | running | done | failed
    steps_done: Mapped[int] = mapped_column(Integer, default=0)
    steps_total: Mapped[int] = mapped_column(Integer, default=1)
    label: Mapped[str] = mapped_column(Text, default="")  # the current step, in Chinese
    error: Mapped[str] = mapped_column(Text, default="")  # what the user reads when it failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    result: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    result_name: Mapped[str] = mapped_column(Text, default="")
    requested_by: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)


# --------------------------------------------------------------------------- campaigns, notices


class Campaign(Base):
    """A park's call to its enterprises to report one year: the items asked and a deadline
    (a date in the park's time zone: the end of that day)."""

    __tablename__ = "campaigns"
    __table_args__ = (UniqueConstraint("park_id", "year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = _fk("parks.id")
    year: Mapped[int]
    deadline: Mapped[dt.date] = mapped_column(Date)
    opened_by: Mapped[str] = mapped_column(Text)
    opened_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    items: Mapped[list[CampaignItem]] = relationship(cascade=_CHILDREN,
                                                     order_by="CampaignItem.position")
    reminders: Mapped[list[Reminder]] = relationship(cascade=_CHILDREN,
                                                     order_by="Reminder.id")


class CampaignItem(Base):
    """An item (framework item id) a campaign asks the enterprises for."""

    __tablename__ = "campaign_items"
    __table_args__ = (UniqueConstraint("campaign_id", "item"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = _fk("campaigns.id")
    position: Mapped[int]
    item: Mapped[str] = mapped_column(Text)


class Reminder(Base):
    """A reminder (催报) sent to one enterprise in a campaign: who sent it, when."""

    __tablename__ = "reminders"
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = _fk("campaigns.id")
    enterprise_id: Mapped[int] = _fk("enterprises.id")
    sent_by: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Notification(Base):
    """Something a user should hear of (an `events.Event` addressed to them): in both
    languages, with the page it concerns; `read_at` is set when they mark it read."""

    __tablename__ = "notifications"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = _fk("users.id")
    kind: Mapped[str] = mapped_column(String(40))
    text_zh: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    read_at: Mapped[dt.datetime | None]


class KeptForm(Base):
    """What was typed into a form whose save came after the session expired, kept for a short
    while under the SHA-256 of a random token (carried in the address back to the form) and
    given back once, after signing in again. `fields_json`: the form's text fields."""

    __tablename__ = "kept_forms"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    path: Mapped[str] = mapped_column(Text)
    fields_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)


# --------------------------------------------------------------------------- lifecycle


class LifecycleStep(Base):
    """One transition of a park-year's lifecycle (store/lifecycle.py): who moved which edition
    of (park, year) from one state to another, when, and the comment or reason given. Keyed by
    park and year, not by the park-year row, so the history outlives a replaced dataset."""

    __tablename__ = "lifecycle_steps"
    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = _fk("parks.id")
    year: Mapped[int]
    edition: Mapped[int]
    action: Mapped[str] = mapped_column(String(16))
    from_state: Mapped[str] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    by: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    comment: Mapped[str] = mapped_column(Text, default="")


class ParkYearSnapshot(Base):
    """An approved edition of a park-year, kept whole: the dataset as the dataset export writes
    it (YAML), who approved it and when; `published_at` once it was made public. Documents of
    an approved edition are rendered from here, so they stay the same byte for byte."""

    __tablename__ = "park_year_snapshots"
    __table_args__ = (UniqueConstraint("park_id", "year", "edition"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = _fk("parks.id")
    year: Mapped[int]
    edition: Mapped[int]
    dataset_yaml: Mapped[str] = mapped_column(Text)
    approved_by: Mapped[str] = mapped_column(Text)
    approved_at: Mapped[dt.datetime]
    published_at: Mapped[dt.datetime | None]
    published_by: Mapped[str | None] = mapped_column(Text)


class ReviewComment(Base):
    """A reviewer's comment on one indicator of a park-year (`indicator` None: on the whole
    year), or a reply in its thread (`parent_id`). A thread is open until resolved."""

    __tablename__ = "review_comments"
    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = _fk("parks.id")
    year: Mapped[int]
    indicator: Mapped[int | None]
    parent_id: Mapped[int | None] = _fk("review_comments.id", nullable=True)
    author: Mapped[str] = mapped_column(Text)
    author_role: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    resolved: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    resolved_by: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[dt.datetime | None]
    replies: Mapped[list[ReviewComment]] = relationship(cascade=_CHILDREN,
                                                        order_by="ReviewComment.id")
