"""What-if, forecast and comparison with hand-checkable answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecopark import DatasetError, Evaluation, Framework, Status, evaluate, load_dataset
from ecopark.analysis.compare import compare
from ecopark.analysis.forecast import forecast, trend
from ecopark.analysis.whatif import parse_assignment, whatif
from ecopark.core.errors import UnitError


def test_whatif_changes_exactly_the_expected_statuses(hj274: Framework,
                                                      seed_eval: Evaluation) -> None:
    result = whatif(hj274, seed_eval.dataset, [parse_assignment("co2@2018=80000", hj274, 2018)])
    assert [(c.number, c.status_before, c.status_after) for c in result.changes] == [
        (26, Status.NOT_MET, Status.MET)]
    # 1 − ((80000 / 496758.52) / (37968 / 192300)) ** (1/6)
    expected = (1 - ((80000 / 496758.52) / (37968 / 192300)) ** (1 / 6)) * 100
    assert result.changes[0].after == pytest.approx(expected, rel=1e-10)
    assert result.after.verdict.passed and not result.before.verdict.passed


def test_whatif_converts_units_and_defaults_to_the_evaluation_year(hj274: Framework) -> None:
    a = parse_assignment("iva=50亿元", hj274, 2018)
    assert (a.item, a.year, a.value) == ("iva", 2018, 500000.0)


@pytest.mark.parametrize("text", ["co2@2018", "nope=1", "co2=abc", "key_source_compliance=1"])
def test_whatif_bad_assignment(hj274: Framework, text: str) -> None:
    with pytest.raises(DatasetError) as caught:
        parse_assignment(text, hj274, 2018)
    assert caught.value.key_path == text


def test_whatif_wrong_unit(hj274: Framework) -> None:
    with pytest.raises(UnitError):
        parse_assignment("co2=5万元", hj274, 2018)


def test_trend_of_a_known_series() -> None:
    t = trend("x", {2015: 100.0, 2016: 110.0, 2017: 121.0, 2018: 133.1})
    assert t.growth == pytest.approx(0.10) and t.low == pytest.approx(0.10)
    assert t.years == (2015, 2016, 2017, 2018)
    uneven = trend("x", {2016: 100.0, 2017: 120.0, 2018: 132.0})
    assert (uneven.low, uneven.high) == (pytest.approx(0.10), pytest.approx(0.20))
    assert uneven.growth == pytest.approx(1.32**0.5 - 1)
    assert trend("x", {2018: 5.0}).constant


FORECAST = """\
format: ecopark-dataset/1
framework: hj274-2015
park: {name: 预测园区, base_year: 2015}
year: 2018
observations:
  iva: {unit: 万元, values: {2015: 1000, 2016: 1100, 2017: 1210, 2018: 1331}}
  employees: {unit: 人, values: {2018: 100}}
  energy: {unit: tce, values: {2015: 100, 2018: 125}}
"""


def test_forecast_projects_on_trend_and_warns(tmp_path: Path, hj274: Framework) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(FORECAST, encoding="utf-8")
    result = forecast(hj274, load_dataset(path, hj274), years=2)
    assert result.years == (2019, 2020)
    # 2 (IVA per person): 1331 · 1.1 / 100 = 14.641 in 2019 (< 15), 16.1051 in 2020
    assert result.evaluations[(2019, "central")].result(2).value == pytest.approx(14.641)
    assert result.evaluations[(2020, "central")].result(2).value == pytest.approx(16.1051)
    # 10: energy 100 → 125 over 3 years grows 7.72 %/a, IVA 10 %/a: elasticity 0.772 > 0.6
    warnings = {(w.number, w.year, w.kind) for w in result.warnings}
    assert (10, 2019, "not_met") in warnings and (10, 2020, "not_met") in warnings


def test_forecast_needs_two_years(tmp_path: Path, hj274: Framework) -> None:
    path = tmp_path / "one.yaml"
    path.write_text(FORECAST.split("  iva:")[0] + "  employees: {values: {2018: 100}}\n",
                    encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        forecast(hj274, load_dataset(path, hj274))
    assert "too few years" in caught.value.message("en")


def test_compare_percentiles_follow_the_requirement_direction(tmp_path: Path,
                                                             hj274: Framework) -> None:
    evaluations = []
    for name, iva in (("甲", 100.0), ("乙", 200.0), ("丙", 300.0)):
        path = tmp_path / f"{name}.yaml"
        path.write_text(FORECAST.replace("预测园区", name).replace(
            "iva: {unit: 万元, values: {2015: 1000, 2016: 1100, 2017: 1210, 2018: 1331}}",
            f"iva: {{unit: 万元, values: {{2015: 50, 2018: {iva}}}}}"), encoding="utf-8")
        evaluations.append(evaluate(hj274, load_dataset(path, hj274)))
    result = compare(evaluations)
    # 2 (≥ 15, higher better): 1, 2, 3 万元/人 → P0, P50, P100
    assert [c.percentile for c in result.row(2)] == [0.0, 50.0, 100.0]
    # 11 (≤ 0.5, lower better): 125/100, 125/200, 125/300 → P0, P50, P100
    assert [c.percentile for c in result.row(11)] == [0.0, 50.0, 100.0]
    assert result.parks == ("甲", "乙", "丙")


def test_forecast_fills_years_between_observations(tmp_path: Path, hj274: Framework) -> None:
    path = tmp_path / "gap.yaml"
    path.write_text(FORECAST.replace("2015: 1000, 2016: 1100, 2017: 1210, 2018: 1331",
                                     "2015: 1000, 2018: 1331"), encoding="utf-8")
    result = forecast(hj274, load_dataset(path, hj274), years=1)
    # 2019's indicator 3 reads 2016, interpolated as 1000 · 1.331^(1/3) = 1100 → growth 10 %
    assert result.evaluations[(2019, "central")].result(3).value == pytest.approx(10.0)


def test_whatif_refuses_a_negative_amount(hj274: Framework) -> None:
    with pytest.raises(DatasetError):
        parse_assignment("co2@2018=-5", hj274, 2018)


def test_compare_gives_no_rank_when_parks_are_under_opposite_rules(
        tmp_path: Path, hj274: Framework) -> None:
    evaluations = []
    for name, iva in (("增", 2000.0), ("减", 500.0)):  # IVA grows in one park, falls in the other
        path = tmp_path / f"{name}.yaml"
        path.write_text(FORECAST.replace("预测园区", name).replace(
            "iva: {unit: 万元, values: {2015: 1000, 2016: 1100, 2017: 1210, 2018: 1331}}",
            f"iva: {{unit: 万元, values: {{2015: 1000, 2018: {iva}}}}}"), encoding="utf-8")
        evaluations.append(evaluate(hj274, load_dataset(path, hj274)))
    assert [c.percentile for c in compare(evaluations).row(10)] == [None, None]


def test_comparison_chart_is_deterministic_and_labelled(hj274: Framework,
                                                        seed_eval: Evaluation) -> None:
    from ecopark.reports.charts import render
    from ecopark.reports.compare_chart import comparison_chart

    chart = comparison_chart(compare([seed_eval, seed_eval]), hj274, "zh")
    assert chart.parks == ("江苏武进经济开发区\n2018",) * 2
    assert chart.rows[0].startswith("1 高新技术企业")
    assert chart.cells[25] == ((1, "-5.54"), (1, "-5.54"))  # 26: not met
    assert chart.cells[3] == ((2, ""), (2, ""))  # 4: missing data
    first = render(chart)
    assert first[:8] == b"\x89PNG\r\n\x1a\n" and render(chart) == first


def test_forecast_names_an_optional_group_that_stays_unmet(tmp_path: Path,
                                                            hj274: Framework) -> None:
    # the park selects 2 (IVA per person, ≥ 15 万元/人) in its economic group: 14.641 in 2019
    # (group unmet on trend), 16.1051 in 2020 (met in every scenario: IVA grows 10 % a year)
    path = tmp_path / "g.yaml"
    path.write_text(FORECAST.replace("base_year: 2015}", "base_year: 2015, selected: [2]}"),
                    encoding="utf-8")
    result = forecast(hj274, load_dataset(path, hj274), years=2)
    groups = [(w.group, w.year, w.kind, w.number) for w in result.warnings if w.group]
    assert groups == [("G1", 2019, "group_not_met", 0)]
    warning = next(w for w in result.warnings if w.group)
    assert warning.zh == "2019年 按趋势预测，可选指标组“经济发展可选指标”仍没有足够的达标指标（至少需 1 项）"
    assert warning.en == ('2019: on trend, the optional group "economic development options" '
                          "still has too few indicators met (needs 1)")


def test_forecast_names_a_group_at_risk_at_one_end_of_the_range(tmp_path: Path,
                                                                 hj274: Framework) -> None:
    # IVA 1000 → 1500 → 1530 (+50 %, +2 %): central growth √1.53 − 1 = 23.69 %/a, low +2 %;
    # with 120 people 2019's IVA per person is 15.77 central (met) but 13.01 at the low end
    text = FORECAST.replace("base_year: 2015}", "base_year: 2015, selected: [2]}").replace(
        "2015: 1000, 2016: 1100, 2017: 1210, 2018: 1331", "2016: 1000, 2017: 1500, 2018: 1530"
    ).replace("{2018: 100}", "{2018: 120}")
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    result = forecast(hj274, load_dataset(path, hj274), years=1)
    central = result.evaluations[(2019, "central")].result(2).value
    low = result.evaluations[(2019, "low")].result(2).value
    assert central == pytest.approx(1530 * 1.53**0.5 / 120)
    assert low == pytest.approx(1530 * 1.02 / 120)
    assert [(w.group, w.year, w.kind) for w in result.warnings if w.group] == [
        ("G1", 2019, "group_at_risk")]


def test_forecast_of_the_seed_park_warns_for_26_only(hj274: Framework, seed_eval: Evaluation) -> None:
    result = forecast(hj274, seed_eval.dataset, years=3)
    assert [(w.number, w.year, w.kind) for w in result.warnings] == [
        (26, 2019, "not_met"), (26, 2020, "not_met"), (26, 2021, "not_met")]
