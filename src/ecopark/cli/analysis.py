"""Analysis commands: gap, whatif, forecast, compare."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ecopark.cli.common import (
    DatasetArg,
    FrameworkOpt,
    Lang,
    LangOpt,
    YearOpt,
    app,
    console,
    evaluate_file,
    handles_errors,
    load_file,
    writing,
)


@app.command()
@handles_errors
def gap(dataset: DatasetArg, year: YearOpt = None, lang: LangOpt = Lang.zh,
        framework: FrameworkOpt = None) -> None:
    """差距分析 — what each input must become to pass, and what would flip the verdict."""
    from ecopark.analysis.gap import gaps, verdict_sensitivity
    from ecopark.cli.terminal_analysis import gap_view

    evaluation = evaluate_file(dataset, framework, year)
    console().print(gap_view(evaluation, gaps(evaluation), verdict_sensitivity(evaluation),
                              lang.value))


@app.command()
@handles_errors
def whatif(dataset: DatasetArg,
           assignments: Annotated[list[str], typer.Option(
               "--set", help="数据项@年份=数值单位（年份、单位可省），可重复 "
               "ITEM@YEAR=VALUE UNIT, year and unit optional, repeatable, "
               "e.g. co2@2018=80000, iva=50亿元")],
           year: YearOpt = None, lang: LangOpt = Lang.zh,
           framework: FrameworkOpt = None) -> None:
    """假设分析 — change inputs, re-evaluate, show which statuses change."""
    from ecopark.analysis.whatif import parse_assignment
    from ecopark.analysis.whatif import whatif as run_whatif
    from ecopark.cli.terminal_analysis import whatif_view
    from ecopark.core.evaluate import resolve_year

    fw, data = load_file(dataset, framework)
    when = resolve_year(data, year)
    parsed = [parse_assignment(text, fw, when) for text in assignments]
    console().print(whatif_view(run_whatif(fw, data, parsed, when), lang.value))


@app.command()
@handles_errors
def forecast(dataset: DatasetArg,
             years: Annotated[int, typer.Option("--years", min=1, max=10,
                                                help="预测年数 years ahead")] = 3,
             year: YearOpt = None, lang: LangOpt = Lang.zh,
             framework: FrameworkOpt = None) -> None:
    """趋势预测 — project items on their trend, evaluate, warn for mandatory indicators."""
    from ecopark.analysis.forecast import forecast as run_forecast
    from ecopark.cli.terminal_analysis import forecast_view
    from ecopark.core.evaluate import resolve_year

    fw, data = load_file(dataset, framework)
    result = run_forecast(fw, data, years, resolve_year(data, year))
    console().print(forecast_view(result, fw, lang.value))


def _stored_evaluations(db: str, year: int | None) -> list[Any]:
    """Every stored park's park-year (the given year, else its latest), evaluated."""
    from ecopark.cli.store import open_session
    from ecopark.core.errors import NotFound
    from ecopark.core.evaluate import evaluate
    from ecopark.store import repository

    evaluations = []
    with open_session(db) as session:
        for park in repository.list_parks(session):
            try:
                park_year = repository.get_park_year(session, park, year)
            except NotFound:
                continue
            framework, dataset = repository.dataset_of(park_year)
            evaluations.append(evaluate(framework, dataset, park_year.year))
    return evaluations


def _check_comparable(evaluations: list[Any]) -> None:
    from ecopark.core.errors import DatasetError

    if not evaluations:
        raise DatasetError("compare", "datasets", "没有可对比的园区 nothing to compare",
                           "给出数据文件，或用 --db 指定已存入园区的数据库 give dataset files, or "
                           "--db with stored parks")
    first = evaluations[0].framework
    for ev in evaluations:
        if ev.framework.id != first.id:
            raise DatasetError(ev.dataset.file, "framework", f"与第一个园区的指标体系不同 "
                               f"({ev.framework.id} ≠ {first.id}) different framework")


@app.command()
@handles_errors
def compare(datasets: Annotated[list[Path] | None, typer.Argument(
                help="多个数据文件 dataset files (or --db)")] = None,
            db: Annotated[str | None, typer.Option(
                "--db", help="对比数据库中的全部园区 compare every park in the database")] = None,
            year: YearOpt = None,
            chart: Annotated[Path | None, typer.Option(
                "--chart", help="另存对比图 also draw the comparison as a PNG")] = None,
            lang: LangOpt = Lang.zh, framework: FrameworkOpt = None) -> None:
    """园区对比 — parks side by side with percentile ranks (files, or every park in --db)."""
    from ecopark.analysis.compare import compare as run_compare
    from ecopark.cli.terminal_analysis import comparison

    if db is not None:
        evaluations = _stored_evaluations(db, year)
    else:
        evaluations = [evaluate_file(path, framework, year) for path in datasets or []]
    _check_comparable(evaluations)
    first = evaluations[0].framework
    result = run_compare(evaluations)
    console().print(comparison(result, first, lang.value))
    if chart is not None:
        from ecopark.reports.charts import render
        from ecopark.reports.compare_chart import comparison_chart

        image = render(comparison_chart(result, first, lang.value))
        with writing(chart):
            chart.write_bytes(image)
        typer.echo(f"已写入 wrote {chart}")
