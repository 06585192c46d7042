"""Units: ecopark's pint registry, the spellings parks write, and cached conversion factors.

Values are converted once, when a dataset is loaded, into each item's canonical unit; formulas
then work on plain floats and a single factor converts a formula's result unit (derived
statically when the framework is loaded) into the indicator's unit.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from typing import TYPE_CHECKING

from ecopark.core.errors import UnitError

if TYPE_CHECKING:
    import pint

__all__ = ["conversion_factor", "is_dimensionless", "normalize", "parse_unit", "pretty", "registry"]

_WHOLE = {"": "dimensionless", "-": "dimensionless", "—": "dimensionless", "1": "dimensionless",
          "%": "percent", "％": "percent"}
_PIECES = (("万m³", "万立方米"), ("万m3", "万立方米"), ("万m²", "万平方米"), ("万m2", "万平方米"),
           ("hm²", "hm2"),
           ("%", "percent"), ("％", "percent"), ("³", "**3"), ("²", "**2"), ("／", "/"),
           ("·", "*"))
_POWER = re.compile(r"(?<![A-Za-z])(k?m)([23])(?![0-9])")


@functools.cache
def registry() -> pint.UnitRegistry[float]:
    import pint

    ureg: pint.UnitRegistry[float] = pint.UnitRegistry(None, cache_folder=None)
    text = resources.files("ecopark.core").joinpath("data/units.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            ureg.define(line)
    return ureg


def normalize(unit: str) -> str:
    """Rewrite a unit as parks write it (m³, 万m3, %, -) into pint's grammar."""
    text = unit.strip()
    if text in _WHOLE:
        return _WHOLE[text]
    text = re.sub(r"万\s+", "万", text)
    for old, new in _PIECES:
        text = text.replace(old, new)
    return _POWER.sub(r"\1**\2", text)


@functools.cache
def parse_unit(unit: str) -> pint.Unit:
    """Parse a unit string; raise UnitError (without a place) when it is unknown. pint's parser
    fails on some strings typed in a 单位 cell ("万元/", "(", "1/0") with an AssertionError,
    tokenize.TokenError or ZeroDivisionError: those are unknown units too."""
    import tokenize

    import pint

    try:
        return registry().parse_units(normalize(unit))
    except (pint.errors.PintError, SyntaxError, TypeError, ValueError, AttributeError,
            ArithmeticError, AssertionError, LookupError, tokenize.TokenError) as exc:
        raise UnitError(file="", key_path="", problem=f"未知单位 unknown unit: {exc}",
                        from_unit=unit, to_unit="") from None


@functools.cache
def conversion_factor(from_unit: str, to_unit: str) -> float:
    """The number a value in `from_unit` is multiplied by to express it in `to_unit`."""
    return _factor(parse_unit(from_unit), parse_unit(to_unit), from_unit, to_unit)


def unit_factor(source: pint.Unit, target: pint.Unit) -> float:
    """Factor between two parsed units (static unit analysis of formulas)."""
    return _factor(source, target, str(source), str(target))


def _factor(source: pint.Unit, target: pint.Unit, from_text: str, to_text: str) -> float:
    import pint

    try:
        return float(registry().Quantity(1.0, source).to(target).magnitude)
    except ArithmeticError as exc:  # an exponent such as m**1e400
        raise UnitError(file="", key_path="", problem=f"无法换算 cannot convert: {exc}",
                        from_unit=from_text, to_unit=to_text) from None
    except pint.errors.DimensionalityError:
        problem = f"量纲不同 different dimensions: {source.dimensionality} ≠ {target.dimensionality}"
        raise UnitError(file="", key_path="", problem=problem, from_unit=from_text,
                        to_unit=to_text) from None


def is_dimensionless(unit: pint.Unit) -> bool:
    return bool(unit.dimensionless)


# English display names of the Chinese unit words (longest first), for pages and documents in
# English: 万元/人 → 10⁴ yuan/person. Units without a Chinese word are the same in both.
_ENGLISH = (("万吨标准煤", "10⁴ tce"), ("千克标准煤", "kgce"), ("吨标准煤", "tce"), ("万吨标煤", "10⁴ tce"),
            ("千克标煤", "kgce"), ("吨标煤", "tce"), ("克标准煤", "gce"), ("万立方米", "10⁴ m³"),
            ("万平方米", "10⁴ m²"), ("万千瓦时", "10⁴ kWh"), ("平方公里", "km²"), ("平方千米", "km²"),
            ("立方米", "m³"), ("平方米", "m²"), ("千瓦时", "kWh"), ("万元", "10⁴ yuan"),
            ("亿元", "10⁸ yuan"), ("万吨", "10⁴ t"), ("万人", "10⁴ persons"), ("万m", "10⁴ m"),
            ("/人", "/person"), ("人", "persons"), ("元", "yuan"), ("吨", "t"), ("公顷", "ha"),
            ("公里", "km"), ("千米", "km"), ("亩", "mu"), ("家", "enterprises"), ("次", "times"),
            ("项", "items"), ("个", "units"), ("件", "pieces"), ("座", "facilities"), ("年", "a"),
            ("米", "m"), ("万", "10⁴ "))


def pretty(unit: str, lang: str = "zh") -> str:
    """Display form of a unit as written in a framework: km2 → km², m3 → m³; in English
    (`lang="en"`) the Chinese unit words by their English names: 万元/人 → 10⁴ yuan/person."""
    if unit in ("1", "dimensionless"):
        return "—"
    if lang == "en":
        for chinese, english in _ENGLISH:
            unit = unit.replace(chinese, english)
    return _POWER.sub(lambda m: m.group(1) + ("²" if m.group(2) == "2" else "³"), unit)
