"""Server-rendered pages: the Jinja2 environment (autoescaping on for every template) and
`render`, which adds what the shared layout needs — the language, the signed-in user, the
form token, the navigation — to a page's own values.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from jinja2.utils import concat
from markupsafe import Markup

from ecopark.core.framework.model import Framework
from ecopark.core.numbers import format_value
from ecopark.core.units import pretty
from ecopark.reports.wording import table_name
from ecopark.store.permissions import Principal
from ecopark.web.cache import Key, ReplyCache
from ecopark.web.flash import flash_of
from ecopark.web.i18n import COOKIE, LOCALES, N_, Translator, translator
from ecopark.web.item_words import enterprise_item_name
from ecopark.web.labels import LABELS
from ecopark.web.plain_text import for_page, plain_rule

__all__ = ["ECHARTS", "STATIC", "TEMPLATES", "environment", "nav", "render", "render_cached",
           "translator_of"]

WEB = Path(__file__).parent
TEMPLATES = WEB / "templates"
STATIC = WEB / "static"
ECHARTS = STATIC / "vendor" / "node_modules" / "echarts" / "dist" / "echarts.min.js"


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      auto_reload=False)
    env.filters["unit"] = _unit
    env.filters["in_lang"] = _in_lang
    env.filters["rule"] = plain_rule
    env.filters["value"] = format_value
    env.filters["table_name"] = _table_name
    env.filters["enterprise_item"] = _enterprise_item
    env.globals.update(LABELS)
    return env


@pass_context
def _unit(context: Context, unit: str) -> str:
    """A unit in the page's language (English names of Chinese unit words in English)."""
    t = context.get("t")
    return pretty(unit, t.lang if isinstance(t, Translator) else "zh")


@pass_context
def _enterprise_item(context: Context, item: str, framework: Framework) -> str:
    """An item as an enterprise reports it, in the page's language: 企业工业总产值, not the
    park's 园区工业总产值."""
    t = context.get("t")
    return enterprise_item_name(framework, item, t.lang if isinstance(t, Translator) else "zh")


@pass_context
def _table_name(context: Context, framework: Framework) -> str:
    """What the framework calls its table, in the page's language: 对照考核表 (HJ 274),
    指标对照表 (zero-carbon parks)."""
    t = context.get("t")
    return table_name(framework, t.lang if isinstance(t, Translator) else "zh")


@pass_context
def _in_lang(context: Context, text: str) -> str:
    """A bilingual "中文 English" text (a problem found in a file) in the page's language,
    without a hint meant for the command line."""
    t = context.get("t")
    return for_page(text, t.lang if isinstance(t, Translator) else "zh")


environment = _environment()


def translator_of(request: Request) -> Translator:
    return translator(request.cookies.get(COOKIE))


def nav(who: Principal | None) -> list[tuple[str, str]]:
    """(msgid, path) of the navigation links a role sees."""
    if who is None:
        return [(N_("Public disclosure"), "/public")]
    by_role = {
        "admin": [(N_("Parks"), "/parks"), (N_("Comparison"), "/review"), (N_("Administration"), "/admin"),
                  (N_("Bulk import"), "/admin/import")],
        "reviewer": [(N_("Parks"), "/parks"), (N_("Comparison"), "/review"),
                     (N_("Verify a printed table"), "/review/verify"),
                     (N_("Verify tables in a batch"), "/review/batch")],
        "park_officer": [(N_("My park"), f"/parks/{who.park_id}"),
                         (N_("Submissions"), f"/parks/{who.park_id}/submissions"),
                         (N_("Reporting campaigns"), f"/parks/{who.park_id}/campaigns"),
                         (N_("Import a workbook"), f"/parks/{who.park_id}/upload"),
                         (N_("Disclosure settings"), f"/parks/{who.park_id}/publish")],
        "enterprise": [(N_("My enterprise"), f"/enterprises/{who.enterprise_id}")],
    }
    return [*by_role.get(who.role, []), (N_("Public disclosure"), "/public")]


def _context(request: Request, values: dict[str, Any]) -> dict[str, Any]:
    t = translator_of(request)
    who: Principal | None = getattr(request.state, "who", None)
    return {"_": t.gettext, "t": t, "who": who, "csrf": getattr(request.state, "csrf", ""),
            "path": request.url.path, "full_path": _full_path(request), "locales": LOCALES,
            "nav": nav(who), "flash": flash_of(request, t),
            "unread": getattr(request.state, "unread", None),
            "kept": getattr(request.state, "kept", None), **values}


def render(request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    html = environment.get_template(template).render(_context(request, values))
    return HTMLResponse(html, status_code=status)


def render_cached(request: Request, template: str, cache: ReplyCache[str], key: Key,
                  title: str, **values: Any) -> HTMLResponse:
    """A page whose main part (the same for every user of a role and language, e.g. the
    dashboard's table) comes from `cache` under `key`; only the layout is rendered anew."""

    def make() -> str:
        page = environment.get_template(template)
        return concat(page.blocks["main"](page.new_context(_context(request, values))))

    return render(request, "cached.html", title=title,
                  main_html=Markup(cache.get_or_make(key, make)))


def _full_path(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")
