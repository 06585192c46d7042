"""Datasets in the database: a whole `DatasetFile` stored as one park-year (in the caller's
transaction: all rows or none), and read back as the identical `DatasetFile`.

Everything is validated by the core (`ecopark.dataset.build_dataset`) before a row is written,
so the database never holds a dataset `ecopark assess` would refuse; values are stored both as
written (text, kind, unit) and in the item's canonical unit.
"""

from __future__ import annotations

import json
import math
from typing import Any

import yaml
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, selectinload

from ecopark.dataset import (
    FORMAT,
    ChecklistEntry,
    Dataset,
    DatasetFile,
    Reported,
    Series,
    ValueEntry,
    build_dataset,
)
from ecopark.errors import Conflict, InvalidValue, NotFound
from ecopark.evaluate import resolve_year
from ecopark.framework import Framework, available_frameworks, load_framework
from ecopark.store import models as m

__all__ = ["dataset_of", "get_park", "get_park_year", "list_parks", "park_by_name", "park_version",
           "read_spec", "replace_reported", "require_finite", "save_dataset", "set_observation"]


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
                 park: str | None = None, source_file: str = "", replace: bool = False
                 ) -> m.ParkYear:
    """Store `spec` as the park-year of its evaluation year; refuse an existing one unless
    `replace`. Raises the core's DatasetError (nothing written) when the data are invalid."""
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
    _fill(park_year, spec, dataset, actor)
    session.add(park_year)
    session.flush()
    return park_year


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


def _fill(park_year: m.ParkYear, spec: DatasetFile, dataset: Dataset, actor: str) -> None:
    extras = spec.park.model_extra or {}
    park_year.profile_values = [m.ProfileValue(position=i, name=k, value=str(v))
                                for i, (k, v) in enumerate(extras.items())]
    park_year.selected = [m.SelectedIndicator(position=i, number=n)
                          for i, n in enumerate(spec.park.selected)]
    park_year.series = [m.SeriesRow(position=i, item=item, unit=s.unit, source=s.source,
                                    note=s.note) for i, (item, s) in enumerate(spec.observations.items())]
    park_year.observations = list(_observations(park_year, spec, dataset, actor))
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
    for name in SECTIONS:
        row = kept.get(name)
        if name not in texts and row is not None:
            park_year.sections.remove(row)
        elif name in texts and row is None:
            park_year.sections.append(m.DatasetSection(position=SECTIONS.index(name), name=name,
                                                       content=texts[name]))
        elif row is not None and row.content != texts[name]:
            row.content = texts[name]
    session.flush()


def _observations(park_year: m.ParkYear, spec: DatasetFile, dataset: Dataset,
                  actor: str) -> Any:
    position = 0
    for item, series in spec.observations.items():
        for year, raw in series.values.items():
            yield _observation_row(park_year, item, year, raw, dataset, actor, position)
            position += 1


def _observation_row(park_year: m.ParkYear, item: str, year: int, raw: Any, dataset: Dataset,
                     actor: str, position: int) -> m.ObservationRow:
    return m.ObservationRow(park_year=park_year, park_id=park_year.park.id, position=position,
                            item=item, year=year, **_observation_fields(item, year, raw, dataset),
                            entered_by=actor)


def _observation_fields(item: str, year: int, raw: Any, dataset: Dataset) -> dict[str, Any]:
    entry = raw if isinstance(raw, ValueEntry) else ValueEntry(value=raw)
    text, kind = scalar_text(entry.value)
    canonical = dataset.values[(item, year)].value
    return {"value": canonical if isinstance(canonical, float) else None, "value_text": text,
            "value_kind": kind, "unit": entry.unit, "source": entry.source, "note": entry.note,
            "detailed": isinstance(raw, ValueEntry)}


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
    out = {s.item: Series(unit=s.unit, source=s.source, note=s.note, values={})
           for s in park_year.series}
    for row in park_year.observations:
        value = scalar_value(row.value_text, row.value_kind)
        out[row.item].values[row.year] = ValueEntry(
            value=value, unit=row.unit, source=row.source, note=row.note) if row.detailed else value
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
    session.flush()


def set_observation(session: Session, park_year: m.ParkYear, item: str, year: int,
                    entry: ValueEntry) -> m.ObservationRow:
    """Write one value (with its unit, converted and checked by the core), audited."""
    require_finite(entry.value, f"observations.{item}.values.{year}")
    framework = load_framework(park_year.framework_key)
    spec = read_spec(park_year)
    series = spec.observations.get(item) or Series(values={})
    series.values[year] = entry
    spec.observations[item] = series
    dataset = build_dataset(spec, framework, _label(park_year))
    if item not in {s.item for s in park_year.series}:
        park_year.series.append(m.SeriesRow(position=len(park_year.series), item=item))
    row = next((o for o in park_year.observations if o.item == item and o.year == year), None)
    actor = str(session.info.get("actor", "unknown"))
    if row is None:
        row = _observation_row(park_year, item, year, entry, dataset, actor,
                               _next_position(park_year))
        session.add(row)
    else:
        for column, value in _observation_fields(item, year, entry, dataset).items():
            setattr(row, column, value)
        row.entered_by, row.entered_at = actor, m.utcnow()
    session.flush()
    return row


def _next_position(park_year: m.ParkYear) -> int:
    return max((o.position for o in park_year.observations), default=-1) + 1
