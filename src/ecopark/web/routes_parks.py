"""Parks and their years: datasets in and out, observations, evaluation and verification (the
core's JSON contract), the printed table (verification uploads), and a park's audit trail."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response, UploadFile
from fastapi.responses import JSONResponse
from pydantic import (
    Discriminator,
    Tag,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, selectinload

from ecopark.core.contract import assessment_json, verification_json
from ecopark.core.dataset.schema import DatasetFile, Reported
from ecopark.core.errors import Conflict
from ecopark.core.evaluate import evaluate
from ecopark.core.framework.loading import load_framework
from ecopark.core.verify import verify
from ecopark.store import models as m
from ecopark.store import repository, years
from ecopark.store.permissions import (
    Principal,
    can_read_park,
    can_upload_reported,
    can_write_park,
    deny,
    hide,
    require_admin,
)
from ecopark.web.assessed import Assessed, assessed
from ecopark.web.cache import ReplyCache
from ecopark.web.deps import (
    Db,
    Id,
    Limit,
    Offset,
    ReadDb,
    ReadingWho,
    Replace,
    Who,
    Year,
    settings_of,
)
from ecopark.web.paging import DEFAULT_LIMIT, PageLimit, PageOffset, page
from ecopark.web.schemas import (
    AuditOut,
    ObservationOut,
    ParkIn,
    ParkOut,
    ParkYearOut,
    YearIn,
)
from ecopark.web.uploads import dataset_spec, limits_of, parse_upload, upload_name
from ecopark.web.uploads import reported as read_reported

__all__ = ["router", "visible_park", "writable_park"]

router = APIRouter(tags=["parks 园区"])

Reason = Annotated[str, Query(max_length=2000, description="数值不合理但确实无误时的理由（记入修改"
                              "历史）why implausible values are right (kept in their history)")]


def visible_park(session: Session, who: Principal, park_id: int) -> m.Park:
    """The park, if `who` may read it; otherwise NotFound (never revealing that it exists)."""
    park = session.get(m.Park, park_id)
    if park is None or not can_read_park(who, park.id):
        raise hide("园区 park", park_id)
    return park


def writable_park(session: Session, who: Principal, park_id: int, action: str) -> m.Park:
    park = visible_park(session, who, park_id)
    if not can_write_park(who, park.id):
        raise deny(who, action, f"park {park.id}")
    return park


def _park_year(session: Session, who: Principal, park_id: int, year: int) -> m.ParkYear:
    return repository.get_park_year(session, visible_park(session, who, park_id), year)


# --------------------------------------------------------------------------- parks


@router.get("/parks", summary="园区列表 parks the caller may read (paged: X-Total-Count, Link)")
def list_parks(request: Request, response: Response, session: Db, who: Who,
               limit: PageLimit = DEFAULT_LIMIT, offset: PageOffset = 0) -> list[ParkOut]:
    # columns, not ORM objects: a page of 100 parks has ~1,000 years, and loading them as
    # objects cost more than every query of the list on the national data set
    query = select(m.Park.id, m.Park.name, m.Park.province).order_by(
        m.Park.name, m.Park.id)
    if who.role not in ("admin", "reviewer"):  # an officer: the own park; anyone else: none
        query = query.where(m.Park.id == (who.park_id if who.role == "park_officer" else None))
    rows = page(session, query, request, response, limit, offset, whole_rows=True)
    years: dict[int, list[int]] = {row.id: [] for row in rows}
    for park_id, year in session.execute(select(m.ParkYear.park_id, m.ParkYear.year).where(
            m.ParkYear.park_id.in_(years)).order_by(m.ParkYear.year)):
        years[park_id].append(year)
    return [ParkOut(id=r.id, name=r.name, province=r.province, years=years[r.id]) for r in rows]


@router.post("/parks", status_code=201, summary="新建园区 create a park (admin)")
def create_park(body: ParkIn, session: Db, who: Who) -> ParkOut:
    require_admin(who, "新建园区 create a park")
    if session.scalars(select(m.Park.id).where(m.Park.name == body.name)).first() is not None:
        raise Conflict(problem="已存在 exists already", kind="园区 park", key=body.name)
    park = m.Park(name=body.name, province=body.province)
    session.add(park)
    session.flush()
    return ParkOut(id=park.id, name=park.name, province=park.province, years=[])


@router.get("/parks/{park_id}", summary="园区 one park")
def get_park(park_id: Id, session: Db, who: Who) -> ParkOut:
    return ParkOut.of(visible_park(session, who, park_id))


@router.get("/parks/{park_id}/audit", summary="园区的修改记录 the park's audit trail")
def park_audit(park_id: Id, session: Db, who: Who, limit: Limit = 100,
               offset: Offset = 0) -> list[AuditOut]:
    park = visible_park(session, who, park_id)
    rows = session.scalars(select(m.AuditEntry).where(m.AuditEntry.park_id == park.id)
                           .order_by(m.AuditEntry.id.desc()).limit(limit).offset(offset))
    return [AuditOut.of(row) for row in rows]


# --------------------------------------------------------------------------- park-years


@router.get("/parks/{park_id}/years", summary="园区的年度数据 the park's park-years (paged)")
def list_years(park_id: Id, request: Request, response: Response, session: Db, who: Who,
               limit: PageLimit = DEFAULT_LIMIT, offset: PageOffset = 0) -> list[ParkYearOut]:
    park = visible_park(session, who, park_id)
    query = select(m.ParkYear).where(m.ParkYear.park_id == park.id).order_by(m.ParkYear.year) \
        .options(selectinload(m.ParkYear.framework_version)
                 .selectinload(m.FrameworkVersion.framework),
                 selectinload(m.ParkYear.reported))
    rows = page(session, query, request, response, limit, offset)
    counts = _observation_counts(session, [row.id for row in rows])
    return [ParkYearOut.of(row, counts.get(row.id, 0)) for row in rows]


def _observation_counts(session: Session, ids: list[int]) -> dict[int, int]:
    """Each park-year's observations (its park's values up to its year), in one query."""
    if not ids:
        return {}
    joined = and_(m.ObservationRow.park_id == m.ParkYear.park_id,
                  m.ObservationRow.year <= m.ParkYear.year)
    rows = session.execute(select(m.ParkYear.id, func.count(m.ObservationRow.id))
                           .join(m.ObservationRow, joined).where(m.ParkYear.id.in_(ids))
                           .group_by(m.ParkYear.id))
    return {ident: count for ident, count in rows}


def _body_kind(body: Any) -> str:
    """A dataset file has `format` and `park`; a new year has neither."""
    keys = set(body) if isinstance(body, dict) else set(dir(body))
    return "dataset" if keys & {"format", "park", "observations"} else "year"


def _untagged(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """Errors name the field as for a plain body (`body.park.base_year`), not the union's tag."""
    try:
        return handler(value)
    except ValidationError as exc:
        errors = [{**e, "loc": e["loc"][1:]} for e in exc.errors()]
        raise ValidationError.from_exception_data(exc.title, errors) from None  # type: ignore[arg-type]


YearBody = Annotated[Annotated[YearIn, Tag("year")] | Annotated[DatasetFile, Tag("dataset")],
                     Discriminator(_body_kind), WrapValidator(_untagged)]


@router.post("/parks/{park_id}/years", status_code=201,
             summary="新建评价年度，或存入一个年度数据集 start an evaluation year ({year, "
             "base_year?, selected?, profile?}: carried over from the previous year), or store "
             "a dataset (JSON) as a park-year")
def store_dataset(park_id: Id, body: YearBody, session: Db, who: Who,
                  replace: Replace = False, reason: Reason = "") -> ParkYearOut:
    park = writable_park(session, who, park_id, "存入数据 store data")
    if isinstance(body, YearIn):
        return ParkYearOut.of(years.start_year(session, park, body.year, body.base_year,
                                               selected=body.selected, profile=body.profile))
    framework = load_framework(body.framework)
    stored = repository.save_dataset(session, body, framework, park=park.name,
                                     source_file="api", replace=replace, via="api",
                                     reason=reason)
    return ParkYearOut.of(stored)


# An upload is parsed (in its capped child process) before the request takes its write turn,
# through a read transaction that checks the caller may write: a large file never holds up the
# park's other writers while it is read.


def _uploaded_dataset(park_id: Id, file: UploadFile, request: Request, session: ReadDb,
                      who: ReadingWho) -> DatasetFile:
    writable_park(session, who, park_id, "存入数据 store data")
    return parse_upload(file, limits_of(settings_of(request)), dataset_spec)


def _uploaded_table(park_id: Id, year: Year, file: UploadFile, request: Request,
                    session: ReadDb, who: ReadingWho) -> Reported:
    park_year = _reported_park_year(session, who, park_id, year)
    return parse_upload(file, limits_of(settings_of(request)), read_reported,
                        park_year.framework_key)


UploadedDataset = Annotated[DatasetFile, Depends(_uploaded_dataset)]
UploadedTable = Annotated[Reported, Depends(_uploaded_table)]


@router.post("/parks/{park_id}/years/upload", status_code=201,
             summary="上传数据文件 upload a dataset file (YAML/JSON, or a workbook)")
def upload_dataset(park_id: Id, file: UploadFile, spec: UploadedDataset, session: Db, who: Who,
                   replace: Replace = False, reason: Reason = "") -> ParkYearOut:
    park = writable_park(session, who, park_id, "存入数据 store data")
    stored = repository.save_dataset(session, spec, load_framework(spec.framework),
                                     park=park.name, source_file=upload_name(file),
                                     replace=replace, via="import", reason=reason)
    return ParkYearOut.of(stored)


@router.get("/parks/{park_id}/years/{year}", summary="一个年度数据 one park-year")
def get_year(park_id: Id, year: Year, session: Db, who: Who) -> ParkYearOut:
    return ParkYearOut.of(_park_year(session, who, park_id, year))


@router.delete("/parks/{park_id}/years/{year}", status_code=204,
               summary="删除年度数据 delete a park-year")
def delete_year(park_id: Id, year: Year, session: Db, who: Who) -> Response:
    writable_park(session, who, park_id, "删除数据 delete data")
    session.delete(_park_year(session, who, park_id, year))
    session.flush()
    return Response(status_code=204)


@router.get("/parks/{park_id}/years/{year}/dataset", response_model=DatasetFile,
            response_model_exclude_none=True,
            summary="导出数据集 the park-year as a dataset (the stored file, identical)")
def get_dataset(park_id: Id, year: Year, request: Request, session: Db, who: Who) -> Response:
    return _reply(request, session, who, park_id, year, "dataset")


@router.get("/parks/{park_id}/years/{year}/observations", summary="观测值 the observations")
def list_observations(park_id: Id, year: Year, session: Db, who: Who) -> list[ObservationOut]:
    park_year = _park_year(session, who, park_id, year)
    framework = load_framework(park_year.framework_key)
    return [_observation_out(row, framework.spec.items[row.item].unit)
            for row in park_year.observations]


def _observation_out(row: m.ObservationRow, canonical_unit: str) -> ObservationOut:
    return ObservationOut(item=row.item, year=row.year, value=row.value,
                          canonical_unit=canonical_unit, value_text=row.value_text,
                          unit=row.unit, source=row.source, note=row.note,
                          version=row.version, entered_by=row.entered_by,
                          entered_at=row.entered_at)


# --------------------------------------------------------------------------- results


def _contract(description: str) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI entry of a reply in the core's JSON contract (docs/json-contract.md)."""
    schema = {"type": "object", "additionalProperties": True,
              "required": ["contract", "framework", "park", "year", "verdict"]}
    return {200: {"description": description, "content": {"application/json": {"schema": schema}}}}


_ASSESSMENT = _contract("assessment_json: every indicator with value, status, trace; verdict")
_VERIFICATION = _contract("verification_json: findings (printed vs recomputed); verdicts")


def _reply(request: Request, session: Session, who: Principal, park_id: int, year: int,
           kind: str) -> Response:
    """An evaluation, verification or dataset, from the reply cache while the park's data are
    unchanged, encoded once."""
    park = visible_park(session, who, park_id)
    park_year_id, version = repository.park_version(session, park, year)

    def make() -> bytes:  # the pages' evaluation of this version, computed once for both
        return _json(_REPLIES[kind](assessed(request, session, park, year)))

    cache: ReplyCache[bytes] = request.app.state.replies
    return Response(cache.get_or_make((kind, park_year_id, version), make),
                    media_type="application/json")


def _json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


def _evaluation_of(view: Assessed) -> dict[str, Any]:
    return assessment_json(view.evaluation)


def _verification_of(view: Assessed) -> dict[str, Any]:
    return verification_json(view.verification)


def _dataset_of(view: Assessed) -> dict[str, Any]:
    return view.spec.model_dump(mode="json", exclude_none=True)


def _verification(park_year: m.ParkYear) -> dict[str, Any]:
    framework, dataset = repository.dataset_of(park_year)
    return verification_json(verify(evaluate(framework, dataset, park_year.year)))


_REPLIES: dict[str, Callable[[Assessed], dict[str, Any]]] = {
    "evaluation": _evaluation_of, "verification": _verification_of, "dataset": _dataset_of}


@router.get("/parks/{park_id}/years/{year}/evaluation", response_class=JSONResponse,
            responses=_ASSESSMENT,
            summary="评价结果 evaluation (JSON contract of `ecopark assess --json`)")
def get_evaluation(park_id: Id, year: Year, request: Request, session: Db,
                   who: Who) -> Response:
    return _reply(request, session, who, park_id, year, "evaluation")


@router.get("/parks/{park_id}/years/{year}/verification", response_class=JSONResponse,
            responses=_VERIFICATION,
            summary="核查结果 verification (JSON contract of `ecopark verify --json`)")
def get_verification(park_id: Id, year: Year, request: Request, session: Db,
                     who: Who) -> Response:
    return _reply(request, session, who, park_id, year, "verification")


def _reported_park_year(session: Session, who: Principal, park_id: int,
                        year: int) -> m.ParkYear:
    park = visible_park(session, who, park_id)
    if not can_upload_reported(who, park.id):
        raise deny(who, "上传对照考核表 upload a printed table", f"park {park.id}")
    return repository.get_park_year(session, park, year)


@router.put("/parks/{park_id}/years/{year}/reported", response_class=JSONResponse,
            responses=_VERIFICATION,
            summary="上传对照考核表（JSON）upload the printed table; returns the verification")
def put_reported(park_id: Id, year: Year, body: Reported, session: Db,
                 who: Who) -> JSONResponse:
    park_year = _reported_park_year(session, who, park_id, year)
    repository.replace_reported(session, park_year, body)
    return JSONResponse(_verification(park_year))


@router.post("/parks/{park_id}/years/{year}/reported/upload", response_class=JSONResponse,
             responses=_VERIFICATION,
             summary="上传对照考核表文件 upload the printed table as a file (YAML; .docx/.xlsx "
             "when the table reader is installed); returns the verification")
def upload_reported(park_id: Id, year: Year, reported: UploadedTable, session: Db,
                    who: Who) -> JSONResponse:
    park_year = _reported_park_year(session, who, park_id, year)
    repository.replace_reported(session, park_year, reported)
    return JSONResponse(_verification(park_year))


