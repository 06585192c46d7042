"""The `ecopark` command, driven in-process through typer's runner on the seed example."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ecopark.cli import app

from .conftest import SEED

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_assess_prints_the_table_and_the_verdict() -> None:
    code, out, _ = invoke("assess", str(SEED))
    assert code == 0  # a verdict of "not met" is a successful run
    assert "对照考核表" in out and "总体判定：不达标" in out and "必选指标未达标：26" in out
    assert "34.97" in out and "-5.54" in out and "缺数据" in out


def test_assess_in_english() -> None:
    code, out, _ = invoke("assess", str(SEED), "--lang", "en")
    assert code == 0 and "Overall verdict: FAILED" in out and "mandatory indicators not met: 26" in out


def test_assess_json_contract() -> None:
    code, out, _ = invoke("assess", str(SEED), "--json")
    assert code == 0
    data = json.loads(out)
    assert {"framework", "park", "year", "indicators", "verdict"} <= set(data)
    assert (data["framework"], data["park"], data["year"]) == ("hj274-2015", "江苏武进经济开发区",
                                                               2018)
    first = data["indicators"][0]
    assert {"number", "id", "name_zh", "name_en", "value", "unit", "status", "requirement",
            "trace"} <= set(first)
    assert data["verdict"]["passed"] is False
    assert data["verdict"]["reasons"][0]["numbers"] == [26]
    i26 = data["indicators"][25]
    assert i26["status"] == "not_met" and round(i26["value"], 2) == -5.54


def test_verify_json_contract() -> None:
    code, out, _ = invoke("verify", str(SEED), "--json")
    assert code == 0
    data = json.loads(out)
    finding = data["findings"][0]
    assert set(finding) >= {"number", "kind", "severity", "reported", "computed", "message_zh",
                            "message_en"}
    assert finding["kind"] == "overall_verdict_flip"
    assert data["verdict"]["passed"] is False and data["printed_verdict"]["passed"] is True


def test_verify_prints_findings() -> None:
    code, out, _ = invoke("verify", str(SEED))
    assert code == 0
    assert "判定改变" in out and "verdict_flip" not in out
    assert "39.31" in out and "共 15 条：错误 2，警告 9，提示 4" in out


def test_explain_shows_formula_inputs_and_sources() -> None:
    code, out, _ = invoke("explain", str(SEED), "26")
    assert code == 0
    assert "-cagr(co2 / iva, t0, t)" in out
    assert "135509.97" in out and "37968" in out and "对照考核表" in out
    assert "2012→2018" in out


def test_explain_json_is_one_indicator() -> None:
    code, out, _ = invoke("explain", str(SEED), "2", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["number"] == 2
    leaves = data["trace"]["children"][0]["children"]
    assert [leaf["item"] for leaf in leaves] == ["iva", "employees"]


def test_frameworks_lists_indicator_counts() -> None:
    code, out, _ = invoke("frameworks", "--json")
    assert code == 0
    assert {"id": "hj274-2015", "indicators": 32, "mandatory": 17}.items() <= json.loads(out)[0].items()


def test_schema_prints_the_dataset_json_schema() -> None:
    code, out, _ = invoke("schema")
    assert code == 0
    schema = json.loads(out)
    assert schema["title"].startswith("ecopark dataset")
    assert "observations" in schema["properties"]


def test_seed_example_validates_against_the_published_schema() -> None:
    import jsonschema
    import yaml

    _code, out, _ = invoke("schema")
    data = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    # YAML integer keys become strings in JSON; the schema is for the JSON view of the file
    jsonschema.validate(json.loads(json.dumps(data, ensure_ascii=False)), json.loads(out))


def test_gap_shows_what_must_change() -> None:
    code, out, _ = invoke("gap", str(SEED))
    assert code == 0
    assert "81,698.52" in out and "823,952.94" in out and "总体判定敏感性" in out


def test_whatif_shows_the_status_change_and_new_verdict() -> None:
    code, out, _ = invoke("whatif", str(SEED), "--set", "co2@2018=80000")
    assert code == 0 and "3.34" in out and "总体判定：达标" in out


def test_whatif_bad_assignment_exits_2() -> None:
    result = runner.invoke(app, ["whatif", str(SEED), "--set", "co2@2018"])
    assert result.exit_code == 2 and "ITEM[@YEAR]=VALUE" in result.stderr


def test_forecast_and_compare_run() -> None:
    code, out, _ = invoke("forecast", str(SEED), "--years", "2", "--lang", "en")
    assert code == 0 and "2020" in out and "mandatory indicator 26" in out
    code, out, _ = invoke("compare", str(SEED), str(SEED))
    assert code == 0 and "P100" in out


def test_table_writes_each_format(tmp_path: Path) -> None:
    for suffix in (".xlsx", ".docx", ".html", ".csv"):
        path = tmp_path / f"table{suffix}"
        code, _, _ = invoke("table", str(SEED), "-o", str(path), "--verify")
        assert code == 0 and path.stat().st_size > 0, suffix
    text = (tmp_path / "table.csv").read_text(encoding="utf-8-sig")
    assert "复算值" in text and "34.97" in text and "39.31" in text


def test_table_refuses_an_unknown_format(tmp_path: Path) -> None:
    result = runner.invoke(app, ["table", str(SEED), "-o", str(tmp_path / "t.pdf")])
    assert result.exit_code == 2 and ".docx" in result.stderr


DATA = SEED.parent.parent.parent / "tests" / "data"


def test_template_then_import_round_trip(tmp_path: Path) -> None:
    template = tmp_path / "park.xlsx"
    code, _, _ = invoke("template", "-o", str(template), "--years", "2012-2018")
    assert code == 0 and template.stat().st_size > 0
    out = tmp_path / "tiny.yaml"
    code, _, _ = invoke("import", str(DATA / "workbooks" / "tiny-park.xlsx"), "-o", str(out))
    assert code == 0
    code, stdout, _ = invoke("assess", str(out), "--json")
    assert code == 0 and json.loads(stdout)["park"] == "示例生态工业园"
    code, again, _ = invoke("assess", str(DATA / "workbooks" / "tiny-park.xlsx"), "--json")
    assert json.loads(again)["indicators"] == json.loads(stdout)["indicators"]


def test_import_with_problems_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "bad.yaml"
    result = runner.invoke(app, ["import", str(DATA / "workbooks" / "bad.xlsx"), "-o", str(out)])
    assert result.exit_code == 2 and not out.exists()
    assert "13 处问题" in result.stderr and "单元格 B48" in result.stderr


def test_verify_a_word_report(tmp_path: Path) -> None:
    result = runner.invoke(app, ["verify", str(DATA / "wujin-2018-table.docx"), "--json"])
    assert result.exit_code == 0, result.stderr
    kinds = {(f["kind"], f["number"]) for f in json.loads(result.stdout)["findings"]}
    assert {("verdict_flip", 26), ("mismatch", 1), ("mismatch", 9)} <= kinds
    assert "推定" in result.stderr  # the inferred base year is said
    fixed = runner.invoke(app, ["verify", str(DATA / "wujin-2018-table.docx"), "--base-year",
                                "2013", "--json"])
    assert fixed.exit_code == 0 and "推定" not in fixed.stderr


def test_unsupported_file_type_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    path.write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["assess", str(path)])
    assert result.exit_code == 2 and ".docx" in result.stderr


def test_compare_draws_a_chart(tmp_path: Path) -> None:
    chart = tmp_path / "compare.png"
    code, _, _ = invoke("compare", str(SEED), str(SEED), "--chart", str(chart))
    assert code == 0 and chart.read_bytes()[:4] == b"\x89PNG"
