"""Signing in and out, tokens (listed and revoked: one's own, or anyone's by an admin), users
(admin) and the whole audit log (admin)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from ecopark.core.errors import NotFound
from ecopark.store import auth
from ecopark.store import models as m
from ecopark.store.permissions import Principal, deny, require_admin
from ecopark.store.submissions import get_enterprise
from ecopark.web.deps import (
    COOKIE,
    Db,
    Id,
    Limit,
    Offset,
    Who,
    client_ip,
    settings_of,
    store_of,
)
from ecopark.web.schemas import (
    AuditOut,
    LoginIn,
    LoginOut,
    TokenIn,
    TokenInfoOut,
    TokenOut,
    UserIn,
    UserOut,
    UserPatch,
)

__all__ = ["router"]

router = APIRouter()


@router.post("/auth/login", tags=["auth 登录"], summary="登录 sign in (sets the session cookie)")
def login(body: LoginIn, request: Request, response: Response) -> LoginOut:
    settings = settings_of(request)
    store = store_of(request)
    user = auth.login(store, body.name, body.password, client_ip(request), settings)
    with store.session(actor=user.name) as session:
        token, expires = auth.create_session(session, user, client_ip(request),
                                             settings.session_hours)
    secure = settings.secure_cookies if settings.secure_cookies is not None \
        else request.url.scheme == "https"
    response.set_cookie(COOKIE, token, max_age=settings.session_hours * 3600, httponly=True,
                        samesite="lax", secure=secure, path="/")
    return LoginOut(user=UserOut.of(user), csrf_token=auth.csrf_token(settings.secret(), token),
                    expires_at=expires)


@router.post("/auth/logout", status_code=204, tags=["auth 登录"], summary="退出 sign out")
def logout(request: Request, session: Db, who: Who) -> Response:
    cookie = request.cookies.get(COOKIE)
    if cookie:
        auth.end_session(session, cookie)
    response = Response(status_code=204)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("/auth/me", tags=["auth 登录"], summary="当前用户 who am I")
def me(session: Db, who: Who) -> UserOut:
    return UserOut.of(_user(session, who.user_id))


@router.post("/auth/tokens", status_code=201, tags=["auth 登录"],
             summary="为自己创建 API 令牌 a bearer token for the caller (shown once)")
def create_auth_token(body: TokenIn, request: Request, session: Db, who: Who) -> TokenOut:
    return create_token(body, request, session, who)


# --------------------------------------------------------------------------- tokens


@router.get("/tokens", tags=["tokens 令牌"],
            summary="API 令牌列表 tokens: the caller's, or any user's (admin)")
def list_tokens(session: Db, who: Who,
                user_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None) -> list[TokenInfoOut]:
    if user_id is not None and user_id != who.user_id:
        require_admin(who, "查看他人的令牌 list another user's tokens")
    if user_id is None and not who.admin:
        user_id = who.user_id
    return [TokenInfoOut.of(t) for t in auth.list_tokens(session, user_id)]


@router.post("/tokens", status_code=201, tags=["tokens 令牌"],
             summary="为自己创建 API 令牌 a bearer token for the caller (its secret shown once)")
def create_token(body: TokenIn, request: Request, session: Db, who: Who) -> TokenOut:
    days = body.days or settings_of(request).token_days
    row, token = auth.issue_token(session, _user(session, who.user_id), body.label, body.scope,
                                  days)
    return TokenOut(id=row.id, token=token, label=row.label, scope=row.scope,
                    expires_at=row.expires_at)


@router.delete("/tokens/{token_id}", tags=["tokens 令牌"],
               summary="撤销令牌 revoke a token (one's own; any, admin)")
def revoke_token(token_id: Id, session: Db, who: Who) -> TokenInfoOut:
    return TokenInfoOut.of(auth.revoke_token(session, token_id, who))


def _user(session: Session, user_id: int) -> m.User:
    user = session.get(m.User, user_id)
    if user is None:
        raise NotFound("用户 user", str(user_id))
    return user


# --------------------------------------------------------------------------- users (admin)


@router.get("/users", tags=["users 用户"], summary="用户列表 users (admin)")
def list_users(session: Db, who: Who) -> list[UserOut]:
    require_admin(who, "查看用户 list users")
    return [UserOut.of(u) for u in session.scalars(select(m.User).order_by(m.User.name))]


@router.post("/users", status_code=201, tags=["users 用户"], summary="新建用户 add a user (admin)")
def create_user(body: UserIn, request: Request, session: Db, who: Who) -> UserOut:
    require_admin(who, "新建用户 add a user")
    enterprise = get_enterprise(session, body.enterprise_id) if body.enterprise_id else None
    park = session.get(m.Park, body.park_id) if body.park_id else None
    if body.park_id and park is None:
        raise NotFound("园区 park", str(body.park_id))
    user = auth.create_user(session, body.name, body.role, body.password,
                            auth.hasher(settings_of(request)), park=park, enterprise=enterprise)
    return UserOut.of(user)


@router.get("/users/{user_id}", tags=["users 用户"], summary="一个用户 one user (admin, or self)")
def get_user(user_id: Id, session: Db, who: Who) -> UserOut:
    _self_or_admin(who, user_id)
    return UserOut.of(_user(session, user_id))


@router.patch("/users/{user_id}", tags=["users 用户"],
              summary="改密码或停用 set a password or (de)activate (admin); both end the "
              "user's sessions and tokens")
def patch_user(user_id: Id, body: UserPatch, request: Request, session: Db,
               who: Who) -> UserOut:
    require_admin(who, "修改用户 change a user")
    user = _user(session, user_id)
    if body.password is not None:
        auth.set_password(session, user, body.password, auth.hasher(settings_of(request)))
    if body.active is not None:
        auth.set_active(session, user, body.active, who)
    session.flush()
    return UserOut.of(user)


def _self_or_admin(who: Principal, user_id: int) -> None:
    if not who.admin and who.user_id != user_id:
        raise deny(who, "查看用户 read a user", f"user {user_id}")


# --------------------------------------------------------------------------- audit (admin)


@router.get("/audit", tags=["audit 审计"], summary="修改记录 the audit log (admin)")
def audit_log(session: Db, who: Who, limit: Limit = 100, offset: Offset = 0,
              table: Annotated[str | None, Query(max_length=64)] = None) -> list[AuditOut]:
    require_admin(who, "查看审计记录 read the audit log")
    query = select(m.AuditEntry).order_by(m.AuditEntry.id.desc()).limit(limit).offset(offset)
    if table:
        query = query.where(m.AuditEntry.table_name == table)
    return [AuditOut.of(e) for e in session.scalars(query)]
