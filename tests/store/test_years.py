"""Starting an evaluation year: a new park's first year on the shipped framework, a later year
carried over from the previous one (selection, profile, settings; never observations), and every
refusal typed, with nothing written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ecopark.core.errors import Conflict, DatasetError, InvalidValue
from ecopark.store import models as m
from ecopark.store import repository
from ecopark.store.engine import Store
from ecopark.store.profile import set_profile
from ecopark.store.years import previous_year, start_year, year_defaults

from ..dbfixtures import World, seed_spec


def _new_park(store: Store, name: str = "新建测试园区") -> int:
    with store.session(actor="admin") as session:
        park = m.Park(name=name)
        session.add(park)
        session.flush()
        return park.id


def _audit(store: Store, table: str) -> list[tuple[str, str]]:
    with store.session(actor="t") as session:
        rows = session.execute(select(m.AuditEntry.actor, m.AuditEntry.action)
                               .where(m.AuditEntry.table_name == table)).all()
        return [(actor, action) for actor, action in rows]


def test_a_new_parks_first_year_gets_the_shipped_framework_and_its_selection(
        store: Store) -> None:
    park_id = _new_park(store)
    with store.session(actor="officer-n") as session:
        park = repository.get_park(session, park_id)
        created = start_year(session, park, 2019, 2015, selected=[11, 2, 2],
                             profile={"region_class": "water_scarce"})
        spec = repository.read_spec(created)
        assert (created.year, created.base_year, created.loaded_by) == (2019, 2015, "officer-n")
        assert created.framework_key == "hj274-2015"
        assert created.source_file == "新建年度 new year"
        assert spec.park.selected == [2, 11]
        assert spec.park.model_extra == {"region_class": "water_scarce"}
        assert spec.observations == {} and spec.year == 2019
    assert _audit(store, "park_years") == [("officer-n", "insert")]


def test_a_later_year_carries_the_previous_years_choices_and_reads_the_parks_values(
        store: Store, world: World) -> None:
    with store.session(actor="officer-a") as session:
        park = repository.get_park(session, world.park_a)
        created = start_year(session, park, 2019, None)
        spec = repository.read_spec(created)
        assert created.base_year == 2012
        assert spec.park.selected == [2, 6, 8, 11, 14, 27]
        assert spec.park.model_extra == seed_spec().park.model_extra  # region, 园区概况
        assert spec.park.base_year_note == seed_spec().park.base_year_note != ""
        # nothing copied: the new year reads the park's one series, up to its year
        assert spec.observations == repository.read_spec(
            repository.get_park_year(session, park, 2018)).observations
        assert spec.reported is None
        rows = session.scalar(select(func.count()).select_from(m.ObservationRow)
                              .where(m.ObservationRow.park_id == park.id))
        assert rows == 46
        assert created.source_file == "新建年度（沿用 2018 年）new year (from 2018)"
        again = start_year(session, park, 2020, 2015, selected=[2])
        assert repository.read_spec(again).park.selected == [2]
        assert repository.read_spec(again).park.base_year_note == ""  # a new base year: no note


def test_which_year_is_carried_over_and_what_is_offered(store: Store, world: World) -> None:
    with store.session(actor="t") as session:
        park = repository.get_park(session, world.park_a)
        start_year(session, park, 2021, None)
        assert previous_year(session, park, 2020).year == 2018  # type: ignore[union-attr]
        assert previous_year(session, park, 2025).year == 2021  # type: ignore[union-attr]
        assert previous_year(session, park, 2010).year == 2018  # type: ignore[union-attr]
        assert year_defaults(session, park) == (2022, 2012)


@pytest.mark.parametrize(("year", "base_year", "selected", "error", "field"), [
    (2018, 2012, None, Conflict, "key"),
    (2019, 2019, None, InvalidValue, "base_year"),
    (2019, 2020, None, InvalidValue, "base_year"),
    (2300, 2012, None, InvalidValue, "year"),
    (2019, 1800, None, InvalidValue, "base_year"),
    (2019, 2012, [99], DatasetError, "park.selected[0]"),
])
def test_refusals_are_typed_and_write_nothing(store: Store, world: World, year: int,
                                              base_year: int, selected: list[int] | None,
                                              error: type[Exception], field: str) -> None:
    with store.session(actor="t") as session:
        before = session.scalar(select(func.count()).select_from(m.ParkYear))
        with pytest.raises(error) as caught:
            start_year(session, repository.get_park(session, world.park_a), year, base_year,
                       selected=selected)
        exc = caught.value
        where = getattr(exc, "key_path", None) or getattr(exc, "field", None) or "key"
        assert where == field
        assert session.scalar(select(func.count()).select_from(m.ParkYear)) == before


def test_a_new_parks_first_year_needs_its_base_year(store: Store) -> None:
    park_id = _new_park(store)
    with store.session(actor="t") as session, pytest.raises(InvalidValue) as caught:
        start_year(session, repository.get_park(session, park_id), 2019, None)
    assert caught.value.field == "base_year"
    assert "须填写规划基准年" in str(caught.value)


def test_an_unknown_profile_value_is_refused(store: Store) -> None:
    park_id = _new_park(store)
    with store.session(actor="t") as session, pytest.raises(DatasetError) as caught:
        start_year(session, repository.get_park(session, park_id), 2019, 2015,
                   profile={"region_class": "moon"})
    assert caught.value.key_path == "park.region_class"


def test_a_later_year_does_not_carry_the_chapters_written_for_a_year(
        store: Store, world: World) -> None:
    with store.session(actor="officer-a") as session:
        park = repository.get_park(session, world.park_a)
        set_profile(session, repository.get_park_year(session, park, 2018),
                    {"problems_text": "二氧化碳排放强度偏高。", "enterprises": "1234"})
        extra = repository.read_spec(start_year(session, park, 2019, None)).park.model_extra
        assert extra is not None
        assert (extra["enterprises"], "problems_text" in extra) == ("1234", False)
