"""The framework-format extension sections (also_frameworks, settings, exemptions, gates,
inventory) are stored with a park-year and read back identical; changes are checked by the core
and audited; `also_frameworks` names shipped frameworks only."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from ecopark import load_framework
from ecopark.core.dataset.schema import DatasetFile
from ecopark.core.errors import DatasetError
from ecopark.core.evaluate import evaluate
from ecopark.core.yamlfile import read_yaml
from ecopark.store import models as m
from ecopark.store import repository
from ecopark.store.engine import Store

DEMO = Path(__file__).resolve().parents[2] / "examples" / "zero-carbon-demo" / "dataset.yaml"


def _demo() -> DatasetFile:
    return DatasetFile.model_validate(read_yaml(DEMO))


def _save(store: Store, spec: DatasetFile) -> None:
    with store.session(actor="tester") as session:
        repository.save_dataset(session, spec, load_framework(spec.framework))


def _park_year(session: object, spec: DatasetFile) -> m.ParkYear:
    park = repository.park_by_name(session, spec.park.name)  # type: ignore[arg-type]
    return repository.get_park_year(session, park, 2027)  # type: ignore[arg-type]


def test_a_zero_carbon_dataset_reads_back_identical(store: Store) -> None:
    spec = _demo()
    _save(store, spec)
    with store.session(actor="tester") as session:
        back = repository.read_spec(_park_year(session, spec))
        framework, dataset = repository.dataset_of(_park_year(session, spec))
    assert back == spec
    assert back.inventory[2027].electricity[0].class_ == "grid"
    assert back.exemptions == {5: spec.exemptions[5]}
    result = evaluate(framework, dataset)
    assert round(result.result(1).value or 0, 4) == 0.1727  # E_park 103 625 t / 600 000 tce


def test_sections_change_checked_and_audited(store: Store) -> None:
    spec = _demo()
    _save(store, spec)
    with store.session(actor="officer") as session:
        park_year = _park_year(session, spec)
        repository.set_sections(session, park_year, {
            "settings": {"band_edge_100": {"value": "lower", "note": "省里口径"}},
            "exemptions": {}})
    with store.session(actor="tester") as session:
        back = repository.read_spec(_park_year(session, spec))
        log = session.scalars(select(m.AuditEntry).where(
            m.AuditEntry.table_name == "dataset_sections")).all()
    assert back.exemptions == {} and back.settings["band_edge_100"].note == "省里口径"
    changes = [(e.action, e.actor) for e in log if e.actor == "officer"]
    assert sorted(changes) == [("delete", "officer"), ("insert", "officer")]


def test_an_invalid_change_writes_nothing(store: Store) -> None:
    spec = _demo()
    _save(store, spec)
    with pytest.raises(DatasetError) as caught, store.session(actor="officer") as session:
        repository.set_sections(session, _park_year(session, spec),
                                {"exemptions": {1: "核心指标不能豁免"}})
    assert caught.value.key_path == "exemptions.1"
    with store.session(actor="tester") as session:
        assert repository.read_spec(_park_year(session, spec)).exemptions == spec.exemptions


def test_also_frameworks_names_shipped_frameworks_only(store: Store) -> None:
    data = _demo().model_dump(by_alias=True)
    data["also_frameworks"] = ["/etc/passwd"]
    spec = DatasetFile.model_validate(data)
    with pytest.raises(DatasetError) as caught, store.session(actor="tester") as session:
        repository.save_dataset(session, spec, load_framework(spec.framework))
    assert caught.value.key_path == "also_frameworks"
    assert "unknown framework '/etc/passwd'" in caught.value.problem
