"""Moving a park-year through its lifecycle (`lifecycle.py` says which moves exist and who may
make them): the move checked against the version the mover read, written as a
`LifecycleStep`, an approval kept whole as a `ParkYearSnapshot` (the dataset export of the
year), a publication marked on that snapshot, a reopening turned into the next edition, and an
event emitted for the notifications, all in the caller's transaction and audited.

    transition(session, park_year, action, who, comment="", version=None) -> LifecycleStep
    snapshots(session, park_id, year) -> [ParkYearSnapshot] (newest first)
    published(session, park_id, year) -> ParkYearSnapshot | None (the public edition)
    steps(session, park_id, year) -> [LifecycleStep] (oldest first)
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecopark.core.errors import Conflict
from ecopark.io.yamlout import dataset_yaml
from ecopark.store import lifecycle, repository
from ecopark.store import models as m
from ecopark.store.events import Event, emit
from ecopark.store.permissions import Principal

__all__ = ["EVENTS", "published", "published_years", "snapshot", "snapshots", "steps",
           "transition"]

EVENTS = {"submit": "park_year.submitted", "return": "park_year.returned",
          "approve": "park_year.approved", "publish": "park_year.published",
          "reopen": "park_year.reopened"}
_TOLD = {"submit": ("已提交审核", "was submitted for review"),
         "return": ("被退回，请查看审核意见", "was returned: see the reviewer's comments"),
         "approve": ("已通过审核", "was approved"), "publish": ("已公开", "was published"),
         "reopen": ("已重新打开，生成新版本", "was reopened as a new edition")}


def transition(session: Session, park_year: m.ParkYear, action: str, who: Principal, *,
               comment: str = "", version: int | None = None) -> m.LifecycleStep:
    """Take `action` on `park_year` as `who`; `version` is the park-year's version the mover
    read (a move based on an older one is refused: Conflict)."""
    _require_current(park_year, version)
    _next_edition(session, park_year)
    before = park_year.state
    after = lifecycle.next_state(before, action, who.role, comment)
    _effects(session, park_year, action, who.name)
    park_year.state = after
    if action == "reopen":
        park_year.edition += 1
    step = m.LifecycleStep(park_id=park_year.park_id, year=park_year.year,
                           edition=park_year.edition, action=action, from_state=before,
                           to_state=after, by=who.name, at=m.utcnow(), comment=comment.strip())
    session.add(step)
    session.flush()
    _tell(session, park_year, action, who.name, comment.strip())
    return step


def _require_current(park_year: m.ParkYear, version: int | None) -> None:
    if version is not None and version != park_year.version:
        raise Conflict(problem="读取之后已被他人改动，未执行；请刷新后再试 changed by someone "
                       "else since you read it; nothing was done: reload and try again",
                       kind="园区年度 park-year", key=f"{park_year.park_name} {park_year.year}")


def _next_edition(session: Session, park_year: m.ParkYear) -> None:
    """A year being worked on is the edition after the last approved one, also when its
    dataset was replaced since (a new row starts at edition 1)."""
    if park_year.state in ("approved", "published"):
        return
    kept = snapshots(session, park_year.park_id, park_year.year)
    if kept and kept[0].edition >= park_year.edition:
        park_year.edition = kept[0].edition + 1


def _effects(session: Session, park_year: m.ParkYear, action: str, actor: str) -> None:
    if action == "approve":
        session.add(_snapshot_now(park_year, actor))
    elif action == "publish":
        found = snapshot(session, park_year.park_id, park_year.year, park_year.edition)
        if found is None:  # approved before snapshots existed (migration 0010)
            found = _snapshot_now(park_year, actor)
            session.add(found)
        found.published_at, found.published_by = m.utcnow(), actor
    elif action == "reopen" and snapshot(session, park_year.park_id, park_year.year,
                                         park_year.edition) is None:
        # a year published before snapshots existed: its locked data are that edition
        kept = _snapshot_now(park_year, actor)
        kept.published_at = kept.approved_at if park_year.state == "published" else None
        session.add(kept)


def _snapshot_now(park_year: m.ParkYear, actor: str) -> m.ParkYearSnapshot:
    text = dataset_yaml(repository.read_spec(park_year))
    return m.ParkYearSnapshot(park_id=park_year.park_id, year=park_year.year,
                              edition=park_year.edition, dataset_yaml=text, approved_by=actor,
                              approved_at=m.utcnow())


def _tell(session: Session, park_year: m.ParkYear, action: str, actor: str, comment: str
          ) -> None:
    if action not in EVENTS:
        return
    zh, en = _TOLD[action]
    name = park_year.park.name
    extra_zh, extra_en = (f"：{comment}", f": {comment}") if comment else ("", "")
    emit(session, Event(EVENTS[action], actor, park_id=park_year.park_id, year=park_year.year,
                        text_zh=f"{name} {park_year.year} 年度评价{zh}{extra_zh}",
                        text_en=f"{name}, evaluation of {park_year.year}, {en}{extra_en}",
                        link=f"/parks/{park_year.park_id}/years/{park_year.year}"))


def snapshot(session: Session, park_id: int, year: int, edition: int) -> m.ParkYearSnapshot | None:
    return session.scalars(select(m.ParkYearSnapshot).where(
        m.ParkYearSnapshot.park_id == park_id, m.ParkYearSnapshot.year == year,
        m.ParkYearSnapshot.edition == edition)).first()


def snapshots(session: Session, park_id: int, year: int) -> list[m.ParkYearSnapshot]:
    return list(session.scalars(select(m.ParkYearSnapshot).where(
        m.ParkYearSnapshot.park_id == park_id, m.ParkYearSnapshot.year == year)
        .order_by(m.ParkYearSnapshot.edition.desc())))


def published(session: Session, park_id: int, year: int) -> m.ParkYearSnapshot | None:
    """The edition of the year the public sees: the latest published one."""
    return next((s for s in snapshots(session, park_id, year) if s.published_at), None)


def published_years(session: Session, park: m.Park) -> list[int]:
    """The years of `park` the public may see: a published edition, or (a year published
    before snapshots existed) the state published."""
    kept = set(session.scalars(select(m.ParkYearSnapshot.year).where(
        m.ParkYearSnapshot.park_id == park.id, m.ParkYearSnapshot.published_at.is_not(None))))
    return sorted(kept | {y.year for y in park.years if y.state == "published"})


def steps(session: Session, park_id: int, year: int) -> list[m.LifecycleStep]:
    return list(session.scalars(select(m.LifecycleStep).where(
        m.LifecycleStep.park_id == park_id, m.LifecycleStep.year == year)
        .order_by(m.LifecycleStep.id)))
