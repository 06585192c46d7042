"""Every change is in the audit log, written in the same transaction; the log is append-only
and hash-chained, so an edit, a removal or a truncation shows."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError
from typer.testing import CliRunner

from ecopark import Framework
from ecopark.cli import app
from ecopark.core.dataset.schema import DatasetFile, ValueEntry
from ecopark.store import audit, auth, repository
from ecopark.store import models as m
from ecopark.store.engine import Store
from ecopark.store.migrate import upgrade
from ecopark.store.settings import Settings

from ..dbfixtures import seed_spec


def _entries(store: Store) -> list[m.AuditEntry]:
    with store.session(actor="reader") as session:
        return list(session.scalars(select(m.AuditEntry).order_by(m.AuditEntry.id)))


def _row_count(store: Store) -> int:
    with store.engine.connect() as connection:
        return sum(connection.execute(select(func.count()).select_from(t)).scalar_one()
                   for t in m.Base.metadata.sorted_tables
                   if t.name not in ("audit_log", "roles", "sessions", "login_attempts",
                                     "observation_history"))


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
        repository.set_observation(session, park_year, "energy", 2018,
                                   ValueEntry(value=27000.5))
    last = [e for e in _entries(store) if e.table_name == "observations"][-1]
    assert (last.actor, last.action) == ("editor", "update")
    old, new = json.loads(last.old_json or ""), json.loads(last.new_json or "")
    assert (old["value_text"], new["value_text"]) == ("27029.17", "27000.5")


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
    # the park's record outlives an evaluation: its values and series are the park's
    assert {e.table_name for e in deleted} >= {"park_years", "checklist_groups", "data_lists"}
    assert not {e.table_name for e in deleted} & {"observations", "series"}
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


# --------------------------------------------------------------------------- the hash chain


def _park(store: Store, name: str) -> None:
    with store.session(actor="chain") as session:
        session.add(m.Park(name=name))


def _raw(store: Store, *statements: str) -> None:
    with store.engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))


def _check(store: Store) -> audit.ChainCheck:
    with store.engine.connect() as connection:
        return audit.verify(connection)


def test_an_entry_hash_is_sha256_of_its_canonical_fields() -> None:
    entry = {"at": dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC), "actor": "甲",
             "action": "insert", "table_name": "parks", "row_key": "1", "park_id": 1,
             "old_json": None, "new_json": '{"name": "园"}'}
    canonical = ('["' + "0" * 64 + '","2026-01-02T03:04:05.000000","\\u7532","insert","parks",'
                 '"1",1,null,"{\\"name\\": \\"\\u56ed\\"}"]')
    assert audit.entry_hash(audit.GENESIS, entry) == hashlib.sha256(canonical.encode()).hexdigest()


def test_every_entry_links_to_the_one_before(store: Store, hj274: Framework) -> None:
    with store.session(actor="loader") as session:
        repository.save_dataset(session, seed_spec(), hj274)
    _park(store, "乙园区")
    entries = _entries(store)
    assert [e.prev_hash for e in entries] == [audit.GENESIS] + [e.hash for e in entries[:-1]]
    assert _check(store) == audit.ChainCheck(len(entries), entries[-1].hash)


def _without_triggers(store: Store) -> None:
    """What an attacker with the database file (SQLite) or the owner's role does first."""
    if store.dialect == "sqlite":
        _raw(store, "DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete")
    else:
        _raw(store, "ALTER TABLE audit_log DISABLE TRIGGER USER")


def test_an_edited_entry_breaks_the_chain(store: Store) -> None:
    for name in ("甲", "乙", "丙"):
        _park(store, name)
    second = _entries(store)[1]
    _without_triggers(store)
    _raw(store, f"UPDATE audit_log SET actor = 'forger' WHERE id = {second.id}")
    check = _check(store)
    assert (check.checked, check.broken_id) == (1, second.id)
    assert "edited" in check.problem


def test_a_removed_entry_breaks_the_chain_at_the_next(store: Store) -> None:
    for name in ("甲", "乙", "丙"):
        _park(store, name)
    first, second, third = _entries(store)
    _without_triggers(store)
    _raw(store, f"DELETE FROM audit_log WHERE id = {second.id}")
    check = _check(store)
    assert (check.checked, check.broken_id, check.head) == (1, third.id, first.hash)
    assert "removed" in check.problem


def test_postgresql_refuses_to_truncate_the_log(store: Store) -> None:
    if store.dialect != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's")
    _park(store, "甲")
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(store, "TRUNCATE audit_log")
    assert len(_entries(store)) == 1


def test_concurrent_appends_never_fork_the_chain(store: Store) -> None:
    def append(worker: int) -> None:
        for n in range(5):
            _park(store, f"园区{worker}-{n}")

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(append, range(4)))
    check = _check(store)
    assert (check.intact, check.checked) == (True, 20)


def test_db_verify_audit(db_url: str, store: Store) -> None:
    _park(store, "甲")
    _park(store, "乙")
    runner = CliRunner()
    intact = runner.invoke(app, ["db", "verify-audit", "--db", db_url])
    assert (intact.exit_code, intact.stdout.split(": ", 1)[1].split(";")[0]) == \
        (0, "已核查 2 条 entries checked")
    first = _entries(store)[0]
    _without_triggers(store)
    _raw(store, f"UPDATE audit_log SET new_json = '{{}}' WHERE id = {first.id}")
    broken = runner.invoke(app, ["db", "verify-audit", "--db", db_url])
    assert broken.exit_code == 1 and "Traceback" not in broken.output
    assert f"broken at entry {first.id}: " in broken.stderr


def test_the_app_role_may_append_but_not_truncate_or_drop(db_url: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("roles are PostgreSQL's")
    role = f"ecopark_app_{uuid.uuid4().hex[:8]}"
    store = Store(db_url)
    _raw(store, f"CREATE ROLE {role} NOLOGIN")
    try:
        monkeypatch.setenv(APP_ROLE_ENV, role)
        upgrade(store)
        with store.engine.connect() as connection:
            rights = [connection.execute(text(f"SELECT has_table_privilege('{role}', 'audit_log', "
                                              f"'{p}')")).scalar() for p in PRIVILEGES]
        assert dict(zip(PRIVILEGES, rights, strict=True)) == {
            "SELECT": True, "INSERT": True, "UPDATE": False, "DELETE": False, "TRUNCATE": False}
        for statement in ("TRUNCATE audit_log", "DROP TRIGGER audit_log_no_change ON audit_log"):
            with pytest.raises(DatabaseError, match=r"permission denied|must be owner"):
                _raw(store, f"SET ROLE {role}", statement)
    finally:
        _raw(store, f"DROP OWNED BY {role}", f"DROP ROLE {role}")
        store.dispose()


APP_ROLE_ENV = "ECOPARK_DB_APP_ROLE"  # read by migration 0006
PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE")
