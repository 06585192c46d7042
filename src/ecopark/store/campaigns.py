"""Reporting campaigns: a park asks its enterprises for one year's data by a deadline.

A campaign names the year, the items asked (a subset of the framework's enterprise items — the
ones the park's totals are summed from; all of them by default) and the deadline, a date in the
park's time zone (China Standard Time): a submission is late after the end of that day. The
board shows, for each enterprise of the park, where its submission stands, when it last moved
and its share of the park's total energy use (or of the first item asked, when energy is not).
A reminder (催报) goes to one enterprise or to every one that has not submitted; each is
recorded and tells the enterprise's users (`events`: campaign.opened, campaign.reminder).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecopark.core.errors import Conflict, InvalidValue, NotFound
from ecopark.core.framework.loading import load_framework
from ecopark.store import events
from ecopark.store import models as m
from ecopark.store.rollup_submissions import additive_items

__all__ = ["EXPORT_HEADERS", "PARK_ZONE", "STATES", "STATE_WORDS", "Board", "BoardRow", "Task",
           "board", "campaign_of", "enterprise_items", "export_rows", "get_campaign", "late",
           "open_campaign", "remind", "state_of", "tasks"]

PARK_ZONE = ZoneInfo("Asia/Shanghai")
# where an enterprise's submission stands in a campaign (the board's words)
STATES = ("not_started", "draft", "submitted", "accepted", "returned")
_BY_STATUS = {"draft": "draft", "submitted": "submitted", "accepted": "accepted",
              "rejected": "returned"}


def enterprise_items(framework_key: str) -> tuple[str, ...]:
    """The items a campaign may ask for: the framework's items summed over enterprises."""
    return additive_items(load_framework(framework_key))


def open_campaign(session: Session, park: m.Park, year: int, deadline: dt.date,
                  items: list[str] | None = None,
                  framework_key: str = "hj274-2015") -> m.Campaign:
    """Open the park's campaign for `year` (one per year) and tell its enterprises."""
    allowed = enterprise_items(framework_key)
    asked = list(items) if items else list(allowed)
    unknown = [i for i in asked if i not in allowed]
    if unknown or len(set(asked)) != len(asked):
        raise InvalidValue("items", f"不是企业填报的数据项或重复 not an enterprise item, or given "
                           f"twice: {', '.join(unknown) or 'duplicate'}")
    if campaign_of(session, park, year) is not None:
        raise Conflict(problem="已发起 is open already", kind="报送任务 campaign",
                       key=f"{park.name} {year}")
    actor = str(session.info.get("actor", "unknown"))
    campaign = m.Campaign(park_id=park.id, year=year, deadline=deadline, opened_by=actor,
                          items=[m.CampaignItem(position=i, item=item)
                                 for i, item in enumerate(asked)])
    session.add(campaign)
    session.flush()
    events.emit(session, events.Event(
        "campaign.opened", actor, park_id=park.id, year=year,
        text_zh=f"{park.name}发起了 {year} 年数据报送，截止日期 {deadline.isoformat()}。",
        text_en=f"{park.name} asks for your data for {year} by {deadline.isoformat()}.",
        link="/"))  # each enterprise user's home is their enterprise's page
    return campaign


def campaign_of(session: Session, park: m.Park, year: int) -> m.Campaign | None:
    return session.scalars(select(m.Campaign).where(
        m.Campaign.park_id == park.id, m.Campaign.year == year)).one_or_none()


def get_campaign(session: Session, park: m.Park, year: int) -> m.Campaign:
    found = campaign_of(session, park, year)
    if found is None:
        raise NotFound("报送任务 campaign", f"{park.name} {year}")
    return found


def late(campaign: m.Campaign, now: dt.datetime | None = None) -> bool:
    """Past the end of the deadline's day in the park's time zone."""
    today = (now or m.utcnow()).astimezone(PARK_ZONE).date()
    return today > campaign.deadline


def state_of(sub: m.Submission | None) -> str:
    return "not_started" if sub is None else _BY_STATUS[sub.status]


@dataclasses.dataclass(frozen=True)
class BoardRow:
    enterprise: m.Enterprise
    state: str
    last_activity: dt.datetime | None
    value: float | None  # of the first item asked, in its canonical unit
    share: float | None  # of the park's total (0..1)
    reminders: int


@dataclasses.dataclass(frozen=True)
class Board:
    campaign: m.Campaign
    item: str  # what the shares are of: energy, or the first item asked
    total: float | None
    total_is_park: bool  # the park's own recorded value (else the enterprises' sum)
    rows: list[BoardRow]

    def count(self, state: str) -> int:
        return sum(1 for r in self.rows if r.state == state)


def board(session: Session, park: m.Park, campaign: m.Campaign) -> Board:
    """Every enterprise of the park, by name, with its state in the campaign."""
    asked = [i.item for i in campaign.items]
    item = "energy" if "energy" in asked else asked[0]
    subs = _submissions(session, park, campaign.year)
    values = {e: _value(s, item) for e, s in subs.items()}
    recorded = _park_value(session, park, item, campaign.year)
    known = [v for v in values.values() if v is not None]
    total = recorded if recorded is not None else (sum(known) if known else None)
    reminded = [r.enterprise_id for r in campaign.reminders]
    rows = [BoardRow(e, state_of(subs.get(e.id)), _last(subs.get(e.id)), values.get(e.id),
                     _share(values.get(e.id), total), reminded.count(e.id))
            for e in sorted(park.enterprises, key=lambda e: e.name)]
    return Board(campaign, item, total, recorded is not None, rows)


def _submissions(session: Session, park: m.Park, year: int) -> dict[int, m.Submission]:
    return {s.enterprise_id: s for s in session.scalars(select(m.Submission).join(
        m.Enterprise).where(m.Enterprise.park_id == park.id, m.Submission.year == year))}


def _value(sub: m.Submission, item: str) -> float | None:
    return next((v.value for v in sub.values if v.item == item), None)


def _park_value(session: Session, park: m.Park, item: str, year: int) -> float | None:
    return session.scalar(select(m.ObservationRow.value).where(
        m.ObservationRow.park_id == park.id, m.ObservationRow.item == item,
        m.ObservationRow.year == year, m.ObservationRow.via != "rollup"))


def _share(value: float | None, total: float | None) -> float | None:
    return value / total if value is not None and total else None


def _last(sub: m.Submission | None) -> dt.datetime | None:
    if sub is None:
        return None
    return max(t for t in (sub.updated_at, sub.submitted_at, sub.decided_at) if t is not None)


def remind(session: Session, park: m.Park, campaign: m.Campaign,
           enterprise_ids: list[int] | None = None) -> list[m.Enterprise]:
    """Remind the enterprises named (None: every one that has not submitted yet); each
    reminder is recorded and tells the enterprise's users. The enterprises reminded."""
    subs = _submissions(session, park, campaign.year)
    pending = [e for e in sorted(park.enterprises, key=lambda e: e.name)
               if state_of(subs.get(e.id)) in ("not_started", "draft", "returned")]
    chosen = pending if enterprise_ids is None else [
        e for e in park.enterprises if e.id in enterprise_ids]
    actor = str(session.info.get("actor", "unknown"))
    for enterprise in chosen:
        campaign.reminders.append(m.Reminder(enterprise_id=enterprise.id, sent_by=actor))
        session.flush()
        events.emit(session, _reminder(actor, park, campaign, enterprise))
    return chosen


def _reminder(actor: str, park: m.Park, campaign: m.Campaign,
              enterprise: m.Enterprise) -> events.Event:
    year, day = campaign.year, campaign.deadline.isoformat()
    return events.Event(
        "campaign.reminder", actor, park_id=park.id, year=year, enterprise_id=enterprise.id,
        text_zh=f"催报：请于 {day} 前提交{enterprise.name} {year} 年的数据。",
        text_en=f"Reminder: please submit {enterprise.name}'s data for {year} by {day}.",
        link=f"/enterprises/{enterprise.id}?year={year}")


@dataclasses.dataclass(frozen=True)
class Task:
    """A campaign as an enterprise sees it: the year, the deadline and where it stands."""

    campaign: m.Campaign
    state: str
    late: bool


def tasks(session: Session, enterprise: m.Enterprise) -> list[Task]:
    """The park's campaigns for the enterprise, the newest year first."""
    found = session.scalars(select(m.Campaign).where(
        m.Campaign.park_id == enterprise.park_id).order_by(m.Campaign.year.desc()))
    subs = {s.year: s for s in enterprise.submissions}
    return [Task(c, state_of(subs.get(c.year)),
                 late(c) and state_of(subs.get(c.year)) not in ("submitted", "accepted"))
            for c in found]


EXPORT_HEADERS = {
    "zh": ["企业", "统一社会信用代码", "数据项", "数值", "单位", "状态", "最后修改", "提交时间",
           "审核时间"],
    "en": ["Enterprise", "Credit code", "Data item", "Value", "Unit", "State", "Last changed",
           "Submitted", "Decided"],
}
STATE_WORDS = {
    "zh": {"not_started": "未开始", "draft": "草稿", "submitted": "已提交", "accepted": "已接受",
           "returned": "已退回"},
    "en": {"not_started": "Not started", "draft": "Draft", "submitted": "Submitted",
           "accepted": "Accepted", "returned": "Returned"},
}


def export_rows(session: Session, park: m.Park, year: int, lang: str = "zh",
                framework_key: str = "hj274-2015") -> list[list[str | float | None]]:
    """One row per enterprise × item of the year's submissions (times in the park's zone)."""
    items = load_framework(framework_key).spec.items
    subs = _submissions(session, park, year)
    words = STATE_WORDS["en" if lang == "en" else "zh"]
    rows: list[list[str | float | None]] = []
    for enterprise in sorted(park.enterprises, key=lambda e: e.name):
        sub = subs.get(enterprise.id)
        head: list[str | float | None] = [enterprise.name, enterprise.credit_code or ""]
        if sub is None:
            rows.append([*head, "", None, "", words["not_started"], "", "", ""])
            continue
        times = [_local(sub.updated_at), _local(sub.submitted_at), _local(sub.decided_at)]
        for value in sub.values:
            spec = items.get(value.item)
            name = (spec.name_en if lang == "en" else spec.name_zh) if spec else value.item
            rows.append([*head, name, _number(value.value_text), value.unit or "",
                         words[state_of(sub)], *times])
    return rows


def _local(at: dt.datetime | None) -> str:
    return at.astimezone(PARK_ZONE).strftime("%Y-%m-%d %H:%M") if at else ""


def _number(text: str) -> str | float:
    try:
        return float(text)
    except ValueError:
        return text
