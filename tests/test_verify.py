"""Verification on small hand-built datasets: one finding kind at a time."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecopark import DatasetError, Framework, evaluate, load_dataset, verify
from ecopark.core.readable import readable
from ecopark.core.verify import Finding

BASE = """\
format: ecopark-dataset/1
framework: hj274-2015
park: {{name: 测试园区, base_year: 2015}}
year: 2018
observations:
  iva: {{unit: 万元, values: {{2015: {iva2015}, 2018: 383390}}}}
  employees: {{unit: 人, values: {{2018: 10000}}}}
  key_source_compliance: {{values: {{2018: {compliance}}}}}
reported:
  year: 2018
  indicators: {{{printed}}}
{extra}"""


def findings(tmp_path: Path, hj274: Framework, printed: str, *, iva2015: str = "300000",
             compliance: str = "达标", extra: str = "") -> list[Finding]:
    path = tmp_path / "d.yaml"
    path.write_text(BASE.format(printed=printed, iva2015=iva2015, compliance=compliance,
                                extra=extra), encoding="utf-8")
    return list(verify(evaluate(hj274, load_dataset(path, hj274))).findings)


def kinds(found: list[Finding], number: int | None = 2) -> list[str]:
    return [f.kind for f in found if f.number == number]


# indicator 2 = 383390 万元 / 10000 人 = 38.339 万元/人
@pytest.mark.parametrize(("printed", "expected"), [
    ("38.34", []), ("38.3", []), ("38", []), ("38.339", []),
    ("38.33", ["mismatch"]), ("38.35", ["mismatch"]),
    ("383390", ["unit_slip"]), ("0.0038339", ["unit_slip", "verdict_flip"]),
    ("/", ["not_reported"]),
])
def test_printed_precision_and_unit_slips(tmp_path: Path, hj274: Framework, printed: str,
                                          expected: list[str]) -> None:
    assert kinds(findings(tmp_path, hj274, f'2: "{printed}"')) == expected


def test_unit_slip_is_an_error(tmp_path: Path, hj274: Framework) -> None:
    slip = next(f for f in findings(tmp_path, hj274, '2: "383390"') if f.kind == "unit_slip")
    assert slip.severity == "error" and "相差约 10,000 倍" in slip.zh and "万" in slip.zh


def test_optional_verdict_flip(tmp_path: Path, hj274: Framework) -> None:
    # printed 15.2 meets ≥ 15; if the data gave 14.9 it would not. Data: 149000 / 10000 = 14.9
    found = findings(tmp_path, hj274, '2: "15.2"', extra="")
    assert kinds(found) == ["mismatch"]  # 38.339 vs 15.2: both meet ≥ 15, no flip
    path = tmp_path / "e.yaml"
    text = BASE.format(printed='2: "15.2"', iva2015="300000", compliance="达标", extra="")
    path.write_text(text.replace("2018: 383390", "2018: 149000"), encoding="utf-8")
    found = list(verify(evaluate(hj274, load_dataset(path, hj274))).findings)
    assert sorted(kinds(found)) == ["mismatch", "verdict_flip"]
    flip = next(f for f in found if f.kind == "verdict_flip")
    assert "15.2 达标" in flip.zh and "14.90 未达标" in flip.zh and flip.severity == "error"


def test_fact_printed_differently_is_a_mismatch_and_a_flip(tmp_path: Path,
                                                           hj274: Framework) -> None:
    found = findings(tmp_path, hj274, '17: "达标"', compliance="未达标")
    assert sorted(kinds(found, 17)) == ["mismatch", "verdict_flip"]
    # the table prints 17 only: the other indicators are neither printed nor recomputable; they
    # count as met on both sides, and mandatory 17 fails whatever they are: the verdict flips
    overall = [f for f in found if f.kind == "overall_verdict_flip"]
    assert [(f.reported, f.computed) for f in overall] == [("passed", "failed")]
    assert "必选指标未达标：17" in overall[0].zh and "表中未列且无法复算" in overall[0].zh


def test_printed_value_that_cannot_be_recomputed(tmp_path: Path, hj274: Framework) -> None:
    found = findings(tmp_path, hj274, '4: "12.5"')
    cannot = [f for f in found if f.number == 4]
    assert [f.kind for f in cannot] == ["cannot_reproduce"]
    assert cannot[0].zh == ("指标 4（资源再生利用产业增加值占园区工业增加值比例）表中为 12.5，但无法"
                            "复算：缺少 资源再生利用产业增加值（2018年）")  # names, never item ids


def test_missing_rows_are_listed_when_the_data_gives_a_value(tmp_path: Path,
                                                            hj274: Framework) -> None:
    # only 2 is printed; the data also give 3 (IVA 2015 → 2018) and 17 (a fact)
    found = findings(tmp_path, hj274, '2: "38.34"')
    assert {f.number for f in found if f.kind == "missing_row"} == {3, 17}


def test_printed_table_for_another_year_is_refused(tmp_path: Path, hj274: Framework) -> None:
    path = tmp_path / "d.yaml"
    text = BASE.format(printed='2: "38.34"', iva2015="300000", compliance="达标", extra="")
    path.write_text(text.replace("reported:\n  year: 2018", "reported:\n  year: 2017"),
                    encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        verify(evaluate(hj274, load_dataset(path, hj274)))
    assert caught.value.key_path == "reported.year" and "--year 2017" in caught.value.hint


def test_unquoted_printed_value_keeps_its_decimals(tmp_path: Path, hj274: Framework) -> None:
    # YAML 38.30 would be the float 38.3 (one decimal); ecopark keeps "38.30" as written
    assert kinds(findings(tmp_path, hj274, "2: 38.30")) == ["mismatch"]


def test_base_row_mismatch(tmp_path: Path, hj274: Framework) -> None:
    extra = "  rows:\n    - {item: iva, year: 2018, value: '38.4', unit: 亿元}\n"
    found = findings(tmp_path, hj274, '2: "38.34"', extra=extra)
    rows = [f for f in found if f.kind == "base_row_mismatch"]
    assert len(rows) == 1 and rows[0].item == "iva" and "38.4" in rows[0].zh
    same = "  rows:\n    - {item: iva, year: 2018, value: '38.339', unit: 亿元}\n"
    assert [f for f in findings(tmp_path, hj274, '2: "38.34"', extra=same)
            if f.kind == "base_row_mismatch"] == []


def test_implausible_magnitude_between_years(tmp_path: Path, hj274: Framework) -> None:
    # 2015 entered as 30 (亿元 typed into a 万元 row) vs 2018 383390 万元
    found = findings(tmp_path, hj274, '2: "38.34"', iva2015="30")
    slips = [f for f in found if f.kind == "implausible_magnitude"]
    assert len(slips) == 1 and slips[0].item == "iva" and "2015" in slips[0].zh


def test_text_statement_of_an_item(tmp_path: Path, hj274: Framework) -> None:
    extra = ("  text:\n    - {item: iva, year: 2018, value: '38.34', unit: 亿元, where: 正文}\n"
             "    - {item: employees, year: 2018, value: '9000', where: 正文}\n")
    found = findings(tmp_path, hj274, '2: "38.34"', extra=extra)
    text = [f for f in found if f.kind == "text_table_inconsistency"]
    assert [f.item for f in text] == ["employees"]
    assert "9000" in text[0].zh and "10000" in text[0].zh


def test_no_reported_section_means_no_findings(tmp_path: Path, hj274: Framework) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(BASE.split("reported:")[0].format(iva2015="300000", compliance="达标"),
                    encoding="utf-8")
    result = verify(evaluate(hj274, load_dataset(path, hj274)))
    assert result.findings == () and result.printed_verdict is None


def test_a_printed_number_that_is_not_a_number(tmp_path: Path, hj274: Framework) -> None:
    found = findings(tmp_path, hj274, '2: "约38"')
    assert kinds(found) == ["unreadable_value"]


@pytest.mark.parametrize(("text", "zh", "en"), [
    ("elasticity(nh3n, iva, t0, t)", "氨氮排放量对工业增加值的弹性系数",
     "the elasticity of ammonia nitrogen discharged to industrial value added"),
    ("-cagr(co2 / iva, t0, t)", "-（二氧化碳排放量 / 工业增加值）的年均增长率",
     "-the annual growth of (CO2 emitted / industrial value added)"),
    ("缺少nh3n（2012年）", "缺少氨氮排放量（2012年）", "缺少ammonia nitrogen discharged（2012年）"),
    ("t0 and x_unknown", "t0 and x_unknown", "t0 and x_unknown"),
])
def test_formula_text_reads_as_words(hj274: Framework, text: str, zh: str, en: str) -> None:
    assert (readable(hj274, text), readable(hj274, text, "en")) == (zh, en)
