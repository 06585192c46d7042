"""One value of the park's record as a page: the value as written and in the item's unit, who
entered it, when and through what, and every earlier version (the history), newest first."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ecopark.core.framework.loading import load_framework
from ecopark.io.layout import unit_display
from ecopark.store import repository
from ecopark.store.permissions import can_write_park
from ecopark.web.deps import Db, Id, Year
from ecopark.web.page_deps import Viewer, readable_park
from ecopark.web.render import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/parks/{park_id}/values/{item}/{year}", response_class=HTMLResponse)
def value_history(park_id: Id, item: str, year: Year, request: Request, session: Db,
                  who: Viewer) -> Response:
    park = readable_park(session, who, park_id)
    row = repository.get_observation(session, park, item[:100], year)
    context = repository.context_year(session, park, year)
    framework = load_framework(context.framework_key)
    canonical = unit_display(framework.spec.items[row.item].unit)
    converted = "" if row.value is None or (row.unit or "") == canonical else \
        f"{row.value:,.10g} {canonical}"
    return render(request, "history.html", park=park, row=row, framework=framework,
                  evaluation=context.year, converted=converted,
                  writable=can_write_park(who, park.id))
