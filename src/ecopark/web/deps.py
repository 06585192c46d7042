"""Request dependencies: the database session of a request (one transaction, committed before
the response is sent) and the signed-in principal (bearer token or session cookie + CSRF)."""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractContextManager
from typing import Annotated

from fastapi import Depends, Path, Query, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from ecopark.core.errors import AuthError
from ecopark.store import auth
from ecopark.store.engine import Store
from ecopark.store.permissions import Principal
from ecopark.store.settings import IPNetwork, Settings
from ecopark.web.turns import turn

__all__ = ["COOKIE", "CSRF_HEADER", "Db", "Id", "Limit", "Offset", "ReadDb", "ReadingWho", "Replace", "Who",
           "Year",
           "client_ip", "request_session", "settings_of", "store_of"]

COOKIE = "ecopark_session"
CSRF_HEADER = "X-CSRF-Token"
_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
_READ = frozenset({"GET", "HEAD"})  # what a read-scoped token may do

Id = Annotated[int, Path(ge=1, le=2**31 - 1, description="id")]
Year = Annotated[int, Path(ge=1900, le=2200, description="年份 year")]
Limit = Annotated[int, Query(ge=1, le=1000)]
Offset = Annotated[int, Query(ge=0, le=2**31 - 1)]
Replace = Annotated[bool, Query(description="替换已有年度数据 replace a stored park-year")]

_bearer = HTTPBearer(auto_error=False, description="API token: `ecopark tokens create NAME`")
_cookie = APIKeyCookie(name=COOKIE, auto_error=False,
                       description="browser session from POST /api/v1/auth/login")


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def client_ip(request: Request) -> str:
    """The client's address: the peer's, unless the peer is a trusted proxy
    (ECOPARK_TRUSTED_PROXIES): then the last X-Forwarded-For entry no trusted proxy added."""
    peer = request.client.host if request.client else "unknown"
    proxies = settings_of(request).proxies()
    if not proxies or not _within(peer, proxies):
        return peer
    hops = [hop.strip() for hop in request.headers.get("x-forwarded-for", "").split(",")]
    for hop in reversed([h for h in hops if h]):
        if not _within(hop, proxies):
            return hop[:64]
    return peer


def _within(address: str, networks: list[IPNetwork]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def request_session(request: Request) -> AbstractContextManager[Session]:
    """The request's transaction: committed when the block ends; the actor is set once the
    user is known. GET and HEAD only read (they never wait for a writer); every other method
    writes, holding the write lock from its first statement so that it waits its turn instead
    of failing when another writer commits first."""
    write = request.method not in _SAFE
    return store_of(request).session(actor="anonymous", write=write)


async def _turn(request: Request) -> AsyncIterator[None]:
    async with turn(request):
        yield


def _session(request: Request, _turn: Annotated[None, Depends(_turn, scope="function")]
             ) -> Iterator[Session]:
    with request_session(request) as session:
        yield session


Db = Annotated[Session, Depends(_session, scope="function")]


def _read_session(request: Request) -> Iterator[Session]:
    with store_of(request).session(actor="anonymous", write=False) as session:
        yield session


# For a POST that only reads (an upload's preview, a printed table verified and shown): it takes
# no write turn and no write lock while it parses the file, so writers are not held up by it.
ReadDb = Annotated[Session, Depends(_read_session, scope="function")]


Bearer = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
Cookie = Annotated[str | None, Depends(_cookie)]


def _principal(request: Request, session: Db, bearer: Bearer, cookie: Cookie) -> Principal:
    return _signed_in(request, session, bearer, cookie)


def _reading_principal(request: Request, session: ReadDb, bearer: Bearer,
                       cookie: Cookie) -> Principal:
    return _signed_in(request, session, bearer, cookie)


def _signed_in(request: Request, session: Session, bearer: HTTPAuthorizationCredentials | None,
               cookie: str | None) -> Principal:
    if bearer is not None:
        who = auth.principal_from_token(session, bearer.credentials,
                                        write=request.method not in _READ)
    elif cookie:
        who = auth.principal_from_session(session, cookie)
        _check_csrf(request, cookie)
    else:
        raise AuthError("未登录 not signed in: send a bearer token or sign in")
    session.info["actor"] = who.name
    return who


def _check_csrf(request: Request, cookie: str) -> None:
    if request.method in _SAFE:
        return
    expected = auth.csrf_token(settings_of(request).secret(), cookie)
    given = request.headers.get(CSRF_HEADER, "")
    if not hmac.compare_digest(expected, given):
        raise AuthError(f"缺少或错误的 {CSRF_HEADER} missing or wrong {CSRF_HEADER} header")


Who = Annotated[Principal, Depends(_principal)]
# The caller as seen through a read transaction (ReadDb): for what a request does before its
# write turn, such as parsing an upload.
ReadingWho = Annotated[Principal, Depends(_reading_principal)]
