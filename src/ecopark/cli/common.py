"""Shared pieces of the `ecopark` command: the app, options, error handling, loading."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import click
import typer

from ecopark.core.errors import EcoparkError, InputFileError

__all__ = ["BaseYearOpt", "DatasetArg", "FrameworkOpt", "JsonOpt", "Lang", "LangOpt", "YearOpt", "app",
           "console", "evaluate_file", "handles_errors", "load_file", "named_frameworks",
           "print_indicator_quality", "print_json", "write_atomically", "writing"]

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="ecopark — 生态工业园区评价（HJ 274-2015 等）/ evaluate eco-industrial parks.",
)

F = TypeVar("F", bound=Callable[..., None])


class Lang(StrEnum):
    zh = "zh"
    en = "en"


DatasetArg = Annotated[Path, typer.Argument(help="数据文件 dataset: .yaml，填好的模板 .xlsx，或对照考核表 "
                                            ".docx/.xlsx (a filled template or a printed table)")]
YearOpt = Annotated[int | None, typer.Option("--year", "-y", help="评价年份 evaluation year")]
LangOpt = Annotated[Lang, typer.Option("--lang", help="输出语言 output language")]
JsonOpt = Annotated[bool, typer.Option("--json", help="输出 JSON print JSON")]
BaseYearOpt = Annotated[int | None, typer.Option(
    "--base-year", help="规划基准年（读取对照考核表时；默认由表中弹性系数推定）planning base year "
    "for a printed table (default: inferred)")]
FrameworkOpt = Annotated[str | None, typer.Option(
    "--framework", "-f", help="指标体系标识或文件 framework id or file (default: the dataset's)")]


def handles_errors(command: F) -> F:
    """Turn every ecopark error into a clear message on stderr and exit code 2. Anything else is
    a bug: as a last resort, a short "内部错误" message, the trace in a log file, exit code 1."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            command(*args, **kwargs)
        except EcoparkError as exc:
            lang = kwargs.get("lang", Lang.zh)
            prefix = "错误" if lang != Lang.en else "error"
            typer.echo(f"{prefix}: {exc.message(lang.value)}", err=True)
            raise typer.Exit(2) from None
        except (typer.Exit, typer.Abort, click.ClickException):
            raise
        except Exception:  # the last resort described above
            log = _log_internal_error()
            typer.echo(f"内部错误 internal error（这是 ecopark 的缺陷，请报告 a bug in ecopark, "
                       f"please report it）: 详情见 details in {log}", err=True)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def _log_internal_error() -> Path:
    import datetime as dt
    import traceback

    from platformdirs import user_log_dir

    log = Path(user_log_dir("ecopark", appauthor=False)) / "internal-errors.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as out:
            out.write(f"--- {dt.datetime.now(dt.UTC).isoformat()}\n{traceback.format_exc()}\n")
    except OSError:
        return Path("(未能写入日志 could not write the log)")
    return log


@contextmanager
def writing(path: Path) -> Iterator[None]:
    """Turn a failure to write `path` (its folder is a file, no permission, disk full …) into a
    typed error naming the file."""
    try:
        yield
    except OSError as exc:
        raise InputFileError(path.name, f"无法写入 cannot write: {exc.strerror or exc}",
                             "检查输出路径及其权限 check the output path and its permissions") \
            from None


def console() -> Any:
    from rich.console import Console

    return Console(soft_wrap=False)


def load_file(dataset_path: Path, framework: str | None, base_year: int | None = None,
              year: int | None = None) -> tuple[Any, Any]:
    """The framework and the dataset of any dataset file (YAML, workbook, printed table)."""
    from ecopark.core.framework.loading import load_framework
    from ecopark.io import load

    loaded = load(dataset_path, load_framework(framework) if framework else None, base_year, year)
    if loaded.has_macros:
        typer.echo("注意：文件含宏，宏未运行，仅读取数据 / note: the file has macros; they were not "
                   "run, only its data was read", err=True)
    if loaded.kind == "printed_table":
        note = loaded.dataset.profile.base_year_note
        typer.echo(f"从对照考核表读取 read a printed table; 规划基准年 base year "
                   f"{loaded.dataset.profile.base_year}" + (f"（{note}）" if note else ""), err=True)
    return loaded.framework, loaded.dataset


def evaluate_file(dataset_path: Path, framework: str | None, year: int | None,
                  base_year: int | None = None) -> Any:
    from ecopark.core.evaluate import evaluate

    fw, dataset = load_file(dataset_path, framework, base_year, year)
    return evaluate(fw, dataset, year)


def print_json(data: object) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder, then rename: the file
    is either the old one or the complete new one, never half-written."""
    import os
    import tempfile

    with writing(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise


def named_frameworks(dataset: Path) -> list[str]:
    """The frameworks a dataset or workbook names: `framework` and `also_frameworks`."""
    from pydantic import ValidationError

    from ecopark.core.dataset.loading import schema_error
    from ecopark.core.dataset.schema import DatasetFile
    from ecopark.core.errors import InputFileError
    from ecopark.core.yamlfile import read_yaml

    if dataset.suffix.lower() in (".xlsx", ".xlsm"):
        from ecopark.io.workbook import read_workbook_spec

        workbook = read_workbook_spec(dataset)
        return list(dict.fromkeys([workbook.framework, *workbook.also_frameworks]))
    if dataset.suffix.lower() not in (".yaml", ".yml"):
        raise InputFileError(str(dataset), "--framework all 只适用于数据文件或工作簿 needs a "
                             "dataset or workbook", "用 .yaml 或 .xlsx use a .yaml or .xlsx file")
    try:
        spec = DatasetFile.model_validate(read_yaml(dataset, floats_as_text=True))
    except ValidationError as exc:
        raise schema_error(exc, str(dataset)) from None
    return list(dict.fromkeys([spec.framework, *spec.also_frameworks]))


def print_indicator_quality(evaluation: Any, lang: str) -> None:
    """Print the quality findings touching an indicator (nothing when there are none)."""
    from ecopark.cli.terminal import quality_table
    from ecopark.core.quality import indicator_findings

    findings = indicator_findings(evaluation)
    if findings:
        title = "数据质量（涉及指标）" if lang != "en" else "Data quality touching indicators"
        console().print(quality_table(findings, lang, title))
