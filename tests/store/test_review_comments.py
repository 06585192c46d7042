"""Review comments: a reviewer opens a thread on an indicator, the park's officer replies, the
reviewer resolves it; who may do what, and the event each comment emits."""

from __future__ import annotations

import pytest

from ecopark.core.errors import InvalidValue, PermissionDenied
from ecopark.store import events, repository, review_comments
from ecopark.store.permissions import Principal

from ..dbfixtures import World

OFFICER = Principal(2, "officer-a", "park_officer", park_id=1)
OTHER_OFFICER = Principal(5, "officer-b", "park_officer", park_id=2)
REVIEWER = Principal(4, "reviewer", "reviewer")
ENTERPRISE = Principal(3, "ent-a", "enterprise", enterprise_id=1)


def test_a_thread_with_a_reply_resolved(world: World) -> None:
    heard: list[tuple[str, tuple[str, ...], str]] = []
    listener = events.listen(lambda s, e: heard.append((e.actor, e.user_names, e.text_zh)))
    try:
        with world.store.session(actor="t") as session:
            park_year = repository.get_park_year(session, repository.get_park(session, 1), 2018)
            first = review_comments.write(session, park_year, REVIEWER, " 能耗偏低，请核对 ",
                                          indicator=26)
            review_comments.write(session, park_year, OFFICER, "已核对，按统计局口径",
                                  parent=first)
            review_comments.resolve(session, first, REVIEWER)
        with world.store.session(actor="t") as session:
            [thread] = review_comments.threads(session, 1, 2018)
            assert (thread.indicator, thread.text, thread.resolved, thread.resolved_by) == \
                (26, "能耗偏低，请核对", True, "reviewer")
            assert [(r.author, r.author_role, r.indicator, r.text) for r in thread.replies] == \
                [("officer-a", "park_officer", 26, "已核对，按统计局口径")]
    finally:
        events.unlisten(listener)
    assert heard == [
        ("reviewer", (), "江苏武进经济开发区 2018 年度的审核意见（指标26）：能耗偏低，请核对"),
        ("officer-a", ("reviewer",),
         "江苏武进经济开发区 2018 年度的审核意见（指标26）：已核对，按统计局口径")]


@pytest.mark.parametrize("who", [OFFICER, ENTERPRISE])
def test_only_reviewers_open_and_resolve_threads(world: World, who: Principal) -> None:
    with world.store.session(actor="t") as session:
        park_year = repository.get_park_year(session, repository.get_park(session, 1), 2018)
        with pytest.raises(PermissionDenied):
            review_comments.write(session, park_year, who, "意见")
        first = review_comments.write(session, park_year, REVIEWER, "意见")
        with pytest.raises(PermissionDenied):
            review_comments.resolve(session, first, who)


def test_another_parks_officer_cannot_reply_and_an_empty_comment_is_refused(world: World) -> None:
    with world.store.session(actor="t") as session:
        park_year = repository.get_park_year(session, repository.get_park(session, 1), 2018)
        first = review_comments.write(session, park_year, REVIEWER, "意见")
        with pytest.raises(PermissionDenied):
            review_comments.write(session, park_year, OTHER_OFFICER, "回复", parent=first)
        with pytest.raises(InvalidValue, match="意见不能为空"):
            review_comments.write(session, park_year, OFFICER, "  ", parent=first)
