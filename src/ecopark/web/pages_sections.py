"""Pages for the dataset sections a framework may need beyond the category forms: a park-year's
settings, eligibility gates and exemptions (设置与申报条件), and the carbon inventory of its year
(核算清单). Only for frameworks that declare them (HJ 274-2015 declares none: 404); only for the
park's officers and administrators. A save is checked on the form first, then by the core
(`repository.set_sections`): nothing is written while a problem is left, each shown next to its
field (422); then the dashboard shows the recomputed statuses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from ecopark.core.dataset.inventory import InventoryYear
from ecopark.core.errors import DatasetError, EcoparkError, NotFound
from ecopark.core.framework.model import Framework
from ecopark.io.inventory_sheets import vocabularies
from ecopark.store import models as m
from ecopark.store import repository
from ecopark.store.permissions import Principal
from ecopark.web import plain_text
from ecopark.web.assessed import Assessed, assessed
from ecopark.web.choices import (
    Choices,
    choices_field,
    choices_problems,
    has_choices,
    sections_of,
    stored_choices,
    typed_choices,
)
from ecopark.web.deps import Db, Id, Year
from ecopark.web.i18n import Translator
from ecopark.web.inventory_form import (
    OTHER,
    TableView,
    conversion_lines,
    inventory_field,
    inventory_of,
    parse_table,
    stored_views,
    typed_views,
)
from ecopark.web.page_deps import CheckedForm, Viewer, field, writable_park
from ecopark.web.pages_data import saved
from ecopark.web.render import render, translator_of
from ecopark.web.versions import year_as_read

__all__ = ["has_inventory", "router"]

router = APIRouter(include_in_schema=False)
Locate = Callable[[str], str]  # a DatasetError's key path → the form field ("" for none)


def has_inventory(framework: Framework) -> bool:
    return framework.spec.inventory is not None


def _open(request: Request, session: Session, who: Principal, park_id: int, year: int
          ) -> tuple[m.Park, Assessed]:
    park = writable_park(session, who, park_id, "修改数据 change data")
    return park, assessed(request, session, park, year)


def _save(session: Session, park: m.Park, year: int, sections: dict[str, Any], t: Translator,
          locate: Locate, based: str) -> tuple[dict[str, str], str]:
    """Write the sections (checked by the core) if the park-year is still at the version the
    form was read at (`based`); the problem by field, or one for the form."""
    park_year, stale = year_as_read(session, park, year, based, t)
    if stale:
        return {}, stale
    try:
        repository.set_sections(session, park_year, sections)
    except DatasetError as exc:
        name = locate(exc.key_path)
        text = exc.problem + (f" — {exc.hint}" if exc.hint else "")
        return ({name: text}, "") if name else ({}, plain_text.message(exc, t.lang))
    except ValidationError as exc:
        first = exc.errors()[0]
        return {}, f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
    except EcoparkError as exc:  # e.g. a coefficient no loaded file has
        return {}, plain_text.message(exc, t.lang)
    return {}, ""


def _version(session: Session, park: m.Park, year: int) -> int:
    """The park-year's version now (what a form is based on)."""
    return repository.get_park_year(session, park, year).version


def _saved(request: Request, who: Principal, park: m.Park, year: int, before: Assessed,
           session: Session) -> Response:
    return saved(request, who, repository.get_park_year(session, park, year), before.evaluation)


# --------------------------------------------------------------------------- choices


@router.get("/parks/{park_id}/years/{year}/choices", response_class=HTMLResponse)
def choices_form(park_id: Id, year: Year, request: Request, session: Db, who: Viewer) -> Response:
    park, item = _open(request, session, who, park_id, year)
    _require_choices(item.framework)
    return _choices_page(request, session, park, year, item,
                         stored_choices(item.framework, item.evaluation.dataset))


def _require_choices(framework: Framework) -> None:
    if not has_choices(framework):
        raise NotFound("设置与申报条件 settings and eligibility", framework.id)


def _choices_page(request: Request, session: Session, park: m.Park, year: int, item: Assessed,
                  choices: Choices,
                  status: int = 200, problems: dict[str, str] | None = None,
                  error: str = "") -> Response:
    return render(request, "choices.html", status=status, park=park, year=year,
                  year_version=_version(session, park, year),
                  framework=item.framework, choices=choices, problems=problems or {},
                  error=error)


@router.post("/parks/{park_id}/years/{year}/choices", response_class=HTMLResponse)
def save_choices(park_id: Id, year: Year, request: Request, form: CheckedForm, session: Db,
                 who: Viewer) -> Response:
    park, item = _open(request, session, who, park_id, year)
    framework, t = item.framework, translator_of(request)
    _require_choices(framework)
    choices = typed_choices(stored_choices(framework, item.evaluation.dataset), form)
    problems, error = choices_problems(choices, t), ""
    if not problems:
        problems, error = _save(session, park, year, sections_of(framework, item.spec, choices),
                                t, choices_field, field(form, "year_version", 20))
    if problems or error:
        return _choices_page(request, session, park, year, item, choices, 422, problems, error)
    return _saved(request, who, park, year, item, session)


# --------------------------------------------------------------------------- inventory


@router.get("/parks/{park_id}/years/{year}/inventory", response_class=HTMLResponse)
def inventory_form(park_id: Id, year: Year, request: Request, session: Db,
                   who: Viewer) -> Response:
    park, item = _open(request, session, who, park_id, year)
    method = _method(item.framework)
    lines = item.spec.inventory.get(year)
    return _inventory_page(request, session, park, year, item, stored_views(method, lines),
                           _header(lines))


def _header(lines: InventoryYear | None) -> dict[str, str]:
    return {"source": lines.source, "note": lines.note} if lines else {}


def _method(framework: Framework) -> str:
    if framework.spec.inventory is None:
        raise NotFound("核算清单 carbon inventory", framework.id)
    return framework.spec.inventory.method


def _inventory_page(request: Request, session: Session, park: m.Park, year: int, item: Assessed,
                    views: tuple[TableView, ...], header: dict[str, str], status: int = 200,
                    problems: dict[str, str] | None = None, error: str = "") -> Response:
    return render(request, "inventory.html", status=status, park=park, year=year,
                  year_version=_version(session, park, year),
                  framework=item.framework, views=views, header=header,
                  vocab=vocabularies(_method(item.framework)), other=OTHER,
                  conversion=conversion_lines(item.spec.inventory.get(year)),
                  result=item.evaluation.dataset.inventory.get(year),
                  problems=problems or {}, error=error)


@router.post("/parks/{park_id}/years/{year}/inventory", response_class=HTMLResponse)
def save_inventory(park_id: Id, year: Year, request: Request, form: CheckedForm, session: Db,
                   who: Viewer) -> Response:
    park, item = _open(request, session, who, park_id, year)
    method, t = _method(item.framework), translator_of(request)
    stored = item.spec.inventory.get(year)
    views = typed_views(form, method, stored)
    parsed = {view.table.key: parse_table(view, method, t) for view in views if view.typed}
    problems = {k: v for p in parsed.values() for k, v in p.problems.items()}
    header = {key: field(form, f"inventory-{key}", 500) for key in ("source", "note")
              if f"inventory-{key}" in form}
    error = ""
    if not problems:
        inventory = inventory_of(item.spec, year, header,
                                 {key: p.lines for key, p in parsed.items()})
        rows = {key: p.rows for key, p in parsed.items()}
        problems, error = _save(session, park, year, {"inventory": inventory}, t,
                                lambda key_path: inventory_field(key_path, year, rows),
                                field(form, "year_version", 20))
    if problems or error:
        return _inventory_page(request, session, park, year, item, views, {**_header(stored), **header},
                               422, problems, error)
    return _saved(request, who, park, year, item, session)
