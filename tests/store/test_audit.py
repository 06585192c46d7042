"""Every change is in the audit log, written in the same transaction; the log is append-only."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from ecopark import Framework
from ecopark.dataset import DatasetFile, ValueEntry
from ecopark.store import auth, repository
from ecopark.store import models as m
from ecopark.store.engine import Store
from ecopark.store.settings import Settings

from ..dbfixtures import seed_spec


def _entries(store: Store) -> list[m.AuditEntry]:
    with store.session(actor="reader") as session:
        return list(session.scalars(select(m.AuditEntry).order_by(m.AuditEntry.id)))


def _row_count(store: Store) -> int:
    with store.engine.connect() as connection:
        return sum(connection.execute(select(func.count()).select_from(t)).scalar_one()
                   for t in m.Base.metadata.sorted_tables
                   if t.name not in ("audit_log", "roles", "sessions", "login_attempts"))


def test_a_load_logs_every_inserted_row_with_actor_and_park(store: Store,
                                                            hj274: Framework) -> None:
    with store.session(actor="officer-x") as session:
        park_id = repository.save_dataset(session, seed_spec(), hj274).park_id
    entries = _entries(store)
    assert len(entries) == _row_count(store)
    assert {e.actor for e in entries} == {"officer-x"} and {e.action for e in entries} == {"insert"}
    assert all(e.park_id == park_id for e in entries if e.table_name not in
               ("frameworks", "framework_versions"))
    observation = next(e for e in entries if e.table_name == "observations")
    assert observation.old_json is None and json.loads(observation.new_json or "")["item"]


def test_an_update_logs_old_and_new_values(store: Store, hj274: Framework) -> None:
    with store.session(actor="loader") as session:
        park_year = repository.save_dataset(session, seed_spec(), hj274)
    with store.session(actor="editor") as session:
        park_year = repository.get_park_year(session, repository.park_by_name(
            session, seed_spec().park.name))
        repository.set_observation(session, park_year, "energy", 2018, ValueEntry(value=1.0))
    last = _entries(store)[-1]
    assert (last.actor, last.action, last.table_name) == ("editor", "update", "observations")
    old, new = json.loads(last.old_json or ""), json.loads(last.new_json or "")
    assert (old["value_text"], new["value_text"]) == ("27029.17", "1.0")


def test_a_delete_logs_the_old_rows(store: Store, hj274: Framework) -> None:
    data = seed_spec().model_dump()
    data["checklists"] = {"env_management": {2018: [{"name": "机构", "done": True}]}}
    data["lists"] = {"eco_chain_projects": [{"name": "热电联产", "year": 2018}]}
    with store.session(actor="loader") as session:
        park_id = repository.save_dataset(session, DatasetFile.model_validate(data), hj274).park_id
    with store.session(actor="remover") as session:
        session.delete(repository.get_park_year(session, repository.park_by_name(
            session, seed_spec().park.name)))
    deleted = [e for e in _entries(store) if e.action == "delete"]
    assert {e.actor for e in deleted} == {"remover"}
    assert {e.table_name for e in deleted} >= {"park_years", "observations", "series"}
    assert all(e.new_json is None and e.old_json for e in deleted)
    assert {e.park_id for e in deleted} == {park_id}  # the park's trail keeps its deletions


def test_a_rolled_back_change_leaves_no_audit_row(store: Store, hj274: Framework) -> None:
    with pytest.raises(RuntimeError), store.session(actor="loader") as session:
        repository.save_dataset(session, seed_spec(), hj274)
        raise RuntimeError("abort")
    assert _entries(store) == []


def test_secrets_never_reach_the_log(store: Store, settings: Settings) -> None:
    with store.session(actor="admin") as session:
        user = auth.create_user(session, "u1", "reviewer", "long-password", auth.hasher(settings))
        token = auth.create_token(session, user)
    text_of_log = " ".join(f"{e.old_json} {e.new_json}" for e in _entries(store))
    assert "argon2" not in text_of_log and token not in text_of_log and "***" in text_of_log


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET actor = 'forger'",
                                       "DELETE FROM audit_log"])
def test_the_log_is_append_only(store: Store, hj274: Framework, statement: str) -> None:
    with store.session(actor="loader") as session:
        repository.save_dataset(session, seed_spec(), hj274)
    with pytest.raises(DatabaseError, match="append-only"), store.engine.begin() as connection:
        connection.execute(text(statement))
    assert {e.actor for e in _entries(store)} == {"loader"}


def test_replacing_the_printed_table_logs_the_rows_it_drops(store: Store,
                                                            hj274: Framework) -> None:
    """Rows dropped from a replaced collection (orphans) are logged as deletes too."""
    spec = seed_spec()
    assert spec.reported is not None
    with store.session(actor="loader") as session:
        repository.save_dataset(session, spec, hj274)
    shorter = spec.reported.model_copy(update={"indicators": {1: "39.31"}, "rows": [],
                                               "text": []})
    with store.session(actor="officer") as session:
        park_year = repository.get_park_year(session, repository.park_by_name(
            session, spec.park.name), 2018)
        repository.replace_reported(session, park_year, shorter)
    dropped = [e for e in _entries(store) if e.actor == "officer" and e.action == "delete"
               and e.table_name == "reported_values"]
    assert len(dropped) == len(spec.reported.indicators)
