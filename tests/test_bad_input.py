"""Bad input: every mistake gives a typed ecopark error naming the place; the CLI exits 2 with
the message on stderr and no traceback. A verdict of "not met" is a successful run (exit 0)."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from ecopark.cli import app
from ecopark.core.dataset.loading import load_dataset
from ecopark.core.errors import (
    DatasetError,
    EcoparkError,
    FormulaError,
    FrameworkError,
    InputFileError,
    UnitError,
    UnknownFramework,
)
from ecopark.core.evaluate import evaluate
from ecopark.core.framework.loading import CHECKS, build_framework, load_framework
from ecopark.core.results import Status
from ecopark.frameworks import DIRECTORY as FRAMEWORK_DIR
from tests.io.hostile import alias_bomb

FW = load_framework("hj274-2015")
RUNNER = CliRunner()

HEAD = """\
format: ecopark-dataset/1
framework: hj274-2015
park:
  name: 测试园区
  base_year: 2016
year: 2018
"""


def write(tmp_path: Path, text: str, name: str = "dataset.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def dataset_text(observations: str = "  iva: {values: {2016: 100, 2018: 121}}\n",
                 head: str = HEAD) -> str:
    """A small dataset as YAML text: `observations` is the indented body of `observations:`."""
    return f"{head}observations:\n{observations}"


def cli(*args: str | Path) -> Any:
    return RUNNER.invoke(app, [str(a) for a in args])


def assert_cli_error(result: Any, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("错误: ")
    for fragment in fragments:
        assert fragment in result.stderr
    assert "Traceback" not in result.output


# ------------------------------------------------------------------------- bad datasets


@dataclass(frozen=True)
class Bad:
    id: str
    text: str | None  # None: the file does not exist
    error: type[EcoparkError]
    key_path: str | None  # None for errors without a key path (file-level)
    fragments: tuple[str, ...]


BAD_DATASETS = [
    Bad("missing_file", None, InputFileError, None, ("文件不存在", "file not found")),
    Bad("malformed_yaml", "format: ecopark-dataset/1\npark: name: x\n", InputFileError, None,
        ("malformed YAML", "第 2 行第 11 列", "line 2, column 11")),
    Bad("malformed_flow", "format: [ecopark-dataset/1\n", InputFileError, None,
        ("malformed YAML", "line 2, column 1")),
    Bad("not_a_mapping", "- 1\n- 2\n", DatasetError, "(top)", ("the file must be a mapping",)),
    Bad("wrong_format", dataset_text(head=HEAD.replace("/1", "/2")), DatasetError, "format",
        ("ecopark-dataset/1",)),
    Bad("unknown_framework", dataset_text(head=HEAD.replace("hj274-2015", "hj274-2099")),
        UnknownFramework, None, ("hj274-2099", "hj274-2015")),
    Bad("unknown_item", dataset_text("  ivaa: {values: {2018: 5}}\n"), DatasetError,
        "observations.ivaa", ("unknown item 'ivaa'", "did you mean 'iva'?")),
    Bad("unit_does_not_convert", dataset_text("  iva: {unit: 吨, values: {2018: 5}}\n"), UnitError,
        "observations.iva.values.2018", ("“吨”", "“万元”", "[mass] ≠ [currency]")),
    Bad("unknown_unit", dataset_text("  iva: {unit: 万刀, values: {2018: 5}}\n"), UnitError,
        "observations.iva.values.2018", ("“万刀”", "unknown unit")),
    Bad("unknown_unit_in_entry",
        dataset_text("  iva: {values: {2018: {value: 5, unit: 亿刀}}}\n"), UnitError,
        "observations.iva.values.2018", ("“亿刀”", "unknown unit")),
    Bad("text_in_number", dataset_text('  iva: {values: {2018: "12a"}}\n'), DatasetError,
        "observations.iva.values.2018", ("not a number: '12a'",)),
    Bad("negative_amount", dataset_text("  energy: {values: {2018: -5}}\n"), DatasetError,
        "observations.energy.values.2018", ("cannot be negative: -5", "综合能耗总量")),
    Bad("fact_not_allowed", dataset_text("  key_source_compliance: {values: {2018: ok}}\n"),
        DatasetError, "observations.key_source_compliance.values.2018",
        ("'ok'", "达标, 未达标")),
    Bad("implausible_year", dataset_text("  iva: {values: {18: 5}}\n"), DatasetError,
        "observations.iva.values.18", ("implausible year 18",)),
    Bad("missing_base_year", dataset_text(head=HEAD.replace("  base_year: 2016\n", "")),
        DatasetError, "park.base_year", ("Field required", "base_year", "规划基准年")),
    Bad("base_year_not_before_year", dataset_text(head=HEAD.replace("2016", "2018")),
        DatasetError, "park.base_year", ("规划基准年 2018 不早于评价年 2018",
                                         "the base year is not before the evaluation year")),
    Bad("base_year_after_year", dataset_text(head=HEAD.replace("2016", "2020")),
        DatasetError, "park.base_year", ("规划基准年 2020 不早于评价年 2018",)),
    Bad("unknown_region_class",
        dataset_text(head=HEAD.replace("  base_year: 2016\n",
                                       "  base_year: 2016\n  region_class: desert\n")),
        DatasetError, "park.region_class", ("'desert'", "water_scarce", "jingjinji", "other")),
    Bad("unknown_park_field",
        dataset_text(head=HEAD.replace("  base_year: 2016\n", "  base_year: 2016\n  regoin: x\n")),
        DatasetError, "park.regoin", ("unknown field", "region_class")),
    Bad("selected_mandatory",
        dataset_text(head=HEAD.replace("  base_year: 2016\n",
                                       "  base_year: 2016\n  selected: [2, 5]\n")),
        DatasetError, "park.selected[1]", ("5 不是可选指标", "not an optional indicator")),
    Bad("selected_unknown",
        dataset_text(head=HEAD.replace("  base_year: 2016\n",
                                       "  base_year: 2016\n  selected: [40]\n")),
        DatasetError, "park.selected[0]", ("40",)),
    Bad("unknown_checklist",
        dataset_text() + "checklists:\n  env_mgmt: {2018: [{name: a, done: true}]}\n",
        DatasetError, "checklists.env_mgmt", ("unknown checklist", "env_management")),
    Bad("list_record_without_year",
        dataset_text() + "lists:\n  eco_chain_projects: [{name: A}]\n",
        DatasetError, "lists.eco_chain_projects[0].year", ("integer year",)),
    Bad("alias", dataset_text() + "lists:\n  eco_chain_projects:\n    - &p {name: A, year: 2018}\n"
        "    - *p\n", InputFileError, None,
        ("lists.eco_chain_projects[1]：引用了第 11 行的锚点（YAML 别名 *），数据文件中不允许",
         "aliases are not allowed", "write the content out in full")),
    Bad("duplicate_key", dataset_text("  iva: {values: {2016: 100}}\n  energy: {values: {2018: 5}}\n"
                                      "  iva: {values: {2018: 121}}\n"), InputFileError, None,
        ("observations：键 “iva” 重复：第 8 行与第 10 行 duplicate key 'iva' at lines 8 and 10",)),
    Bad("duplicate_year", dataset_text("  iva:\n    values:\n      2018: 100\n      2018: 121\n"),
        InputFileError, None, ("observations.iva.values：键 “2018” 重复：第 10 行与第 11 行",)),
    Bad("number_of_400_digits", dataset_text(f"  iva: {{values: {{2018: {'9' * 400}}}}}\n"),
        InputFileError, None, ("observations.iva.values.2018：第 8 行的数值超过 30 位",
                               "the number at line 8 has more than 30 digits")),
    Bad("quoted_number_of_400_digits", dataset_text(f"  iva: {{values: {{2018: '{'9' * 400}.5'}}}}\n"),
        DatasetError, "observations.iva.values.2018", (f"不是有限数 not a finite number: '{'9' * 37}...'",)),
    Bad("number_beyond_1e30", dataset_text("  iva: {values: {2018: 2.5e+31}}\n"), DatasetError,
        "observations.iva.values.2018",
        ("数值过大（超过 1e+30）the number is larger than 1e+30: '2.5e+31'",)),
    Bad("nul_in_park_name", dataset_text(head=HEAD.replace("name: 测试园区", 'name: "测试\\0园区"')),
        DatasetError, "park.name", ("含有不可见的控制字符 U+0000 contains the invisible control "
                                    "character U+0000", "retype the text")),
    Bad("right_to_left_override_in_a_list_record",
        dataset_text() + "lists:\n  eco_chain_projects: [{name: \"项目\u202etxt.exe\", year: 2018}]\n",
        DatasetError, "lists.eco_chain_projects[0].name", ("U+202E",)),
]


def _path(tmp_path: Path, case: Bad) -> Path:
    return tmp_path / "absent.yaml" if case.text is None else write(tmp_path, case.text)


def _load_and_evaluate(path: Path) -> None:
    evaluate(FW, load_dataset(path))


@pytest.mark.parametrize("case", BAD_DATASETS, ids=lambda c: c.id)
def test_bad_dataset_raises_typed_error(tmp_path: Path, case: Bad) -> None:
    path = _path(tmp_path, case)
    with pytest.raises(case.error) as caught:
        _load_and_evaluate(path)
    error = caught.value
    assert type(error) is case.error
    message = str(error)
    if case.key_path is not None:
        assert error.key_path == case.key_path  # type: ignore[attr-defined]
        assert case.key_path in message
    if not isinstance(error, UnknownFramework):
        assert error.file == str(path)  # type: ignore[attr-defined]
        assert str(path) in message
    for fragment in case.fragments:
        assert fragment in message


@pytest.mark.parametrize("case", BAD_DATASETS, ids=lambda c: c.id)
def test_bad_dataset_cli_exits_2(tmp_path: Path, case: Bad) -> None:
    path = _path(tmp_path, case)
    result = cli("assess", path)
    fragments = case.fragments + ((case.key_path,) if case.key_path else ())
    if case.error is not UnknownFramework:
        fragments += (str(path),)
    assert_cli_error(result, *fragments)


def test_unit_error_fields(tmp_path: Path) -> None:
    path = write(tmp_path, dataset_text("  iva: {unit: 吨, values: {2018: 5}}\n"))
    with pytest.raises(UnitError) as caught:
        load_dataset(path)
    error = caught.value
    assert (error.file, error.key_path) == (str(path), "observations.iva.values.2018")
    assert (error.from_unit, error.to_unit, error.value) == ("吨", "万元", "5")
    assert str(error).startswith(
        f"数据文件 {path} 的 observations.iva.values.2018：单位 “吨” 无法换算为 “万元”")
    assert error.message("en").startswith(
        f"dataset {path}, at observations.iva.values.2018: unit '吨' cannot be converted to '万元'")


def test_unknown_item_without_near_miss_has_a_hint(tmp_path: Path) -> None:
    path = write(tmp_path, dataset_text("  zzzzzz: {values: {2018: 5}}\n"))
    with pytest.raises(DatasetError) as caught:
        load_dataset(path)
    assert caught.value.key_path == "observations.zzzzzz"
    assert "did you mean" not in str(caught.value)
    assert caught.value.hint != ""


def test_unknown_item_hint_names_a_real_command() -> None:
    assert cli("items").exit_code == 0


def test_cli_english_message(tmp_path: Path) -> None:
    path = write(tmp_path, dataset_text("  ivaa: {values: {2018: 5}}\n"))
    result = cli("assess", path, "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: dataset {path}, at observations.ivaa: ")
    assert "did you mean 'iva'?" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", ["assess", "verify", "explain"])
def test_every_command_reports_bad_input_with_exit_2(tmp_path: Path, command: str) -> None:
    path = write(tmp_path, dataset_text('  iva: {values: {2018: "12a"}}\n'))
    args: list[str | Path] = [command, path] + (["2"] if command == "explain" else [])
    assert_cli_error(cli(*args), "observations.iva.values.2018", "not a number: '12a'")


def test_explain_unknown_indicator_exits_2(tmp_path: Path) -> None:
    path = write(tmp_path, dataset_text())
    assert_cli_error(cli("explain", path, "33"), "没有序号为 33 的指标", "1, 2, 3", "32")


def test_unknown_framework_option_exits_2(tmp_path: Path) -> None:
    path = write(tmp_path, dataset_text())
    assert_cli_error(cli("assess", path, "--framework", "hj999"), "hj999", "hj274-2015")


# ---------------------------------------------------- data problems that are not errors


def test_zero_denominator_is_not_evaluable_and_the_run_succeeds(tmp_path: Path) -> None:
    path = write(tmp_path, dataset_text("  hightech_output: {values: {2018: 3}}\n"
                                        "  gross_output: {values: {2018: 0}}\n"))
    result = evaluate(FW, load_dataset(path)).result(1)
    assert result.status is Status.NOT_EVALUABLE
    assert result.value is None
    assert (result.reason_zh, result.reason_en) == ("分母为零：gross_output = 0",
                                                    "zero denominator: gross_output = 0")
    run = cli("assess", path, "--json")
    assert run.exit_code == 0, run.output
    first = json.loads(run.stdout)["indicators"][0]
    assert (first["number"], first["status"], first["value"]) == (1, "not_evaluable", None)
    assert first["reason_en"] == "zero denominator: gross_output = 0"
    assert cli("assess", path).exit_code == 0


def test_assess_json_of_a_not_met_dataset_exits_0(tmp_path: Path) -> None:
    # 19: 1 incident ≠ 0 → a mandatory indicator is not met; the verdict is "failed"
    path = write(tmp_path, dataset_text("  major_incidents: {values: {2018: 1}}\n"))
    run = cli("assess", path, "--json")
    assert run.exit_code == 0, run.output
    assert run.stderr == ""
    data = json.loads(run.stdout)
    assert data["verdict"]["passed"] is False
    assert data["verdict"]["status"] == "failed"
    assert data["verdict"]["reasons"][0]["kind"] == "mandatory_not_met"
    assert data["verdict"]["reasons"][0]["numbers"] == [19]
    nineteen = data["indicators"][18]
    assert (nineteen["number"], nineteen["value"], nineteen["status"]) == (19, 1.0, "not_met")


# ------------------------------------------------------------------ bad framework files

RAW = yaml.safe_load((FRAMEWORK_DIR / "hj274-2015.yaml").read_text(encoding="utf-8"))
FILE = "test.yaml"


def indicator(data: dict[str, Any], number: int) -> dict[str, Any]:
    found: dict[str, Any] = next(i for i in data["indicators"] if i["number"] == number)
    return found


def _set(path: Callable[[dict[str, Any]], dict[str, Any]], **values: Any
         ) -> Callable[[dict[str, Any]], None]:
    return lambda data: path(data).update(values)


@dataclass(frozen=True)
class Broken:
    check: str  # the named check (or "schema") that must catch it
    id: str
    mutate: Callable[[dict[str, Any]], None]
    error: type[FrameworkError]
    key_path: str
    fragments: tuple[str, ...]
    position: int | None = None  # FormulaError: character position in the expression
    expression: str | None = None


BROKEN_FRAMEWORKS = [
    Broken("schema", "unknown_key", _set(lambda d: indicator(d, 1), foo=1), FrameworkError,
           "indicators.0.foo", ("Extra inputs are not permitted",)),
    Broken("schema", "unknown_top_key", _set(lambda d: d, extra_key=1), FrameworkError,
           "extra_key", ("Extra inputs are not permitted",)),
    Broken("schema", "missing_source", lambda d: d["items"]["iva"].pop("source"), FrameworkError,
           "items.iva.source", ("Field required",)),
    Broken("check_unique_numbers", "duplicate_number", _set(lambda d: indicator(d, 2), number=1),
           FrameworkError, "indicators[1].number", ("duplicate number 1",)),
    Broken("check_unique_numbers", "duplicate_id",
           _set(lambda d: indicator(d, 2), id="hightech_output_share"), FrameworkError,
           "indicators[1].id", ("duplicate id 'hightech_output_share'",)),
    Broken("check_categories_exist", "unknown_category",
           _set(lambda d: indicator(d, 1), category="economics"), FrameworkError,
           "indicators[number=1].category", ("unknown category 'economics'", "economy")),
    Broken("check_membership", "mandatory_and_group",
           _set(lambda d: indicator(d, 1), mandatory=True), FrameworkError,
           "indicators[number=1]", ("either mandatory or in one optional group",)),
    Broken("check_membership", "neither_mandatory_nor_group",
           lambda d: indicator(d, 1).pop("group"), FrameworkError,
           "indicators[number=1]", ("either mandatory or in one optional group",)),
    Broken("check_membership", "unknown_group", _set(lambda d: indicator(d, 1), group="G9"),
           FrameworkError, "indicators[number=1].group", ("unknown group 'G9'",)),
    Broken("check_membership", "group_cannot_be_met",
           _set(lambda d: d["verdict"]["groups"]["G2"], min_met=3), FrameworkError,
           "verdict.groups.G2.min_met", ("the group has 2 indicators",)),
    Broken("check_units_known", "unknown_item_unit", _set(lambda d: d["items"]["iva"], unit="万刀"),
           FrameworkError, "items.iva.unit", ("unknown unit", "万刀")),
    Broken("check_units_known", "unknown_indicator_unit",
           _set(lambda d: indicator(d, 8), unit="亿刀/km2"), FrameworkError,
           "indicators[number=8].unit", ("unknown unit", "亿刀")),
    Broken("check_variables", "variable_unknown_name",
           _set(lambda d: d["variables"]["g_iva"], formula="cagr(ivaa, t0, t)"), FormulaError,
           "variables.g_iva.formula", ("unknown name 'ivaa'", "did you mean 'iva'?"),
           position=5, expression="cagr(ivaa, t0, t)"),
    Broken("check_variables", "variable_unit",
           _set(lambda d: d["variables"]["g_iva"], unit="t"), FrameworkError,
           "variables.g_iva.unit", ("incompatible", "dimensionless ≠ [mass]")),
    Broken("check_formulas", "undeclared_item",
           _set(lambda d: indicator(d, 1), formula="hightech_output / gros_output"), FormulaError,
           "indicators[number=1].formula", ("unknown name 'gros_output'",
                                            "did you mean 'gross_output'?"),
           position=18, expression="hightech_output / gros_output"),
    Broken("check_formulas", "syntax",
           _set(lambda d: indicator(d, 1), formula="hightech_output / (gross_output"),
           FormulaError, "indicators[number=1].formula", ("expected ')'",),
           position=31, expression="hightech_output / (gross_output"),
    Broken("check_formulas", "unknown_function",
           _set(lambda d: indicator(d, 3), formula="cagar(iva, t - 3, t)"), FormulaError,
           "indicators[number=3].formula", ("unknown function cagar()", "did you mean cagr()?"),
           position=0, expression="cagar(iva, t - 3, t)"),
    Broken("check_no_times_hundred", "percent_times_hundred",
           _set(lambda d: indicator(d, 1), formula="hightech_output / gross_output * 100"),
           FrameworkError, "indicators[number=1].formula", ("must not multiply by 100",)),
    Broken("check_units_compatible", "indicator_unit_incompatible",
           _set(lambda d: indicator(d, 8), unit="t"), FrameworkError,
           "indicators[number=8].unit", ("incompatible", "[currency] / [length] ** 2 ≠ [mass]")),
    Broken("check_units_compatible", "indicator_value_is_a_condition",
           _set(lambda d: indicator(d, 1), formula="hightech_output > gross_output"),
           FrameworkError, "indicators[number=1].formula", ("cannot be a condition",)),
    Broken("check_requirements", "unknown_profile_field_in_when",
           lambda d: indicator(d, 16)["requirement"]["cases"][0].update(
               when="sector == 'water_scarce'"),
           FormulaError, "indicators[number=16].requirement.cases[0].when",
           ("unknown name 'sector'",), position=0, expression="sector == 'water_scarce'"),
    Broken("check_requirements", "unknown_region_value",
           lambda d: indicator(d, 16)["requirement"]["cases"][1].update(
               when="region_class == 'desert'"),
           FrameworkError, "indicators[number=16].requirement.cases[1].when",
           ("region_class", "'desert'", "jingjinji")),
    Broken("check_requirements", "rule_syntax",
           lambda d: indicator(d, 1)["requirement"].update(rule="=> 30"), FormulaError,
           "indicators[number=1].requirement.rule", ("unexpected character '='",),
           position=6, expression="value => 30"),
    Broken("check_profile_kinds", "number_field_without_unit",
           _set(lambda d: d["profile_fields"]["area"], unit=None), FrameworkError,
           "profile_fields.area.unit", ("a number field needs a unit",)),
    Broken("check_profile_kinds", "text_field_with_values",
           _set(lambda d: d["profile_fields"]["location"], values={"x": {"zh": "甲", "en": "x"}}),
           FrameworkError, "profile_fields.location.values",
           ("values belong to a choice field only (kind: text)",)),
    Broken("check_profile_kinds", "unknown_unit",
           _set(lambda d: d["profile_fields"]["area"], unit="furlong2x"), FrameworkError,
           "profile_fields.area.unit", ("unknown unit 'furlong2x'",)),
    Broken("check_profile_kinds", "lines_on_a_date",
           _set(lambda d: d["profile_fields"]["approval_date"], lines=3), FrameworkError,
           "profile_fields.approval_date.lines", ("only a text field spans lines (kind: date)",)),
    Broken("check_profile_defaults", "default_not_a_value",
           _set(lambda d: d["profile_fields"]["region_class"], default="desert"), FrameworkError,
           "profile_fields.region_class.default", ("'desert' not in values",)),
    Broken("check_profile_kinds", "choice_without_values",
           _set(lambda d: d["profile_fields"]["filler"], kind="choice"),
           FrameworkError, "profile_fields.filler.values", ("kind: text",)),
    Broken("check_profile_kinds", "text_with_values",
           _set(lambda d: d["profile_fields"]["filler"], values={"a": {"zh": "甲", "en": "a"}}),
           FrameworkError, "profile_fields.filler.values",
           ("values belong to a choice field only",)),
    Broken("check_profile_defaults", "date_default_not_a_date",
           _set(lambda d: d["profile_fields"]["filled_on"], default="2019年5月22日"),
           FrameworkError, "profile_fields.filled_on.default", ("such as 2019-05-22",)),
    Broken("check_profile_defaults", "unknown_time_zone",
           _set(lambda d: d["profile_fields"]["time_zone"], default="China/Beijing"),
           FrameworkError, "profile_fields.time_zone.default", ("Asia/Shanghai",)),
    Broken("check_identities", "identity_of_unknown_item",
           lambda d: d["identities"].update(
               foo={"formula": "fresh_water + water_reuse", "source": "x"}),
           FrameworkError, "identities.foo", ("unknown item 'foo'",)),
    Broken("check_identities", "identity_unit",
           _set(lambda d: d["identities"]["industrial_water_total"], formula="fresh_water / iva"),
           FrameworkError, "identities.industrial_water_total", ("incompatible",)),
    Broken("check_consistency_checks", "check_unknown_item",
           _set(lambda d: d["checks"][0], numerator="co3"), FrameworkError,
           "checks[0].numerator", ("expected a declared number item, got 'co3'",)),
    Broken("check_consistency_checks", "check_fact_item",
           _set(lambda d: d["checks"][0], denominator="key_source_compliance"), FrameworkError,
           "checks[0].denominator", ("got 'key_source_compliance'",)),
    Broken("check_plausible_ranges", "plausible_low_above_high",
           _set(lambda d: d["items"]["green_coverage_rate"], plausible=[100, 5]), FrameworkError,
           "items.green_coverage_rate.plausible", ("low < high", "got 100, 5")),
    Broken("check_plausible_ranges", "plausible_on_a_fact",
           _set(lambda d: d["items"]["key_source_compliance"], plausible=[0, 1]), FrameworkError,
           "items.key_source_compliance.plausible", ("a number item",)),
]


def broken(case: Broken) -> dict[str, Any]:
    data = copy.deepcopy(RAW)
    case.mutate(data)
    return data


def test_unbroken_copy_builds() -> None:
    framework = build_framework(copy.deepcopy(RAW), FILE)
    assert len(framework.indicators) == 32


def test_every_named_check_has_a_broken_framework_case() -> None:
    """Here, on a copy of HJ 274, or on a copy of the zero-carbon framework."""
    from tests.zerocarbon.test_format_extensions import BROKEN as ZERO_CARBON

    cases = {c.check for c in (*BROKEN_FRAMEWORKS, *ZERO_CARBON)}
    assert cases == {c.__name__ for c in CHECKS} | {"schema"}


@pytest.mark.parametrize("case", BROKEN_FRAMEWORKS, ids=lambda c: f"{c.check}-{c.id}")
def test_broken_framework_raises(case: Broken) -> None:
    with pytest.raises(FrameworkError) as caught:
        build_framework(broken(case), FILE)
    error = caught.value
    assert type(error) is case.error
    assert (error.file, error.key_path) == (FILE, case.key_path)
    message = str(error)
    assert f"指标体系文件 {FILE} 的 {case.key_path}：" in message
    assert f"framework file {FILE}, at {case.key_path}: " in error.message("en")
    for fragment in case.fragments:
        assert fragment in message
    if case.error is FormulaError:
        assert isinstance(error, FormulaError)
        assert (error.position, error.expression) == (case.position, case.expression)
        assert f"第 {case.position} 个字符处" in message
        assert f"formula '{case.expression}' at character {case.position}" in error.message("en")


def test_fact_rule_must_name_an_allowed_value() -> None:
    data = copy.deepcopy(RAW)
    indicator(data, 17)["requirement"]["rule"] = "== '合格'"
    with pytest.raises(FrameworkError) as caught:
        build_framework(data, FILE)
    assert caught.value.key_path == "indicators[number=17].requirement.rule"


def test_broken_framework_file_via_cli_exits_2(tmp_path: Path) -> None:
    case = next(c for c in BROKEN_FRAMEWORKS if c.id == "undeclared_item")
    framework_path = write(tmp_path, yaml.safe_dump(broken(case), allow_unicode=True),
                           "broken-framework.yaml")
    dataset_path = write(tmp_path, dataset_text())
    result = cli("assess", dataset_path, "--framework", framework_path)
    assert_cli_error(result, str(framework_path.resolve()), "indicators[number=1].formula",
                     "unknown name 'gros_output'", "第 18 个字符处")


def test_malformed_framework_file_via_cli_exits_2(tmp_path: Path) -> None:
    framework_path = write(tmp_path, "id: x\nitems: [\n", "bad.yaml")
    result = cli("assess", write(tmp_path, dataset_text()), "--framework", framework_path)
    assert_cli_error(result, "bad.yaml", "malformed YAML", "line 3, column 1")


def test_percent_sign_in_a_number_cell_is_a_unit_not_dropped(tmp_path: Path) -> None:
    # "30%" for an item in 万元 is refused (% does not convert to 万元) …
    path = write(tmp_path, dataset_text('  iva: {unit: 万元, values: {2016: 100, 2018: "30%"}}\n'))
    with pytest.raises(UnitError) as caught:
        load_dataset(path)
    assert caught.value.key_path == "observations.iva.values.2018"
    assert caught.value.from_unit == "%"
    # … and for a rate item it is read as 30 %
    path = write(tmp_path, dataset_text('  green_coverage_rate: {values: {2018: "30%"}}\n'))
    assert load_dataset(path).values[("green_coverage_rate", 2018)].value == 30.0


def test_an_empty_yaml_value_is_not_reported_never_zero(tmp_path: Path) -> None:
    path = write(tmp_path, dataset_text("  iva:\n    values:\n      2016: 100\n      2018:\n"))
    dataset = load_dataset(path)
    assert dataset.values[("iva", 2018)].value is None
    result = evaluate(FW, dataset).result(2)
    assert result.status is Status.MISSING and result.missing == ("iva", 2018)
    assert result.reason_en == "missing iva for 2018 (left empty)"
    assert "报表为空" in result.reason_zh


# ---------------------------------------------------- hostile YAML

CAPPED = """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (512 << 20, 512 << 20))
from ecopark.core.dataset.loading import load_dataset
from ecopark.core.errors import EcoparkError
started = time.perf_counter()
try:
    load_dataset(sys.argv[1])
    out = {"read": True}
except EcoparkError as exc:
    out = {"error": type(exc).__name__, "problem": exc.problem}
out["seconds"] = time.perf_counter() - started
print(json.dumps(out))
"""


@pytest.mark.parametrize("levels", [8, 9])
def test_an_alias_bomb_is_refused_before_it_expands(tmp_path: Path, levels: int) -> None:
    """8 levels of aliases took 54 s and 2.8 GB, 9 levels 5.5 GB: refused at the first alias,
    in a child capped at 512 MB, within seconds."""
    path = write(tmp_path, alias_bomb(levels))
    done = subprocess.run([sys.executable, "-c", CAPPED, str(path)], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout)
    assert found.pop("seconds") < 5
    assert found == {"error": "InputFileError", "problem": "a1[0]：引用了第 9 行的锚点（YAML 别名 *），"
                     "数据文件中不允许 refers to the anchor at line 9 (a YAML alias); aliases are "
                     "not allowed"}


def test_a_nul_in_a_park_name_is_refused_before_a_table_is_written(tmp_path: Path) -> None:
    """It loaded, then `table -o x.xlsx` failed with a traceback (Excel cannot store NUL)."""
    path = write(tmp_path, dataset_text(head=HEAD.replace("name: 测试园区", 'name: "测试\\0园区"')))
    result = cli("table", path, "-o", tmp_path / "x.xlsx")
    assert_cli_error(result, "park.name", "U+0000")
    assert not (tmp_path / "x.xlsx").exists()


def test_every_shipped_yaml_file_loads_without_aliases() -> None:
    """The one loader refuses aliases in every file: none of the shipped ones needs them."""
    from ecopark.core.yamlfile import read_yaml

    shipped = sorted((FRAMEWORK_DIR.parent).rglob("*.yaml"))
    assert len(shipped) > 5
    for path in shipped:
        assert read_yaml(path) is not None, path
