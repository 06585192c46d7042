"""The notice a page shows after a save: which indicators' statuses the save really changed,
computed from the evaluations before and after it, carried in the redirect and signed for the
user who saved (HMAC with the server secret), so a link cannot make the page claim a change
that did not happen.

    "26:not_met:met,3:met:not_met"   statuses that changed (indicator:before:after)
    "none"                           a save that changed no status
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlencode

from fastapi.responses import RedirectResponse

from ecopark.core.evaluate import Evaluation

__all__ = ["changed_statuses", "saved_redirect", "verified"]


def changed_statuses(before: Evaluation | None, after: Evaluation) -> str:
    """The statuses `after` changed from `before` (None: no evaluation before)."""
    old = {} if before is None else {r.number: r.status.value for r in before.results}
    parts = [f"{r.number}:{old[r.number]}:{r.status.value}" for r in after.results
             if r.number in old and old[r.number] != r.status.value]
    return ",".join(parts) or "none"


def _signature(secret: str, user_id: int, park_id: int, year: int, saved: str) -> str:
    message = f"saved|{user_id}|{park_id}|{year}|{saved}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:32]


def saved_redirect(secret: str, user_id: int, park_id: int, year: int,
                   saved: str) -> RedirectResponse:
    """303 to the park-year's dashboard with the signed notice of what the save changed."""
    query = urlencode({"sig": _signature(secret, user_id, park_id, year, saved), "saved": saved},
                      safe=":,")
    return RedirectResponse(f"/parks/{park_id}/years/{year}?{query}", status_code=303)


def verified(secret: str, user_id: int | None, park_id: int, year: int, saved: str,
             signature: str) -> str:
    """`saved` when it was signed for this user and park-year, else "" (no notice)."""
    if not saved or user_id is None:
        return ""
    expected = _signature(secret, user_id, park_id, year, saved)
    return saved if hmac.compare_digest(expected, signature) else ""
