"""Who hears of what: every event kind's recipients on a small world (two parks, users of
every role), never the one who caused it; a resubmitted entry waits for a new decision; a
submission is withdrawn only before review; mail is handed over only after the commit."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from ecopark.core.errors import Conflict
from ecopark.store import campaigns, events, notifications, submissions
from ecopark.store import models as m
from ecopark.store.engine import Store

from ..dbfixtures import World


def _heard(store: Store, event: events.Event) -> list[str]:
    with store.session(actor=event.actor) as session:
        events.emit(session, event)
    with store.session(actor="t", write=False) as session:
        rows = session.scalars(select(m.Notification).where(m.Notification.kind == event.kind))
        return sorted(session.get(m.User, n.user_id).name for n in rows)  # type: ignore[union-attr]


@pytest.mark.parametrize(("kind", "enterprise", "named", "heard"), [
    ("campaign.opened", None, (), ["ent-a"]),
    ("campaign.reminder", "a", (), ["ent-a"]),
    ("submission.accepted", "a", (), ["ent-a"]),
    ("submission.returned", "b", (), ["ent-b"]),
    ("park_year.submitted", None, (), ["reviewer"]),
    ("park_year.returned", None, (), ["officer-a"]),
    ("park_year.approved", None, ("ent-b",), ["ent-b", "officer-a"]),
    ("park_year.published", None, (), ["officer-a"]),
    ("comment.written", None, ("reviewer", "admin"), ["officer-a", "reviewer"]),  # not admin
    ("something.else", None, (), []),
])
def test_recipients_by_kind(world: World, kind: str, enterprise: str | None,
                            named: tuple[str, ...], heard: list[str]) -> None:
    ent = {"a": world.enterprise_a, "b": world.enterprise_b}.get(enterprise or "")
    event = events.Event(kind, "admin", park_id=world.park_a, year=2018, enterprise_id=ent,
                         user_names=named, text_zh="中文", text_en="English", link="/")
    assert _heard(world.store, event) == heard


def test_a_resubmission_clears_the_old_decision_and_withdraws_only_before_review(
        world: World) -> None:
    with world.store.session(actor="officer-a") as session:
        sub = submissions.get_submission(
            session, submissions.get_enterprise(session, world.enterprise_a), 2018)
        submissions.reject(session, sub, "单位有误")
        assert sub.decided_by == "officer-a" and sub.decided_at is not None
    with world.store.session(actor="ent-a") as session:
        sub = submissions.get_submission(
            session, submissions.get_enterprise(session, world.enterprise_a), 2018)
        submissions.save_draft(session, sub.enterprise, 2018,
                               [submissions.SubmittedValue("energy", 1300, "吨标煤")])
        submissions.submit(session, sub)
        assert (sub.status, sub.decided_by, sub.decided_at) == ("submitted", None, None)
        submissions.withdraw(session, sub)
        assert (sub.status, sub.submitted_at) == ("draft", None)
        with pytest.raises(Conflict):
            submissions.withdraw(session, sub)
        submissions.submit(session, sub)
    with world.store.session(actor="officer-a") as session:
        sub = session.get(m.Submission, sub.id)
        assert sub is not None
        submissions.accept(session, sub)
        with pytest.raises(Conflict):
            submissions.withdraw(session, sub)
    with world.store.session(actor="t", write=False) as session:
        texts = [n.text_zh for n in session.scalars(select(m.Notification).order_by(
            m.Notification.id))]
    assert texts == ["园区退回了甲企业 2018 年的数据报送：单位有误",
                     "园区已接受甲企业 2018 年的数据报送。"]


def test_mail_is_handed_over_after_the_commit_and_not_for_a_rollback(world: World) -> None:
    handed: list[list[str]] = []
    with world.store.session(actor="fixture") as session:
        user = session.scalars(select(m.User).where(m.User.name == "ent-a")).one()
        user.email = "ent-a@example.cn"
    notifications.send_with(world.store.engine, lambda mails: handed.append(
        [f"{mail.to} {mail.text_zh}" for mail in mails]))
    try:
        with pytest.raises(RuntimeError), world.store.session(actor="officer-a") as session:
            park = session.get(m.Park, world.park_a)
            assert park is not None
            campaigns.open_campaign(session, park, 2018, dt.date(2019, 3, 31))
            raise RuntimeError("rolled back")
        assert handed == []
        with world.store.session(actor="officer-a") as session:
            park = session.get(m.Park, world.park_a)
            assert park is not None
            campaign = campaigns.open_campaign(session, park, 2018,
                                               dt.date(2019, 3, 31))
            assert handed == []  # not before the commit
            with pytest.raises(Conflict), session.begin_nested():
                campaigns.open_campaign(session, park, 2018,
                                        dt.date(2019, 3, 31))
            campaigns.remind(session, park, campaign)  # 甲企业 submitted: nobody to remind
        assert handed == [["ent-a@example.cn 江苏武进经济开发区发起了 2018 年数据报送，"
                           "截止日期 2019-03-31。"]]
    finally:
        notifications.send_with(world.store.engine, None)
