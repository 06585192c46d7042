"""The page side of the one error handler (`ecopark.web.errors.handle`): for a page (anything
but the API, its docs and static files) an error is an HTML page in the user's language with
the same status the API would give — except "not signed in", which sends the browser to the
sign-in page (and comes back afterwards). A refused page is a 403 page, never a redirect.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException

from ecopark.core.errors import AuthError, EcoparkError, NotFound, PermissionDenied
from ecopark.store.kept import keep
from ecopark.web import plain_text
from ecopark.web.deps import store_of
from ecopark.web.i18n import N_
from ecopark.web.render import render, translator_of

__all__ = ["is_page", "page_error"]

_NOT_PAGES = ("/api/", "/docs", "/openapi.json", "/static/")
_TITLES = {400: N_("Bad request"), 401: N_("Not signed in"), 403: N_("Not allowed"),
           404: N_("Not found"), 405: N_("Not allowed"), 409: N_("Conflict"),
           413: N_("The file is too large"), 422: N_("Invalid input"),
           429: N_("Too many attempts"), 500: N_("Server error"),
           503: N_("The database is not available")}


def is_page(path: str) -> bool:
    return not path.startswith(_NOT_PAGES)


def page_error(request: Request, exc: Exception, status: int) -> Response:
    if isinstance(exc, AuthError):
        return _to_sign_in(request)
    t = translator_of(request)
    if isinstance(exc, RequestValidationError):  # a malformed address: /parks/abc
        status, message = 404, t.gettext("There is no such page.")
    elif isinstance(exc, EcoparkError):
        message = plain_text.message(exc, t.lang)
    elif isinstance(exc, HTTPException) and status == 404:
        message = t.gettext("There is no such page.")
    elif status == 500:  # a bug: what it says stays in the server's log
        message = t.gettext("Something went wrong on the server. It has been logged; try "
                            "again later.")
    else:
        message = plain_text.one_language(str(getattr(exc, "detail", "")), t.lang) or t.gettext(
            "The request was refused.")
    hint = _hint(exc, t.gettext)
    return render(request, "error.html", status=status, title=t.gettext(_TITLES.get(
        status, N_("Error"))), status_code=status, message=message, hint=hint)


def _hint(exc: Exception, _: object) -> str:
    if isinstance(exc, PermissionDenied):
        return N_("Your role does not give access to this page. Sign in as another user or go "
                  "back to your home page.")
    if isinstance(exc, NotFound):
        return N_("Check the address, or start again from your home page.")
    return ""


def _to_sign_in(request: Request) -> Response:
    """To the sign-in page, coming back afterwards: to the page asked for, or — for a form
    saved after the session expired — to the form's page, with what was typed kept
    server-side (`store.kept`) and put back there."""
    typed = getattr(request.state, "typed", None)
    if request.method != "POST" or typed is None:
        return RedirectResponse(f"/login?next={quote(_back(request), safe='/?=&')}",
                                status_code=303)
    page = _form_page(request)
    with store_of(request).session(actor="anonymous") as session:
        token = keep(session, request.url.path, typed)
    joiner = "&" if "?" in page else "?"
    target = f"{page}{joiner}kept={token}"
    return RedirectResponse(f"/login?expired=1&next={quote(target, safe='')}", status_code=303)


def _form_page(request: Request) -> str:
    """The page the form was on (the Referer, when it is this site's), else its action."""
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc == request.url.netloc and referer.path.startswith("/") \
            and not referer.path.startswith(("/login", "/logout")):
        return referer.path + (f"?{referer.query}" if referer.query else "")
    return request.url.path


def _back(request: Request) -> str:
    if request.method != "GET":
        return "/"
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")
