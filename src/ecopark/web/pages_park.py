"""Pages of parks and park-years: the home redirect, the parks, one park (its years,
enterprises, what is pending), the park-year dashboard (对照考核表 with statuses, verdict and
why), one indicator's trace, and the trends of an indicator across the stored years."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ecopark.analysis.gap import threshold
from ecopark.core.errors import NotFound
from ecopark.core.framework.model import Framework
from ecopark.core.readable import readable
from ecopark.core.results import Status
from ecopark.core.trace import Trace
from ecopark.core.units import pretty
from ecopark.store import lifecycle, repository
from ecopark.store import models as m
from ecopark.store.permissions import Principal, can_write_park, deny
from ecopark.web.assessed import Assessed, assessed, assessed_head, flagged
from ecopark.web.deps import Db, Id, Year, settings_of
from ecopark.web.editions import FINAL
from ecopark.web.i18n import Translator
from ecopark.web.notices import verified
from ecopark.web.page_deps import Viewer, in_one_thread, readable_park, readable_year
from ecopark.web.paging import PageNumber, pages
from ecopark.web.plain_text import plain_rule
from ecopark.web.render import ECHARTS, render, render_cached, translator_of

__all__ = ["home_of", "router"]

router = APIRouter(include_in_schema=False)
Number = Annotated[int, Path(ge=1, le=999)]
NumberQuery = Annotated[int, Query(ge=1, le=999)]


def home_of(who: Principal) -> str:
    return {"admin": "/admin", "reviewer": "/review", "park_officer": f"/parks/{who.park_id}",
            "enterprise": f"/enterprises/{who.enterprise_id}"}.get(who.role, "/public")


@router.get("/")
def home(who: Viewer) -> Response:
    return RedirectResponse(home_of(who), status_code=303)


@router.get("/parks", response_class=HTMLResponse)
def parks(request: Request, session: Db, who: Viewer, page: PageNumber = 1) -> Response:
    """The parks `who` may read, by name, `PAGE_SIZE` a page (one query for their years)."""
    if who.role == "enterprise":
        raise deny(who, "查看园区 list parks", "parks")
    query = select(m.Park).options(selectinload(m.Park.years).load_only(m.ParkYear.year)) \
        .order_by(m.Park.name, m.Park.id)
    if who.role not in ("admin", "reviewer"):
        query = query.where(m.Park.id == who.park_id)
    rows, pager = pages(session, query, request, page)
    return render(request, "parks.html", parks=rows, can_create=who.admin, pager=pager)


@router.get("/parks/{park_id}", response_class=HTMLResponse)
def park(park_id: Id, request: Request, session: Db, who: Viewer) -> Response:
    found = readable_park(session, who, park_id)
    pending = session.scalars(select(m.Submission).join(m.Enterprise).where(
        m.Enterprise.park_id == found.id, m.Submission.status == "submitted")).all()
    summaries = [_summary(request, session, found, y.year) for y in found.years]
    return render(request, "park.html", park=found, years=summaries, pending=len(pending),
                  writable=can_write_park(who, found.id))


def _summary(request: Request, session: Db, park_row: m.Park, year: int) -> dict[str, Any]:
    item = assessed(request, session, park_row, year)
    return {"year": year, "verdict": item.evaluation.verdict.status.value,
            "counts": item.counts(), "flagged": [r.result.number for r in flagged(item)],
            "base_year": item.evaluation.dataset.profile.base_year}


@router.get("/parks/{park_id}/years/{year}", response_class=HTMLResponse)
async def dashboard(park_id: Id, year: Year, request: Request,
                    saved: Annotated[str, Query(max_length=500)] = "",
                    sig: Annotated[str, Query(max_length=64)] = "") -> Response:
    # the busiest page: one hand-off to the thread pool, not four (page_deps.in_one_thread)
    return await in_one_thread(request, lambda session, who: _dashboard(
        request, session, who, park_id, year, verified(
            settings_of(request).secret(), who.user_id, park_id, year, saved, sig)))


def _dashboard(request: Request, session: Session, who: Principal, park_id: int, year: int,
               saved: str) -> Response:
    found, head = readable_year(session, who, park_id, year)
    item = assessed_head(request, session, found, year, head)
    lang = translator_of(request).lang
    life = _life(head, who.role, lang)
    # a submitted or approved year offers no editing (its data are locked: store/locks.py)
    editable = can_write_park(who, found.id) and lifecycle.writable(life["state"], "data")
    values: dict[str, Any] = {"park": found, "year": year, "item": item, "counts": item.counts(),
              "writable": editable, "changes": _changes(saved), "life": life,
              "words": lambda text: readable(item.framework, text, lang)}
    if saved:  # a one-off notice: rendered whole
        return render(request, "dashboard.html", **values)
    moves = ",".join(action for action, _label in values["life"]["moves"])
    kind = f"dashboard:{translator_of(request).locale}:{values['writable']}:{moves}"
    return render_cached(request, "dashboard.html", request.app.state.pages,
                         (kind, item.park_year_id, item.version), f"{found.name} {year}",
                         **values)


def _life(head: repository.YearHead, role: str, lang: str) -> dict[str, Any]:
    """The year's lifecycle state, as the dashboard's banner shows it, with the moves the
    viewer may make at once (those that need a comment are on the review page). The same for
    every writer (an officer's moves are an administrator's) and for every reader, as the
    cached page is."""
    state = head.state
    moves = [(s.action, lifecycle.action_name(s.action, lang))
             for s in lifecycle.actions_for(state, role) if s.action not in lifecycle.NEEDS_TEXT]
    return {"state": state, "name": lifecycle.state_name(state, lang), "edition": head.edition,
            "draft": state not in FINAL, "version": head.row_version, "moves": moves}


def _changes(saved: str) -> list[tuple[int, str, str]]:
    """The status changes of a save, carried in the redirect: "26:not_met:met,…"; "none" is a
    save that changed no status (shown as such)."""
    if saved == "none":
        return [(0, "", "")]
    out = []
    statuses = {status.value for status in Status}
    for part in saved.split(",")[:40]:
        pieces = part.split(":")
        if len(pieces) == 3 and pieces[0].isdigit() and {pieces[1], pieces[2]} <= statuses:
            out.append((int(pieces[0]), pieces[1], pieces[2]))
    return out


@router.get("/parks/{park_id}/years/{year}/indicators/{number}", response_class=HTMLResponse)
def trace(park_id: Id, year: Year, number: Number, request: Request, session: Db,
          who: Viewer) -> Response:
    found = readable_park(session, who, park_id)
    item = assessed(request, session, found, year)
    if number not in item.framework.by_number:
        raise NotFound("指标 indicator", str(number))
    row = item.row(number)
    lang = translator_of(request).lang
    steps = [] if row.result.trace is None else _steps(item, row.result.trace.children, lang, 0)
    ind, wording = row.result.indicator, item.framework.spec.wording
    document = (wording.document_en if lang == "en" else wording.document_zh) or (
        item.framework.spec.name_en if lang == "en" else item.framework.spec.name_zh)
    basis = f"{document}, indicator {number}" if lang == "en" else f"{document} 指标{number}"
    return render(request, "trace.html", park=found, year=year, item=item, row=row,
                  steps=steps, formula=readable(item.framework, ind.formula, lang), basis=basis,
                  words=lambda text: plain_rule(readable(item.framework, text, lang)),
                  writable=can_write_park(who, found.id))


def _steps(item: Assessed, traces: list[Trace], lang: str, depth: int) -> list[dict[str, Any]]:
    """The trace as a flat list of lines with their depth (rendered as a nested list)."""
    out: list[dict[str, Any]] = []
    framework = item.framework
    for node in traces:
        leaf = node.item is not None and not node.children
        label = framework.item_name(node.item, lang) if leaf and node.item else \
            _step_label(readable(framework, node.label, lang), lang)
        out.append({"depth": depth, "label": label, "value": _trace_value(node.value),
                    "unit": node.unit, "item": node.item if leaf else None, "year": node.year,
                    "source": node.source, "note": node.note})
        out += _steps(item, node.children, lang, depth + 1)
    return out


def _step_label(label: str, lang: str) -> str:
    """A step's label as a person reads it: the indicator's own value named, the requirement in
    symbols ("value >= 3" → "指标值 ≥ 3")."""
    if label == "value" or label.startswith("value "):
        label = ("indicator value" if lang == "en" else "指标值") + label[len("value"):]
    return plain_rule(label)


def _trace_value(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


@router.get("/parks/{park_id}/trends", response_class=HTMLResponse)
def trends(park_id: Id, request: Request, session: Db, who: Viewer,
           n: NumberQuery | None = None) -> Response:
    found = readable_park(session, who, park_id)
    items = [assessed(request, session, found, y.year) for y in found.years]
    framework = items[-1].framework if items else None
    if n is None:  # the framework's first indicator (a zero-carbon park has no indicator 26)
        n = framework.indicators[0].number if framework else 1
    if framework is not None and n not in framework.by_number:
        raise NotFound("指标 indicator", str(n))
    points = [_point(i, n) for i in items]
    t = translator_of(request)
    chart = _chart(framework, n, points, t) if framework else None
    return render(request, "trends.html", park=found, items=items, number=n, points=points,
                  framework=framework, chart=json.dumps(chart, ensure_ascii=False),
                  echarts=ECHARTS.is_file())


def _point(item: Assessed, number: int) -> dict[str, Any]:
    result = item.evaluation.result(number)
    rule = threshold(result)
    return {"year": item.evaluation.year, "value": result.value, "status": result.status.value,
            "rule": plain_rule(result.rule), "limit": rule[1] if rule else None,
            "op": rule[0] if rule else None}


def _chart(framework: Framework, number: int, points: list[dict[str, Any]],
           t: Translator) -> dict[str, Any]:
    indicator = framework.indicator(number)
    return {"title": f"{number} {t.pick(indicator.name_zh, indicator.name_en)}",
            "unit": pretty(indicator.unit, t.lang),
            "labels": {"value": t.gettext("Value"), "limit": t.gettext("Requirement")},
            "years": [str(p["year"]) for p in points],
            "values": [p["value"] if isinstance(p["value"], float) else None for p in points],
            "texts": [t.value(p["value"], indicator.decimals) for p in points],
            "limits": [p["limit"] for p in points],
            "statuses": [p["status"] for p in points]}
