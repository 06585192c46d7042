"""The confirmation a page shows after a save (post/redirect/get): the redirect names what was
done (`?done=<key>`, and `n=<count>` where a count belongs), the page after it shows the
fixed sentence of that key. Only sentences of this list are ever shown, so a link cannot make a
page say anything else."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import RedirectResponse

from ecopark.web.i18n import N_, Translator

__all__ = ["FLASHES", "done", "flash_of"]

FLASHES = {
    "saved": N_("Saved."),
    "publish-saved": N_("The disclosure settings are saved."),
    "user-added": N_("The user is added."),
    "user-saved": N_("The user's details are saved."),
    "campaign-opened": N_("The reporting campaign is open; the enterprises have been told."),
    "reminded": N_("Reminders sent to %(n)s enterprises."),
    "withdrawn": N_("The submission is withdrawn; it is a draft again."),
    "submitted": N_("Submitted to the park."),
    "imported": N_("The workbook's values are saved."),
    "read": N_("Marked as read."),
}


def done(path: str, key: str, n: int | None = None, anchor: str = "") -> RedirectResponse:
    """303 to `path` with the confirmation `key` (path may carry a query already)."""
    query = urlencode({"done": key, **({"n": str(n)} if n is not None else {})})
    joiner = "&" if "?" in path else "?"
    return RedirectResponse(f"{path}{joiner}{query}{anchor}", status_code=303)


def flash_of(request: Request, t: Translator) -> str:
    """The confirmation the address names, in the page's language ('' for none)."""
    key = request.query_params.get("done", "")
    if key not in FLASHES:
        return ""
    count = request.query_params.get("n", "")
    if "%(n)s" in FLASHES[key]:
        return t.gettext(FLASHES[key], n=int(count)) if count.isdigit() and len(count) < 7 else ""
    return t.gettext(FLASHES[key])
