"""Replies worth keeping: a park-year's evaluation and verification (as JSON for the API, as
objects for the pages), recomputed only when the park's data change.

The key is (kind, park-year id, version), where the version is the id of the park's latest
audit-log entry (`repository.park_version`). Every change to a park's rows writes an audit row
in the same transaction, so a changed park has a new version and a stale reply is never
served; replaced park-years have new ids. Bounded (least recently used out), per process,
thread-safe.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["Key", "ReplyCache"]

Key = tuple[str, int, int]
T = TypeVar("T")


class ReplyCache(Generic[T]):
    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._replies: OrderedDict[Key, T] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key: Key, make: Callable[[], T]) -> T:
        with self._lock:
            found = self._replies.get(key)
            if found is not None:
                self._replies.move_to_end(key)
                return found
        reply = make()
        with self._lock:
            self._replies[key] = reply
            while len(self._replies) > self.size:
                self._replies.popitem(last=False)
        return reply
