"""Forms: CSRF refused (nothing written), a category form's errors next to their fields in the
user's language and a save that changes statuses, the workbook preview then confirm, accepting
and rejecting submissions (accepted ones roll up), the enterprise's own draft, admin forms and
the publish settings; never a 500 for user input."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from ecopark.store import models as m

from ..dbfixtures import World
from .pages import csrf_of, form_fields, sign_in

WORKBOOK = Path(__file__).resolve().parents[1] / "data" / "workbooks" / "tiny-park.xlsx"


def _audit_rows(world: World) -> int:
    with world.store.session(actor="t") as session:
        return int(session.scalar(select(func.count()).select_from(m.AuditEntry)) or 0)


def test_every_form_refuses_a_missing_or_wrong_token(client: TestClient, world: World) -> None:
    sign_in(client, world, "admin")
    before = _audit_rows(world)
    posts = [f"/parks/{world.park_a}/years/2018/edit/environment", f"/parks/{world.park_a}/upload",
             f"/parks/{world.park_a}/upload/confirm", f"/parks/{world.park_a}/publish",
             "/admin/parks", "/admin/users", f"/enterprises/{world.enterprise_a}/disclosure",
             f"/parks/{world.park_a}/submissions/1/accept",
             f"/parks/{world.park_a}/years/2018/choices",
             f"/parks/{world.park_a}/years/2018/inventory"]
    for path in posts:
        for data in ({}, {"csrf_token": "forged"}):
            reply = client.post(path, data={**data, "park_name": "X", "v:co2:2018": "1"})
            assert reply.status_code == 403, path
    assert _audit_rows(world) == before


def _edit(client: TestClient, world: World, values: dict[str, str]) -> object:
    """Post the environment form as a browser would: the fields it was read with (the CSRF
    token, the versions of its values), the given values changed."""
    path = f"/parks/{world.park_a}/years/2018/edit/environment"
    page = client.get(path).text
    read = {k: v for k, v in form_fields(page).items() if k in ("csrf_token", "versions")}
    return client.post(path, data={**read, **values}, follow_redirects=False)


def test_a_bad_value_is_shown_next_to_its_field_and_nothing_is_saved(client: TestClient,
                                                                      world: World) -> None:
    sign_in(client, world, "officer-a")
    before = _audit_rows(world)
    reply = _edit(client, world, {"v:co2:2018": "abc", "v:so2:2018": "-5"})
    assert reply.status_code == 422  # type: ignore[attr-defined]
    html = reply.text  # type: ignore[attr-defined]
    assert 'id="v:co2:2018-error">不是数字' in html and 'value="abc"' in html
    assert 'id="v:so2:2018-error">不能为负数' in html
    client.cookies.set("ecopark_lang", "en")
    reply = _edit(client, world, {"v:co2:2018": "12", "u:co2:2018": "万元"})
    assert 'id="v:co2:2018-error">The unit 万元 cannot be converted to t.' in reply.text  # type: ignore[attr-defined]
    assert _audit_rows(world) == before


def test_saving_a_value_shows_which_statuses_changed(client: TestClient, world: World) -> None:
    sign_in(client, world, "officer-a")
    reply = _edit(client, world, {"v:co2:2018": "5", "u:co2:2018": "万吨"})
    assert reply.status_code == 303  # type: ignore[attr-defined]
    location = reply.headers["location"]  # type: ignore[attr-defined]
    assert "26:not_met:met" in location
    page = client.get(location)
    assert "状态变化" in page.text and 'id="ind-26" class=""' in page.text


def test_a_notice_in_a_link_is_shown_only_when_the_server_signed_it(client: TestClient,
                                                                    world: World) -> None:
    """Any reader could craft ?saved=…: the page claims a change only when the save made it."""
    sign_in(client, world, "officer-a")
    forged = client.get(f"/parks/{world.park_a}/years/2018?saved=26:not_met:met")
    assert forged.status_code == 200 and "状态变化" not in forged.text
    location = _edit(client, world, {"v:co2:2018": "5", "u:co2:2018": "万吨"}
                     ).headers["location"]  # type: ignore[attr-defined]
    altered = location.replace("26:not_met:met", "1:not_met:met")
    assert "状态变化" not in client.get(altered).text


def test_an_upload_is_previewed_then_confirmed(client: TestClient, world: World) -> None:
    sign_in(client, world, "officer-a")
    path = f"/parks/{world.park_a}/upload"
    before = _audit_rows(world)
    with WORKBOOK.open("rb") as handle:
        preview = client.post(path, data={"csrf_token": csrf_of(client, path)},
                              files={"file": ("tiny-park.xlsx", handle)})
    assert preview.status_code == 200 and "导入预览" in preview.text
    assert "已有2018年度评价" in preview.text and "确认并保存" in preview.text
    assert _audit_rows(world) == before  # nothing stored by a preview
    fields = _hidden(preview.text)
    forged = client.post(f"{path}/confirm", data={**fields, "payload": fields["payload"]
                                                  .replace("2015", "2014")})
    assert forged.status_code == 422 and _audit_rows(world) == before
    done = client.post(f"{path}/confirm", data=fields, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].startswith(
        f"/parks/{world.park_a}/years/2018")
    assert "示例" not in client.get(f"/parks/{world.park_a}").text  # stored under park A's name


def _hidden(page: str) -> dict[str, str]:
    import html

    pairs = re.findall(r'name="(payload|ticket|signature|filename|csrf_token)" value="([^"]*)"',
                       page)
    return {k: html.unescape(v) for k, v in pairs}


def _preview(client: TestClient, world: World) -> dict[str, str]:
    path = f"/parks/{world.park_a}/upload"
    with WORKBOOK.open("rb") as handle:
        preview = client.post(path, data={"csrf_token": csrf_of(client, path)},
                              files={"file": ("tiny-park.xlsx", handle)})
    assert preview.status_code == 200
    return _hidden(preview.text)


def _energy_2018(world: World) -> str:
    with world.store.session(actor="t") as session:
        row = session.scalars(select(m.ObservationRow).where(
            m.ObservationRow.park_id == world.park_a, m.ObservationRow.item == "energy",
            m.ObservationRow.year == 2018)).one()
        return f"{row.value_text} {row.unit}"


def test_a_stale_preview_does_not_overwrite_a_newer_value(client: TestClient,
                                                          world: World) -> None:
    """Tab A previews a workbook; meanwhile the value is changed elsewhere; confirming tab A
    shows the conflict (yours, current, who, when) and writes nothing until re-applied."""
    sign_in(client, world, "officer-a")
    fields = _preview(client, world)
    changed = client.put(f"/api/v1/parks/{world.park_a}/observations/energy/2018",
                         json={"value": 30000}, headers={**world.headers("admin"),
                                                         "If-Match": "*"})
    assert changed.status_code == 200
    before = _audit_rows(world)
    conflict = client.post(f"/parks/{world.park_a}/upload/confirm", data=fields,
                           follow_redirects=False)
    assert conflict.status_code == 409
    assert "已被他人修改" in conflict.text and "综合能耗总量" in conflict.text
    assert "21854.54 吨标准煤" in conflict.text and "30000 吨标煤" in conflict.text
    assert ">admin<" in conflict.text
    assert _audit_rows(world) == before and _energy_2018(world) == "30000 吨标煤"
    again = client.post(f"/parks/{world.park_a}/upload/confirm", data=_hidden(conflict.text),
                        follow_redirects=False)
    assert again.status_code == 303
    assert _energy_2018(world) == "21854.54 吨标准煤"


def test_a_preview_expires_after_30_minutes(client: TestClient, world: World,
                                            monkeypatch: object) -> None:
    import time

    from ecopark.web import preview

    sign_in(client, world, "officer-a")
    fields = _preview(client, world)
    later = time.time() + 31 * 60
    monkeypatch.setattr(preview.time, "time", lambda: later)  # type: ignore[attr-defined]
    reply = client.post(f"/parks/{world.park_a}/upload/confirm", data=fields)
    assert reply.status_code == 422 and "30 分钟" in reply.text
    assert _energy_2018(world) == "27029.17 吨标煤"


def test_a_broken_workbook_lists_its_problems(client: TestClient, world: World) -> None:
    sign_in(client, world, "officer-a")
    path = f"/parks/{world.park_a}/upload"
    bad = WORKBOOK.parent / "bad.xlsx"
    with bad.open("rb") as handle:
        reply = client.post(path, data={"csrf_token": csrf_of(client, path)},
                            files={"file": ("bad.xlsx", handle)})
    assert reply.status_code == 422 and "<table" in reply.text
    junk = client.post(path, data={"csrf_token": csrf_of(client, path)},
                       files={"file": ("x.xlsx", b"not a workbook")})
    assert junk.status_code == 422
    empty = client.post(path, data={"csrf_token": csrf_of(client, path)})
    assert empty.status_code == 422 and "请选择要上传的文件" in empty.text


def test_accepting_rolls_up_and_rejecting_needs_a_reason(client: TestClient,
                                                        world: World) -> None:
    sign_in(client, world, "officer-a")
    page = client.get(f"/parks/{world.park_a}/submissions")
    assert "甲企业" in page.text and "保留园区填报值" in page.text
    with world.store.session(actor="t") as session:
        sub_id = session.scalars(select(m.Submission.id).join(m.Enterprise).where(
            m.Enterprise.park_id == world.park_a)).one()
    base = f"/parks/{world.park_a}/submissions/{sub_id}"
    refused = client.post(f"{base}/reject", data={"csrf_token": csrf_of(client, page.url.path)})
    assert refused.status_code == 422 and "请填写退回理由" in refused.text
    seen = form_fields(client.get(page.url.path).text)["versions"]
    assert seen.startswith("energy:2018:1")  # the versions the officer saw travel with the form
    client.post(f"{base}/accept", data={"csrf_token": csrf_of(client, page.url.path),
                                        "versions": seen, "overwrite": "on"})
    with world.store.session(actor="t") as session:
        row = session.scalars(select(m.ObservationRow).where(
            m.ObservationRow.park_id == world.park_a, m.ObservationRow.item == "energy",
            m.ObservationRow.year == 2018)).one()
        assert row.value == 1200.5 and (row.source or "").startswith("企业报送汇总")
        assert session.get(m.Submission, sub_id).status == "accepted"  # type: ignore[union-attr]


def test_a_roll_up_does_not_replace_a_value_changed_since_the_page(client: TestClient,
                                                                  world: World) -> None:
    sign_in(client, world, "officer-a")
    path = f"/parks/{world.park_a}/submissions"
    seen = form_fields(client.get(path).text)
    with world.store.session(actor="t") as session:
        sub_id = session.scalars(select(m.Submission.id).join(m.Enterprise).where(
            m.Enterprise.park_id == world.park_a)).one()
    assert client.put(f"/api/v1/parks/{world.park_a}/observations/energy/2018",
                      json={"value": 30000}, headers={**world.headers("admin"), "If-Match": "*"}
                      ).status_code == 200
    reply = client.post(f"{path}/{sub_id}/accept", data={
        "csrf_token": seen["csrf_token"], "versions": seen["versions"], "overwrite": "on"})
    assert reply.status_code == 409 and "已被他人修改" in reply.text and "admin" in reply.text
    with world.store.session(actor="t") as session:
        assert session.get(m.Submission, sub_id).status == "submitted"  # type: ignore[union-attr]
        row = session.scalars(select(m.ObservationRow).where(
            m.ObservationRow.park_id == world.park_a, m.ObservationRow.item == "energy",
            m.ObservationRow.year == 2018)).one()
        assert row.value_text == "30000"


def test_the_enterprise_saves_and_submits_its_own_draft(client: TestClient, world: World) -> None:
    sign_in(client, world, "ent-a")
    page = f"/enterprises/{world.enterprise_a}?year=2019"
    bad = client.post(f"/enterprises/{world.enterprise_a}/submissions/2019",
                      data={"csrf_token": csrf_of(client, page), "v:energy": "lots"})
    assert bad.status_code == 422 and 'id="e-energy">不是数字' in bad.text
    saved = client.post(f"/enterprises/{world.enterprise_a}/submissions/2019",
                        data={"csrf_token": csrf_of(client, page), "v:energy": "12.5",
                              "u:energy": "万吨标准煤"}, follow_redirects=False)
    assert saved.status_code == 303
    client.post(f"/enterprises/{world.enterprise_a}/submissions/2019/submit",
                data={"csrf_token": csrf_of(client, page)})
    assert "已提交，待审核" in client.get(page).text
    other = client.post(f"/enterprises/{world.enterprise_b}/submissions/2019",
                        data={"csrf_token": csrf_of(client, page), "v:energy": "1"})
    assert other.status_code == 403


def test_admin_forms_show_errors_next_to_fields(client: TestClient, world: World) -> None:
    sign_in(client, world, "admin")
    reply = client.post("/admin/users", data={"csrf_token": csrf_of(client, "/admin"),
                                              "name": "a b", "role": "park_officer",
                                              "password": "short"})
    assert reply.status_code == 422
    for field in ("name", "password", "park_id"):
        assert f'id="{field}-error"' in reply.text
    taken = client.post("/admin/users", data={"csrf_token": csrf_of(client, "/admin"),
                                              "name": "admin", "role": "reviewer",
                                              "password": "long-enough-1"})
    assert taken.status_code == 422 and 'id="name-error"' in taken.text
    added = client.post("/admin/parks", data={"csrf_token": csrf_of(client, "/admin"),
                                              "park_name": "新园区", "province": "江苏"},
                        follow_redirects=False)
    assert added.status_code == 303
    empty_park = client.get("/parks").text
    assert "新园区" in empty_park and "暂无数据" in empty_park


def test_publish_settings_open_the_public_page(client: TestClient, world: World) -> None:
    assert client.get(f"/public/parks/{world.park_a}").status_code == 404
    sign_in(client, world, "officer-a")
    path = f"/parks/{world.park_a}/publish"
    client.post(path, data={"csrf_token": csrf_of(client, path), "publish_table": "on",
                            "publish_enterprises": "on", "key": str(world.enterprise_a)})
    client.cookies.clear()
    assert "尚未公开考核结果" in client.get(f"/public/parks/{world.park_a}").text  # a draft
    lifecycle = f"/api/v1/parks/{world.park_a}/years/2018"
    for user, action in (("officer-a", "submit"), ("reviewer", "take"), ("reviewer", "approve"),
                         ("officer-a", "publish")):
        version = client.get(f"{lifecycle}/lifecycle", headers=world.headers(user)).json()
        assert client.post(f"{lifecycle}/transitions", headers=world.headers(user), json={
            "action": action, "version": version["version"]}).status_code == 200
    public = client.get(f"/public/parks/{world.park_a}")
    assert public.status_code == 200 and "评价 · HJ 274-2015《国家生态工业示范园区标准》" in public.text
    assert "甲企业" in public.text and "退出" not in public.text
    assert f"/public/parks/{world.park_a}" in client.get("/public").text


def test_two_people_editing_one_form_never_lose_an_update(client: TestClient,
                                                          world: World) -> None:
    """Officer A opens the form; the admin saves CO₂ 2018 meanwhile; A's save of the same value
    shows the conflict (A's value, the admin's, who, when) and writes nothing; re-applying
    deliberately writes A's value, with both versions in its history."""
    path = f"/parks/{world.park_a}/years/2018/edit/environment"
    sign_in(client, world, "officer-a")
    read = {k: v for k, v in form_fields(client.get(path).text).items()
            if k in ("csrf_token", "versions")}
    with TestClient(client.app) as other:
        sign_in(other, world, "admin")
        first = other.post(path, data={**{k: v for k, v in form_fields(other.get(path).text)
                                          .items() if k in ("csrf_token", "versions")},
                                       "v:co2:2018": "6", "u:co2:2018": "万吨"},
                           follow_redirects=False)
        assert first.status_code == 303
    before = _audit_rows(world)
    conflict = client.post(path, data={**read, "v:co2:2018": "5", "u:co2:2018": "万吨"},
                           follow_redirects=False)
    assert conflict.status_code == 409
    assert "已被他人修改" in conflict.text and "二氧化碳排放量" in conflict.text
    assert "5 万吨" in conflict.text and "6 万吨" in conflict.text and ">admin<" in conflict.text
    assert _audit_rows(world) == before
    again = client.post(path, data=form_fields(conflict.text), follow_redirects=False)
    assert again.status_code == 303
    with world.store.session(actor="t") as session:
        row = session.scalars(select(m.ObservationRow).where(
            m.ObservationRow.park_id == world.park_a, m.ObservationRow.item == "co2",
            m.ObservationRow.year == 2018)).one()
        history = [(h.value_text, h.unit, h.by, h.via) for h in row.history]
    assert history[:2] == [("5", "万吨", "officer-a", "form"), ("6", "万吨", "admin", "form")]


def test_a_fraction_typed_as_a_percentage_is_stopped_next_to_its_field(client: TestClient,
                                                                       world: World) -> None:
    """绿化覆盖率 0.165 typed in a % field: not saved, the finding and its fix next to the field
    and a reason box; saved once a reason is given, the reason in the value's history."""
    sign_in(client, world, "officer-a")
    before = _audit_rows(world)
    reply = _edit(client, world, {"v:green_coverage_rate:2018": "0.165"})
    assert reply.status_code == 422  # type: ignore[attr-defined]
    text = reply.text  # type: ignore[attr-defined]
    field = text[text.index('id="v:green_coverage_rate:2018-error"'):][:400]
    assert "0.165" in field and "16.5" in field
    assert 'name="reason"' in text and _audit_rows(world) == before
    assert "尚未保存：有 1 个数值看来不合常理（已在下方标出）。" in text  # not worded as an error
    assert "需要更正" not in text
    saved = _edit(client, world, {"v:green_coverage_rate:2018": "0.165",
                                  "reason": "新建园区，绿地尚未建成"})
    assert saved.status_code == 303  # type: ignore[attr-defined]
    with world.store.session(actor="t") as session:
        row = session.scalars(select(m.ObservationRow).where(
            m.ObservationRow.park_id == world.park_a,
            m.ObservationRow.item == "green_coverage_rate", m.ObservationRow.year == 2018)).one()
        assert (row.value_text, row.history[0].reason) == ("0.165", "新建园区，绿地尚未建成")


def test_a_fact_is_offered_in_chinese_on_a_chinese_page(client: TestClient, world: World) -> None:
    sign_in(client, world, "officer-a")
    page = client.get(f"/parks/{world.park_a}/years/2018/edit/environment").text
    assert '<option value="达标" selected>达标</option>' in page
    client.cookies.set("ecopark_lang", "en")
    page = client.get(f"/parks/{world.park_a}/years/2018/edit/environment").text
    assert '<option value="达标" selected>compliant</option>' in page
