"""The seed park (江苏武进经济开发区 2018) as a conformance case: every computable indicator,
the verdict, and everything spec/hj274-2015.md lists for `verify`."""

from __future__ import annotations

import pytest

from ecopark import Evaluation, Status, VerdictStatus, verify

# (number, recomputed value from the table's own rows, status). Hand checks:
#  1: 723782.20 / 2069827.16 = 0.349682… → 34.97 %
#  2: 496758.52 万元 / 12957 人 = 38.339 万元/人
#  3: (496758.52 / 412800.00) ** (1/3) − 1 = 6.3658 %
#  6: 14035.40 / (14001.20 + 382.28) = 97.580 %
#  8: 49.675852 亿元 / 3.10 km² = 16.0245 亿元/km²
#  9: ((496758.52/3.10) / (412800/3.24)) ** (1/3) − 1 = 7.9435 %
# 10: ((27029.17/23076) ** (1/6) − 1) / ((496758.52/192300) ** (1/6) − 1) = 0.15583
# 11: 27029.17 / 496758.52 = 0.054411 tce/万元
# 13: ((77.94/72.69) ** (1/6) − 1) / g_IVA = 0.068217
# 14: 779400 m³ / 496758.52 万元 = 1.56897 m³/万元
# 15: 316.30 / (316.30 + 77.94) = 80.2303 %
# 25: mean(COD −0.69 …, SO2, NOx) without 氨氮 (no base value) = −0.84124
# 26: −((135509.97/496758.52) / (37968/192300)) ** (1/6) + 1 = −5.5353 %
# 27: 624580.56 / 496758.52 = 1.25731 t/万元;  28: 14001.20 / 496758.52 = 0.028185 t/万元
EXPECTED = [
    (1, 34.9682434354, Status.MET),
    (2, 38.3390074863, Status.MET),
    (3, 6.36576761395, Status.NOT_MET),
    (5, 13.0, Status.MET),
    (6, 97.5800015017, Status.MET),
    (8, 16.0244683871, Status.MET),
    (9, 7.94345569354, Status.MET),
    (10, 0.155827485067, Status.MET),
    (11, 0.0544110848869, Status.MET),
    (13, 0.0682169534451, Status.MET),
    (14, 1.56897157999, Status.MET),
    (15, 80.2303165584, Status.MET),
    (19, 0.0, Status.MET),
    (25, -0.841241119358, Status.MET),
    (26, -5.53534025055, Status.NOT_MET),
    (27, 1.25731222486, Status.MET),
    (28, 0.0281851230252, Status.MET),
    (29, 24.83, Status.MET),
]


@pytest.mark.parametrize(("number", "value", "status"), EXPECTED)
def test_seed_indicator_values(seed_eval: Evaluation, number: int, value: float,
                               status: Status) -> None:
    result = seed_eval.result(number)
    assert result.value == pytest.approx(value, rel=1e-10)
    assert result.status is status


@pytest.mark.parametrize(("number", "item"), [(4, "recycling_industry_va"),
                                              (7, "recycled_resources"),
                                              (12, "renewable_energy"), (16, "reclaimed_water")])
def test_printed_slash_is_missing_never_zero(seed_eval: Evaluation, number: int,
                                             item: str) -> None:
    result = seed_eval.result(number)
    assert result.status is Status.MISSING
    assert result.missing == (item, 2018)
    assert result.value is None


def test_pollutant_without_base_value_is_left_out_with_warning(seed_eval: Evaluation) -> None:
    warnings = seed_eval.result(25).warnings
    assert len(warnings) == 1
    assert "nh3n" in warnings[0][0] and "2012" in warnings[0][0] and "不按 0 计" in warnings[0][0]


def test_seed_verdict_fails_on_indicator_26_only(seed_eval: Evaluation) -> None:
    verdict = seed_eval.verdict
    assert verdict.status is VerdictStatus.FAILED
    assert [(r.kind, r.numbers) for r in verdict.reasons] == [("mandatory_not_met", (26,))]
    met = {g.id: g.met for g in verdict.groups}
    assert met == {"G1": (1, 2), "G2": (6,), "G3": (8, 9), "G4": (11,), "G5": (14, 15),
                   "G6": (27, 28)}


def _findings(seed_eval: Evaluation) -> dict[tuple[str, int | None], list[str]]:
    out: dict[tuple[str, int | None], list[str]] = {}
    for finding in verify(seed_eval).findings:
        out.setdefault((finding.kind, finding.number), []).append(finding.zh)
    return out


def test_verify_finds_every_known_problem_of_the_seed(seed_eval: Evaluation) -> None:
    found = _findings(seed_eval)
    assert set(found) == {
        ("overall_verdict_flip", None), ("verdict_flip", 26), ("mismatch", 26),
        ("mismatch", 1), ("mismatch", 9), ("mismatch", 15), ("cannot_reproduce", 25),
        ("text_table_inconsistency", 25), ("text_table_inconsistency", None),
        ("method_inconsistency", 26), ("missing_row", 32),
        ("base_year_inference", 10), ("base_year_inference", 13),
        ("base_year_inference", 25), ("base_year_inference", 26),
    }
    assert "39.31" in found[("mismatch", 1)][0] and "34.97" in found[("mismatch", 1)][0]
    assert "7.90" in found[("mismatch", 9)][0] and "7.94" in found[("mismatch", 9)][0]
    assert "81.17" in found[("mismatch", 15)][0] and "80.23" in found[("mismatch", 15)][0]
    assert "-0.84" in found[("cannot_reproduce", 25)][0]
    assert "3.37" in found[("verdict_flip", 26)][0] and "-5.54" in found[("verdict_flip", 26)][0]
    assert "-0.69" in found[("text_table_inconsistency", 25)][0]
    assert "389.68" in found[("text_table_inconsistency", None)][0]
    assert "394.24" in found[("text_table_inconsistency", None)][0]
    method = found[("method_inconsistency", 26)][0]
    assert "1.65" in method and "5.01" in method


def test_verify_within_printed_precision_is_not_a_finding(seed_eval: Evaluation) -> None:
    found = _findings(seed_eval)
    for number in (2, 6, 8, 10, 11, 13, 14, 27, 28):  # 0.16 vs 0.156, 0.054 vs 0.0544 …
        assert ("mismatch", number) not in found


def test_overall_verdict_flips_from_printed_pass_to_fail(seed_eval: Evaluation) -> None:
    result = verify(seed_eval)
    assert result.printed_verdict is not None
    assert result.printed_verdict.status is VerdictStatus.PASSED
    assert seed_eval.verdict.status is VerdictStatus.FAILED
    flip = next(f for f in result.findings if f.kind == "overall_verdict_flip")
    assert flip.severity == "error" and "26" in flip.zh


def test_base_year_inference(seed_eval: Evaluation) -> None:
    found = _findings(seed_eval)
    assert "1993–2012" in found[("base_year_inference", 10)][0]
    assert "无法复现" in found[("base_year_inference", 26)][0]
    assert "无法复现" in found[("base_year_inference", 25)][0]


def test_every_observation_keeps_its_printed_form(seed_eval: Evaluation) -> None:
    obs = seed_eval.dataset.values[("water_reuse", 2018)]
    assert obs.given == "3163000 立方米"
    assert obs.value == pytest.approx(316.3)  # canonical unit 万m3
    assert seed_eval.dataset.values[("nh3n", 2012)].value is None
