"""Hostile uploads: parsed in a child process with memory and CPU limits, refused with a typed
JSON error that names the uploaded file (never the server's temporary path); the server answers
on afterwards."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ecopark.store.engine import Store
from ecopark.store.settings import Settings
from ecopark.web.app import create_app
from tests.io.hostile import DOCX, paragraph_bomb, sparse_sheets

from ..dbfixtures import World

V1 = "/api/v1"
TOGETHER = "各工作表合计超过 5,000,000 个单元格（计至此表）the sheets together have more than " \
    "5,000,000 cells"


def post_table(client: TestClient, world: World, name: str,
               data: bytes) -> tuple[int, Any]:
    response = client.post(f"{V1}/parks/{world.park_a}/years/2018/reported/upload",
                           files={"file": (name, data)}, headers=world.headers("reviewer"))
    return response.status_code, response.json()


def test_sixty_sparse_sheets_are_a_4xx_json_error_and_the_server_answers_on(
        client: TestClient, world: World, tmp_path: Path) -> None:
    path = sparse_sheets(tmp_path / "upload.xlsx", 60)
    status, body = post_table(client, world, "园区表.xlsx", path.read_bytes())
    assert status == 422
    error = body["error"]
    assert (error["type"], error["fields"]["file"], error["fields"]["sheet"]) == (
        "WorkbookError", "园区表.xlsx", "表2")
    assert error["message_zh"] == f"文件 园区表.xlsx，工作表 表2：{TOGETHER}。建议：删除多余的工作表和" \
        "行列，或拆分文件 delete unused sheets, rows and columns, or split the file"
    assert "ecopark-upload-" not in str(body)
    status, body = post_table(client, world, "table.docx", DOCX.read_bytes())
    assert status == 200, body
    assert client.get(f"{V1}/parks/{world.park_a}/years/2018/verification",
                      headers=world.headers("reviewer")).status_code == 200


def test_a_word_paragraph_bomb_is_refused_naming_the_uploaded_file(
        client: TestClient, world: World, tmp_path: Path) -> None:
    path = paragraph_bomb(tmp_path / "bomb.docx", 3_400_000)
    status, body = post_table(client, world, "报告.docx", path.read_bytes())
    assert status == 422
    error = body["error"]
    assert error["fields"]["file"] == "报告.docx"
    assert error["message_zh"].startswith("文件 报告.docx：文件过大或过于复杂：文档的段落超过 200,000 个")


def test_a_damaged_upload_names_the_uploaded_file_not_the_temporary_one(
        client: TestClient, world: World) -> None:
    status, body = post_table(client, world, "坏表.docx", b"PK\x03\x04 not a zip")
    assert status == 422
    assert body["error"]["fields"]["file"] == "坏表.docx"
    assert "/tmp" not in str(body) and "ecopark-upload-" not in str(body)


@pytest.fixture
def small_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"upload_memory_mb": 256})


def test_a_child_over_its_memory_limit_is_a_typed_error(store: Store, small_settings: Settings,
                                                       world: World, tmp_path: Path) -> None:
    """One sheet of A1:CV49999 is within the cell budget but needs 160 MB of calamine's grid:
    in a child of 256 MB it is killed (or fails to allocate); the server says why and answers on."""
    path = sparse_sheets(tmp_path / "one.xlsx", 1)
    with TestClient(create_app(small_settings, store)) as client:
        status, body = post_table(client, world, "one.xlsx", path.read_bytes())
        assert status == 422
        assert body["error"]["message_zh"] == (
            "文件 one.xlsx：文件过大或过于复杂，无法在限额内读取（内存 256 MB，CPU 60 秒）the file is "
            "too large or too complex to read within the limits。建议：拆分文件，或删除多余的工作表、"
            "行列与段落 split the file, or delete the sheets, rows and paragraphs not needed")
        assert client.get(f"{V1}/parks/{world.park_a}/years/2018/verification",
                          headers=world.headers("reviewer")).status_code == 200


# ------------------------------------------------------------------------ control characters in names


@pytest.mark.parametrize("name", ["园区\u202etxt.exe", "园\x00区", "园区\u2066"])
def test_the_api_refuses_a_park_name_with_a_control_character(client: TestClient, world: World,
                                                              name: str) -> None:
    reply = client.post(f"{V1}/parks", json={"name": name}, headers=world.headers("admin"))
    assert reply.status_code == 422
    assert "含有不可见的控制字符 U+" in reply.text
    names = [p["name"] for p in client.get(f"{V1}/parks", headers=world.headers("admin")).json()]
    assert name not in names


def test_a_web_form_refuses_a_park_name_with_a_right_to_left_override(client: TestClient,
                                                                      world: World) -> None:
    from .pages import csrf_of, sign_in

    sign_in(client, world, "admin")
    reply = client.post("/admin/parks", data={"csrf_token": csrf_of(client, "/admin"),
                                              "park_name": "园区\u202eexe.txt"},
                        follow_redirects=False)
    assert reply.status_code == 422
    assert "park_name" in reply.text and "U+202E" in reply.text
    assert "\u202e" not in client.get("/parks").text
