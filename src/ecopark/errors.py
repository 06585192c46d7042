"""Every error ecopark raises, each carrying the place it is about.

The tree::

    EcoparkError                     root; `str()` is the zh-CN message, `.message("en")` English
    ├── InputFileError(file, problem)            missing/unreadable file, malformed YAML
    ├── FrameworkError(file, key_path, problem, hint)
    │   └── FormulaError(file, key_path, expression, position, problem, hint)
    ├── UnknownFramework(name, available)
    ├── DatasetError(file, key_path, problem, hint)
    │   └── UnitError(file, key_path, value, from_unit, to_unit, hint)
    ├── WorkbookError(file, sheet, cell, problem, hint)    one problem in an xlsx/docx file
    ├── WorkbookProblems(file, problems)         all problems of one file, reported at once
    ├── UnknownIndicator(number, available)
    └── MissingData(item, year, detail)          raised inside evaluation, reported as a status

Every class is a dataclass: its fields are the facts, the message is built from them, and the
error pickles (worker pools, caches) because `__reduce__` rebuilds it from its fields.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

__all__ = [
    "DatasetError",
    "EcoparkError",
    "FormulaError",
    "FrameworkError",
    "InputFileError",
    "MissingData",
    "UnitError",
    "UnknownFramework",
    "UnknownIndicator",
    "WorkbookError",
    "WorkbookProblems",
]


def _rebuild(cls: type[EcoparkError], fields: dict[str, Any]) -> EcoparkError:
    return cls(**fields)


@dataclasses.dataclass(eq=False)
class EcoparkError(Exception):
    """Root of all ecopark errors. Subclasses define `_zh` and `_en` templates over their fields."""

    _zh: ClassVar[str] = "ecopark 错误"
    _en: ClassVar[str] = "ecopark error"

    def fields(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    def message(self, lang: str = "zh") -> str:
        template = self._en if lang == "en" else self._zh
        text = template.format(**self.fields())
        hint = getattr(self, "hint", "")
        if hint:
            text += ("。建议：" if lang != "en" else ". Fix: ") + hint
        return text

    def __str__(self) -> str:
        return self.message("zh")

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.fields()))


@dataclasses.dataclass(eq=False)
class InputFileError(EcoparkError):
    file: str
    problem: str
    hint: str = ""
    _zh: ClassVar[str] = "文件 {file}：{problem}"
    _en: ClassVar[str] = "file {file}: {problem}"


@dataclasses.dataclass(eq=False)
class FrameworkError(EcoparkError):
    file: str
    key_path: str
    problem: str
    hint: str = ""
    _zh: ClassVar[str] = "指标体系文件 {file} 的 {key_path}：{problem}"
    _en: ClassVar[str] = "framework file {file}, at {key_path}: {problem}"


@dataclasses.dataclass(eq=False)
class FormulaError(FrameworkError):
    expression: str = ""
    position: int = 0
    _zh: ClassVar[str] = (
        "指标体系文件 {file} 的 {key_path}：公式 “{expression}” 第 {position} 个字符处：{problem}"
    )
    _en: ClassVar[str] = (
        "framework file {file}, at {key_path}: formula '{expression}' at character {position}: "
        "{problem}"
    )


@dataclasses.dataclass(eq=False)
class UnknownFramework(EcoparkError):
    name: str
    available: str
    _zh: ClassVar[str] = "没有名为 “{name}” 的指标体系；可用：{available}"
    _en: ClassVar[str] = "no framework named '{name}'; available: {available}"


@dataclasses.dataclass(eq=False)
class DatasetError(EcoparkError):
    file: str
    key_path: str
    problem: str
    hint: str = ""
    _zh: ClassVar[str] = "数据文件 {file} 的 {key_path}：{problem}"
    _en: ClassVar[str] = "dataset {file}, at {key_path}: {problem}"


@dataclasses.dataclass(eq=False)
class UnitError(DatasetError):
    value: str = ""
    from_unit: str = ""
    to_unit: str = ""
    _zh: ClassVar[str] = (
        "数据文件 {file} 的 {key_path}：单位 “{from_unit}” 无法换算为 “{to_unit}”（{problem}）"
    )
    _en: ClassVar[str] = (
        "dataset {file}, at {key_path}: unit '{from_unit}' cannot be converted to '{to_unit}' "
        "({problem})"
    )


@dataclasses.dataclass(eq=False)
class UnknownIndicator(EcoparkError):
    number: str
    available: str
    _zh: ClassVar[str] = "没有序号为 {number} 的指标；可用序号：{available}"
    _en: ClassVar[str] = "no indicator numbered {number}; available: {available}"


@dataclasses.dataclass(eq=False)
class MissingData(EcoparkError):
    item: str
    year: int
    detail: str = ""
    detail_en: str = ""
    _zh: ClassVar[str] = "缺少数据：{item}（{year}年）{detail}"
    _en: ClassVar[str] = "missing data: {item} for {year} {detail_en}"


@dataclasses.dataclass(eq=False)
class WorkbookError(EcoparkError):
    """One problem in a workbook or Word file. `sheet` is a sheet name (or "表格N" for a Word
    table); `cell` an A1 reference (or "第R行第C列" in Word); empty when the whole file is meant."""

    file: str
    sheet: str
    cell: str
    problem: str
    hint: str = ""
    _zh: ClassVar[str] = "文件 {file}，工作表 {sheet}，单元格 {cell}：{problem}"
    _en: ClassVar[str] = "file {file}, sheet {sheet}, cell {cell}: {problem}"


@dataclasses.dataclass(eq=False)
class WorkbookProblems(EcoparkError):
    """Every problem found in one file; nothing was imported."""

    file: str
    problems: list[WorkbookError]
    _zh: ClassVar[str] = "文件 {file} 有 {count} 处问题，未导入任何数据：\n{lines}"
    _en: ClassVar[str] = "file {file} has {count} problems; nothing was imported:\n{lines}"

    def message(self, lang: str = "zh") -> str:
        template = self._en if lang == "en" else self._zh
        lines = "\n".join(f"  - {p.message(lang)}" for p in self.problems)
        return template.format(file=self.file, count=len(self.problems), lines=lines)
