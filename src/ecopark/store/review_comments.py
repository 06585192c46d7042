"""Reviewers' comments on a park-year, one thread per comment: a reviewer (or an administrator)
opens a thread on one indicator (or on the whole year), the park's officers and the reviewers
reply, and a reviewer resolves it or opens it again. Comments are no data of the year: they may
be written in every state. Each new comment emits `comment.written` to the thread's people.

    write(session, park_year, who, text, indicator=None, parent=None) -> ReviewComment
    resolve(session, comment, who, resolved=True) -> None
    threads(session, park_id, year) -> [ReviewComment] (first comments, replies loaded)
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ecopark.core.errors import InvalidValue, NotFound
from ecopark.store import models as m
from ecopark.store.events import Event, emit
from ecopark.store.permissions import Principal, can_write_park, deny

__all__ = ["MAX_TEXT", "find", "resolve", "threads", "write"]

MAX_TEXT = 4000
_OPENERS = frozenset({"reviewer", "admin"})


def write(session: Session, park_year: m.ParkYear, who: Principal, text: str, *,
          indicator: int | None = None, parent: m.ReviewComment | None = None
          ) -> m.ReviewComment:
    """A new thread (a reviewer) or a reply to `parent` (a reviewer or the park's officer)."""
    if parent is None and who.role not in _OPENERS:
        raise deny(who, "发表审核意见 write a review comment", "园区年度 park-year")
    if parent is not None and not (who.role in _OPENERS or can_write_park(who, park_year.park_id)):
        raise deny(who, "回复审核意见 reply to a review comment", "园区年度 park-year")
    body = _checked(text)
    root = parent
    comment = m.ReviewComment(park_id=park_year.park_id, year=park_year.year,
                              indicator=root.indicator if root else indicator,
                              parent_id=root.id if root else None, author=who.name,
                              author_role=who.role, text=body, at=m.utcnow())
    session.add(comment)
    session.flush()
    _tell(session, park_year, comment, root, who.name)
    return comment


def _checked(text: str) -> str:
    body = text.strip()
    if not body:
        raise InvalidValue("text", "意见不能为空 a comment cannot be empty", "写下意见 write it")
    if len(body) > MAX_TEXT:
        raise InvalidValue("text", f"意见超过 {MAX_TEXT} 字 a comment is limited to {MAX_TEXT} "
                           "characters")
    return body


def _tell(session: Session, park_year: m.ParkYear, comment: m.ReviewComment,
          root: m.ReviewComment | None, actor: str) -> None:
    people = {root.author, *(r.author for r in root.replies)} if root else set()
    where_zh = f"指标{comment.indicator}" if comment.indicator else "整体"
    where_en = f"indicator {comment.indicator}" if comment.indicator else "the whole year"
    name = park_year.park.name
    emit(session, Event("comment.written", actor, park_id=park_year.park_id, year=park_year.year,
                        user_names=tuple(sorted(people - {actor})),
                        text_zh=f"{name} {park_year.year} 年度的审核意见（{where_zh}）：{comment.text}",
                        text_en=f"{name} {park_year.year}, review comment on {where_en}: "
                                f"{comment.text}",
                        link=f"/parks/{park_year.park_id}/years/{park_year.year}/comments"))


def resolve(session: Session, comment: m.ReviewComment, who: Principal,
            resolved: bool = True) -> None:
    """Mark a thread resolved (or open again): a reviewer or an administrator."""
    if who.role not in _OPENERS:
        raise deny(who, "处理审核意见 resolve a review comment", "园区年度 park-year")
    comment.resolved = resolved
    comment.resolved_by, comment.resolved_at = (who.name, m.utcnow()) if resolved else (None, None)
    session.flush()


def find(session: Session, park_id: int, year: int, comment_id: int) -> m.ReviewComment:
    """A thread's first comment of this park-year (NotFound otherwise)."""
    found = session.get(m.ReviewComment, comment_id)
    if found is None or (found.park_id, found.year) != (park_id, year) or found.parent_id:
        raise NotFound("审核意见 review comment", str(comment_id))
    return found


def threads(session: Session, park_id: int, year: int) -> list[m.ReviewComment]:
    return list(session.scalars(select(m.ReviewComment).where(
        m.ReviewComment.park_id == park_id, m.ReviewComment.year == year,
        m.ReviewComment.parent_id.is_(None)).options(selectinload(m.ReviewComment.replies))
        .order_by(m.ReviewComment.indicator, m.ReviewComment.id)))
