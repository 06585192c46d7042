"""Commands over one dataset: assess, verify, explain; and the frameworks, items, schema."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ecopark.cli.common import (
    BaseYearOpt,
    DatasetArg,
    FrameworkOpt,
    JsonOpt,
    Lang,
    LangOpt,
    YearOpt,
    app,
    console,
    evaluate_file,
    handles_errors,
    named_frameworks,
    print_indicator_quality,
    print_json,
)

if TYPE_CHECKING:
    from ecopark.core.framework.discovery import Found


@app.command()
@handles_errors
def assess(dataset: DatasetArg, year: YearOpt = None, lang: LangOpt = Lang.zh,
           json_out: JsonOpt = False, framework: FrameworkOpt = None,
           base_year: BaseYearOpt = None) -> None:
    """对照考核表与总体判定 — the assessment table and the overall verdict (--framework all: under
    every framework the dataset names, side by side)."""
    if framework == "all":
        _assess_all(dataset, year, lang, json_out)
        return
    evaluation = evaluate_file(dataset, framework, year, base_year)
    if json_out:
        from ecopark.core.contract import assessment_json

        print_json(assessment_json(evaluation, quality=True))
        return
    from ecopark.cli.terminal import assessment

    console().print(assessment(evaluation, lang.value))
    print_indicator_quality(evaluation, lang.value)


def _evaluations(dataset: Path, year: int | None) -> list[Any]:
    return [evaluate_file(dataset, name, year) for name in named_frameworks(dataset)]


def _assess_all(dataset: Path, year: int | None, lang: Lang, json_out: bool) -> None:
    from ecopark.core.crosswalk import crosswalk, crosswalk_json

    evaluations = _evaluations(dataset, year)
    cross = crosswalk([ev.framework for ev in evaluations], evaluations)
    if json_out:
        from ecopark.core.contract import assessment_json

        print_json({"frameworks": [assessment_json(ev) for ev in evaluations],
                    "crosswalk": crosswalk_json(cross)})
        return
    from ecopark.cli.terminal import assessment, crosswalk_view

    out = console()
    for evaluation in evaluations:
        out.print(assessment(evaluation, lang.value))
    out.print(crosswalk_view(cross, lang.value))


@app.command("crosswalk")
@handles_errors
def crosswalk_command(
        dataset: Annotated[Path | None, typer.Argument(help="数据文件（可选）dataset (optional): "
                                                       "adds each indicator's value")] = None,
        framework: Annotated[list[str] | None, typer.Option(
            "--framework", "-f", help="指标体系（可重复；默认数据文件所列）framework (repeatable; "
            "default: those the dataset names)")] = None,
        year: YearOpt = None, lang: LangOpt = Lang.zh, json_out: JsonOpt = False) -> None:
    """指标体系对照 — which raw items feed which indicator in each framework, and how similar
    indicators are defined differently."""
    from ecopark.core.crosswalk import crosswalk, crosswalk_json
    from ecopark.core.errors import InvalidValue
    from ecopark.core.framework.loading import load_framework

    evaluations = _evaluations(dataset, year) if dataset is not None else []
    names = framework or [ev.framework.id for ev in evaluations]
    if len(names) < 2:
        raise InvalidValue("--framework", "至少需要两个指标体系 at least two frameworks are needed",
                           "用 -f 指定，或在数据文件中写 also_frameworks name them with -f, or "
                           "list also_frameworks in the dataset")
    cross = crosswalk([load_framework(name) for name in names],
                      [ev for ev in evaluations if ev.framework.id in names])
    if json_out:
        print_json(crosswalk_json(cross))
        return
    from ecopark.cli.terminal import crosswalk_view

    console().print(crosswalk_view(cross, lang.value))


@app.command()
@handles_errors
def verify(dataset: DatasetArg, year: YearOpt = None, lang: LangOpt = Lang.zh,
           json_out: JsonOpt = False, framework: FrameworkOpt = None,
           base_year: BaseYearOpt = None) -> None:
    """核查表中数值 — recompute from the base rows and compare with the printed values
    (a dataset, or a park's report .docx / table .xlsx)."""
    from ecopark.core.verify import verify as run_verify

    result = run_verify(evaluate_file(dataset, framework, year, base_year))
    if json_out:
        from ecopark.core.contract import verification_json

        print_json(verification_json(result, quality=True))
        return
    if result.evaluation.dataset.reported is None:
        typer.echo("数据文件中没有 reported（表中数值），仅做数据一致性检查 / the dataset has no "
                   "`reported` values: only data-consistency checks run", err=True)
    from ecopark.cli.terminal import verification

    console().print(verification(result, lang.value))
    print_indicator_quality(result.evaluation, lang.value)


@app.command()
@handles_errors
def explain(dataset: DatasetArg, number: Annotated[int, typer.Argument(help="指标序号 number")],
            year: YearOpt = None, lang: LangOpt = Lang.zh, json_out: JsonOpt = False,
            framework: FrameworkOpt = None) -> None:
    """一个指标的计算过程 — the trace of one indicator as a tree."""
    from ecopark.core.errors import UnknownIndicator

    evaluation = evaluate_file(dataset, framework, year)
    if number not in evaluation.framework.by_number:
        raise UnknownIndicator(str(number), ", ".join(map(str, evaluation.framework.by_number)))
    if json_out:
        from ecopark.core.contract import assessment_json

        found = [i for i in assessment_json(evaluation)["indicators"] if i["number"] == number]
        print_json(found[0])
        return
    from ecopark.cli.terminal import explanation

    console().print(explanation(evaluation, number, lang.value))


@app.command()
@handles_errors
def frameworks(lang: LangOpt = Lang.zh, json_out: JsonOpt = False) -> None:
    """可用的指标体系及其来源 — the frameworks available, with their indicator counts and where
    each was found (an installed package or a framework directory)."""
    from ecopark.core.framework.discovery import found_frameworks
    from ecopark.core.framework.loading import load_framework

    found = found_frameworks()
    loaded = [load_framework(name) for name in found]
    if json_out:
        print_json([{"id": fw.id, "name_zh": fw.spec.name_zh, "name_en": fw.spec.name_en,
                      "version": fw.spec.version, "indicators": len(fw.indicators),
                      "mandatory": sum(1 for i in fw.indicators if i.mandatory),
                      "source": _source_json(found[fw.id])}
                     for fw in loaded])
        return
    from ecopark.cli.terminal import frameworks_table

    console().print(frameworks_table([(fw, found[fw.id]) for fw in loaded], lang.value))


def _source_json(found: Found) -> dict[str, str]:
    """Where a framework came from: an entry point (its `name = object` and its package) or a
    directory; and its file."""
    where = {"entry_point": found.name, "package": found.package} \
        if found.kind == "entry_point" else {"directory": found.name}
    return {"kind": found.kind, **where, "file": str(found.file)}


@app.command()
@handles_errors
def items(framework: Annotated[str, typer.Option("--framework", "-f", help="指标体系 framework")]
          = "hj274-2015", lang: LangOpt = Lang.zh, json_out: JsonOpt = False) -> None:
    """数据项及其单位 — the raw items a dataset may report, with their canonical units."""
    from ecopark.core.framework.loading import load_framework

    fw = load_framework(framework)
    if json_out:
        print_json([{"id": key, "name_zh": item.name_zh, "name_en": item.name_en,
                      "unit": item.unit, "kind": item.kind,
                      "values": list(item.values or {})} for key, item in fw.spec.items.items()])
        return
    from ecopark.cli.terminal import items_table

    console().print(items_table(fw, lang.value))


@app.command()
def schema() -> None:
    """数据文件的 JSON Schema — print the dataset format's JSON Schema."""
    from ecopark.core.dataset.schema import dataset_json_schema

    print_json(dataset_json_schema())
