"""The park officer's reporting campaigns: open one for a year (the items asked, a deadline),
follow it on a completeness board (each enterprise's state, last activity and share of the
park's total), remind the late ones (催报), and export every submission of the year (xlsx)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from ecopark.core.errors import EcoparkError
from ecopark.core.framework.loading import load_framework
from ecopark.io import submissions_xlsx
from ecopark.store import campaigns
from ecopark.store import models as m
from ecopark.web import plain_text
from ecopark.web.deps import Db, Id, Year
from ecopark.web.flash import done
from ecopark.web.i18n import N_
from ecopark.web.item_words import enterprise_item_name
from ecopark.web.page_deps import CheckedForm, Viewer, field, writable_park
from ecopark.web.render import render, translator_of

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
FRAMEWORK = "hj274-2015"
STATES = {"not_started": N_("Not started"), "draft": N_("Draft"),
          "submitted": N_("Submitted, awaiting review"), "accepted": N_("Accepted"),
          "returned": N_("Returned")}
_OPEN = "开展报送 run a reporting campaign"


def _items(lang: str) -> list[tuple[str, str]]:
    framework = load_framework(FRAMEWORK)
    return [(i, enterprise_item_name(framework, i, lang))
            for i in campaigns.enterprise_items(FRAMEWORK)]


@router.get("/parks/{park_id}/campaigns", response_class=HTMLResponse)
def campaign_list(park_id: Id, request: Request, session: Db, who: Viewer) -> Response:
    park = writable_park(session, who, park_id, _OPEN)
    return _list_page(request, session, park)


def _list_page(request: Request, session: Session, park: m.Park, status: int = 200,
               error: str = "", typed: dict[str, object] | None = None) -> Response:
    t = translator_of(request)
    years = sorted((c.year for c in session.scalars(
        select(m.Campaign).where(m.Campaign.park_id == park.id))), reverse=True)
    default_year = max([y.year for y in park.years], default=dt.date.today().year - 1)
    return render(request, "campaigns.html", status=status, park=park, years=years,
                  items=_items(t.lang), error=error, typed=typed or {},
                  default_year=default_year,
                  default_deadline=(dt.date.today() + dt.timedelta(days=30)).isoformat())


@router.post("/parks/{park_id}/campaigns", response_class=HTMLResponse)
def open_campaign(park_id: Id, request: Request, form: CheckedForm, session: Db,
                  who: Viewer) -> Response:
    park = writable_park(session, who, park_id, _OPEN)
    t = translator_of(request)
    year_text, deadline_text = field(form, "year", 8), field(form, "deadline", 20)
    asked = [str(v) for v in form.getlist("items") if isinstance(v, str)][:200]
    typed: dict[str, object] = {"year": year_text, "deadline": deadline_text, "items": asked}
    try:
        year, deadline = int(year_text), dt.date.fromisoformat(deadline_text)
    except ValueError:
        return _list_page(request, session, park, 422, t.gettext(
            "Give the year (e.g. 2024) and the deadline as a date."), typed)
    if not 1900 <= year <= 2200:
        return _list_page(request, session, park, 422, t.gettext(
            "Give the year (e.g. 2024) and the deadline as a date."), typed)
    try:
        with session.begin_nested():
            campaigns.open_campaign(session, park, year, deadline, asked or None, FRAMEWORK)
    except EcoparkError as exc:
        return _list_page(request, session, park, 409, plain_text.message(exc, t.lang), typed)
    return done(f"/parks/{park.id}/campaigns/{year}", "campaign-opened")


@router.get("/parks/{park_id}/campaigns/{year}", response_class=HTMLResponse)
def campaign_board(park_id: Id, year: Year, request: Request, session: Db,
                   who: Viewer) -> Response:
    park = writable_park(session, who, park_id, _OPEN)
    campaign = campaigns.get_campaign(session, park, year)
    t = translator_of(request)
    framework = load_framework(FRAMEWORK)
    board = campaigns.board(session, park, campaign)
    return render(request, "campaign.html", park=park, campaign=campaign, board=board,
                  states=STATES, late=campaigns.late(campaign),
                  item_name=enterprise_item_name(framework, board.item, t.lang),
                  unit=framework.spec.items[board.item].unit,
                  asked=[enterprise_item_name(framework, i.item, t.lang)
                         for i in campaign.items])


@router.post("/parks/{park_id}/campaigns/{year}/remind")
def remind(park_id: Id, year: Year, form: CheckedForm, session: Db, who: Viewer) -> Response:
    park = writable_park(session, who, park_id, "催报 remind enterprises")
    campaign = campaigns.get_campaign(session, park, year)
    chosen = field(form, "enterprise", 12)
    sent = campaigns.remind(session, park, campaign,
                            [int(chosen)] if chosen.isdigit() else None)
    return done(f"/parks/{park.id}/campaigns/{year}", "reminded", len(sent))


@router.get("/parks/{park_id}/submissions/{year}/export.xlsx")
def export(park_id: Id, year: Year, request: Request, session: Db, who: Viewer) -> Response:
    park = writable_park(session, who, park_id, "导出报送 export submissions")
    lang = translator_of(request).lang
    content = submissions_xlsx.write(
        f"{year}", campaigns.EXPORT_HEADERS[lang],
        campaigns.export_rows(session, park, year, lang, FRAMEWORK))
    return Response(content, media_type="application/vnd.openxmlformats-officedocument."
                    "spreadsheetml.sheet", headers={
                        "Content-Disposition": f'attachment; filename="submissions-{year}.xlsx"'})
