"""One series per park: a value is stored once, whatever evaluation reads it; it has a version
and a history; a write based on a stale version is refused; the migration merges the copies
the previous schema kept per evaluation year."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import text

from ecopark.core.dataset.schema import DatasetFile, ValueEntry
from ecopark.core.errors import StaleWrite
from ecopark.core.framework.model import Framework
from ecopark.store import repository
from ecopark.store.engine import Store
from ecopark.store.migrate import head_revision, upgrade

from ..dbfixtures import seed_spec

PARK = seed_spec().park.name


def _spec_of(year: int, co2_2012: float) -> DatasetFile:
    """The seed moved to evaluation year `year`, with its own copy of co2@2012."""
    data = seed_spec().model_dump(by_alias=True, exclude_none=True)
    data["year"] = year
    data["observations"]["co2"]["values"][2012] = co2_2012
    if year != 2018:
        for series in data["observations"].values():
            if 2018 in series["values"]:
                series["values"][year] = series["values"][2018]
    data.pop("reported", None)
    return DatasetFile.model_validate(data)


def _co2_2012(store: Store, year: int) -> float:
    with store.session(actor="reader") as session:
        park = repository.park_by_name(session, PARK)
        value = repository.read_spec(repository.get_park_year(session, park, year)) \
            .observations["co2"].values[2012]
    assert isinstance(value, (float, ValueEntry))
    return float(value.value if isinstance(value, ValueEntry) else value)


def test_a_value_is_stored_once_and_every_evaluation_reads_it(store: Store,
                                                               hj274: Framework) -> None:
    with store.session(actor="loader") as session:
        repository.save_dataset(session, _spec_of(2018, 37968.0), hj274)
        repository.save_dataset(session, _spec_of(2019, 37968.0), hj274)
    with store.session(actor="officer") as session:
        park = repository.park_by_name(session, PARK)
        park_2018 = repository.get_park_year(session, park, 2018)
        repository.set_observation(session, park_2018, "co2", 2012, ValueEntry(value=40000.0),
                                   via="form")
    assert _co2_2012(store, 2018) == _co2_2012(store, 2019) == 40000.0
    with store.session(actor="reader") as session:
        park = repository.park_by_name(session, PARK)
        row = repository.get_observation(session, park, "co2", 2012)
        rows = session.execute(text("SELECT count(*) FROM observations WHERE item = 'co2' "
                                    "AND year = 2012")).scalar_one()
        history = [(h.version, h.value_text, h.by, h.via) for h in row.history]
    assert rows == 1
    assert row.version == 2
    assert history == [(2, "40000.0", "officer", "form"), (1, "37968.0", "loader", "cli")]


def test_an_evaluation_reads_the_series_up_to_its_year(store: Store, hj274: Framework) -> None:
    with store.session(actor="loader") as session:
        repository.save_dataset(session, _spec_of(2018, 37968.0), hj274)
        repository.save_dataset(session, _spec_of(2019, 37968.0), hj274)
        park = repository.park_by_name(session, PARK)
        spec_2018 = repository.read_spec(repository.get_park_year(session, park, 2018))
        spec_2019 = repository.read_spec(repository.get_park_year(session, park, 2019))
    assert max(spec_2018.observations["co2"].values) == 2018
    assert max(spec_2019.observations["co2"].values) == 2019


def test_saving_an_equal_value_adds_no_version(store: Store, hj274: Framework) -> None:
    with store.session(actor="loader") as session:
        repository.save_dataset(session, _spec_of(2018, 37968.0), hj274)
        repository.save_dataset(session, _spec_of(2019, 37968.0), hj274)
        row = repository.get_observation(session, repository.park_by_name(session, PARK),
                                         "co2", 2012)
        assert (row.version, len(row.history)) == (1, 1)


def test_a_write_based_on_a_stale_version_is_refused_naming_both_values(
        store: Store, hj274: Framework) -> None:
    with store.session(actor="loader") as session:
        repository.save_dataset(session, _spec_of(2018, 37968.0), hj274)
    with store.session(actor="alice") as session:
        park_year = repository.get_park_year(session, repository.park_by_name(session, PARK))
        repository.set_observation(session, park_year, "co2", 2012, ValueEntry(value=38000.0),
                                   expected=1)
    with pytest.raises(StaleWrite) as raised, store.session(actor="bob") as session:
        park_year = repository.get_park_year(session, repository.park_by_name(session, PARK))
        repository.set_observation(session, park_year, "co2", 2012, ValueEntry(value=39000.0),
                                   expected=1)
    [stale] = raised.value.stale
    assert (stale["item"], stale["year"], stale["yours"], stale["current"], stale["by"],
            stale["version"]) == ("co2", 2012, "39000.0 吨", "38000.0 吨", "alice", 2)
    assert "alice" in raised.value.message() and "38000.0 吨" in raised.value.message("en")
    assert _co2_2012(store, 2018) == 38000.0


def test_an_import_based_on_stale_versions_writes_nothing(store: Store, hj274: Framework) -> None:
    with store.session(actor="loader") as session:
        repository.save_dataset(session, _spec_of(2018, 37968.0), hj274)
        versions = repository.versions(repository.get_park_year(
            session, repository.park_by_name(session, PARK)))
    with store.session(actor="alice") as session:
        park_year = repository.get_park_year(session, repository.park_by_name(session, PARK))
        repository.set_observation(session, park_year, "co2", 2012, ValueEntry(value=38000.0))
    with pytest.raises(StaleWrite), store.session(actor="bob") as session:
        repository.save_dataset(session, _spec_of(2018, 39000.0), hj274, replace=True,
                                via="import", expected=versions)
    assert _co2_2012(store, 2018) == 38000.0


# --------------------------------------------------------------------------- the migration

_NOW = "2019-03-01 08:00:00.000000"
_LATER = "2020-03-01 08:00:00.000000"


def _previous_schema_with_diverging_copies(path: Path) -> Store:
    store = Store(f"sqlite:///{path}")
    upgrade(store, "0006")
    statements = [
        "INSERT INTO parks (id, name, created_at, publish_table, publish_enterprises) "
        f"VALUES (1, '{PARK}', '{_NOW}', 0, 0)",
        "INSERT INTO frameworks (id, key, name_zh, name_en) VALUES (1, 'hj274-2015', 'x', 'x')",
        "INSERT INTO framework_versions (id, framework_id, version, status) "
        "VALUES (1, 1, '2015', '')",
        *(f"INSERT INTO park_years (id, park_id, year, framework_version_id, park_name, base_year,"
          f" base_year_note, source_file, loaded_by, loaded_at) VALUES ({i}, 1, {y}, 1, "
          f"'{PARK}', 2015, '', '', 'loader', '{_NOW}')" for i, y in ((1, 2018), (2, 2019))),
        *(f"INSERT INTO series (id, park_year_id, position, item, unit) VALUES "
          f"({i}, {py}, {p}, '{item}', '{unit}')"
          for i, py, p, item, unit in ((1, 1, 0, 'co2', '吨'), (2, 1, 1, 'iva', '万元'),
                                       (3, 2, 0, 'co2', '万吨'), (4, 2, 1, 'iva', '万元'))),
        *(f"INSERT INTO observations (id, park_year_id, park_id, position, item, year, value, "
          f"value_text, value_kind, unit, detailed, entered_by, entered_at) VALUES "
          f"({i}, {py}, 1, {p}, '{item}', {y}, {v}, '{t}', 'float', NULL, 0, '{who}', '{at}')"
          for i, py, p, item, y, v, t, who, at in (
              (1, 1, 0, 'co2', 2012, 37968.0, '37968.0', 'alice', _NOW),
              (2, 1, 1, 'iva', 2018, 100.0, '100.0', 'alice', _NOW),
              (3, 2, 0, 'co2', 2012, 40000.0, '4.0', 'bob', _LATER),
              (4, 2, 1, 'iva', 2018, 100.0, '100.0', 'bob', _LATER))),
    ]
    with store.engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
    return store


def test_the_migration_merges_diverging_copies_keeping_the_latest(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = _previous_schema_with_diverging_copies(tmp_path / "old.sqlite")
    assert upgrade(store) == ("0006", head_revision())
    printed = capsys.readouterr().out
    assert "co2 2012: kept 4.0 万吨 (2019); history 37968.0 吨 (2018)" in printed
    assert "iva" not in printed  # equal copies: nothing to report
    with store.engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT item, year, value_text, unit, version, entered_by FROM observations "
            "ORDER BY position")).all()
        history = connection.execute(text(
            "SELECT o.item, h.version, h.value_text, h.unit, h.by, h.via_detail "
            "FROM observation_history h JOIN observations o ON o.id = h.observation_id "
            "ORDER BY o.position, h.version")).all()
        series = connection.execute(text("SELECT park_id, item, unit FROM series "
                                          "ORDER BY position")).all()
    assert [tuple(r) for r in rows] == [("co2", 2012, "4.0", "万吨", 2, "bob"),
                                         ("iva", 2018, "100.0", "万元", 1, "bob")]
    assert [tuple(h) for h in history] == [
        ("co2", 1, "37968.0", "吨", "alice", "2018 年度评价 evaluation"),
        ("co2", 2, "4.0", "万吨", "bob", "2019 年度评价 evaluation"),
        ("iva", 1, "100.0", "万元", "alice", "2018 年度评价 evaluation")]
    assert [tuple(s) for s in series] == [(1, "co2", "万吨"), (1, "iva", "万元")]
    with store.session(actor="reader") as session:
        park = repository.park_by_name(session, PARK)
        spec = repository.read_spec(repository.get_park_year(session, park, 2018))
    # the 2018 evaluation reads the merged value in the unit it was written in
    assert spec.observations["co2"].values[2012] == 4.0
    assert spec.observations["co2"].unit == "万吨"
    store.dispose()


def test_the_migration_keeps_when_each_copy_was_entered(tmp_path: Path) -> None:
    store = _previous_schema_with_diverging_copies(tmp_path / "old.sqlite")
    upgrade(store)
    with store.session(actor="reader") as session:
        row = repository.get_observation(session, repository.park_by_name(session, PARK),
                                         "co2", 2012)
        ats = [h.at for h in row.history]
    assert ats == [dt.datetime(2020, 3, 1, 8, tzinfo=dt.UTC), dt.datetime(2019, 3, 1, 8,
                                                                           tzinfo=dt.UTC)]
    store.dispose()


def test_an_import_with_an_implausible_value_needs_a_reason(store: Store,
                                                            hj274: Framework) -> None:
    """A completeness of 104 % is refused at the door (nothing written); with a reason it is
    stored and the reason is kept in the value's history."""
    from ecopark.core.errors import ImplausibleValue

    data = seed_spec().model_dump(by_alias=True, exclude_none=True)
    data["observations"]["clean_production_audit_rate"]["values"][2018] = 104.0
    spec = DatasetFile.model_validate(data)
    with pytest.raises(ImplausibleValue) as raised, store.session(actor="loader") as session:
        repository.save_dataset(session, spec, hj274)
    assert "104" in raised.value.message() and "100" in raised.value.message()
    with store.session(actor="reader") as session:
        assert repository.list_parks(session) == []
    with store.session(actor="loader") as session:
        repository.save_dataset(session, spec, hj274, reason="企业数量口径变化，已核实")
        row = repository.get_observation(session, repository.park_by_name(session, PARK),
                                         "clean_production_audit_rate", 2018)
        assert (row.value_text, row.history[0].reason) == ("104.0", "企业数量口径变化，已核实")
