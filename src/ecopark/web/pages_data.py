"""Data entry by the park's officers: the form of one category of a park-year (unit dropdowns,
each error next to its field, nothing saved while one is left; then the dashboard shows which
statuses changed), and a workbook or dataset upload previewed — exactly what will change —
before it is confirmed and stored."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from ecopark.core import quality
from ecopark.core.dataset.loading import build_dataset
from ecopark.core.dataset.schema import DatasetFile, Series
from ecopark.core.errors import (
    EcoparkError,
    ImplausibleValue,
    InvalidValue,
    NotFound,
    StaleWrite,
    WorkbookProblems,
)
from ecopark.core.evaluate import Evaluation, evaluate
from ecopark.core.framework.loading import load_framework
from ecopark.core.framework.model import Framework
from ecopark.store import models as m
from ecopark.store import repository
from ecopark.store.kept import keep, kept, one
from ecopark.store.permissions import Principal
from ecopark.web import plain_text
from ecopark.web.assessed import Assessed, assessed
from ecopark.web.deps import Db, Id, ReadDb, Year, settings_of
from ecopark.web.forms import Cell, category_rows, check, computed_texts, entry, form_changes
from ecopark.web.i18n import Translator
from ecopark.web.notices import changed_statuses, saved_redirect
from ecopark.web.page_deps import CheckedForm, ReadingViewer, Viewer, field, upload, writable_park
from ecopark.web.preview import EXPIRES, Ticket, make_preview, sign, signed
from ecopark.web.render import render, translator_of
from ecopark.web.uploads import Limits, dataset_spec, limits_of, parse_upload
from ecopark.web.versions import decode_versions, encode_versions

__all__ = ["router", "saved"]

router = APIRouter(include_in_schema=False)
Category = Annotated[str, Path(pattern=r"^[a-z_]{1,40}$")]


# --------------------------------------------------------------------------- category forms


def _category(framework: Framework, category: str) -> object:
    found = next((c for c in framework.spec.categories if c.id == category), None)
    if found is None:
        raise NotFound("指标类别 category", category)
    return found


@router.get("/parks/{park_id}/years/{year}/edit/{category}", response_class=HTMLResponse)
def edit_form(park_id: Id, year: Year, category: Category, request: Request, session: Db,
              who: Viewer) -> Response:
    park = writable_park(session, who, park_id, "修改数据 change data")
    item = assessed(request, session, park, year)
    cells = [(c.item, c.year) for row in category_rows(item.framework, item.spec, category,
                                                        year)[1] for c in row.cells]
    return _edit_page(request, park, year, category, item,
                      versions=encode_versions(repository.versions_of(session, park, cells)))


def _edit_page(request: Request, park: m.Park, year: int, category: str, item: Assessed,
               status: int = 200, problems: dict[str, str] | None = None,
               typed: dict[str, tuple[str, str]] | None = None, versions: str = "",
               confirm: bool = False) -> Response:
    framework = item.framework
    years, rows = category_rows(framework, item.spec, category, year)
    t = translator_of(request)
    notes = {f"v:{i}:{y}": t.pick(f.zh, f.en) for f in item.quality for i, y in f.cells}
    return render(request, "edit.html", status=status, park=park, year=year, versions=versions,
                  confirm=confirm, notes=notes,
                  category=_category(framework, category), categories=framework.spec.categories,
                  years=years, rows=rows, problems=problems or {}, typed=typed or {},
                  framework=framework, computed=computed_texts(item.evaluation.dataset, rows),
                  has_inventory=framework.spec.inventory is not None)


@router.post("/parks/{park_id}/years/{year}/edit/{category}", response_class=HTMLResponse)
def save_form(park_id: Id, year: Year, category: Category, request: Request, form: CheckedForm,
              session: Db, who: Viewer) -> Response:
    park = writable_park(session, who, park_id, "修改数据 change data")
    item = assessed(request, session, park, year)
    framework, t = item.framework, translator_of(request)
    _category(framework, category)
    changes = form_changes(form, category_rows(framework, item.spec, category, year)[1])
    read = field(form, "versions", 200_000)
    problems = check(framework, item.spec, changes, t)
    typed = {name: (text, unit) for name, (_, text, unit) in changes.items()}
    if problems:
        return _edit_page(request, park, year, category, item, 422, dict(problems), typed,
                          versions=read)
    reason = field(form, "reason", 2000)
    implausible = _implausible(framework, item, changes, year, reason, t)
    if implausible:
        return _edit_page(request, park, year, category, item, 422, implausible, typed,
                          versions=read, confirm=True)
    based = decode_versions(read)
    yours = {(cell.item, cell.year): f"{text} {unit}".strip()
             for cell, text, unit in changes.values()}
    stale = repository.stale_cells(session, park, yours, based, framework.id)
    park_year = repository.get_park_year(session, park, year)
    try:
        with session.begin_nested():  # one stale value: none of the form's values is written
            if stale:
                raise StaleWrite(park.name, stale)
            for cell, text, unit in changes.values():
                repository.set_observation(
                    session, park_year, cell.item, cell.year,
                    entry(text, unit, framework.spec.items[cell.item]), via="form",
                    expected=based.get((cell.item, cell.year), 0), reason=reason)
    except StaleWrite as exc:
        return _form_conflict(request, session, park, framework, exc, form, changes, yours)
    return saved(request, who, park_year, item.evaluation if changes else None)


def _implausible(framework: Framework, item: Assessed, changes: dict[str, tuple[Cell, str, str]],
                 year: int, reason: str, t: Translator) -> dict[str, str]:
    """field → why its value looks implausible and the likely fix, for the changed values the
    data-quality rules stop (none once a reason is given: it is kept in their history)."""
    if not changes or reason:
        return {}
    spec = item.spec.model_copy(deep=True)
    for cell, text, unit in changes.values():
        series = spec.observations.setdefault(cell.item, Series(values={}))
        series.values[cell.year] = entry(text, unit, framework.spec.items[cell.item])
    dataset = build_dataset(spec, framework, "form")
    found = quality.screen(framework, dataset, [(c.item, c.year) for c, _, _ in changes.values()],
                           year=year)
    out: dict[str, str] = {}
    for finding in (f for f in found if f.blocking):
        text = t.pick(finding.zh, finding.en)
        fix = t.pick(finding.fix_zh, finding.fix_en)
        for cell_item, cell_year in finding.cells:
            name = f"v:{cell_item}:{cell_year}"
            if name in changes:
                out[name] = f"{text} {t.gettext('Likely fix: %(fix)s', fix=fix)}" if fix else text
    return out


def _form_conflict(request: Request, session: Session, park: m.Park, framework: Framework,
                   exc: StaleWrite, form: FormData, changes: dict[str, tuple[Cell, str, str]],
                   yours: dict[tuple[str, int], str]) -> Response:
    """The form's values someone changed since it was opened; re-applying posts the same
    values again, based on the versions shown now."""
    stale = exc.stale or repository.stale_cells(session, park, yours, {}, framework.id)
    hidden = [(name, str(form.get(name, ""))) for name in changes]
    hidden += [(cell.unit_field, unit) for cell, _, unit in changes.values()]
    now = repository.versions_of(session, park, list(yours))
    hidden.append(("versions", encode_versions(now)))
    return render(request, "conflict.html", status=409, park=park, stale=stale, hidden=hidden,
                  filename="", framework=framework, action=str(request.url.path),
                  back=str(request.url.path))


def saved(request: Request, who: Principal, park_year: m.ParkYear,
          before: Evaluation | None) -> Response:
    """To the dashboard, with the signed notice of the statuses the save changed (`before`
    None: nothing was written, so nothing changed)."""
    after = None if before is None else evaluate(*repository.dataset_of(park_year),
                                                 park_year.year)
    changes = "none" if after is None else changed_statuses(before, after)
    return saved_redirect(settings_of(request).secret(), who.user_id, park_year.park_id,
                          park_year.year, changes)


# --------------------------------------------------------------------------- uploads


@router.get("/parks/{park_id}/upload", response_class=HTMLResponse)
def upload_form(park_id: Id, request: Request, session: Db, who: Viewer) -> Response:
    park = writable_park(session, who, park_id, "导入数据 import data")
    return render(request, "upload.html", park=park, problems=[], error="")


@router.post("/parks/{park_id}/upload", response_class=HTMLResponse)
def upload_preview(park_id: Id, request: Request, form: CheckedForm, session: Db,
                   who: Viewer) -> Response:
    """Read the upload; its preview is kept server-side and shown by a GET (post/redirect/
    get: back and reload never post the file again)."""
    park = writable_park(session, who, park_id, "导入数据 import data")
    t = translator_of(request)
    file = upload(form)
    if file is None:
        return render(request, "upload.html", status=422, park=park, problems=[],
                      error=t.gettext("Choose a file to upload."))
    try:
        spec, _framework = _read(file, limits_of(settings_of(request)))
    except WorkbookProblems as exc:
        return render(request, "upload.html", status=422, park=park, problems=exc.problems,
                      error=plain_text.message(exc, t.lang).splitlines()[0])
    except EcoparkError as exc:
        return render(request, "upload.html", status=422, park=park, problems=[],
                      error=plain_text.message(exc, t.lang))
    token = keep(session, _preview_key(park.id, who.user_id), {
        "payload": spec.model_dump_json(exclude_none=True), "filename": file.filename or ""})
    return RedirectResponse(f"/parks/{park.id}/upload/preview?preview={token}", status_code=303)


def _preview_key(park_id: int, user_id: int) -> str:
    return f"/parks/{park_id}/upload/preview/{user_id}"


@router.get("/parks/{park_id}/upload/preview", response_class=HTMLResponse)
def upload_preview_page(park_id: Id, request: Request, session: ReadDb, who: ReadingViewer,
                        preview: Annotated[str, Query(max_length=64)] = "") -> Response:
    """The preview of the upload kept under `preview` (by this user, for this park)."""
    park = writable_park(session, who, park_id, "导入数据 import data")
    found = kept(session, preview)
    if found is None or found[0] != _preview_key(park.id, who.user_id):
        t = translator_of(request)
        return render(request, "upload.html", status=404, park=park, problems=[],
                      error=t.gettext("This preview is no longer available; upload the file "
                                      "again."))
    spec = DatasetFile.model_validate_json(one(found[1], "payload"))
    return _preview_page(request, session, park, who.user_id, spec,
                         load_framework(spec.framework), one(found[1], "filename"))


def _read(file: UploadFile, limits: Limits) -> tuple[DatasetFile, Framework]:
    spec = parse_upload(file, limits, dataset_spec)
    return spec, load_framework(spec.framework)


def _stored(session: Session, park: m.Park, year: int) -> DatasetFile | None:
    try:
        return repository.read_spec(repository.get_park_year(session, park, year))
    except NotFound:
        return None


def _preview_page(request: Request, session: Session, park: m.Park, user_id: int,
                  spec: DatasetFile, framework: Framework, filename: str,
                  error: str = "") -> Response:
    from ecopark.core.dataset.loading import build_dataset
    from ecopark.core.evaluate import resolve_year

    year = resolve_year(build_dataset(spec, framework, filename), None)
    preview = make_preview(framework, _stored(session, park, year),
                           repository.record(session, park, year), spec)
    payload = spec.model_dump_json(exclude_none=True)
    ticket = Ticket.now(repository.versions_of(session, park, _cells(spec))).text()
    signature = sign(settings_of(request).secret(), user_id, park.id, ticket, payload)
    return render(request, "preview.html", status=422 if error else 200, park=park,
                  preview=preview, payload=payload, ticket=ticket, signature=signature,
                  filename=filename[:200], framework=framework, error=error)


def _cells(spec: DatasetFile) -> list[tuple[str, int]]:
    return [(item, year) for item, series in spec.observations.items() for year in series.values]


@router.post("/parks/{park_id}/upload/confirm")
def upload_confirm(park_id: Id, request: Request, form: CheckedForm, session: Db,
                   who: Viewer) -> Response:
    park = writable_park(session, who, park_id, "导入数据 import data")
    payload, signature = field(form, "payload", 16 * 1024 * 1024), field(form, "signature")
    ticket_text, filename = field(form, "ticket", 4 * 1024 * 1024), field(form, "filename", 200)
    secret = settings_of(request).secret()
    if not signed(secret, who.user_id, park.id, ticket_text, payload, signature):
        raise InvalidValue("payload", "预览已失效，请重新上传 the preview is no longer valid; "
                           "upload the file again")
    ticket = Ticket.read(ticket_text)
    if ticket.expired():
        raise InvalidValue("payload", f"预览已超过 {EXPIRES // 60} 分钟，请重新上传 the preview is "
                           f"older than {EXPIRES // 60} minutes; upload the file again")
    spec = DatasetFile.model_validate(json.loads(payload))
    framework = load_framework(spec.framework)
    before = _stored(session, park, spec.year) if spec.year else None
    try:
        with session.begin_nested():  # a stale value undoes the whole import, nothing else
            stored = repository.save_dataset(session, spec, framework, park=park.name,
                                             source_file=filename, replace=True, via="import",
                                             expected=ticket.versions,
                                             reason=field(form, "reason", 2000))
    except StaleWrite as exc:
        return _conflict_page(request, session, park, who.user_id, exc, payload, filename, spec)
    except ImplausibleValue:
        error = translator_of(request).gettext(
            "Nothing was stored: say why the implausible values are right, or correct the file.")
        return _preview_page(request, session, park, who.user_id, spec, framework, filename,
                             error)
    old = None if before is None else evaluate(framework, build_dataset(before, framework, ""),
                                               stored.year)
    return saved(request, who, stored, old)


def _conflict_page(request: Request, session: Session, park: m.Park, user_id: int,
                   exc: StaleWrite, payload: str, filename: str, spec: DatasetFile) -> Response:
    """The values someone changed since the preview: yours, the current one, who and when;
    re-applying is a new confirmation based on the current versions."""
    ticket = Ticket.now(repository.versions_of(session, park, _cells(spec))).text()
    signature = sign(settings_of(request).secret(), user_id, park.id, ticket, payload)
    hidden = [("payload", payload), ("ticket", ticket), ("signature", signature),
              ("filename", filename)]
    return render(request, "conflict.html", status=409, park=park, stale=exc.stale,
                  hidden=hidden, filename=filename, framework=load_framework(spec.framework),
                  action=f"/parks/{park.id}/upload/confirm", back=f"/parks/{park.id}")
