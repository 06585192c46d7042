"""Which (item, year) pairs an indicator reads (`ecopark.core.formula.reads`): t, t−3, the base year,
through variables, every member of a mean and both years of a growth rate."""

from __future__ import annotations

from ecopark import Framework
from ecopark.core.formula.reads import item_years
from ecopark.web.forms import needed_years


def _reads(fw: Framework, number: int, t: int = 2019, t0: int = 2015) -> list[tuple[str, int]]:
    variables = {name: formula.typed.expr for name, (formula, _) in fw.variables.items()}
    return item_years([fw.formulas[number].typed.expr], t, t0, variables)


def test_a_three_year_growth_reads_t_and_t_minus_3(hj274: Framework) -> None:
    assert _reads(hj274, 3) == [("iva", 2016), ("iva", 2019)]


def test_a_plain_ratio_reads_the_evaluation_year(hj274: Framework) -> None:
    assert _reads(hj274, 2) == [("iva", 2019), ("employees", 2019)]


def test_an_elasticity_mean_reads_every_member_in_both_years(hj274: Framework) -> None:
    assert _reads(hj274, 25) == [
        ("cod", 2015), ("cod", 2019), ("iva", 2015), ("iva", 2019), ("nh3n", 2015),
        ("nh3n", 2019), ("so2", 2015), ("so2", 2019), ("nox", 2015), ("nox", 2019)]


def test_a_reduction_rate_reads_the_base_year(hj274: Framework) -> None:
    assert _reads(hj274, 26, 2018, 2012) == [("co2", 2012), ("iva", 2012), ("co2", 2018),
                                             ("iva", 2018)]


def test_the_economy_forms_years(hj274: Framework) -> None:
    economy = [i.number for i in hj274.indicators if i.category == "economy"]
    assert needed_years(hj274, economy, 2019, 2015) == {2016, 2019}  # the base year: a list
