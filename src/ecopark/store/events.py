"""What happened that somebody should hear of: an `Event`, and the listeners that act on it.

The part of the store where something happens (a park-year approved, a submission returned, a
comment written, a campaign opened) calls `emit(session, Event(...))` inside its write
transaction; every listener registered with `listen` runs then, in the same transaction, so a
notification is written together with the change it reports, or not at all. Listeners decide
who is told (in-app notifications, e-mail); the emitting code knows nothing of them.

Kinds are dotted names, the subject first: `park_year.submitted`, `park_year.returned`,
`park_year.approved`, `park_year.published`, `comment.written`, `submission.accepted`,
`submission.returned`, `campaign.opened`, `campaign.reminder`. `text_zh` / `text_en` are what a
person reads (plain words, no ids); `link` is the page it concerns (may be "").
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from sqlalchemy.orm import Session

__all__ = ["Event", "Listener", "emit", "listen", "listeners", "unlisten"]


@dataclasses.dataclass(frozen=True)
class Event:
    kind: str
    actor: str  # the user name (or cli:<os user>) who caused it
    park_id: int | None = None
    year: int | None = None
    enterprise_id: int | None = None
    user_names: tuple[str, ...] = ()  # people named by the event itself (e.g. a comment's thread)
    text_zh: str = ""
    text_en: str = ""
    link: str = ""


Listener = Callable[[Session, Event], None]

_LISTENERS: list[Listener] = []


def listen(listener: Listener) -> Listener:
    """Register `listener` (idempotent); usable as a decorator."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)
    return listener


def unlisten(listener: Listener) -> None:
    if listener in _LISTENERS:
        _LISTENERS.remove(listener)


def listeners() -> tuple[Listener, ...]:
    return tuple(_LISTENERS)


def emit(session: Session, event: Event) -> None:
    """Tell every listener, in the caller's transaction (a listener's error rolls it back)."""
    for listener in tuple(_LISTENERS):
        listener(session, event)
