"""`create_app(settings)`: the FastAPI application over one store: the JSON API under /api/v1
(its reference at /docs: `ecopark.web.api_docs`) and the web pages (`ecopark.web.pages`), with
one error handler and the security-header and body-limit middleware."""

from __future__ import annotations

import functools
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from ecopark import metrics
from ecopark.core.framework.loading import available_frameworks, load_framework
from ecopark.jobs import JobQueue, email
from ecopark.store.engine import Store, resolve_url
from ecopark.store.migrate import require_current
from ecopark.store.settings import Settings
from ecopark.version import __version__
from ecopark.web import (
    api,
    api_docs,
    errors,
    observe,
    pages,
    pages_lifecycle,
    routes_health,
    turns,
)
from ecopark.web.assessed import Assessed
from ecopark.web.cache import ReplyCache
from ecopark.web.middleware import BodyLimit, SecurityHeaders

__all__ = ["app_from_environment", "create_app"]

_DESCRIPTION = """生态工业园区评价 API — evaluate eco-industrial parks (HJ 274-2015 first).

Sign in with `POST /api/v1/auth/login` (a session cookie; send the returned `csrf_token` as
`X-CSRF-Token` with every change) or send `Authorization: Bearer <token>` (`ecopark tokens
create NAME`). Every error has the shape
`{"error": {"type", "message_zh", "message_en", "fields"}}`.
"""


def create_app(settings: Settings, store: Store | None = None) -> FastAPI:
    """The app. Refuses unsafe settings outside demo mode and a database whose schema is not
    current (run `ecopark db upgrade`)."""
    settings.check_for_server()
    if store is None:
        store = Store(resolve_url(settings.database_url), settings.timeouts())
        try:
            require_current(store)
        except BaseException:
            store.dispose()
            raise
    else:
        require_current(store)
    for framework in available_frameworks():  # parsed and compiled once, before any request
        load_framework(framework)
    app = FastAPI(title="ecopark", version=__version__, description=_DESCRIPTION,
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json",
                  lifespan=_lifespan)
    app.state.settings, app.state.store = settings, store
    app.state.jobs = JobQueue(store, settings)
    email.enable(app.state.jobs)  # notifications by e-mail when ECOPARK_SMTP_HOST is set
    app.state.replies = ReplyCache[bytes]()
    app.state.views = ReplyCache[Assessed](size=256)
    app.state.pages = ReplyCache[str](size=256)
    errors.install(app)
    app.include_router(api.router)
    app.include_router(api_docs.router)  # before pages: its files are under /static
    app.include_router(routes_health.router)
    app.include_router(observe.router)
    app.include_router(pages_lifecycle.router)
    pages.install(app)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(observe.RequestLog, trust_request_id=settings.trust_request_id)
    return app


def app_from_environment() -> FastAPI:
    """The app of one worker process of `ecopark serve --workers N`: everything from the
    environment (ECOPARK_DATABASE_URL, ECOPARK_SECRET_KEY, …), as the parent process set it."""
    settings = Settings()
    observe.configure_logging(settings.log_format)
    return create_app(settings)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    turns.install(app, app.state.settings.read_slots)
    _freeze_start_up()
    jobs: JobQueue = app.state.jobs
    jobs.resume()  # in-process: the jobs left queued when the server last stopped
    try:
        yield
    finally:
        jobs.stop()
        metrics.process_exited()


@functools.cache  # once per process: what is frozen is never collected (tests build many apps)
def _freeze_start_up() -> None:
    """Keep what exists when serving starts (modules, frameworks, templates, routes: about
    200,000 objects) out of the garbage collector's full passes. Each pass otherwise walks them
    all — about 80 ms of CPU in which no request is answered, every thousand or so requests."""
    gc.collect()
    gc.freeze()
