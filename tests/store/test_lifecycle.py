"""The lifecycle as a state machine: every (state, action, role) either leads where the table
says, or is refused — 403 (PermissionDenied) for a role that never takes the action, 409
(Conflict) for a state that does not allow it — with a message naming both."""

from __future__ import annotations

import itertools

import pytest

from ecopark.core.errors import Conflict, InvalidValue, PermissionDenied
from ecopark.store import lifecycle
from ecopark.store.lifecycle import ACTIONS, STATES, next_state

ROLES = ("admin", "park_officer", "enterprise", "reviewer")

EXPECTED = {  # (state, action): (new state, roles allowed)
    ("draft", "submit"): ("submitted", {"park_officer", "admin"}),
    ("returned", "submit"): ("submitted", {"park_officer", "admin"}),
    ("submitted", "withdraw"): ("draft", {"park_officer", "admin"}),
    ("submitted", "take"): ("under_review", {"reviewer"}),
    ("submitted", "return"): ("returned", {"reviewer"}),
    ("under_review", "return"): ("returned", {"reviewer"}),
    ("under_review", "approve"): ("approved", {"reviewer"}),
    ("approved", "publish"): ("published", {"park_officer", "admin"}),
    ("approved", "reopen"): ("draft", {"park_officer", "reviewer", "admin"}),
    ("published", "reopen"): ("draft", {"park_officer", "reviewer", "admin"}),
}


@pytest.mark.parametrize(("state", "action", "role"),
                         list(itertools.product(STATES, ACTIONS, ROLES)))
def test_every_state_action_and_role(state: str, action: str, role: str) -> None:
    allowed_roles = set(lifecycle.ROLES_OF[action])
    if role not in allowed_roles:
        with pytest.raises(PermissionDenied) as denied:
            next_state(state, action, role, "理由")
        assert denied.value.role == role
        assert lifecycle.action_name(action) in denied.value.message("zh")
    elif (state, action) not in EXPECTED:
        with pytest.raises(Conflict) as refused:
            next_state(state, action, role, "理由")
        assert f"“{lifecycle.state_name(state)}”状态" in refused.value.message("zh")
        assert lifecycle.state_name(state, "en") in refused.value.message("en")
    else:
        target, roles = EXPECTED[(state, action)]
        assert role in roles
        assert next_state(state, action, role, "理由") == target


def test_the_table_is_exactly_the_one_expected() -> None:
    assert {k: v for k, v in lifecycle.STEPS.items()} == {k: v[0] for k, v in EXPECTED.items()}
    for (_state, action), (_target, roles) in EXPECTED.items():
        assert set(lifecycle.ROLES_OF[action]) == roles


@pytest.mark.parametrize(("state", "action"), [("under_review", "return"),
                                               ("approved", "reopen")])
def test_a_return_needs_a_comment_and_a_reopening_a_reason(state: str, action: str) -> None:
    with pytest.raises(InvalidValue) as missing:
        next_state(state, action, "reviewer", "  ")
    assert missing.value.field == "comment"


def test_the_actions_a_role_is_offered() -> None:
    offered = {(s, r): [step.action for step in lifecycle.actions_for(s, r)]
               for s in STATES for r in ROLES}
    assert offered[("draft", "park_officer")] == ["submit"]
    assert offered[("submitted", "park_officer")] == ["withdraw"]
    assert offered[("submitted", "reviewer")] == ["take", "return"]
    assert offered[("under_review", "reviewer")] == ["return", "approve"]
    assert offered[("approved", "park_officer")] == ["publish", "reopen"]
    assert offered[("published", "reviewer")] == ["reopen"]
    assert all(not offered[(s, "enterprise")] for s in STATES)


def test_what_each_state_lets_be_written() -> None:
    assert [s for s in STATES if lifecycle.writable(s, "data")] == ["draft", "returned"]
    assert [s for s in STATES if lifecycle.writable(s, "printed")] == \
        ["draft", "submitted", "under_review", "returned"]
