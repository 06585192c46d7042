"""The API reference page at /docs: Swagger UI from the npm package that scripts/setup installs
(served from this site like the chart library, never from a CDN, no inline script) over
/openapi.json. Without the package /docs says, in Chinese and English, that the reference is
/openapi.json."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from ecopark.core.errors import NotFound
from ecopark.web.render import STATIC, render

__all__ = ["SWAGGER_UI", "router"]

SWAGGER_UI = STATIC / "vendor" / "node_modules" / "swagger-ui-dist"
_FILES = {"swagger-ui.css": "text/css", "swagger-ui-bundle.js": "text/javascript"}

router = APIRouter(include_in_schema=False)


def _installed() -> bool:
    return all((SWAGGER_UI / name).is_file() for name in _FILES)


@router.get("/docs")
def docs(request: Request) -> HTMLResponse:
    """Swagger UI, or the note pointing to /openapi.json when it is not installed."""
    return render(request, "api_docs.html", swagger=_installed())


@router.get("/static/vendor/swagger-ui/{name}")
def swagger_file(name: str) -> Response:
    """swagger-ui.css or swagger-ui-bundle.js from the installed package; 404 otherwise."""
    if name not in _FILES or not (SWAGGER_UI / name).is_file():
        raise NotFound("API 文档界面文件 API docs file", name)
    return FileResponse(SWAGGER_UI / name, media_type=_FILES[name],
                        headers={"Cache-Control": "public, max-age=86400"})
