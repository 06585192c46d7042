"""The reviewer's workspace: the queue of park-years submitted or under review (across all
parks, oldest submission first, each linked to its review page: `pages_lifecycle`), every park
side by side (parks × indicators with statuses, via `ecopark.analysis.compare`), and a printed
对照考核表 (.docx/.xlsx, or a dataset file with its printed table) recomputed from its own base
rows, the findings on screen by post/redirect/get: the uploaded file is kept for an hour under
a random token for its reviewer only (store/kept.py), so reloading shows the findings again
without posting the file; nothing is added to any park (a park-year's own printed table is
saved on its review page)."""

from __future__ import annotations

import base64
import io
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from ecopark.analysis.compare import compare
from ecopark.core.dataset.loading import build_dataset
from ecopark.core.dataset.model import Dataset
from ecopark.core.errors import EcoparkError, WorkbookProblems
from ecopark.core.evaluate import evaluate
from ecopark.core.framework.loading import load_framework
from ecopark.core.verify import Verification, verify
from ecopark.store import kept, lifecycle, repository, review_comments, sources, transitions
from ecopark.store import models as m
from ecopark.store.permissions import Principal, deny
from ecopark.web import plain_text
from ecopark.web.assessed import assessed_parks
from ecopark.web.deps import Db, ReadDb, settings_of, store_of
from ecopark.web.i18n import Translator
from ecopark.web.page_deps import CheckedForm, ReadingViewer, Viewer, field, upload
from ecopark.web.paging import PageNumber, pages
from ecopark.web.render import render, translator_of
from ecopark.web.uploads import Limits, dataset_spec, limits_of, parse_upload, printed, suffix

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
FRAMEWORK = "hj274-2015"
VERIFIED = "/review/verify"  # where a verified table's findings are shown again (by token)
COMPARED = 10  # parks side by side on one page of the comparison (about 6 ms each to show)


def _reviewer(who: Principal, action: str) -> None:
    if who.role not in ("reviewer", "admin"):
        raise deny(who, action, "审核工作台 the reviewer's workspace")


@router.get("/review", response_class=HTMLResponse)
def comparison(request: Request, session: Db, who: Viewer,
               year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
               page: PageNumber = 1) -> Response:
    """The parks with data for the year, side by side, `COMPARED` a page (by name): the years
    and the page's parks are each one query, so the page costs the same with 2,500 parks."""
    _reviewer(who, "比较园区 compare parks")
    # parks assessed under another framework (e.g. zero-carbon-park-2025) are not compared here
    ours = select(m.ParkYear).join(m.ParkYear.framework_version) \
        .join(m.FrameworkVersion.framework).where(m.FrameworkRow.key == FRAMEWORK)
    years = sorted(set(session.scalars(ours.with_only_columns(m.ParkYear.year).distinct())),
                   reverse=True)
    chosen = year if year is not None else (years[0] if years else None)
    query = select(m.Park).where(m.Park.id.in_(ours.where(m.ParkYear.year == chosen)
                                                .with_only_columns(m.ParkYear.park_id))) \
        .order_by(m.Park.name, m.Park.id)
    shown, pager = pages(session, query, request, page, COMPARED)
    items = assessed_parks(request, session, shown, chosen) if chosen else []
    table = compare([i.evaluation for i in items]) if items else None
    return render(request, "review.html", parks=shown, years=years,
                  year=chosen, table=table, items=items, framework=load_framework(FRAMEWORK),
                  pager=pager, queue=_queue(session, translator_of(request)))


def _queue(session: Session, t: Translator) -> list[dict[str, object]]:
    """The park-years waiting for a reviewer: submitted or under review, oldest first."""
    rows = session.scalars(select(m.ParkYear).where(
        m.ParkYear.state.in_(("submitted", "under_review")))).all()
    out = []
    for row in rows:
        steps = transitions.steps(session, row.park_id, row.year)
        since = next((s.at for s in reversed(steps) if s.action == "submit"), None)
        open_threads = [c for c in review_comments.threads(session, row.park_id, row.year)
                        if not c.resolved]
        out.append({"park_id": row.park_id, "park": row.park.name, "year": row.year,
                    "state": row.state, "state_name": lifecycle.state_name(row.state, t.lang),
                    "at": since, "since": t.datetime(since) if since else "",
                    "open": len(open_threads)})
    return sorted(out, key=lambda q: (str(q["at"]), str(q["park"])))


@router.get("/review/verify", response_class=HTMLResponse)
def verify_form(request: Request, session: ReadDb, who: ReadingViewer,
                result: Annotated[str, Query(max_length=64)] = "") -> Response:
    """The upload form; with `result`, the findings of the table uploaded just before (kept
    under that token, verified again here: reloading the page never posts the file again)."""
    _reviewer(who, "核查对照考核表 verify a printed table")
    if not result:
        return _verify_page(request, session)
    found = kept.kept(session, result)
    if found is None or found[0] != VERIFIED or found[1].get("who") != who.name:
        t = translator_of(request)
        return _verify_page(request, session, 404, t.gettext(
            "This result is no longer kept. Upload the table again."))
    fields = found[1]
    file = UploadFile(io.BytesIO(base64.b64decode(kept.one(fields, "content"))),
                      filename=kept.one(fields, "name"))
    return _verified(request, session, file, kept.one(fields, "chosen"))


def _verify_page(request: Request, session: Session, status: int = 200, error: str = "",
                 problems: list[object] | None = None, result: Verification | None = None,
                 filename: str = "", chosen: str = "") -> Response:
    years = [(p, y) for p in repository.list_parks(session) for y in p.years]
    return render(request, "verify.html", status=status, error=error, problems=problems or [],
                  result=result, filename=filename, park_years=years, chosen=chosen,
                  framework=load_framework(FRAMEWORK))


@router.post("/review/verify", response_class=HTMLResponse)
def verify_upload(request: Request, form: CheckedForm, session: ReadDb,
                  who: ReadingViewer) -> Response:
    """Verify the uploaded table; when it reads, keep it a while and show its findings by a
    redirect (post/redirect/get); a table that does not read is answered here (422)."""
    _reviewer(who, "核查对照考核表 verify a printed table")
    t = translator_of(request)
    file, chosen = upload(form), field(form, "park_year", 20)
    if file is None:
        return _verify_page(request, session, 422, t.gettext("Choose a file to upload."),
                            chosen=chosen)
    page = _verified(request, session, file, chosen)
    if page.status_code != 200:
        return page
    file.file.seek(0)
    content = base64.b64encode(file.file.read()).decode("ascii")
    with store_of(request).session(who.name) as writing:  # short: the file is read already
        token = kept.keep(writing, VERIFIED, {"who": who.name, "name": file.filename or "",
                                              "chosen": chosen, "content": content})
    return RedirectResponse(f"{VERIFIED}?result={token}", status_code=303)


def _verified(request: Request, session: Session, file: UploadFile, chosen: str) -> Response:
    """The verify page with the findings of `file`, or with why it could not be read (422)."""
    t = translator_of(request)
    try:
        dataset = _printed(file, _park_year(session, chosen), limits_of(settings_of(request)))
        result = verify(evaluate(load_framework(dataset.framework_id), dataset))
    except WorkbookProblems as exc:
        return _verify_page(request, session, 422, plain_text.message(exc, t.lang).splitlines()[0],
                            list(exc.problems), chosen=chosen)
    except EcoparkError as exc:
        return _verify_page(request, session, 422, plain_text.message(exc, t.lang), chosen=chosen)
    return _verify_page(request, session, result=result, filename=file.filename or "",
                        chosen=chosen)


def _park_year(session: Session, chosen: str) -> m.ParkYear | None:
    if not chosen.isdigit():
        return None
    return session.get(m.ParkYear, int(chosen))


def _printed(file: UploadFile, park_year: m.ParkYear | None, limits: Limits) -> Dataset:
    base, year = (park_year.base_year, park_year.year) if park_year else (None, None)
    if suffix(file) in sources.TABLE_SUFFIXES:
        return parse_upload(file, limits, printed, FRAMEWORK, base, year)
    spec = parse_upload(file, limits, dataset_spec)
    return build_dataset(spec, load_framework(spec.framework), file.filename or "upload")
