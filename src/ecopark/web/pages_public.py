"""The public disclosure page of a park (信息公开, no sign-in) and the park officer's settings
of what it shows: the 对照考核表 of the published year and the key enterprises' environmental
information — what indicators 30 and 31 of HJ 274-2015 ask a park to make public.

Only a published edition is ever shown (store/lifecycle.py): read from its snapshot, so a year
reopened after publication keeps showing what was published until a new edition is; "the
latest" is the latest published year; a draft never."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from ecopark.core.errors import NotFound
from ecopark.core.framework.loading import load_framework
from ecopark.store import models as m
from ecopark.store import repository, transitions
from ecopark.web.assessed import Assessed, assessed
from ecopark.web.deps import Db, Id
from ecopark.web.editions import edition
from ecopark.web.flash import done
from ecopark.web.page_deps import CheckedForm, Viewer, field, writable_park
from ecopark.web.render import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _publishes(park: m.Park) -> bool:
    return park.publish_table or park.publish_enterprises


def _year(session: Session, park: m.Park) -> int | None:
    years = transitions.published_years(session, park)
    if park.published_year in years:
        return park.published_year
    return max(years) if years else None


def _published(request: Request, session: Session, park: m.Park, year: int) -> Assessed:
    kept = transitions.published(session, park.id, year)
    if kept is not None:
        return edition(request, kept)
    # a year published before snapshots existed (migration 0010): locked, so its stored data
    # are the published edition
    return assessed(request, session, park, year)


@router.get("/public", response_class=HTMLResponse)
def public_index(request: Request, session: Db) -> Response:
    parks = [p for p in repository.list_parks(session) if _publishes(p)]
    return render(request, "public_index.html", parks=parks)


@router.get("/public/parks/{park_id}", response_class=HTMLResponse)
def public_park(park_id: Id, request: Request, session: Db) -> Response:
    park = session.get(m.Park, park_id)
    if park is None or not _publishes(park):
        raise NotFound("公开信息 published information", str(park_id))
    year = _year(session, park)
    item = _published(request, session, park, year) if park.publish_table and year else None
    enterprises = [e for e in park.enterprises if e.key_enterprise] \
        if park.publish_enterprises else []
    return render(request, "public_park.html", park=park, year=year, item=item,
                  enterprises=enterprises, values=_values(enterprises, year),
                  framework=load_framework("hj274-2015"))


def _values(enterprises: list[m.Enterprise], year: int | None) -> dict[int, list[m.SubmissionValue]]:
    out: dict[int, list[m.SubmissionValue]] = {}
    for enterprise in enterprises:
        accepted = [s for s in enterprise.submissions if s.year == year and s.status == "accepted"]
        out[enterprise.id] = list(accepted[0].values) if accepted else []
    return out


@router.get("/parks/{park_id}/publish", response_class=HTMLResponse)
def publish_form(park_id: Id, request: Request, session: Db, who: Viewer) -> Response:
    park = writable_park(session, who, park_id, "设置信息公开 set what is published")
    # the table is named as the park's framework names it (its latest year's)
    framework = load_framework(park.years[-1].framework_key if park.years else "hj274-2015")
    return render(request, "publish.html", park=park, year=_year(session, park),
                  years=transitions.published_years(session, park), framework=framework)


@router.post("/parks/{park_id}/publish")
def publish(park_id: Id, form: CheckedForm, session: Db, who: Viewer) -> Response:
    park = writable_park(session, who, park_id, "设置信息公开 set what is published")
    _apply(session, park, form)
    return done(f"/parks/{park.id}/publish", "publish-saved")  # shows the confirmation


def _apply(session: Session, park: m.Park, form: FormData) -> None:
    get = form.getlist
    park.publish_table = field(form, "publish_table") == "on"
    park.publish_enterprises = field(form, "publish_enterprises") == "on"
    year = field(form, "published_year", 4)
    park.published_year = int(year) if year.isdigit() and int(year) in \
        transitions.published_years(session, park) else None
    keys = {int(v) for v in get("key") if isinstance(v, str) and v.isdigit()}
    for enterprise in park.enterprises:
        enterprise.key_enterprise = enterprise.id in keys
    session.flush()
