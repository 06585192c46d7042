"""Mapping a printed row's name to the framework: an indicator, or an item and the year it is for.

Names are compared normalised (`norm`: NFKC, case-folded, no whitespace), exactly against the
indicators' names and the items' names, English names and aliases, else by difflib ratio — an
indicator's name loosely within its 序号 group or when its 要求 matches, an item's near one of
the group's items. A base row's year is its prefix: 规划基准年 → the planning base year ("t0"),
"2015年" → 2015, none → the evaluation year ("t").
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import unicodedata

from ecopark.core import units
from ecopark.core.errors import UnitError
from ecopark.core.formula.syntax import Call, Name, parse
from ecopark.core.framework.model import Framework
from ecopark.core.numbers import ABSENT

__all__ = ["Match", "Names", "direct_item", "norm", "parses_as_unit"]

_BASE = re.compile(r"\(?(?:规划)?基准年(?:\(?(\d{4})年?\)?)?\)?")
_LEAD_YEAR = re.compile(r"^((?:19|20)\d{2})年度?")
_TAIL_YEAR = re.compile(r"\(((?:19|20)\d{2})年?\)$")


def norm(text: str) -> str:
    """A name as compared: NFKC (full-width → ASCII), case-folded, without any whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).casefold())


@dataclasses.dataclass(frozen=True)
class Match:
    indicator: int | None = None
    item: str | None = None
    when: str | int = "t"  # "t0" planning base year, "t" evaluation year, or a printed year
    stated: int | None = None  # a base year printed in the row, "规划基准年（2012年）"


class Names:
    """A framework's indicator and item names, normalised, to map printed rows."""

    def __init__(self, framework: Framework) -> None:
        self.framework = framework
        self.indicators = {norm(i.name_zh): i.number for i in framework.indicators}
        self.indicators |= {norm(i.name_en): i.number for i in framework.indicators}
        self.items: dict[str, list[str]] = {}
        for key, item in framework.spec.items.items():
            for name in {norm(n) for n in (key, item.name_zh, item.name_en, *item.aliases)}:
                self.items.setdefault(name, []).append(key)

    def match(self, name: str, context: int | None, requirement: str | None,
              unit: str) -> Match | None:
        """The indicator or item a row names. `context` is the indicator of the row's 序号 group;
        `requirement` the row's 要求 cell ("-" on base rows; None without such a column)."""
        key = norm(name)
        if key in self.indicators:
            return Match(indicator=self.indicators[key])
        rest, when, stated = _split_year(key)
        near = self._context(context)
        if rest in self.items:
            keys = self.items[rest]
            return Match(item=next((k for k in keys if k in near), keys[0]), when=when, stated=stated)
        base_like = None if requirement is None else requirement in ABSENT
        found = [] if base_like else self._fuzzy_indicator(key, context, requirement or "", unit)
        if base_like is not False:
            found += self._fuzzy_item(rest, near, when, stated)
        return max(found, key=lambda pair: pair[0])[1] if found else None

    def _context(self, context: int | None) -> set[str]:
        numbers = [n for n in (context, (context or 0) + 1) if n in self.framework.by_number]
        return {item for n in numbers for item in self.framework.items_of(n)}

    def _fuzzy_indicator(self, key: str, context: int | None, requirement: str,
                         unit: str) -> list[tuple[float, Match]]:
        """Close names; in the row's 序号 group a looser name, or the same 要求, is enough."""
        out = []
        for name, number in self.indicators.items():
            indicator = self.framework.indicator(number)
            ratio = difflib.SequenceMatcher(None, key, name).ratio()
            grouped = number == context and (
                ratio >= 0.6 or norm(requirement) == norm(indicator.requirement.text_zh))
            if (ratio >= 0.85 or grouped) and _unit_fits(unit, indicator.unit):
                out.append((ratio, Match(indicator=number)))
        return out

    def _fuzzy_item(self, rest: str, near: set[str], when: str | int,
                    stated: int | None) -> list[tuple[float, Match]]:
        return [(ratio, Match(item=key, when=when, stated=stated))
                for name, keys in self.items.items() for key in keys if key in near
                if (ratio := difflib.SequenceMatcher(None, rest, name).ratio()) >= 0.8]

    def closest(self, name: str) -> str:
        """The nearest indicator or item name, for the hint of an unmapped row."""
        key = _split_year(norm(name))[0]
        spec = self.framework.spec
        names = [i.name_zh for i in self.framework.indicators]
        names += [n for item in spec.items.values() for n in (item.name_zh, *item.aliases)]
        return max(names, key=lambda n: difflib.SequenceMatcher(None, key, norm(n)).ratio())


def _split_year(key: str) -> tuple[str, str | int, int | None]:
    """"规划基准年工业增加值" → ("工业增加值", "t0", None); "2015年工业增加值" → (…, 2015, None)."""
    when: str | int = "t"
    stated = None
    base = _BASE.search(key)
    if base:
        when, stated = "t0", int(base.group(1)) if base.group(1) else None
        key = key[:base.start()] + key[base.end():]
    for pattern in (_LEAD_YEAR, _TAIL_YEAR):
        printed = pattern.search(key)
        if printed:
            year = int(printed.group(1))
            key = key[:printed.start()] + key[printed.end():]
            when, stated = (when, year) if when == "t0" else (year, stated)
    return key, when, stated


def _unit_fits(printed: str, unit: str) -> bool:
    """False only when the printed unit is a real unit of another dimension (立方米 for a %)."""
    if not parses_as_unit(printed) or units.is_dimensionless(units.parse_unit(printed)):
        return True
    try:
        units.conversion_factor(printed, unit)
    except UnitError:
        return False
    return True


def parses_as_unit(unit: str) -> bool:
    try:
        units.parse_unit(unit)
    except UnitError:
        return False
    return True


def direct_item(framework: Framework, number: int) -> str | None:
    """The item an indicator is reported as directly: its formula `x` or `coalesce(…, x)`."""
    node = parse(framework.indicator(number).formula)
    if isinstance(node, Call) and node.func == "coalesce":
        node = node.args[-1]
    return node.name if isinstance(node, Name) and node.name in framework.spec.items else None
