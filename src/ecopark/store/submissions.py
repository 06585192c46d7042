"""Enterprises of a park and their yearly submissions: draft → submitted → accepted, or
rejected with a reason (then edited back into a draft and submitted again). A submission not
yet reviewed may be withdrawn (submitted → draft). Accepting or returning one tells the
enterprise (`events`: submission.accepted, submission.returned).

Each submitted value is checked by the core exactly as a dataset value is (the item exists in
the framework, the number parses, the unit converts to the item's unit) and stored as written
and in the item's canonical unit.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecopark.core.dataset.loading import build_dataset
from ecopark.core.dataset.schema import FORMAT, DatasetFile
from ecopark.core.errors import Conflict, DatasetError, InvalidValue, NotFound
from ecopark.core.framework.loading import load_framework
from ecopark.store import events
from ecopark.store import models as m
from ecopark.store.repository import scalar_text

__all__ = ["SubmittedValue", "accept", "create_enterprise", "enterprise_by_name",
           "get_enterprise", "get_submission", "reject", "require_submitted", "save_draft",
           "set_aside", "submit", "withdraw"]


@dataclasses.dataclass(frozen=True)
class SubmittedValue:
    item: str
    value: float | int | str
    unit: str | None = None
    note: str | None = None


def create_enterprise(session: Session, park: m.Park, name: str,
                      credit_code: str | None = None) -> m.Enterprise:
    if _find_enterprise(session, park, name) is not None:
        raise Conflict(problem="已存在 exists already", kind="企业 enterprise",
                       key=f"{park.name}/{name}")
    enterprise = m.Enterprise(park=park, name=name, credit_code=credit_code)
    session.add(enterprise)
    session.flush()
    return enterprise


def _find_enterprise(session: Session, park: m.Park, name: str) -> m.Enterprise | None:
    return session.scalars(select(m.Enterprise).where(
        m.Enterprise.park_id == park.id, m.Enterprise.name == name)).one_or_none()


def enterprise_by_name(session: Session, park: m.Park, name: str) -> m.Enterprise:
    found = _find_enterprise(session, park, name)
    if found is None:
        raise NotFound("企业 enterprise", f"{park.name}/{name}")
    return found


def get_enterprise(session: Session, enterprise_id: int) -> m.Enterprise:
    found = session.get(m.Enterprise, enterprise_id)
    if found is None:
        raise NotFound("企业 enterprise", str(enterprise_id))
    return found


def get_submission(session: Session, enterprise: m.Enterprise, year: int) -> m.Submission:
    found = session.scalars(select(m.Submission).where(
        m.Submission.enterprise_id == enterprise.id, m.Submission.year == year)).one_or_none()
    if found is None:
        raise NotFound("报送 submission", f"{enterprise.name} {year}")
    return found


def save_draft(session: Session, enterprise: m.Enterprise, year: int,
               values: list[SubmittedValue], framework_key: str = "hj274-2015") -> m.Submission:
    """Create or replace the year's draft (a rejected submission becomes a draft again)."""
    canonical = _checked(enterprise, year, values, framework_key)
    actor = str(session.info.get("actor", "unknown"))
    sub = session.scalars(select(m.Submission).where(
        m.Submission.enterprise_id == enterprise.id, m.Submission.year == year)).one_or_none()
    if sub is None:
        sub = m.Submission(enterprise=enterprise, year=year, created_by=actor, status="draft")
        session.add(sub)
    _require(sub, ("draft", "rejected"), "edit", enterprise)
    sub.framework_key, sub.status, sub.reason, sub.updated_at = framework_key, "draft", "", m.utcnow()
    sub.values.clear()
    session.flush()  # old values go before the new ones (one row per item)
    sub.values = [m.SubmissionValue(position=i, item=v.item, value=canonical[i],
                                    value_text=scalar_text(v.value)[0], unit=v.unit, note=v.note)
                  for i, v in enumerate(values)]
    session.flush()
    return sub


def _checked(enterprise: m.Enterprise, year: int, values: list[SubmittedValue],
             framework_key: str) -> list[float | None]:
    seen = [v.item for v in values]
    for item in seen:
        if seen.count(item) > 1:
            raise InvalidValue(f"values.{item}", "同一数据项重复 the item is given twice")
    framework = load_framework(framework_key)
    observations: dict[str, Any] = {
        v.item: {"values": {year: {"value": v.value, "unit": v.unit, "note": v.note}}}
        for v in values}
    spec = DatasetFile.model_validate({
        "format": FORMAT, "framework": framework.id, "observations": observations,
        "park": {"name": enterprise.name, "base_year": year}})
    try:
        dataset = build_dataset(spec, framework, "submission")
    except DatasetError as exc:
        raise dataclasses.replace(exc, key_path=exc.key_path.replace(f".values.{year}", "")
                                  .replace("observations.", "values.")) from None
    out: list[float | None] = []
    for v in values:
        value = dataset.values[(v.item, year)].value
        out.append(value if isinstance(value, float) else None)
    return out


# a submission's state as a sentence says it (its subject is "the submission"), and as a list
# of the states an action needs names it
_STATE_SAID = {"draft": ("还是草稿", "is still a draft"),
               "submitted": ("正在等待审核", "is awaiting review"),
               "accepted": ("已被接受", "has been accepted"),
               "rejected": ("已被退回", "has been returned")}
_STATE_NAMED = {"draft": ("草稿", "is still a draft"), "submitted": ("待审核", "is awaiting review"),
                "accepted": ("已接受", "has been accepted"), "rejected": ("已退回", "has been returned")}
_ACTIONS = {"edit": ("修改", "changed"), "submit": ("提交", "submitted"),
            "withdraw": ("撤回", "withdrawn"), "accept": ("接受", "accepted"),
            "reject": ("退回", "returned"), "set_aside": ("搁置", "set aside")}


def _require(sub: m.Submission, states: tuple[str, ...], action: str,
             enterprise: m.Enterprise) -> None:
    if sub.status in states:
        return
    (now_zh, now_en), (act_zh, act_en) = _STATE_SAID[sub.status], _ACTIONS[action]
    if action == "edit" and sub.status == "submitted":
        hint = "如需修改，请先撤回提交 to change it, withdraw it first"
    else:
        names = [_STATE_NAMED[state] for state in states]
        hint = (f"只有{'或'.join(zh for zh, _ in names)}的报送才能{act_zh} only a submission that "
                f"{' or '.join(en for _, en in names)} can be {act_en}")
    raise Conflict(problem=f"该报送{now_zh}，不能{act_zh} the submission {now_en}, so it cannot "
                   f"be {act_en}", kind="报送 submission", key=f"{enterprise.name} {sub.year}",
                   hint=hint)


def submit(session: Session, sub: m.Submission) -> None:
    _require(sub, ("draft",), "submit", sub.enterprise)
    if not sub.values:
        raise InvalidValue("values", "报送为空 the submission has no values")
    sub.status, sub.submitted_at = "submitted", m.utcnow()
    sub.decided_at = sub.decided_by = None  # a resubmission waits for a new decision
    session.flush()


def withdraw(session: Session, sub: m.Submission) -> None:
    """Take back a submission the park has not reviewed yet: it is a draft again."""
    _require(sub, ("submitted",), "withdraw", sub.enterprise)
    sub.status, sub.submitted_at, sub.updated_at = "draft", None, m.utcnow()
    session.flush()


def require_submitted(sub: m.Submission) -> None:
    """Conflict unless the submission waits for a decision."""
    _require(sub, ("submitted",), "accept", sub.enterprise)


def accept(session: Session, sub: m.Submission) -> None:
    require_submitted(sub)
    _decide(session, sub, "accepted", "")


def reject(session: Session, sub: m.Submission, reason: str) -> None:
    _require(sub, ("submitted",), "reject", sub.enterprise)
    if not reason.strip():
        raise InvalidValue("reason", "退回须说明理由 a rejection needs a reason")
    _decide(session, sub, "rejected", reason.strip())


def set_aside(session: Session, sub: m.Submission, reason: str) -> None:
    """A submitted or accepted submission the park's roll-up leaves out (another enterprise's
    submission with the same credit code stands): returned, with the reason."""
    _require(sub, ("submitted", "accepted"), "set_aside", sub.enterprise)
    _decide(session, sub, "rejected", reason)


def _decide(session: Session, sub: m.Submission, status: str, reason: str) -> None:
    sub.status, sub.reason = status, reason
    sub.decided_by, sub.decided_at = str(session.info.get("actor", "unknown")), m.utcnow()
    session.flush()
    events.emit(session, _decided(sub))


def _decided(sub: m.Submission) -> events.Event:
    name, year = sub.enterprise.name, sub.year
    if sub.status == "accepted":
        zh, en = (f"园区已接受{name} {year} 年的数据报送。",
                  f"The park accepted {name}'s data for {year}.")
    else:
        zh, en = (f"园区退回了{name} {year} 年的数据报送：{sub.reason}",
                  f"The park returned {name}'s data for {year}: {sub.reason}")
    return events.Event(f"submission.{'accepted' if sub.status == 'accepted' else 'returned'}",
                        str(sub.decided_by), park_id=sub.enterprise.park_id, year=year,
                        enterprise_id=sub.enterprise_id, text_zh=zh, text_en=en,
                        link=f"/enterprises/{sub.enterprise_id}?year={year}")
