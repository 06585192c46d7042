"""Starting an evaluation year on the web: the officer (or an admin) chooses the evaluation year
and the planning base year (规划基准年), checks the profile (region class …) and the optional
indicators the park is assessed on (是否为考核指标), all offered as the previous year had them (a
park's first year: the shipped framework, nothing selected), and lands on the first data form.
Every refusal of `store.years.start_year` is shown next to its field; nothing is stored then."""

from __future__ import annotations

import dataclasses

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from ecopark.core.errors import Conflict, DatasetError, EcoparkError, InvalidValue
from ecopark.core.framework.indicators import Indicator
from ecopark.core.framework.loading import load_framework
from ecopark.core.framework.model import Framework
from ecopark.core.framework.profile import ProfileField
from ecopark.store import models as m
from ecopark.store import repository
from ecopark.store.years import DEFAULT_FRAMEWORK, previous_year, start_year, year_defaults
from ecopark.web import plain_text
from ecopark.web.deps import Db, Id
from ecopark.web.page_deps import CheckedForm, Viewer, field, writable_park
from ecopark.web.render import render, translator_of

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
ACTION = "新建评价年度 start an evaluation year"


@dataclasses.dataclass(frozen=True)
class Offer:
    """What the form shows: the framework, the years, the profile and the selection."""

    framework: Framework
    year: str
    base_year: str
    profile: dict[str, str]
    selected: frozenset[int]
    carried_from: int | None

    def optional(self) -> list[Indicator]:
        """The indicators a park chooses (not mandatory, not guidance), in the file's order."""
        return [i for i in self.framework.indicators if not i.mandatory and not i.guidance]


def _offer(session: Session, park: m.Park) -> Offer:
    year, base_year = year_defaults(session, park)
    previous = previous_year(session, park, year)
    if previous is None:
        framework = load_framework(DEFAULT_FRAMEWORK)
        profile = {k: v.default or "" for k, v in framework.spec.profile_fields.items()
                   if v.kind == "choice" or not v.part}
        return Offer(framework, str(year), str(base_year), profile, frozenset(), None)
    spec = repository.read_spec(previous)
    framework = load_framework(spec.framework)
    declared = framework.spec.profile_fields
    # the year's own are not carried: its 填报时间 and the chapters written for a year
    profile = {k: str(v) for k, v in (spec.park.model_extra or {}).items()
               if k not in declared or not _own(declared[k])}
    return Offer(framework, str(year), str(previous.base_year), profile,
                 frozenset(spec.park.selected), previous.year)


@router.get("/parks/{park_id}/new-year", response_class=HTMLResponse)
def new_year_form(park_id: Id, request: Request, session: Db, who: Viewer) -> Response:
    park = writable_park(session, who, park_id, ACTION)
    return render(request, "new_year.html", park=park, offer=_offer(session, park), errors={})


@router.post("/parks/{park_id}/new-year", response_class=HTMLResponse)
def new_year(park_id: Id, request: Request, form: CheckedForm, session: Db,
             who: Viewer) -> Response:
    park = writable_park(session, who, park_id, ACTION)
    offer = _offer(session, park)
    typed = _typed(form, offer)
    errors = _number_errors(typed, request)
    if not errors:
        try:
            created = start_year(session, park, int(typed.year), int(typed.base_year),
                                 selected=sorted(typed.selected), profile=typed.profile)
        except EcoparkError as exc:  # refused before any row was written
            errors = {_field_of(exc): _plain(exc, translator_of(request).lang)}
        else:
            first = offer.framework.spec.categories[0].id
            return RedirectResponse(f"/parks/{park.id}/years/{created.year}/edit/{first}",
                                    status_code=303)
    return render(request, "new_year.html", status=422, park=park, offer=typed, errors=errors)


def _own(declared: ProfileField) -> bool:
    """A field that belongs to one park-year: the date the table was filled in, a chapter."""
    return (declared.kind == "date" and not declared.part) or \
        declared.part in ("problems", "actions")


def _typed(form: FormData, offer: Offer) -> Offer:
    selected = frozenset(int(v) for v in form.getlist("selected")
                         if isinstance(v, str) and v.isdigit() and len(v) < 4)
    profile = {name: field(form, f"profile:{name}", 100) or value
               for name, value in offer.profile.items()}
    for name, declared in offer.framework.spec.profile_fields.items():
        if declared.kind == "choice" or not declared.part:  # the 园区概况 page has the others
            profile.setdefault(name, field(form, f"profile:{name}", 100))
    return dataclasses.replace(offer, year=field(form, "year", 10),
                               base_year=field(form, "base_year", 10), profile=profile,
                               selected=selected)


def _number_errors(typed: Offer, request: Request) -> dict[str, str]:
    t = translator_of(request)
    return {name: t.gettext("Write a year of four digits, e.g. 2019.")
            for name, value in (("year", typed.year), ("base_year", typed.base_year))
            if not (value.isdigit() and len(value) == 4)}


def _plain(exc: EcoparkError, lang: str) -> str:
    """The error without its field name (the field is where it is shown): problem and fix."""
    problem, hint = getattr(exc, "problem", ""), getattr(exc, "hint", "")
    if not problem:
        return plain_text.message(exc, lang)
    return f"{problem}{'。' if lang == 'zh' else '. '}{hint}" if hint else str(problem)


def _field_of(exc: EcoparkError) -> str:
    """The form field an error of `start_year` is about."""
    if isinstance(exc, InvalidValue) and exc.field in ("year", "base_year"):
        return exc.field
    if isinstance(exc, DatasetError) and exc.key_path.startswith("park.selected"):
        return "selected"
    if isinstance(exc, DatasetError) and exc.key_path.startswith("park."):
        return f"profile:{exc.key_path.removeprefix('park.')}"
    return "year" if isinstance(exc, Conflict) else "form"
