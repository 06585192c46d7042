"""Enterprises of a park and their yearly submissions: draft, submit, accept, reject."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ecopark.accounting import creditcode
from ecopark.core.errors import InvalidValue
from ecopark.store import models as m
from ecopark.store import submissions
from ecopark.store.permissions import (
    Principal,
    can_decide,
    can_read_enterprise,
    can_submit,
    can_write_park,
    deny,
    hide,
)
from ecopark.store.rollup_submissions import Choice, accept_and_roll_up
from ecopark.web.deps import Db, Id, Who, Year
from ecopark.web.paging import DEFAULT_LIMIT, PageLimit, PageOffset, page
from ecopark.web.routes_parks import visible_park
from ecopark.web.schemas import EnterpriseIn, EnterpriseOut, RejectIn, SubmissionIn, SubmissionOut

__all__ = ["router"]

router = APIRouter(tags=["enterprises 企业"])


def _enterprise(session: Session, who: Principal, enterprise_id: int) -> m.Enterprise:
    """The enterprise, if `who` may read it; otherwise NotFound."""
    found = session.get(m.Enterprise, enterprise_id)
    if found is None or not can_read_enterprise(who, found.park_id, found.id):
        raise hide("企业 enterprise", enterprise_id)
    return found


def _submission(session: Session, who: Principal, enterprise_id: int, year: int) -> m.Submission:
    return submissions.get_submission(session, _enterprise(session, who, enterprise_id), year)


@router.get("/parks/{park_id}/enterprises", summary="园区的企业 the park's enterprises (paged)")
def list_enterprises(park_id: Id, request: Request, response: Response, session: Db, who: Who,
                     limit: PageLimit = DEFAULT_LIMIT,
                     offset: PageOffset = 0) -> list[EnterpriseOut]:
    park = visible_park(session, who, park_id)
    query = select(m.Enterprise).where(m.Enterprise.park_id == park.id) \
        .order_by(m.Enterprise.name, m.Enterprise.id)
    return [EnterpriseOut.of(e) for e in page(session, query, request, response, limit, offset)]


@router.post("/parks/{park_id}/enterprises", status_code=201, summary="新增企业 add an enterprise")
def create_enterprise(park_id: Id, body: EnterpriseIn, session: Db, who: Who) -> EnterpriseOut:
    park = visible_park(session, who, park_id)
    if not can_write_park(who, park.id):
        raise deny(who, "新增企业 add an enterprise", f"park {park.id}")
    return EnterpriseOut.of(submissions.create_enterprise(session, park, body.name,
                                                          body.credit_code))


@router.get("/enterprises/{enterprise_id}", summary="企业 one enterprise")
def get_enterprise(enterprise_id: Id, session: Db, who: Who) -> EnterpriseOut:
    return EnterpriseOut.of(_enterprise(session, who, enterprise_id))


@router.get("/enterprises/{enterprise_id}/submissions",
            summary="企业的报送 its submissions (paged)")
def list_submissions(enterprise_id: Id, request: Request, response: Response, session: Db,
                     who: Who, limit: PageLimit = DEFAULT_LIMIT,
                     offset: PageOffset = 0) -> list[SubmissionOut]:
    enterprise = _enterprise(session, who, enterprise_id)
    query = select(m.Submission).where(m.Submission.enterprise_id == enterprise.id) \
        .order_by(m.Submission.year).options(selectinload(m.Submission.values))
    return [SubmissionOut.of(s) for s in page(session, query, request, response, limit, offset)]


@router.get("/enterprises/{enterprise_id}/submissions/{year}", summary="一年的报送 one year's")
def get_submission(enterprise_id: Id, year: Year, session: Db, who: Who) -> SubmissionOut:
    return SubmissionOut.of(_submission(session, who, enterprise_id, year))


@router.put("/enterprises/{enterprise_id}/submissions/{year}",
            summary="保存草稿 save the year's draft (values checked by the core)")
def put_draft(enterprise_id: Id, year: Year, body: SubmissionIn, session: Db,
              who: Who) -> SubmissionOut:
    enterprise = _enterprise(session, who, enterprise_id)
    if not can_submit(who, enterprise.id):
        raise deny(who, "填报 edit a submission", f"enterprise {enterprise.id}")
    values = [submissions.SubmittedValue(v.item, v.value, v.unit, v.note) for v in body.values]
    return SubmissionOut.of(submissions.save_draft(session, enterprise, year, values,
                                                   body.framework))


@router.post("/enterprises/{enterprise_id}/submissions/{year}/submit", summary="提交 submit")
def submit(enterprise_id: Id, year: Year, session: Db, who: Who) -> SubmissionOut:
    sub = _submission(session, who, enterprise_id, year)
    if not can_submit(who, sub.enterprise_id):
        raise deny(who, "提交 submit", f"enterprise {sub.enterprise_id}")
    submissions.submit(session, sub)
    return SubmissionOut.of(sub)


@router.post("/enterprises/{enterprise_id}/submissions/{year}/withdraw",
             summary="撤回（审核前）withdraw, before the park reviews it")
def withdraw(enterprise_id: Id, year: Year, session: Db, who: Who) -> SubmissionOut:
    sub = _submission(session, who, enterprise_id, year)
    if not can_submit(who, sub.enterprise_id):
        raise deny(who, "撤回 withdraw", f"enterprise {sub.enterprise_id}")
    submissions.withdraw(session, sub)
    return SubmissionOut.of(sub)


Overwrite = Annotated[bool, Query(description="以企业报送合计替换园区填报的数值 replace the "
                                               "park-stated values with the enterprises' sum")]
Confirm = Annotated[bool, Query(description="确认以未覆盖全部企业的合计替换 confirm replacing with "
                                            "fewer than every enterprise (else 409 with the "
                                            "coverage in the error fields)")]
Keep = Annotated[list[str] | None, Query(description="统一社会信用代码重复时保留的报送 CODE=SUBMISSION_ID, "
                                                     "repeatable: the submission that stands")]


@router.post("/enterprises/{enterprise_id}/submissions/{year}/accept",
             summary="接受并汇总 accept and roll up")
def accept(enterprise_id: Id, year: Year, session: Db, who: Who, overwrite: Overwrite = False,
           confirm: Confirm = False, keep: Keep = None) -> SubmissionOut:
    """Accept the submission and roll the year's accepted submissions up into the park's
    items. A credit code shared by two submissions of the year is a 409 until `keep` names the
    one that stands (the other is returned); replacing park-stated values (`overwrite`) with
    fewer than every enterprise of the park is a 409 `PartialCoverage` until `confirm`."""
    sub = _submission(session, who, enterprise_id, year)
    if not can_decide(who, sub.enterprise.park_id):
        raise deny(who, "接受报送 accept a submission", f"enterprise {sub.enterprise_id}")
    accept_and_roll_up(session, sub, Choice(overwrite, confirm, _keep(keep or [])))
    return SubmissionOut.of(sub)


def _keep(texts: list[str]) -> dict[str, int]:
    out = {}
    for text in texts:
        code, _, sub_id = text.partition("=")
        if not sub_id.strip().isdigit():
            raise InvalidValue("keep", f"“{text[:60]}” 应写成 统一社会信用代码=报送编号 should be "
                               "CODE=SUBMISSION_ID", "如 e.g. keep=91320412MA1AB0001C=5")
        out[creditcode.normalize(code)] = int(sub_id)
    return out


@router.post("/enterprises/{enterprise_id}/submissions/{year}/reject",
             summary="退回（须说明理由）reject, with a reason")
def reject(enterprise_id: Id, year: Year, body: RejectIn, session: Db, who: Who) -> SubmissionOut:
    sub = _submission(session, who, enterprise_id, year)
    if not can_decide(who, sub.enterprise.park_id):
        raise deny(who, "退回报送 reject a submission", f"enterprise {sub.enterprise_id}")
    submissions.reject(session, sub, body.reason)
    return SubmissionOut.of(sub)
