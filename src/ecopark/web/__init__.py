"""The web application: the JSON API under /api/v1 (FastAPI) with OpenAPI docs at /docs, and the
server-rendered pages beside it (`pages.py`: Jinja2 templates, zh-CN first with English, CSRF
on every form, a strict CSP; see docs/web.md).

Only this package imports the web framework; it calls the store and the core, never the other
way round. `create_app(settings, store)` builds the app.
"""
