"""达标所需的改变 on the web (issue 15, part 5), on the seed park (World's park A): the gaps
limited to what a park can act on, the forecast's warnings, and the what-if that re-evaluates
typed values without saving anything. Figures checked by hand in tests/analysis/test_gap.py:
26 needs CO2 of 2018 ≤ 37968 / 192300 · 0.97⁶ · 496 758.52 = 81 698.52 t; 15 (80.23 %, within
10 % of ≥ 75 %) stays met while water reused in 2018 is ≥ 3 · 77.94 = 233.82 万m³."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from ecopark import evaluate, load_dataset, load_framework
from ecopark.store import models as m

from ..conftest import SEED
from ..dbfixtures import World
from ..reports.test_plain_words import developer_words
from .pages import sign_in
from .test_pages_plain_words import page_text
from .test_pages_sections import zc  # noqa: F401 (the zero-carbon park fixture)


def _changes(world: World) -> str:
    return f"/parks/{world.park_a}/years/2018/changes"


def _whatif(world: World) -> str:
    return f"/parks/{world.park_a}/years/2018/whatif"


def _rows(html: str, table: str) -> list[list[str]]:
    """The body rows of every table of class `table`, as the cells' texts."""
    rows = []
    for body in re.findall(rf'<table class="[^"]*{table}[^"]*">.*?<tbody>(.*?)</tbody>', html,
                           re.S):
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
            rows.append([" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells])
    return rows


def test_the_park_year_page_links_to_the_changes(client: TestClient, world: World) -> None:
    sign_in(client, world, "officer-a")
    page = client.get(f"/parks/{world.park_a}/years/2018").text
    assert f'href="{_changes(world)}">达标所需的改变</a>' in page


def test_the_gaps_name_only_what_a_park_can_act_on(client: TestClient, world: World) -> None:
    sign_in(client, world, "officer-a")
    reply = client.get(_changes(world))
    assert reply.status_code == 200
    text = page_text(reply.text)
    assert re.findall(r'<article class="gap" id="gap-(\d+)">', reply.text) == ["3", "15", "26"]
    assert ("指标26（单位工业增加值二氧化碳排放量年均削减率）为-5.54%，要求不低于3%。在其余数据不变的情况下，"
            "2018年二氧化碳排放量须由135,509.97吨降至不超过81,698.52吨，即降低39.7%。") in text
    # 3 (IVA growth) is moved only by value added, the park's size: no lever, said plainly
    assert ("指标3（园区工业增加值三年年均增长率）为6.37%，要求不低于15%。园区可直接调整的数据中，"
            "没有一项单独改变即可使其达标，需要多项措施共同推进。") in text
    # never IVA, never a denominator (fresh water in 15), never the base year (2012)
    assert _rows(reply.text, "gap-table") == [
        ["工业重复用水量 · 2018年", "316.30 万m³", "至少 233.82 万m³", "-26.1 %"],
        ["二氧化碳排放量 · 2018年", "135,509.97 t", "至多 81,698.52 t", "-39.7 %"]]


def test_the_outlook_names_the_mandatory_indicator_at_risk(client: TestClient,
                                                           world: World) -> None:
    sign_in(client, world, "officer-a")
    text = page_text(client.get(_changes(world)).text)
    assert ("必选指标26（单位工业增加值二氧化碳排放量年均削减率） ：按趋势将不达标（2019、2020、2021年）"
            in text)
    assert "可选指标组" not in text  # every group of the seed park stays met on trend


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_pages_read_without_developer_words(client: TestClient, world: World,
                                                lang: str) -> None:
    evaluation = evaluate(load_framework("hj274-2015"), load_dataset(SEED))
    sign_in(client, world, "officer-a")
    client.cookies.set("ecopark_lang", "en" if lang == "en" else "zh_CN")
    for path in (_changes(world), _whatif(world) + "?item=co2&value=80000"):
        # the item list offers names, some English names being their item's id ("employees")
        page = re.sub(r"<select.*?</select>", " ", client.get(path).text, flags=re.S)
        assert developer_words(page_text(page), evaluation) == [], (lang, path)
    if lang == "en":
        english = page_text(client.get(_changes(world)).text)
        assert "CO2 emitted · 2018 135,509.97 t at most 81,698.52 t -39.7 %" in " ".join(
            english.split())
        whatif = page_text(client.get(_whatif(world) + "?item=co2&value=abc").text)
        for text in (english, whatif):
            assert not re.search(r"[\u4e00-\u9fff]", text.replace("江苏武进经济开发区", ""))


def _audit_rows(world: World) -> int:
    with world.store.session(actor="t") as session:
        return int(session.scalar(select(func.count()).select_from(m.AuditEntry)) or 0)


def test_whatif_re_evaluates_without_saving(client: TestClient, world: World) -> None:
    sign_in(client, world, "officer-a")
    before = _audit_rows(world)
    reply = client.get(_whatif(world), params=[("item", "co2"), ("value", "80000"),
                                               ("item", ""), ("value", "")])
    assert reply.status_code == 200
    text = " ".join(page_text(reply.text).split())
    assert "二氧化碳排放量（2018年）：135,509.97 t → 80,000.00 t" in text
    assert "总体判定: ✗ 不达标 → ✓ 达标" in text
    # 26: 1 − ((80000 / 496758.52) / (37968 / 192300)) ** (1/6) = 3.339 %; only 26 changes
    assert _rows(reply.text, "whatif-table") == [
        ["26", "单位工业增加值二氧化碳排放量年均削减率", "-5.54 %", "3.34 %", "✗ 未达标 → ✓ 达标"]]
    assert _audit_rows(world) == before  # nothing written
    dashboard = client.get(f"/parks/{world.park_a}/years/2018").text
    assert "-5.54" in dashboard and "✗ 不达标" in dashboard
    again = client.get(str(reply.url))  # reload: the same answer, nothing resubmitted
    assert again.text.count("3.34 %") == reply.text.count("3.34 %") == 1


def test_whatif_reads_units_and_refuses_bad_rows(client: TestClient, world: World) -> None:
    sign_in(client, world, "officer-a")
    reply = client.get(_whatif(world), params=[("item", "co2"), ("value", "80000"),
                                               ("item", "iva"), ("value", "50亿元")])
    text = " ".join(page_text(reply.text).split())
    assert "工业增加值（2018年）：496,758.52 万元 → 500,000.00 万元" in text
    # 26 with IVA 500 000 万元 as well: 1 − ((80000 / 500000) / (37968 / 192300)) ** (1/6)
    assert ["26", "单位工业增加值二氧化碳排放量年均削减率", "-5.54 %", "3.44 %", "✗ 未达标 → ✓ 达标"] in \
        _rows(reply.text, "whatif-table")
    bad = client.get(_whatif(world), params=[("item", "co2"), ("value", "abc"), ("item", "iva"),
                                             ("value", "5万吨"), ("item", "nope"), ("value", "1"),
                                             ("item", "co2"), ("value", "-5")])
    assert bad.status_code == 422
    text = page_text(bad.text)
    assert "未重新评价：有 4 行需要更正（见下方标记）。" in text
    assert "请填写数字，可带单位（如 80000 或 50亿元）。" in text
    assert "单位与该数据项不符：请使用万元或可换算为它的单位。" in text
    assert "请选择数据项。" in text and "该数量不能为负。" in text
    assert "whatif-table" not in bad.text


def test_who_may_open_the_changes(client: TestClient, world: World) -> None:
    for user, status in (("reviewer", 200), ("admin", 200), ("ent-a", 403), ("officer-b", 403)):
        sign_in(client, world, user)
        for path in (_changes(world), _whatif(world) + "?item=co2&value=1"):
            assert client.get(path).status_code == status, (user, path)


def test_the_zero_carbon_park_has_its_changes_page(client: TestClient, world: World,
                                                   zc: int) -> None:  # noqa: F811
    sign_in(client, world, "admin")
    reply = client.get(f"/parks/{zc}/years/2027/changes")
    assert reply.status_code == 200
    assert "达标所需的改变" in reply.text
