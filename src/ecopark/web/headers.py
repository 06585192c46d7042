"""The security headers of every response, by what was asked for (the API and its schema, the
API docs, a page, a static file): nosniff, no framing, a same-origin referrer policy, a
Content-Security-Policy without inline code or another site, no-store for the API and the
pages, HSTS under https. The middleware adds them to what the app answers; the handler of
unexpected errors, which answers outside the middleware, adds them itself."""

from __future__ import annotations

__all__ = ["security_headers"]

_API_CSP = "default-src 'none'; frame-ancestors 'none'"
# pages: scripts and styles from this site only (no inline scripts, no CDN), forms post here
_PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
             "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
             "form-action 'self'; frame-ancestors 'none'")
# the API docs (Swagger UI served from this site by `ecopark.web.api_docs`): as strict. Swagger
# UI sets style properties from its scripts (CSSOM), which a CSP does not govern, and injects no
# <style> element, so no 'unsafe-inline' (checked in Chromium: tests/browser/test_api_docs.py);
# its icons are data: images; "Try it out" fetches from this site.
_DOCS_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
             "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
             "frame-ancestors 'none'")

_CSP = {"api": _API_CSP, "docs": _DOCS_CSP, "page": _PAGE_CSP, "static": _PAGE_CSP}


def _kind(path: str) -> str:
    if path == "/docs":
        return "docs"
    if path.startswith(("/api/", "/openapi.json")):
        return "api"
    return "static" if path.startswith("/static/") else "page"


def security_headers(path: str, https: bool) -> list[tuple[bytes, bytes]]:
    """The headers of a response to `path`: the same for every status, errors included."""
    kind = _kind(path)
    out = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
           (b"referrer-policy", b"same-origin"), (b"cross-origin-opener-policy", b"same-origin"),
           (b"content-security-policy", _CSP[kind].encode())]
    if kind in ("api", "page"):
        out.append((b"cache-control", b"no-store"))
    if https:
        out.append((b"strict-transport-security", b"max-age=31536000"))
    return out
