"""Users, argon2 passwords, rate-limited login, sessions and tokens stored hashed; settings that
refuse a default secret outside demo mode."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from sqlalchemy import select, update

from ecopark.errors import AuthError, Conflict, InvalidValue, SettingsError, TooManyAttempts
from ecopark.store import auth
from ecopark.store import models as m
from ecopark.store.engine import Store
from ecopark.store.settings import DEFAULT_SECRET, Settings
from ecopark.web.app import create_app


def _user(store: Store, settings: Settings, name: str = "alice", role: str = "reviewer") -> None:
    with store.session(actor="admin") as session:
        auth.create_user(session, name, role, "correct horse", auth.hasher(settings))


def test_passwords_are_argon2_hashes(store: Store, settings: Settings) -> None:
    _user(store, settings)
    with store.session(actor="t") as session:
        stored = session.scalars(select(m.User.password_hash)).one()
    assert stored is not None and stored.startswith("$argon2id$") and "correct horse" not in stored


def test_roles_are_checked_when_users_are_made(store: Store, settings: Settings) -> None:
    ph = auth.hasher(settings)
    with store.session(actor="admin") as session:
        for role, problem in (("boss", "role"), ("park_officer", "park"),
                              ("enterprise", "enterprise")):
            with pytest.raises(InvalidValue) as raised:
                auth.create_user(session, "x", role, "long enough", ph)
            assert raised.value.field == problem
        with pytest.raises(InvalidValue):
            auth.create_user(session, "x", "admin", "short", ph)
        auth.create_user(session, "x", "admin", "long enough", ph)
        with pytest.raises(Conflict):
            auth.create_user(session, "x", "admin", "long enough", ph)


def test_login_accepts_the_password_and_refuses_others(store: Store, settings: Settings) -> None:
    _user(store, settings)
    assert auth.login(store, "alice", "correct horse", "1.2.3.4", settings).name == "alice"
    for name, password in (("alice", "wrong"), ("nobody", "correct horse")):
        with pytest.raises(AuthError):
            auth.login(store, name, password, "1.2.3.4", settings)


def test_login_is_rate_limited_per_user_and_address(store: Store, settings: Settings) -> None:
    _user(store, settings)
    for _ in range(settings.login_max_failures):
        with pytest.raises(AuthError):
            auth.login(store, "alice", "wrong", "1.2.3.4", settings)
    with pytest.raises(TooManyAttempts) as raised:  # even the right password, from there
        auth.login(store, "alice", "correct horse", "1.2.3.4", settings)
    assert 0 < raised.value.retry_after <= settings.login_window_seconds + 1
    assert auth.login(store, "alice", "correct horse", "5.6.7.8", settings).name == "alice"
    with store.session(actor="t") as session:  # the window passes
        session.execute(update(m.LoginAttempt).values(at=m.utcnow() - dt.timedelta(hours=1)))
    assert auth.login(store, "alice", "correct horse", "1.2.3.4", settings).name == "alice"


def test_a_deactivated_user_cannot_sign_in(store: Store, settings: Settings) -> None:
    _user(store, settings)
    with store.session(actor="admin") as session:
        auth.user_by_name(session, "alice").active = False
    with pytest.raises(AuthError):
        auth.login(store, "alice", "correct horse", "1.2.3.4", settings)


def test_tokens_and_sessions_are_stored_hashed(store: Store, settings: Settings) -> None:
    _user(store, settings)
    with store.session(actor="alice") as session:
        user = auth.user_by_name(session, "alice")
        token = auth.create_token(session, user, "script")
        cookie, _ = auth.create_session(session, user, "1.2.3.4", 1)
    with store.session(actor="t") as session:
        hashes = set(session.scalars(select(m.ApiToken.token_hash))) | set(
            session.scalars(select(m.SessionRow.token_hash)))
        assert hashes == {hashlib.sha256(v.encode()).hexdigest() for v in (token, cookie)}
        assert auth.principal_from_token(session, token).name == "alice"
        assert auth.principal_from_session(session, cookie).role == "reviewer"
        with pytest.raises(AuthError):
            auth.principal_from_token(session, token + "x")
        session.execute(update(m.SessionRow).values(expires_at=m.utcnow()))
        with pytest.raises(AuthError):
            auth.principal_from_session(session, cookie)


def test_settings_come_from_ecopark_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECOPARK_SECRET_KEY", "s" * 40)
    monkeypatch.setenv("ECOPARK_MAX_BODY_BYTES", "4096")
    settings = Settings()
    assert settings.secret() == "s" * 40 and settings.max_body_bytes == 4096


@pytest.mark.parametrize("secret", [DEFAULT_SECRET, "short"])
def test_a_server_refuses_a_default_or_short_secret(store: Store, secret: str) -> None:
    settings = Settings(secret_key=secret, demo=False)
    with pytest.raises(SettingsError) as raised:
        create_app(settings, store)
    assert raised.value.setting == "ECOPARK_SECRET_KEY"
    create_app(Settings(secret_key=secret, demo=True), store)  # demo mode may
