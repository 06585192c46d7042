"""The park-year's 园区概况 page: the park's facts and the chapters 四/五 the officer writes,
saved through the store into the report; refused values shown next to their field (422,
nothing written); a save based on an older version refused; the drafts offered."""

from __future__ import annotations

import html
import re
from typing import Any

from fastapi.testclient import TestClient

from ecopark.core.evaluate import evaluate
from ecopark.reports.narrative import build_report
from ecopark.store import repository
from ecopark.store.profile import set_profile

from ..dbfixtures import World
from .pages import form_fields, sign_in


def _path(world: World) -> str:
    return f"/parks/{world.park_a}/years/2018/profile"


def _post(client: TestClient, path: str, changes: dict[str, str]) -> Any:
    data = form_fields(client.get(path).text)
    data.update(changes)
    return client.post(path, data=data, follow_redirects=False)


def _fields(world: World) -> dict[str, str]:
    with world.store.session(actor="t") as session:
        park = repository.get_park(session, world.park_a)
        py = repository.get_park_year(session, park, 2018)
        return {p.name: p.value for p in py.profile_values}


def test_the_page_shows_the_stored_facts_and_the_drafts(client: TestClient,
                                                        world: World) -> None:
    sign_in(client, world, "officer-a")
    dashboard = client.get(f"/parks/{world.park_a}/years/2018")
    assert f'href="/parks/{world.park_a}/years/2018/profile">园区概况与报告章节</a>' in dashboard.text
    page = client.get(_path(world))
    assert page.status_code == 200
    fields = form_fields(page.text)
    assert (fields["profile:area"], fields["profile:approval_date"], fields["profile:enterprises"]) \
        == ("20.14", "2013-04", "")  # the area in km², as the dataset keeps it
    assert "<summary>由数据生成的草稿</summary>" in page.text
    assert "2018年二氧化碳排放量须由135,509.97吨降至不超过81,698.52吨，即降低39.7%。" in page.text


def test_saved_facts_and_chapters_reach_the_report(client: TestClient, world: World) -> None:
    sign_in(client, world, "officer-a")
    reply = _post(client, _path(world), {
        "profile:enterprises": "1234", "profile:enterprises_above_size": "321",
        "profile:actions_text": "推进重点企业节能改造。\n完善统计台账。", "action": "save"})
    assert reply.status_code == 303
    assert reply.headers["location"].startswith(f"/parks/{world.park_a}/years/2018?sig=")
    assert reply.headers["location"].endswith("&saved=none")  # no indicator changed status
    stored = _fields(world)
    assert (stored["enterprises"], stored["actions_text"]) == (
        "1234", "推进重点企业节能改造。\n完善统计台账。")
    with world.store.session(actor="t") as session:
        park = repository.get_park(session, world.park_a)
        ev = evaluate(*repository.dataset_of(repository.get_park_year(session, park, 2018)), 2018)
    report = build_report(ev)
    overview = report.sections[0].blocks[0].text
    assert "企业数量：1,234家。规模以上工业企业数量：321家。" in overview
    assert [b.text for b in report.sections[4].blocks] == ["推进重点企业节能改造。", "完善统计台账。"]


def test_a_value_a_field_cannot_hold_is_shown_next_to_it(client: TestClient,
                                                         world: World) -> None:
    sign_in(client, world, "officer-a")
    before = _fields(world)
    reply = _post(client, _path(world), {"profile:enterprises": "12.5", "action": "save"})
    assert reply.status_code == 422
    assert ('<p class="field-error" id="profile:enterprises-error">企业数量应为整数 must be a whole '
            "number: 12.5 — 填写个数，如 120 write a count, e.g. 120</p>") in reply.text
    assert 'value="12.5"' in reply.text  # what was typed is kept
    assert _fields(world) == before


def test_a_save_based_on_an_older_version_is_refused(client: TestClient, world: World) -> None:
    sign_in(client, world, "officer-a")
    data = form_fields(client.get(_path(world)).text)
    with world.store.session(actor="someone") as session:
        park = repository.get_park(session, world.park_a)
        set_profile(session, repository.get_park_year(session, park, 2018),
                    {"location": "别人改过的位置"})
    data.update({"profile:location": "我的位置", "action": "save"})
    reply = client.post(_path(world), data=data, follow_redirects=False)
    assert reply.status_code == 422 and "本评价年度已被他人修改" in reply.text
    assert _fields(world)["location"] == "别人改过的位置"
    again = form_fields(reply.text)  # what was typed, and the version now: saving applies it
    assert again["profile:location"] == "我的位置"
    reply = client.post(_path(world), data={**again, "action": "save"}, follow_redirects=False)
    assert reply.status_code == 303 and _fields(world)["location"] == "我的位置"


def test_start_from_the_draft_fills_the_box_and_saves_nothing(client: TestClient,
                                                               world: World) -> None:
    sign_in(client, world, "officer-a")
    reply = _post(client, _path(world), {"action": "draft:actions"})
    assert reply.status_code == 200
    box = html.unescape(re.search(r'name="profile:actions_text"[^>]*>([^<]*)</textarea>',
                                  reply.text).group(1))  # type: ignore[union-attr]
    assert box.splitlines()[1] == "未达标指标的整改目标"
    assert "actions_text" not in _fields(world)


def test_other_parks_officers_and_enterprises_cannot_open_it(client: TestClient,
                                                             world: World) -> None:
    for user in ("officer-b", "ent-a"):
        sign_in(client, world, user)
        assert client.get(_path(world)).status_code in (403, 404)
