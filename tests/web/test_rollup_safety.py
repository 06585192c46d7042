"""Roll-up safety on the web and the API: a credit code shared by two submissions of a year
stops the roll-up until the officer says which one stands (never summed twice); replacing the
park's stated 综合能耗 (27 029.17 tce in the seed) with fewer than every enterprise shows the
coverage and needs confirmation."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from ecopark.store import models as m
from ecopark.store import submissions

from ..dbfixtures import World
from .pages import csrf_of, sign_in

V1 = "/api/v1"
CODE = "91320412MA1AB0001C"
DUPLICATE = "甲化工（重复录入）"


def _energy_2018(world: World) -> tuple[float | None, str]:
    with world.store.session(actor="t") as session:
        row = session.scalars(select(m.ObservationRow).where(
            m.ObservationRow.park_id == world.park_a, m.ObservationRow.item == "energy",
            m.ObservationRow.year == 2018)).one()
        return row.value, row.source or ""


def _submission_of(world: World, enterprise_id: int) -> tuple[int, str, str]:
    with world.store.session(actor="t") as session:
        sub = session.scalars(select(m.Submission).where(
            m.Submission.enterprise_id == enterprise_id)).one()
        return sub.id, sub.status, sub.reason


def _add_enterprise(world: World, name: str, code: str | None, energy: float | None) -> int:
    """Another enterprise of park A; with `energy`, its submitted 2018 report."""
    with world.store.session(actor="t") as session:
        park = session.get(m.Park, world.park_a)
        assert park is not None
        enterprise = submissions.create_enterprise(session, park, name, code)
        if energy is not None:
            draft = submissions.save_draft(session, enterprise, 2018, [
                submissions.SubmittedValue("energy", energy, "tce")])
            submissions.submit(session, draft)
        return enterprise.id


def _duplicate_world(world: World) -> int:
    """甲企业 (1 200.5 tce, accepted) and a second record of the same legal entity (the code
    written in lower case, 1 000 tce, submitted): one enterprise known to the park."""
    with world.store.session(actor="t") as session:
        enterprise = session.get(m.Enterprise, world.enterprise_a)
        assert enterprise is not None
        enterprise.credit_code = CODE
        submissions.accept(session, enterprise.submissions[0])
    return _add_enterprise(world, DUPLICATE, CODE.lower(), 1000)


def _accept(client: TestClient, world: World, sub_id: int, **data: str) -> object:
    """Accept as the page's form does: with the versions of the values it showed."""
    page = f"/parks/{world.park_a}/submissions"
    html = client.get(page).text
    form = html[html.index(f'action="{page}/{sub_id}/accept"'):]
    versions = re.search(r'name="versions" value="([^"]*)"', form)
    assert versions is not None
    return client.post(f"{page}/{sub_id}/accept", data={
        "csrf_token": csrf_of(client, page), "versions": versions.group(1), **data},
        follow_redirects=False)


def test_a_duplicated_credit_code_stops_the_web_rollup_until_one_is_chosen(
        client: TestClient, world: World) -> None:
    dup = _duplicate_world(world)
    dup_sub, _, _ = _submission_of(world, dup)
    first_sub, _, _ = _submission_of(world, world.enterprise_a)
    sign_in(client, world, "officer-a")
    page = client.get(f"/parks/{world.park_a}/submissions").text
    assert f"统一社会信用代码 {CODE} 在 2018 年有 2 份报送：请选定保留哪一份" in page
    assert f'name="keep:{CODE}" value="{dup_sub}"' in page
    stopped = _accept(client, world, dup_sub, overwrite="on")
    assert stopped.status_code == 422  # type: ignore[attr-defined]
    assert (f"统一社会信用代码 {CODE}：2 家企业的报送使用同一代码：甲企业（报送 {first_sub}）、"
            f"{DUPLICATE}（报送 {dup_sub}）；汇总已停止，不重复计算") in stopped.text  # type: ignore[attr-defined]
    assert "credit code" not in stopped.text  # type: ignore[attr-defined]  # one language
    assert _energy_2018(world)[0] == 27029.17 and _submission_of(world, dup)[1] == "submitted"
    done = _accept(client, world, dup_sub, overwrite="on", **{f"keep:{CODE}": str(dup_sub)})
    assert done.status_code == 303  # type: ignore[attr-defined]
    value, source = _energy_2018(world)
    assert value == 1000.0 and source.startswith("企业报送汇总：1 家企业（园区共 1 家）")  # not 2 200.5
    _, status, reason = _submission_of(world, world.enterprise_a)
    assert status == "rejected" and reason.startswith(f"统一社会信用代码 {CODE} 与 {DUPLICATE} 相同")
    assert _submission_of(world, dup)[1] == "accepted"


def test_replacing_a_park_total_with_fewer_enterprises_asks_for_confirmation(
        client: TestClient, world: World) -> None:
    _add_enterprise(world, "丙企业", None, None)  # known to the park, not reported
    sub_id, _, _ = _submission_of(world, world.enterprise_a)
    sign_in(client, world, "officer-a")
    page = client.get(f"/parks/{world.park_a}/submissions").text
    assert "1 / 2 家企业 · 占园区填报值的 4.4 %" in page  # 1 200.5 / 27 029.17 = 4.44 %
    asked = _accept(client, world, sub_id, overwrite="on")
    assert asked.status_code == 409  # type: ignore[attr-defined]
    html = asked.text  # type: ignore[attr-defined]
    assert "企业报送合计未覆盖园区全部企业。仍要替换园区填报的数值吗？" in html
    assert 'name="confirm" value="on"' in html and "仍以部分企业的合计替换" in html
    assert _energy_2018(world)[0] == 27029.17 and _submission_of(world, world.enterprise_a)[1] \
        == "submitted"
    kept = _accept(client, world, sub_id)  # not replacing: nothing to confirm
    assert kept.status_code == 303 and _energy_2018(world)[0] == 27029.17  # type: ignore[attr-defined]


def test_a_confirmed_partial_replacement_is_written_with_its_coverage(
        client: TestClient, world: World) -> None:
    _add_enterprise(world, "丙企业", None, None)
    sub_id, _, _ = _submission_of(world, world.enterprise_a)
    sign_in(client, world, "officer-a")
    done = _accept(client, world, sub_id, overwrite="on", confirm="on")
    assert done.status_code == 303  # type: ignore[attr-defined]
    value, source = _energy_2018(world)
    assert value == 1200.5 and source.startswith("企业报送汇总：1 家企业（园区共 2 家）")


def test_the_api_answers_409_with_the_coverage_until_confirmed(client: TestClient,
                                                               world: World) -> None:
    _add_enterprise(world, "丙企业", None, None)
    url = f"{V1}/enterprises/{world.enterprise_a}/submissions/2018/accept"
    officer = world.headers("officer-a")
    refused = client.post(f"{url}?overwrite=true", headers=officer)
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["type"] == "PartialCoverage"
    [coverage] = error["fields"]["coverage"]
    assert {k: coverage[k] for k in ("item", "year", "enterprises", "known", "total",
                                     "previous")} == {
        "item": "energy", "year": 2018, "enterprises": 1, "known": 2, "total": 1200.5,
        "previous": 27029.17}
    assert abs(coverage["share"] - 1200.5 / 27029.17) < 1e-12
    assert "energy 2018：1 / 2 家企业（50 %），其合计 1200.5 为原值 27029.17 的 4.4 %" in \
        error["message_zh"]
    assert _energy_2018(world)[0] == 27029.17
    done = client.post(f"{url}?overwrite=true&confirm=true", headers=officer)
    assert done.status_code == 200 and done.json()["status"] == "accepted"
    assert _energy_2018(world)[0] == 1200.5


def test_the_api_refuses_a_duplicate_until_keep_names_the_submission(client: TestClient,
                                                                     world: World) -> None:
    dup = _duplicate_world(world)
    dup_sub, _, _ = _submission_of(world, dup)
    url = f"{V1}/enterprises/{dup}/submissions/2018/accept"
    officer = world.headers("officer-a")
    refused = client.post(url, headers=officer)
    assert refused.status_code == 409 and refused.json()["error"]["fields"]["key"] == CODE
    bad = client.post(f"{url}?keep={CODE}=99999", headers=officer)
    assert bad.status_code == 422 and bad.json()["error"]["fields"]["field"] == "keep"
    first_sub, _, _ = _submission_of(world, world.enterprise_a)
    kept = client.post(f"{url}?keep={CODE}={first_sub}&overwrite=true", headers=officer)
    assert kept.status_code == 200 and kept.json()["status"] == "rejected"  # 甲企业's stands
    assert _energy_2018(world)[0] == 1200.5 and _submission_of(world, dup)[0] == dup_sub
