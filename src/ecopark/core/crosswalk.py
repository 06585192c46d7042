"""Side by side: one park's data under several frameworks — which raw items feed which
indicator in each, and where two frameworks define a similar indicator differently (the
`related` links of a framework file). Pure data; `terminal.crosswalk_view` renders it and
`crosswalk_json` gives the JSON of `ecopark crosswalk --json` and `assess --framework all`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from ecopark.core.evaluate import Evaluation
from ecopark.core.framework.loading import load_framework
from ecopark.core.framework.model import Framework

__all__ = ["Crosswalk", "ItemRow", "Link", "Side", "crosswalk", "crosswalk_json"]


@dataclasses.dataclass(frozen=True)
class ItemRow:
    item: str
    name_zh: str
    name_en: str
    unit: str
    feeds: dict[str, tuple[int, ...]]  # framework id → indicators whose formula reads it
    computed: str | None = None  # the inventory quantity it is computed from, if any
    shared_from: str | None = None  # the framework that defines it, if shared


@dataclasses.dataclass(frozen=True)
class Side:
    framework: str
    number: int
    name_zh: str
    name_en: str
    formula: str
    unit: str
    requirement_zh: str
    requirement_en: str
    value: float | str | bool | None = None
    status: str | None = None


@dataclasses.dataclass(frozen=True)
class Link:
    left: Side
    right: Side
    note_zh: str
    note_en: str


@dataclasses.dataclass(frozen=True)
class Crosswalk:
    frameworks: tuple[Framework, ...]
    items: tuple[ItemRow, ...]
    links: tuple[Link, ...]


def crosswalk(frameworks: Sequence[Framework],
              evaluations: Sequence[Evaluation] = ()) -> Crosswalk:
    """The crosswalk of the frameworks (with values and statuses when evaluations are given)."""
    by_id = {ev.framework.id: ev for ev in evaluations}
    return Crosswalk(tuple(frameworks), tuple(_items(frameworks)),
                     tuple(_links(frameworks, by_id)))


def _items(frameworks: Sequence[Framework]) -> list[ItemRow]:
    rows: dict[str, ItemRow] = {}
    for fw in frameworks:
        for ind in fw.indicators:
            for name in fw.items_of(ind.number):
                item = fw.spec.items[name]
                row = rows.setdefault(name, ItemRow(name, item.name_zh, item.name_en, item.unit,
                                                    {}, item.computed,
                                                    fw.shared_from.get(name)))
                row.feeds[fw.id] = (*row.feeds.get(fw.id, ()), ind.number)
    shared = [r for r in rows.values() if len(r.feeds) > 1]
    return shared + [r for r in rows.values() if len(r.feeds) == 1]


def _side(fw: Framework, number: int, evaluation: Evaluation | None) -> Side:
    ind = fw.indicator(number)
    result = evaluation.result(number) if evaluation is not None else None
    return Side(fw.id, number, ind.name_zh, ind.name_en, " ".join(ind.formula.split()),
                ind.unit, ind.requirement.text_zh, ind.requirement.text_en,
                None if result is None else result.value,
                None if result is None else result.status.value)


def _links(frameworks: Sequence[Framework], by_id: dict[str, Evaluation]) -> list[Link]:
    ids = {fw.id for fw in frameworks}
    out: list[Link] = []
    for fw in frameworks:
        for ind in fw.indicators:
            for rel in ind.related:
                if rel.framework not in ids:
                    continue
                other = load_framework(rel.framework)
                out.append(Link(_side(fw, ind.number, by_id.get(fw.id)),
                                _side(other, rel.number, by_id.get(other.id)),
                                rel.note_zh, rel.note_en))
    return out


def crosswalk_json(cross: Crosswalk) -> dict[str, Any]:
    return {
        "frameworks": [{"id": fw.id, "version": fw.spec.version} for fw in cross.frameworks],
        "items": [{"item": r.item, "name_zh": r.name_zh, "name_en": r.name_en, "unit": r.unit,
                   "feeds": {k: list(v) for k, v in r.feeds.items()}, "computed": r.computed,
                   "shared_from": r.shared_from} for r in cross.items],
        "related": [{"left": dataclasses.asdict(link.left),
                     "right": dataclasses.asdict(link.right),
                     "note_zh": link.note_zh, "note_en": link.note_en} for link in cross.links],
    }
