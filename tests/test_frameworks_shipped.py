"""Every framework file shipped loads and passes every named check."""

from __future__ import annotations

import pytest

from ecopark import available_frameworks, load_framework


@pytest.mark.parametrize("name", list(available_frameworks()))
def test_shipped_framework_loads(name: str) -> None:
    framework = load_framework(name)
    assert framework.id == name
    assert len(framework.formulas) == len(framework.indicators)


def test_hj274_structure(hj274_counts: tuple[int, int, dict[str, list[int]]]) -> None:
    total, mandatory, groups = hj274_counts
    assert (total, mandatory) == (32, 17)
    assert groups == {"G1": [1, 2, 3, 4], "G2": [6, 7], "G3": [8, 9], "G4": [11, 12],
                      "G5": [14, 15, 16], "G6": [27, 28]}


@pytest.fixture
def hj274_counts() -> tuple[int, int, dict[str, list[int]]]:
    framework = load_framework("hj274-2015")
    groups: dict[str, list[int]] = {}
    for ind in framework.indicators:
        if ind.group:
            groups.setdefault(ind.group, []).append(ind.number)
    return len(framework.indicators), sum(i.mandatory for i in framework.indicators), groups


def test_every_entry_cites_a_source() -> None:
    spec = load_framework("hj274-2015").spec
    assert all(i.source.strip() for i in spec.indicators)
    assert all(i.source.strip() for i in spec.items.values())
    assert spec.verdict.source.strip()


def test_conditional_and_regional_requirements_are_data() -> None:
    spec = load_framework("hj274-2015").spec
    for number in (10, 13, 25):
        cases = spec.indicators[number - 1].requirement.cases
        assert cases is not None and [c.when for c in cases] == ["g_iva > 0", "g_iva < 0"]
    cases16 = spec.indicators[15].requirement.cases
    assert cases16 is not None and len(cases16) == 3


def test_items_of_an_indicator_in_order_of_use() -> None:
    framework = load_framework("hj274-2015")
    assert framework.items_of(1) == ["hightech_output", "gross_output"]
    assert framework.items_of(25) == ["cod", "iva", "nh3n", "so2", "nox"]
    assert framework.items_of(20) == ["env_management_rate"]  # checklist ids are not items
