"""The enterprise portal and the park's review of submissions.

An enterprise user sees and edits only its own enterprise: the yearly submission (a form of the
items that roll up into the park's totals, or the same values from a workbook), submits it and
sees whether it was accepted. The park's officers review submitted ones: accept (the accepted
values roll up into the park's items — what will change is shown first) or reject with a reason.
Two submissions under one credit code are never summed twice: the officer chooses which one
stands; replacing park-stated values with fewer than every enterprise asks for confirmation,
with the coverage shown.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from ecopark.core.errors import (
    Conflict,
    EcoparkError,
    ImplausibleValue,
    InvalidValue,
    NotFound,
    PartialCoverage,
    StaleWrite,
)
from ecopark.core.framework.loading import load_framework
from ecopark.core.framework.model import Framework
from ecopark.io.layout import unit_choices, unit_display
from ecopark.store import campaigns, submissions
from ecopark.store import models as m
from ecopark.store.permissions import Principal, can_decide, can_submit, deny
from ecopark.store.rollup_submissions import (
    Choice,
    Plan,
    accept_and_roll_up,
    additive_items,
    plan_rollup,
)
from ecopark.web import pages_campaigns, plain_text
from ecopark.web.deps import Db, Id, Year, settings_of
from ecopark.web.flash import done
from ecopark.web.forms import entry, plain, quick_problem
from ecopark.web.item_words import enterprise_item_name
from ecopark.web.page_deps import (
    CheckedForm,
    Viewer,
    field,
    readable_enterprise,
    upload,
    writable_park,
)
from ecopark.web.render import render, translator_of
from ecopark.web.uploads import Limits, dataset_spec, limits_of, parse_upload
from ecopark.web.versions import decode_versions, encode_versions

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
FRAMEWORK = "hj274-2015"
OptYear = Annotated[int | None, Query(ge=1900, le=2200)]


def _framework() -> Framework:
    return load_framework(FRAMEWORK)


def _default_year(enterprise: m.Enterprise) -> int:
    years = [y.year for y in enterprise.park.years]
    return max(years) if years else dt.date.today().year - 1


def _find(enterprise: m.Enterprise, year: int) -> m.Submission | None:
    return next((s for s in enterprise.submissions if s.year == year), None)


def _fields(framework: Framework, sub: m.Submission | None, lang: str,
            asked: list[str]) -> list[dict[str, Any]]:
    """The form's rows: the campaign's items first (marked asked), then the other items."""
    values = {v.item: v for v in sub.values} if sub else {}
    out = []
    items = additive_items(framework)
    for item in [*[i for i in asked if i in items], *[i for i in items if i not in asked]]:
        spec = framework.spec.items[item]
        stored = values.get(item)
        out.append({"item": item, "spec": spec, "choices": unit_choices(spec.unit),
                    "name": enterprise_item_name(framework, item, lang),
                    "asked": item in asked and len(asked) < len(items),  # marked: a subset
                    "text": stored.value_text if stored else "",
                    "unit": (stored.unit if stored and stored.unit else unit_display(spec.unit))})
    return out


@router.get("/enterprises/{enterprise_id}", response_class=HTMLResponse)
def enterprise_page(enterprise_id: Id, request: Request, session: Db, who: Viewer,
                    year: OptYear = None) -> Response:
    enterprise = readable_enterprise(session, who, enterprise_id)
    return _page(request, who, enterprise, year or _default_year(enterprise))


def _page(request: Request, who: Principal, enterprise: m.Enterprise, year: int,
          status: int = 200, problems: dict[str, str] | None = None,
          typed: dict[str, tuple[str, str]] | None = None, error: str = "") -> Response:
    sub = _find(enterprise, year)
    editable = can_submit(who, enterprise.id) and (sub is None or sub.status in ("draft",
                                                                                 "rejected"))
    session = Session.object_session(enterprise)
    assert session is not None
    tasks = campaigns.tasks(session, enterprise)
    campaign = next((task.campaign for task in tasks if task.campaign.year == year), None)
    asked = [i.item for i in campaign.items] if campaign else []
    return render(request, "enterprise.html", status=status, enterprise=enterprise, year=year,
                  sub=sub, fields=_fields(_framework(), sub, translator_of(request).lang, asked),
                  editable=editable, tasks=tasks, campaign=campaign,
                  states=pages_campaigns.STATES,
                  can_submit=can_submit(who, enterprise.id), problems=problems or {},
                  typed=typed or {}, error=error, framework=_framework())


def _submitter(session: Session, who: Principal, enterprise_id: int) -> m.Enterprise:
    enterprise = readable_enterprise(session, who, enterprise_id)
    if not can_submit(who, enterprise.id):
        raise deny(who, "填报 edit a submission", f"enterprise {enterprise.id}")
    return enterprise


@router.post("/enterprises/{enterprise_id}/submissions/{year}", response_class=HTMLResponse)
def save_draft(enterprise_id: Id, year: Year, request: Request, form: CheckedForm,
               session: Db, who: Viewer) -> Response:
    enterprise = _submitter(session, who, enterprise_id)
    framework, t = _framework(), translator_of(request)
    typed: dict[str, tuple[str, str]] = {}
    problems: dict[str, str] = {}
    values = []
    for item in additive_items(framework):
        text, unit = field(form, f"v:{item}", 60), field(form, f"u:{item}", 40)
        if not text:
            continue
        typed[item] = (text, unit)
        spec = framework.spec.items[item]
        problem = quick_problem(spec, text, unit, t)
        if problem:
            problems[item] = problem
        else:
            value = entry(text, unit, spec)
            values.append(submissions.SubmittedValue(item, value.value, value.unit))
    if not problems and not values:
        return _page(request, who, enterprise, year, 422, typed=typed,
                     error=t.gettext("Enter at least one value."))
    if problems:
        return _page(request, who, enterprise, year, 422, problems, typed)
    try:
        submissions.save_draft(session, enterprise, year, values, framework.id)
    except EcoparkError as exc:
        return _page(request, who, enterprise, year, 422, typed=typed,
                     error=plain_text.message(exc, t.lang))
    return RedirectResponse(f"/enterprises/{enterprise.id}?year={year}", status_code=303)


@router.post("/enterprises/{enterprise_id}/submissions/{year}/upload",
             response_class=HTMLResponse)
def upload_draft(enterprise_id: Id, year: Year, request: Request, form: CheckedForm,
                 session: Db, who: Viewer) -> Response:
    enterprise = _submitter(session, who, enterprise_id)
    framework, t = _framework(), translator_of(request)
    file = upload(form)
    if file is None:
        return _page(request, who, enterprise, year, 422,
                     error=t.gettext("Choose a file to upload."))
    try:
        values = _workbook_values(file, framework, year, limits_of(settings_of(request)))
        if not values:
            return _page(request, who, enterprise, year, 422, error=t.gettext(
                "The workbook has no values of this form's items for %(year)s.", year=year))
        submissions.save_draft(session, enterprise, year, values, framework.id)
    except EcoparkError as exc:
        return _page(request, who, enterprise, year, 422, error=plain_text.message(exc, t.lang))
    return RedirectResponse(f"/enterprises/{enterprise.id}?year={year}", status_code=303)


def _workbook_values(file: Any, framework: Framework, year: int,
                     limits: Limits) -> list[submissions.SubmittedValue]:
    spec = parse_upload(file, limits, dataset_spec, framework.id)
    out = []
    for item in additive_items(framework):
        series = spec.observations.get(item)
        raw = series.values.get(year) if series else None
        if raw is None:
            continue
        value = getattr(raw, "value", raw)
        unit = getattr(raw, "unit", None) or (series.unit if series else None)
        out.append(submissions.SubmittedValue(item, value, unit))  # type: ignore[arg-type]
    return out


@router.post("/enterprises/{enterprise_id}/submissions/{year}/submit")
def submit(enterprise_id: Id, year: Year, form: CheckedForm, session: Db,
           who: Viewer) -> Response:
    enterprise = _submitter(session, who, enterprise_id)
    submissions.submit(session, submissions.get_submission(session, enterprise, year))
    return done(f"/enterprises/{enterprise.id}?year={year}", "submitted")


@router.post("/enterprises/{enterprise_id}/submissions/{year}/withdraw")
def withdraw(enterprise_id: Id, year: Year, form: CheckedForm, session: Db,
             who: Viewer) -> Response:
    """Take the submission back before the park reviews it (it is a draft again)."""
    enterprise = _submitter(session, who, enterprise_id)
    submissions.withdraw(session, submissions.get_submission(session, enterprise, year))
    return done(f"/enterprises/{enterprise.id}?year={year}", "withdrawn")


@router.post("/enterprises/{enterprise_id}/disclosure")
def disclosure(enterprise_id: Id, form: CheckedForm, session: Db, who: Viewer) -> Response:
    enterprise = readable_enterprise(session, who, enterprise_id)
    if not (can_submit(who, enterprise.id) or can_decide(who, enterprise.park_id)):
        raise deny(who, "修改环境信息 edit the environmental information",
                   f"enterprise {enterprise.id}")
    enterprise.disclosure = field(form, "disclosure", 5000)
    session.flush()
    return RedirectResponse(f"/enterprises/{enterprise.id}#disclosure", status_code=303)


# --------------------------------------------------------------------------- park's review


@router.get("/parks/{park_id}/submissions", response_class=HTMLResponse)
def review(park_id: Id, request: Request, session: Db, who: Viewer) -> Response:
    park = writable_park(session, who, park_id, "审核报送 review submissions")
    return _review_page(request, session, park)


def _review_page(request: Request, session: Session, park: m.Park, status: int = 200,
                 errors: dict[int, str] | None = None,
                 confirming: dict[int, tuple[PartialCoverage, Choice]] | None = None,
                 accept_errors: dict[int, str] | None = None) -> Response:
    """The review; `errors`: a rejection's, `accept_errors`: an acceptance's, `confirming`: per
    submission, the coverage to confirm and the choice made."""
    subs = list(session.scalars(select(m.Submission).join(m.Enterprise).where(
        m.Enterprise.park_id == park.id).order_by(m.Submission.year.desc(), m.Enterprise.name)))
    pending = [s for s in subs if s.status == "submitted"]
    plans = {s.id: plan_rollup(session, park, s.year, also=s) for s in pending}
    seen = {s.id: encode_versions({(line.item, line.year): line.version
                                   for line in plans[s.id].lines}) for s in pending}
    return render(request, "submissions.html", status=status, park=park, pending=pending,
                  versions=seen,
                  others=[s for s in subs if s.status != "submitted"], plans=plans,
                  errors=errors or {}, confirming=confirming or {},
                  accept_errors=accept_errors or {}, framework=_framework(), plain=plain)


def _pending(session: Session, park: m.Park, submission_id: int) -> m.Submission:
    sub = session.get(m.Submission, submission_id)
    if sub is None or sub.enterprise.park_id != park.id:
        raise NotFound("报送 submission", str(submission_id))
    return sub


@router.post("/parks/{park_id}/submissions/{submission_id}/accept", response_class=HTMLResponse)
def accept(park_id: Id, submission_id: Id, request: Request, form: CheckedForm, session: Db,
           who: Viewer) -> Response:
    park = writable_park(session, who, park_id, "接受报送 accept a submission")
    sub = _pending(session, park, submission_id)
    choice = _choice(form, plan_rollup(session, park, sub.year, also=sub))
    try:
        with session.begin_nested():  # a value changed since the page: nothing is accepted
            accept_and_roll_up(session, sub, choice)
    except PartialCoverage as exc:
        return _review_page(request, session, park, 409, confirming={sub.id: (exc, choice)})
    except (Conflict, InvalidValue) as exc:
        message = plain_text.message(exc, translator_of(request).lang)
        return _review_page(request, session, park, 422, accept_errors={sub.id: message})
    except (StaleWrite, ImplausibleValue) as exc:
        message = plain_text.message(exc, translator_of(request).lang)
        status = 409 if isinstance(exc, StaleWrite) else 422
        return _review_page(request, session, park, status, accept_errors={sub.id: message})
    return RedirectResponse(f"/parks/{park.id}/submissions", status_code=303)


def _choice(form: Any, plan: Plan) -> Choice:
    """The accept form's answers: overwrite, confirm, and per duplicated credit code the
    submission chosen (`keep:<code>`)."""
    keep = {}
    for duplicate in plan.duplicates:
        chosen = field(form, f"keep:{duplicate.code}", 12)
        if chosen.isdigit():
            keep[duplicate.code] = int(chosen)
    return Choice(field(form, "overwrite") == "on", field(form, "confirm") == "on", keep,
                  decode_versions(field(form, "versions", 200_000)))


@router.post("/parks/{park_id}/submissions/{submission_id}/reject", response_class=HTMLResponse)
def reject(park_id: Id, submission_id: Id, request: Request, form: CheckedForm, session: Db,
           who: Viewer) -> Response:
    park = writable_park(session, who, park_id, "退回报送 reject a submission")
    sub = _pending(session, park, submission_id)
    reason = field(form, "reason", 2000)
    if not reason:
        t = translator_of(request)
        return _review_page(request, session, park, 422,
                            {sub.id: t.gettext("Give the reason for rejecting, so the "
                                               "enterprise knows what to correct.")})
    submissions.reject(session, sub, reason)
    return RedirectResponse(f"/parks/{park.id}/submissions", status_code=303)
