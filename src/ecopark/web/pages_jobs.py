"""Background jobs on the pages. Reports: a POST from the park-year page asks for the report
(Word or PDF, in the page's language) and redirects to the job's page, which shows its state and
progress (refreshing itself with a meta refresh, no script) and offers the file when it is done.
The request only records and enqueues the job: it never builds the document itself. The same
job page serves the jobs of no park (a batch verification, a bulk import: `pages_batch`).

Who may see a job: whoever may read its park (the same rule as the park-year page); anyone
else gets the 403/404 that the park would give them."""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Literal
from urllib.parse import quote

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from ecopark.core.errors import NotFound
from ecopark.jobs import JobQueue, find
from ecopark.jobs.kinds import ENGLISH
from ecopark.jobs.verify_batch import TIERS
from ecopark.store import models as m
from ecopark.store import repository
from ecopark.store.permissions import Principal, can_read_own
from ecopark.web.deps import Id, ReadDb, Year
from ecopark.web.page_deps import CheckedForm, ReadingViewer, field, readable_park
from ecopark.web.render import render, translator_of

__all__ = ["MEDIA", "JobId", "readable_job", "router", "start_report"]

router = APIRouter(include_in_schema=False)

JobId = Path(pattern=r"^[0-9a-f]{32}$", description="后台任务编号 job id")
MEDIA = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
    ".json": "application/json",
}
REFRESH_SECONDS = 2


def start_report(request: Request, session: Session, who: Principal, park_id: int, year: int,
                 fmt: str, lang: str) -> m.JobRow:
    """Ask for the park-year's report (found or queued); the caller has read the park."""
    park = readable_park(session, who, park_id)
    _, version = repository.park_version(session, park, year)
    queue: JobQueue = request.app.state.jobs
    return queue.start(f"report.{fmt}", park.id, year, lang, version, who.name)


def readable_job(session: Session, who: Principal, ident: str) -> m.JobRow:
    """The job if `who` may read its park (or, for a job of no park, asked for it); otherwise
    the park's own 403/404."""
    row = find(session, ident)
    if row.park_id is None:
        if not can_read_own(who, row.requested_by):
            raise NotFound("后台任务 job", ident)
    else:
        readable_park(session, who, row.park_id)
    return row


@router.post("/parks/{park_id}/years/{year}/reports")
def ask_report(park_id: Id, year: Year, request: Request, form: CheckedForm, session: ReadDb,
               who: ReadingViewer) -> Response:
    fmt: Literal["docx", "pdf"] = "pdf" if field(form, "format") == "pdf" else "docx"
    row = start_report(request, session, who, park_id, year, fmt, translator_of(request).lang)
    return RedirectResponse(f"/jobs/{row.id}", status_code=303)


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, session: ReadDb, who: ReadingViewer,
             job_id: str = JobId) -> Response:
    """Any job: its state and progress; when done, what it made (a report's file, a batch
    verification's list, a bulk import's outcome per file)."""
    row = readable_job(session, who, job_id)
    park = session.get(m.Park, row.park_id) if row.park_id is not None else None
    percent = round(100 * row.steps_done / row.steps_total) if row.steps_total else 0
    done = json.loads(row.result) if row.state == "done" and row.result is not None \
        and row.result_name.endswith(".json") else None
    return render(request, "job.html", job=row, park=park, percent=percent,
                  refresh=REFRESH_SECONDS if row.state in ("queued", "running") else None,
                  format=row.kind.split(".")[-1], english=ENGLISH, outcome=done,
                  tiers=TIERS)


@router.get("/jobs/{job_id}/result")
def job_result(request: Request, session: ReadDb, who: ReadingViewer,
               job_id: str = JobId) -> Response:
    row = readable_job(session, who, job_id)
    return result_response(row)


def result_response(row: m.JobRow) -> Response:
    """The job's file as a download; 404 while it has none (not done, or failed)."""
    if row.state != "done" or row.result is None:
        raise NotFound("后台任务的结果 job result", row.id)
    suffix = PurePath(row.result_name).suffix.lower()
    stem = f"ecopark-{row.year}" if row.year is not None else f"ecopark-{row.kind}"
    return Response(row.result, media_type=MEDIA.get(suffix, "application/octet-stream"),
                    headers={"Content-Disposition":
                             f"attachment; filename=\"{stem}{suffix}\"; "
                             f"filename*=UTF-8''{quote(row.result_name)}"})
