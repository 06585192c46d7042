"""docs/deploy.md must not drift from what it documents: every setting the server reads and
every variable compose.yaml takes from .env is in its tables, and deploy/env.example names each
variable compose.yaml requires."""

from __future__ import annotations

import re
from pathlib import Path

from ecopark.store.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
COMPOSE = (ROOT / "compose.yaml").read_text(encoding="utf-8")
EXAMPLE = (ROOT / "deploy" / "env.example").read_text(encoding="utf-8")


def _table_rows() -> set[str]:
    return {name for line in DOC.splitlines() if line.startswith("| `")
            for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", line.split("|")[1])}


def test_every_setting_is_in_the_table() -> None:
    rows = _table_rows()
    for name in Settings.model_fields:
        assert f"ECOPARK_{name.upper()}" in rows, name
    assert "ECOPARK_DB_APP_ROLE" in rows


def test_every_compose_variable_is_in_the_table_and_the_required_ones_in_the_example() -> None:
    used = set(re.findall(r"\$\{([A-Z0-9_]+)", COMPOSE))
    required = set(re.findall(r"\$\{([A-Z0-9_]+):\?", COMPOSE))
    assert required == {"POSTGRES_PASSWORD", "ECOPARK_OWNER_PASSWORD", "ECOPARK_APP_PASSWORD",
                        "ECOPARK_SECRET_KEY"}
    assert used - _table_rows() == set()
    for name in required:
        assert re.search(rf"^{name}=$", EXAMPLE, re.M), name
