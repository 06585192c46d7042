"""The web application: the JSON API under /api/v1 (FastAPI) with OpenAPI docs at /docs.

Only this package imports the web framework; it calls the store and the core, never the other
way round. `create_app(settings)` builds the app.
"""
