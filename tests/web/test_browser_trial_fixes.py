"""What the browser trial of issue 15 (part 7) found, each fixed: the zero-carbon park's trends
link, requirements in one notation (≥ 3), chart labels with the indicator's decimals, units in
English in English mode, errors in the page's language only and without command-line hints, the
empty user name's message. The phone-width overflow is checked in a browser
(tests/browser/test_phone_width.py)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ecopark.core.errors import NotFound, WorkbookError
from ecopark.core.units import pretty
from ecopark.web import plain_text

from ..conftest import SEED
from ..dbfixtures import World
from .pages import form_fields, sign_in, token
from .test_pages_plain_words import page_text
from .test_pages_sections import zc  # noqa: F401 (the zero-carbon park fixture)

_CJK = re.compile(r"[\u4e00-\u9fff]")


def test_the_zero_carbon_trends_default_to_its_first_indicator(client: TestClient, world: World,
                                                                zc: int) -> None:  # noqa: F811
    sign_in(client, world, "admin")
    reply = client.get(f"/parks/{zc}/trends")
    assert reply.status_code == 200
    assert re.search(r'<option value="1" selected>1\. ', reply.text)
    seed = client.get(f"/parks/{world.park_a}/trends")
    assert re.search(r'<option value="1" selected>1\. 高新技术企业工业总产值占园区工业总产值比例', seed.text)


def test_requirements_read_the_same_everywhere(client: TestClient, world: World) -> None:
    sign_in(client, world, "officer-a")
    trends = page_text(client.get(f"/parks/{world.park_a}/trends?n=26").text)
    trace = page_text(client.get(f"/parks/{world.park_a}/years/2018/indicators/26").text)
    table = client.get(f"/parks/{world.park_a}/years/2018").text
    for text in (trends, trace):
        assert ">=" not in text and "≥3" not in text
    assert re.search(r"2018\s+-5\.54\s+≥ 3\s+✗ 未达标", trends)
    assert re.search(r"要求\s+≥ 3\s", trace)
    assert re.search(r"指标值 ≥ 3\s+=\s+✗", trace)
    cells = re.findall(r'<td class="req">([^<]*)</td>', table)  # the park-year's table too
    assert "≥ 30" in cells and not [c for c in cells if ">=" in c or re.search("[≥≤]\\d", c)]


def test_chart_labels_carry_the_indicators_decimals(client: TestClient, world: World) -> None:
    sign_in(client, world, "officer-a")
    page = client.get(f"/parks/{world.park_a}/trends?n=26").text
    chart = json.loads(html.unescape(re.search(r'data-chart="([^"]*)"', page).group(1)))
    assert chart["values"] == [pytest.approx(-5.53534025055)]
    assert chart["texts"] == ["-5.54"]
    from importlib.resources import files
    script = files("ecopark.web").joinpath("static/charts.js").read_text(encoding="utf-8")
    assert 'label: { show: true, position: "top", formatter: shown }' in script


def test_units_are_english_in_english_mode(client: TestClient, world: World) -> None:
    assert [pretty(u, "en") for u in ("万元/人", "万m3", "吨标准煤/万元", "亿元/km2", "家", "t/万元")] == [
        "10⁴ yuan/person", "10⁴ m³", "tce/10⁴ yuan", "10⁸ yuan/km²", "enterprises", "t/10⁴ yuan"]
    assert pretty("万元/人") == "万元/人" and pretty("km2") == "km²"
    sign_in(client, world, "officer-a")
    client.cookies.set("ecopark_lang", "en")
    trace = page_text(client.get(f"/parks/{world.park_a}/years/2018/indicators/2").text)
    assert "10⁴ yuan/person" in trace and "万元" not in trace
    table = page_text(client.get(f"/parks/{world.park_a}/years/2018").text)
    assert "10⁸ yuan/km²" in table and "亿元" not in table


def test_a_bilingual_error_is_shown_in_one_language(client: TestClient, world: World) -> None:
    missing = NotFound("公开信息 published information", "2")
    assert plain_text.message(missing, "zh") == "未找到 公开信息：2"
    assert plain_text.message(missing, "en") == "published information not found: 2"
    for lang, wanted in (("zh_CN", "未找到 公开信息：999"), ("en", "published information not found: 999")):
        client.cookies.set("ecopark_lang", lang)
        reply = client.get("/public/parks/999")
        assert reply.status_code == 404
        message = re.search(r'<p class="message">(.*?)</p>', reply.text).group(1)
        assert message == wanted
        assert bool(_CJK.search(message)) == (lang == "zh_CN")


def test_a_hint_meant_for_the_command_line_is_not_shown() -> None:
    # as io/printed_table.py raises it for a table without its evaluation year
    error = WorkbookError("t.docx", "表格1", "", "未找到评价年份（如“数据基准年为2018年”）"
                          "no evaluation year in the document",
                          "用 --year 指定评价年份，如 --year 2018 pass --year, e.g. --year 2018")
    assert plain_text.message(error, "zh") == \
        "文件 t.docx，工作表 表格1：未找到评价年份（如“数据基准年为2018年”）"
    assert plain_text.message(error, "en") == \
        "file t.docx, sheet 表格1: no evaluation year in the document"
    assert plain_text.one_language("写法应为 X[单位] expected X[UNIT]", "en") == "expected X[UNIT]"
    assert plain_text.one_language("纯中文", "en") == "纯中文"
    control = "含有不可见的控制字符 U+202E contains the invisible control character U+202E"
    assert plain_text.one_language(control, "zh") == "含有不可见的控制字符 U+202E"
    assert plain_text.one_language(control, "en") == "contains the invisible control character U+202E"
    assert plain_text.one_language("须低于 5 t", "en") == "须低于 5 t"  # a unit, not English
    assert plain_text.plain_rule(">= 3") == plain_text.plain_rule("≥3") == "≥ 3"


def test_the_verify_page_gives_no_command_line_advice(client: TestClient, world: World) -> None:
    # a printed table of 2017 under an evaluation of 2018: the core advises "--year 2017"
    seed = SEED.read_text(encoding="utf-8").replace("reported:\n  year: 2018",
                                                     "reported:\n  year: 2017")
    sign_in(client, world, "reviewer")
    page = client.get("/review/verify").text
    reply = client.post("/review/verify", data={"csrf_token": token(page)},
                        files={"file": ("seed.yaml", seed.encode("utf-8"), "text/yaml")})
    assert reply.status_code == 422
    error = re.search(r'<div class="form-error" role="alert">(.*?)</div>', reply.text).group(1)
    assert "表中数值属于 2017 年，而评价年份为 2018 年" in error
    assert "--year" not in error and "printed table" not in error


def test_an_empty_user_name_asks_for_one(client: TestClient, world: World) -> None:
    sign_in(client, world, "admin")
    page = client.get("/admin").text
    data = {k: v for k, v in form_fields(page).items() if not k.startswith(("park_", "year"))}
    data.update({"name": "", "role": "reviewer", "password": "A-long-enough-pass-9"})
    reply = client.post("/admin/users", data=data)
    assert reply.status_code == 422
    assert "请填写用户名。" in reply.text and "用户名不能含空格或斜杠" not in reply.text
    reply = client.post("/admin/users", data={**data, "name": "a b"})
    assert reply.status_code == 422 and "用户名不能含空格或斜杠。" in reply.text


def test_a_verified_table_is_shown_by_a_get_that_reloads_safely(client: TestClient,
                                                                 world: World) -> None:
    sign_in(client, world, "reviewer")
    page = client.get("/review/verify").text
    table = Path(__file__).resolve().parents[1] / "data" / "wujin-2018-table.docx"
    reply = client.post("/review/verify", data={"csrf_token": token(page)},
                        files={"file": (table.name, table.read_bytes())}, follow_redirects=False)
    assert reply.status_code == 303
    shown = reply.headers["location"]
    assert shown.startswith("/review/verify?result=")
    first, again = client.get(shown), client.get(shown)  # a reload verifies the kept file again
    assert first.status_code == again.status_code == 200
    assert "findings-table" in first.text and page_text(first.text) == page_text(again.text)
    assert "wujin-2018-table.docx" in first.text
    sign_in(client, world, "admin")  # another person's result is not theirs to see
    other = client.get(shown)
    assert other.status_code == 404 and "该核查结果已不再保留" in other.text
