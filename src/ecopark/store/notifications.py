"""In-app notifications (and the e-mail of the same): who hears of an `events.Event`.

`notify` is registered with `events.listen` when this module is imported (the web app imports
it), so every event is written as a `Notification` for each person it concerns, in the
transaction of the change it reports:

    campaign.opened                      the enterprise's users (all the park's enterprises
                                         when the event names none)
    campaign.reminder, submission.*      the enterprise's users
    park_year.submitted                  the reviewers
    park_year.returned / approved / published, comment.written
                                         the park's officers
and, for every kind, the people the event names (`user_names`); never the one who caused it.

A person with an e-mail address is also e-mailed, when a sender is set for the database
(`send_with`; the web app sets one when an SMTP server is configured): the messages are handed
to it after the transaction commits, so nothing is sent for a change that was rolled back.
"""

from __future__ import annotations

import dataclasses
import weakref
from collections.abc import Callable

from sqlalchemy import event as sa_event
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.sql import ColumnElement

from ecopark.store import events
from ecopark.store import models as m

__all__ = ["Mail", "Sender", "latest", "mark_all_read", "mark_read", "notify", "recipients",
           "send_with", "unread_count"]

_ENTERPRISE_KINDS = ("campaign.reminder", "submission.accepted", "submission.returned")
_OFFICER_KINDS = ("park_year.returned", "park_year.approved", "park_year.published",
                  "comment.written")


@dataclasses.dataclass(frozen=True)
class Mail:
    """One e-mail to send: to whom, and what the notification says."""

    to: str
    user_name: str
    text_zh: str
    text_en: str
    link: str


Sender = Callable[[list[Mail]], None]
_SENDERS: weakref.WeakKeyDictionary[Engine, Sender] = weakref.WeakKeyDictionary()


def send_with(engine: Engine, sender: Sender | None) -> None:
    """E-mail the notifications written through `engine` with `sender` (None: stop)."""
    if sender is None:
        _SENDERS.pop(engine, None)
    else:
        _SENDERS[engine] = sender


def recipients(session: Session, event: events.Event) -> list[m.User]:
    """The active users `event` concerns, the one who caused it left out, each once."""
    wanted = _by_kind(event)
    if event.user_names:
        named = m.User.name.in_(event.user_names)
        wanted = named if wanted is None else (wanted | named)
    if wanted is None:
        return []
    return list(session.scalars(select(m.User).where(
        wanted, m.User.active.is_(True), m.User.name != event.actor).order_by(m.User.id)))


def _by_kind(event: events.Event) -> ColumnElement[bool] | None:
    if event.kind == "campaign.opened" and event.enterprise_id is None:
        park_enterprises = select(m.Enterprise.id).where(m.Enterprise.park_id == event.park_id)
        return m.User.enterprise_id.in_(park_enterprises)
    if event.kind in _ENTERPRISE_KINDS or event.kind == "campaign.opened":
        return m.User.enterprise_id == event.enterprise_id
    if event.kind == "park_year.submitted":
        return m.User.role == "reviewer"
    if event.kind in _OFFICER_KINDS:
        return (m.User.role == "park_officer") & (m.User.park_id == event.park_id)
    return None


@events.listen
def notify(session: Session, event: events.Event) -> None:
    """Write the event as a notification for each person it concerns; queue their e-mail."""
    if not isinstance(session, Session):  # an event emitted outside a transaction
        return
    users = recipients(session, event)
    for user in users:
        session.add(m.Notification(user_id=user.id, kind=event.kind, text_zh=event.text_zh,
                                   text_en=event.text_en, link=event.link))
    session.flush()
    mails = [Mail(u.email, u.name, event.text_zh, event.text_en, event.link)
             for u in users if u.email]
    if mails:
        _queue_mail(session, mails)


def _queue_mail(session: Session, mails: list[Mail]) -> None:
    """Keep `mails` until the transaction commits (dropped if it, or the savepoint they were
    written in, is rolled back)."""
    if _SENDERS.get(session.get_bind()) is None:  # type: ignore[arg-type]
        return
    outbox: list[tuple[SessionTransaction, Mail]] = session.info.setdefault("outbox", [])
    if not sa_event.contains(session, "after_commit", _send_after_commit):
        sa_event.listen(session, "after_commit", _send_after_commit)
        sa_event.listen(session, "after_soft_rollback", _drop_rolled_back)
    now = session.get_nested_transaction() or session.get_transaction()
    assert now is not None
    outbox.extend((now, mail) for mail in mails)


def _send_after_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint: the transaction goes on
        return
    outbox, session.info["outbox"] = session.info.get("outbox", []), []
    sender = _SENDERS.get(session.get_bind())  # type: ignore[arg-type]
    if sender is not None and outbox:
        sender([mail for _, mail in outbox])


def _drop_rolled_back(session: Session, previous: SessionTransaction) -> None:
    kept = [(tx, mail) for tx, mail in session.info.get("outbox", [])
            if not _within(tx, previous)]
    session.info["outbox"] = kept


def _within(tx: SessionTransaction | None, ancestor: SessionTransaction) -> bool:
    while tx is not None:
        if tx is ancestor:
            return True
        tx = tx.parent
    return False


def unread_count(session: Session, user_id: int) -> int:
    return session.scalar(select(func.count(m.Notification.id)).where(
        m.Notification.user_id == user_id, m.Notification.read_at.is_(None))) or 0


def latest(session: Session, user_id: int, limit: int = 100) -> list[m.Notification]:
    """The user's notifications, newest first."""
    return list(session.scalars(select(m.Notification).where(
        m.Notification.user_id == user_id).order_by(m.Notification.id.desc()).limit(limit)))


def mark_read(session: Session, user_id: int, notification_id: int) -> None:
    """Mark one of the user's notifications read (another's: nothing happens)."""
    found = session.get(m.Notification, notification_id)
    if found is not None and found.user_id == user_id and found.read_at is None:
        found.read_at = m.utcnow()
        session.flush()


def mark_all_read(session: Session, user_id: int) -> None:
    for found in session.scalars(select(m.Notification).where(
            m.Notification.user_id == user_id, m.Notification.read_at.is_(None))):
        found.read_at = m.utcnow()
    session.flush()
