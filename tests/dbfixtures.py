"""Database fixtures for tests/store and tests/web: a fresh database per test, on SQLite (a
temporary file) and, when ECOPARK_TEST_DATABASE_URL is set, on PostgreSQL (a schema of its own,
dropped afterwards, so nothing is left behind)."""

from __future__ import annotations

import dataclasses
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from ecopark import Framework
from ecopark.core.dataset.schema import DatasetFile
from ecopark.core.yamlfile import read_yaml
from ecopark.store import auth, repository, submissions
from ecopark.store.engine import Store, resolve_url
from ecopark.store.migrate import upgrade
from ecopark.store.settings import Settings

from .conftest import SEED

PG_URL = os.environ.get("ECOPARK_TEST_DATABASE_URL")
ENGINES = ["sqlite", *(["postgresql"] if PG_URL else [])]

PARK_A = "江苏武进经济开发区"
PARK_B = "对照测试园区乙"
ENTERPRISE_A = "甲企业"
ENTERPRISE_B = "乙企业"
B_MARKER = "98765.4321"  # a value only park B has: it must never show up in another's reply


@pytest.fixture(params=ENGINES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ecopark.sqlite'}"
        return
    assert PG_URL is not None
    yield from _pg_schema(PG_URL)


def _pg_schema(base: str) -> Iterator[str]:
    schema = f"ecopark_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(resolve_url(base))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(resolve_url(base)).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def settings() -> Settings:
    """Real argon2 with small costs, so tests that create users stay fast."""
    return Settings(database_url=None, secret_key="t" * 48, demo=False, argon2_time_cost=1,
                    argon2_memory_kib=64, login_max_failures=3, login_window_seconds=60)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    store = Store(db_url)
    upgrade(store)
    yield store
    store.dispose()


def seed_spec() -> DatasetFile:
    return DatasetFile.model_validate(read_yaml(SEED))


def park_b_spec() -> DatasetFile:
    """The seed, renamed, with one value no other park has."""
    spec = seed_spec()
    park = spec.park.model_copy(update={"name": PARK_B})
    observations = dict(spec.observations)
    energy = observations["energy"].model_copy(deep=True)
    energy.values[2018] = float(B_MARKER)
    observations["energy"] = energy
    return spec.model_copy(update={"park": park, "observations": observations})


@dataclasses.dataclass
class World:
    """Two parks, an enterprise with a submitted report in each, users of every role."""

    store: Store
    park_a: int
    park_b: int
    enterprise_a: int
    enterprise_b: int
    users: dict[str, int]
    tokens: dict[str, str]
    passwords: dict[str, str]

    def headers(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}


USERS = {  # name: (role, park, enterprise)
    "admin": ("admin", None, None),
    "officer-a": ("park_officer", "a", None),
    "ent-a": ("enterprise", None, "a"),
    "reviewer": ("reviewer", None, None),
    "officer-b": ("park_officer", "b", None),
    "ent-b": ("enterprise", None, "b"),
}
ROLE_USERS = {"admin": "admin", "park_officer": "officer-a", "enterprise": "ent-a",
              "reviewer": "reviewer"}


def build_world(store: Store, settings: Settings, hj274: Framework) -> World:
    ph = auth.hasher(settings)
    with store.session(actor="fixture") as session:
        a = repository.save_dataset(session, seed_spec(), hj274, source_file="seed")
        b = repository.save_dataset(session, park_b_spec(), hj274, source_file="park-b")
        parks = {"a": a.park, "b": b.park}
        ents = {key: submissions.create_enterprise(session, park, name) for key, park, name in
                (("a", a.park, ENTERPRISE_A), ("b", b.park, ENTERPRISE_B))}
        for ent in ents.values():
            draft = submissions.save_draft(session, ent, 2018, [
                submissions.SubmittedValue("energy", 1200.5, "吨标煤")])
            submissions.submit(session, draft)
        users, tokens, passwords = {}, {}, {}
        for name, (role, park, ent) in USERS.items():
            passwords[name] = f"Pw-{len(passwords)}-not-a-common-one"
            user = auth.create_user(session, name, role, passwords[name], ph,
                                    park=parks[park] if park else None,
                                    enterprise=ents[ent] if ent else None)
            users[name] = user.id
            tokens[name] = auth.create_token(session, user, "tests")
        return World(store, a.park.id, b.park.id, ents["a"].id, ents["b"].id, users, tokens,
                     passwords)


@pytest.fixture
def world(store: Store, settings: Settings, hj274: Framework) -> World:
    return build_world(store, settings, hj274)
