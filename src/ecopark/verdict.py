"""The overall verdict: every mandatory indicator met, and each optional group's minimum met.

Reasons name what decides the verdict: which mandatory indicator failed or could not be judged,
which group has too few met, and which selected optional indicator failed while another member
of its group carries the group.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ecopark.evaluate import IndicatorResult, Status

if TYPE_CHECKING:
    from ecopark.dataset import Dataset
    from ecopark.framework import Framework

__all__ = ["GroupResult", "Reason", "Verdict", "VerdictStatus", "decide"]


class VerdictStatus(enum.StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    INCOMPLETE = "incomplete"


@dataclasses.dataclass(frozen=True)
class Reason:
    kind: str  # mandatory_not_met | mandatory_undetermined | group_not_met | ...
    numbers: tuple[int, ...]
    zh: str
    en: str
    severity: str  # fail | incomplete | info

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "numbers": list(self.numbers), "severity": self.severity,
                "message_zh": self.zh, "message_en": self.en}


@dataclasses.dataclass(frozen=True)
class GroupResult:
    id: str
    name_zh: str
    name_en: str
    members: tuple[int, ...]
    met: tuple[int, ...]
    selected: tuple[int, ...]
    min_met: int


@dataclasses.dataclass(frozen=True)
class Verdict:
    status: VerdictStatus
    reasons: tuple[Reason, ...]
    groups: tuple[GroupResult, ...]

    @property
    def passed(self) -> bool:
        return self.status is VerdictStatus.PASSED


_STATUS_WORDS = {
    Status.NOT_MET: ("未达标", "is not met"),
    Status.MISSING: ("缺数据", "has missing data"),
    Status.NOT_EVALUABLE: ("无法评价", "cannot be evaluated"),
    Status.NOT_APPLICABLE: ("不适用", "does not apply"),
}


def _nums(numbers: Iterable[int]) -> str:
    return "、".join(str(n) for n in numbers)


def decide(framework: Framework, dataset: Dataset | None,
           results: list[IndicatorResult]) -> Verdict:
    """Combine indicator statuses into the verdict by the framework's rule."""
    selected = dataset.profile.selected if dataset is not None else frozenset()
    reasons = list(_mandatory_reasons(results))
    groups = tuple(_groups(framework, results, selected))
    for group in groups:
        reasons.extend(_group_reasons(group, results))
    severities = {r.severity for r in reasons}
    status = (VerdictStatus.FAILED if "fail" in severities else
              VerdictStatus.INCOMPLETE if "incomplete" in severities else VerdictStatus.PASSED)
    if status is VerdictStatus.PASSED:
        count = sum(1 for r in results if r.indicator.mandatory)
        reasons.insert(0, Reason("all_met", (), f"全部 {count} 项必选指标达标，{len(groups)} 个可选组"
                                 "均满足最少达标数", f"all {count} mandatory indicators met and "
                                 f"every one of the {len(groups)} optional groups has enough met",
                                 "info"))
    return Verdict(status, tuple(reasons), groups)


def _mandatory_reasons(results: list[IndicatorResult]) -> Iterable[Reason]:
    mandatory = [r for r in results if r.indicator.mandatory]
    failed = tuple(r.number for r in mandatory if r.status is Status.NOT_MET)
    if failed:
        yield Reason("mandatory_not_met", failed, f"必选指标未达标：{_nums(failed)}",
                     f"mandatory indicators not met: {', '.join(map(str, failed))}", "fail")
    for r in mandatory:
        if not r.determined:
            yield Reason("mandatory_undetermined", (r.number,),
                         f"必选指标 {r.number} 无法判定：{r.reason_zh}",
                         f"mandatory indicator {r.number} cannot be judged: {r.reason_en}",
                         "incomplete")


def _groups(framework: Framework, results: list[IndicatorResult],
            selected: frozenset[int]) -> Iterable[GroupResult]:
    for gid, group in framework.spec.verdict.groups.items():
        members = tuple(r.number for r in results if r.indicator.group == gid)
        met = tuple(r.number for r in results
                    if r.indicator.group == gid and r.status is Status.MET)
        chosen = tuple(n for n in members if n in selected)
        yield GroupResult(gid, group.name_zh, group.name_en, members, met, chosen, group.min_met)


def _group_reasons(group: GroupResult, results: list[IndicatorResult]) -> Iterable[Reason]:
    by_number = {r.number: r for r in results}
    if len(group.met) < group.min_met:
        open_members = tuple(n for n in group.members if not by_number[n].determined)
        if open_members:
            yield Reason("group_undetermined", open_members,
                         f"{group.id}（{group.name_zh}）达标数不足，且指标 {_nums(open_members)} "
                         "缺数据或无法评价",
                         f"{group.id} ({group.name_en}) has too few met and indicators "
                         f"{', '.join(map(str, open_members))} cannot be judged", "incomplete")
        else:
            yield Reason("group_not_met", group.members,
                         f"{group.id}（{group.name_zh}）中没有足够的达标指标"
                         f"（需 {group.min_met} 项，实 {len(group.met)} 项）",
                         f"{group.id} ({group.name_en}) has {len(group.met)} met, needs "
                         f"{group.min_met}", "fail")
        return
    for number in group.selected:
        status = by_number[number].status
        if status is not Status.MET:
            carriers = tuple(n for n in group.met if n != number)
            zh, en = _STATUS_WORDS.get(status, ("未达标", "is not met"))
            yield Reason("selected_not_met", (number, *carriers),
                         f"所选考核指标 {number} {zh}，但同组指标 {_nums(carriers)} 达标，"
                         f"{group.id} 仍满足", f"selected indicator {number} {en}, but "
                         f"{', '.join(map(str, carriers))} of {group.id} is met and carries the "
                         "group", "info")
