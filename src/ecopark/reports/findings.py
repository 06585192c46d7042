"""The findings of a verification of a printed 对照考核表, as a document for the park and the
file: one row per finding — the indicator (its name, or the base item's), the value printed,
the value recomputed, the severity and the explanation, all in Chinese — written as .xlsx or
.docx. The same rows in English (`lang="en"`) for the English pages."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docx import Document
from openpyxl import Workbook  # type: ignore[import-untyped, unused-ignore]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped, unused-ignore]

from ecopark.core.numbers import format_value

if TYPE_CHECKING:
    from ecopark.core.verify import Finding, Verification

__all__ = ["HEADINGS", "findings_rows", "write_findings"]

HEADINGS = ("指标", "表中数值", "复算值", "严重程度", "说明")
SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}
SEVERITY_EN = {"error": "error", "warning": "warning", "info": "note"}
_WIDTHS = (34, 14, 14, 10, 70)
# verdicts and statuses a finding may carry as its printed or recomputed value, in words
_WORDS = {"passed": "达标", "failed": "不达标", "incomplete": "无法判定", "met": "达标",
          "not_met": "未达标", "missing": "缺数据", "not_evaluable": "无法评价",
          "not_applicable": "不适用", "exempt": "豁免"}


def findings_rows(verification: Verification, lang: str = "zh"
                  ) -> list[tuple[str, str, str, str, str]]:
    """The rows of the document, in the verification's order."""
    return [_row(verification, f, lang) for f in verification.findings]


def _row(verification: Verification, finding: Finding, lang: str
         ) -> tuple[str, str, str, str, str]:
    framework, en = verification.evaluation.framework, lang == "en"
    decimals = 2
    if finding.number is not None and finding.number in framework.by_number:
        indicator = framework.indicator(finding.number)
        name = f"{finding.number} {indicator.name_en if en else indicator.name_zh}"
        decimals = indicator.decimals
    elif finding.item:
        name = framework.item_name(finding.item, lang)
    else:
        name = "(overall)" if en else "（整体）"
    computed = "—" if finding.computed is None else format_value(finding.computed, decimals)
    printed = finding.reported or "—"
    if en:
        return (name, printed.replace("_", " "), computed.replace("_", " "),
                SEVERITY_EN.get(finding.severity, finding.severity), finding.en)
    return (name, _WORDS.get(printed, printed), _WORDS.get(computed, computed),
            SEVERITY.get(finding.severity, finding.severity), finding.zh)


def write_findings(title: str, rows: list[tuple[str, str, str, str, str]], path: Path) -> None:
    """`rows` under `title` as .xlsx or .docx (by the suffix)."""
    if path.suffix.lower() == ".xlsx":
        _xlsx(title, rows, path)
    else:
        _docx(title, rows, path)


def _xlsx(title: str, rows: list[tuple[str, str, str, str, str]], path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "核查结果"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(list(HEADINGS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for index, width in enumerate(_WIDTHS):
        sheet.column_dimensions["ABCDE"[index]].width = width
    for line in sheet.iter_rows(min_row=3):
        line[4].alignment = Alignment(wrap_text=True, vertical="top")
    workbook.properties.title, workbook.properties.creator = title, "ecopark"
    workbook.save(path)


def _docx(title: str, rows: list[tuple[str, str, str, str, str]], path: Path) -> None:
    document = Document()
    document.add_heading(title, level=1)
    if not rows:
        document.add_paragraph("未发现问题。")
    else:
        grid = document.add_table(rows=1, cols=len(HEADINGS))
        grid.style = "Table Grid"
        for cell, heading in zip(grid.rows[0].cells, HEADINGS, strict=True):
            cell.text = heading
        for row in rows:
            for cell, text in zip(grid.add_row().cells, row, strict=True):
                cell.text = text
    document.core_properties.title, document.core_properties.author = title, "ecopark"
    document.save(str(path))
