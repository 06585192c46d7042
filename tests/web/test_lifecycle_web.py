"""The lifecycle through the API and the pages: every move × role (403 for a role that never
makes it, 409 for a wrong state or a stale version, each with a message), the lock on a
submitted year, publication (the public page never shows a draft; a reopened year keeps
showing its published edition), byte-identical documents of an approved edition, review
comments, the reviewer's queue and the findings export."""

from __future__ import annotations

import io

import pytest
from docx import Document
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from ecopark.store import lifecycle, repository
from ecopark.store import models as m

from ..dbfixtures import World
from .pages import csrf_of, sign_in

ROLE_USERS = {"admin": "admin", "park_officer": "officer-a", "enterprise": "ent-a",
              "reviewer": "reviewer"}
FROM = {action: state for (state, action) in lifecycle.STEPS}  # one state each action leaves


def _path(world: World, tail: str) -> str:
    return f"/api/v1/parks/{world.park_a}/years/2018/{tail}"


def _set_state(world: World, state: str) -> int:
    with world.store.session(actor="t") as session:
        park_year = repository.get_park_year(session, session.get(m.Park, world.park_a), 2018)
        park_year.state = state
        session.flush()
        return park_year.version


def _move(client: TestClient, world: World, role: str, action: str, comment: str = "",
          version: int | None = None) -> object:
    if version is None:
        version = client.get(_path(world, "lifecycle"),
                             headers=world.headers("admin")).json()["version"]
    return client.post(_path(world, "transitions"), headers=world.headers(ROLE_USERS[role]),
                       json={"action": action, "comment": comment, "version": version})


@pytest.mark.parametrize("role", list(ROLE_USERS))
@pytest.mark.parametrize("action", lifecycle.ACTIONS)
def test_every_move_by_every_role(client: TestClient, world: World, action: str,
                                  role: str) -> None:
    _set_state(world, FROM[action])
    reply = _move(client, world, role, action, "理由")
    if role == "enterprise":  # an enterprise does not see the park at all (the house rule)
        assert reply.status_code == 404, reply.text
    elif role not in lifecycle.ROLES_OF[action]:
        assert reply.status_code == 403, reply.text
        assert "无权" in reply.json()["error"]["message_zh"]
    else:
        assert reply.status_code == 200, reply.text
        body = reply.json()
        assert body["state"] == lifecycle.STEPS[(FROM[action], action)]
        assert body["steps"][-1]["action"] == action


@pytest.mark.parametrize("state", lifecycle.STATES)
def test_a_move_the_state_does_not_allow_is_409(client: TestClient, world: World,
                                                state: str) -> None:
    _set_state(world, state)
    wrong = next(a for a in lifecycle.ACTIONS if (state, a) not in lifecycle.STEPS
                 and "reviewer" in lifecycle.ROLES_OF[a])
    reply = _move(client, world, "reviewer", wrong, "理由")
    assert reply.status_code == 409
    assert f"“{lifecycle.state_name(state)}”状态" in reply.json()["error"]["message_zh"]


def test_a_stale_version_is_409_and_a_submitted_year_refuses_a_value(client: TestClient,
                                                                      world: World) -> None:
    read = client.get(_path(world, "lifecycle"), headers=world.headers("admin")).json()
    assert (read["state"], read["actions"]) == ("draft", ["submit"])
    assert _move(client, world, "park_officer", "submit", version=read["version"]).status_code \
        == 200
    stale = _move(client, world, "park_officer", "withdraw", version=read["version"])
    assert stale.status_code == 409 and "读取之后已被他人改动" in stale.json()["error"]["message_zh"]
    put = client.put(f"/api/v1/parks/{world.park_a}/observations/energy/2018",
                     headers={**world.headers("officer-a"), "If-Match": "*"},
                     json={"value": 27000.5})
    assert put.status_code == 409
    assert "数据已锁定" in put.json()["error"]["message_zh"]


def _approve(client: TestClient, world: World) -> None:
    for role, action in (("park_officer", "submit"), ("reviewer", "take"),
                         ("reviewer", "approve")):
        assert _move(client, world, role, action).status_code == 200


def test_the_public_page_shows_only_a_published_edition(client: TestClient,
                                                         world: World) -> None:
    with world.store.session(actor="t") as session:
        session.get(m.Park, world.park_a).publish_table = True  # type: ignore[union-attr]
    public = f"/public/parks/{world.park_a}"
    assert "尚未公开考核结果" in client.get(public).text  # a draft is never shown
    _approve(client, world)
    assert "尚未公开考核结果" in client.get(public).text  # approved is not yet published
    assert _move(client, world, "park_officer", "publish").status_code == 200
    shown = client.get(public).text
    assert "2018年" in shown and "-5.54" in shown and "尚未公开考核结果" not in shown
    assert _move(client, world, "park_officer", "reopen", "更正二氧化碳排放").status_code == 200
    put = client.put(f"/api/v1/parks/{world.park_a}/observations/co2/2018",
                     headers={**world.headers("officer-a"), "If-Match": "*"},
                     json={"value": 5.5, "unit": "万吨", "reason": "更正"})
    assert put.status_code == 200, put.text
    assert client.get(public).text == shown  # the published edition, not the new draft


def test_an_approved_editions_documents_are_the_same_bytes(client: TestClient,
                                                           world: World) -> None:
    _approve(client, world)
    sign_in(client, world, "officer-a")
    paths = [f"/parks/{world.park_a}/years/2018/editions/1/table.{k}" for k in ("xlsx", "docx")]
    first = [client.get(p).content for p in paths]
    assert _move(client, world, "park_officer", "reopen", "更正").status_code == 200
    client.put(f"/api/v1/parks/{world.park_a}/observations/co2/2018",
               headers={**world.headers("officer-a"), "If-Match": "*"},
               json={"value": 5.5, "unit": "万吨", "reason": "更正"})
    assert [client.get(p).content for p in paths] == first
    kept = client.get(f"/parks/{world.park_a}/years/2018/editions/1/dataset.yaml").text
    assert "135509.97" in kept and "co2" in kept  # the approved value, not the new one
    title = load_workbook(io.BytesIO(first[0])).properties
    assert title.created == title.modified
    live = client.get(f"/parks/{world.park_a}/years/2018/download/table.docx").content
    assert "（草稿，尚未审核通过）" in Document(io.BytesIO(live)).paragraphs[0].text or \
        any("草稿" in p.text for p in Document(io.BytesIO(live)).paragraphs)
    assert not any("草稿" in p.text for p in Document(io.BytesIO(first[1])).paragraphs)


def test_pages_move_the_year_and_thread_comments(client: TestClient, world: World) -> None:
    review = f"/parks/{world.park_a}/years/2018/review"
    sign_in(client, world, "officer-a")
    page = client.get(review).text
    assert "填报中" in page and "提交审核" in page and "草稿：尚未审核通过" in page
    version = _set_state(world, "draft")
    moved = client.post(f"/parks/{world.park_a}/years/2018/transitions",
                        data={"csrf_token": csrf_of(client, review), "action": "submit",
                              "version": str(version)}, follow_redirects=False)
    assert moved.status_code == 303 and moved.headers["location"].startswith(review)
    sign_in(client, world, "reviewer")
    queue = client.get("/review").text
    assert "待审核" in queue and f'href="{review}"' in queue
    posted = client.post(f"/parks/{world.park_a}/years/2018/comments",
                         data={"csrf_token": csrf_of(client, review), "indicator": "26",
                               "text": "请核对二氧化碳排放量"}, follow_redirects=False)
    assert posted.status_code == 303
    [thread] = client.get(_path(world, "comments"), headers=world.headers("reviewer")).json()
    sign_in(client, world, "officer-a")
    client.post(f"/parks/{world.park_a}/years/2018/comments",
                data={"csrf_token": csrf_of(client, review), "parent": str(thread["id"]),
                      "text": "已按统计口径核对"})
    [thread] = client.get(_path(world, "comments"), headers=world.headers("reviewer")).json()
    assert (thread["indicator"], thread["text"], thread["resolved"]) == \
        (26, "请核对二氧化碳排放量", False)
    assert [(r["author"], r["text"]) for r in thread["replies"]] == \
        [("officer-a", "已按统计口径核对")]
    refused = client.post(f"/parks/{world.park_a}/years/2018/comments/{thread['id']}/resolve",
                          data={"csrf_token": csrf_of(client, review)})
    assert refused.status_code == 403


def test_the_findings_export_has_the_exact_cells(client: TestClient, world: World) -> None:
    sign_in(client, world, "reviewer")
    data = client.get(f"/parks/{world.park_a}/years/2018/findings.xlsx").content
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert rows[0][0] == "江苏武进经济开发区 2018 年度对照考核表核查结果"
    assert rows[1] == ("指标", "表中数值", "复算值", "严重程度", "说明")
    assert rows[2][:4] == ("（整体）", "达标", "不达标", "错误")
    assert rows[3] == ("26 单位工业增加值二氧化碳排放量年均削减率", "3.37", "-5.54", "错误",
                       "必选指标 26（单位工业增加值二氧化碳排放量年均削减率）：表中值 3.37 达标，"
                       "复算值 -5.54 未达标（要求 ≥3）")
    document = Document(io.BytesIO(
        client.get(f"/parks/{world.park_a}/years/2018/findings.docx").content))
    cells = [c.text for c in document.tables[0].rows[2].cells]
    assert cells[:4] == ["26 单位工业增加值二氧化碳排放量年均削减率", "3.37", "-5.54", "错误"]


def test_the_review_page_reads_without_developer_words(client: TestClient,
                                                        world: World) -> None:
    from ecopark import evaluate, load_dataset, load_framework

    from ..conftest import SEED
    from ..reports.test_plain_words import developer_words
    from .test_pages_plain_words import page_text

    _set_state(world, "under_review")
    sign_in(client, world, "reviewer")
    review = f"/parks/{world.park_a}/years/2018/review"
    client.post(f"/parks/{world.park_a}/years/2018/comments",
                data={"csrf_token": csrf_of(client, review), "indicator": "26", "text": "请核对"})
    evaluation = evaluate(load_framework("hj274-2015"), load_dataset(SEED))
    zh = page_text(client.get(review).text)
    client.get(f"/lang/en?next={review}")
    en = page_text(client.get(review).text)
    assert developer_words(zh, evaluation) == []  # (in English, "energy" is also a word)
    assert "under_review" not in en and "ecopark " not in en
    assert "审核中" in zh and "under review" in en and "审核中" not in en
    assert "Draft: not approved yet" in en and "(overall)" in en and "错误" not in en


def test_the_dashboard_shows_the_state_and_the_moves_of_each_viewer(client: TestClient,
                                                                      world: World) -> None:
    dashboard = f"/parks/{world.park_a}/years/2018"
    sign_in(client, world, "officer-a")
    page = client.get(dashboard).text
    assert "填报中" in page and "草稿：尚未审核通过" in page and 'value="submit"' in page
    assert f"{dashboard}/edit/" in page
    moved = client.post(f"{dashboard}/transitions", data={
        "csrf_token": csrf_of(client, dashboard), "action": "submit",
        "version": str(_set_state(world, "draft"))}, follow_redirects=False)
    assert moved.status_code == 303
    page = client.get(dashboard).text
    assert 'value="withdraw"' in page and "/edit/" not in page  # locked: no editing offered
    sign_in(client, world, "reviewer")
    page = client.get(dashboard).text
    assert "已提交" in page and 'value="take"' in page and 'value="withdraw"' not in page


def test_an_approved_year_s_report_is_its_approved_edition_s(client: TestClient,
                                                             world: World) -> None:
    """The dashboard's report buttons make a draft while the year is open, and the approved
    edition's report once it is approved (no 草稿 document for an approved year)."""
    dashboard = f"/parks/{world.park_a}/years/2018"
    sign_in(client, world, "officer-a")
    assert f'action="{dashboard}/reports"' in client.get(dashboard).text
    _approve(client, world)
    sign_in(client, world, "officer-a")
    page = client.get(dashboard).text
    assert f'action="{dashboard}/editions/1/report"' in page
    assert f'action="{dashboard}/reports"' not in page


def test_submitting_a_year_with_gaps_or_open_comments_says_so_first(client: TestClient,
                                                                    world: World) -> None:
    """The review page tells the officer before submitting (and the reviewer before
    approving) how many indicators cannot be judged (the seed year: 4, data missing) and how
    many review comments are still open; a viewer with no such move is told nothing."""
    review = f"/parks/{world.park_a}/years/2018/review"
    caution = "请先留意：</strong> 有 4 项指标因数据不全无法判定。"
    sign_in(client, world, "officer-a")
    assert caution + "</p>" in client.get(review).text
    _move(client, world, "park_officer", "submit")
    sign_in(client, world, "reviewer")
    assert "请先留意" not in client.get(review).text  # 开始审核 is not a final move
    _move(client, world, "reviewer", "take")
    client.post(f"/parks/{world.park_a}/years/2018/comments",
                data={"csrf_token": csrf_of(client, review), "text": "请补充说明"})
    assert caution + " 有 1 条审核意见尚未处理。</p>" in client.get(review).text
    client.cookies.set("ecopark_lang", "en")
    assert ("Before you go on:</strong> Indicators that cannot be judged (data missing): 4. "
            "Review comments still open: 1.</p>") in client.get(review).text
