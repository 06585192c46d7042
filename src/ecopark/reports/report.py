"""`write_report`: the draft annual evaluation report of an evaluation, as .docx or .pdf.

    from ecopark.reports.report import write_report
    write_report(evaluation, Path("report.docx"))             # 简体中文
    write_report(evaluation, Path("report.pdf"), lang="en")   # English, via LibreOffice

The content is `ecopark.reports.narrative.build_report`; `report_docx` lays it out in Word and
`report_pdf` converts that document, so both formats say the same thing.
"""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Callable
from pathlib import Path

from ecopark.core.errors import InputFileError
from ecopark.core.evaluate import Evaluation
from ecopark.reports.narrative import Report, build_report

__all__ = ["LANGS", "SUFFIXES", "write_report"]

SUFFIXES = (".docx", ".pdf")
LANGS = ("zh", "en")


def write_report(evaluation: Evaluation, path: Path | str, lang: str = "zh", *,
                 generated_on: datetime.date | None = None) -> Report:
    """Write the report of `evaluation` to `path`, .docx or .pdf by its suffix; return its
    content. `generated_on` is the date on the title page and the appendix (default: today)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputFileError(str(path), f"不支持的报告格式 “{path.suffix}” unsupported report format",
                             f"请用 use {' / '.join(SUFFIXES)}")
    if lang not in LANGS:
        raise InputFileError(str(path), f"不支持的语言 unsupported language “{lang}”",
                             f"请用 use {' / '.join(LANGS)}")
    report = build_report(evaluation, lang, generated_on=generated_on)
    module = importlib.import_module(f"ecopark.reports.report_{suffix[1:]}")
    writer: Callable[[Report, Path], None] = module.write
    try:
        writer(report, path)
    except OSError as exc:
        raise InputFileError(str(path), f"无法写入 cannot write: {exc.strerror or exc}",
                             "检查目录是否存在、文件是否正被 Word/WPS 打开 check that the folder "
                             "exists and the file is not open in Word/WPS") from None
    return report
