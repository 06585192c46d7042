"""Replies worth keeping: a park-year's evaluation and verification (as JSON for the API, as
objects for the pages), recomputed only when the park's data change.

The key is (kind, park-year id, version), where the version is the id of the park's latest
audit-log entry (`repository.park_version`). Every change to a park's rows writes an audit row
in the same transaction, so a changed park has a new version and a stale reply is never
served; replaced park-years have new ids. Bounded (least recently used out), per process,
thread-safe.

One computation per key at a time: when a write has just made every reply stale, the readers
that ask for the same new key wait for the first one's result instead of each computing it
(50 readers would otherwise spend 50 evaluations of CPU on every write). If that first
computation fails, each waiting reader computes on its own.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["Key", "ReplyCache"]

Key = tuple[str, int, int]
T = TypeVar("T")


class _Flight(Generic[T]):
    """A computation under way: the others asking for its key wait for its reply."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.reply: T | None = None


class ReplyCache(Generic[T]):
    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._replies: OrderedDict[Key, T] = OrderedDict()
        self._flights: dict[Key, _Flight[T]] = {}
        self._lock = threading.Lock()

    def get_or_make(self, key: Key, make: Callable[[], T]) -> T:
        with self._lock:
            found = self._replies.get(key)
            if found is not None:
                self._replies.move_to_end(key)
                return found
            flight = self._flights.get(key)
            leading = flight is None
            if flight is None:
                flight = self._flights[key] = _Flight()
        if not leading:
            flight.done.wait()
            return flight.reply if flight.reply is not None else make()
        try:
            flight.reply = make()
            self._keep(key, flight.reply)
            return flight.reply
        finally:
            with self._lock:
                del self._flights[key]
            flight.done.set()

    def holds(self, key: Key) -> bool:
        """Whether a reply for `key` is kept now (it may be evicted a moment later)."""
        with self._lock:
            return key in self._replies

    def _keep(self, key: Key, reply: T) -> None:
        with self._lock:
            self._replies[key] = reply
            while len(self._replies) > self.size:
                self._replies.popitem(last=False)
