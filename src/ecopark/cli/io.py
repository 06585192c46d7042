"""Workbook commands: a template to fill in, a filled workbook converted to a dataset file; the
bundled examples listed or copied out."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer

from ecopark.cli.common import FrameworkOpt, app, handles_errors, write_atomically

OutputOpt = Annotated[Path, typer.Option("--output", "-o", help="输出文件 output file")]


def _years(text: str) -> list[int]:
    """"2012-2018" or "2012,2015,2018" → the years."""
    from ecopark.core.errors import InputFileError

    span = re.fullmatch(r"\s*(\d{4})\s*[-–~]\s*(\d{4})\s*", text)
    if span:
        return list(range(int(span[1]), int(span[2]) + 1))
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts or not all(re.fullmatch(r"\d{4}", p) for p in parts):
        raise InputFileError("--years", f"无法识别的年份 “{text}” unreadable years",
                             "写作 write 2012-2018 或 or 2012,2015,2018")
    return sorted({int(p) for p in parts})


@app.command()
@handles_errors
def template(output: OutputOpt,
             framework: Annotated[str, typer.Option("--framework", "-f", help="指标体系 framework")]
             = "hj274-2015",
             years: Annotated[str, typer.Option("--years", help="年份 years, e.g. 2012-2018")]
             = "2012-2018",
             also: Annotated[list[str] | None, typer.Option(
                 "--also", help="同一数据同时评价的指标体系（可重复） also assessed under this "
                 "framework (repeatable), e.g. --also zero-carbon-park-2025")] = None) -> None:
    """填报模板 — a workbook to fill in.

    基础数据, 园区信息, 清单, 生态工业链项目, 报告值; where the frameworks need them also 设置,
    申报条件, 豁免 and the inventory sheets 核算-*."""
    from ecopark.core.framework.loading import load_framework
    from ecopark.io.workbook import write_template

    write_template(load_framework(framework), _years(years), output,
                   [load_framework(name) for name in also or []])
    typer.echo(f"已写入 wrote {output}")


@app.command(name="import")
@handles_errors
def import_(workbook: Annotated[Path, typer.Argument(help="填好的模板 a filled template (.xlsx)")],
            output: OutputOpt, framework: FrameworkOpt = None) -> None:
    """导入工作簿 — convert a filled workbook into a dataset file (all problems listed at once;
    nothing is written on any problem)."""
    from ecopark.cli.progress import steps
    from ecopark.core.framework.loading import load_framework
    from ecopark.io.guard import inspect
    from ecopark.io.workbook import read_workbook_spec
    from ecopark.io.yamlout import dataset_yaml

    with steps(1) as step:
        step(f"读取工作簿 reading {workbook.name}")
        spec = read_workbook_spec(workbook, load_framework(framework) if framework else None)
    if inspect(workbook).has_macros:
        typer.echo("注意：文件含宏，宏未运行，仅读取数据 / note: the file has macros; they were not "
                   "run, only its data was read", err=True)
    write_atomically(output, dataset_yaml(spec))
    typer.echo(f"已写入 wrote {output}")


@app.command()
@handles_errors
def examples(name: Annotated[str | None, typer.Argument(help="示例名 the example to copy "
                                                       "(omit to list them)")] = None,
             to: Annotated[Path, typer.Option("--to", help="复制到此目录 copy into this "
                                              "folder")] = Path(".")) -> None:
    """随包示例 — list the bundled example datasets, or copy one (with its workbook) into a
    folder to assess or edit: `ecopark examples wujin-2018`, then `ecopark assess
    wujin-2018/dataset.yaml`."""
    from ecopark.io import examples as bundled

    if name is None:
        for each in bundled.names():
            typer.echo(f"{each:<18} {bundled.title(each)}")
        return
    target = bundled.copy(name, to)
    typer.echo(f"已复制 copied to {target}")
    typer.echo(f"  ecopark assess {target / 'dataset.yaml'}")
