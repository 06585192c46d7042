"""The core never imports the store or the web layer; only web/ imports the web framework, and
only store/ (and the layers over it: web, cli, and jobs, whose state lives in the database)
the database libraries."""

from __future__ import annotations

import re
from pathlib import Path

import ecopark

SRC = Path(ecopark.__file__).parent
WEB = re.compile(r"^\s*(from|import)\s+(fastapi|starlette|uvicorn|ecopark\.web)\b", re.M)
DB = re.compile(r"^\s*(from|import)\s+(sqlalchemy|alembic|psycopg|argon2|ecopark\.store)\b", re.M)


def _modules(*excluded: str) -> list[Path]:
    return [p for p in SRC.rglob("*.py") if p.relative_to(SRC).parts[0] not in excluded]


def test_only_web_and_the_cli_import_the_web_layer() -> None:
    for path in _modules("web", "cli"):
        assert not WEB.search(path.read_text(encoding="utf-8")), path


def test_the_core_never_imports_the_store() -> None:
    for path in _modules("store", "web", "cli", "jobs"):
        assert not DB.search(path.read_text(encoding="utf-8")), path


def test_the_store_never_imports_the_web_layer() -> None:
    for path in (SRC / "store").rglob("*.py"):
        assert not WEB.search(path.read_text(encoding="utf-8")), path
