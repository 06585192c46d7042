"""The `ecopark` command. Only this module imports the CLI library; all work is in the core."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from ecopark.errors import EcoparkError

__all__ = ["app", "main"]

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="ecopark — 生态工业园区评价（HJ 274-2015 等）/ evaluate eco-industrial parks.",
)

F = TypeVar("F", bound=Callable[..., None])


class Lang(StrEnum):
    zh = "zh"
    en = "en"


DatasetArg = Annotated[Path, typer.Argument(help="数据文件 dataset file (YAML)")]
YearOpt = Annotated[int | None, typer.Option("--year", "-y", help="评价年份 evaluation year")]
LangOpt = Annotated[Lang, typer.Option("--lang", help="输出语言 output language")]
JsonOpt = Annotated[bool, typer.Option("--json", help="输出 JSON print JSON")]
FrameworkOpt = Annotated[str | None, typer.Option(
    "--framework", "-f", help="指标体系标识或文件 framework id or file (default: the dataset's)")]


def _handles_errors(command: F) -> F:
    """Turn every ecopark error into a clear message on stderr and exit code 2."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            command(*args, **kwargs)
        except EcoparkError as exc:
            lang = kwargs.get("lang", Lang.zh)
            prefix = "错误" if lang != Lang.en else "error"
            typer.echo(f"{prefix}: {exc.message(lang.value)}", err=True)
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


def _console() -> Any:
    from rich.console import Console

    return Console(soft_wrap=False)


def _load(dataset_path: Path, framework: str | None) -> tuple[Any, Any]:
    """The framework and the dataset of a dataset file."""
    from ecopark.dataset import load_dataset
    from ecopark.framework import load_framework

    fw = load_framework(framework) if framework else None
    dataset = load_dataset(dataset_path, fw)
    return fw or load_framework(dataset.framework_id), dataset


def _evaluate(dataset_path: Path, framework: str | None, year: int | None) -> Any:
    from ecopark.evaluate import evaluate

    fw, dataset = _load(dataset_path, framework)
    return evaluate(fw, dataset, year)


def _print_json(data: object) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@app.command()
@_handles_errors
def assess(dataset: DatasetArg, year: YearOpt = None, lang: LangOpt = Lang.zh,
           json_out: JsonOpt = False, framework: FrameworkOpt = None) -> None:
    """对照考核表与总体判定 — the assessment table and the overall verdict."""
    evaluation = _evaluate(dataset, framework, year)
    if json_out:
        from ecopark.contract import assessment_json

        _print_json(assessment_json(evaluation))
        return
    from ecopark.terminal import assessment

    _console().print(assessment(evaluation, lang.value))


@app.command()
@_handles_errors
def verify(dataset: DatasetArg, year: YearOpt = None, lang: LangOpt = Lang.zh,
           json_out: JsonOpt = False, framework: FrameworkOpt = None) -> None:
    """核查表中数值 — recompute from the base rows and compare with the printed values."""
    from ecopark.verify import verify as run_verify

    result = run_verify(_evaluate(dataset, framework, year))
    if json_out:
        from ecopark.contract import verification_json

        _print_json(verification_json(result))
        return
    if result.evaluation.dataset.reported is None:
        typer.echo("数据文件中没有 reported（表中数值），无可核查 / the dataset has no `reported` "
                   "values to verify", err=True)
    from ecopark.terminal import verification

    _console().print(verification(result, lang.value))


@app.command()
@_handles_errors
def explain(dataset: DatasetArg, number: Annotated[int, typer.Argument(help="指标序号 number")],
            year: YearOpt = None, lang: LangOpt = Lang.zh, json_out: JsonOpt = False,
            framework: FrameworkOpt = None) -> None:
    """一个指标的计算过程 — the trace of one indicator as a tree."""
    from ecopark.errors import UnknownIndicator

    evaluation = _evaluate(dataset, framework, year)
    if number not in evaluation.framework.by_number:
        raise UnknownIndicator(str(number), ", ".join(map(str, evaluation.framework.by_number)))
    if json_out:
        from ecopark.contract import assessment_json

        found = [i for i in assessment_json(evaluation)["indicators"] if i["number"] == number]
        _print_json(found[0])
        return
    from ecopark.terminal import explanation

    _console().print(explanation(evaluation, number, lang.value))


@app.command()
@_handles_errors
def frameworks(lang: LangOpt = Lang.zh, json_out: JsonOpt = False) -> None:
    """可用的指标体系 — the frameworks available, with their indicator counts."""
    from ecopark.framework import available_frameworks, load_framework

    loaded = [load_framework(name) for name in available_frameworks()]
    if json_out:
        _print_json([{"id": fw.id, "name_zh": fw.spec.name_zh, "name_en": fw.spec.name_en,
                      "version": fw.spec.version, "indicators": len(fw.indicators),
                      "mandatory": sum(1 for i in fw.indicators if i.mandatory)}
                     for fw in loaded])
        return
    from ecopark.terminal import frameworks_table

    _console().print(frameworks_table(loaded, lang.value))


@app.command()
@_handles_errors
def items(framework: Annotated[str, typer.Option("--framework", "-f", help="指标体系 framework")]
          = "hj274-2015", lang: LangOpt = Lang.zh, json_out: JsonOpt = False) -> None:
    """数据项及其单位 — the raw items a dataset may report, with their canonical units."""
    from ecopark.framework import load_framework

    fw = load_framework(framework)
    if json_out:
        _print_json([{"id": key, "name_zh": item.name_zh, "name_en": item.name_en,
                      "unit": item.unit, "kind": item.kind,
                      "values": list(item.values or {})} for key, item in fw.spec.items.items()])
        return
    from ecopark.terminal import items_table

    _console().print(items_table(fw, lang.value))


@app.command()
@_handles_errors
def gap(dataset: DatasetArg, year: YearOpt = None, lang: LangOpt = Lang.zh,
        framework: FrameworkOpt = None) -> None:
    """差距分析 — what each input must become to pass, and what would flip the verdict."""
    from ecopark.analysis.gap import gaps, verdict_sensitivity
    from ecopark.terminal_analysis import gap_view

    evaluation = _evaluate(dataset, framework, year)
    _console().print(gap_view(evaluation, gaps(evaluation), verdict_sensitivity(evaluation),
                              lang.value))


@app.command()
@_handles_errors
def whatif(dataset: DatasetArg,
           assignments: Annotated[list[str], typer.Option(
               "--set", help="ITEM[@YEAR]=VALUE[单位]，可重复 repeatable, e.g. co2@2018=80000")],
           year: YearOpt = None, lang: LangOpt = Lang.zh,
           framework: FrameworkOpt = None) -> None:
    """假设分析 — change inputs, re-evaluate, show which statuses change."""
    from ecopark.analysis.whatif import parse_assignment
    from ecopark.analysis.whatif import whatif as run_whatif
    from ecopark.evaluate import resolve_year
    from ecopark.terminal_analysis import whatif_view

    fw, data = _load(dataset, framework)
    when = resolve_year(data, year)
    parsed = [parse_assignment(text, fw, when) for text in assignments]
    _console().print(whatif_view(run_whatif(fw, data, parsed, when), lang.value))


@app.command()
@_handles_errors
def forecast(dataset: DatasetArg,
             years: Annotated[int, typer.Option("--years", min=1, max=10,
                                                help="预测年数 years ahead")] = 3,
             year: YearOpt = None, lang: LangOpt = Lang.zh,
             framework: FrameworkOpt = None) -> None:
    """趋势预测 — project items on their trend, evaluate, warn for mandatory indicators."""
    from ecopark.analysis.forecast import forecast as run_forecast
    from ecopark.evaluate import resolve_year
    from ecopark.terminal_analysis import forecast_view

    fw, data = _load(dataset, framework)
    result = run_forecast(fw, data, years, resolve_year(data, year))
    _console().print(forecast_view(result, fw, lang.value))


@app.command()
@_handles_errors
def compare(datasets: Annotated[list[Path], typer.Argument(help="多个数据文件 dataset files")],
            lang: LangOpt = Lang.zh, framework: FrameworkOpt = None) -> None:
    """园区对比 — parks side by side with percentile ranks."""
    from ecopark.analysis.compare import compare as run_compare
    from ecopark.terminal_analysis import comparison

    evaluations = [_evaluate(path, framework, None) for path in datasets]
    first = evaluations[0].framework
    for path, ev in zip(datasets, evaluations, strict=True):
        if ev.framework.id != first.id:
            from ecopark.errors import DatasetError

            raise DatasetError(str(path), "framework", f"与第一个数据文件的指标体系不同 "
                               f"({ev.framework.id} ≠ {first.id}) different framework")
    _console().print(comparison(run_compare(evaluations), first, lang.value))


@app.command()
def schema() -> None:
    """数据文件的 JSON Schema — print the dataset format's JSON Schema."""
    from ecopark.dataset import dataset_json_schema

    _print_json(dataset_json_schema())


def main() -> None:
    app(prog_name="ecopark")


if __name__ == "__main__":  # pragma: no cover
    main()
