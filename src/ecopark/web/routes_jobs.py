"""Background jobs in the API: ask for a park-year's report, a batch verification of printed
tables (reviewers) or a bulk import of dataset files (admins) — 202 with the job's address —
follow its state and progress, fetch its file (a batch's result is JSON). The request only
records and enqueues the job (and checks a zip's envelope: `ecopark.jobs.bundle`).

A job is visible to whoever may read its park (a job of no park: its requester and admins);
to anyone else it does not exist (404)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from fastapi import APIRouter, Path, Request, Response, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from ecopark.core.errors import NotFound
from ecopark.jobs import JobQueue, bundle, find, import_bulk, verify_batch
from ecopark.store import models as m
from ecopark.store import repository
from ecopark.store.permissions import Principal, can_read_own, deny
from ecopark.web.deps import Id, ReadDb, ReadingWho, Year
from ecopark.web.pages_batch import names_of
from ecopark.web.pages_jobs import result_response
from ecopark.web.routes_parks import visible_park

__all__ = ["JobOut", "ReportIn", "router"]

router = APIRouter(tags=["jobs 后台任务"])

JobPath = Path(pattern=r"^[0-9a-f]{32}$", description="后台任务编号 job id")


class ReportIn(BaseModel):
    format: Literal["docx", "pdf"] = Field("docx", description="文件格式 file format")
    lang: Literal["zh", "en"] = Field("zh", description="报告语言 language of the report")


class JobOut(BaseModel):
    id: str
    kind: str = Field(description="report.docx | report.pdf | verify.batch | import.bulk")
    park_id: int | None = Field(description="园区（不属于某一园区的任务为空） the park, or null")
    year: int | None
    lang: str
    state: Literal["queued", "running", "done", "failed"]
    steps_done: int
    steps_total: int
    label: str = Field(description="当前步骤 the current step, in Chinese")
    error: str = Field(description="失败原因 why it failed ('' unless failed)")
    result: str | None = Field(description="结果文件地址 where to fetch the file once done")
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def of(cls, row: m.JobRow) -> JobOut:
        return cls(id=row.id, kind=row.kind, park_id=row.park_id, year=row.year, lang=row.lang,
                   state=row.state,
                   steps_done=row.steps_done, steps_total=row.steps_total, label=row.label,
                   error=row.error, created_at=row.created_at, updated_at=row.updated_at,
                   result=f"/api/v1/jobs/{row.id}/result" if row.state == "done" else None)


def _job(session: Session, who: Principal, ident: str) -> m.JobRow:
    row = find(session, ident)
    if row.park_id is None:
        if not can_read_own(who, row.requested_by):
            raise NotFound("后台任务 job", ident)
    else:
        visible_park(session, who, row.park_id)
    return row


@router.post("/parks/{park_id}/years/{year}/reports", status_code=202, response_model=JobOut,
             summary="生成年度评价报告（后台任务） ask for the park-year's report as a job",
             responses={202: {"description": "已排队或已存在 queued, or the same request's "
                                             "job; Location: the job"}})
def ask_report(park_id: Id, year: Year, body: ReportIn, request: Request, session: ReadDb,
               who: ReadingWho) -> Response:
    park = visible_park(session, who, park_id)
    _, version = repository.park_version(session, park, year)
    queue: JobQueue = request.app.state.jobs
    row = queue.start(f"report.{body.format}", park.id, year, body.lang, version, who.name)
    return JSONResponse(JobOut.of(row).model_dump(mode="json"), status_code=202,
                        headers={"Location": f"/api/v1/jobs/{row.id}"})


@router.post("/verifications", status_code=202, response_model=JobOut,
             summary="批量核查对照考核表（后台任务） verify printed tables in a batch (reviewers)",
             responses={202: {"description": "结果（JSON）：按问题轻重排列的表 the result (JSON): "
                                             "the tables, worst first; Location: the job"}})
def ask_verification(files: list[UploadFile], request: Request, session: ReadDb,
                     who: ReadingWho, lang: Literal["zh", "en"] = "zh") -> Response:
    if who.role not in ("reviewer", "admin"):
        raise deny(who, "批量核查对照考核表 verify printed tables", "审核 review")
    return _batch(request, who, "verify.batch", verify_batch.SUFFIXES, files, lang)


@router.post("/imports", status_code=202, response_model=JobOut,
             summary="批量导入数据文件（后台任务） import dataset files in bulk (admins)",
             responses={202: {"description": "结果（JSON）：每个文件的导入结果 the result (JSON): "
                                             "each file's outcome; Location: the job"}})
def ask_import(files: list[UploadFile], request: Request, session: ReadDb, who: ReadingWho,
               lang: Literal["zh", "en"] = "zh") -> Response:
    if not who.admin:
        raise deny(who, "批量导入 bulk import", "系统管理 administration")
    return _batch(request, who, "import.bulk", import_bulk.SUFFIXES, files, lang)


def _batch(request: Request, who: Principal, kind: str, suffixes: frozenset[str],
           files: list[UploadFile], lang: str) -> Response:
    contents = []
    for file in files:
        file.file.seek(0)
        contents.append((file.filename or "upload", file.file.read()))
    packed = bundle.pack(contents, suffixes)
    queue: JobQueue = request.app.state.jobs
    row = queue.start(kind, None, None, lang, 0, who.name, packed, names_of(contents))
    return JSONResponse(JobOut.of(row).model_dump(mode="json"), status_code=202,
                        headers={"Location": f"/api/v1/jobs/{row.id}"})


@router.get("/jobs/{job_id}", summary="后台任务的状态和进度 a job's state and progress")
def get_job(session: ReadDb, who: ReadingWho, job_id: str = JobPath) -> JobOut:
    return JobOut.of(_job(session, who, job_id))


@router.get("/jobs/{job_id}/result", summary="后台任务的结果文件 a finished job's file",
            response_class=Response,
            responses={200: {"content": {"application/pdf": {}, "application/json": {},
                                         "application/vnd.openxmlformats-officedocument."
                                         "wordprocessingml.document": {}}}})
def get_result(session: ReadDb, who: ReadingWho, job_id: str = JobPath) -> Response:
    return result_response(_job(session, who, job_id))
