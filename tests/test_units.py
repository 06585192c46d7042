"""Units: the spellings parks write, conversions, and refusals."""

from __future__ import annotations

import pytest

from ecopark.core import units
from ecopark.core.errors import UnitError


@pytest.mark.parametrize(("source", "target", "factor"), [
    ("万元", "元", 1e4), ("亿元", "万元", 1e4), ("吨标准煤", "kgce", 1000.0), ("吨标煤", "tce", 1.0),
    ("万吨标准煤", "tce", 1e4), ("m³", "立方米", 1.0), ("万m³", "m3", 1e4), ("万立方米", "m3", 1e4),
    ("吨", "t", 1.0), ("万吨", "t", 1e4), ("平方公里", "km²", 1.0), ("km2", "m2", 1e6),
    ("公顷", "km2", 0.01), ("亩", "m2", 10000 / 15), ("万m²", "km2", 0.01),
    ("万 m3", "m3", 1e4), ("人", "万人", 1e-4), ("次", "个", 1.0),
    ("%", "1", 0.01), ("1", "%", 100.0), ("-", "%", 100.0), ("万元/km2", "亿元/平方公里", 1e-4),
    ("万m3/万元", "m3/万元", 1e4), ("tce/万元", "kgce/元", 0.1), ("次/年", "次/a", 1.0),
])
def test_conversions(source: str, target: str, factor: float) -> None:
    assert units.conversion_factor(source, target) == pytest.approx(factor, rel=1e-12)


def test_incompatible_units_raise_unit_error_with_both_units() -> None:
    with pytest.raises(UnitError) as caught:
        units.conversion_factor("万元", "吨")
    assert (caught.value.from_unit, caught.value.to_unit) == ("万元", "吨")
    assert "[currency]" in caught.value.problem and "[mass]" in caught.value.problem


def test_unknown_unit_is_named() -> None:
    with pytest.raises(UnitError) as caught:
        units.parse_unit("furlong")
    assert caught.value.from_unit == "furlong"
    assert "unknown unit" in caught.value.problem


def test_pretty_units_for_display() -> None:
    assert units.pretty("亿元/km2") == "亿元/km²"
    assert units.pretty("m3/万元") == "m³/万元"
    assert units.pretty("1") == "—"


def test_registry_is_ecoparks_own_definitions_file() -> None:
    registry = units.registry()
    assert "万元" in registry and "亩" in registry
    assert "furlong" not in registry  # pint's default definitions are not loaded


def test_factors_and_plain_numbers_never_use_an_exponent() -> None:
    from ecopark.core.numbers import factor, plain
    assert [factor(v) for v in (3.0512, 12.44, 240.4, 9070.12, 1e8)] == [
        "3.05", "12.4", "240", "9,070", "100,000,000"]
    assert [plain(v) for v in (1e6, 0.5, 15.0, -0.0)] == ["1,000,000", "0.5", "15", "0"]
