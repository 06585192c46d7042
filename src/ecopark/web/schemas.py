"""The API's request and response bodies (pydantic), besides the core's own: `DatasetFile` and
`Reported` (the dataset format) and the JSON contract of evaluations and verifications."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ecopark.core.text import problem, unsafe_char
from ecopark.store import models as m
from ecopark.store.auth import TokenInfo
from ecopark.store.passwords import MIN_PASSWORD
from ecopark.store.repository import scalar_value

__all__ = ["AuditOut", "EnterpriseIn", "EnterpriseOut", "ErrorOut", "LoginIn", "LoginOut",
           "ObservationIn", "ObservationOut", "ParkIn", "ParkOut", "ParkYearOut", "RejectIn",
           "SubmissionIn", "SubmissionOut", "SubmissionValueIn", "TokenIn", "TokenInfoOut", "TokenOut",
           "UserIn", "UserOut", "UserPatch", "YearIn"]

Name = Field(min_length=1, max_length=200)
Text = Field(None, max_length=10_000)
Role = Literal["admin", "park_officer", "enterprise", "reviewer"]
Year = Field(ge=1900, le=2200)


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    @field_validator("*", mode="after")
    @classmethod
    def _plain_text(cls, value: object) -> object:
        """No text field holds a control character (NUL, a bidirectional override …)."""
        char = unsafe_char(value) if isinstance(value, str) else None
        if char is not None:
            raise ValueError(problem(char))
        return value


class ErrorDetail(BaseModel):
    type: str = Field(description="错误类型 the error class, e.g. DatasetError, NotFound")
    message_zh: str
    message_en: str
    fields: dict[str, object] = Field(description="错误的字段 the error's fields (file, key_path, "
                                      "item …); for invalid requests `errors` lists each field")


class ErrorOut(BaseModel):
    """The one shape of every error response."""

    error: ErrorDetail


class LoginIn(_In):
    name: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=1000)


class UserOut(BaseModel):
    id: int
    name: str
    role: str
    park_id: int | None
    enterprise_id: int | None
    active: bool

    @classmethod
    def of(cls, user: m.User) -> UserOut:
        return cls(id=user.id, name=user.name, role=user.role, park_id=user.park_id,
                   enterprise_id=user.enterprise_id, active=user.active)


class LoginOut(BaseModel):
    user: UserOut
    csrf_token: str = Field(description="send as X-CSRF-Token with every cookie-authenticated "
                            "POST, PUT, PATCH or DELETE")
    expires_at: dt.datetime


class TokenIn(_In):
    label: str = Field("", max_length=200)
    scope: Literal["read", "write"] = Field("write", description="read: GET and HEAD only")
    days: int | None = Field(None, ge=1, le=3650, description="有效天数 days the token lasts "
                             "(default: ECOPARK_TOKEN_DAYS, 90)")


class TokenOut(BaseModel):
    id: int
    token: str = Field(description="shown once; send as `Authorization: Bearer <token>`")
    label: str
    scope: str
    expires_at: dt.datetime | None


class TokenInfoOut(BaseModel):
    """A token as listed: never its secret."""

    id: int
    user: str
    label: str
    scope: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    state: Literal["active", "expired", "revoked"]

    @classmethod
    def of(cls, info: TokenInfo) -> TokenInfoOut:
        return cls(**dataclasses.asdict(info), state=info.state)


class UserIn(_In):
    name: str = Field(min_length=1, max_length=100, pattern=r"^[^\s/]+$")
    role: Role
    password: str = Field(min_length=MIN_PASSWORD, max_length=1000)
    park_id: int | None = None
    enterprise_id: int | None = None


class UserPatch(_In):
    password: str | None = Field(None, min_length=MIN_PASSWORD, max_length=1000)
    active: bool | None = None


class ParkIn(_In):
    name: str = Name
    province: str | None = Field(None, max_length=100)


class ParkOut(BaseModel):
    id: int
    name: str
    province: str | None
    years: list[int]

    @classmethod
    def of(cls, park: m.Park) -> ParkOut:
        return cls(id=park.id, name=park.name, province=park.province,
                   years=[y.year for y in park.years])


class YearIn(_In):
    """A new evaluation year (park-year): what the previous one had is carried over."""

    year: int = Field(ge=1900, le=2200, description="评价年份 the evaluation year")
    base_year: int | None = Field(None, ge=1900, le=2200, description="规划基准年 planning base "
                                  "year (default: the previous park-year's)")
    selected: list[int] | None = Field(None, max_length=200, description="考核的可选指标序号 "
                                       "optional indicators assessed (default: the previous "
                                       "park-year's; none for a park's first year)")
    profile: dict[str, str] | None = Field(None, max_length=50, description="园区属性 profile "
                                           "fields, e.g. {\"region_class\": \"other\"}")


class ParkYearOut(BaseModel):
    park_id: int
    park: str
    year: int
    framework: str
    framework_version: str
    base_year: int
    observations: int
    has_reported: bool
    loaded_by: str
    loaded_at: dt.datetime

    @classmethod
    def of(cls, py: m.ParkYear, observations: int | None = None) -> ParkYearOut:
        """`observations`: counted by the caller (a list counts them in one query)."""
        version = py.framework_version
        return cls(park_id=py.park_id, park=py.park.name, year=py.year,
                   framework=version.framework.key, framework_version=version.version,
                   base_year=py.base_year,
                   observations=len(py.observations) if observations is None else observations,
                   has_reported=py.reported is not None, loaded_by=py.loaded_by,
                   loaded_at=py.loaded_at)


class ObservationIn(_In):
    value: float | int | str = Field(description='数值或 "/"（未填报）a number, a fact, or "/"')
    unit: str | None = Field(None, max_length=100, description="单位 unit (default: the series "
                             "unit, else the item's unit); converted, never assumed")
    source: str | None = Text
    note: str | None = Text


class ObservationOut(BaseModel):
    item: str
    year: int
    value: float | None = Field(description="in the item's canonical unit (None: '/' or a fact)")
    canonical_unit: str
    value_text: str = Field(description="the value as written")
    unit: str | None = Field(description="the unit it was written in")
    source: str | None
    note: str | None
    version: int
    entered_by: str
    entered_at: dt.datetime


class HistoryOut(BaseModel):
    version: int
    value: float | int | str = Field(description="the value as written")
    unit: str | None
    by: str
    at: dt.datetime
    via: str = Field(description="form | import | rollup | api | cli | migration")
    detail: str = Field(description="e.g. the import file's name")
    reason: str = Field(description="the reason given when a plausibility error was confirmed")

    @classmethod
    def of(cls, row: m.ObservationHistory) -> HistoryOut:
        return cls(version=row.version, value=scalar_value(row.value_text, row.value_kind),
                   unit=row.unit, by=row.by, at=row.at, via=row.via, detail=row.via_detail,
                   reason=row.reason)


class ValueOut(BaseModel):
    """One value of the park's record, its version (also the ETag) and its history."""

    item: str
    year: int
    value: float | int | str = Field(description="the value as written")
    unit: str | None = Field(description="the unit it was written in")
    canonical_value: float | None = Field(description="in the item's canonical unit "
                                          "(None: '/' or a fact)")
    canonical_unit: str
    source: str | None
    version: int
    history: list[HistoryOut] = Field(description="every version, newest first")

    @classmethod
    def of(cls, row: m.ObservationRow, canonical_unit: str) -> ValueOut:
        return cls(item=row.item, year=row.year,
                   value=scalar_value(row.value_text, row.value_kind), unit=row.unit,
                   canonical_value=row.value, canonical_unit=canonical_unit, source=row.source,
                   version=row.version, history=[HistoryOut.of(h) for h in row.history])


class ValueIn(_In):
    value: float | int | str = Field(description='数值或 "/"（未填报）a number, a fact, or "/"')
    unit: str | None = Field(None, max_length=100, description="单位 unit (default: the series "
                             "unit, else the item's unit); converted, never assumed")
    source: str | None = Text
    reason: str = Field("", max_length=2000, description="why an implausible value is right "
                        "(kept in its history)")


class EnterpriseIn(_In):
    name: str = Name
    credit_code: str | None = Field(None, max_length=32)


class EnterpriseOut(BaseModel):
    id: int
    park_id: int
    name: str
    credit_code: str | None

    @classmethod
    def of(cls, enterprise: m.Enterprise) -> EnterpriseOut:
        return cls(id=enterprise.id, park_id=enterprise.park_id, name=enterprise.name,
                   credit_code=enterprise.credit_code)


class SubmissionValueIn(_In):
    item: str = Field(min_length=1, max_length=100)
    value: float | int | str
    unit: str | None = Field(None, max_length=100)
    note: str | None = Text


class SubmissionIn(_In):
    framework: str = Field("hj274-2015", max_length=100)
    values: list[SubmissionValueIn] = Field(max_length=1000)


class SubmissionValueOut(BaseModel):
    item: str
    value: float | None
    value_text: str
    unit: str | None
    note: str | None


class SubmissionOut(BaseModel):
    enterprise_id: int
    year: int
    framework: str
    status: Literal["draft", "submitted", "accepted", "rejected"]
    reason: str
    values: list[SubmissionValueOut]
    created_by: str
    submitted_at: dt.datetime | None
    decided_by: str | None
    decided_at: dt.datetime | None

    @classmethod
    def of(cls, sub: m.Submission) -> SubmissionOut:
        values = [SubmissionValueOut(item=v.item, value=v.value, value_text=v.value_text,
                                     unit=v.unit, note=v.note) for v in sub.values]
        return cls(enterprise_id=sub.enterprise_id, year=sub.year, framework=sub.framework_key,
                   status=sub.status, reason=sub.reason, values=values,
                   created_by=sub.created_by, submitted_at=sub.submitted_at,
                   decided_by=sub.decided_by, decided_at=sub.decided_at)


class RejectIn(_In):
    reason: str = Field(min_length=1, max_length=10_000)


class AuditOut(BaseModel):
    id: int
    at: dt.datetime
    actor: str
    action: str
    table: str
    key: str
    park_id: int | None
    old: dict[str, object] | None = Field(description="the changed columns' old values "
                                          "(None: inserted)")
    new: dict[str, object] | None = Field(description="the new values (None: deleted)")

    @classmethod
    def of(cls, entry: m.AuditEntry) -> AuditOut:
        return cls(id=entry.id, at=entry.at, actor=entry.actor, action=entry.action,
                   table=entry.table_name, key=entry.row_key, park_id=entry.park_id,
                   old=_loads(entry.old_json), new=_loads(entry.new_json))


def _loads(text: str | None) -> dict[str, object] | None:
    return None if text is None else dict(json.loads(text))
