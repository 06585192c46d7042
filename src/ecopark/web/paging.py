"""Pagination of the API's lists: `?limit=&offset=` (limit 1–1000, default 100), the reply
still a JSON list — the page — with its total in `X-Total-Count` and the neighbouring pages in
a `Link` header (`rel="next"`, `rel="prev"`), so a client that never asked for a page keeps
working while the list is short, and a long one (national scale: thousands of parks) never
comes back whole.

`page(session, query, request, response, limit, offset)` runs two statements: the count, and
the page in the query's order (which must be total: end it with a unique column).

The pages do the same with `?page=N` (`PAGE_SIZE` rows a page): `pages(...)` gives the rows and
a `Pager` that `pager.html` shows as 上一页 / 第 N 页，共 M 页 / 下一页, keeping the page's other
query parameters.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import Query, Request, Response
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

__all__ = ["DEFAULT_LIMIT", "PAGE_SIZE", "PageLimit", "PageNumber", "PageOffset", "Pager", "page",
           "pages"]

DEFAULT_LIMIT = 100
PageLimit = Annotated[int, Query(ge=1, le=1000, description="每页条数 items per page "
                                 "(total in X-Total-Count, next page in Link)")]
PageOffset = Annotated[int, Query(ge=0, le=2**31 - 1, description="跳过的条数 items skipped")]
PAGE_SIZE = 50
PageNumber = Annotated[int, Query(ge=1, le=2**31 // PAGE_SIZE, description="页码 page")]


def page(session: Session, query: Select[*tuple[Any, ...]], request: Request,
         response: Response, limit: int, offset: int, whole_rows: bool = False) -> Sequence[Any]:
    """The rows of `query` from `offset`, at most `limit` (their first column; with
    `whole_rows`, the rows); sets the total and Link headers."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    window = query.limit(limit).offset(offset)
    rows = (session.execute(window) if whole_rows else session.scalars(window)).all()
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


@dataclasses.dataclass(frozen=True)
class Pager:
    """Where a page is in its list, and the addresses of its neighbours."""

    number: int
    total: int  # rows in the whole list
    size: int
    previous: str | None
    next: str | None

    @property
    def count(self) -> int:
        return max(1, math.ceil(self.total / self.size))


def pages(session: Session, query: Select[Any], request: Request, number: int,
          size: int = PAGE_SIZE) -> tuple[Sequence[Any], Pager]:
    """Page `number` (from 1) of `query`'s rows, and its pager."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = session.scalars(query.limit(size).offset((number - 1) * size)).all()

    def link(n: int) -> str:
        url = request.url.include_query_params(page=n)
        return f"{url.path}?{url.query}"

    return rows, Pager(number, total, size, link(number - 1) if number > 1 else None,
                       link(number + 1) if number * size < total else None)
