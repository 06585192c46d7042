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
"""

from __future__ import annotations

import dataclasses

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecopark.accounting.rollup import load_rules
from ecopark.dataset import ValueEntry
from ecopark.errors import DataFileError, NotFound
from ecopark.framework import Framework, load_framework
from ecopark.store import models as m
from ecopark.store import repository

__all__ = ["MARK", "RollupLine", "additive_items", "apply_rollup", "plan_rollup"]

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


def plan_rollup(session: Session, park: m.Park, year: int,
                also: m.Submission | None = None) -> tuple[m.ParkYear | None, list[RollupLine]]:
    """What rolling up the year's accepted submissions (and `also`, about to be accepted)
    would write: the park-year (None when the park has no data for the year) and the lines."""
    subs = _accepted(session, park, year) + ([also] if also is not None else [])
    try:
        park_year = repository.get_park_year(session, park, year)
    except NotFound:
        return None, []
    framework = load_framework(park_year.framework_key)
    sums = _sums(subs, additive_items(framework))
    stored = {(o.item, o.year): o for o in park_year.observations}
    lines = [_line(framework, item, year, total, names, stored.get((item, year)))
             for item, (total, names) in sums.items()]
    return park_year, lines


def _sums(subs: list[m.Submission], items: tuple[str, ...]) -> dict[str, tuple[float, list[str]]]:
    out: dict[str, tuple[float, list[str]]] = {}
    for sub in subs:
        for value in sub.values:
            if value.item in items and value.value is not None:
                total, names = out.get(value.item, (0.0, []))
                out[value.item] = (total + value.value, [*names, sub.enterprise.name])
    return out


def _line(framework: Framework, item: str, year: int, total: float, names: list[str],
          row: m.ObservationRow | None) -> RollupLine:
    rolled = row is not None and (row.source or "").startswith(MARK)
    return RollupLine(item, year, total, framework.spec.items[item].unit, tuple(names),
                      None if row is None else row.value, row is not None and not rolled)


def apply_rollup(session: Session, park_year: m.ParkYear, lines: list[RollupLine],
                 overwrite: bool = False) -> list[RollupLine]:
    """Write the lines' sums into the park-year (park-stated values only with `overwrite`);
    return the lines written."""
    written = []
    for line in lines:
        if line.action == "same" or (line.action == "keep" and not overwrite):
            continue
        source = f"{MARK}：{len(line.enterprises)} 家企业 accepted submissions of " \
                 f"{len(line.enterprises)} enterprises"
        entry = ValueEntry(value=round(line.total, 6), unit=line.unit, source=source)
        repository.set_observation(session, park_year, line.item, line.year, entry)
        written.append(line)
    return written
