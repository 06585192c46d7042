"""One observation as a dataset file writes it, read into the item's canonical unit: a number
(converted from the unit it was written in), a fact (one of the item's values), or "/" (not
reported, kept as such and never read as 0)."""

from __future__ import annotations

import dataclasses
import difflib
import math

from ecopark.core import units
from ecopark.core.dataset.model import Observation
from ecopark.core.dataset.schema import Scalar, Series, ValueEntry
from ecopark.core.errors import DatasetError, UnitError
from ecopark.core.framework.items import Item
from ecopark.core.framework.model import Framework
from ecopark.core.numbers import MAX_MAGNITUDE, parse_printed

__all__ = ["known_item", "observation", "unit_factor"]


def known_item(framework: Framework, name: str, file: str) -> Item:
    """The declared item `name`, or a `DatasetError` with the nearest name."""
    item = framework.spec.items.get(name)
    if item is None:
        near = difflib.get_close_matches(name, list(framework.spec.items), n=1)
        hint = f"是否应为 did you mean {near[0]!r}?" if near else \
            f"运行 ecopark items --framework {framework.id} 查看数据项 list the items"
        raise DatasetError(file, f"observations.{name}", f"未知数据项 unknown item {name!r}", hint)
    return item


def observation(framework: Framework, item: Item, name: str, year: int,
                raw: Scalar | ValueEntry | None, series: Series, file: str) -> Observation:
    """The value of `name` in `year` as written (`raw`, in its series), checked and converted."""
    entry = raw if isinstance(raw, ValueEntry) else ValueEntry(value="" if raw is None else raw)
    where = f"observations.{name}.values.{year}"
    if not 1900 <= year <= 2200:
        raise DatasetError(file, where, f"年份不合理 implausible year {year}")
    printed = parse_printed(entry.value)
    unit = "%" if printed.percent else entry.unit or series.unit or item.unit
    source = entry.source or series.source
    given = f"{printed.text} {unit}".strip()
    if printed.absent:
        return Observation(name, year, None, source, entry.note or series.note, given,
                           printed.text, unit if item.kind == "number" else "")
    if item.kind == "fact":
        return Observation(name, year, _fact(item, printed.text, where, file), source,
                           entry.note or series.note, given)
    if printed.number is None:
        raise DatasetError(file, where, f"不是数字 not a number: {printed.text!r}",
                           "填写数字，未填报写 \"/\" write a number, or \"/\" if not reported")
    if not math.isfinite(printed.number):
        raise DatasetError(file, where, f"不是有限数 not a finite number: {_short(printed.text)}")
    if abs(printed.number) > MAX_MAGNITUDE:
        raise DatasetError(file, where, f"数值过大（超过 {MAX_MAGNITUDE:.0e}）the number is larger "
                           f"than {MAX_MAGNITUDE:.0e}: {_short(printed.text)}",
                           "检查数值与单位 check the number and its unit")
    value = printed.number * unit_factor(unit, item, where, file, printed.text)
    if value < 0 and not item.allow_negative:
        raise DatasetError(file, where, f"{item.name_zh} 不能为负 cannot be negative: {value:g}",
                           "检查符号 check the sign")
    return Observation(name, year, value, source, entry.note or series.note, given,
                       unit_given=unit)


def _short(text: str) -> str:
    """A value as quoted in a message, cut to 40 characters."""
    return repr(text if len(text) <= 40 else f"{text[:37]}...")


def unit_factor(unit: str, item: Item, where: str, file: str, text: str) -> float:
    """The factor from `unit` to the item's unit; a `UnitError` at `where` when they do not
    convert."""
    try:
        return units.conversion_factor(unit, item.unit)
    except UnitError as exc:
        hint = f"{item.name_zh} 的单位应可换算为 {item.unit} use a unit convertible to {item.unit}"
        raise dataclasses.replace(exc, file=file, key_path=where, value=text, hint=hint,
                                  to_unit=item.unit) from None


def _fact(item: Item, text: str, where: str, file: str) -> str:
    allowed = item.values or {}
    for key, label in allowed.items():
        if text in (key, label.zh, label.en):
            return key
    raise DatasetError(file, where, f"{item.name_zh} 的取值 {text!r} 不在允许范围 not allowed",
                       f"可用 allowed: {', '.join(allowed)}")
