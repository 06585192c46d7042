"""Signing in and out in the browser, and the language switch.

The sign-in form has no session yet, so its CSRF token is a double-submit one: a random value
in a short-lived cookie and in the form, compared on POST. After sign-in every form carries the
session-bound token (`page_deps.CheckedForm`).
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ecopark.core.errors import AuthError, TooManyAttempts
from ecopark.store import auth
from ecopark.web.deps import COOKIE, Db, client_ip, settings_of, store_of
from ecopark.web.i18n import COOKIE as LANG_COOKIE
from ecopark.web.i18n import LOCALES
from ecopark.web.page_deps import CSRF_FIELD, CheckedForm, RawForm, field
from ecopark.web.render import render, translator_of

__all__ = ["LOGIN_CSRF_COOKIE", "router", "safe_next"]

router = APIRouter(include_in_schema=False)
LOGIN_CSRF_COOKIE = "ecopark_login_csrf"
Next = Annotated[str, Query(max_length=2000)]


def safe_next(target: str) -> str:
    """A local path to go back to after signing in (never another site)."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target \
            or target.startswith(("/login", "/logout")):
        return "/"
    return target


def _secure(request: Request) -> bool:
    settings = settings_of(request)
    return settings.secure_cookies if settings.secure_cookies is not None \
        else request.url.scheme == "https"


def _login_page(request: Request, status: int = 200, next_path: str = "/", name: str = "",
                error: str = "", errors: dict[str, str] | None = None,
                expired: bool = False) -> Response:
    token = secrets.token_urlsafe(24)
    response = render(request, "login.html", status=status, login_csrf=token, next=next_path,
                      name=name, error=error, errors=errors or {}, expired=expired)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, max_age=3600, httponly=True, samesite="lax",
                        secure=_secure(request), path="/login")
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, session: Db, next: Next = "/", expired: bool = False) -> Response:
    """The sign-in form; `expired`: a form was saved after the session expired (what was
    typed is kept, and put back when `next` is opened after signing in)."""
    cookie = request.cookies.get(COOKIE)
    if cookie:
        try:
            request.state.who = auth.principal_from_session(session, cookie)
            request.state.csrf = auth.csrf_token(settings_of(request).secret(), cookie)
        except AuthError:
            pass
    return _login_page(request, next_path=safe_next(next), expired=expired)


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, form: RawForm) -> Response:
    name, password = field(form, "name", 100), str(form.get("password") or "")[:1000]
    next_path = safe_next(field(form, "next", 2000))
    t = translator_of(request)
    given, expected = field(form, CSRF_FIELD), request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(given, expected):
        return _login_page(request, 403, next_path, name, error=t.gettext(
            "The sign-in form has expired. Please sign in again."))
    errors = {k: t.gettext("Required.") for k, v in (("name", name), ("password", password))
              if not v}
    if errors:
        return _login_page(request, 422, next_path, name, errors=errors)
    return _sign_in(request, name, password, next_path)


def _sign_in(request: Request, name: str, password: str, next_path: str) -> Response:
    t = translator_of(request)
    settings, store = settings_of(request), store_of(request)
    try:
        user = auth.login(store, name, password, client_ip(request), settings)
    except TooManyAttempts as exc:
        return _login_page(request, 429, next_path, name, t.gettext(
            "Too many failed sign-ins. Try again in %(seconds)s seconds.",
            seconds=exc.retry_after))
    except AuthError:
        return _login_page(request, 401, next_path, name, errors={
            "password": t.gettext("Wrong user name or password.")})
    with store.session(actor=user.name) as session:
        token, _ = auth.create_session(session, user, client_ip(request), settings.session_hours)
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(COOKIE, token, max_age=settings.session_hours * 3600, httponly=True,
                        samesite="lax", secure=_secure(request), path="/")
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, form: CheckedForm, session: Db) -> Response:
    cookie = request.cookies.get(COOKIE)
    if cookie:
        auth.end_session(session, cookie)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("/lang/{locale}")
def switch_language(locale: str, request: Request, next: Next = "/") -> Response:
    response = RedirectResponse(safe_next(next), status_code=303)
    if locale in LOCALES:
        response.set_cookie(LANG_COOKIE, locale, max_age=365 * 24 * 3600, samesite="lax",
                            secure=_secure(request), path="/")
    return response
