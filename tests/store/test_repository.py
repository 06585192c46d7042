"""A dataset stored as a park-year and read back identical; loads are all or nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from ecopark import Framework
from ecopark.core.dataset.schema import DatasetFile, Reported, ValueEntry
from ecopark.core.errors import Conflict, DatasetError, InvalidValue, UnitError
from ecopark.store import models as m
from ecopark.store import repository
from ecopark.store.engine import Store

from ..dbfixtures import seed_spec


def _dump(spec: DatasetFile) -> str:
    return yaml.safe_dump(spec.model_dump(mode="json", exclude_none=True), allow_unicode=True,
                          sort_keys=False)


def _counts(store: Store) -> dict[str, int]:
    with store.engine.connect() as connection:
        return {table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
                for table in m.Base.metadata.sorted_tables}


def _save(store: Store, spec: DatasetFile, hj274: Framework, **options: object) -> None:
    with store.session(actor="tester") as session:
        repository.save_dataset(session, spec, hj274, **options)  # type: ignore[arg-type]


def _read(store: Store, park: str, year: int | None = None) -> DatasetFile:
    with store.session(actor="tester") as session:
        found = repository.park_by_name(session, park)
        return repository.read_spec(repository.get_park_year(session, found, year))


def test_the_seed_reads_back_identical(store: Store, hj274: Framework) -> None:
    spec = seed_spec()
    _save(store, spec, hj274, source_file="seed")
    back = _read(store, spec.park.name, 2018)
    assert back == spec
    assert _dump(back) == _dump(spec)


def test_every_part_of_the_format_round_trips(store: Store, hj274: Framework) -> None:
    data = seed_spec().model_dump()
    data["year"] = None
    data["checklists"] = {"env_management": {2018: [{"name": "环境管理机构", "done": True,
                                                     "evidence": "文件"}], 2017: []},
                          "risk_prevention": {}}
    data["lists"] = {"eco_chain_projects": [
        {"name": "热电联产", "partners": ["甲", "乙"], "year": 2018, "exchange": 1.5, "note": None}]}
    data["observations"]["iva"]["values"][2016] = {"value": 3, "unit": "亿元", "note": "int"}
    data["observations"]["energy"]["values"][2016] = "/"
    spec = DatasetFile.model_validate(data)
    _save(store, spec, hj274)
    back = _read(store, spec.park.name)
    assert back == spec and _dump(back) == _dump(spec)
    assert back.year is None
    assert isinstance(back.observations["iva"].values[2016], ValueEntry)
    assert back.observations["employees"].values[2018] == 12957  # an int stays an int


def test_values_are_kept_as_written_and_in_canonical_units(store: Store, hj274: Framework) -> None:
    _save(store, seed_spec(), hj274)
    with store.session(actor="tester") as session:
        rows = {(o.item, o.year): o for o in session.scalars(select(m.ObservationRow))}
    water = rows[("water_reuse", 2018)]
    assert (water.value_text, water.value_kind) == ("3163000", "int")
    assert water.value == pytest.approx(316.3)  # 立方米 → 万立方米, the item's unit
    assert rows[("nh3n", 2012)].value is None and rows[("nh3n", 2012)].value_text == "/"
    assert rows[("key_source_compliance", 2018)].value is None  # a fact, not a number


def test_storing_a_park_year_twice_needs_replace(store: Store, hj274: Framework) -> None:
    _save(store, seed_spec(), hj274)
    with pytest.raises(Conflict) as raised:
        _save(store, seed_spec(), hj274)
    assert "--replace" in raised.value.message("en")
    changed = seed_spec().model_copy(update={"reported": None})
    _save(store, changed, hj274, replace=True)
    assert _read(store, changed.park.name).reported is None
    assert _counts(store)["park_years"] == 1


def test_park_option_files_the_data_under_another_park(store: Store, hj274: Framework) -> None:
    _save(store, seed_spec(), hj274, park="武进经开区")
    back = _read(store, "武进经开区")
    assert back.park.name == seed_spec().park.name  # the file's own name is kept


def test_a_bad_observation_at_the_end_writes_nothing(store: Store, hj274: Framework) -> None:
    _save(store, seed_spec(), hj274)
    before = _counts(store)
    data = seed_spec().model_dump()
    data["park"]["name"] = "另一个园区"
    data["observations"]["publicity_events"]["values"][2019] = {"value": 5, "unit": "furlong"}
    with pytest.raises(UnitError):
        _save(store, DatasetFile.model_validate(data), hj274)
    assert _counts(store) == before


def test_a_failure_inside_the_database_rolls_back_every_row(store: Store,
                                                            hj274: Framework) -> None:
    """The last row (a list record) overflows the database's integer: everything before it,
    already sent to the database in the same transaction, is rolled back."""
    before = _counts(store)
    data = seed_spec().model_dump()
    data["lists"] = {"eco_chain_projects": [{"name": "x", "year": 2**70}]}
    with pytest.raises(InvalidValue):
        _save(store, DatasetFile.model_validate(data), hj274)
    assert _counts(store) == before


def test_a_killed_load_leaves_the_database_as_it_was(store: Store, hj274: Framework,
                                                     tmp_path: Path) -> None:
    """kill -9 of a process in the middle of a load (rows sent, not committed)."""
    _save(store, seed_spec(), hj274)
    before = _counts(store)
    script = tmp_path / "load.py"
    script.write_text(textwrap.dedent(f"""
        import sys, time
        from ecopark.core.framework.loading import load_framework
        from ecopark.store import repository
        from ecopark.store.engine import Store
        from tests.dbfixtures import park_b_spec
        store = Store({store.url!r})
        with store.session(actor="doomed") as session:
            repository.save_dataset(session, park_b_spec(), load_framework("hj274-2015"))
            print("flushed", flush=True)
            time.sleep(60)
    """), encoding="utf-8")
    root = Path(__file__).resolve().parents[2]
    # the child finds `tests` here and ecopark where this process does (an inherited PYTHONPATH)
    path = os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))
    with subprocess.Popen([sys.executable, str(script)], cwd=root, stdout=subprocess.PIPE,
                          env={**os.environ, "PYTHONPATH": path}, text=True) as child:
        try:
            assert child.stdout is not None and child.stdout.readline().strip() == "flushed"
        finally:
            os.kill(child.pid, signal.SIGKILL)
            child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert _counts(store) == before


def test_an_invalid_dataset_is_refused_by_the_core(store: Store, hj274: Framework) -> None:
    data = seed_spec().model_dump()
    data["observations"]["energy"]["values"][2018] = "很多"
    with pytest.raises(DatasetError) as raised:
        _save(store, DatasetFile.model_validate(data), hj274)
    assert raised.value.key_path == "observations.energy.values.2018"
    assert _counts(store)["parks"] == 0


def test_set_observation_converts_and_checks_units(store: Store, hj274: Framework) -> None:
    _save(store, seed_spec(), hj274)
    with store.session(actor="officer") as session:
        park_year = repository.get_park_year(session, repository.park_by_name(
            session, seed_spec().park.name), 2018)
        row = repository.set_observation(session, park_year, "energy", 2018,
                                         ValueEntry(value=2.7, unit="万吨标准煤"))
        assert row.value == pytest.approx(27000.0) and row.entered_by == "officer"
        new = repository.set_observation(session, park_year, "renewable_energy", 2017,
                                         ValueEntry(value=12, unit="吨标煤", source="台账"))
        assert new.value == 12.0
        with pytest.raises(UnitError):
            repository.set_observation(session, park_year, "energy", 2018,
                                       ValueEntry(value=1, unit="米"))
    back = _read(store, seed_spec().park.name)
    assert back.observations["energy"].values[2018] == ValueEntry(value=2.7, unit="万吨标准煤")
    assert back.observations["renewable_energy"].values[2017] == ValueEntry(value=12, unit="吨标煤",
                                                                            source="台账")


def test_replace_reported_is_checked_by_the_core(store: Store, hj274: Framework) -> None:
    _save(store, seed_spec(), hj274)
    with store.session(actor="reviewer") as session:
        park_year = repository.get_park_year(session, repository.park_by_name(
            session, seed_spec().park.name))
        repository.replace_reported(session, park_year, Reported(year=2018,
                                                                 indicators={1: "34.97"}))
        with pytest.raises(DatasetError):
            repository.replace_reported(session, park_year, Reported(year=2018,
                                                                     indicators={99: "1"}))
    back = _read(store, seed_spec().park.name)
    assert back.reported == Reported(year=2018, indicators={1: "34.97"})
