"""Users, argon2 passwords and their policy, login limits (per account, per address, in all;
exact under concurrency), sessions and tokens stored hashed, tokens that expire and have a
scope, revocation on password change and deactivation; settings that refuse a default secret
outside demo mode."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, update

from ecopark.core.errors import (
    AuthError,
    Conflict,
    InvalidValue,
    NotFound,
    PermissionDenied,
    SettingsError,
    TooManyAttempts,
)
from ecopark.store import auth, login_limits
from ecopark.store import models as m
from ecopark.store.engine import Store
from ecopark.store.passwords import check_password, common_passwords
from ecopark.store.permissions import Principal
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


def test_login_is_limited_per_account_from_any_address(store: Store, settings: Settings) -> None:
    _user(store, settings)
    for n in range(settings.login_max_failures):
        with pytest.raises(AuthError):
            auth.login(store, "alice", "wrong", f"1.2.3.{n}", settings)
    with pytest.raises(TooManyAttempts) as raised:  # even the right password, from elsewhere
        auth.login(store, "alice", "correct horse", "5.6.7.8", settings)
    assert 0 < raised.value.retry_after <= settings.login_window_seconds
    with store.session(actor="t") as session:  # the window passes
        session.execute(update(m.LoginCounter).values(
            window_start=m.utcnow() - dt.timedelta(hours=1)))
    assert auth.login(store, "alice", "correct horse", "1.2.3.4", settings).name == "alice"


def test_a_success_clears_the_account_and_gives_its_attempt_back(store: Store,
                                                                 settings: Settings) -> None:
    _user(store, settings)
    for _ in range(settings.login_max_failures - 1):
        with pytest.raises(AuthError):
            auth.login(store, "alice", "wrong", "1.2.3.4", settings)
    auth.login(store, "alice", "correct horse", "1.2.3.4", settings)
    assert _counters(store) == {"global": 2, "ip:1.2.3.4": 2}
    for _ in range(settings.login_max_failures):
        with pytest.raises(AuthError):
            auth.login(store, "alice", "wrong", "1.2.3.4", settings)
    assert _counters(store) == {"global": 5, "ip:1.2.3.4": 5, "user:alice": 3}


def _counters(store: Store) -> dict[str, int]:
    with store.session(actor="t") as session:
        return {c.key: c.failures for c in session.scalars(select(m.LoginCounter))}


def test_spraying_from_one_address_is_limited(store: Store, settings: Settings) -> None:
    _user(store, settings)
    sprayer = settings.model_copy(update={"login_max_per_address": 4})
    for n in range(4):
        with pytest.raises(AuthError):
            auth.login(store, f"user{n}", "password1", "6.6.6.6", sprayer)
    with pytest.raises(TooManyAttempts):  # a fifth name, even a real one, from that address
        auth.login(store, "alice", "correct horse", "6.6.6.6", sprayer)
    assert auth.login(store, "alice", "correct horse", "7.7.7.7", sprayer).name == "alice"


def test_ipv6_addresses_are_counted_by_their_64_network() -> None:
    assert login_limits.address_key("2001:db8:1:2:aaaa::1") == "ip:2001:db8:1:2::/64"
    assert login_limits.address_key("2001:db8:1:2:bbbb::9") == "ip:2001:db8:1:2::/64"
    assert login_limits.address_key("10.0.0.7") == "ip:10.0.0.7"


def test_there_is_a_global_limit(store: Store, settings: Settings) -> None:
    _user(store, settings)
    small = settings.model_copy(update={"login_max_global": 3})
    for n in range(3):
        with pytest.raises(AuthError):
            auth.login(store, f"user{n}", "password1", f"9.9.9.{n}", small)
    with pytest.raises(TooManyAttempts):
        auth.login(store, "alice", "correct horse", "1.1.1.1", small)
    assert _counters(store)["global"] == 3  # a refused attempt counts nowhere


def test_concurrent_guesses_check_no_more_than_the_limit(store: Store,
                                                         settings: Settings) -> None:
    _user(store, settings)

    def guess(n: int) -> str:
        try:
            auth.login(store, "alice", f"guess-{n}", f"10.0.0.{n}", settings)
        except TooManyAttempts:
            return "refused"
        except AuthError:
            return "checked"
        return "signed in"

    with ThreadPoolExecutor(max_workers=40) as pool:
        outcomes = Counter(pool.map(guess, range(40)))
    assert outcomes == {"checked": settings.login_max_failures,
                        "refused": 40 - settings.login_max_failures}


def test_unknown_and_known_names_cost_one_verification_each(
        store: Store, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    _user(store, settings)
    with store.session(actor="admin") as session:
        auth.create_user(session, "carol", "reviewer", "correct horse", auth.hasher(settings))
        auth.user_by_name(session, "carol").active = False
    calls: Counter[str] = Counter()
    verify, hash_ = PasswordHasher.verify, PasswordHasher.hash

    def counted_verify(self: PasswordHasher, stored: str | bytes, password: str | bytes) -> bool:
        calls["verify"] += 1
        return verify(self, stored, password)

    def counted_hash(self: PasswordHasher, password: str | bytes, *,
                     salt: bytes | None = None) -> str:
        calls["hash"] += 1
        return hash_(self, password, salt=salt)

    with pytest.raises(AuthError):  # the dummy hash is made once, here at the latest
        auth.login(store, "nobody-yet", "wrong password", "1.2.3.4", settings)
    monkeypatch.setattr(PasswordHasher, "verify", counted_verify)
    monkeypatch.setattr(PasswordHasher, "hash", counted_hash)
    seen = {}
    for name in ("alice", "nobody", "carol"):  # known, unknown, deactivated
        calls.clear()
        with pytest.raises(AuthError):
            auth.login(store, name, "wrong password", "1.2.3.4", settings)
        seen[name] = dict(calls)
    assert seen == {"alice": {"verify": 1}, "nobody": {"verify": 1}, "carol": {"verify": 1}}


@pytest.mark.parametrize(("name", "password", "problem"), [
    ("alice", "12345678", "密码至少 10 个字符 the password needs at least 10 characters"),
    ("alice", "alicealice", "密码不能包含用户名 the password must not contain the user name"),
    ("alice", "my-ALICE-2026", "密码不能包含用户名 the password must not contain the user name"),
    ("bo", "bo", "密码至少 10 个字符 the password needs at least 10 characters"),
    ("alice", "Password123", "这是常见密码，容易被猜中 this is a common password, easily guessed"),
    ("alice", "woaini1314", "这是常见密码，容易被猜中 this is a common password, easily guessed"),
    ("alice", "1234567890", "这是常见密码，容易被猜中 this is a common password, easily guessed"),
])
def test_the_password_policy(name: str, password: str, problem: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        check_password(name, password)
    assert (raised.value.field, raised.value.problem) == ("password", problem)


def test_passwords_that_pass_the_policy() -> None:
    for name, password in (("bo", "bo-is-my-name-x"), ("alice", "correct horse")):
        check_password(name, password)
    assert len(common_passwords()) > 3000 and "123456" in common_passwords()


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


def test_tokens_expire_and_read_tokens_may_not_write(store: Store, settings: Settings) -> None:
    _user(store, settings)
    with store.session(actor="alice") as session:
        user = auth.user_by_name(session, "alice")
        reader = auth.create_token(session, user, "dashboard", scope="read", days=1)
        writer = auth.create_token(session, user, "cron")
        with pytest.raises(InvalidValue) as raised:
            auth.create_token(session, user, scope="admin")
        assert raised.value.field == "scope"
    with store.session(actor="t") as session:
        assert auth.principal_from_token(session, reader).name == "alice"
        with pytest.raises(PermissionDenied):
            auth.principal_from_token(session, reader, write=True)
        assert auth.principal_from_token(session, writer, write=True).name == "alice"
        session.execute(update(m.ApiToken).where(m.ApiToken.label == "dashboard").values(
            expires_at=m.utcnow() - dt.timedelta(seconds=1)))
        with pytest.raises(AuthError):
            auth.principal_from_token(session, reader)


def test_tokens_are_listed_without_secrets_and_revoked(store: Store, settings: Settings) -> None:
    _user(store, settings)
    _user(store, settings, "bob")
    with store.session(actor="t") as session:
        alice, bob = auth.user_by_name(session, "alice"), auth.user_by_name(session, "bob")
        secret = auth.create_token(session, alice, "a", days=30)
        auth.create_token(session, bob, "b", scope="read")
        listed = auth.list_tokens(session, alice.id)
        assert [(t.user, t.label, t.scope, t.state) for t in listed] == [
            ("alice", "a", "write", "active")]
        assert secret not in repr(listed)
        assert (listed[0].expires_at - listed[0].created_at).days == 30
        bobs = Principal(bob.id, "bob", "reviewer")
        with pytest.raises(NotFound):  # not bob's to revoke
            auth.revoke_token(session, listed[0].id, bobs)
        assert auth.revoke_token(session, listed[0].id).state == "revoked"
        with pytest.raises(AuthError):
            auth.principal_from_token(session, secret)
        assert [t.user for t in auth.list_tokens(session)] == ["bob", "alice"]


def test_a_new_password_or_deactivation_ends_sessions_and_tokens(store: Store,
                                                                 settings: Settings) -> None:
    _user(store, settings)
    _user(store, settings, "bob")
    ph = auth.hasher(settings)
    for change in ("password", "deactivate"):
        with store.session(actor="t") as session:
            user = auth.user_by_name(session, "alice" if change == "password" else "bob")
            token = auth.create_token(session, user)
            cookie, _ = auth.create_session(session, user, "1.2.3.4", 1)
            if change == "password":
                auth.set_password(session, user, "a new passphrase", ph)
            else:
                auth.set_active(session, user, False, None)
        with store.session(actor="t") as session:
            with pytest.raises(AuthError):
                auth.principal_from_token(session, token)
            with pytest.raises(AuthError):
                auth.principal_from_session(session, cookie)


def test_no_admin_deactivates_itself_nor_the_last_admin(store: Store, settings: Settings) -> None:
    _user(store, settings, "root", "admin")
    _user(store, settings, "chief", "admin")
    with store.session(actor="t") as session:
        root, chief = auth.user_by_name(session, "root"), auth.user_by_name(session, "chief")
        with pytest.raises(Conflict) as raised:
            auth.set_active(session, root, False, auth.principal(root))
        assert raised.value.message() == "用户 user root：不能停用自己 you cannot deactivate yourself"
        auth.set_active(session, chief, False, auth.principal(root))
        with pytest.raises(Conflict) as raised:
            auth.set_active(session, root, False, None)
        assert raised.value.problem.startswith("不能停用最后一位管理员")
        auth.set_active(session, chief, True, auth.principal(root))
        assert chief.active


def test_a_flood_of_wrong_guesses_does_not_fail_real_sign_ins(store: Store,
                                                             settings: Settings) -> None:
    """The campaign's scenario in-process (20 threads of random names, real sign-ins of ten
    users among them): every real sign-in succeeds, every guess is refused, none is busy."""
    for k in range(10):
        _user(store, settings, f"real{k}")

    def attempt(n: int) -> str:
        name, password = (f"real{n // 10}", "correct horse") if n % 10 == 0 else (f"x{n}", "guess")
        try:
            return auth.login(store, name, password, f"10.0.{n % 20}.{n}", settings).name[:4]
        except AuthError:
            return "refused"

    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = Counter(pool.map(attempt, range(100)))
    assert outcomes == {"real": 10, "refused": 90}
