"""The park's record, value by value: one value of an item in a year, whatever evaluation reads
it, with its version (the ETag) and history. A write must say which version it was based on
(`If-Match`): a stale one is refused with the current value (412), none is refused (428), and
`If-Match: *` overwrites deliberately."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Header, Response

from ecopark.core.dataset.schema import ValueEntry
from ecopark.core.errors import InvalidValue, PreconditionRequired
from ecopark.core.framework.loading import load_framework
from ecopark.store import repository
from ecopark.web.deps import Db, Id, Who, Year
from ecopark.web.routes_parks import visible_park, writable_park
from ecopark.web.schemas import ValueIn, ValueOut

__all__ = ["etag", "if_match", "router"]

router = APIRouter(tags=["values 观测值"])

IfMatch = Annotated[str | None, Header(alias="If-Match", max_length=200,
                                       description='上次读到的 ETag，或 * the ETag you read, or *')]


def etag(version: int) -> str:
    return f'"{version}"'


def if_match(header: str | None, where: str) -> int | Literal["*"]:
    """The version an If-Match header names ("*": any)."""
    if header is None:
        raise PreconditionRequired(where)
    text = header.strip()
    if text == "*":
        return "*"
    text = text.removeprefix("W/").strip('"')
    if not text.isdigit():
        raise InvalidValue("If-Match", f"不是本服务给出的 ETag not an ETag of this service: {header}",
                           'If-Match: "<version>" 或 or *')
    return int(text)


@router.get("/parks/{park_id}/observations/{item}/{year}",
            summary="一个观测值及其历史 one value of the park's record, with its history")
def get_value(park_id: Id, item: str, year: Year, response: Response, session: Db,
              who: Who) -> ValueOut:
    park = visible_park(session, who, park_id)
    row = repository.get_observation(session, park, item, year)
    context = repository.context_year(session, park, year)
    response.headers["ETag"] = etag(row.version)
    return ValueOut.of(row, load_framework(context.framework_key).spec.items[item].unit)


@router.put("/parks/{park_id}/observations/{item}/{year}",
            summary="写入一个观测值 write one value (If-Match: the version it is based on)")
def put_value(park_id: Id, item: str, year: Year, body: ValueIn, response: Response,
              session: Db, who: Who, match: IfMatch = None) -> ValueOut:
    park = writable_park(session, who, park_id, "修改数据 change data")
    expected = if_match(match, f"{park.name} {item} {year}")
    context = repository.context_year(session, park, year)
    entry = ValueEntry(value=body.value, unit=body.unit, source=body.source)
    row = repository.set_observation(session, context, item, year, entry, via="api",
                                     expected=expected, reason=body.reason)
    response.headers["ETag"] = etag(row.version)
    return ValueOut.of(row, load_framework(context.framework_key).spec.items[item].unit)
