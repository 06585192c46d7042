"""A downloaded file is named for what it is, in the page's language: the park, the year and
对照考核表 / 数据文件 / 填报模板 (assessment-table / data / workbook-template in English)."""

from __future__ import annotations

from urllib.parse import unquote

from fastapi.testclient import TestClient

from ..dbfixtures import World
from .pages import sign_in


def _name(client: TestClient, path: str) -> str:
    reply = client.get(path)
    assert reply.status_code == 200
    return unquote(reply.headers["content-disposition"].split("filename*=UTF-8''")[1])


def test_downloads_are_named_in_the_page_s_language(client: TestClient, world: World) -> None:
    sign_in(client, world, "officer-a")
    base = f"/parks/{world.park_a}/years/2018/download"
    park = "江苏武进经济开发区"
    assert [_name(client, f"{base}/{kind}") for kind in (
        "table.xlsx", "table.docx", "dataset.yaml", "template.xlsx")] == [
        f"{park}-2018-对照考核表.xlsx", f"{park}-2018-对照考核表.docx",
        f"{park}-2018-数据文件.yaml", f"{park}-2018-填报模板.xlsx"]
    client.cookies.set("ecopark_lang", "en")
    assert _name(client, f"{base}/table.xlsx") == f"{park}-2018-assessment-table.xlsx"
    assert _name(client, f"{base}/dataset.yaml") == f"{park}-2018-data.yaml"
