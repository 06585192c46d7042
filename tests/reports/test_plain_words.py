"""What a reviewer reads carries no developer words: the report (docx) and the 对照考核表 in every
format, for the seed park and the zero-carbon demo, name no command, no item id of the framework,
no `[likely]`/`[certain]` mark, no formula function call and no number in scientific notation.
The zero-carbon park's documents speak that framework's own words, never HJ 274's.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from ecopark import Evaluation, evaluate, load_dataset, load_framework
from ecopark.core.formula.check import _Checker
from ecopark.reports.report import write_report
from ecopark.reports.table import build_table, write_table

from ..conftest import ROOT, SEED

ZERO_CARBON = ROOT / "examples" / "zero-carbon-demo" / "dataset.yaml"
FUNCTIONS = sorted(name.removeprefix("fn_") for name in dir(_Checker) if name.startswith("fn_"))
HJ274_WORDS = ("HJ 274", "HJ274", "国家生态工业示范园区", "必选", "可选", "可选指标组", "对照考核表",
               "考核表", "是否为考核指标", "Assessed", "assessment table")


def developer_words(text: str, evaluation: Evaluation) -> list[str]:
    """Every developer word in `text`: item ids (and the other names formulas use), command
    names, spec marks, function calls, numbers in scientific notation."""
    spec = evaluation.framework.spec
    ids = {*spec.items, *spec.variables, *spec.lists, *spec.checklists}
    found = [f"item id {name}" for name in sorted(ids) if len(name) >= 3
             and re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", text)]
    found += [f"command: {m.group(0)}" for m in re.finditer(r"ecopark [a-z]", text)]
    found += [mark for mark in ("[likely]", "[certain]") if mark in text]
    found += [f"formula: {m.group(0)}" for m in
              re.finditer(rf"(?<![A-Za-z_])(?:{'|'.join(FUNCTIONS)})\(", text)]
    found += [f"scientific notation: {m.group(0)}" for m in re.finditer(r"\d[eE][+-]\d", text)]
    return found


def _evaluation(path: Path) -> Evaluation:
    dataset = load_dataset(path)
    return evaluate(load_framework(dataset.framework_id), dataset)


@pytest.fixture(scope="module", params=["seed", "zero-carbon"])
def case(request: pytest.FixtureRequest) -> tuple[str, Evaluation]:
    return request.param, _evaluation(SEED if request.param == "seed" else ZERO_CARBON)


def docx_text(path: Path) -> str:
    document = Document(str(path))
    lines = [p.text for p in document.paragraphs]
    lines += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for section in document.sections:
        lines += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return "\n".join(lines)


def table_texts(evaluation: Evaluation, folder: Path, lang: str = "zh") -> dict[str, str]:
    table = build_table(evaluation, lang=lang)
    out: dict[str, str] = {}
    for suffix in (".xlsx", ".docx", ".html", ".csv"):
        path = folder / f"table{suffix}"
        write_table(table, path)
        if suffix == ".xlsx":
            sheet = load_workbook(path).active
            assert sheet is not None
            out[suffix] = "\n".join([sheet.title] + [str(c.value) for row in sheet.iter_rows()
                                                     for c in row if c.value is not None])
        elif suffix == ".docx":
            out[suffix] = docx_text(path)
        elif suffix == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as f:
                out[suffix] = "\n".join("\t".join(row) for row in csv.reader(f))
        else:
            out[suffix] = re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))
    return out


def test_the_report_has_no_developer_words(case: tuple[str, Evaluation], tmp_path: Path) -> None:
    _, evaluation = case
    path = tmp_path / "report.docx"
    write_report(evaluation, path)
    assert developer_words(docx_text(path), evaluation) == []


def test_the_table_has_no_developer_words_in_any_format(case: tuple[str, Evaluation],
                                                        tmp_path: Path) -> None:
    _, evaluation = case
    for suffix, text in table_texts(evaluation, tmp_path).items():
        assert developer_words(text, evaluation) == [], suffix


def test_the_checker_catches_each_developer_word(case: tuple[str, Evaluation]) -> None:
    _, ev = case
    item = next(name for name in ev.framework.spec.items if "_" in name)
    assert developer_words(f"缺少 {item}；见 ecopark explain；Formula [likely]；"
                           "elasticity(a, b)；9.07e+03倍", ev) == [
        f"item id {item}", "command: ecopark e", "[likely]", "formula: elasticity(",
        "scientific notation: 7e+0"]


def test_the_zero_carbon_documents_speak_their_framework_s_words(tmp_path: Path) -> None:
    evaluation = _evaluation(ZERO_CARBON)
    path = tmp_path / "report.docx"
    write_report(evaluation, path)
    texts = {"report": docx_text(path), **table_texts(evaluation, tmp_path)}
    for name, text in texts.items():
        assert [w for w in HJ274_WORDS if w in text] == [], name
    report = texts["report"]
    assert "2027年度国家级零碳园区建设评价报告（草稿）" in report
    assert "评价依据：《国家级零碳园区建设指标体系（试行）》（发改环资〔2025〕910号附件3）" in report
    assert "其中核心指标1项、引导性指标5项。" in report
    assert "指标2　清洁能源消费占比（引导性指标）" in report
    assert ("判定依据：核心指标1达到要求，申报条件全部满足；引导性指标（不计数）：达到3、4、6；未达到2；"
            "豁免5。") in report
    assert "国家级零碳园区建设指标对照表" in texts[".html"]
    assert "\t核心指标\t0.1727\t达标" in texts[".csv"]  # no 是否为考核指标: nothing is selected
    assert "指标对照表核查发现" in report and "附录一 国家级零碳园区建设指标对照表" not in report


def test_the_zero_carbon_documents_in_english_speak_their_framework_s_words(
        tmp_path: Path) -> None:
    evaluation = _evaluation(ZERO_CARBON)
    path = tmp_path / "report.docx"
    write_report(evaluation, path, lang="en")
    texts = {"report": docx_text(path), **table_texts(evaluation, tmp_path, "en")}
    for name, text in texts.items():
        assert [w for w in ("HJ 274", "mandatory", "optional", "assessment table", "Assessed")
                if w in text] == [], name
    assert "Checking the printed indicator table" in texts["report"]
    assert "Appendix 1: the indicator table" in texts["report"]
    with (tmp_path / "table.csv").open(encoding="utf-8-sig", newline="") as f:
        assert next(csv.reader(f)) == ["No.", "Category", "Indicator", "Unit", "Requirement",
                                       "Type", "Value", "Met"]


def test_hj274_keeps_its_selection_column_and_its_table_s_name(tmp_path: Path) -> None:
    evaluation = _evaluation(SEED)
    texts = table_texts(evaluation, tmp_path)
    with (tmp_path / "table.csv").open(encoding="utf-8-sig", newline="") as f:
        assert next(csv.reader(f)) == ["序号", "项目", "指标", "单位", "要求", "指标类型", "是否为考核指标",
                                       "数值", "是否达标"]
    assert texts[".xlsx"].startswith("对照考核表\n")  # the sheet
    assert "是否为考核指标" in texts[".docx"] and "是否为考核指标" in texts[".html"]
    path = tmp_path / "report.docx"
    write_report(evaluation, path)
    report = docx_text(path)
    assert "对照考核表核查发现" in report and "附录一 对照考核表" in report


def test_an_incomplete_verdict_names_what_is_missing_in_words(tmp_path: Path) -> None:
    """A year with a mandatory indicator's data missing: the verdict's basis in the report
    names the missing data by their names, not their ids."""
    import yaml

    from ecopark.core.verdict import VerdictStatus

    spec = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    del spec["observations"]["employees"], spec["observations"]["iva"]
    path = tmp_path / "dataset.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    evaluation = _evaluation(path)
    assert evaluation.verdict.status is VerdictStatus.INCOMPLETE
    report = tmp_path / "report.docx"
    write_report(evaluation, report)
    text = docx_text(report)
    assert developer_words(text, evaluation) == []
    assert "年末从业人口" in text
