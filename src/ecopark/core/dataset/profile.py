"""Park profile: the facts that parameterise a framework for one park, and the 园区概况 facts
the report is written from (area, location, approvals …), each as its framework declares it.

    profile_value(field, raw, file, where) -> str | None   the value as kept, or None (empty)

A choice is one of the field's value keys; a number is kept in the field's unit (a value
written with another unit is converted: "476 公顷" for a field in km2 is "4.76"); a date as
YYYY-MM-DD (YYYY-MM when only the month is known); a text as written, stripped. What cannot be
read is a `DatasetError` at `where`.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import zoneinfo

from ecopark.core import units
from ecopark.core.errors import DatasetError, UnitError
from ecopark.core.framework.model import ProfileField
from ecopark.core.numbers import parse_printed

__all__ = ["DEFAULT_TIME_ZONE", "Profile", "number_of", "profile_value"]

DEFAULT_TIME_ZONE = "Asia/Shanghai"
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:月|(?:[-/.月]\s*(\d{1,2})\s*日?))?$")
_WITH_UNIT = re.compile(r"^\s*([-+]?[\d,.]+)\s*(\S.*?)\s*$")


@dataclasses.dataclass(frozen=True)
class Profile:
    """Park name, planning base year (规划基准年), framework-declared fields such as the region
    class, and the optional indicators the park is assessed on (是否为考核指标 = 是)."""

    name: str
    base_year: int
    fields: dict[str, str] = dataclasses.field(default_factory=dict)
    selected: frozenset[int] = frozenset()
    base_year_note: str = ""

    def with_base_year(self, year: int) -> Profile:
        return dataclasses.replace(self, base_year=year)

    def today(self, now: datetime.datetime | None = None) -> datetime.date:
        """Today in the park's time zone (profile field `time_zone`, else Asia/Shanghai), never
        the server's UTC date: at 20:00 UTC it is already the next day in China."""
        zone = zoneinfo.ZoneInfo(self.fields.get("time_zone") or DEFAULT_TIME_ZONE)
        return (now or datetime.datetime.now(datetime.UTC)).astimezone(zone).date()

    def filled_on(self, now: datetime.datetime | None = None) -> datetime.date:
        """The 填报时间: the profile field `filled_on` when set, else today in the park's zone."""
        written = self.fields.get("filled_on", "")
        if not written:
            return self.today(now)
        # a date known to the month only (2019-05) is kept as written: its first day
        return datetime.date.fromisoformat(written if len(written) > 7 else f"{written}-01")


def profile_value(field: ProfileField, raw: object, file: str, where: str) -> str | None:
    """A number, date or text field's value as kept (see the module doc), None when empty."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if field.kind == "number":
        return _number(field, raw, file, where)
    if field.kind == "date":
        return _date(field, raw, file, where)
    text = str(raw).strip()
    if field.kind == "time_zone" and text not in zoneinfo.available_timezones():
        raise DatasetError(file, where, f"{field.name_zh}不是时区名称 is not a time zone: {text!r}",
                           "写作时区名称，如 Asia/Shanghai a time-zone name such as Asia/Shanghai")
    return text


def number_of(text: str) -> float:
    """A kept number field's value as a number."""
    return float(text)


def _number(field: ProfileField, raw: object, file: str, where: str) -> str:
    assert field.unit is not None
    value = _in_unit(field, raw, file, where)
    if value < 0:
        raise DatasetError(file, where, f"{field.name_zh}不能为负 cannot be negative: {value:g}")
    if field.whole and value != int(value):
        raise DatasetError(file, where, f"{field.name_zh}应为整数 must be a whole number: "
                           f"{value:g}", "填写个数，如 120 write a count, e.g. 120")
    return str(int(value)) if value == int(value) else repr(round(value, 6))


def _in_unit(field: ProfileField, raw: object, file: str, where: str) -> float:
    assert field.unit is not None
    printed = parse_printed(raw)
    if printed.number is not None and not printed.percent:
        return printed.number
    match = _WITH_UNIT.match(str(raw))
    number = parse_printed(match.group(1)).number if match else None
    if match is None or number is None:
        raise DatasetError(file, where, f"{field.name_zh}不是数字 is not a number: {str(raw)!r}",
                           f"填写以 {units.pretty(field.unit)} 计的数字 write a number in "
                           f"{units.pretty(field.unit)}")
    try:
        return number * units.conversion_factor(match.group(2), field.unit)
    except UnitError as exc:
        raise dataclasses.replace(exc, file=file, key_path=where, value=str(raw),
                                  to_unit=field.unit) from None


def _date(field: ProfileField, raw: object, file: str, where: str) -> str:
    if isinstance(raw, datetime.date):
        return raw.isoformat()[:10]
    match = _DATE.match(str(raw).strip())
    try:
        if match is None:
            raise ValueError
        year, month, day = match.groups()
        kept = datetime.date(int(year), int(month), int(day or 1)).isoformat()
        return kept if day else kept[:7]
    except ValueError:
        raise DatasetError(file, where, f"{field.name_zh}不是日期 is not a date: {str(raw)!r}",
                           "写作 2015-03-02、2015年3月2日，或只知月份时 2015-03 "
                           "write it as 2015-03-02, or 2015-03 when only the month is known"
                           ) from None
