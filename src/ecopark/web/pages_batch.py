"""Batch jobs on the pages. Batch verification: a reviewer uploads several printed tables (or one zip of
them), the request only checks the upload's envelope (size, zip bombs: `ecopark.jobs.bundle`)
and queues a `verify.batch` job, then redirects to the job's page; once done, that page lists
the tables worst first (`job_tables.html`), each linked to its findings, and offers the list as
a workbook. The job's JSON result is the one record: nothing is read again.

Bulk import: an admin uploads dataset files (or one zip of them) at /admin/import → an
`import.bulk` job; its page lists each file's outcome (imported into which park-year, or why
not).

Only the reviewer or admin who asked sees the job (a job of no park)."""

from __future__ import annotations

import io
import json
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from openpyxl import Workbook  # type: ignore[import-untyped, unused-ignore]
from starlette.datastructures import UploadFile

from ecopark.core.errors import EcoparkError, NotFound
from ecopark.core.framework.loading import load_framework
from ecopark.core.verify import KIND_NAMES
from ecopark.jobs import JobQueue, bundle, import_bulk
from ecopark.jobs.verify_batch import FRAMEWORK, SUFFIXES, TIERS
from ecopark.store import models as m
from ecopark.store.permissions import Principal, deny
from ecopark.web import plain_text
from ecopark.web.deps import ReadDb
from ecopark.web.i18n import Translator
from ecopark.web.labels import VERDICTS
from ecopark.web.page_deps import CheckedForm, ReadingViewer
from ecopark.web.pages_jobs import JobId, readable_job
from ecopark.web.render import render, translator_of

__all__ = ["files_of", "names_of", "router", "tables_of"]

router = APIRouter(include_in_schema=False)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _reviewer(who: Principal) -> None:
    if who.role not in ("reviewer", "admin"):
        raise deny(who, "批量核查对照考核表 verify printed tables in a batch",
                   "审核工作台 the reviewer's workspace")


def names_of(files: list[tuple[str, bytes]]) -> str:
    """What the job page says was uploaded: the files' own names, shortened."""
    text = "、".join(name.replace("\\", "/").rsplit("/", 1)[-1] for name, _ in files)
    return text if len(text) <= 200 else text[:199] + "…"


def files_of(form: Any, name: str = "files") -> list[tuple[str, bytes]]:
    """The uploaded files of a multi-file field, as (own name, content)."""
    out = []
    for value in form.getlist(name):
        if isinstance(value, UploadFile) and value.filename:
            value.file.seek(0)
            out.append((value.filename, value.file.read()))
    return out


@router.get("/review/batch", response_class=HTMLResponse)
def batch_form(request: Request, session: ReadDb, who: ReadingViewer) -> Response:
    _reviewer(who)
    return render(request, "verify_batch.html", error="", max_members=bundle.MAX_MEMBERS)


@router.post("/review/batch", response_class=HTMLResponse)
def batch_upload(request: Request, form: CheckedForm, session: ReadDb,
                 who: ReadingViewer) -> Response:
    _reviewer(who)
    return _start(request, form, who, "verify.batch", SUFFIXES, "verify_batch.html")


@router.get("/admin/import", response_class=HTMLResponse)
def import_form(request: Request, session: ReadDb, who: ReadingViewer) -> Response:
    _admin(who)
    return render(request, "import_bulk.html", error="", max_members=bundle.MAX_MEMBERS)


@router.post("/admin/import", response_class=HTMLResponse)
def import_upload(request: Request, form: CheckedForm, session: ReadDb,
                  who: ReadingViewer) -> Response:
    _admin(who)
    return _start(request, form, who, "import.bulk", import_bulk.SUFFIXES, "import_bulk.html")


def _start(request: Request, form: Any, who: Principal, kind: str, suffixes: frozenset[str],
           template: str) -> Response:
    """The uploaded files (several, or one zip, checked for bombs) as a job of no park, and a
    redirect to its page; the form again with the problem (422) when there is nothing to do."""
    t = translator_of(request)
    files = files_of(form)
    error = t.gettext("Choose the files to upload.") if not files else ""
    try:
        packed = bundle.pack(files, suffixes) if files else b""
    except EcoparkError as exc:
        error = plain_text.message(exc, t.lang)
    if error:
        return render(request, template, status=422, error=error,
                      max_members=bundle.MAX_MEMBERS)
    queue: JobQueue = request.app.state.jobs
    row = queue.start(kind, None, None, t.lang, 0, who.name, packed, names_of(files))
    return RedirectResponse(f"/jobs/{row.id}", status_code=303)


def _admin(who: Principal) -> None:
    if not who.admin:
        raise deny(who, "批量导入 bulk import", "系统管理 administration")


def tables_of(row: m.JobRow) -> dict[str, Any]:
    """A done batch verification's result; 404 for any other job or one not done."""
    if row.kind != "verify.batch" or row.state != "done" or row.result is None:
        raise NotFound("批量核查结果 batch verification", row.id)
    result: dict[str, Any] = json.loads(row.result)
    return result


@router.get("/jobs/{job_id}/tables/{index}", response_class=HTMLResponse)
def table_page(request: Request, session: ReadDb, who: ReadingViewer, job_id: str = JobId,
               index: int = Path(ge=1, le=bundle.MAX_MEMBERS)) -> Response:
    row = readable_job(session, who, job_id)
    tables = tables_of(row)["tables"]
    if index > len(tables):
        raise NotFound("批量核查中的表 table of the batch", str(index))
    return render(request, "job_table.html", job=row, entry=tables[index - 1], index=index,
                  framework=load_framework(FRAMEWORK), kind_names=KIND_NAMES)


@router.get("/jobs/{job_id}/tables.xlsx")
def tables_workbook(request: Request, session: ReadDb, who: ReadingViewer,
                    job_id: str = JobId) -> Response:
    row = readable_job(session, who, job_id)
    content = _workbook(tables_of(row)["tables"], translator_of(request))
    return Response(content, media_type=XLSX, headers={
        "Content-Disposition": "attachment; filename=\"verify-batch.xlsx\"; "
                               f"filename*=UTF-8''{quote('批量核查结果.xlsx')}"})


_HEADINGS = {
    "zh": ("排名", "文件", "园区", "年份", "复算判定", "表中判定", "总体判定改变", "指标判定改变",
           "其他错误", "必选指标数值问题", "其他警告", "提示", "无法读取的原因"),
    "en": ("Rank", "File", "Park", "Year", "Recomputed verdict", "Printed verdict",
           "Overall verdict flips", "Indicator verdict flips", "Other errors",
           "Mandatory indicators' value problems", "Other warnings", "Notes",
           "Why it could not be read"),
}


def _workbook(tables: list[dict[str, Any]], t: Translator) -> bytes:
    english = t.lang == "en"
    book = Workbook()
    sheet = book.active
    sheet.title = "Batch verification" if english else "批量核查"
    sheet.append(list(_HEADINGS["en" if english else "zh"]))
    for rank, entry in enumerate(tables, start=1):
        verdicts = [t.gettext(VERDICTS[v]) if v else "" for v in
                    (entry["verdict"], entry["printed_verdict"])]
        sheet.append([rank, entry["file"], entry["park"], entry["year"], *verdicts,
                      *(entry["counts"][tier] for tier in TIERS),
                      entry["error_en" if english else "error"]])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
