"""Starting an evaluation year (park-year) of a park: its evaluation year and planning base year
(规划基准年) chosen, the rest carried over from the park's previous evaluation.

What a new park-year takes over from the latest earlier one (else the nearest later one): the
framework, the park's name as written, the selection of optional indicators (是否为考核指标,
unless one is given), the profile values (region class, 园区概况 …; not the chapters 四/五 the
officer wrote for a year) and the framework settings and the
other frameworks the data are also assessed under (`also_frameworks`, `settings`). It takes no
observations, no printed table, no exemptions, gates or inventory: those belong to a year. A park
with no park-year yet gets the shipped framework `hj274-2015` and the profile's defaults.

The new park-year is stored as a dataset with no observations (`repository.save_dataset`: checked
by the core before a row is written), and audited like every write (the session's actor).

    start_year(session, park, year, base_year | None, selected=None, profile=None) -> ParkYear
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecopark.core.dataset.schema import FORMAT, DatasetFile
from ecopark.core.errors import Conflict, InvalidValue
from ecopark.core.framework.loading import load_framework
from ecopark.core.framework.profile import ProfileField
from ecopark.store import models as m
from ecopark.store import repository

__all__ = ["CARRIED_SECTIONS", "DEFAULT_FRAMEWORK", "previous_year", "start_year",
           "year_defaults"]

DEFAULT_FRAMEWORK = "hj274-2015"
CARRIED_SECTIONS = ("also_frameworks", "settings")
FIRST_YEAR, LAST_YEAR = 1900, 2200


def previous_year(session: Session, park: m.Park, year: int) -> m.ParkYear | None:
    """The park-year a new `year` takes over from: the latest earlier one, else the nearest
    later one, else None (the park has none)."""
    rows = session.scalars(select(m.ParkYear).where(m.ParkYear.park_id == park.id)).all()
    earlier = [r for r in rows if r.year < year]
    later = [r for r in rows if r.year > year]
    if earlier:
        return max(earlier, key=lambda r: r.year)
    return min(later, key=lambda r: r.year) if later else None


def year_defaults(session: Session, park: m.Park) -> tuple[int, int]:
    """The evaluation year and base year a new park-year is offered: the year after the latest,
    with its base year (a park with none: the last calendar year, and three years before it)."""
    latest = session.scalars(select(m.ParkYear).where(m.ParkYear.park_id == park.id)
                             .order_by(m.ParkYear.year.desc()).limit(1)).first()
    if latest is None:
        year = m.utcnow().year - 1
        return year, year - 3
    return latest.year + 1, latest.base_year


def start_year(session: Session, park: m.Park, year: int, base_year: int | None, *,
               selected: Sequence[int] | None = None,
               profile: Mapping[str, str] | None = None) -> m.ParkYear:
    """Create the park-year `year` of `park` with base year `base_year` (None: the previous
    park-year's); `selected` (the
    optional indicators assessed) and `profile` (profile fields such as region_class) replace
    what the previous park-year had. Conflict when the year exists; InvalidValue for a year out
    of range or a base year not before the evaluation year; the core's DatasetError for a selection
    or profile value the framework does not allow. Nothing is written on any error."""
    _refuse_existing(session, park, year)
    previous = previous_year(session, park, year)
    if base_year is None:
        base_year = _base_year_of(previous)
    _check_years(year, base_year)
    spec = _new_spec(park, year, base_year, previous, selected, profile)
    source = f"新建年度（沿用 {previous.year} 年）new year (from {previous.year})" \
        if previous is not None else "新建年度 new year"
    return repository.save_dataset(session, spec, load_framework(spec.framework),
                                   park=park.name, source_file=source)


def _base_year_of(previous: m.ParkYear | None) -> int:
    if previous is None:
        raise InvalidValue("base_year", "园区的第一个评价年度须填写规划基准年 a park's first "
                           "evaluation year needs its planning base year",
                           "填写建设规划的起始年，如 2015 give the plan's start year, e.g. 2015")
    return previous.base_year


def _check_years(year: int, base_year: int) -> None:
    for name, value in (("year", year), ("base_year", base_year)):
        if not FIRST_YEAR <= value <= LAST_YEAR:
            raise InvalidValue(name, f"年份应在 {FIRST_YEAR}–{LAST_YEAR} 之间 a year from "
                               f"{FIRST_YEAR} to {LAST_YEAR}: {value}")
    if base_year >= year:
        raise InvalidValue("base_year", f"规划基准年 {base_year} 不早于评价年份 {year} the planning "
                           f"base year {base_year} is not before the evaluation year {year}",
                           "基准年应为建设规划的起始年，早于评价年份 choose the plan's start year, "
                           "before the evaluation year")


def _refuse_existing(session: Session, park: m.Park, year: int) -> None:
    exists = session.scalars(select(m.ParkYear.id).where(
        m.ParkYear.park_id == park.id, m.ParkYear.year == year)).first()
    if exists is not None:
        raise Conflict(problem="已有该评价年度 the evaluation year exists already",
                       kind="园区年度数据 park-year", key=f"{park.name} {year}",
                       hint="打开该年度填报数据，或选择另一年份 open that year to enter data, "
                       "or choose another year")


def _own(field: ProfileField) -> bool:
    """A profile field of one park-year only: a chapter the officer wrote, the date the table
    was filled in (a date that is no 园区概况 fact)."""
    return field.part in ("problems", "actions") or (field.kind == "date" and not field.part)


def _new_spec(park: m.Park, year: int, base_year: int, previous: m.ParkYear | None,
              selected: Sequence[int] | None, profile: Mapping[str, str] | None) -> DatasetFile:
    old = repository.read_spec(previous) if previous is not None else None
    park_data = _park_data(park, base_year, old)
    if old is not None:  # the chapters and the 填报时间 belong to their year
        fields = load_framework(old.framework).spec.profile_fields
        park_data = {k: v for k, v in park_data.items() if k not in fields or not _own(fields[k])}
    if selected is not None:
        park_data["selected"] = sorted(set(selected))
    park_data.update(profile or {})
    data = {"format": FORMAT, "framework": old.framework if old else DEFAULT_FRAMEWORK,
            "park": park_data, "year": year, "observations": {}}
    if old is not None:
        carried = old.model_dump(mode="python", include=set(CARRIED_SECTIONS), by_alias=True,
                                 exclude_defaults=True)
        data.update(carried)
    return DatasetFile.model_validate(data)


def _park_data(park: m.Park, base_year: int, old: DatasetFile | None) -> dict[str, object]:
    if old is None:
        return {"name": park.name, "base_year": base_year, "selected": []}
    data = old.park.model_dump()
    same_base = old.park.base_year == base_year
    data.update(base_year=base_year, base_year_note=old.park.base_year_note if same_base else "")
    return data

