"""The web pages, mounted beside the JSON API in the same app: every page router, the static
files (CSS, the small scripts, the chart library installed by `scripts/setup`; of the installed
npm packages only the files a route names)."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles

from ecopark.core.errors import NotFound
from ecopark.web import (
    pages_admin,
    pages_analysis,
    pages_auth,
    pages_batch,
    pages_campaigns,
    pages_data,
    pages_downloads,
    pages_enterprise,
    pages_jobs,
    pages_notifications,
    pages_park,
    pages_profile,
    pages_public,
    pages_review,
    pages_sections,
    pages_values,
    pages_years,
)
from ecopark.web.render import ECHARTS, STATIC

__all__ = ["install"]

_vendor = APIRouter(include_in_schema=False)


@_vendor.get("/static/vendor/echarts.min.js")
def echarts() -> Response:
    """Apache ECharts from the npm package that scripts/setup installs (never from a CDN);
    404 when it is not installed: pages then show their tables and a note instead of charts."""
    if not ECHARTS.is_file():
        raise NotFound("图表库 chart library", "echarts.min.js")
    return FileResponse(ECHARTS, media_type="text/javascript",
                        headers={"Cache-Control": "public, max-age=86400"})


@_vendor.get("/static/vendor/{rest:path}")
def vendor_rest(rest: str) -> Response:
    """Nothing else of the installed npm packages is served (their demo pages, source maps,
    package files): only the files named by a route."""
    raise NotFound("文件 file", f"/static/vendor/{rest}"[:200])


def install(app: FastAPI) -> None:
    app.include_router(_vendor)
    for module in (pages_auth, pages_park, pages_data, pages_sections, pages_profile, pages_values,
                   pages_downloads, pages_jobs, pages_batch, pages_enterprise, pages_review,
                   pages_admin, pages_public, pages_years, pages_analysis, pages_campaigns,
                   pages_notifications):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC, follow_symlink=False), name="static")
