"""The park-year's 园区概况 page: the park's facts the report's chapter 一 is written from (area,
location, leading industries, enterprises, approvals — the framework's `part: overview` profile
fields) and the chapters 四 存在的主要问题 and 五 下一步工作（整改措施） as the officer writes
them, each offered with the draft ecopark writes from the data ("start from the draft" fills the
box; nothing is saved until 保存).

Only the park's officers and administrators; the form carries the park-year's version like the
settings pages (a save based on an older version is refused, the entries kept). A value a field
cannot hold is shown next to it (422) and nothing is written (`store.profile.set_profile`).
"""

from __future__ import annotations

import dataclasses

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from ecopark.core.errors import DatasetError, EcoparkError, NotFound
from ecopark.core.framework.model import Framework
from ecopark.core.framework.profile import ProfileField
from ecopark.reports.narrative import gather
from ecopark.reports.problems import draft_texts
from ecopark.store import models as m
from ecopark.store import repository
from ecopark.store.permissions import Principal
from ecopark.store.profile import set_profile
from ecopark.web import plain_text
from ecopark.web.assessed import Assessed, assessed
from ecopark.web.deps import Db, Id, Year
from ecopark.web.i18n import Translator
from ecopark.web.page_deps import CheckedForm, Viewer, field, writable_park
from ecopark.web.pages_data import saved
from ecopark.web.render import render, translator_of
from ecopark.web.versions import year_as_read

__all__ = ["has_profile", "router"]

router = APIRouter(include_in_schema=False)
PARTS = ("overview", "problems", "actions")
PREFIX = "profile:"
LIMITS = {"text": 20_000, "number": 60, "date": 40}


@dataclasses.dataclass(frozen=True)
class Entry:
    """One field of the form: its declaration, the value shown and its form name."""

    key: str
    spec: ProfileField
    value: str

    @property
    def name(self) -> str:
        return PREFIX + self.key


def has_profile(framework: Framework) -> bool:
    return any(f.part in PARTS for f in framework.spec.profile_fields.values())


def _entries(framework: Framework, values: dict[str, str]) -> dict[str, list[Entry]]:
    out: dict[str, list[Entry]] = {part: [] for part in PARTS}
    for key, spec in framework.spec.profile_fields.items():
        if spec.part in PARTS:
            out[spec.part].append(Entry(key, spec, values.get(key, "")))
    return out


def _stored(item: Assessed) -> dict[str, str]:
    """The values as the dataset keeps them: a number in the field's unit ("20.14", whatever
    unit it was written in), a date as 2013-04-08."""
    return dict(item.evaluation.dataset.profile.fields)


def _open(request: Request, session: Session, who: Principal, park_id: int,
          year: int) -> tuple[m.Park, Assessed]:
    park = writable_park(session, who, park_id, "修改园区概况 change the park profile")
    item = assessed(request, session, park, year)
    if not has_profile(item.framework):
        raise NotFound("园区概况 park profile", item.framework.id)
    return park, item


def _page(request: Request, session: Session, park: m.Park, year: int, item: Assessed,
          values: dict[str, str], *, status: int = 200, problems: dict[str, str] | None = None,
          error: str = "", version: str | None = None) -> Response:
    lang = translator_of(request).lang
    return render(request, "profile.html", status=status, park=park, year=year,
                  year_version=version or repository.get_park_year(session, park, year).version,
                  framework=item.framework, entries=_entries(item.framework, values),
                  drafts=draft_texts(gather(item.evaluation), lang),
                  problems=problems or {}, error=error)


@router.get("/parks/{park_id}/years/{year}/profile", response_class=HTMLResponse)
def profile_form(park_id: Id, year: Year, request: Request, session: Db, who: Viewer) -> Response:
    park, item = _open(request, session, who, park_id, year)
    return _page(request, session, park, year, item, _stored(item))


@router.post("/parks/{park_id}/years/{year}/profile", response_class=HTMLResponse)
def save_profile(park_id: Id, year: Year, request: Request, form: CheckedForm, session: Db,
                 who: Viewer) -> Response:
    park, item = _open(request, session, who, park_id, year)
    typed = _typed(item.framework, form)
    based = field(form, "year_version", 20)
    action = field(form, "action", 40)
    if action.startswith("draft:"):  # fill a chapter with its draft; nothing is saved
        _start_from_draft(item, typed, action.removeprefix("draft:"), translator_of(request))
        return _page(request, session, park, year, item, typed, version=based)
    stale = based != str(repository.get_park_year(session, park, year).version)
    problems, error = _save(session, park, year, typed, based, translator_of(request))
    if problems or error:  # after a stale save the form carries the version now: saving
        return _page(request, session, park, year, item, typed, status=422,  # again applies it
                     problems=problems, error=error, version=None if stale else based)
    return saved(request, who, repository.get_park_year(session, park, year), item.evaluation)


def _start_from_draft(item: Assessed, typed: dict[str, str], part: str, t: Translator) -> None:
    chapter = _entries(item.framework, {}).get(part, []) if part != "overview" else []
    for entry in chapter:
        typed[entry.key] = draft_texts(gather(item.evaluation), t.lang)[part]


def _typed(framework: Framework, form: FormData) -> dict[str, str]:
    return {key: field(form, PREFIX + key, LIMITS[spec.kind])
            for key, spec in framework.spec.profile_fields.items() if spec.part in PARTS}


def _save(session: Session, park: m.Park, year: int, typed: dict[str, str], based: str,
          t: Translator) -> tuple[dict[str, str], str]:
    """Write the fields if the park-year is still at the version the form was read at; the
    problem by field, or one for the form."""
    park_year, stale = year_as_read(session, park, year, based, t)
    if stale:
        return {}, stale
    try:
        set_profile(session, park_year, typed)
    except DatasetError as exc:
        if exc.key_path.startswith("park."):
            name = PREFIX + exc.key_path.removeprefix("park.")
            return {name: exc.problem + (f" — {exc.hint}" if exc.hint else "")}, ""
        return {}, plain_text.message(exc, t.lang)
    except EcoparkError as exc:
        return {}, plain_text.message(exc, t.lang)
    return {}, ""
