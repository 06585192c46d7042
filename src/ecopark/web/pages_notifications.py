"""The signed-in user's notifications (the bell in the header counts the unread ones): the
list, newest first, and marking one or all read (post/redirect/get)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ecopark.store import notifications
from ecopark.web.deps import Db, Id
from ecopark.web.flash import done
from ecopark.web.page_deps import CheckedForm, Viewer, field
from ecopark.web.pages_auth import safe_next
from ecopark.web.render import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/notifications", response_class=HTMLResponse)
def notification_list(request: Request, session: Db, who: Viewer) -> Response:
    return render(request, "notifications.html",
                  notes=notifications.latest(session, who.user_id))


@router.post("/notifications/{notification_id}/read")
def read_one(notification_id: Id, form: CheckedForm, session: Db, who: Viewer) -> Response:
    """Mark it read, then open its page (or come back to the list)."""
    notifications.mark_read(session, who.user_id, notification_id)
    target = safe_next(field(form, "next", 2000) or "/notifications")
    return RedirectResponse(target, status_code=303)


@router.post("/notifications/read")
def read_all(form: CheckedForm, session: Db, who: Viewer) -> Response:
    notifications.mark_all_read(session, who.user_id)
    return done("/notifications", "read")
