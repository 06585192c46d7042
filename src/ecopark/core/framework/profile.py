"""The park-profile fields a framework declares: a choice that parameterises requirements
(region class), a number in a unit (area), a date, a free text, or a time zone; and whether a
value fits its field."""

from __future__ import annotations

import datetime
import functools
import zoneinfo
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ecopark.core.framework.items import ValueLabel

__all__ = ["ProfileField", "profile_value_problem"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ProfileField(_Model):
    """A fact about the park: a choice from `values` (region class), a number in `unit` (area,
    `whole` for a count), a date (填报时间, an approval's date), free text (填报单位; `lines` > 1:
    a paragraph the officer writes) or an IANA time zone (Asia/Shanghai). `part` says where the
    report shows it: `overview` (一、园区概况), `problems` / `actions` (chapters 四 and 五 as the
    officer writes them); a choice field without one parameterises requirements."""

    name_zh: str
    name_en: str
    kind: Literal["choice", "number", "date", "text", "time_zone"] = "choice"
    values: dict[str, ValueLabel] = {}
    unit: str | None = None
    whole: bool = False
    lines: int = Field(default=1, ge=1, le=40)
    part: Literal["", "overview", "problems", "actions"] = ""
    default: str | None = None


def profile_value_problem(field: ProfileField, value: str) -> str | None:
    """Why `value` cannot be the field's value (None when it can); an empty text or date is
    allowed (not filled in)."""
    if field.kind == "choice":
        return None if value in field.values else "不在允许范围 not allowed"
    if field.kind == "date" and value:
        try:  # YYYY-MM-DD, or YYYY-MM when only the month is known
            datetime.date.fromisoformat(value if len(value) > 7 else f"{value}-01")
        except ValueError:
            return "应为日期，如 2019-05-22 must be a date such as 2019-05-22"
    if field.kind == "time_zone" and value and value not in _time_zones():
        return "不是时区名称，如 Asia/Shanghai not a time zone such as Asia/Shanghai"
    return None


@functools.cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())
