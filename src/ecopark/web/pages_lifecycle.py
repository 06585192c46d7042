"""The review page of a park-year (审核与发布): its state and the moves the viewer may make
(submit, withdraw, take for review, return with a comment, approve, publish, reopen with a
reason) as POST forms; the history of moves; the approved editions with their documents (the
same bytes at every download; the report as a job); the reviewers' comments per indicator, threaded, open or
resolved; the printed table uploaded for verification and its findings (.xlsx/.docx)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from ecopark.core.errors import InvalidValue, NotFound
from ecopark.core.results import Status
from ecopark.jobs import JobQueue
from ecopark.reports.findings import findings_rows, write_findings
from ecopark.store import lifecycle, repository, review_comments, transitions
from ecopark.store import models as m
from ecopark.store.permissions import Principal, can_upload_reported, can_write_park, deny
from ecopark.web.assessed import Assessed, assessed
from ecopark.web.deps import Db, Id, ReadDb, Year, settings_of
from ecopark.web.editions import FINAL, edition, table_file
from ecopark.web.i18n import Translator
from ecopark.web.page_deps import CheckedForm, ReadingViewer, Viewer, field, readable_park, upload
from ecopark.web.render import render, translator_of
from ecopark.web.uploads import limits_of, parse_upload
from ecopark.web.uploads import reported as read_reported

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
Edition = Annotated[int, PathParam(ge=1, le=9999)]
_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
          "yaml": "application/yaml; charset=utf-8"}


def _page(park_id: int, year: int) -> str:
    return f"/parks/{park_id}/years/{year}/review"


def _park_year(session: Session, who: Principal, park_id: int, year: int) -> m.ParkYear:
    park = readable_park(session, who, park_id)
    if who.role == "enterprise":
        raise deny(who, "查看审核 open the review", f"park {park_id}")
    return repository.get_park_year(session, park, year)


def _cautions(item: Assessed, threads: list[m.ReviewComment], actions: list[lifecycle.Step],
              t: Translator) -> list[str]:
    """What to know before submitting, approving or publishing the year: indicators that cannot
    be judged, and review comments still open (the move is allowed; the person decides)."""
    if not any(step.action in ("submit", "approve", "publish") for step in actions):
        return []
    counts = item.counts()
    undetermined = counts[Status.MISSING.value] + counts[Status.NOT_EVALUABLE.value]
    still_open = sum(1 for thread in threads if not thread.resolved)
    out = []
    if undetermined:
        out.append(t.gettext("Indicators that cannot be judged (data missing): %(number)s.",
                             number=undetermined))
    if still_open:
        out.append(t.gettext("Review comments still open: %(number)s.", number=still_open))
    return out


@router.get("/parks/{park_id}/years/{year}/review", response_class=HTMLResponse)
def review_page(park_id: Id, year: Year, request: Request, session: Db,
                who: Viewer) -> Response:
    """The state, the moves, the history, the editions, the comments and the findings."""
    park_year = _park_year(session, who, park_id, year)
    park = park_year.park
    item = assessed(request, session, park, year)
    actions = lifecycle.actions_for(park_year.state, who.role)
    threads = review_comments.threads(session, park.id, year)
    return render(request, "lifecycle.html", park=park, year=year, park_year=park_year,
                  item=item, actions=actions, steps=transitions.steps(session, park.id, year),
                  editions=transitions.snapshots(session, park.id, year), threads=threads,
                  cautions=_cautions(item, threads, actions, translator_of(request)),
                  states=_names(translator_of(request).lang), draft=park_year.state not in FINAL,
                  can_open=who.role in ("reviewer", "admin"),
                  can_reply=who.role in ("reviewer", "admin") or can_write_park(who, park.id),
                  can_upload=can_upload_reported(who, park.id),
                  findings=findings_rows(item.verification, translator_of(request).lang)
                  if _printed(item) else [])


def _names(lang: str) -> dict[str, str]:
    return {s: lifecycle.state_name(s, lang) for s in lifecycle.STATES} | {
        f"do:{a}": lifecycle.action_name(a, lang) for a in lifecycle.ACTIONS}


def _printed(item: Assessed) -> bool:
    return item.evaluation.dataset.reported is not None


@router.post("/parks/{park_id}/years/{year}/transitions")
def move(park_id: Id, year: Year, form: CheckedForm, session: Db, who: Viewer) -> Response:
    park_year = _park_year(session, who, park_id, year)
    version = field(form, "version", 12)
    transitions.transition(session, park_year, field(form, "action", 20), who,
                           comment=field(form, "comment", 4000),
                           version=int(version) if version.isdigit() else None)
    return RedirectResponse(_page(park_id, year) + "?moved=1", status_code=303)


@router.post("/parks/{park_id}/years/{year}/comments")
def comment(park_id: Id, year: Year, form: CheckedForm, session: Db, who: Viewer) -> Response:
    park_year = _park_year(session, who, park_id, year)
    parent_id, number = field(form, "parent", 12), field(form, "indicator", 4)
    parent = review_comments.find(session, park_id, year, int(parent_id)) \
        if parent_id.isdigit() else None
    review_comments.write(session, park_year, who, field(form, "text", 4000),
                          indicator=int(number) if number.isdigit() else None, parent=parent)
    return RedirectResponse(_page(park_id, year) + "#comments", status_code=303)


@router.post("/parks/{park_id}/years/{year}/comments/{comment_id}/resolve")
def resolve(park_id: Id, year: Year, comment_id: Id, form: CheckedForm, session: Db,
            who: Viewer) -> Response:
    _park_year(session, who, park_id, year)
    found = review_comments.find(session, park_id, year, comment_id)
    review_comments.resolve(session, found, who, field(form, "resolved", 3) != "no")
    return RedirectResponse(_page(park_id, year) + "#comments", status_code=303)


@router.post("/parks/{park_id}/years/{year}/printed")
def printed_table(park_id: Id, year: Year, request: Request, form: CheckedForm, session: Db,
                  who: Viewer) -> Response:
    park_year = _park_year(session, who, park_id, year)
    if not can_upload_reported(who, park_id):
        raise deny(who, "上传对照考核表 upload a printed table", f"park {park_id}")
    file = upload(form)
    if file is None:
        raise InvalidValue("file", "请选择要上传的对照考核表 choose the printed table to upload")
    table = parse_upload(file, limits_of(settings_of(request)), read_reported,
                         park_year.framework_key)
    repository.replace_reported(session, park_year, table)
    return RedirectResponse(_page(park_id, year) + "#findings", status_code=303)


@router.get("/parks/{park_id}/years/{year}/findings.{kind}")
def findings(park_id: Id, year: Year, kind: Literal["xlsx", "docx"], request: Request,
             session: Db, who: Viewer) -> Response:
    park_year = _park_year(session, who, park_id, year)
    item = assessed(request, session, park_year.park, year)
    if not _printed(item):
        raise NotFound("对照考核表 printed table", f"{park_year.park.name} {year}")
    title = f"{park_year.park.name} {year} 年度对照考核表核查结果"
    with tempfile.TemporaryDirectory(prefix="ecopark-findings-") as folder:
        path = Path(folder) / f"findings.{kind}"
        write_findings(title, findings_rows(item.verification), path)
        return _attachment(path.read_bytes(), kind, f"{park_year.park.name}-{year}-核查结果")


@router.get("/parks/{park_id}/years/{year}/editions/{number}/table.{kind}")
def edition_table(park_id: Id, year: Year, number: Edition, kind: Literal["xlsx", "docx"],
                  request: Request, session: Db, who: Viewer) -> Response:
    park_year = _park_year(session, who, park_id, year)
    kept = transitions.snapshot(session, park_id, year, number)
    if kept is None:
        raise NotFound("已通过的版本 approved edition", f"{park_year.park.name} {year} {number}")
    data = table_file(edition(request, kept), f".{kind}", translator_of(request).lang,
                      kept.approved_at)
    return _attachment(data, kind, f"{park_year.park.name}-{year}-v{number}-对照考核表")


@router.post("/parks/{park_id}/years/{year}/editions/{number}/report")
def edition_report(park_id: Id, year: Year, number: Edition, request: Request,
                   form: CheckedForm, session: ReadDb, who: ReadingViewer) -> Response:
    """Ask for the approved edition's report (Word or PDF) as a job, then its page (a read
    session: the job's row is written in the queue's own)."""
    park_year = _park_year(session, who, park_id, year)
    if transitions.snapshot(session, park_id, year, number) is None:
        raise NotFound("已通过的版本 approved edition", f"{park_year.park.name} {year} {number}")
    fmt = "pdf" if field(form, "format") == "pdf" else "docx"
    queue: JobQueue = request.app.state.jobs
    row = queue.start(f"edition.report.{fmt}", park_id, year, translator_of(request).lang,
                      number, who.name)
    return RedirectResponse(f"/jobs/{row.id}", status_code=303)


@router.get("/parks/{park_id}/years/{year}/editions/{number}/dataset.yaml")
def edition_dataset(park_id: Id, year: Year, number: Edition, session: Db,
                    who: Viewer) -> Response:
    """The approved edition's data as kept (the dataset export at approval)."""
    park_year = _park_year(session, who, park_id, year)
    kept = transitions.snapshot(session, park_id, year, number)
    if kept is None:
        raise NotFound("已通过的版本 approved edition", f"{park_year.park.name} {year} {number}")
    return _attachment(kept.dataset_yaml.encode("utf-8"), "yaml",
                       f"{park_year.park.name}-{year}-v{number}-数据集")


def _attachment(data: bytes, kind: str, name: str) -> Response:
    return Response(data, media_type=_TYPES[kind], headers={
        "Content-Disposition": f"attachment; filename=\"ecopark.{kind}\"; "
                               f"filename*=UTF-8''{quote(name)}.{kind}"})
