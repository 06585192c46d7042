"""Park profile: the facts that parameterise a framework for one park, and the 园区概况 facts
the report is written from (area, location, approvals …), each as its framework declares it.

    read_profile(spec, framework, file, others) -> Profile  the dataset's `park:` section, checked
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
from ecopark.core.dataset.schema import DatasetFile
from ecopark.core.errors import DatasetError, UnitError
from ecopark.core.framework.model import Framework
from ecopark.core.framework.profile import ProfileField, profile_value_problem
from ecopark.core.numbers import parse_printed

__all__ = ["DEFAULT_TIME_ZONE", "Profile", "number_of", "profile_value", "read_profile"]

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


def read_profile(spec: DatasetFile, framework: Framework, file: str,
                 others: list[Framework] | None = None) -> Profile:
    """The dataset's `park:` section under `framework`: its declared fields kept as values of
    their kind; fields only another named framework declares are skipped; `selected` checked
    (optional indicators only) and kept for the dataset's own framework."""
    extra = {k: v for k, v in (spec.park.model_extra or {}).items()
             if k in framework.spec.profile_fields
             or not any(k in fw.spec.profile_fields for fw in others or [])}
    fields: dict[str, str] = {}
    for name, declared in framework.spec.profile_fields.items():
        if declared.kind != "choice":
            kept = profile_value(declared, extra.pop(name, None), file, f"park.{name}")
            if kept is not None:
                fields[name] = kept
            continue
        value = extra.pop(name, declared.default)
        if value is None:
            raise DatasetError(file, f"park.{name}", f"缺少 {declared.name_zh} missing",
                               f"可用 allowed: {', '.join(declared.values)}")
        text = _profile_value(declared, name, value, file)
        if text:  # a text, date or zone left empty is not filled in
            fields[name] = text
    if extra:
        raise DatasetError(file, f"park.{next(iter(extra))}", "未知的园区信息字段 unknown field",
                           f"可用 allowed: name, base_year, base_year_note, selected, "
                           f"{', '.join(framework.spec.profile_fields)}")
    if spec.framework != framework.id:  # `selected` belongs to the dataset's own framework
        return Profile(spec.park.name, spec.park.base_year, fields, frozenset(),
                       spec.park.base_year_note)
    _check_selected(spec, framework, file)
    return Profile(spec.park.name, spec.park.base_year, fields, frozenset(spec.park.selected),
                   spec.park.base_year_note)


def _profile_value(declared: ProfileField, name: str, value: object, file: str) -> str:
    text = str(value).strip()
    problem = profile_value_problem(declared, text)
    if problem is None:
        return text
    hint = f"可用 allowed: {', '.join(f'{k}（{v.zh}）' for k, v in declared.values.items())}" \
        if declared.kind == "choice" else ""
    raise DatasetError(file, f"park.{name}", f"{declared.name_zh} 的取值 {value!r} {problem}",
                       hint)


def _check_selected(spec: DatasetFile, framework: Framework, file: str) -> None:
    for index, number in enumerate(spec.park.selected):
        indicator = framework.by_number.get(number)
        if indicator is None or indicator.mandatory:
            raise DatasetError(file, f"park.selected[{index}]",
                               f"{number} 不是可选指标 is not an optional indicator",
                               "只列可选指标的序号 list optional indicator numbers only")


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
