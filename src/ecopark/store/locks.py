"""The lock of a submitted, approved or published park-year: at every flush, a write to a
park-year's own rows or to the park's values of its year is refused (`Conflict`, 409 on the
web) when its lifecycle state does not allow it (`lifecycle.writable`), naming the state and
how to get the year back to editable. Checked here, under every writer (pages, API, CLI,
roll-up, imports), as `texts.py` checks text. A park deleted whole takes its years with it."""

from __future__ import annotations

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from ecopark.core.errors import Conflict
from ecopark.store import lifecycle
from ecopark.store import models as m

__all__ = ["install"]

_LIFECYCLE = frozenset({"state", "edition", "version"})
_PRINTED = (m.ReportedTable, m.ReportedValue, m.ReportedRowRow, m.TextStatementRow)
_OWN = (m.ProfileValue, m.SelectedIndicator, m.ChecklistGroup, m.DataList, m.DatasetSection)
_NESTED = ((m.ChecklistEntry, "group_id", m.ChecklistGroup), (m.ListRecord, "list_id", m.DataList),
           (m.ListField, "record_id", m.ListRecord))


def install(session: Session | sessionmaker[Session]) -> None:
    if not event.contains(session, "before_flush", _check):
        event.listen(session, "before_flush", _check)


def _check(session: Session, _context: object, _instances: object) -> None:
    gone = {p.id for p in session.deleted if isinstance(p, m.Park)}
    for obj in (*session.new, *session.dirty, *session.deleted):
        found = _target(session, obj)
        if found is None:
            continue
        park_year, part = found
        if park_year.park_id in gone or (park_year in session.deleted and obj is not park_year):
            continue
        state = _state_before(park_year)
        if not lifecycle.writable(state, part):
            raise _refusal(park_year, state)


def _target(session: Session, obj: object) -> tuple[m.ParkYear, str] | None:
    """The park-year a written row belongs to, and which part of it ("data", "printed")."""
    if isinstance(obj, m.ParkYear):
        return _own_change(session, obj)
    if isinstance(obj, m.ObservationRow):
        return _of_year(session, obj.park_id, obj.year)
    if isinstance(obj, (*_PRINTED, *_OWN)):
        parent = session.get(m.ParkYear, obj.park_year_id) if obj.park_year_id else None
        return None if parent is None else (parent, "printed" if isinstance(obj, _PRINTED)
                                            else "data")
    for model, column, parent_model in _NESTED:
        if isinstance(obj, model):
            ref = getattr(obj, column)
            above = session.get(parent_model, ref) if ref else None
            return None if above is None else _target(session, above)
    return None


def _own_change(session: Session, park_year: m.ParkYear) -> tuple[m.ParkYear, str] | None:
    if park_year in session.new:
        return None
    if park_year in session.deleted:
        return park_year, "data"
    state = inspect(park_year)
    changed = {a.key for a in state.mapper.column_attrs
               if state.attrs[a.key].history.has_changes()} - _LIFECYCLE
    if not changed:
        return None
    return park_year, "printed" if changed == {"loaded_by"} else "data"


def _of_year(session: Session, park_id: int | None, year: int | None
             ) -> tuple[m.ParkYear, str] | None:
    if park_id is None or year is None:
        return None
    with session.no_autoflush:
        found = session.scalars(select(m.ParkYear).where(
            m.ParkYear.park_id == park_id, m.ParkYear.year == year)).first()
    return None if found is None else (found, "data")


def _state_before(park_year: m.ParkYear) -> str:
    """The state the year was in when this flush began (a transition may be changing it)."""
    history = inspect(park_year).attrs.state.history
    return str(history.deleted[0]) if history.deleted else park_year.state or "draft"


def _refusal(park_year: m.ParkYear, state: str) -> Conflict:
    zh, en = lifecycle.locked_problem(state)
    return Conflict(problem=f"{zh} {en}", kind="园区年度 park-year",
                    key=f"{park_year.park_name} {park_year.year}")
