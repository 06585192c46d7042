"""Who is asking: users, argon2 password hashes, rate-limited login, browser sessions and
bearer tokens for scripts (both stored only as SHA-256 hashes), and CSRF tokens.

`login` is limited per account, per address and in all (`login_limits`), and costs one argon2
verification whether the user exists or not (unknown names are checked against a dummy hash
made once). A new password must pass the policy (`passwords`). Setting a password and
deactivating a user end all the user's sessions and revoke all its tokens; the last active
admin cannot be deactivated, nor can an admin deactivate itself.

Tokens expire (`token_days` by default) and have a scope: `read` tokens may only GET and HEAD.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import hmac
import secrets
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Row, bindparam, delete, func, select
from sqlalchemy.orm import Session

from ecopark.core.errors import AuthError, Conflict, InvalidValue, NotFound, PermissionDenied
from ecopark.store import login_limits
from ecopark.store import models as m
from ecopark.store.engine import Store
from ecopark.store.passwords import MIN_PASSWORD, check_password
from ecopark.store.permissions import Principal
from ecopark.store.settings import Settings

__all__ = ["MIN_PASSWORD", "TokenInfo", "create_session", "create_token", "create_user",
           "csrf_token", "end_session", "hasher", "issue_token", "list_tokens", "login",
           "principal", "principal_from_session", "principal_from_token", "revoke_token",
           "session_with_unread",
           "set_active", "set_password", "user_by_name"]

_TOKEN_PREFIX = "ecp_"
_MAX_TOKEN_DAYS = 3650


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
        user.password_hash = _hash(name, password, ph)
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


def _hash(name: str, password: str, ph: PasswordHasher) -> str:
    check_password(name, password)
    return ph.hash(password)


def set_password(session: Session, user: m.User, password: str, ph: PasswordHasher) -> None:
    """A new password (checked against the policy); ends the user's sessions and tokens."""
    user.password_hash = _hash(user.name, password, ph)
    _revoke_all(session, user)


def set_active(session: Session, user: m.User, active: bool, by: Principal | None) -> None:
    """(De)activate a user; deactivation ends its sessions and tokens. Conflict when `by`
    deactivates itself or the last active admin would go."""
    if not active:
        _keep_an_admin(session, user, by)
        _revoke_all(session, user)
    user.active = active


def _keep_an_admin(session: Session, user: m.User, by: Principal | None) -> None:
    if by is not None and by.user_id == user.id:
        raise Conflict(problem="不能停用自己 you cannot deactivate yourself",
                       kind="用户 user", key=user.name)
    if user.role != "admin" or not user.active:
        return
    # the active admins' rows stay locked to the end of the transaction (PostgreSQL; SQLite
    # writers hold the write lock), so two admins cannot deactivate each other at once
    admins = session.scalars(select(m.User.id).where(
        m.User.role == "admin", m.User.active.is_(True)).with_for_update()).all()
    if not set(admins) - {user.id}:
        raise Conflict(problem="不能停用最后一位管理员 the last active admin cannot be "
                       "deactivated", kind="用户 user", key=user.name)


def _revoke_all(session: Session, user: m.User) -> None:
    now = m.utcnow()
    for token in session.scalars(select(m.ApiToken).where(
            m.ApiToken.user_id == user.id, m.ApiToken.revoked_at.is_(None))):
        token.revoked_at = now
    session.execute(delete(m.SessionRow).where(m.SessionRow.user_id == user.id))


# --------------------------------------------------------------------------- login


def login(store: Store, name: str, password: str, ip: str, settings: Settings) -> m.User:
    """Check a name and password (limited, see `login_limits`); raise AuthError."""
    login_limits.reserve(store, name, ip, settings)
    with store.session(actor=name, write=False) as session:
        user = session.scalars(select(m.User).where(m.User.name == name)).one_or_none()
    ok = _verify(settings, user, password)
    login_limits.finish(store, name, ip, ok, settings)
    if not ok or user is None:
        raise AuthError("用户名或密码错误 wrong name or password")
    return user


def _verify(settings: Settings, user: m.User | None, password: str) -> bool:
    stored = user.password_hash if user is not None and user.active else None
    try:
        # no user (or no password): checked against a dummy hash, so both cost the same
        return hasher(settings).verify(stored or _dummy_hash(
            settings.argon2_time_cost, settings.argon2_memory_kib), password) and bool(stored)
    except (VerificationError, InvalidHashError):
        return False


@functools.cache
def _dummy_hash(time_cost: int, memory_kib: int) -> str:
    """A hash of a random password, made once per argon2 cost."""
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib,
                          parallelism=1).hash(secrets.token_urlsafe(16))


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


def create_token(session: Session, user: m.User, label: str = "", scope: str = "write",
                 days: int = 90) -> str:
    """A new bearer token for scripts; only its hash is kept, so it is shown once."""
    return issue_token(session, user, label, scope, days)[1]


def issue_token(session: Session, user: m.User, label: str = "", scope: str = "write",
                days: int = 90) -> tuple[m.ApiToken, str]:
    """A new token's row and its secret (shown once), valid for `days` with `scope`."""
    if scope not in m.TOKEN_SCOPES:
        raise InvalidValue("scope", f"未知范围 unknown scope {scope!r}",
                           f"可用 use: {', '.join(m.TOKEN_SCOPES)}")
    if not 1 <= days <= _MAX_TOKEN_DAYS:
        raise InvalidValue("days", f"有效期须在 1 到 {_MAX_TOKEN_DAYS} 天之间 a token lasts "
                           f"1 to {_MAX_TOKEN_DAYS} days")
    token, now = _TOKEN_PREFIX + secrets.token_urlsafe(32), m.utcnow()
    row = m.ApiToken(user_id=user.id, token_hash=_digest(token), label=label, scope=scope,
                     created_at=now, expires_at=now + dt.timedelta(days=days))
    session.add(row)
    session.flush()
    return row, token


@dataclasses.dataclass(frozen=True)
class TokenInfo:
    """A token as it is listed: never its secret."""

    id: int
    user: str
    label: str
    scope: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "active" if self.expires_at and self.expires_at > m.utcnow() else "expired"


def list_tokens(session: Session, user_id: int | None = None) -> list[TokenInfo]:
    """Every token (of one user, with `user_id`), newest first."""
    query = select(m.ApiToken, m.User.name).join(m.User, m.User.id == m.ApiToken.user_id)
    if user_id is not None:
        query = query.where(m.ApiToken.user_id == user_id)
    return [TokenInfo(t.id, name, t.label, t.scope, t.created_at, t.expires_at, t.revoked_at)
            for t, name in session.execute(query.order_by(m.ApiToken.id.desc()))]


def revoke_token(session: Session, token_id: int, by: Principal | None = None) -> TokenInfo:
    """Revoke a token (again is fine); `by` may revoke only its own unless it is an admin."""
    token = session.get(m.ApiToken, token_id)
    if token is None or (by is not None and not by.admin and token.user_id != by.user_id):
        raise NotFound("令牌 token", str(token_id))
    if token.revoked_at is None:
        token.revoked_at = m.utcnow()
        session.flush()
    return next(t for t in list_tokens(session, token.user_id) if t.id == token_id)


# Every signed-in request looks its user up, so the lookups are single queries (the user's
# columns a Principal is made of, joined to the session or token that names the user) and their
# statements are built once, with bind parameters: building one costs more than running it.
_WHO = (m.User.id, m.User.name, m.User.role, m.User.park_id, m.User.enterprise_id, m.User.active)
_BY_TOKEN = select(*_WHO, m.ApiToken.scope).join(
    m.ApiToken, m.ApiToken.user_id == m.User.id).where(
    m.ApiToken.token_hash == bindparam("digest"), m.ApiToken.revoked_at.is_(None),
    m.ApiToken.expires_at > bindparam("now", type_=m.UTCDateTime()))
_BY_SESSION = select(*_WHO, m.SessionRow.expires_at).join(
    m.SessionRow, m.SessionRow.user_id == m.User.id).where(
    m.SessionRow.token_hash == bindparam("digest"))
# A page also shows the user's unread notifications: counted in the same statement.
_UNREAD = select(func.count(m.Notification.id)).where(
    m.Notification.user_id == m.User.id, m.Notification.read_at.is_(None)
).correlate(m.User).scalar_subquery()
_BY_SESSION_UNREAD = _BY_SESSION.add_columns(_UNREAD.label("unread"))


def principal_from_token(session: Session, token: str, write: bool = False) -> Principal:
    """The principal of a bearer token; with `write` (the request changes something) a
    read-only token gives PermissionDenied."""
    row = session.execute(_BY_TOKEN, {"digest": _digest(token), "now": m.utcnow()}).one_or_none()
    if row is None:
        raise AuthError("令牌无效、已过期或已撤销 invalid, expired or revoked token")
    who = _active(row)
    if write and row.scope != "write":
        raise PermissionDenied(who.role, "用只读令牌修改数据 change data with a read-only token",
                               "只读令牌只能 GET/HEAD a read token may only GET and HEAD")
    return who


def principal_from_session(session: Session, token: str) -> Principal:
    row = session.execute(_BY_SESSION, {"digest": _digest(token)}).one_or_none()
    if row is None or row.expires_at <= m.utcnow():
        raise AuthError("会话已过期，请重新登录 session expired; sign in again")
    return _active(row)


def session_with_unread(session: Session, token: str) -> tuple[Principal, int]:
    """`principal_from_session` and the user's unread notifications, in one query (a page
    shows both)."""
    row = session.execute(_BY_SESSION_UNREAD, {"digest": _digest(token)}).one_or_none()
    if row is None or row.expires_at <= m.utcnow():
        raise AuthError("会话已过期，请重新登录 session expired; sign in again")
    return _active(row), int(row.unread or 0)


def _active(row: Row[*tuple[Any, ...]]) -> Principal:
    if not row.active:
        raise AuthError("用户已停用 the user is deactivated")
    return principal(row)


def csrf_token(secret: str, session_token: str) -> str:
    """The CSRF token of a session: HMAC of the session cookie with the server secret."""
    return hmac.new(secret.encode("utf-8"), session_token.encode("utf-8"), "sha256").hexdigest()
