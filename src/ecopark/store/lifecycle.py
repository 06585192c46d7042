"""The lifecycle of a park-year, as a state machine: a table of (state, action) → new state and
the roles that may take each action. Pure: no session, no clock; `store/transitions.py` applies
a step to the database.

    填报中 draft ──submit──> 已提交 submitted ──take──> 审核中 under_review ──approve──> 已通过 approved
        ^  ^                  │  │                      │                                 │
        │  └────withdraw──────┘  └──return──> 退回 returned <──return──┘            publish
        │                                       │ (submit again)                          v
        └────────────reopen (with a reason: a new edition)──────────────────────── 已公开 published

What a state lets be written (`writable`): everything in draft and returned; only the printed
table (the reviewer's verification upload) while submitted or under review; nothing once
approved or published.
"""

from __future__ import annotations

import dataclasses

from ecopark.core.errors import Conflict, InvalidValue, PermissionDenied

__all__ = ["ACTIONS", "LOCKED", "NEEDS_TEXT", "ROLES_OF", "STATES", "STEPS", "Step",
           "action_name", "actions_for", "locked_problem", "next_state", "state_name",
           "writable"]

STATES = ("draft", "submitted", "under_review", "returned", "approved", "published")
ACTIONS = ("submit", "withdraw", "take", "return", "approve", "publish", "reopen")

STEPS: dict[tuple[str, str], str] = {
    ("draft", "submit"): "submitted",
    ("returned", "submit"): "submitted",
    ("submitted", "withdraw"): "draft",
    ("submitted", "take"): "under_review",
    ("submitted", "return"): "returned",
    ("under_review", "return"): "returned",
    ("under_review", "approve"): "approved",
    ("approved", "publish"): "published",
    ("approved", "reopen"): "draft",
    ("published", "reopen"): "draft",
}

ROLES_OF: dict[str, frozenset[str]] = {
    "submit": frozenset({"park_officer", "admin"}),
    "withdraw": frozenset({"park_officer", "admin"}),
    "take": frozenset({"reviewer"}),
    "return": frozenset({"reviewer"}),
    "approve": frozenset({"reviewer"}),
    "publish": frozenset({"park_officer", "admin"}),
    "reopen": frozenset({"park_officer", "reviewer", "admin"}),
}

NEEDS_TEXT = frozenset({"return", "reopen"})  # a comment (return) or a reason (reopen)
LOCKED = frozenset({"submitted", "under_review", "approved", "published"})
_REVIEWED = frozenset({"submitted", "under_review"})

_NAMES = {"draft": ("填报中", "draft"), "submitted": ("已提交", "submitted"),
          "under_review": ("审核中", "under review"), "returned": ("已退回", "returned"),
          "approved": ("已通过", "approved"), "published": ("已公开", "published")}
_ACTION_NAMES = {"submit": ("提交审核", "submit for review"), "withdraw": ("撤回", "withdraw"),
                 "take": ("开始审核", "take for review"), "return": ("退回", "return"),
                 "approve": ("通过", "approve"), "publish": ("公开", "publish"),
                 "reopen": ("重新打开", "reopen")}
# how to get a locked state back to one that may be written
_UNLOCK = {"submitted": ("撤回提交，或请审核人员退回", "withdraw it, or ask the reviewer to return it"),
           "under_review": ("请审核人员退回", "ask the reviewer to return it"),
           "approved": ("说明理由后重新打开（生成新版本）", "reopen it with a reason (a new edition)"),
           "published": ("说明理由后重新打开（生成新版本）", "reopen it with a reason (a new edition)")}


@dataclasses.dataclass(frozen=True)
class Step:
    """A transition that may be taken: its action and the state it leads to."""

    action: str
    to_state: str


def state_name(state: str, lang: str = "zh") -> str:
    zh, en = _NAMES[state]
    return en if lang == "en" else zh


def action_name(action: str, lang: str = "zh") -> str:
    zh, en = _ACTION_NAMES[action]
    return en if lang == "en" else zh


def next_state(state: str, action: str, role: str, text: str = "") -> str:
    """The state `action` by `role` leads to from `state`. PermissionDenied when the role never
    takes this action, Conflict when the state does not allow it, InvalidValue when a return
    has no comment or a reopening no reason."""
    if action not in ROLES_OF:
        raise InvalidValue("action", f"没有这个操作 no such action: {action}",
                           "、".join(ACTIONS))
    if role not in ROLES_OF[action]:
        zh, en = _ACTION_NAMES[action]
        raise PermissionDenied(role, f"{zh} {en}", "园区年度 park-year")
    target = STEPS.get((state, action))
    if target is None:
        raise _wrong_state(state, action)
    if action in NEEDS_TEXT and not text.strip():
        raise InvalidValue("comment", "退回须写明意见，重新打开须说明理由 a return needs a comment, "
                           "a reopening a reason", "填写意见或理由 write the comment or reason")
    return target


def _wrong_state(state: str, action: str) -> Conflict:
    allowed = [s for (s, a) in STEPS if a == action]
    names_zh = "、".join(_NAMES[s][0] for s in allowed)
    names_en = ", ".join(_NAMES[s][1] for s in allowed)
    return Conflict(problem=f"该年度处于“{_NAMES[state][0]}”状态，不能{_ACTION_NAMES[action][0]}"
                    f"（仅限{names_zh}） the year is {_NAMES[state][1]}: it cannot be "
                    f"{_ACTION_NAMES[action][1]} (only when {names_en})",
                    kind="园区年度 park-year", key="")


def actions_for(state: str, role: str) -> list[Step]:
    """The steps `role` may take from `state`, in the order of ACTIONS."""
    return [Step(a, STEPS[(state, a)]) for a in ACTIONS
            if (state, a) in STEPS and role in ROLES_OF[a]]


def writable(state: str, part: str) -> bool:
    """Whether `part` ("data": the park-year's own fields and its year's values, "printed": the
    printed table) may be written in `state`."""
    if state not in LOCKED:
        return True
    return part == "printed" and state in _REVIEWED


def locked_problem(state: str) -> tuple[str, str]:
    """What a refused write says (zh, en): the state, and how to get it back to editable."""
    zh, en = _NAMES[state]
    how_zh, how_en = _UNLOCK[state]
    return (f"该年度处于“{zh}”状态，数据已锁定，不能修改；如需修改：{how_zh}",
            f"the year is {en} and its data are locked; to change them: {how_en}")
