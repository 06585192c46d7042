"""Reading and writing the formats park offices use: YAML datasets, xlsx workbooks, docx tables.

`load(path, framework)` opens any dataset ecopark understands, by its suffix and content:

- `.yaml` / `.yml`: a dataset file (`ecopark.core.dataset.loading.load_dataset`);
- `.xlsx` / `.xlsm` with a 基础数据 sheet: a filled ecopark template (`io.workbook`);
- any other `.xlsx`, or a `.docx`: a printed 对照考核表 (`io.printed_table`), whose base year is
  inferred from the printed elasticities unless `base_year` is given.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ecopark.core.dataset.model import Dataset
from ecopark.core.errors import InputFileError
from ecopark.core.framework.model import Framework

__all__ = ["SUFFIXES", "Loaded", "load"]

SUFFIXES = (".yaml", ".yml", ".xlsx", ".xlsm", ".docx")
DEFAULT_FRAMEWORK = "hj274-2015"


@dataclasses.dataclass(frozen=True)
class Loaded:
    """A dataset, the framework it is for, and what kind of file it came from."""

    dataset: Dataset
    framework: Framework
    kind: str  # "yaml" | "workbook" | "printed_table"
    has_macros: bool = False


def load(path: Path, framework: Framework | None = None, base_year: int | None = None,
         year: int | None = None) -> Loaded:
    """Open a dataset from any supported file."""
    from ecopark.core.framework.loading import load_framework

    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        from ecopark.core.dataset.loading import load_dataset

        dataset = load_dataset(path, framework)
        return Loaded(dataset, framework or load_framework(dataset.framework_id), "yaml")
    if suffix not in SUFFIXES:
        raise InputFileError(str(path), f"不支持的文件类型 “{suffix}” unsupported file type",
                             f"可用 use {' / '.join(SUFFIXES)}")
    from ecopark.io.guard import inspect

    office = inspect(path)
    if office.kind == "xlsx" and _is_template(path):
        from ecopark.io.workbook import read_workbook

        dataset = read_workbook(path, framework)
        return Loaded(dataset, framework or load_framework(dataset.framework_id), "workbook",
                      office.has_macros)
    from ecopark.io.printed_table import read_printed_table

    fw = framework or load_framework(DEFAULT_FRAMEWORK)
    dataset = read_printed_table(path, fw, base_year=base_year, year=year)
    return Loaded(dataset, fw, "printed_table", office.has_macros)


def _is_template(path: Path) -> bool:
    from ecopark.io.layout import SHEETS
    from ecopark.io.sheet import open_workbook

    with open_workbook(path) as book:
        return book.find_sheet(SHEETS["data"]) is not None
