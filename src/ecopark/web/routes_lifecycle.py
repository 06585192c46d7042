"""The lifecycle of a park-year in the JSON API (under /api/v1): its state, the moves the caller
may make and the history; a move (`POST …/transitions` with the action, a comment or reason, and
the version read); the reviewers' comments, threaded. Refusals: 403 for a role that may not
make the move, 409 for a state that does not allow it or a version that changed."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from ecopark.store import lifecycle, repository, review_comments, transitions
from ecopark.store import models as m
from ecopark.store.permissions import Principal, deny
from ecopark.web.deps import Db, Id, Who, Year
from ecopark.web.routes_parks import visible_park
from ecopark.web.schemas import _In

__all__ = ["router"]

router = APIRouter(tags=["lifecycle 审核与公开"])

Action = Literal["submit", "withdraw", "take", "return", "approve", "publish", "reopen"]


class TransitionIn(_In):
    action: Action
    comment: str = Field("", max_length=4000, description="退回意见或重新打开的理由 the return's "
                         "comment or the reopening's reason")
    version: int = Field(ge=1, description="读取时园区年度的版本 the park-year's version read")


class StepOut(BaseModel):
    action: str
    from_state: str
    to_state: str
    edition: int
    by: str
    at: dt.datetime
    comment: str


class LifecycleOut(BaseModel):
    park_id: int
    year: int
    state: str
    state_zh: str
    edition: int
    version: int
    actions: list[str]
    approved_editions: list[int]
    published_edition: int | None
    steps: list[StepOut]


class CommentIn(_In):
    text: str = Field(min_length=1, max_length=4000)
    indicator: int | None = Field(None, ge=1, le=999)
    parent: int | None = Field(None, ge=1, description="回复的意见 the comment replied to")


class CommentOut(BaseModel):
    id: int
    indicator: int | None
    author: str
    author_role: str
    text: str
    at: dt.datetime
    resolved: bool
    replies: list[CommentOut] = []


class ResolveIn(_In):
    resolved: bool = True


def _park_year(session: Session, who: Principal, park_id: int, year: int) -> m.ParkYear:
    park = visible_park(session, who, park_id)
    if who.role == "enterprise":
        raise deny(who, "查看审核 open the review", f"park {park_id}")
    return repository.get_park_year(session, park, year)


def _out(session: Session, who: Principal, park_year: m.ParkYear) -> LifecycleOut:
    kept = transitions.snapshots(session, park_year.park_id, park_year.year)
    public = transitions.published(session, park_year.park_id, park_year.year)
    return LifecycleOut(
        park_id=park_year.park_id, year=park_year.year, state=park_year.state,
        state_zh=lifecycle.state_name(park_year.state), edition=park_year.edition,
        version=park_year.version,
        actions=[s.action for s in lifecycle.actions_for(park_year.state, who.role)],
        approved_editions=sorted(s.edition for s in kept),
        published_edition=public.edition if public else None,
        steps=[StepOut(action=s.action, from_state=s.from_state, to_state=s.to_state,
                       edition=s.edition, by=s.by, at=s.at, comment=s.comment)
               for s in transitions.steps(session, park_year.park_id, park_year.year)])


@router.get("/parks/{park_id}/years/{year}/lifecycle", summary="审核状态与历史 the state, "
            "the moves the caller may make and the history")
def get_lifecycle(park_id: Id, year: Year, session: Db, who: Who) -> LifecycleOut:
    return _out(session, who, _park_year(session, who, park_id, year))


@router.post("/parks/{park_id}/years/{year}/transitions", summary="提交、审核、退回、通过、公开、"
             "重新打开 move the park-year (submit, take, return, approve, publish, reopen)")
def post_transition(park_id: Id, year: Year, body: TransitionIn, session: Db,
                    who: Who) -> LifecycleOut:
    park_year = _park_year(session, who, park_id, year)
    transitions.transition(session, park_year, body.action, who, comment=body.comment,
                           version=body.version)
    return _out(session, who, park_year)


def _comment(row: m.ReviewComment) -> CommentOut:
    return CommentOut(id=row.id, indicator=row.indicator, author=row.author,
                      author_role=row.author_role, text=row.text, at=row.at,
                      resolved=row.resolved, replies=[_comment(r) for r in row.replies])


@router.get("/parks/{park_id}/years/{year}/comments", summary="审核意见 review comments "
            "(threads, replies inside)")
def get_comments(park_id: Id, year: Year, session: Db, who: Who) -> list[CommentOut]:
    _park_year(session, who, park_id, year)
    return [_comment(c) for c in review_comments.threads(session, park_id, year)]


@router.post("/parks/{park_id}/years/{year}/comments", status_code=201,
             summary="发表或回复审核意见 write a comment, or reply to one (parent)")
def post_comment(park_id: Id, year: Year, body: CommentIn, session: Db, who: Who) -> CommentOut:
    park_year = _park_year(session, who, park_id, year)
    parent = review_comments.find(session, park_id, year, body.parent) if body.parent else None
    return _comment(review_comments.write(session, park_year, who, body.text,
                                          indicator=body.indicator, parent=parent))


@router.post("/parks/{park_id}/years/{year}/comments/{comment_id}/resolve",
             summary="标记意见已处理或重新打开 mark a thread resolved (or open again)")
def post_resolve(park_id: Id, year: Year, comment_id: Id, body: ResolveIn, session: Db,
                 who: Who) -> CommentOut:
    _park_year(session, who, park_id, year)
    found = review_comments.find(session, park_id, year, comment_id)
    review_comments.resolve(session, found, who, body.resolved)
    return _comment(found)
