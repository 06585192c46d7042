"""The overall verdict: every mandatory indicator met, and each optional group's minimum met.

Reasons name what decides the verdict: which mandatory indicator failed or could not be judged,
which group has too few met, and which selected optional indicator failed while another member
of its group carries the group.

A framework with `verdict.kind: gate_guidance` is judged on its core (mandatory) indicators
alone; its guidance indicators are reported met / not met / exempted, never counted. Under
either kind, eligibility gates a dataset answers `met: false` fail the verdict and unanswered
ones leave it incomplete.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ecopark.core.results import IndicatorResult, Status

if TYPE_CHECKING:
    from ecopark.core.dataset.model import Dataset
    from ecopark.core.framework.model import Framework

__all__ = ["GateResult", "GroupResult", "GuidanceResult", "Reason", "Verdict", "VerdictStatus",
           "decide"]


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
class GateResult:
    id: str
    name_zh: str
    name_en: str
    met: bool | None  # None: not answered
    evidence: str
    source: str


@dataclasses.dataclass(frozen=True)
class GuidanceResult:
    number: int
    name_zh: str
    name_en: str
    status: Status
    reason_zh: str
    reason_en: str


@dataclasses.dataclass(frozen=True)
class Verdict:
    status: VerdictStatus
    reasons: tuple[Reason, ...]
    groups: tuple[GroupResult, ...]
    kind: str = "groups"
    gates: tuple[GateResult, ...] = ()
    guidance: tuple[GuidanceResult, ...] = ()

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
    gates = tuple(_gates(framework, dataset))
    if framework.spec.verdict.kind == "gate_guidance":
        return _gate_guidance(results, gates)
    selected = dataset.profile.selected if dataset is not None else frozenset()
    reasons = list(_mandatory_reasons(results))
    reasons.extend(_gate_reasons(gates))
    groups = tuple(_groups(framework, results, selected))
    for group in groups:
        reasons.extend(_group_reasons(group, results))
    status = _status(reasons)
    if status is VerdictStatus.PASSED:
        count = sum(1 for r in results if r.indicator.mandatory)
        reasons.insert(0, Reason("all_met", (), f"全部 {count} 项必选指标达标，{len(groups)} 个可选组"
                                 "均满足最少达标数", f"all {count} mandatory indicators met and "
                                 f"every one of the {len(groups)} optional groups has enough met",
                                 "info"))
    return Verdict(status, tuple(reasons), groups, gates=gates)


def _status(reasons: list[Reason]) -> VerdictStatus:
    severities = {r.severity for r in reasons}
    return (VerdictStatus.FAILED if "fail" in severities else
            VerdictStatus.INCOMPLETE if "incomplete" in severities else VerdictStatus.PASSED)


def _gates(framework: Framework, dataset: Dataset | None) -> Iterable[GateResult]:
    answers = dataset.gates if dataset is not None else {}
    for gate in framework.spec.gates:
        answer = answers.get(gate.id)
        yield GateResult(gate.id, gate.name_zh, gate.name_en,
                         None if answer is None else answer.met,
                         "" if answer is None else answer.evidence, gate.source)


def _gate_reasons(gates: tuple[GateResult, ...]) -> Iterable[Reason]:
    failed = [g for g in gates if g.met is False]
    if failed:
        yield Reason("gate_not_met", (), "申报条件未满足：" + "；".join(g.name_zh for g in failed),
                     "eligibility gates not met: " + "; ".join(g.name_en for g in failed), "fail")
    unanswered = [g for g in gates if g.met is None]
    if unanswered:
        yield Reason("gate_unanswered", (), "申报条件未填报：" + "；".join(
            g.name_zh for g in unanswered), "eligibility gates not answered: " + "; ".join(
            g.name_en for g in unanswered), "incomplete")


_GUIDANCE_WORDS = {Status.MET: ("达到", "met"), Status.NOT_MET: ("未达到", "not met"),
                   Status.EXEMPTED: ("豁免", "exempted")}


def _gate_guidance(results: list[IndicatorResult], gates: tuple[GateResult, ...]) -> Verdict:
    """Core indicators are a gate; guidance indicators are reported, never counted."""
    reasons = [Reason(r.kind, r.numbers, r.zh.replace("必选指标", "核心指标"),
                      r.en.replace("mandatory indicator", "core indicator"), r.severity)
               for r in _mandatory_reasons(results)]
    reasons.extend(_gate_reasons(gates))
    status = _status(reasons)
    core = [r.number for r in results if r.indicator.mandatory]
    if status is VerdictStatus.PASSED:
        reasons.insert(0, Reason("core_met", tuple(core), f"核心指标 {_nums(core)} 达到要求"
                                 + ("，申报条件全部满足" if gates else ""),
                                 f"core indicators {', '.join(map(str, core))} met"
                                 + (" and every eligibility gate met" if gates else ""), "info"))
    guidance = tuple(GuidanceResult(r.number, r.indicator.name_zh, r.indicator.name_en,
                                    r.status, r.reason_zh, r.reason_en)
                     for r in results if r.indicator.guidance)
    if guidance:
        reasons.append(_guidance_summary(guidance))
    return Verdict(status, tuple(reasons), (), "gate_guidance", gates, guidance)


def _guidance_summary(guidance: tuple[GuidanceResult, ...]) -> Reason:
    parts_zh: list[str] = []
    parts_en: list[str] = []
    for status in (Status.MET, Status.NOT_MET, Status.EXEMPTED):
        chosen = [g.number for g in guidance if g.status is status]
        if chosen:
            zh, en = _GUIDANCE_WORDS[status]
            parts_zh.append(f"{zh} {_nums(chosen)}")
            parts_en.append(f"{en} {', '.join(map(str, chosen))}")
    other = [g.number for g in guidance if g.status not in _GUIDANCE_WORDS]
    if other:
        parts_zh.append(f"无法判定 {_nums(other)}")
        parts_en.append(f"not judged {', '.join(map(str, other))}")
    return Reason("guidance", tuple(g.number for g in guidance),
                  "引导性指标（不计数）：" + "；".join(parts_zh),
                  "guidance indicators (not counted): " + "; ".join(parts_en), "info")


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
    """A group is judged on its selected members when the park declares a selection in it
    (是否为考核指标), else on all its members."""
    by_number = {r.number: r for r in results}
    judged = group.selected or group.members
    met = tuple(n for n in group.met if n in judged)
    if len(met) < group.min_met:
        yield _group_short(group, judged, met, by_number)
        return
    for number in group.selected:
        status = by_number[number].status
        if status is not Status.MET:
            carriers = tuple(n for n in met if n != number)
            zh, en = _STATUS_WORDS.get(status, ("未达标", "is not met"))
            yield Reason("selected_not_met", (number, *carriers),
                         f"所选考核指标 {number} {zh}，但同组指标 {_nums(carriers)} 达标，"
                         f"{group.id} 仍满足", f"selected indicator {number} {en}, but "
                         f"{', '.join(map(str, carriers))} of {group.id} is met and carries the "
                         "group", "info")


def _group_short(group: GroupResult, judged: tuple[int, ...], met: tuple[int, ...],
                 by_number: dict[int, IndicatorResult]) -> Reason:
    """Too few met among the members judged: incomplete while one of them is open, else fail."""
    which_zh = "所选考核指标" if group.selected else "指标"
    which_en = "selected indicators" if group.selected else "indicators"
    open_members = tuple(n for n in judged if not by_number[n].determined)
    if open_members:
        return Reason("group_undetermined", open_members,
                      f"{group.id}（{group.name_zh}）达标数不足，且{which_zh} {_nums(open_members)} "
                      "缺数据或无法评价",
                      f"{group.id} ({group.name_en}) has too few met and {which_en} "
                      f"{', '.join(map(str, open_members))} cannot be judged", "incomplete")
    among_zh = f"所选考核指标 {_nums(judged)} 中" if group.selected else ""
    among_en = f" among the selected {', '.join(map(str, judged))}" if group.selected else ""
    return Reason("group_not_met", judged,
                  f"{group.id}（{group.name_zh}）{among_zh}没有足够的达标指标"
                  f"（需 {group.min_met} 项，实 {len(met)} 项）",
                  f"{group.id} ({group.name_en}) has {len(met)} met{among_en}, needs "
                  f"{group.min_met}", "fail")
