"""The formula language: parsing, checking (names, types, units) and evaluation with traces."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from ecopark.core.errors import MissingData
from ecopark.core.formula import FormulaSyntaxError, NotEvaluable, Scope, compile_formula
from ecopark.core.trace import Trace, Value

SCOPE = Scope(items={"iva": "万元", "land": "km2", "co2": "t", "fresh": "万m3", "reuse": "m3",
                     "ok": "text"},
              variables={"g": "%"}, profile_fields=frozenset({"region"}),
              lists=frozenset({"projects"}), checklists=frozenset({"mgmt"}))


@dataclass
class FakeEnv:
    """A process-boundary stand-in for the dataset: a dict of (item, year) → value."""

    data: dict[tuple[str, int], float | str]
    t: int = 2018
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def base_year(self) -> int:
        return 2012

    def item(self, name: str, year: int) -> tuple[float | str, str | None]:
        if (name, year) not in self.data:
            raise MissingData(name, year)
        return self.data[(name, year)], "fixture"

    def variable(self, name: str, year: int) -> tuple[Value, Trace]:
        return 10.0, Trace(name, 10.0)

    def profile(self, name: str) -> str:
        return "jingjinji"

    def checklist(self, name: str, year: int) -> tuple[int, int, list[str]]:
        return 3, 4, ["a", "b", "c", "d"]

    def count(self, name: str, after: int, upto: int) -> tuple[int, list[str]]:
        return 2, ["p1", "p2"]

    def value(self) -> Value:
        return 31.0

    def warn(self, zh: str, en: str) -> None:
        self.warnings.append((zh, en))


DATA: dict[tuple[str, int], float | str] = {
    ("iva", 2012): 100.0, ("iva", 2015): 121.0, ("iva", 2018): 146.41,
    ("land", 2015): 2.0, ("land", 2018): 2.0, ("co2", 2012): 50.0, ("co2", 2018): 50.0,
    ("fresh", 2018): 3.0, ("reuse", 2018): 10000.0, ("ok", 2018): "达标",
}


def run(text: str, data: dict[tuple[str, int], float | str] | None = None) -> tuple[Value, Trace]:
    return compile_formula(text, SCOPE).evaluate(FakeEnv(DATA if data is None else data))


def test_arithmetic_precedence_and_power() -> None:
    assert run("2 + 3 * 4 ** 2 / 8 - -1")[0] == 9.0


def test_bare_item_is_the_context_year_and_brackets_pick_a_year() -> None:
    assert run("iva")[0] == 146.41
    assert run("iva[t0]")[0] == 100.0
    assert run("iva[t - 3]")[0] == 121.0
    assert run("iva[2015]")[0] == 121.0


def test_cagr_is_geometric() -> None:
    # (146.41 / 100) ** (1/6) − 1 = 1.1 ** (4/6) − 1 = 0.0656…
    assert run("cagr(iva, t0, t)")[0] == pytest.approx(1.1 ** (4 / 6) - 1)
    # (146.41 / 121) ** (1/3) − 1 = 1.21 ** (1/3) − 1
    assert run("cagr(iva, t - 3, t)")[0] == pytest.approx(1.21 ** (1 / 3) - 1)


def test_cagr_of_a_ratio_evaluates_the_ratio_in_both_years() -> None:
    value, trace = run("cagr(iva / land, t - 3, t)")
    assert value == pytest.approx((146.41 / 121) ** (1 / 3) - 1)
    assert [leaf.year for leaf in trace.leaves()] == [2015, 2015, 2018, 2018]


def test_elasticity_divides_growth_rates() -> None:
    # co2 flat → growth 0 → elasticity 0
    assert run("elasticity(co2, iva, t0, t)")[0] == 0.0


def test_elasticity_with_zero_driver_growth_is_not_evaluable() -> None:
    data = {**DATA, ("iva", 2018): 100.0}
    with pytest.raises(NotEvaluable) as caught:
        run("elasticity(co2, iva, t0, t)", data)
    assert "cagr(iva, t0, t)" in caught.value.reason_en


def test_division_by_zero_is_not_evaluable_and_names_the_denominator() -> None:
    with pytest.raises(NotEvaluable) as caught:
        run("iva / (land - land)")
    assert "land - land" in caught.value.reason_en


def test_addition_converts_compatible_units() -> None:
    # fresh 3 万m3 + reuse 10000 m3 (= 1 万m3) = 4 万m3
    assert run("fresh + reuse")[0] == pytest.approx(4.0)
    assert compile_formula("fresh + reuse", SCOPE).typed.expr.unit == "万m³"


def test_mean_leaves_out_missing_members_with_a_warning() -> None:
    env = FakeEnv(DATA)
    formula = compile_formula("mean(iva[t0], iva[2016], iva[2015])", SCOPE)
    value, trace = formula.evaluate(env)
    assert value == (100.0 + 121.0) / 2
    assert len(env.warnings) == 1 and "iva" in env.warnings[0][1] and "2016" in env.warnings[0][1]
    assert trace.note == "2/3"


def test_mean_of_all_missing_raises_missing() -> None:
    with pytest.raises(MissingData) as caught:
        run("mean(iva[2000], iva[2001])")
    assert (caught.value.item, caught.value.year) == ("iva", 2000)


def test_coalesce_takes_the_first_computable() -> None:
    value, trace = run("coalesce(iva[2000], iva[t0])")
    assert value == 100.0 and trace.note is not None and "2" in trace.note


def test_checklist_count_profile_and_text() -> None:
    assert run("checklist(mgmt)")[0] == 0.75
    assert run("count(projects, t0, t)")[0] == 2.0
    assert run("region == 'jingjinji'")[0] is True
    assert run("ok == '达标'")[0] is True


def test_requirement_rule_with_value_and_literal_in_the_value_unit() -> None:
    scope = Scope(items={}, value_unit="%")
    assert compile_formula("value >= 30", scope).evaluate(FakeEnv({}))[0] is True
    assert compile_formula("value >= 30 and value < 31", scope).evaluate(FakeEnv({}))[0] is False


@pytest.mark.parametrize(("text", "problem", "position"), [
    ("ivaa + 1", "did you mean 'iva'", 0),
    ("iva + land", "incompatible units", 4),
    ("cagr(iva, t)", "takes 3 arguments", 0),
    ("iva[land]", "a year is expected", 4),
    ("iva >", "unexpected", 5),
    ("ok + 1", "a number", 0),
    ("ok < '达标'", "text can only be compared", 3),
    ("t0", "is a year", 0),
    ("projects", "is a list", 0),
    ("sqrt(iva)", "unknown function", 0),
    ("count(nope, t0, t)", "expected a name declared in 'lists'", 6),
    ("iva ** land", "exponent must be dimensionless", 7),
    ("iva # 2", "unexpected character '#'", 4),
    ("(iva", "expected ')'", 4),
])
def test_check_errors_name_the_problem_and_position(text: str, problem: str,
                                                    position: int) -> None:
    with pytest.raises(FormulaSyntaxError) as caught:
        compile_formula(text, SCOPE)
    assert problem in caught.value.problem
    assert caught.value.position == position


def test_never_evaluates_python() -> None:
    with pytest.raises(FormulaSyntaxError):
        compile_formula("__import__('os').system('true')", SCOPE)


def test_trace_records_items_years_and_sources() -> None:
    _, trace = run("iva / land")
    leaves = trace.leaves()
    assert [(leaf.item, leaf.year, leaf.source) for leaf in leaves] == [
        ("iva", 2018, "fixture"), ("land", 2018, "fixture")]
    assert trace.to_dict()["children"][0] == {"label": "iva", "value": 146.41, "unit": "万元",
                                              "item": "iva", "year": 2018, "source": "fixture"}
