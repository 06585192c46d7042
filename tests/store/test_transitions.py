"""A park-year moved through its lifecycle in the store: the lock on submitted and approved
years (their own rows and the park's values of that year), the snapshot of an approval, the
next edition of a reopening, the events emitted, the history, and the migration's states."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select, text

from ecopark.core.dataset.schema import ValueEntry
from ecopark.core.errors import Conflict
from ecopark.io.yamlout import dataset_yaml
from ecopark.store import events, repository, transitions
from ecopark.store import models as m
from ecopark.store.engine import Store
from ecopark.store.migrate import upgrade
from ecopark.store.permissions import Principal

from ..dbfixtures import World
from .test_migrations import V1

OFFICER = Principal(2, "officer-a", "park_officer", park_id=1)
REVIEWER = Principal(4, "reviewer", "reviewer")


def _year(session, world: World) -> m.ParkYear:  # type: ignore[no-untyped-def]
    return repository.get_park_year(session, repository.get_park(session, world.park_a), 2018)


def _move(world: World, *moves: tuple[str, Principal, str]) -> None:
    with world.store.session(actor="t") as session:
        park_year = _year(session, world)
        for action, who, comment in moves:
            transitions.transition(session, park_year, action, who, comment=comment)


def _write_energy(world: World, value: float) -> None:
    with world.store.session(actor="officer-a") as session:
        repository.set_observation(session, _year(session, world), "energy", 2018,
                                   ValueEntry(value=value))


def test_a_submitted_year_refuses_writes_until_returned(world: World) -> None:
    _move(world, ("submit", OFFICER, ""))
    with pytest.raises(Conflict) as refused:
        _write_energy(world, 27000.5)
    zh, en = refused.value.message("zh"), refused.value.message("en")
    assert "“已提交”状态，数据已锁定" in zh and "撤回提交，或请审核人员退回" in zh
    assert "the year is submitted and its data are locked" in en
    _move(world, ("take", REVIEWER, ""), ("return", REVIEWER, "能耗数据请核对"))
    _write_energy(world, 27000.5)
    with world.store.session(actor="t") as session:
        assert repository.get_observation(session, _year(session, world).park, "energy",
                                          2018).value == 27000.5


def test_an_approved_year_refuses_its_own_rows_and_its_replacement(world: World,
                                                                   hj274) -> None:  # type: ignore[no-untyped-def]
    _move(world, ("submit", OFFICER, ""), ("take", REVIEWER, ""), ("approve", REVIEWER, ""))
    with pytest.raises(Conflict, match="已通过"), world.store.session(actor="t") as session:
        _year(session, world).base_year_note = "改"
        session.flush()
    with pytest.raises(Conflict, match="已通过"), world.store.session(actor="t") as session:
        spec = repository.read_spec(_year(session, world))
        repository.save_dataset(session, spec, hj274, replace=True)
    # a value of another year is not this year's own
    with world.store.session(actor="t") as session:
        repository.set_observation(session, _year(session, world), "energy", 2017,
                                   ValueEntry(value=25000.5))


def test_approval_keeps_the_dataset_and_reopening_makes_the_next_edition(world: World) -> None:
    with world.store.session(actor="t") as session:
        exported = dataset_yaml(repository.read_spec(_year(session, world)))
    _move(world, ("submit", OFFICER, ""), ("take", REVIEWER, ""), ("approve", REVIEWER, ""),
          ("publish", OFFICER, ""), ("reopen", OFFICER, "更正能耗"))
    _write_energy(world, 27000.5)
    with world.store.session(actor="t") as session:
        park_year = _year(session, world)
        assert (park_year.state, park_year.edition) == ("draft", 2)
        [kept] = transitions.snapshots(session, world.park_a, 2018)
        assert (kept.edition, kept.approved_by, kept.dataset_yaml) == (1, "reviewer", exported)
        assert transitions.published(session, world.park_a, 2018) is kept
        assert [(s.action, s.from_state, s.to_state, s.edition, s.by, s.comment)
                for s in transitions.steps(session, world.park_a, 2018)] == [
            ("submit", "draft", "submitted", 1, "officer-a", ""),
            ("take", "submitted", "under_review", 1, "reviewer", ""),
            ("approve", "under_review", "approved", 1, "reviewer", ""),
            ("publish", "approved", "published", 1, "officer-a", ""),
            ("reopen", "published", "draft", 2, "officer-a", "更正能耗")]
        audited = session.scalars(select(m.AuditEntry.table_name).where(
            m.AuditEntry.table_name.in_(["lifecycle_steps", "park_year_snapshots"]))).all()
        assert audited.count("lifecycle_steps") == 5
        assert audited.count("park_year_snapshots") == 2  # made, then published


def test_a_replaced_dataset_continues_after_the_last_approved_edition(world: World,
                                                                     hj274) -> None:  # type: ignore[no-untyped-def]
    _move(world, ("submit", OFFICER, ""), ("take", REVIEWER, ""), ("approve", REVIEWER, ""),
          ("reopen", REVIEWER, "重新导入"))
    with world.store.session(actor="t") as session:
        spec = repository.read_spec(_year(session, world))
        repository.save_dataset(session, spec, hj274, replace=True)
    _move(world, ("submit", OFFICER, ""), ("take", REVIEWER, ""), ("approve", REVIEWER, ""))
    with world.store.session(actor="t") as session:
        assert [s.edition for s in transitions.snapshots(session, world.park_a, 2018)] == [2, 1]
        assert [s.edition for s in transitions.steps(session, world.park_a, 2018)] == \
            [1, 1, 1, 2, 2, 2, 2]


def test_a_move_based_on_an_old_version_is_refused(world: World) -> None:
    with world.store.session(actor="t") as session:
        read = _year(session, world).version
    _move(world, ("submit", OFFICER, ""))
    with pytest.raises(Conflict, match="读取之后已被他人改动"), \
            world.store.session(actor="t") as session:
        transitions.transition(session, _year(session, world), "withdraw", OFFICER,
                               version=read)


def test_each_move_emits_its_event_in_the_transaction(world: World) -> None:
    heard: list[tuple[str, str, int | None, str, str]] = []

    def hear(session, event):  # type: ignore[no-untyped-def]
        heard.append((event.kind, event.actor, event.year, event.text_zh, event.link))

    events.listen(hear)
    try:
        _move(world, ("submit", OFFICER, ""), ("take", REVIEWER, ""),
              ("return", REVIEWER, "补充说明"))
    finally:
        events.unlisten(hear)
    link = f"/parks/{world.park_a}/years/2018"
    assert heard == [
        ("park_year.submitted", "officer-a", 2018, "江苏武进经济开发区 2018 年度评价已提交审核", link),
        ("park_year.returned", "reviewer", 2018,
         "江苏武进经济开发区 2018 年度评价被退回，请查看审核意见：补充说明", link)]


def test_the_migration_publishes_the_year_a_park_showed(tmp_path: Path) -> None:
    copy = tmp_path / "v1.sqlite"
    shutil.copy(V1, copy)
    store = Store(f"sqlite:///{copy}")
    upgrade(store, "0009")
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE parks SET publish_table = 1, published_year = NULL"))
    upgrade(store)
    with store.engine.connect() as connection:
        rows = connection.execute(text("SELECT year, state, edition FROM park_years")).all()
    assert [tuple(r) for r in rows] == [(2018, "published", 1)]
    store.dispose()
