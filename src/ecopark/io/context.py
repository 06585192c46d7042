"""What the sheets of one workbook import share: the open workbook, the problems collected (all
raised at once), where each value of the dataset came from, and names looked up loosely.

`io.workbook` reads 基础数据, 清单, the list sheets and 报告值 with it; `io.parkinfo` reads 园区信息.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from ecopark.core.errors import WorkbookError, WorkbookProblems
from ecopark.core.framework.model import Framework
from ecopark.core.text import label_forms, near_miss, normalize_label
from ecopark.io.cells import Problem, Raw, cell_text, read_int
from ecopark.io.sheet import (
    HEADER_SCAN,
    Column,
    Header,
    Row,
    Sheet,
    Workbook,
    find_header,
)

__all__ = ["MAX_PROBLEMS", "Context", "Found", "Names", "Places", "Problems"]

MAX_PROBLEMS = 1000
_UNCALCULATED = "公式未计算 formula never calculated: open and save the file in Excel/WPS"
_UNCALCULATED_HINT = "在 Excel/WPS 中打开本文件并保存，再重新导入 open the file in Excel/WPS, " \
    "save it, and import it again"


class Problems:
    """Every problem of the file, each with its sheet and cell; at most MAX_PROBLEMS listed."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[WorkbookError] = []
        self.dropped = 0

    def add(self, sheet: str, cell: str, problem: str, hint: str = "") -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(WorkbookError(self.file, sheet, cell, problem, hint))
        else:
            self.dropped += 1

    def cell(self, sheet: str, cell: str, found: Problem) -> None:
        self.add(sheet, cell, found.problem, found.hint)

    def error(self, error: WorkbookError) -> None:
        self.items.append(error)

    def raise_any(self) -> None:
        if self.dropped:
            self.items.append(WorkbookError(self.file, "", "", f"另有 {self.dropped} 处问题未列出 "
                                            f"and {self.dropped} more problems"))
            self.dropped = 0
        if self.items:
            raise WorkbookProblems(self.file, list(self.items))

    def fatal(self, place: tuple[str, str], problem: str, hint: str = "") -> WorkbookProblems:
        return WorkbookProblems(self.file, [WorkbookError(self.file, *place, problem, hint)])


class Places:
    """Where each key path of the dataset came from, to place late validation errors."""

    def __init__(self) -> None:
        self._by_key: dict[str, tuple[str, str]] = {}

    def note(self, key_path: str, sheet: str, cell: str) -> None:
        self._by_key.setdefault(key_path, (sheet, cell))

    def find(self, key_path: str) -> tuple[str, str]:
        for key in sorted(self._by_key, key=len, reverse=True):
            if key_path == key or key_path.startswith((f"{key}.", f"{key}[")):
                return self._by_key[key]
        return "", ""


@dataclasses.dataclass(frozen=True)
class Found:
    """A value read from one cell, with its place."""

    value: Raw
    sheet: str
    cell: str


class Names:
    """Items, indicators, checklists of a framework looked up by id or any of their names."""

    def __init__(self, entries: dict[str, list[str]]) -> None:
        self._by_form: dict[str, str] = {}
        self._shown: list[str] = []
        for key, names in entries.items():
            for name in [key, *names]:
                self._by_form.setdefault(normalize_label(name), key)
            self._shown.append(names[0] if names else key)

    def find(self, text: str) -> str | None:
        exact = self._by_form.get(normalize_label(text))
        if exact is not None:
            return exact
        return next((self._by_form[f] for f in label_forms(text) if f in self._by_form), None)

    def hint(self, text: str) -> str:
        guess = near_miss(text, [*self._shown, *self._by_form], cutoff=0.6)
        if guess is None:
            return ""
        key = self.find(guess)
        return f"是否应为 did you mean “{guess}”（{key}）?"


class Context:
    """One import: the workbook, its problems and places, and the sheets read so far."""

    def __init__(self, book: Workbook) -> None:
        self.book = book
        self.problems = Problems(book.file)
        self.places = Places()
        self.small: dict[str, list[Row]] = {}  # the small sheets kept whole, by name

    def sheet(self, names: tuple[str, ...], required: bool = False) -> Sheet | None:
        """The sheet named one of `names`; a missing required sheet, a sheet that cannot be
        read and its formulas never calculated are problems."""
        name = self.book.find_sheet(names)
        if name is None:
            if required:
                self.problems.error(self.book.missing_sheet(names))
            return None
        try:
            sheet = self.book.sheet(name)
        except WorkbookError as exc:
            self.problems.error(exc)
            return None
        for ref in sheet.uncalculated:
            self.problems.add(sheet.name, ref, _UNCALCULATED, _UNCALCULATED_HINT)
        return sheet

    def header(self, sheet: Sheet, rows: Iterator[Row], columns: tuple[Column, ...],
               scan: int = HEADER_SCAN) -> Header | None:
        try:
            return find_header(sheet.file, sheet.name, rows, columns, scan)
        except WorkbookError as exc:
            self.problems.error(exc)
            return None

    def indicator(self, fw: Framework, sheet: str, header: Header, row: Row) -> int | None:
        """The indicator of a row: by 序号, else by its name (a problem if neither)."""
        column = header.columns["number"]
        number = read_int(row.value(column), 1, 9999)
        if isinstance(number, int) and number in fw.by_number:
            return number
        name = cell_text(row.value(header.columns.get("indicator", 0)))
        names = Names({str(i.number): [i.name_zh, i.name_en] for i in fw.indicators})
        key = names.find(name) if name and number is None else None
        if key is not None:
            return int(key)
        shown = cell_text(row.value(column)) or name
        self.problems.add(sheet, row.ref(column), f"没有这个指标 no such indicator: “{shown}”",
                          names.hint(name) or f"序号应为 1–{max(fw.by_number)} the number "
                          f"should be 1–{max(fw.by_number)}")
        return None
