"""Pagination of the API's lists: `?limit=&offset=` (limit 1–1000, default 100), the reply
still a JSON list — the page — with its total in `X-Total-Count` and the neighbouring pages in
a `Link` header (`rel="next"`, `rel="prev"`), so a client that never asked for a page keeps
working while the list is short, and a long one (national scale: thousands of parks) never
comes back whole.

`page(session, query, request, response, limit, offset)` runs two statements: the count, and
the page in the query's order (which must be total: end it with a unique column).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import Query, Request, Response
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

__all__ = ["DEFAULT_LIMIT", "PageLimit", "PageOffset", "page"]

DEFAULT_LIMIT = 100
PageLimit = Annotated[int, Query(ge=1, le=1000, description="每页条数 items per page "
                                 "(total in X-Total-Count, next page in Link)")]
PageOffset = Annotated[int, Query(ge=0, le=2**31 - 1, description="跳过的条数 items skipped")]


def page(session: Session, query: Select[Any], request: Request, response: Response,
         limit: int, offset: int) -> Sequence[Any]:
    """The rows of `query` from `offset`, at most `limit`; sets the total and Link headers."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = session.scalars(query.limit(limit).offset(offset)).all()
    response.headers["X-Total-Count"] = str(total)
    links = []
    if offset + limit < total:
        links.append(_link(request, limit, offset + limit, "next"))
    if offset > 0:
        links.append(_link(request, limit, max(offset - limit, 0), "prev"))
    if links:
        response.headers["Link"] = ", ".join(links)
    return rows


def _link(request: Request, limit: int, offset: int, rel: str) -> str:
    url = request.url.include_query_params(limit=limit, offset=offset)
    return f'<{url.path}?{url.query}>; rel="{rel}"'
