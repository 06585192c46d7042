"""Park profile: the facts that parameterise a framework for one park."""

from __future__ import annotations

import dataclasses
import datetime
import zoneinfo

__all__ = ["DEFAULT_TIME_ZONE", "Profile"]

DEFAULT_TIME_ZONE = "Asia/Shanghai"


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
        return datetime.date.fromisoformat(written) if written else self.today(now)
