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
    from ecopark.cli.progress import steps
    from ecopark.reports.table import build_table, write_table

    with steps(3 if verify else 2) as step:
        step("读取数据并计算指标 reading the data and computing")
        evaluation = evaluate_file(dataset, framework, year)
        verification = None
        if verify:
            from ecopark.core.verify import verify as run_verify

            step("复算核查 verifying")
            verification = run_verify(evaluation)
        step(f"写入 writing {output.name}")
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
    from ecopark.cli.progress import steps
    from ecopark.reports.report import write_report

    with steps(2) as step:
        step("读取数据并计算指标 reading the data and computing")
        evaluation = evaluate_file(dataset, framework, year)
        pdf = output.suffix.lower() == ".pdf"
        step("撰写报告并转换为 PDF writing the report, converting it to PDF" if pdf else
             "撰写报告 writing the report")
        write_report(evaluation, output, lang.value)
    typer.echo(f"已写入 wrote {output}")
