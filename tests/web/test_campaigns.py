"""Reporting campaigns on the pages: opening one tells the park's enterprises (in the app and
by e-mail through a real SMTP server in-process), the completeness board's states, reminders
(all not submitted, or one), withdrawing a submission, the bulk export's cells, and the
notifications page (bell count, mark read)."""

from __future__ import annotations

import html
import io
import socket
import time
from collections.abc import Iterator
from email import message_from_bytes
from email.header import decode_header, make_header
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select

from ecopark.store import models as m
from ecopark.store import submissions
from ecopark.store.engine import Store
from ecopark.store.settings import Settings
from ecopark.web.app import create_app

from ..dbfixtures import World
from .pages import csrf_of, sign_in


class Inbox:
    """What the SMTP server received: (recipients, message)."""

    def __init__(self) -> None:
        self.mails: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.mails.append((list(envelope.rcpt_tos),  # type: ignore[attr-defined]
                           message_from_bytes(envelope.content)))  # type: ignore[attr-defined]
        return "250 OK"

    def wait(self, count: int, seconds: float = 30.0) -> list[tuple[list[str], Message]]:
        end = time.monotonic() + seconds
        while len(self.mails) < count and time.monotonic() < end:
            time.sleep(0.05)
        time.sleep(0.3)  # nothing more should arrive
        return sorted(self.mails, key=lambda mail: mail[0])


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    with socket.socket() as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@pytest.fixture
def mail_client(store: Store, settings: Settings, world: World,
                inbox: tuple[Inbox, int]) -> Iterator[TestClient]:
    """The app with e-mail on (the in-process SMTP server), jobs in-process, a small park:
    甲企业 submitted (energy 1200.5 tce), 丁企业 a draft, 丙企业 not started; every enterprise
    user has an e-mail address (and ent-c, an enterprise user of 丙企业)."""
    with store.session(actor="fixture") as session:
        park = session.get(m.Park, world.park_a)
        assert park is not None
        submissions.create_enterprise(session, park, "丙企业")
        ding = submissions.create_enterprise(session, park, "丁企业")
        submissions.save_draft(session, ding, 2018, [submissions.SubmittedValue("energy", 300, "tce")])
        for user in session.scalars(select(m.User)):
            user.email = f"{user.name}@example.cn"
    smtp = {"smtp_host": "127.0.0.1", "smtp_port": inbox[1], "jobs": "in-process",
            "smtp_from": "platform@example.cn", "public_url": "https://ecopark.example.cn"}
    with TestClient(create_app(settings.model_copy(update=smtp), store)) as client:
        yield client


def _open(client: TestClient, world: World, deadline: str = "2019-03-31") -> None:
    path = f"/parks/{world.park_a}/campaigns"
    reply = client.post(path, data={"csrf_token": csrf_of(client, path), "year": "2018",
                                    "deadline": deadline, "items": ["energy", "gross_output"]},
                        follow_redirects=False)
    assert reply.status_code == 303, reply.text
    assert reply.headers["location"] == f"/parks/{world.park_a}/campaigns/2018?done=campaign-opened"


def _subject(message: Message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def _body(message: Message) -> str:
    part = message.get_payload(decode=True)
    assert isinstance(part, bytes)
    return part.decode("utf-8")


def test_opening_a_campaign_tells_the_parks_enterprises_by_e_mail(
        mail_client: TestClient, world: World, inbox: tuple[Inbox, int]) -> None:
    sign_in(mail_client, world, "officer-a")
    _open(mail_client, world)
    mails = inbox[0].wait(1)
    # the park's only enterprise user is ent-a (甲企业); park B's ent-b hears nothing
    assert [to for to, _ in mails] == [["ent-a@example.cn"]]
    message = mails[0][1]
    assert message["From"] == "platform@example.cn"
    assert _subject(message) == ("【生态工业园区评价平台】江苏武进经济开发区发起了 2018 年数据报送，"
                                 "截止日期 2019-03-31。")
    body = _body(message)
    assert body.index("江苏武进经济开发区发起了") < body.index("asks for your data for 2018")


def test_the_board_shows_each_enterprise_state_and_share(mail_client: TestClient,
                                                          world: World) -> None:
    sign_in(mail_client, world, "officer-a")
    _open(mail_client, world)
    page = mail_client.get(f"/parks/{world.park_a}/campaigns/2018?done=campaign-opened")
    assert page.status_code == 200
    assert "报送任务已发起，已通知各企业。" in page.text
    rows = page.text.split('<tbody>', 1)[1].split("</tbody>", 1)[0].split("<tr>")[1:]
    cells = [(r.split("</a>")[0].rsplit(">", 1)[1], r.split('class="sub sub-')[1].split('"')[0])
             for r in rows]
    assert cells == [("丁企业", "draft"), ("丙企业", "not_started"), ("甲企业", "submitted")]
    # 甲企业's 1200.5 of the park's recorded 27029.17 tce = 4.4 %; 丁企业's 300 = 1.1 %
    assert "4.4 %" in rows[2] and "1.1 %" in rows[0]
    assert "占园区自身记录的 2018 年合计" in page.text


def test_reminders_go_to_those_not_submitted_and_are_recorded(
        mail_client: TestClient, world: World, store: Store, inbox: tuple[Inbox, int]) -> None:
    with store.session(actor="fixture") as session:
        ding = session.scalars(select(m.Enterprise).where(m.Enterprise.name == "丁企业")).one()
        park = session.get(m.Park, world.park_a)
        from ecopark.store import auth
        auth.create_user(session, "ent-d", "enterprise", None, auth.hasher(Settings()),
                         park=park, enterprise=ding).email = "ent-d@example.cn"
        ding_id = ding.id
    sign_in(mail_client, world, "officer-a")
    _open(mail_client, world)
    inbox[0].wait(2)
    inbox[0].mails.clear()
    path = f"/parks/{world.park_a}/campaigns/2018"
    reply = mail_client.post(f"{path}/remind", data={"csrf_token": csrf_of(mail_client, path)},
                             follow_redirects=False)
    assert (reply.status_code, reply.headers["location"]) == (303, f"{path}?done=reminded&n=2")
    assert "已向 2 家企业催报。" in mail_client.get(reply.headers["location"]).text
    mails = inbox[0].wait(1)
    assert [to for to, _ in mails] == [["ent-d@example.cn"]]  # 丙企业 has no user; 甲 submitted
    assert _subject(mails[0][1]) == ("【生态工业园区评价平台】催报：请于 2019-03-31 前提交丁企业 "
                                     "2018 年的数据。")
    reply = mail_client.post(f"{path}/remind", data={"csrf_token": csrf_of(mail_client, path),
                                                     "enterprise": str(ding_id)},
                             follow_redirects=False)
    assert reply.headers["location"] == f"{path}?done=reminded&n=1"
    with store.session(actor="t", write=False) as session:
        sent = [(r.enterprise_id, r.sent_by) for r in session.scalars(
            select(m.Reminder).order_by(m.Reminder.id))]
    names = {e: n for e, n in _enterprise_names(store).items()}
    assert [(names[e], by) for e, by in sent] == [
        ("丁企业", "officer-a"), ("丙企业", "officer-a"), ("丁企业", "officer-a")]


def _enterprise_names(store: Store) -> dict[int, str]:
    with store.session(actor="t", write=False) as session:
        return {e.id: e.name for e in session.scalars(select(m.Enterprise))}


def test_the_enterprise_sees_its_task_and_withdraws_before_review(
        mail_client: TestClient, world: World) -> None:
    sign_in(mail_client, world, "officer-a")
    _open(mail_client, world, "2019-03-31")
    sign_in(mail_client, world, "ent-a")
    page = mail_client.get(f"/enterprises/{world.enterprise_a}?year=2018")
    assert "园区要求报送的数据" in page.text and "2019-03-31" in page.text
    assert "企业工业总产值" in page.text and "园区工业总产值" not in page.text
    assert "1 条未读" in page.text  # the bell: the campaign's notification
    path = f"/enterprises/{world.enterprise_a}/submissions/2018/withdraw"
    reply = mail_client.post(path, data={"csrf_token": csrf_of(mail_client, "/notifications")},
                             follow_redirects=False)
    assert reply.status_code == 303
    assert reply.headers["location"] == f"/enterprises/{world.enterprise_a}?year=2018&done=withdrawn"
    again = mail_client.post(path, data={"csrf_token": csrf_of(mail_client, "/notifications")})
    assert again.status_code == 409  # a draft cannot be withdrawn
    with world.store.session(actor="t", write=False) as session:
        sub = session.scalars(select(m.Submission).where(
            m.Submission.enterprise_id == world.enterprise_a)).one()
        assert (sub.status, sub.submitted_at) == ("draft", None)


def test_notifications_page_marks_read(mail_client: TestClient, world: World) -> None:
    sign_in(mail_client, world, "officer-a")
    _open(mail_client, world)
    sign_in(mail_client, world, "ent-a")
    page = mail_client.get("/notifications")
    assert "江苏武进经济开发区发起了 2018 年数据报送，截止日期 2019-03-31。" in page.text
    reply = mail_client.post("/notifications/read", data={"csrf_token": csrf_of(
        mail_client, "/notifications")}, follow_redirects=False)
    assert reply.headers["location"] == "/notifications?done=read"
    assert "条未读" not in mail_client.get("/notifications").text
    mail_client.cookies.set("ecopark_lang", "en")
    assert "asks for your data for 2018 by 2019-03-31" in mail_client.get("/notifications").text


def test_export_has_one_row_per_enterprise_and_item(mail_client: TestClient,
                                                    world: World) -> None:
    sign_in(mail_client, world, "officer-a")
    reply = mail_client.get(f"/parks/{world.park_a}/submissions/2018/export.xlsx")
    assert reply.status_code == 200
    sheet = load_workbook(io.BytesIO(reply.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["企业", "统一社会信用代码", "数据项", "数值", "单位", "状态", "最后修改",
                       "提交时间", "审核时间"]
    assert [r[:6] for r in rows[1:]] == [
        ["丁企业", None, "综合能耗总量", 300, "tce", "草稿"],
        ["丙企业", None, None, None, None, "未开始"],
        ["甲企业", None, "综合能耗总量", 1200.5, "吨标煤", "已提交"]]
    assert rows[3][7] and rows[3][8] is None  # submitted, not decided
    sign_in(mail_client, world, "officer-b")
    assert mail_client.get(f"/parks/{world.park_a}/submissions/2018/export.xlsx").status_code == 403


def test_the_board_in_english(mail_client: TestClient, world: World) -> None:
    sign_in(mail_client, world, "officer-a")
    _open(mail_client, world)
    mail_client.cookies.set("ecopark_lang", "en")
    page = html.unescape(mail_client.get(f"/parks/{world.park_a}/campaigns/2018").text)
    assert "Data for 2018" in page and "Submitted, awaiting review" in page
    assert ("Share: each enterprise's total comprehensive energy consumption as a part of the "
            "park's own recorded total for 2018 (27,029.17 tce).") in page
    assert "催报" not in page and "园区" not in page.replace("江苏武进经济开发区", "")


def test_confirmations_after_saving_publish_settings_and_adding_a_user(
        client: TestClient, world: World) -> None:
    sign_in(client, world, "officer-a")
    path = f"/parks/{world.park_a}/publish"
    reply = client.post(path, data={"csrf_token": csrf_of(client, path), "publish_table": "on"})
    assert "信息公开设置已保存。" in reply.text
    sign_in(client, world, "admin")
    data = {"csrf_token": csrf_of(client, "/admin"), "name": "new-officer",
            "role": "park_officer", "park_id": str(world.park_a),
            "password": "a-long-enough-password", "email": "new@example.cn"}
    reply = client.post("/admin/users", data=data)
    assert "用户已添加。" in reply.text and 'value="new@example.cn"' in reply.text
    refused = client.post(f"/admin/users/{world.users['ent-a']}/email",
                          data={"csrf_token": csrf_of(client, "/admin"), "email": "not an address"})
    assert refused.status_code == 422
    assert "请填写电子邮箱（如 name@example.cn），或留空。" in refused.text


def test_the_api_withdraws_before_review_only(client: TestClient, world: World) -> None:
    path = f"/api/v1/enterprises/{world.enterprise_a}/submissions/2018/withdraw"
    assert client.post(path, headers=world.headers("officer-a")).status_code == 403
    reply = client.post(path, headers=world.headers("ent-a"))
    assert (reply.status_code, reply.json()["status"]) == (200, "draft")
    assert client.post(path, headers=world.headers("ent-a")).status_code == 409
