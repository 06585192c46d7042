"""The JSON API under /api/v1: parks and park-years, observations, evaluation and verification,
enterprises and submissions, printed-table uploads, background jobs (reports), users, the audit
log and signing in.

Every error has one shape (`ecopark.web.errors`); every response documents its model in the
OpenAPI schema at /openapi.json (browse it at /docs).
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette._utils import get_route_path
from starlette.routing import Match
from starlette.types import Scope

from ecopark.web import (
    routes_enterprises,
    routes_jobs,
    routes_lifecycle,
    routes_parks,
    routes_people,
    routes_values,
)
from ecopark.web.schemas import ErrorOut

__all__ = ["PREFIX", "router"]

PREFIX = "/api/v1"

_ERRORS: dict[int | str, dict[str, object]] = {
    status: {"model": ErrorOut, "description": text} for status, text in (
        (401, "未登录 not signed in"), (403, "无权限 not allowed"), (404, "未找到 not found"),
        (409, "冲突 conflict"), (413, "请求体过大 body too large"),
        (422, "输入无效 invalid input"), (429, "登录过于频繁 too many logins"))}



class _PrefixedRouter(APIRouter):
    """The API's router, tried only for paths under its prefix: FastAPI otherwise matches a
    request against every route in turn, so each page request walked the ~80 API routes (17 %
    of a dashboard request's server time). The routes, the OpenAPI document and the errors
    are those of a plain APIRouter."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope.get("type") == "http" and not get_route_path(scope).startswith(PREFIX):
            return Match.NONE, {}
        return super().matches(scope)


router = _PrefixedRouter(prefix=PREFIX, responses=_ERRORS)
router.include_router(routes_people.router)
router.include_router(routes_parks.router)
router.include_router(routes_values.router)
router.include_router(routes_enterprises.router)
router.include_router(routes_jobs.router)
router.include_router(routes_lifecycle.router)
