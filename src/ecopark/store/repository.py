"""Datasets in the database: a `DatasetFile` stored as one park-year (its own settings) plus its
values written into the park's one series (in the caller's transaction: all rows or none), and
read back as a complete `DatasetFile` (the park's values up to the evaluation year).

Everything is validated by the core (`ecopark.core.dataset.loading.build_dataset`) before a row is written,
so the database never holds a dataset `ecopark assess` would refuse; values are stored both as
written (text, kind, unit) and in the item's canonical unit. Every value has a version and a
history: a write that changes it adds a version (who, when, through what); a write based on a
version that is no longer current is refused (`StaleWrite`), never applied silently.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import yaml
from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from ecopark.core import quality
from ecopark.core.dataset.loading import build_dataset
from ecopark.core.dataset.model import Dataset
from ecopark.core.dataset.schema import (
    FORMAT,
    ChecklistEntry,
    DatasetFile,
    Reported,
    Series,
    ValueEntry,
)
from ecopark.core.errors import Conflict, InvalidValue, NotFound, StaleWrite
from ecopark.core.evaluate import resolve_year
from ecopark.core.framework.loading import available_frameworks, load_framework
from ecopark.core.framework.model import Framework
from ecopark.store import models as m

__all__ = [
    "Expected",
    "YearHead",
    "context_year",
    "dataset_of",
    "get_observation",
    "get_park",
    "get_park_year",
    "list_parks",
    "merged",
    "park_by_name",
    "park_version",
    "park_versions",
    "park_years_by_id",
    "read_spec",
    "record",
    "replace_reported",
    "require_finite",
    "save_dataset",
    "set_observation",
    "stale_cells",
    "versions",
    "versions_of",
    "write_series",
    "year_head",
]

Cell = tuple[str, int]
# the versions a write was based on: (item, year) → version read (0: there was none)
Expected = Mapping[Cell, int]


# --------------------------------------------------------------------------- parks


def park_by_name(session: Session, name: str, create: bool = False) -> m.Park:
    park = session.scalars(select(m.Park).where(m.Park.name == name)).one_or_none()
    if park is None and create:
        park = m.Park(name=name)
        session.add(park)
        session.flush()
    if park is None:
        raise NotFound("园区 park", name)
    return park


def get_park(session: Session, park_id: int) -> m.Park:
    park = session.get(m.Park, park_id)
    if park is None:
        raise NotFound("园区 park", str(park_id))
    return park


def list_parks(session: Session) -> list[m.Park]:
    return list(session.scalars(select(m.Park).order_by(m.Park.name)))


def get_park_year(session: Session, park: m.Park, year: int | None = None) -> m.ParkYear:
    """A park's park-year (the latest when `year` is None), with every child row loaded."""
    query = select(m.ParkYear).where(m.ParkYear.park_id == park.id).options(*_FULL)
    query = query.where(m.ParkYear.year == year) if year is not None else \
        query.order_by(m.ParkYear.year.desc()).limit(1)
    found = session.scalars(query).first()
    if found is None:
        raise NotFound("园区年度数据 park-year", f"{park.name} {year or ''}".strip())
    return found


# Every page of a park-year asks for both first: one query, its statement built once (with bind
# parameters; building one costs more than running it on SQLite).
_PARK_VERSION = select(
    select(m.ParkYear.id).where(m.ParkYear.park_id == bindparam("park"),
                                m.ParkYear.year == bindparam("year")).scalar_subquery(),
    select(func.max(m.AuditEntry.id)).where(m.AuditEntry.park_id == bindparam("park"))
    .scalar_subquery())


def park_version(session: Session, park: m.Park, year: int) -> tuple[int, int]:
    """The park-year's id and the park's data version (its latest audit entry), without loading
    the park-year: every change to the park's rows changes the version."""
    park_year_id, version = session.execute(_PARK_VERSION, {"park": park.id, "year": year}).one()
    if park_year_id is None:
        raise NotFound("园区年度数据 park-year", f"{park.name} {year}")
    return park_year_id, version or 0


@dataclass(frozen=True)
class YearHead:
    """What a park-year's page reads before anything else: its id, the park's data version, and
    the year's lifecycle state, edition and row version (what a lifecycle move must carry)."""

    park_year_id: int
    version: int
    state: str
    edition: int
    row_version: int


# The park, its park-year's head and the park's data version in one statement: the dashboard, the
# busiest page, costs one statement for these instead of three (each a round trip to PostgreSQL).
_YEAR_HEAD = select(
    m.Park, m.ParkYear.id, m.ParkYear.state, m.ParkYear.edition, m.ParkYear.version,
    select(func.max(m.AuditEntry.id)).where(m.AuditEntry.park_id == bindparam("park"))
    .scalar_subquery(),
).outerjoin(m.ParkYear, and_(m.ParkYear.park_id == m.Park.id, m.ParkYear.year == bindparam("year"))
            ).where(m.Park.id == bindparam("park"))


_PARK_VERSIONS = select(
    m.ParkYear.park_id, m.ParkYear.id,
    select(func.max(m.AuditEntry.id)).where(m.AuditEntry.park_id == m.ParkYear.park_id)
    .correlate(m.ParkYear).scalar_subquery(),
).where(m.ParkYear.park_id.in_(bindparam("parks", expanding=True)),
        m.ParkYear.year == bindparam("year"))


def park_versions(session: Session, park_ids: Iterable[int],
                  year: int) -> dict[int, tuple[int, int]]:
    """`park_version` for several parks in one statement: park id → (its park-year's id of
    `year`, the park's data version); a park without that year is left out."""
    ids = list(park_ids)
    if not ids:
        return {}
    rows = session.execute(_PARK_VERSIONS, {"parks": ids, "year": year})
    return {park_id: (park_year_id, version or 0) for park_id, park_year_id, version in rows}


def park_years_by_id(session: Session, ids: Iterable[int]) -> dict[int, m.ParkYear]:
    """Park-years with every child row loaded, several at once: each child table is read in
    one statement for all of them (`get_park_year` reads one park-year)."""
    wanted = list(ids)
    if not wanted:
        return {}
    query = select(m.ParkYear).where(m.ParkYear.id.in_(wanted)).options(*_FULL)
    return {row.id: row for row in session.scalars(query)}


def year_head(session: Session, park_id: int, year: int) -> tuple[m.Park, YearHead]:
    """The park and its park-year's head (`YearHead`); NotFound names what is missing."""
    row = session.execute(_YEAR_HEAD, {"park": park_id, "year": year}).one_or_none()
    if row is None:
        raise NotFound("园区 park", str(park_id))
    park, park_year_id, state, edition, row_version, version = row
    if park_year_id is None:
        raise NotFound("园区年度数据 park-year", f"{park.name} {year}")
    return park, YearHead(park_year_id, version or 0, state, edition, row_version)


_FULL = (
    selectinload(m.ParkYear.framework_version).selectinload(m.FrameworkVersion.framework),
    selectinload(m.ParkYear.profile_values), selectinload(m.ParkYear.selected),
    selectinload(m.ParkYear.series), selectinload(m.ParkYear.observations),
    selectinload(m.ParkYear.checklist_groups).selectinload(m.ChecklistGroup.entries),
    selectinload(m.ParkYear.data_lists).selectinload(m.DataList.records)
    .selectinload(m.ListRecord.fields),
    selectinload(m.ParkYear.reported), selectinload(m.ParkYear.reported_values),
    selectinload(m.ParkYear.reported_rows), selectinload(m.ParkYear.text_statements),
    selectinload(m.ParkYear.sections),
)


# --------------------------------------------------------------------------- saving


def save_dataset(session: Session, spec: DatasetFile, framework: Framework, *,
                 park: str | None = None, source_file: str = "", replace: bool = False,
                 via: str = "cli", expected: Expected | None = None, reason: str = ""
                 ) -> m.ParkYear:
    """Store `spec` as the park-year of its evaluation year (refusing an existing one unless
    `replace`) and write its values into the park's series (`write_series`: values it does not
    hold are kept). Raises the core's DatasetError (nothing written) when the data are invalid,
    `StaleWrite` when `expected` is given and a value changed since."""
    require_finite(spec.model_dump(), "")
    dataset = build_dataset(spec, framework, source_file or "<upload>")
    _require_shipped(framework, source_file)
    year = resolve_year(dataset, None)
    park_row = park_by_name(session, park or spec.park.name, create=True)
    _clear_existing(session, park_row, year, replace)
    actor = str(session.info.get("actor", "unknown"))
    park_year = m.ParkYear(
        park=park_row, year=year, framework_version=_framework_version(session, framework),
        dataset_year=spec.year, park_name=spec.park.name, base_year=spec.park.base_year,
        base_year_note=spec.park.base_year_note, source_file=source_file, loaded_by=actor)
    _fill(park_year, spec, actor)
    session.add(park_year)
    after = build_dataset(merged(record(session, park_row, year), spec), framework,
                          source_file or "<upload>")
    write_series(session, park_row, spec, after, via=via, via_detail=_file_name(source_file),
                 expected=expected, reason=reason, screen=(framework, year))
    return park_year


def merged(values: dict[str, Series], spec: DatasetFile) -> DatasetFile:
    """What a park-year reads once `spec` is stored: the park's record (`values`) with the
    file's values written over it, each value keeping the unit it was written in."""
    observations = {item: series.model_copy(deep=True) for item, series in values.items()}
    for item, series in spec.observations.items():
        target = observations.setdefault(item, series.model_copy(update={"values": {}}))
        for year, raw in series.values.items():
            target.values[year] = _in_unit(raw, series.unit, target.unit)
    return spec.model_copy(update={"observations": observations})


def _in_unit(raw: Any, unit: str | None, target: str | None) -> Any:
    if unit == target or raw is None:
        return raw
    if isinstance(raw, ValueEntry):
        return raw if raw.unit else raw.model_copy(update={"unit": unit})
    return ValueEntry(value=raw, unit=unit)


def _file_name(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def require_finite(value: Any, path: str) -> None:
    """Refuse NaN and infinities anywhere (JSON cannot carry them back out)."""
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidValue(path or "(top)", f"不是有限数 not a finite number: {value!r}")
    if isinstance(value, dict):
        for key, item in value.items():
            require_finite(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            require_finite(item, f"{path}[{index}]")


def _require_shipped(framework: Framework, file: str) -> None:
    if framework.id not in available_frameworks():
        raise Conflict(problem="只能保存使用内置指标体系的数据 only datasets of a framework "
                       "shipped with ecopark can be stored", kind="指标体系 framework",
                       key=framework.id, hint=f"{file}")


def _clear_existing(session: Session, park: m.Park, year: int, replace: bool) -> None:
    existing = session.scalars(select(m.ParkYear).where(
        m.ParkYear.park_id == park.id, m.ParkYear.year == year)).one_or_none()
    if existing is None:
        return
    if not replace:
        raise Conflict(problem="已有该年度数据 already stored", kind="园区年度数据 park-year",
                       key=f"{park.name} {year}",
                       hint="用 --replace 替换 use --replace to replace it")
    session.delete(existing)
    session.flush()


def _framework_version(session: Session, framework: Framework) -> m.FrameworkVersion:
    spec = framework.spec
    row = session.scalars(select(m.FrameworkRow).where(m.FrameworkRow.key == spec.id)).one_or_none()
    if row is None:
        row = m.FrameworkRow(key=spec.id, name_zh=spec.name_zh, name_en=spec.name_en)
        session.add(row)
    version = session.scalars(select(m.FrameworkVersion).where(
        m.FrameworkVersion.framework == row, m.FrameworkVersion.version == spec.version)
    ).one_or_none() if row.id is not None else None
    if version is None:
        version = m.FrameworkVersion(framework=row, version=spec.version, status=spec.status)
        session.add(version)
    return version


def _fill(park_year: m.ParkYear, spec: DatasetFile, actor: str) -> None:
    extras = spec.park.model_extra or {}
    park_year.profile_values = [m.ProfileValue(position=i, name=k, value=str(v))
                                for i, (k, v) in enumerate(extras.items())]
    park_year.selected = [m.SelectedIndicator(position=i, number=n)
                          for i, n in enumerate(spec.park.selected)]
    park_year.checklist_groups = _checklists(spec)
    park_year.data_lists = _lists(spec)
    if spec.reported is not None:
        _set_reported(park_year, spec.reported, actor)
    park_year.sections = [m.DatasetSection(position=i, name=name, content=text)
                          for i, (name, text) in enumerate(_section_texts(spec).items())]


SECTIONS = ("also_frameworks", "settings", "exemptions", "gates", "inventory")


def _section_texts(spec: DatasetFile) -> dict[str, str]:
    """The extension sections the dataset has, each as YAML (what the file would hold)."""
    data = spec.model_dump(mode="python", include=set(SECTIONS), by_alias=True,
                           exclude_defaults=True)
    return {name: yaml.safe_dump(data[name], allow_unicode=True, sort_keys=False)
            for name in SECTIONS if data.get(name)}


def set_sections(session: Session, park_year: m.ParkYear, changes: dict[str, Any]) -> None:
    """Replace extension sections of a park-year (an empty value removes one), checked by the
    core first: nothing is written when the dataset would be invalid."""
    unknown = set(changes) - set(SECTIONS)
    if unknown:
        raise InvalidValue(", ".join(sorted(unknown)), f"可改的部分 sections: {', '.join(SECTIONS)}")
    require_finite(changes, "")
    framework = load_framework(park_year.framework_key)
    spec = DatasetFile.model_validate({**read_spec(park_year).model_dump(by_alias=True),
                                       **changes})
    build_dataset(spec, framework, _label(park_year))
    texts = _section_texts(spec)
    kept = {s.name: s for s in park_year.sections}
    changed = False
    for name in SECTIONS:
        row = kept.get(name)
        if name not in texts and row is not None:
            park_year.sections.remove(row)
        elif name in texts and row is None:
            park_year.sections.append(m.DatasetSection(position=SECTIONS.index(name), name=name,
                                                       content=texts[name]))
        elif row is not None and row.content != texts[name]:
            row.content = texts[name]
        else:
            continue
        changed = True
    if changed:
        _touch(park_year)
    session.flush()


# --------------------------------------------------------------------------- the park's series


def write_series(session: Session, park: m.Park, spec: DatasetFile, dataset: Dataset, *,
                 cells: Iterable[Cell] | None = None, via: str = "cli", via_detail: str = "",
                 expected: Expected | None = None, strict: bool = False, reason: str = "",
                 screen: tuple[Framework, int] | None = None) -> list[m.ObservationRow]:
    """Write `spec`'s values (only `cells` when given) into the park's series: a value that
    differs from the stored one gets a new version and a history entry; an equal one is left
    alone. With `expected`, a value whose stored version is not the one read is not written
    (`strict`: not even an equal one — a precondition holds or fails whatever the value):
    `StaleWrite` lists them all and nothing is written. With `screen` (the framework and the
    evaluation year), the data-quality rules run on the changed values of `dataset` (the
    dataset as it will be): an error finding stops the write (`ImplausibleValue`) unless a
    `reason` is given, which the values' history keeps. Returns the rows written."""
    headers = {s.item: s for s in park.series}
    current = {(o.item, o.year): o for o in _locked(session, park)}
    wanted = None if cells is None else set(cells)
    changes, stale = [], []
    for item, series in spec.observations.items():
        for year, raw in series.values.items():
            if wanted is not None and (item, year) not in wanted:
                continue
            fields = _observation_fields(item, year, raw, series.unit, dataset)
            row = current.get((item, year))
            same = row is not None and _same(row, fields)
            if same and not strict:
                continue
            if expected is not None and (row.version if row else 0) != expected.get((item, year), 0):
                stale.append(_stale(item, year, fields, row, dataset.framework_id))
            elif not same:
                changes.append((item, year, series, fields, row))
    if stale:
        raise StaleWrite(f"{park.name}", stale)
    if screen is not None and changes:
        framework, year = screen
        quality.gate(quality.screen(framework, dataset, [(c[0], c[1]) for c in changes],
                                    year=year), reason)
    for item, _, series, _, _ in changes:
        _header(park, headers, item, series)
    return _apply(session, park, changes, via, via_detail, reason)


def _locked(session: Session, park: m.Park) -> list[m.ObservationRow]:
    """The park's values as they are now, locked until the transaction ends (PostgreSQL; a
    SQLite write transaction holds the whole database): a concurrent writer waits, then reads
    the version this one wrote."""
    query = select(m.ObservationRow).where(m.ObservationRow.park_id == park.id) \
        .with_for_update().execution_options(populate_existing=True)
    return list(session.scalars(query))


def _same(row: m.ObservationRow, fields: dict[str, Any]) -> bool:
    return all(getattr(row, c) == fields[c]
               for c in ("value_text", "value_kind", "unit", "source", "note"))


def _stale(item: str, year: int, fields: dict[str, Any], row: m.ObservationRow | None,
           framework: str) -> dict[str, Any]:
    names = load_framework(framework)
    return {"item": item, "year": year, "name_zh": names.item_name(item, "zh"),
            "name_en": names.item_name(item, "en"),
            "yours": _shown(fields["value_text"], fields["unit"]),
            "current": "" if row is None else _shown(row.value_text, row.unit),
            "version": 0 if row is None else row.version,
            "by": "" if row is None else row.entered_by,
            "at": "" if row is None else row.entered_at.isoformat(timespec="seconds")}


def _shown(text: str, unit: str | None) -> str:
    return f"{text} {unit}" if unit else text


def _header(park: m.Park, headers: dict[str, m.SeriesRow], item: str, series: Series) -> None:
    header = headers.get(item)
    if header is None:
        header = headers[item] = m.SeriesRow(position=len(headers), item=item, unit=series.unit,
                                             source=series.source, note=series.note)
        park.series.append(header)
    elif header.unit is None and series.unit is not None:
        header.unit = series.unit


def _apply(session: Session, park: m.Park, changes: list[Any], via: str, via_detail: str,
           reason: str) -> list[m.ObservationRow]:
    if not changes:
        return []
    actor, now = str(session.info.get("actor", "unknown")), m.utcnow()
    position = max((o.position for o in park.observations), default=-1) + 1
    written = []
    for item, year, _, fields, row in changes:
        if row is None:
            row = m.ObservationRow(position=position, item=item, year=year, **fields)
            position += 1
            park.observations.append(row)
        else:
            for column, value in fields.items():
                setattr(row, column, value)
        row.via, row.via_detail, row.entered_by, row.entered_at = via, via_detail, actor, now
        written.append(row)
    _flush(session, park)
    session.add_all(m.ObservationHistory(
        observation_id=row.id, park_id=park.id, version=row.version, value=row.value,
        value_text=row.value_text, value_kind=row.value_kind, unit=row.unit, by=actor, at=now,
        via=via, via_detail=via_detail, reason=reason) for row in written)
    _flush(session, park)
    _refresh_views(session, park.id)
    return written


def _flush(session: Session, park: m.Park) -> None:
    """Flush the writes; a concurrent writer's change to the same values (an UPDATE that found
    another version, or an INSERT of a value another transaction just stored) is a StaleWrite."""
    try:
        session.flush()
    except (StaleDataError, IntegrityError):
        raise StaleWrite(park.name, [], hint="同时有人修改了这些值，请重新读取后再保存 someone "
                         "changed these values at the same time; re-read and save again") from None


def _refresh_views(session: Session, park_id: int) -> None:
    """The park-years' read-only views of the series see the write."""
    for obj in list(session.identity_map.values()):
        if isinstance(obj, m.ParkYear) and obj.park_id == park_id:
            session.expire(obj, ["series", "observations"])


def _observation_fields(item: str, year: int, raw: Any, series_unit: str | None,
                        dataset: Dataset) -> dict[str, Any]:
    entry = raw if isinstance(raw, ValueEntry) else ValueEntry(value=raw)
    text, kind = scalar_text(entry.value)
    canonical = dataset.values[(item, year)].value
    return {"value": canonical if isinstance(canonical, float) else None, "value_text": text,
            "value_kind": kind, "unit": entry.unit or series_unit, "unit_given": bool(entry.unit),
            "source": entry.source, "note": entry.note, "detailed": isinstance(raw, ValueEntry)}


def _checklists(spec: DatasetFile) -> list[m.ChecklistGroup]:
    groups: list[m.ChecklistGroup] = []
    for name, years in spec.checklists.items():
        for year, entries in (years or {None: []}).items():  # type: ignore[dict-item]
            group = m.ChecklistGroup(position=len(groups), checklist=name, year=year)
            group.entries = [m.ChecklistEntry(position=i, name=e.name, done=e.done,
                                              evidence=e.evidence) for i, e in enumerate(entries)]
            groups.append(group)
    return groups


def _lists(spec: DatasetFile) -> list[m.DataList]:
    out: list[m.DataList] = []
    for position, (name, records) in enumerate(spec.lists.items()):
        data_list = m.DataList(position=position, name=name)
        data_list.records = [_record(i, record) for i, record in enumerate(records)]
        out.append(data_list)
    return out


def _record(position: int, record: dict[str, Any]) -> m.ListRecord:
    row = m.ListRecord(position=position, year=record["year"])
    row.fields = [m.ListField(position=i, key=str(k), value_json=json.dumps(v, ensure_ascii=False))
                  for i, (k, v) in enumerate(record.items())]
    return row


def _set_reported(park_year: m.ParkYear, reported: Reported, actor: str) -> None:
    table = park_year.reported
    if table is None:
        park_year.reported = m.ReportedTable(year=reported.year, source=reported.source,
                                             uploaded_by=actor)
    else:
        table.year, table.source = reported.year, reported.source
        table.uploaded_by, table.uploaded_at = actor, m.utcnow()
    park_year.reported_values = [m.ReportedValue(position=i, number=n, **_written(v))
                                 for i, (n, v) in enumerate(reported.indicators.items())]
    park_year.reported_rows = [m.ReportedRowRow(position=i, item=r.item, year=r.year,
                                                unit=r.unit, **_written(r.value))
                               for i, r in enumerate(reported.rows)]
    park_year.text_statements = [
        m.TextStatementRow(position=i, indicator=t.indicator, item=t.item, year=t.year,
                           unit=t.unit, where=t.where, **_written(t.value))
        for i, t in enumerate(reported.text)]


def scalar_text(value: float | int | str | bool) -> tuple[str, str]:
    """A value as written: its text and kind (int, float, str, bool), to be read back exactly."""
    if isinstance(value, bool):
        return ("true" if value else "false"), "bool"
    if isinstance(value, int):
        return str(value), "int"
    if isinstance(value, float):
        return repr(value), "float"
    return value, "str"


def scalar_value(text: str, kind: str) -> float | int | str | bool:
    if kind == "bool":
        return text == "true"
    if kind == "int":
        return int(text)
    if kind == "float":
        return float(text)
    return text


def _written(value: float | int | str) -> dict[str, str]:
    text, kind = scalar_text(value)
    return {"value_text": text, "value_kind": kind}


# --------------------------------------------------------------------------- reading


def read_spec(park_year: m.ParkYear) -> DatasetFile:
    """The park-year as the `DatasetFile` that was stored."""
    data: dict[str, Any] = {"format": FORMAT, "framework": park_year.framework_key,
                            "park": _park_data(park_year), "year": park_year.dataset_year,
                            "observations": _series_data(park_year),
                            "checklists": _checklist_data(park_year),
                            "lists": _list_data(park_year)}
    if park_year.reported is not None:
        data["reported"] = _reported_data(park_year)
    data.update((s.name, yaml.safe_load(s.content)) for s in park_year.sections)
    return DatasetFile.model_validate(data)


def _park_data(park_year: m.ParkYear) -> dict[str, Any]:
    data: dict[str, Any] = {"name": park_year.park_name, "base_year": park_year.base_year,
                            "base_year_note": park_year.base_year_note,
                            "selected": [s.number for s in park_year.selected]}
    data.update((p.name, p.value) for p in park_year.profile_values)
    return data


def _series_data(park_year: m.ParkYear) -> dict[str, Series]:
    """The park's series up to the evaluation year (a header whose values all come later is
    left out); a value written in another unit than its series' is given with its unit."""
    return _as_series(park_year.series, park_year.observations)


def record(session: Session, park: m.Park, up_to: int) -> dict[str, Series]:
    """The park's record up to a year, as a dataset's observations."""
    rows = session.scalars(select(m.ObservationRow).where(
        m.ObservationRow.park_id == park.id, m.ObservationRow.year <= up_to)
        .order_by(m.ObservationRow.position)).all()
    return _as_series(park.series, rows)


def versions_of(session: Session, park: m.Park, cells: Iterable[Cell]) -> dict[Cell, int]:
    """The current version of each cell in the park's record (0: none stored)."""
    stored = {(item, year): version for item, year, version in session.execute(
        select(m.ObservationRow.item, m.ObservationRow.year, m.ObservationRow.version)
        .where(m.ObservationRow.park_id == park.id))}
    return {cell: stored.get(cell, 0) for cell in cells}


def stale_cells(session: Session, park: m.Park, yours: Mapping[Cell, str],
                expected: Expected, framework: str) -> list[dict[str, Any]]:
    """The cells whose stored version is not the one a write was based on, each with yours
    (as the user wrote it), the current value, its version, who changed it and when."""
    rows = {(o.item, o.year): o for o in session.scalars(select(m.ObservationRow).where(
        m.ObservationRow.park_id == park.id,
        m.ObservationRow.item.in_({item for item, _ in yours})))}
    out = []
    for (item, year), shown in yours.items():
        row = rows.get((item, year))
        if (row.version if row else 0) != expected.get((item, year), 0):
            out.append(_stale(item, year, {"value_text": shown, "unit": None}, row, framework))
    return out


def _as_series(header_rows: Iterable[m.SeriesRow], rows: Iterable[m.ObservationRow]
               ) -> dict[str, Series]:
    headers = {s.item: s for s in header_rows}
    out: dict[str, Series] = {}
    for row in rows:
        header = headers[row.item]
        series = out.setdefault(row.item, Series(unit=header.unit, source=header.source,
                                                 note=header.note, values={}))
        value = scalar_value(row.value_text, row.value_kind)
        unit = row.unit if row.unit_given or row.unit != header.unit else None
        detailed = row.detailed or unit is not None
        series.values[row.year] = ValueEntry(value=value, unit=unit, source=row.source,
                                             note=row.note) if detailed else value
    return out


def _checklist_data(park_year: m.ParkYear) -> dict[str, dict[int, list[ChecklistEntry]]]:
    out: dict[str, dict[int, list[ChecklistEntry]]] = {}
    for group in park_year.checklist_groups:
        years = out.setdefault(group.checklist, {})
        if group.year is not None:
            years[group.year] = [ChecklistEntry(name=e.name, done=e.done, evidence=e.evidence)
                                 for e in group.entries]
    return out


def _list_data(park_year: m.ParkYear) -> dict[str, list[dict[str, Any]]]:
    return {data_list.name: [{f.key: json.loads(f.value_json) for f in record.fields}
                             for record in data_list.records]
            for data_list in park_year.data_lists}


def _reported_data(park_year: m.ParkYear) -> dict[str, Any]:
    table = park_year.reported
    assert table is not None
    return {
        "year": table.year, "source": table.source,
        "indicators": {v.number: scalar_value(v.value_text, v.value_kind)
                       for v in park_year.reported_values},
        "rows": [{"item": r.item, "year": r.year, "unit": r.unit,
                  "value": scalar_value(r.value_text, r.value_kind)}
                 for r in park_year.reported_rows],
        "text": [{"indicator": t.indicator, "item": t.item, "year": t.year, "unit": t.unit,
                  "where": t.where, "value": scalar_value(t.value_text, t.value_kind)}
                 for t in park_year.text_statements],
    }


def dataset_of(park_year: m.ParkYear) -> tuple[Framework, Dataset]:
    """The framework and the core's `Dataset` of a park-year, ready for `evaluate`."""
    framework = load_framework(park_year.framework_key)
    spec = read_spec(park_year)
    return framework, build_dataset(spec, framework, _label(park_year))


def _label(park_year: m.ParkYear) -> str:
    return f"{park_year.park.name} {park_year.year}"


# --------------------------------------------------------------------------- changes


def replace_reported(session: Session, park_year: m.ParkYear, reported: Reported) -> None:
    """Replace the park-year's printed table (checked by the core first)."""
    require_finite(reported.model_dump(), "reported")
    framework = load_framework(park_year.framework_key)
    spec = read_spec(park_year).model_copy(update={"reported": reported})
    build_dataset(spec, framework, _label(park_year))
    _set_reported(park_year, reported, str(session.info.get("actor", "unknown")))
    _touch(park_year)
    session.flush()


def _touch(park_year: m.ParkYear) -> None:
    """A change to the park-year's own rows is a new version of the park-year."""
    flag_modified(park_year, "loaded_by")


def set_observation(session: Session, park_year: m.ParkYear, item: str, year: int,
                    entry: ValueEntry, *, via: str = "cli", via_detail: str = "",
                    expected: int | Literal["*"] | None = None, reason: str = ""
                    ) -> m.ObservationRow:
    """Write one value of the park's series (with its unit, converted and checked by the core
    in the context of `park_year`), audited, with a new version when it changes. `expected` is
    the version the write was based on (0: none was stored; "*" or None: overwrite)."""
    require_finite(entry.value, f"observations.{item}.values.{year}")
    framework = load_framework(park_year.framework_key)
    spec = read_spec(park_year)
    series = spec.observations.get(item) or _header_series(park_year.park, item)
    series.values[year] = entry
    spec.observations[item] = series
    dataset = build_dataset(spec, framework, _label(park_year))
    based = None if expected is None or expected == "*" else {(item, year): expected}
    write_series(session, park_year.park, spec, dataset, cells=[(item, year)], via=via,
                 via_detail=via_detail, expected=based, strict=True, reason=reason,
                 screen=(framework, park_year.year))
    return get_observation(session, park_year.park, item, year)


def _header_series(park: m.Park, item: str) -> Series:
    header = next((s for s in park.series if s.item == item), None)
    if header is None:
        return Series(values={})
    return Series(unit=header.unit, source=header.source, note=header.note, values={})


def get_observation(session: Session, park: m.Park, item: str, year: int) -> m.ObservationRow:
    """One value of the park's series, its history loaded (newest first)."""
    row = session.scalars(select(m.ObservationRow).where(
        m.ObservationRow.park_id == park.id, m.ObservationRow.item == item,
        m.ObservationRow.year == year).options(selectinload(m.ObservationRow.history))
    ).one_or_none()
    if row is None:
        raise NotFound("观测值 value", f"{park.name} {item} {year}")
    return row


def versions(park_year: m.ParkYear) -> dict[Cell, int]:
    """The version of every value the park-year reads (what a form or a preview is based on)."""
    return {(o.item, o.year): o.version for o in park_year.observations}


def context_year(session: Session, park: m.Park, year: int) -> m.ParkYear:
    """The park-year in whose framework a value of `year` is checked: the earliest evaluation
    that reads it (year >= the value's), else the latest one."""
    rows = session.scalars(select(m.ParkYear).where(m.ParkYear.park_id == park.id)
                           .order_by(m.ParkYear.year)).all()
    if not rows:
        raise NotFound("园区年度数据 park-year", f"{park.name}",)
    chosen = next((r for r in rows if r.year >= year), rows[-1])
    return get_park_year(session, park, chosen.year)
