"""No answer over the web names a place on the server: the database whose folder has gone is
"unavailable" in the JSON and on the page (the path is in the server's log, and still in the
CLI's message); a `file` field keeps only the file's name; an unexpected error says nothing of
itself (tests/web/test_security_headers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ecopark.accounting.coefficients import DATA_DIR
from ecopark.core.errors import (
    Conflict,
    MissingCoefficient,
    StoreError,
    WorkbookError,
    WorkbookProblems,
)
from ecopark.store.engine import Store
from ecopark.store.migrate import upgrade
from ecopark.store.settings import Settings
from ecopark.web.app import create_app
from ecopark.web.errors import public

SECRET = "秘密目录-secret-folder"
UNAVAILABLE = {"type": "StoreError",
               "message_zh": "数据库：暂时无法使用 unavailable。建议：请稍后重试 try again later",
               "message_en": "database: 暂时无法使用 unavailable. Fix: 请稍后重试 try again later",
               "fields": {"problem": "暂时无法使用 unavailable", "hint": "请稍后重试 try again later"}}


def test_a_database_gone_from_under_the_server_is_unavailable_without_its_path(
        tmp_path: Path, settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    folder = tmp_path / SECRET
    store = Store(f"sqlite:///{folder / 'ecopark.sqlite'}")
    upgrade(store)
    with TestClient(create_app(settings, store)) as client:
        folder.rename(tmp_path / "moved")
        store.dispose()  # the next request opens the file anew, and cannot
        with caplog.at_level("ERROR", logger="ecopark.web"):
            api = client.get("/api/v1/parks", headers={"Authorization": "Bearer " + "x" * 40})
            client.cookies.set("ecopark_session", "x" * 40)
            page = client.get("/parks")
    assert api.status_code == 503 and api.json() == {"error": UNAVAILABLE}
    assert page.status_code == 503 and page.headers["content-type"].startswith("text/html")
    assert "暂时无法使用" in page.text and "请稍后重试" in page.text  # the page speaks one language
    for text in (api.text, page.text):
        assert "secret-folder" not in text and tmp_path.name not in text and "sqlite" not in text
    assert "secret-folder/ecopark.sqlite: unable to open database file" in caplog.text
    store.dispose()


def test_a_store_error_keeps_its_detail_outside_the_web() -> None:
    detailed = StoreError(f"无法连接数据库 cannot connect to sqlite:////srv/{SECRET}/x.sqlite")
    assert SECRET in str(detailed)  # what the CLI prints
    assert SECRET not in public(detailed).message("en")
    conflict = Conflict(problem="已存在 exists already", kind="园区 park", key="甲")
    assert public(conflict) is conflict  # a conflict says what the client did


def test_a_file_field_keeps_only_the_file_name() -> None:
    missing = MissingCoefficient("电网排放因子集 grid factor set 'x'", str(DATA_DIR))
    assert public(missing).fields()["file"] == "data"
    nested = WorkbookProblems(f"/tmp/{SECRET}/upload.xlsx", [
        WorkbookError(f"/tmp/{SECRET}/upload.xlsx", "表1", "B2", "不是数字 not a number")])
    shown = public(nested)
    assert SECRET not in shown.message("zh") and SECRET not in str(shown.fields())
    assert shown.message("en").startswith("file upload.xlsx has 1 problems")
