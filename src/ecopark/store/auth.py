"""Who is asking: users, argon2 password hashes, rate-limited login, browser sessions and
bearer tokens for scripts (both stored only as SHA-256 hashes), and CSRF tokens.

`login` records every attempt and refuses a user name + address that failed
`login_max_failures` times within `login_window_seconds` (since its last success), with
TooManyAttempts; failures are committed even though the login is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Row, bindparam, func, select
from sqlalchemy.orm import Session

from ecopark.errors import AuthError, Conflict, InvalidValue, NotFound, TooManyAttempts
from ecopark.store import models as m
from ecopark.store.engine import Store
from ecopark.store.permissions import Principal
from ecopark.store.settings import Settings

__all__ = ["MIN_PASSWORD", "create_session", "create_token", "create_user", "csrf_token",
           "end_session", "hasher", "login", "principal", "principal_from_session",
           "principal_from_token", "set_password", "user_by_name"]

MIN_PASSWORD = 8
_TOKEN_PREFIX = "ecp_"


def hasher(settings: Settings) -> PasswordHasher:
    return PasswordHasher(time_cost=settings.argon2_time_cost,
                          memory_cost=settings.argon2_memory_kib, parallelism=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def principal(user: m.User | Row[*tuple[Any, ...]]) -> Principal:
    """The principal of a user (or of a row of the user's columns, see `_WHO`)."""
    return Principal(user.id, user.name, user.role, user.park_id, user.enterprise_id)


# --------------------------------------------------------------------------- users


def user_by_name(session: Session, name: str) -> m.User:
    user = session.scalars(select(m.User).where(m.User.name == name)).one_or_none()
    if user is None:
        raise NotFound("用户 user", name)
    return user


def create_user(session: Session, name: str, role: str, password: str | None, ph: PasswordHasher,
                park: m.Park | None = None, enterprise: m.Enterprise | None = None) -> m.User:
    _check_role(role, park, enterprise)
    if session.scalars(select(m.User.id).where(m.User.name == name)).first() is not None:
        raise Conflict(problem="用户名已存在 the name is taken", kind="用户 user", key=name)
    user = m.User(name=name, role=role, park_id=_park_id(park, enterprise),
                  enterprise_id=enterprise.id if enterprise else None)
    if password is not None:
        user.password_hash = _hash(password, ph)
    session.add(user)
    session.flush()
    return user


def _park_id(park: m.Park | None, enterprise: m.Enterprise | None) -> int | None:
    if enterprise is not None:
        return enterprise.park_id
    return park.id if park is not None else None


def _check_role(role: str, park: m.Park | None, enterprise: m.Enterprise | None) -> None:
    if role not in m.ROLES:
        raise InvalidValue("role", f"未知角色 unknown role {role!r}", f"可用 use: {', '.join(m.ROLES)}")
    if role == "park_officer" and park is None:
        raise InvalidValue("park", "园区工作人员须指定园区 a park_officer needs --park")
    if role == "enterprise" and enterprise is None:
        raise InvalidValue("enterprise", "企业用户须指定企业 an enterprise user needs --enterprise")
    if role in ("admin", "reviewer") and (park or enterprise):
        raise InvalidValue("park", f"{role} 不属于某个园区 an {role} belongs to no park")


def _hash(password: str, ph: PasswordHasher) -> str:
    if len(password) < MIN_PASSWORD:
        raise InvalidValue("password", f"密码至少 {MIN_PASSWORD} 个字符 the password needs at "
                           f"least {MIN_PASSWORD} characters")
    return ph.hash(password)


def set_password(user: m.User, password: str, ph: PasswordHasher) -> None:
    user.password_hash = _hash(password, ph)


# --------------------------------------------------------------------------- login


def login(store: Store, name: str, password: str, ip: str, settings: Settings) -> m.User:
    """Check a name and password (rate-limited per name + address); raise AuthError."""
    ph = hasher(settings)
    with store.session(actor=name) as session:
        _check_rate(session, name, ip, settings)
        user = session.scalars(select(m.User).where(m.User.name == name)).one_or_none()
        ok = _verify(ph, user, password)
        session.add(m.LoginAttempt(user_name=name, ip=ip, succeeded=ok))
    if not ok or user is None:
        raise AuthError("用户名或密码错误 wrong name or password")
    return user


def _verify(ph: PasswordHasher, user: m.User | None, password: str) -> bool:
    stored = user.password_hash if user is not None and user.active else None
    try:
        # unknown users are checked against a throw-away hash so both take the same time
        return ph.verify(stored or ph.hash("-"), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def _check_rate(session: Session, name: str, ip: str, settings: Settings) -> None:
    now = m.utcnow()
    since = now - dt.timedelta(seconds=settings.login_window_seconds)
    attempt = m.LoginAttempt
    last_ok = session.scalar(select(func.max(attempt.at)).where(
        attempt.user_name == name, attempt.ip == ip, attempt.succeeded.is_(True)))
    start = max(since, last_ok) if last_ok else since
    failures = session.execute(select(func.count(), func.min(attempt.at)).where(
        attempt.user_name == name, attempt.ip == ip, attempt.succeeded.is_(False),
        attempt.at > start)).one()
    if failures[0] >= settings.login_max_failures:
        retry = failures[1] + dt.timedelta(seconds=settings.login_window_seconds) - now
        raise TooManyAttempts(name, ip, max(1, int(retry.total_seconds()) + 1))


# --------------------------------------------------------------------------- sessions, tokens


def create_session(session: Session, user: m.User, ip: str, hours: int) -> tuple[str, dt.datetime]:
    """A new browser session: the cookie value (shown once) and when it expires."""
    token = secrets.token_urlsafe(32)
    expires = m.utcnow() + dt.timedelta(hours=hours)
    session.add(m.SessionRow(user_id=user.id, token_hash=_digest(token), expires_at=expires,
                             ip=ip[:64]))
    session.flush()
    return token, expires


def end_session(session: Session, token: str) -> None:
    row = session.scalars(select(m.SessionRow).where(
        m.SessionRow.token_hash == _digest(token))).one_or_none()
    if row is not None:
        session.delete(row)


def create_token(session: Session, user: m.User, label: str = "") -> str:
    """A new bearer token for scripts; only its hash is kept, so it is shown once."""
    token = _TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(m.ApiToken(user_id=user.id, token_hash=_digest(token), label=label))
    session.flush()
    return token


# Every signed-in request looks its user up, so the lookups are single queries (the user's
# columns a Principal is made of, joined to the session or token that names the user) and their
# statements are built once, with bind parameters: building one costs more than running it.
_WHO = (m.User.id, m.User.name, m.User.role, m.User.park_id, m.User.enterprise_id, m.User.active)
_BY_TOKEN = select(*_WHO).join(m.ApiToken, m.ApiToken.user_id == m.User.id).where(
    m.ApiToken.token_hash == bindparam("digest"), m.ApiToken.revoked_at.is_(None))
_BY_SESSION = select(*_WHO, m.SessionRow.expires_at).join(
    m.SessionRow, m.SessionRow.user_id == m.User.id).where(
    m.SessionRow.token_hash == bindparam("digest"))


def principal_from_token(session: Session, token: str) -> Principal:
    row = session.execute(_BY_TOKEN, {"digest": _digest(token)}).one_or_none()
    if row is None:
        raise AuthError("令牌无效或已撤销 invalid or revoked token")
    return _active(row)


def principal_from_session(session: Session, token: str) -> Principal:
    row = session.execute(_BY_SESSION, {"digest": _digest(token)}).one_or_none()
    if row is None or row.expires_at <= m.utcnow():
        raise AuthError("会话已过期，请重新登录 session expired; sign in again")
    return _active(row)


def _active(row: Row[*tuple[Any, ...]]) -> Principal:
    if not row.active:
        raise AuthError("用户已停用 the user is deactivated")
    return principal(row)


def csrf_token(secret: str, session_token: str) -> str:
    """The CSRF token of a session: HMAC of the session cookie with the server secret."""
    return hmac.new(secret.encode("utf-8"), session_token.encode("utf-8"), "sha256").hexdigest()
