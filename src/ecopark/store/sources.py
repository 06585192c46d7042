"""Where stored data come from: a dataset file (YAML/JSON) or a workbook, read into the
`DatasetFile` the repository stores; and a printed table (YAML, or .docx/.xlsx when the
reported-table reader `ecopark.io.printed_table` is installed) read into `Reported`.

Workbooks are read by `ecopark.io.workbook.read_workbook_spec` when that module is present;
without it a workbook is refused with a message saying so.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ecopark.core.dataset.schema import DatasetFile, Reported
from ecopark.core.errors import DatasetError, InputFileError
from ecopark.core.framework.loading import load_framework
from ecopark.core.framework.model import Framework
from ecopark.core.yamlfile import read_yaml

__all__ = ["DATASET_SUFFIXES", "TABLE_SUFFIXES", "WORKBOOK_SUFFIXES", "read_dataset_spec",
           "read_reported"]

DATASET_SUFFIXES = (".yaml", ".yml", ".json")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
TABLE_SUFFIXES = (".docx", ".xlsx")


def _validation_error(exc: ValidationError, file: str) -> DatasetError:
    first = exc.errors()[0]
    key_path = ".".join(str(part) for part in first["loc"]) or "(top)"
    more = f"（另有 {exc.error_count() - 1} 处 and {exc.error_count() - 1} more）" \
        if exc.error_count() > 1 else ""
    return DatasetError(file, key_path, f"{first['msg']}{more}")


def parse_spec(data: Any, file: str) -> DatasetFile:
    if not isinstance(data, dict):
        raise DatasetError(file, "(top)", "文件应为键值映射 the file must be a mapping")
    try:
        return DatasetFile.model_validate(data)
    except ValidationError as exc:
        raise _validation_error(exc, file) from None


def _optional(module: str, name: str) -> Any:
    if importlib.util.find_spec(module) is None:
        return None
    return getattr(importlib.import_module(module), name, None)


def _call(function: Any, path: Path, framework: Framework | None) -> Any:
    wanted = len(inspect.signature(function).parameters)
    return function(path, framework) if wanted >= 2 and framework is not None else function(path)


def _require_dataset(path: Path, others: tuple[str, ...]) -> None:
    """A file that is none of the `others` must be a dataset file (YAML or JSON)."""
    suffix = path.suffix.lower()
    if suffix not in DATASET_SUFFIXES:
        raise InputFileError(str(path), f"不支持的文件类型 unsupported file type {suffix!r}",
                             f"用 use {', '.join(DATASET_SUFFIXES + others)}")


def read_dataset_spec(path: Path, framework: str | None = None) -> tuple[DatasetFile, Framework]:
    """A dataset file or workbook as a `DatasetFile`, with the framework it is for."""
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        return _workbook(path, framework)
    _require_dataset(path, WORKBOOK_SUFFIXES)
    spec = parse_spec(read_yaml(path), str(path))
    return spec, load_framework(framework or spec.framework)


def _workbook(path: Path, framework: str | None) -> tuple[DatasetFile, Framework]:
    reader = _optional("ecopark.io.workbook", "read_workbook_spec")
    if reader is None:
        raise InputFileError(str(path), "此版本不能导入工作簿 this ecopark cannot read workbooks "
                             "yet", "先转换为 YAML 数据文件 convert it to a YAML dataset first")
    # no framework given: the one the workbook's 园区信息 names (a zero-carbon workbook too)
    spec = _call(reader, path, load_framework(framework) if framework else None)
    return spec, load_framework(spec.framework)


def read_reported(path: Path, framework: Framework) -> Reported:
    """A printed table: a dataset file's `reported`, a bare `reported` mapping, or a .docx/.xlsx
    read by `ecopark.io.printed_table.read_printed_table` when installed."""
    suffix = path.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        return _printed_table(path, framework)
    _require_dataset(path, TABLE_SUFFIXES)
    data = read_yaml(path)
    if isinstance(data, dict) and "format" in data:
        reported = parse_spec(data, str(path)).reported
        if reported is None:
            raise DatasetError(str(path), "reported", "数据文件中没有 reported no printed table")
        return reported
    try:
        return Reported.model_validate(data)
    except ValidationError as exc:
        raise _validation_error(exc, str(path)) from None


def _printed_table(path: Path, framework: Framework) -> Reported:
    reader = _optional("ecopark.io.printed_table", "read_printed_table")
    if reader is None:
        raise InputFileError(str(path), "此版本不能读取 Word/Excel 对照考核表 this ecopark cannot "
                             "read printed tables from .docx/.xlsx yet",
                             "上传 YAML 格式的 reported upload the table as YAML")
    result = _call(reader, path, framework)
    reported = getattr(result, "reported", result)
    if not isinstance(reported, Reported):
        raise InputFileError(str(path), "未读到对照考核表 no printed table found")
    return reported
