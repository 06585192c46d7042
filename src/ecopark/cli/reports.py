"""Commands that write documents: the 对照考核表 (table) and the annual report (report)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ecopark.cli.common import (
    DatasetArg,
    FrameworkOpt,
    Lang,
    LangOpt,
    YearOpt,
    app,
    evaluate_file,
    handles_errors,
)

OutputOpt = Annotated[Path, typer.Option("--output", "-o", help="输出文件 output file "
                                         "(.xlsx / .docx / .html / .csv)")]


@app.command()
@handles_errors
def table(dataset: DatasetArg, output: OutputOpt,
          verify: Annotated[bool, typer.Option("--verify", help="加复算值与核查结果两列 add the "
                                               "recomputed value and the findings")] = False,
          lang: LangOpt = Lang.zh, year: YearOpt = None,
          framework: FrameworkOpt = None) -> None:
    """对照考核表 — write the assessment table in the official layout."""
    from ecopark.reports.table import build_table, write_table

    evaluation = evaluate_file(dataset, framework, year)
    verification = None
    if verify:
        from ecopark.core.verify import verify as run_verify

        verification = run_verify(evaluation)
    write_table(build_table(evaluation, verification, lang=lang.value), output)
    typer.echo(f"已写入 wrote {output}")


ReportOutputOpt = Annotated[Path, typer.Option("--output", "-o", help="输出文件 output file "
                                               "(.docx / .pdf)")]


@app.command()
@handles_errors
def report(dataset: DatasetArg, output: ReportOutputOpt, lang: LangOpt = Lang.zh,
           year: YearOpt = None, framework: FrameworkOpt = None) -> None:
    """年度评价报告（草稿）— write the draft annual evaluation report (.docx, or .pdf via
    LibreOffice)."""
    from ecopark.reports.report import write_report

    evaluation = evaluate_file(dataset, framework, year)
    write_report(evaluation, output, lang.value)
    typer.echo(f"已写入 wrote {output}")
