"""Administration: users (add, (de)activate, set a password), their roles, API tokens (listed,
revoked; never their secrets), parks and enterprises. Admins only; every form error is shown
next to its field."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from ecopark.core.errors import Conflict, EcoparkError, InvalidValue, NotFound
from ecopark.store import auth, repository, submissions
from ecopark.store import models as m
from ecopark.store.permissions import Principal, require_admin
from ecopark.web import plain_text
from ecopark.web.deps import Db, Id, settings_of
from ecopark.web.flash import done
from ecopark.web.i18n import Translator
from ecopark.web.page_deps import CheckedForm, Viewer, field
from ecopark.web.render import render, translator_of

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _admin(who: Principal) -> None:
    require_admin(who, "管理 administer")


def _page(request: Request, session: Session, status: int = 200, form: str = "",
          errors: dict[str, str] | None = None, typed: dict[str, str] | None = None) -> Response:
    users = session.scalars(select(m.User).order_by(m.User.name)).all()
    parks = repository.list_parks(session)
    enterprises = session.scalars(select(m.Enterprise).order_by(m.Enterprise.name)).all()
    return render(request, "admin.html", status=status, users=users, parks=parks,
                  enterprises=enterprises, form=form, errors=errors or {}, typed=typed or {},
                  role_names=m.ROLES, tokens=auth.list_tokens(session))


@router.get("/admin", response_class=HTMLResponse)
def admin(request: Request, session: Db, who: Viewer) -> Response:
    _admin(who)
    return _page(request, session)


def _id(form: FormData, name: str) -> int | None:
    text = field(form, name, 12)
    return int(text) if text.isdigit() else None


@router.post("/admin/users", response_class=HTMLResponse)
def add_user(request: Request, form: CheckedForm, session: Db, who: Viewer) -> Response:
    _admin(who)
    t = translator_of(request)
    typed = {k: field(form, k, 200) for k in ("name", "role", "park_id", "enterprise_id",
                                              "email")}
    errors = _user_errors(typed, str(form.get("password") or ""), t)
    if not errors:
        try:
            _create_user(request, session, typed, str(form.get("password") or ""))
            return done("/admin", "user-added", anchor="#users")
        except EcoparkError as exc:
            errors = {_field_of(exc): plain_text.message(exc, t.lang)}
    return _page(request, session, 422, "user", errors, typed)


def _user_errors(typed: dict[str, str], password: str, t: Translator) -> dict[str, str]:
    errors = {}
    if not typed["name"]:
        errors["name"] = t.gettext("Fill in the user name.")
    elif any(c.isspace() or c == "/" for c in typed["name"]):
        errors["name"] = t.gettext("A user name without spaces or slashes.")
    if typed["role"] not in m.ROLES:
        errors["role"] = t.gettext("Choose a role.")
    if len(password) < auth.MIN_PASSWORD:
        errors["password"] = t.gettext("At least %(n)s characters.", n=auth.MIN_PASSWORD)
    if typed["role"] == "park_officer" and not typed["park_id"]:
        errors["park_id"] = t.gettext("A park officer needs a park.")
    if typed["role"] == "enterprise" and not typed["enterprise_id"]:
        errors["enterprise_id"] = t.gettext("An enterprise user needs an enterprise.")
    if not _email_ok(typed["email"]):
        errors["email"] = t.gettext("An e-mail address such as name@example.cn, or nothing.")
    return errors


def _email_ok(text: str) -> bool:
    """Empty, or one address: something@domain.tld without spaces."""
    local, at, domain = text.partition("@")
    return not text or (bool(at and local and "." in domain.strip(".")) and not any(
        c.isspace() or c in ",;<>" for c in text) and "@" not in domain)


def _create_user(request: Request, session: Session, typed: dict[str, str], password: str) -> None:
    role = typed["role"]
    park = session.get(m.Park, int(typed["park_id"])) \
        if role == "park_officer" and typed["park_id"].isdigit() else None
    enterprise = session.get(m.Enterprise, int(typed["enterprise_id"])) \
        if role == "enterprise" and typed["enterprise_id"].isdigit() else None
    user = auth.create_user(session, typed["name"], role, password,
                            auth.hasher(settings_of(request)), park=park, enterprise=enterprise)
    user.email = typed["email"] or None
    session.flush()


@router.post("/admin/users/{user_id}/email", response_class=HTMLResponse)
def set_email(user_id: Id, request: Request, form: CheckedForm, session: Db,
              who: Viewer) -> Response:
    """The address the user's notifications are e-mailed to (empty: none)."""
    _admin(who)
    user = session.get(m.User, user_id)
    if user is None:
        raise NotFound("用户 user", str(user_id))
    email = field(form, "email", 200)
    if not _email_ok(email):
        t = translator_of(request)
        return _page(request, session, 422, f"email-{user.id}", {f"email-{user.id}": t.gettext(
            "An e-mail address such as name@example.cn, or nothing.")})
    user.email = email or None
    session.flush()
    return done("/admin", "user-saved", anchor="#users")


def _field_of(exc: EcoparkError) -> str:
    if isinstance(exc, InvalidValue):
        return {"park": "park_id", "enterprise": "enterprise_id"}.get(exc.field, exc.field)
    return "name"


@router.post("/admin/users/{user_id}/active")
def toggle_user(user_id: Id, form: CheckedForm, session: Db, who: Viewer) -> Response:
    _admin(who)
    user = session.get(m.User, user_id)
    if user is None:
        raise NotFound("用户 user", str(user_id))
    auth.set_active(session, user, field(form, "active") == "1", who)
    session.flush()
    return RedirectResponse("/admin#users", status_code=303)


@router.post("/admin/users/{user_id}/password", response_class=HTMLResponse)
def set_password(user_id: Id, request: Request, form: CheckedForm, session: Db,
                 who: Viewer) -> Response:
    _admin(who)
    user = session.get(m.User, user_id)
    if user is None:
        raise NotFound("用户 user", str(user_id))
    password = str(form.get("password") or "")[:1000]
    t = translator_of(request)
    if len(password) < auth.MIN_PASSWORD:
        return _page(request, session, 422, f"password-{user.id}", {
            f"password-{user.id}": t.gettext("At least %(n)s characters.", n=auth.MIN_PASSWORD)})
    try:
        auth.set_password(session, user, password, auth.hasher(settings_of(request)))
    except InvalidValue as exc:
        return _page(request, session, 422, f"password-{user.id}",
                     {f"password-{user.id}": plain_text.message(exc, t.lang)})
    session.flush()
    return RedirectResponse("/admin#users", status_code=303)


@router.post("/admin/tokens/{token_id}/revoke")
def revoke_token(token_id: Id, form: CheckedForm, session: Db, who: Viewer) -> Response:
    _admin(who)
    auth.revoke_token(session, token_id, who)
    return RedirectResponse("/admin#tokens", status_code=303)


@router.post("/admin/parks", response_class=HTMLResponse)
def add_park(request: Request, form: CheckedForm, session: Db, who: Viewer) -> Response:
    _admin(who)
    t = translator_of(request)
    name, province = field(form, "park_name", 200), field(form, "province", 100)
    typed = {"park_name": name, "province": province}
    if not name:
        return _page(request, session, 422, "park", {"park_name": t.gettext("Required.")}, typed)
    if session.scalars(select(m.Park.id).where(m.Park.name == name)).first() is not None:
        return _page(request, session, 422, "park", {"park_name": t.gettext(
            "A park of this name exists already.")}, typed)
    session.add(m.Park(name=name, province=province or None))
    session.flush()
    return RedirectResponse("/admin#parks", status_code=303)


@router.post("/admin/enterprises", response_class=HTMLResponse)
def add_enterprise(request: Request, form: CheckedForm, session: Db, who: Viewer) -> Response:
    _admin(who)
    t = translator_of(request)
    typed = {"enterprise_name": field(form, "enterprise_name", 200),
             "enterprise_park": field(form, "enterprise_park", 12)}
    park = session.get(m.Park, int(typed["enterprise_park"])) \
        if typed["enterprise_park"].isdigit() else None
    errors = {}
    if not typed["enterprise_name"]:
        errors["enterprise_name"] = t.gettext("Required.")
    if park is None:
        errors["enterprise_park"] = t.gettext("Choose a park.")
    if not errors and park is not None:
        try:
            submissions.create_enterprise(session, park, typed["enterprise_name"])
            return RedirectResponse("/admin#enterprises", status_code=303)
        except Conflict:
            errors["enterprise_name"] = t.gettext("This park has an enterprise of this name "
                                                  "already.")
    return _page(request, session, 422, "enterprise", errors, typed)
