"""Accepted enterprise submissions rolled up into the park's items.

An item rolls up when the framework's roll-up rules (`ecopark.accounting.rollup`) define it as a
sum over enterprises (综合能耗, 新鲜水, COD …). For each such item of a year, the park value is
the sum of the accepted submissions' values (each already in the item's canonical unit). A
value the park stated itself (not written by a roll-up) is kept unless `overwrite` is asked
for: a park's statistics usually cover more enterprises than report here. Every written value
says where it comes from (`MARK`, the number of enterprises) and is audited like any change.

A framework's rules may take an item's rule from another framework's file (`include`): a
zero-carbon park-year rolls up the solid-waste and water items it shares with HJ 274 from
submissions made on HJ 274's form. Inventory lines (the zero-carbon park's E_park and energy)
are NOT rolled up here: a submission holds item values, not the carrier amounts the lines are
made of. A park-year keeps its inventory (`repository.set_sections`); it comes from
`ecopark rollup` of the enterprise roster, the workbook's 核算-* sheets, the dataset file, or
the inventory page of the web platform.

Two submissions of one year under the same 统一社会信用代码 (two enterprise records of one legal
entity) are never summed twice: the roll-up stops (`Conflict`) until the officer says which one
stands (`Choice.keep`); the other is returned with the reason. Replacing a park-stated value
shows its coverage — N of M enterprises (M: the park's registered enterprises, one per credit
code) and the share of the stated value — and below 100 % needs `Choice.confirm`
(`PartialCoverage`, 409 on the API).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecopark.accounting import creditcode
from ecopark.accounting.coverage import Coverage, require_confirmed
from ecopark.accounting.rollup_rules import load_rules
from ecopark.core.dataset.schema import ValueEntry
from ecopark.core.errors import Conflict, DataFileError, InvalidValue, NotFound
from ecopark.core.framework.loading import load_framework
from ecopark.core.framework.model import Framework
from ecopark.store import models as m
from ecopark.store import repository, submissions

__all__ = ["MARK", "Choice", "Duplicate", "Plan", "RollupLine", "accept_and_roll_up",
           "additive_items", "apply_rollup", "plan_rollup"]

MARK = "企业报送汇总"


@dataclasses.dataclass(frozen=True)
class RollupLine:
    """One park item-year: the enterprises' sum and what the park-year holds now."""

    item: str
    year: int
    total: float
    unit: str
    enterprises: tuple[str, ...]
    current: float | None  # the stored value (canonical unit), None when absent or "/"
    stated: bool  # the stored value was stated by the park, not rolled up
    known: int = 0  # the park's enterprises (one per credit code)
    version: int = 0  # the stored value's version (0: none)

    @property
    def action(self) -> str:
        """fill (no value yet) | update (a roll-up's value changes) | keep (park-stated value
        kept) | same (nothing changes)."""
        if self.current is not None and abs(self.current - self.total) <= 1e-9 * max(
                1.0, abs(self.total)):
            return "same"
        if self.current is None and not self.stated:
            return "fill"
        return "keep" if self.stated else "update"

    def coverage(self) -> Coverage:
        """N of M enterprises, and the sum's share of the value it would replace."""
        return Coverage(self.item, self.year, len(self.enterprises), self.known, self.total,
                        self.current)


@dataclasses.dataclass(frozen=True)
class Duplicate:
    """Submissions of one year under one credit code; `kept` the one chosen to stand."""

    code: str
    submissions: tuple[m.Submission, ...]
    kept: m.Submission | None = None

    def names(self) -> str:
        return "、".join(f"{s.enterprise.name}（报送 {s.id}）" for s in self.submissions)


@dataclasses.dataclass(frozen=True)
class Plan:
    """What rolling up a year would write: the park-year (None when the park has no data for
    the year), the lines, and the duplicated credit codes among the submissions."""

    park_year: m.ParkYear | None
    lines: list[RollupLine]
    duplicates: list[Duplicate] = dataclasses.field(default_factory=list)

    @property
    def unsettled(self) -> list[Duplicate]:
        return [d for d in self.duplicates if d.kept is None]

    @property
    def dropped(self) -> list[m.Submission]:
        """The submissions a choice leaves out."""
        return [s for d in self.duplicates if d.kept is not None for s in d.submissions
                if s is not d.kept]

    def replacing(self) -> list[Coverage]:
        """The coverage of every park-stated value the roll-up would replace."""
        return [line.coverage() for line in self.lines if line.action == "keep"]


@dataclasses.dataclass(frozen=True)
class Choice:
    """The officer's answers: replace park-stated values, confirm a partial coverage, and per
    duplicated credit code the submission id that stands."""

    overwrite: bool = False
    confirm: bool = False
    keep: Mapping[str, int] = dataclasses.field(default_factory=dict)
    versions: Mapping[tuple[str, int], int] | None = None  # the values' versions seen


def additive_items(framework: Framework) -> tuple[str, ...]:
    """The items the framework's roll-up rules define as sums over enterprises (their own and
    the ones they include from another framework's rules)."""
    try:
        rules = load_rules(framework)
    except DataFileError:
        return ()
    return tuple(name for name, rule in rules.spec.items.items() if rule.sum is not None)


def _accepted(session: Session, park: m.Park, year: int) -> list[m.Submission]:
    return list(session.scalars(select(m.Submission).join(m.Enterprise).where(
        m.Enterprise.park_id == park.id, m.Submission.year == year,
        m.Submission.status == "accepted").order_by(m.Enterprise.name)))


def _code(enterprise: m.Enterprise) -> str:
    return creditcode.normalize(enterprise.credit_code or "")


def known_enterprises(park: m.Park) -> int:
    """The park's enterprises, one per credit code (those without a code each count)."""
    return len({_code(e) or f"#{e.id}" for e in park.enterprises})


def _duplicates(subs: list[m.Submission], keep: Mapping[str, int]) -> list[Duplicate]:
    groups: dict[str, list[m.Submission]] = defaultdict(list)
    for sub in subs:
        if _code(sub.enterprise):
            groups[_code(sub.enterprise)].append(sub)
    return [Duplicate(code, tuple(found), next((s for s in found if s.id == keep.get(code)),
                                               None))
            for code, found in groups.items() if len(found) > 1]


def _counted(subs: list[m.Submission], duplicates: list[Duplicate]) -> list[m.Submission]:
    """Each credit code once: the chosen submission, else (in a preview) the first."""
    left_out = {id(s) for d in duplicates for s in d.submissions
                if s is not (d.kept or d.submissions[0])}
    return [s for s in subs if id(s) not in left_out]


def plan_rollup(session: Session, park: m.Park, year: int, also: m.Submission | None = None,
                keep: Mapping[str, int] | None = None) -> Plan:
    """What rolling up the year's accepted submissions (and `also`, about to be accepted)
    would write, each credit code counted once."""
    subs = _accepted(session, park, year) + ([also] if also is not None else [])
    duplicates = _duplicates(subs, keep or {})
    try:
        park_year = repository.get_park_year(session, park, year)
    except NotFound:
        return Plan(None, [], duplicates)
    framework = load_framework(park_year.framework_key)
    sums = _sums(_counted(subs, duplicates), additive_items(framework))
    stored = {(o.item, o.year): o for o in park_year.observations}
    known = known_enterprises(park)
    lines = [_line(framework, item, year, total, names, stored.get((item, year)), known)
             for item, (total, names) in sums.items()]
    return Plan(park_year, lines, duplicates)


def _sums(subs: list[m.Submission], items: tuple[str, ...]) -> dict[str, tuple[float, list[str]]]:
    out: dict[str, tuple[float, list[str]]] = {}
    for sub in subs:
        for value in sub.values:
            if value.item in items and value.value is not None:
                total, names = out.get(value.item, (0.0, []))
                out[value.item] = (total + value.value, [*names, sub.enterprise.name])
    return out


def _line(framework: Framework, item: str, year: int, total: float, names: list[str],
          row: m.ObservationRow | None, known: int) -> RollupLine:
    rolled = row is not None and (row.source or "").startswith(MARK)
    return RollupLine(item, year, total, framework.spec.items[item].unit, tuple(names),
                      None if row is None else row.value, row is not None and not rolled, known,
                      0 if row is None else row.version)


def apply_rollup(session: Session, park_year: m.ParkYear, lines: list[RollupLine],
                 overwrite: bool = False, versions: Mapping[tuple[str, int], int] | None = None
                 ) -> list[RollupLine]:
    """Write the lines' sums into the park's record (park-stated values only with
    `overwrite`); with `versions` (what the officer saw), a value changed since is refused
    (`StaleWrite`); return the lines written."""
    written = []
    for line in lines:
        if line.action == "same" or (line.action == "keep" and not overwrite):
            continue
        n = len(line.enterprises)
        source = f"{MARK}：{n} 家企业（园区共 {line.known} 家）accepted submissions of {n} " \
                 f"of {line.known} enterprises"
        entry = ValueEntry(value=round(line.total, 6), unit=line.unit, source=source)
        expected = None if versions is None else versions.get((line.item, line.year), 0)
        repository.set_observation(session, park_year, line.item, line.year, entry, via="rollup",
                                   expected=expected)
        written.append(line)
    return written


# --------------------------------------------------------------------------- accepting


def accept_and_roll_up(session: Session, sub: m.Submission, choice: Choice) -> list[RollupLine]:
    """Accept a submitted submission and roll the year up: refused (nothing changed) while a
    credit code is duplicated without a choice, or while replacing park-stated values covers
    fewer than every enterprise unconfirmed. The submissions a choice leaves out are returned
    with the reason; if `sub` is one of them, it is returned instead of accepted."""
    submissions.require_submitted(sub)
    park = sub.enterprise.park
    plan = plan_rollup(session, park, sub.year, also=sub, keep=choice.keep)
    _check_choice(plan, choice.keep)
    if choice.overwrite:
        require_confirmed(f"{park.name} {sub.year}", plan.replacing(), choice.confirm,
                          "核对是否所有企业都已报送；确需替换时确认 check that every enterprise has "
                          "reported; confirm to replace anyway")
    _set_aside(session, plan)
    if sub.status == "submitted":
        submissions.accept(session, sub)
    final = plan_rollup(session, park, sub.year)
    if final.park_year is None:
        return []
    return apply_rollup(session, final.park_year, final.lines, choice.overwrite, choice.versions)


def _check_choice(plan: Plan, keep: Mapping[str, int]) -> None:
    duplicated = {d.code: d for d in plan.duplicates}
    for code, chosen in keep.items():
        if code not in duplicated or duplicated[code].kept is None:
            raise InvalidValue("keep", f"{code}={chosen}：不是该年重复代码的报送 not a submission "
                               "of a duplicated credit code of the year",
                               "只为重复的代码选定保留的报送 choose only for a duplicated code")
    for duplicate in plan.unsettled:
        raise Conflict(problem=f"{len(duplicate.submissions)} 家企业的报送使用同一代码："
                       f"{duplicate.names()}；汇总已停止，不重复计算 submissions share one "
                       "credit code: the roll-up stopped, nothing is counted twice",
                       hint="选定保留哪家企业的报送 choose which submission stands",
                       kind="统一社会信用代码 credit code", key=duplicate.code)


def _set_aside(session: Session, plan: Plan) -> None:
    for duplicate in plan.duplicates:
        kept = duplicate.kept
        assert kept is not None
        for other in duplicate.submissions:
            if other is not kept:
                submissions.set_aside(session, other, (
                    f"统一社会信用代码 {duplicate.code} 与 {kept.enterprise.name} 相同，园区保留其报送，"
                    f"本报送不计入汇总 the same credit code as {kept.enterprise.name}, whose "
                    "submission stands: this one is not rolled up"))
